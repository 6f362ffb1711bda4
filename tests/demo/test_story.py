"""The synthetic area's causal story holds in the files it writes (issue 4, item 6).

Measured on the written extracts (attendance registers, census rolls, events files, the
exclusions returns and the CIN census), joined to true children only through
ground_truth.csv; the generator's constants are not echoed: each test asserts a direction
with a margin, over enough children. Plain pytest and DuckDB, no Django.
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from defusedxml import ElementTree

from joinedup.demo.generator import REFERENCE_DATE, Area, generate_area
from joinedup.demo.generator.school_calendar import school_days
from joinedup.demo.writer import write_area
from joinedup.ingest.attendance_codes import CODES

# Holidays of the area's LA calendar as a parent would read them off the council's website.
HOLIDAYS = [
    ("2025-10-27", "2025-10-31"),  # autumn half-term
    ("2025-12-20", "2026-01-04"),  # Christmas
    ("2026-02-16", "2026-02-20"),  # spring half-term
    ("2026-03-28", "2026-04-12"),  # Easter (Good Friday 3 April, Easter Monday 6 April)
    ("2026-05-04", "2026-05-04"),  # early May bank holiday
    ("2026-05-25", "2026-05-29"),  # summer half-term (and the spring bank holiday)
    ("2026-07-22", "2026-09-01"),  # summer holidays
    ("2026-10-26", "2026-10-30"),  # autumn half-term
]
TERMS = {  # the register's terms: first and last school day
    "autumn 2025": ("2025-09-03", "2025-12-19"),
    "spring 2026": ("2026-01-05", "2026-03-27"),
    "summer 2026": ("2026-04-13", "2026-07-21"),
    "autumn 2026": ("2026-09-02", "2026-10-23"),
}


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Overrides tests/conftest.py's Django-settings fixture: these tests need no Django."""


@pytest.fixture(scope="module")
def area() -> Area:
    return generate_area(3000, seed=7)


@pytest.fixture(scope="module")
def files(area: Area, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("story")
    write_area(area, out)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def person_of(files: Path) -> dict[tuple[str, str], str]:
    return {
        (r["agency_code"], r["record_id"]): r["person_id"]
        for r in read_csv(files / "ground_truth.csv")
    }


@pytest.fixture(scope="module")
def con(files: Path, person_of: dict[tuple[str, str], str]) -> duckdb.DuckDBPyConnection:
    """Every school's register, one row per session, with the true child and the category."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE raw AS SELECT *, regexp_extract(filename, '(school-[0-9]+)', 1) AS agency "
        "FROM read_csv(?, all_varchar = true, filename = true)",
        [str(files / "school-*-attendance.csv")],
    )
    truth = [(a, rid, pid) for (a, rid), pid in person_of.items() if a.startswith("school-")]
    con.execute(
        "CREATE TABLE truth AS SELECT unnest(?) AS agency, unnest(?) AS record_id, "
        "unnest(?) AS person",
        [list(column) for column in zip(*truth, strict=True)],
    )
    con.execute(
        "CREATE TABLE codes AS SELECT unnest(?) AS code, unnest(?) AS category",
        [list(CODES), [v[0] for v in CODES.values()]],
    )
    con.execute(
        "CREATE TABLE marks AS SELECT truth.person, raw.record_id, raw.agency, "
        "CAST(raw.date AS DATE) AS day, raw.session, raw.code, codes.category, "
        "CASE WHEN codes.category IN ('authorised', 'unauthorised') THEN 1.0 ELSE 0.0 END "
        "AS absent FROM raw JOIN truth USING (agency, record_id) JOIN codes USING (code)"
    )
    return con


def census(files: Path) -> dict[str, dict[str, str]]:
    """Each true child's latest school census row."""
    rows: dict[str, dict[str, str]] = {}
    truth = {
        (r["agency_code"], r["record_id"]): r["person_id"]
        for r in read_csv(files / "ground_truth.csv")
    }
    for path in sorted(files.glob("school-*[0-9].csv")):
        for row in read_csv(path):
            person = truth[(path.stem, row["PupilRef"])]
            if person not in rows or row["EntryDate"] > rows[person]["EntryDate"]:
                rows[person] = row
    return rows


def events(files: Path, event_type: str) -> list[tuple[str, str, datetime, dict]]:
    """(agency, record id, when, payload) of every event of one type in the events files."""
    out = []
    for path in sorted(files.glob("*-events.csv")):
        agency = path.name.removesuffix("-events.csv")
        for row in read_csv(path):
            if row["event_type"] == event_type:
                when = datetime.fromisoformat(row["occurred_at"])
                out.append((agency, row["record_id"], when, json.loads(row["payload_json"])))
    return out


def abuse_notifications(files: Path, person_of: dict) -> dict[str, list[date]]:
    notified: dict[str, list[date]] = defaultdict(list)
    for agency, record_id, when, payload in events(files, "police_notification"):
        if payload.get("notification_type") == "domestic_abuse":
            notified[person_of[(agency, record_id)]].append(when.date())
    return {person: sorted(days) for person, days in notified.items()}


# -- the calendar ----------------------------------------------------------------------------


def test_marks_cover_last_year_and_this_year_only_on_school_days(
    con: duckdb.DuckDBPyConnection,
) -> None:
    days = {d for (d,) in con.execute("SELECT DISTINCT day FROM marks").fetchall()}
    first, last = min(days), max(days)
    assert first == date(2025, 9, 3) and last == date(2026, 10, 23) < REFERENCE_DATE
    assert all(d.weekday() < 5 for d in days), "a mark on a weekend"
    for start, stop in HOLIDAYS:
        hit = [d for d in days if date.fromisoformat(start) <= d <= date.fromisoformat(stop)]
        assert not hit, f"marks in the holiday {start}..{stop}: {hit[:3]}"
    # Every weekday in term is a school day that has marks.
    for name, (start, stop) in TERMS.items():
        day, stop_day = date.fromisoformat(start), date.fromisoformat(stop)
        while day <= stop_day:
            holiday = any(a <= day.isoformat() <= b for a, b in HOLIDAYS)
            if day.weekday() < 5 and not holiday:
                assert day in days, f"no marks on {day} in {name}"
            day += timedelta(days=1)
    # 2025/26 is a full year of about 190 school days (the DfE's 380 sessions).
    year = [d for d in days if d <= date(2026, 7, 31)]
    assert 185 <= len(year) <= 195


def test_every_pupil_has_one_am_and_one_pm_mark_per_day_on_roll(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = con.execute(
        "SELECT count(*), count(DISTINCT (agency, record_id, day, session)), "
        "list(DISTINCT session ORDER BY session) FROM marks"
    ).fetchone()
    assert row is not None
    total, distinct, sessions = row
    assert total == distinct > 500_000
    assert sessions == ["AM", "PM"]
    lone = con.execute(
        "SELECT count(*) FROM (SELECT agency, record_id, day FROM marks "
        "GROUP BY ALL HAVING count(*) <> 2)"
    ).fetchone()
    assert lone == (0,)


# -- base rates by group --------------------------------------------------------------------


def _absence_by_person(con: duckdb.DuckDBPyConnection, start: str, stop: str) -> dict:
    rows = con.execute(
        "SELECT person, avg(absent), count(*) FROM marks WHERE category NOT IN "
        "('not_possible', 'no_mark') AND day BETWEEN ? AND ? GROUP BY person",
        [start, stop],
    ).fetchall()
    return {person: rate for person, rate, n in rows if n >= 100}


def test_disadvantaged_and_sen_pupils_miss_more_school(
    con: duckdb.DuckDBPyConnection, files: Path, person_of: dict
) -> None:
    notified = abuse_notifications(files, person_of)
    absence = _absence_by_person(con, "2025-09-03", "2026-07-21")
    rows = census(files)
    pupils = [p for p in absence if p in rows and p not in notified]

    def group(test: object) -> list[float]:
        members = [absence[p] for p in pupils if test(rows[p])]  # type: ignore[operator]
        assert len(members) >= 150
        return members

    fsm, not_fsm = (
        group(lambda r: r["FSMeligible"] == "Y"),
        group(lambda r: r["FSMeligible"] == "N"),
    )
    assert statistics.mean(fsm) > 1.4 * statistics.mean(not_fsm)
    pa_fsm = sum(a > 0.1 for a in fsm) / len(fsm)
    pa_not = sum(a > 0.1 for a in not_fsm) / len(not_fsm)
    assert pa_fsm > 1.5 * pa_not  # persistent absence: missing 10% or more
    sen = group(lambda r: r["SENprovision"] in ("K", "E"))
    no_sen = group(lambda r: r["SENprovision"] == "N")
    assert statistics.mean(sen) > 1.2 * statistics.mean(no_sen)
    # The area as a whole: most pupils attend well, a long tail does not.
    everyone = list(absence.values())
    assert 0.04 <= statistics.mean(everyone) <= 0.10
    assert 0.08 <= sum(a > 0.1 for a in everyone) / len(everyone) <= 0.30
    assert any(a > 0.5 for a in everyone)  # severe absence exists


def test_census_ethnicity_fsm_and_sen_are_plausible(area: Area, files: Path) -> None:
    rows = list(census(files).values())
    dfe = {
        "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
        "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    }  # fmt: skip
    assert {r["Ethnicity"] for r in rows} <= dfe
    assert sum(r["Ethnicity"] == "NOBT" for r in rows) / len(rows) < 0.06
    fsm = sum(r["FSMeligible"] == "Y" for r in rows) / len(rows)
    support = sum(r["SENprovision"] == "K" for r in rows) / len(rows)
    plan = sum(r["SENprovision"] == "E" for r in rows) / len(rows)
    assert 0.15 <= fsm <= 0.35 and 0.08 <= support <= 0.22 and 0.02 <= plan <= 0.08
    # Disadvantage differs by ethnicity as nationally (so ethnicity disparities run through it).
    higher = [r for r in rows if r["Ethnicity"] in ("BCRB", "MWBC", "ABAN", "APKN", "BAFR")]
    lower = [r for r in rows if r["Ethnicity"] in ("AIND", "CHNE")]
    assert len(higher) >= 100 and len(lower) >= 50

    def rate(group: list[dict[str, str]]) -> float:
        return sum(r["FSMeligible"] == "Y" for r in group) / len(group)

    assert rate(higher) > 2 * rate(lower)


# -- domestic abuse and what follows ----------------------------------------------------------


def test_absence_rises_after_a_domestic_abuse_notification(
    con: duckdb.DuckDBPyConnection, files: Path, person_of: dict
) -> None:
    """Difference in differences: each notified child's absence in the 8 school weeks after
    the notification against the 6 before, less the same change over the same dates for the
    children with no notification who share their FSM status."""
    notified = abuse_notifications(files, person_of)
    fsm = {p: r["FSMeligible"] == "Y" for p, r in census(files).items()}
    daily: dict[bool, dict[date, float]] = defaultdict(
        dict
    )  # FSM status -> day -> absence rate of children never notified
    for is_fsm, day, rate in con.execute(
        "SELECT fsm, day, avg(absent) FROM marks JOIN (SELECT unnest(?) AS person, "
        "unnest(?) AS fsm) USING (person) WHERE person NOT IN (SELECT unnest(?)) GROUP BY ALL",
        [list(fsm), list(fsm.values()), list(notified)],
    ).fetchall():
        daily[is_fsm][day] = rate
    register_days = sorted(daily[False])
    own: dict[str, dict[date, float]] = defaultdict(dict)
    for person, day, rate in con.execute(
        "SELECT person, day, avg(absent) FROM marks WHERE person IN (SELECT unnest(?)) "
        "GROUP BY ALL",
        [list(notified)],
    ).fetchall():
        own[person][day] = rate
    excess, unexplained_after, unexplained_before = [], [], []
    for person, days in notified.items():
        # Each notification with none in the 120 days before it.
        first = next(d for i, d in enumerate(days) if i == 0 or (d - days[i - 1]).days > 120)
        before = [d for d in register_days if first - timedelta(days=42) <= d < first]
        after = [d for d in register_days if first <= d < first + timedelta(days=56)]
        mine = own.get(person, {})
        before, after = [d for d in before if d in mine], [d for d in after if d in mine]
        if len(before) < 15 or len(after) < 25:
            continue
        base = daily[fsm.get(person, False)]
        change = statistics.mean(mine[d] for d in after) - statistics.mean(mine[d] for d in before)
        expected = statistics.mean(base[d] for d in after) - statistics.mean(
            base[d] for d in before
        )
        excess.append(change - expected)
    assert len(excess) >= 30, "too few notified children with registers either side"
    assert statistics.mean(excess) > 0.04  # four or more points of extra absence
    assert sum(e > 0 for e in excess) / len(excess) > 0.6
    # ... and more of it is unexplained (code N) than before the notification.
    for person, days in notified.items():
        first = days[0]
        row = con.execute(
            "SELECT count(*) FILTER (code = 'N' AND day >= ?), count(*) FILTER (day >= ?), "
            "count(*) FILTER (code = 'N' AND day < ?), count(*) FILTER (day < ?) FROM marks "
            "WHERE person = ? AND day BETWEEN ? AND ?",
            [first, first, first, first, person, first - timedelta(days=70),
             first + timedelta(days=70)],
        ).fetchone()  # fmt: skip
        assert row is not None
        if row[1] and row[3]:
            unexplained_after.append(row[0] / row[1])
            unexplained_before.append(row[2] / row[3])
    assert statistics.mean(unexplained_after) > 2 * statistics.mean(unexplained_before)


def test_suspensions_are_more_likely_in_the_months_after_a_notification(
    files: Path, person_of: dict
) -> None:
    """Within the same children: suspensions per school day on roll in the 182 days after a
    notification against their other days (before it, or long after)."""
    notified = abuse_notifications(files, person_of)
    suspended: dict[str, list[date]] = defaultdict(list)
    for path in files.glob("school-*-exclusions.csv"):
        agency = path.name.removesuffix("-exclusions.csv")
        for row in read_csv(path):
            if row["Category"] == "FIXD":
                person = person_of[(agency, row["PupilRef"])]
                suspended[person].append(date.fromisoformat(row["StartDate"]))
    exposed_days = other_days = exposed_n = other_n = 0
    for path in files.glob("school-*[0-9].csv"):
        for row in read_csv(path):
            person = person_of[(path.stem, row["PupilRef"])]
            if person not in notified:
                continue
            stop = date.fromisoformat(row["LeavingDate"]) if row["LeavingDate"] else REFERENCE_DATE
            for day in school_days(date.fromisoformat(row["EntryDate"]), stop):
                after = any(0 <= (day - n).days < 182 for n in notified[person])
                count = suspended[person].count(day)
                if after:
                    exposed_days, exposed_n = exposed_days + 1, exposed_n + count
                else:
                    other_days, other_n = other_days + 1, other_n + count
    assert exposed_n >= 10 and other_n >= 5
    assert exposed_n / exposed_days > 1.8 * (other_n / other_days)


def test_a_notification_is_often_followed_by_a_referral_to_social_care(
    files: Path, person_of: dict
) -> None:
    """From the CIN census: children referred within 120 days after a notification, against
    children with no notification referred in any 120 days (a generous comparison)."""
    notified = abuse_notifications(files, person_of)
    referred: dict[str, list[date]] = defaultdict(list)
    root = ElementTree.parse(files / "social-care-cin-census.xml").getroot()
    for child in root.iter("Child"):
        la_id = child.findtext("ChildIdentifiers/LAchildID", "")
        for detail in child.iter("CINdetails"):
            day = date.fromisoformat(detail.findtext("CINreferralDate", ""))
            referred[person_of[("social-care", la_id)]].append(day)
    followed = sum(
        any(0 <= (r - n).days <= 120 for n in days for r in referred.get(person, []))
        for person, days in notified.items()
    )
    everyone = {p for (a, _), p in person_of.items() if a == "health"}
    others = everyone - set(notified)
    others_referred = sum(bool(referred.get(p)) for p in others)
    assert followed / len(notified) > 0.2
    # Even counting a referral at any time for the others, the notified are far more often
    # referred in the four months after a notification.
    assert followed / len(notified) > 3 * others_referred / len(others)


# -- school moves, part-time timetables, alternative provision --------------------------------


def test_missing_education_comes_after_twenty_days_of_unexplained_absence(
    con: duckdb.DuckDBPyConnection, files: Path
) -> None:
    cme = events(files, "missing_education")
    assert cme
    for agency, record_id, when, _ in cme:
        codes = [
            c
            for (c,) in con.execute(
                "SELECT code FROM marks WHERE agency = ? AND record_id = ? AND day < ? "
                "ORDER BY day DESC, session DESC LIMIT 40",
                [agency, record_id, when.date()],
            ).fetchall()
        ]
        if len(codes) == 40:  # the run lies within the registers' years
            assert set(codes) == {"N"}, (agency, record_id)
        roll = {r["PupilRef"]: r for r in read_csv(files / f"{agency}.csv")}
        assert roll[record_id]["LeavingDate"] == when.date().isoformat()
    ehe = events(files, "elective_home_education")
    assert ehe
    for agency, record_id, when, _ in ehe:
        roll = {r["PupilRef"]: r for r in read_csv(files / f"{agency}.csv")}
        assert roll[record_id]["LeavingDate"] == when.date().isoformat()


def test_part_time_timetables_alternative_provision_and_suspensions_show_in_the_register(
    con: duckdb.DuckDBPyConnection, files: Path
) -> None:
    part_time = con.execute(
        "SELECT list(DISTINCT session), count(DISTINCT (agency, record_id)) FROM marks "
        "WHERE code = 'C2'"
    ).fetchone()
    assert part_time is not None
    assert part_time[0] == ["PM"] and part_time[1] >= 3  # afternoons off
    placed = {(a, rid): when.date() for a, rid, when, _ in events(files, "alternative_provision")}
    assert placed
    off_site = con.execute(
        "SELECT agency, record_id, min(day), list(DISTINCT dayname(day)) FROM marks "
        "WHERE code = 'B' GROUP BY ALL"
    ).fetchall()
    assert off_site
    for agency, record_id, first, weekdays in off_site:
        assert (agency, record_id) in placed and placed[(agency, record_id)] <= first
        assert set(weekdays) <= {"Tuesday", "Thursday"}
    starts: dict[tuple[str, str], list[date]] = defaultdict(list)
    for path in files.glob("school-*-exclusions.csv"):
        agency = path.name.removesuffix("-exclusions.csv")
        for row in read_csv(path):
            starts[(agency, row["PupilRef"])].append(date.fromisoformat(row["StartDate"]))
    for agency, record_id, day in con.execute(
        "SELECT agency, record_id, day FROM marks WHERE code = 'E'"
    ).fetchall():  # a suspension is at most 10 sessions, so began within the last 5 school days
        began = starts[(agency, record_id)]
        assert any(s <= day and len(school_days(s, day)) < 5 for s in began), (record_id, day)


# -- the ground truth agrees with the files ----------------------------------------------------


def test_truth_terms_agree_with_the_registers_and_summaries(
    area: Area, con: duckdb.DuckDBPyConnection, files: Path, person_of: dict
) -> None:
    rows = con.execute(
        "SELECT person, count(*), sum(absent) FROM marks WHERE day BETWEEN ? AND ? GROUP BY ALL",
        list(TERMS["spring 2026"]),
    ).fetchall()
    assert len(rows) > 1000
    for person, possible, absent in rows:
        counts = area.truth.children[person].terms["Spring term 2026"]
        assert (counts.possible, counts.possible - counts.attended) == (possible, absent)
    summaries = events(files, "attendance_summary")
    labels = {payload["term"] for *_, payload in summaries}
    assert {"Autumn term 2024", "Spring term 2025", "Summer term 2025"} <= labels
    for agency, record_id, _, payload in summaries[:2000]:
        if payload["term"] == "Spring term 2026":
            person = person_of[(agency, record_id)]
            got = con.execute(
                "SELECT count(*), sum(absent) FROM marks WHERE agency = ? AND record_id = ? "
                "AND day BETWEEN ? AND ?",
                [agency, record_id, *TERMS["spring 2026"]],
            ).fetchone()
            assert got == (payload["sessions_possible"], payload["sessions_possible"]
                           - payload["sessions_attended"]), person  # fmt: skip
