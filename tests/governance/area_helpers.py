"""Helpers for the area file tests: a small valid area, and running the commands."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_AREA = ROOT / "docs" / "examples" / "area.toml"
EXAMPLE_STAFF = ROOT / "docs" / "examples" / "staff.csv"

SMALL = """
[[agencies]]
code = "council"
name = "Council"
type = "social_care"

[[agencies]]
code = "school-100123"
name = "Riverford Primary"
type = "school"
urn = "100123"

[[teams]]
agency = "council"
code = "assessment"
name = "Assessment"

[[staff]]
first_name = "Sam"
last_name = "Okafor"
email = "Sam.Okafor@example.org"
agency = "council"
team = "assessment"
role = "social_worker"
staff_number = "RB1"

[[staff]]
first_name = "Priya"
last_name = "Nair"
email = "priya@example.org"
agency = "school-100123"
role = "dsl"

[[agreements]]
code = "safeguarding"
title = "Safeguarding"
status = "live"
parties = ["type:school", "council"]
purposes = ["safeguarding"]
article_6_basis = "6(1)(e)"
event_types = ["referral"]
fields = ["summary"]
retention = "25 years"
starts = 2025-04-01
review = 2027-03-31
"""


def run(*args: object) -> str:
    out = StringIO()
    call_command(*[str(a) for a in args], stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
