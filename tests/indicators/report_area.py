"""A small school for the fairness report tests: 120 pupils, two short terms of marks.

Autumn 2025 (3 weeks in November) and spring 2026 (3 weeks in January). Pupils 0-39 miss one
school day in four in autumn (75 %: persistently absent); in spring pupils 0-29 still do, 30-39
recover, and 40-51 start to (missed by any flag raised in autumn). Absence is illness (I), so
no unauthorised-absence rule fires. Pupils 0-9 are also suspended in spring.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import Agency, AgencyType
from joinedup.ingest.services import import_file
from joinedup.people.models import Child, SourceRecord
from tests import factories

URN = "100001"
AUTUMN = (date(2025, 11, 3), date(2025, 11, 21))
SPRING = (date(2026, 1, 5), date(2026, 1, 23))
PUPILS = 120


@dataclass
class ReportArea:
    school: Agency
    children: list[Child]
    flagged_in_autumn: set[int]  # indexes
    absent_in_spring: set[int]
    suspended_in_spring: set[int]


def school_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build(tmp_path: Path) -> ReportArea:
    school = factories.agency(AgencyType.SCHOOL, code=f"school-{URN}", urn=URN)
    children = []
    for n in range(PUPILS):
        child = factories.child(sex="F" if n % 2 else "M", family_name=f"Pupil{n}")
        SourceRecord.objects.create(
            agency=school,
            record_id=f"P{n}",
            child=child,
            given_name=child.given_name,
            family_name=child.family_name,
            raw={
                "Ethnicity": ("WBRI", "APKN", "BCRB")[n % 3],
                "FSMeligible": "Y" if n % 4 == 0 else "N",
                "SENprovision": "K" if n % 5 == 0 else "N",
            },
        )
        children.append(child)
    autumn_poor = set(range(40))
    spring_poor = set(range(30)) | set(range(40, 52))
    path = tmp_path / "marks.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["record_id", "upn", "school_urn", "date", "session", "code"])
        for poor, (start, end) in ((autumn_poor, AUTUMN), (spring_poor, SPRING)):
            for i, day in enumerate(school_days(start, end)):
                for n in range(PUPILS):
                    absent = n in poor and (i + n) % 4 == 0
                    for session, present in (("AM", "/"), ("PM", "\\")):
                        code = "I" if absent else present
                        out.writerow([f"P{n}", "", URN, day.isoformat(), session, code])
    import_file(actor=None, source_format="attendance", path=path, agency_code=school.code)
    suspended = set(range(10))
    for n in suspended:
        factories.event(
            children[n],
            school,
            EventType.SUSPENSION,
            occurred_at=datetime(2026, 1, 14, 12, 0, tzinfo=UTC),
            payload={"sessions": 2},
        )
    return ReportArea(school, children, autumn_poor, spring_poor, suspended)
