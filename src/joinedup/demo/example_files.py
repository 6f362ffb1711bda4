"""Extract files for the small example area of "Run your own area" (README), dated from a day.

A real area's extracts are always fresh, and early-warning rules look back from today, so the
example files are written for the day they are made rather than kept with fixed dates: each
school's roll (`school-census`), a permanent exclusion and a suspension at each school
(`exclusions`), and children's social care's person list (`persons`) and case list
(`involvements`, a full list). Synthetic people only, from the demo's name lists and a
seeded generator.
"""

from __future__ import annotations

import csv
import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from joinedup.demo import names as N
from joinedup.linkage.identifiers import upn_check_letter

PUPILS_PER_SCHOOL = 12
STREETS = ("Mill Lane", "Canal Street", "Station Road", "Church View", "Moor Road", "Oak Drive")
UNIT = N.POSTCODE_UNIT_LETTERS


@dataclass(frozen=True)
class ExampleSchool:
    code: str
    urn: str


@dataclass(frozen=True)
class ExamplePupil:
    record_id: str
    upn: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    address: str


@dataclass(frozen=True)
class ExampleFile:
    source_format: str
    agency_code: str
    path: Path
    options: tuple[str, ...] = ()


def _weekday_before(day: date, days: int) -> date:
    d = day - timedelta(days=days)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def _school_year_start(as_of: date) -> date:
    return date(as_of.year if as_of.month >= 9 else as_of.year - 1, 9, 1)


def _pupils(school: ExampleSchool, index: int, as_of: date, r: random.Random) -> list[ExamplePupil]:
    pupils = []
    for n in range(PUPILS_PER_SCHOOL):
        sex = r.choice("MF")
        age = r.randint(5, 15)
        born = as_of - timedelta(days=365 * age + r.randint(0, 364))
        serial = f"{300 + index:03d}{4000 + index:04d}{born.year % 100:02d}{n + 1:03d}"
        pupils.append(
            ExamplePupil(
                record_id=f"P{index + 1}{n + 1:04d}",
                upn=upn_check_letter(serial) + serial,
                given_name=r.choice(N.given_names(sex)),
                family_name=r.choice(N.family_names()),
                date_of_birth=born,
                sex=sex,
                postcode=f"JU{index + 1} {r.randint(1, 9)}{''.join(r.sample(UNIT, 2))}",
                address=f"{r.randint(1, 120)} {r.choice(STREETS)}",
            )
        )
    return pupils


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def example_files_write(
    out_dir: Path,
    *,
    schools: list[ExampleSchool],
    social_care_code: str,
    as_of: date,
    seed: int = 1,
) -> list[ExampleFile]:
    """Write the example extracts to `out_dir`; the files in the order to import them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    r = random.Random(seed)
    files: list[ExampleFile] = []
    rolls: dict[str, list[ExamplePupil]] = {}
    for index, school in enumerate(schools):
        pupils = _pupils(school, index, as_of, r)
        rolls[school.code] = pupils
        entry = _school_year_start(as_of)
        path = out_dir / f"school-census-{school.code}.csv"
        _write(
            path,
            ["PupilRef", "UPN", "Surname", "Forename", "DOB", "Sex", "Postcode", "AddressLine1"]
            + ["URN", "EntryDate"],
            [
                [p.record_id, p.upn, p.family_name, p.given_name, p.date_of_birth.isoformat()]
                + [p.sex, p.postcode, p.address, school.urn, entry.isoformat()]
                for p in pupils
            ],
        )
        files.append(ExampleFile("school-census", school.code, path))

    files += _social_care_files(out_dir, schools, rolls, social_care_code, as_of)

    for school in schools:
        pupils = rolls[school.code]
        path = out_dir / f"exclusions-{school.code}.csv"
        _write(
            path,
            ["PupilRef", "Category", "StartDate", "Reason", "Sessions"],
            [
                [pupils[2].record_id, "PERM", _weekday_before(as_of, 20).isoformat(), "PA", ""],
                [pupils[3].record_id, "FIXD", _weekday_before(as_of, 30).isoformat(), "VA", "4"],
            ],
        )
        files.append(ExampleFile("exclusions", school.code, path))
    return files


def _social_care_files(
    out_dir: Path,
    schools: list[ExampleSchool],
    rolls: dict[str, list[ExamplePupil]],
    social_care_code: str,
    as_of: date,
) -> list[ExampleFile]:
    """Children's social care's person list (the first two pupils of each school) and its case
    list, a full list."""
    social_care_people: list[tuple[str, ExamplePupil]] = []
    for school in schools:
        # The first two pupils of each school are known to children's social care too.
        for p in rolls[school.code][:2]:
            social_care_people.append((f"LA{len(social_care_people) + 1:05d}", p))
    path = out_dir / f"persons-{social_care_code}.csv"
    _write(
        path,
        ["record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "upn"],
        [
            # Social care's record spells the name in capitals, as case systems often do.
            [rid, p.given_name.upper(), p.family_name.upper(), p.date_of_birth.isoformat()]
            + [p.sex, p.postcode, p.upn]
            for rid, p in social_care_people
        ],
    )
    files = [ExampleFile("persons", social_care_code, path)]

    # Social care's case list: who works with each child, and who is the lead professional.
    # Workers by staff number, as the example area file (docs/examples/area.toml) gives them.
    path = out_dir / f"involvements-{social_care_code}.csv"
    started = _weekday_before(as_of, 90)
    cases = [
        ["assessment", "RB10231", "Child and family assessment", "Specialist", "yes"],
        ["assessment", "RB10231", "Child in need plan", "Specialist", "yes"],
        ["children-in-care", "RB10477", "Looked after child", "Specialist", "yes"],
        ["assessment", "", "Awaiting allocation", "Targeted", "no"],
    ]
    _write(
        path,
        ["record_id", "case_id", "team", "worker", "description", "level", "started_on"]
        + ["ended_on", "lead_professional"],
        [
            [rid, f"CASE-{n + 1:04d}", *case[:4], started.isoformat(), "", case[4]]
            for n, ((rid, _), case) in enumerate(zip(social_care_people, cases, strict=False))
        ],
    )
    files.append(ExampleFile("involvements", social_care_code, path, ("--full-list",)))
    return files


def example_files_from_area(
    area_file: Path, out_dir: Path, *, social_care_code: str, as_of: date
) -> list[ExampleFile]:
    """The example extracts for the schools an area file declares (see docs/area.md)."""
    try:
        data = tomllib.loads(area_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{area_file}: cannot be read as an area file ({exc}).") from exc
    agencies = [a for a in data.get("agencies", []) if isinstance(a, dict)]
    schools = [
        ExampleSchool(str(a["code"]), str(a.get("urn", "")))
        for a in agencies
        if a.get("type") == "school" and a.get("code") and not a.get("ended_on")
    ]
    if not schools:
        raise ValueError(f'{area_file}: declares no school (an agency with type = "school").')
    if social_care_code not in {a.get("code") for a in agencies}:
        raise ValueError(f"{area_file}: declares no agency with code {social_care_code!r}.")
    return example_files_write(
        out_dir, schools=schools, social_care_code=social_care_code, as_of=as_of
    )
