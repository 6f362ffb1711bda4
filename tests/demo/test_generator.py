"""The synthetic local area: deterministic, valid identifiers, files that match the ground truth,
and the realism (twins, noise, moves) that record linkage will be tested against.

Plain pytest, no Django and no database: run with `-p no:django`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from joinedup.demo import names
from joinedup.demo.generator import (
    REFERENCE_DATE,
    WINDOW_START,
    Area,
    Person,
    SourceRow,
    age_on,
    generate_area,
    nc_year,
)
from joinedup.demo.writer import write_area
from joinedup.linkage.identifiers import check_nhs_number, check_upn

ID_COLUMN = {"school": "PupilRef", "health": "PatientRef", "police": "OccurrenceRef"}
EVENT_TYPES = {
    "attendance_summary",
    "suspension",
    "permanent_exclusion",
    "school_admission",
    "school_leaving",
    "sen_support",
    "referral",
    "assessment",
    "plan",
    "child_protection",
    "looked_after",
    "early_help_episode",
    "police_notification",
    "missing_episode",
    "health_contact",
    "youth_service_contact",
    "youth_justice_contact",
    "housing_contact",
    "alternative_provision",
    "missing_education",
    "elective_home_education",
}
SPECIAL_CATEGORY = {
    "health_contact",
    "police_notification",
    "missing_episode",
    "youth_justice_contact",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Overrides tests/conftest.py's Django-settings fixture: these tests need no Django."""


@pytest.fixture(scope="module")
def area() -> Area:
    return generate_area(2000, seed=11)


@pytest.fixture(scope="module")
def written(area: Area, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("area")
    write_area(area, out)
    return out


@pytest.fixture(scope="module")
def people(area: Area) -> dict[str, Person]:
    return {p.person_id: p for p in area.people}


def kind(row: SourceRow) -> str:
    return "school" if row.agency_code.startswith("school-") else row.agency_code


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def hashes(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


# -- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = write_area(generate_area(400, seed=5, schools=6), tmp_path / "a")
    second = write_area(generate_area(400, seed=5, schools=6), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    assert all(p.exists() for p in first)
    assert hashes(tmp_path / "a") == hashes(tmp_path / "b")
    assert len(hashes(tmp_path / "a")) == len(first)


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    write_area(generate_area(400, seed=5, schools=6), tmp_path / "a")
    write_area(generate_area(400, seed=6, schools=6), tmp_path / "b")
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert a["people.csv"] != b["people.csv"]
    assert a["ground_truth.csv"] != b["ground_truth.csv"]


def test_same_seed_gives_the_same_files_in_fresh_processes(tmp_path: Path) -> None:
    """No dependence on set/hash ordering: PYTHONHASHSEED must not change a byte."""
    script = (
        "import sys; from pathlib import Path;"
        "from joinedup.demo.generator import generate_area;"
        "from joinedup.demo.writer import write_area;"
        "write_area(generate_area(300, seed=4, schools=5), Path(sys.argv[1]))"
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": os.pathsep.join(sys.path)}
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed)], env=env, check=True
        )
    assert hashes(tmp_path / "1") == hashes(tmp_path / "2")


def test_generation_leaves_the_global_random_generator_alone() -> None:
    random.seed(1234)
    state = random.getstate()
    generate_area(200, seed=3, schools=4)
    assert random.getstate() == state


# -- identifiers -------------------------------------------------------------------------------


def test_nhs_numbers_pass_mod_11_and_are_in_the_test_range(area: Area) -> None:
    numbers = [p.nhs_number for p in area.people]
    for number in numbers:
        assert check_nhs_number(number).is_test
        assert 9990000000 <= int(number) <= 9999999999
    assert len(set(numbers)) == len(numbers)


def test_upns_have_correct_check_letters_and_temporary_ones_exist(area: Area) -> None:
    upns = [p.upn for p in area.people if p.upn]
    for upn in upns:
        assert not check_upn(upn).is_temporary
    formers = [p.former_upn for p in area.people if p.former_upn]
    assert formers, "some children should have had a temporary UPN"
    for former in formers:
        assert check_upn(former).is_temporary
    assert len(set(upns)) == len(upns)
    assert len(set(upns + formers)) == len(upns) + len(formers)
    for p in area.people:  # under school age: no UPN yet
        assert bool(p.upn) == (nc_year(p.date_of_birth, 2026) >= 0)


def test_some_school_records_still_hold_a_temporary_upn(area: Area) -> None:
    school = [r for r in area.records if kind(r) == "school"]
    temporary = [r for r in school if r.upn and check_upn(r.upn).is_temporary]
    assert 0.01 <= len(temporary) / len(school) <= 0.08
    for r in school:
        for value in (r.upn, r.former_upn):
            if value:
                check_upn(value)


# -- files against the ground truth -------------------------------------------------------------


def test_every_extract_row_appears_once_in_the_ground_truth(area: Area, written: Path) -> None:
    truth = read_csv(written / "ground_truth.csv")
    counts = Counter((t["agency_code"], t["record_id"]) for t in truth)
    assert set(counts.values()) == {1}
    truth_person = {(t["agency_code"], t["record_id"]): t["person_id"] for t in truth}
    records = {(r.agency_code, r.record_id): r for r in area.records}
    assert len(records) == len(area.records) == len(truth)
    manifest = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    assert [a["code"] for a in manifest["agencies"]] == [a.code for a in area.agencies]
    seen = 0
    for agency in manifest["agencies"]:
        rows = read_csv(written / agency["files"][0])
        column = ID_COLUMN.get(agency["agency_type"], "record_id")
        expected = [r for r in area.records if r.agency_code == agency["code"]]
        assert len(rows) == len(expected) == agency["rows"]
        for row in rows:
            key = (agency["code"], row[column])
            assert counts[key] == 1
            assert truth_person[key] == records[key].person_id
            surname = row.get("Surname", row.get("SubjectSurname", row.get("family_name")))
            assert surname == records[key].family_name
        ids = {row[column] for row in rows}
        for event in read_csv(written / agency["files"][1]):
            assert event["record_id"] in ids
        seen += len(rows)
    assert seen == len(truth)


def test_people_csv_holds_each_childs_true_identity(area: Area, written: Path) -> None:
    rows = read_csv(written / "people.csv")
    assert [r["person_id"] for r in rows] == [p.person_id for p in area.people]
    for row, p in zip(rows, area.people, strict=True):
        assert (row["given_name"], row["family_name"], row["date_of_birth"], row["nhs_number"]) == (
            p.given_name,
            p.family_name,
            p.date_of_birth.isoformat(),
            p.nhs_number,
        )
        assert row["sibling_ids"] == ";".join(p.sibling_ids)


# -- realism -----------------------------------------------------------------------------------


def test_children_are_aged_0_to_17_in_households_of_1_to_4(area: Area) -> None:
    ages = Counter(age_on(p.date_of_birth, REFERENCE_DATE) for p in area.people)
    assert set(ages) == set(range(18))
    sizes = Counter(p.household_id for p in area.people)
    assert set(sizes.values()) <= {1, 2, 3, 4} and max(sizes.values()) == 4
    assert all(1 <= len(h.adults) <= 2 for h in area.households)


def test_twins_share_dob_family_name_and_household(area: Area, people: dict[str, Person]) -> None:
    twins = [p for p in area.people if p.twin_of]
    assert 0.01 <= len(twins) / len(area.people) <= 0.04
    for p in twins:
        other = people[p.twin_of]
        assert other.twin_of == p.person_id
        assert (p.date_of_birth, p.family_name, p.household_id) == (
            other.date_of_birth,
            other.family_name,
            other.household_id,
        )
        assert p.given_name != other.given_name
        assert other.person_id in p.sibling_ids


def test_step_family_and_hyphenated_surnames_appear_in_records(
    area: Area, people: dict[str, Person]
) -> None:
    changed = [p for p in area.people if p.previous_family_name]
    assert changed and any("-" in p.family_name for p in area.people)
    old_name = [
        r
        for r in area.records
        if people[r.person_id].previous_family_name
        and r.family_name == people[r.person_id].previous_family_name
    ]
    assert old_name


def test_schools_hold_no_nhs_numbers_and_health_holds_no_upns(area: Area, written: Path) -> None:
    assert all(not r.nhs_number for r in area.records if kind(r) == "school")
    health = [r for r in area.records if kind(r) == "health"]
    assert all(not r.upn and not r.former_upn for r in health)
    assert sum(bool(r.nhs_number) for r in health) / len(health) > 0.95
    school_file = next(written.glob("school-*[0-9].csv"))
    assert "NHSNumber" not in read_csv(school_file)[0]
    assert "UPN" not in read_csv(written / "health.csv")[0]


def test_some_dates_of_birth_differ_from_the_truth(area: Area, people: dict[str, Person]) -> None:
    swapped = typo = blank = 0
    for r in area.records:
        true = people[r.person_id].date_of_birth.isoformat()
        if r.date_of_birth == true:
            continue
        if not r.date_of_birth:
            blank += 1
        elif r.date_of_birth == f"{true[:4]}-{true[8:10]}-{true[5:7]}":
            swapped += 1
        elif sum(a != b for a, b in zip(r.date_of_birth, true, strict=True)) == 1:
            typo += 1
    assert swapped and typo and blank
    assert (swapped + typo + blank) / len(area.records) < 0.05


def test_some_names_are_nicknames_and_more_so_in_police_and_youth_records(
    area: Area, people: dict[str, Person]
) -> None:
    nick: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for r in area.records:
        group = (
            kind(r)
            if kind(r) in ("school", "health")
            else "police/youth"
            if kind(r) in ("police", "youth-service")
            else "other"
        )
        total[group] += 1
        nick[group] += r.given_name in names.NICKNAMES.get(people[r.person_id].given_name, ())
    assert nick["police/youth"] / total["police/youth"] > nick["school"] / total["school"]
    assert sum(nick.values()) > 0


def test_some_postcodes_are_previous_postcodes(area: Area, people: dict[str, Person]) -> None:
    households = {h.household_id: h for h in area.households}
    old = [
        r
        for r in area.records
        if households[people[r.person_id].household_id].moved_on
        and r.postcode == households[people[r.person_id].household_id].previous_postcode
    ]
    assert old
    assert len(old) / len(area.records) < 0.05


def test_some_children_have_two_school_records_the_old_one_closed(area: Area) -> None:
    by_child: dict[str, list[SourceRow]] = defaultdict(list)
    for r in area.records:
        if kind(r) == "school":
            by_child[r.person_id].append(r)
    movers = {pid: rows for pid, rows in by_child.items() if len(rows) >= 2}
    assert len(movers) > 0.02 * len(by_child)
    for rows in movers.values():
        open_rows = [r for r in rows if not r.attributes["leaving_date"]]
        assert len(open_rows) <= 1
        assert any(r.attributes["leaving_date"] for r in rows)
        assert all(
            r.attributes["leaving_date"] >= r.attributes["entry_date"]
            for r in rows
            if r.attributes["leaving_date"]
        )


def test_every_compulsory_school_age_child_is_on_a_current_roll(area: Area) -> None:
    """... except those who left for elective home education or as missing education."""
    on_roll = {
        r.person_id
        for r in area.records
        if kind(r) == "school" and not r.attributes["leaving_date"]
    }
    off_roll = {
        pid
        for pid, t in area.truth.children.items()
        if t.elective_home_education_on or (t.missing_education_on and not t.readmitted_on)
    }
    assert off_roll and len(off_roll) < 0.02 * len(area.people)
    for p in area.people:
        if 1 <= nc_year(p.date_of_birth, 2026) <= 11:
            assert (p.person_id in on_roll) != (p.person_id in off_roll), p.person_id


def test_agencies_hold_realistic_shares_of_children(area: Area) -> None:
    held: dict[str, set[str]] = defaultdict(set)
    for r in area.records:
        held[kind(r)].add(r.person_id)
    n = len(area.people)
    over = {
        age: sum(age_on(p.date_of_birth, REFERENCE_DATE) >= age for p in area.people)
        for age in (10, 11)
    }
    assert len(held["health"]) / n > 0.95
    assert 0.02 <= len(held["social-care"]) / n <= 0.09
    assert 0.04 <= len(held["early-help"]) / n <= 0.13
    assert 0.02 <= len(held["police"]) / n <= 0.08
    assert 0.01 <= len(held["housing"]) / n <= 0.06
    assert 0.005 <= len(held["voluntary-sector"]) / n <= 0.04
    assert 0.03 <= len(held["youth-service"]) / over[11] <= 0.10
    assert 0 < len(held["youth-justice"]) / over[10] <= 0.03


def test_events_are_moderate_in_volume_and_well_formed(area: Area) -> None:
    assert 5 <= len(area.events) / len(area.people) <= 15
    records = {(r.agency_code, r.record_id): r for r in area.records}
    start = datetime(WINDOW_START.year, WINDOW_START.month, WINDOW_START.day, tzinfo=UTC)
    end = datetime(REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day, tzinfo=UTC)
    for e in area.events:
        assert e.event_type in EVENT_TYPES
        assert records[(e.agency_code, e.record_id)].person_id == e.person_id
        assert e.occurred_at.tzinfo is not None and start <= e.occurred_at < end
        assert e.summary and isinstance(e.payload, dict)
        assert (e.sensitivity == "special_category") == (e.event_type in SPECIAL_CATEGORY)
    assert {e.event_type for e in area.events} == EVENT_TYPES


def test_attendance_is_mostly_good_with_a_long_tail(area: Area) -> None:
    pct = [e.payload["attendance_pct"] for e in area.events if e.event_type == "attendance_summary"]
    assert 93 <= statistics.median(pct) <= 98
    assert 0.05 <= sum(p < 90 for p in pct) / len(pct) <= 0.3
    assert any(p < 50 for p in pct)
    for e in area.events:
        if e.event_type == "attendance_summary":
            p = e.payload
            assert (
                p["sessions_attended"] + p["authorised"] + p["unauthorised"]
                == p["sessions_possible"]
            )


def test_involvements_cover_current_rolls_and_health(area: Area) -> None:
    open_roll = {
        (i.agency_code, i.person_id)
        for i in area.involvements
        if i.ended_on is None and i.description.startswith("On roll")
    }
    for r in area.records:
        if kind(r) == "school" and not r.attributes["leaving_date"]:
            assert (r.agency_code, r.person_id) in open_roll
    health = {
        i.person_id for i in area.involvements if i.agency_code == "health" and i.ended_on is None
    }
    held = {r.person_id for r in area.records if kind(r) == "health"}
    under_five = [
        p
        for p in area.people
        if age_on(p.date_of_birth, REFERENCE_DATE) < 4 and p.person_id in held
    ]
    assert all(p.person_id in health for p in under_five)
    assert all(i.ended_on is None or i.started_on <= i.ended_on for i in area.involvements)


def test_involvements_say_their_level_of_need(area: Area) -> None:
    """Rolls and health caseloads are universal (1); the rest answer a need (2 to 4), so the
    "no lead professional" worklist is not every pupil with a school nurse."""
    by_agency: dict[str, set[int]] = {}
    for i in area.involvements:
        by_agency.setdefault(i.agency_code.split("-")[0], set()).add(i.level)
        universal = i.description.startswith(("On roll", "School nursing", "Health visiting"))
        assert (i.level == 1) == (universal or i.description == "Youth club member"), i
    assert by_agency["social"] == {3, 4} and by_agency["early"] == {2}
    levels = {i.description.split(" (")[0]: i.level for i in area.involvements}
    assert levels["Child protection plan"] == 4 and levels["Looked after child"] == 4
    assert levels["Child in need plan"] == 3 and levels["Referral and assessment"] == 3


def test_generated_sensitivity_follows_the_vocabulary_rule(area: Area) -> None:
    from joinedup.chronology.vocabulary import default_sensitivity

    assert all(e.sensitivity == default_sensitivity(e.event_type) for e in area.events)
