"""The demo's set-up is an area file kept in the repository plus a schools file the demo writes
next to its extracts; both apply through `joinedup area apply`."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.demo.area_setup import AREA_FILE, SCHOOLS_FILE_NAME, TEAMS, schools_area_toml
from joinedup.demo.generator import generate_area
from joinedup.demo.writer import write_area
from joinedup.governance.models import Agency, SharingAgreement, Team
from tests.governance.area_helpers import run

pytestmark = pytest.mark.django_db


def test_the_demo_files_apply_together_and_match_the_generator(tmp_path: Path) -> None:
    area = generate_area(children=20, seed=5, schools=3)
    write_area(area, tmp_path)
    schools = tmp_path / SCHOOLS_FILE_NAME
    assert schools.read_text("utf-8") == schools_area_toml(area)
    run("area", "apply", AREA_FILE, schools)
    generated = {a.code: a.agency_type for a in area.agencies}
    stored = dict(Agency.objects.values_list("code", "agency_type"))
    assert stored == generated | {"local-authority": "social_care"}
    for agency in Agency.objects.exclude(code="local-authority"):
        expected = {code for kind, code, _ in TEAMS if kind == agency.agency_type}
        assert set(Team.objects.filter(agency=agency).values_list("code", flat=True)) == expected
    school_codes = {c for c, t in generated.items() if t == "school"}
    pilot = SharingAgreement.objects.get(code="youth-support-pilot-2024")
    assert pilot.status == "ended"
    partnership = SharingAgreement.objects.get(code="safeguarding-partnership")
    assert set(partnership.parties.values_list("code", flat=True)) == set(stored)
    assert school_codes <= set(pilot.parties.values_list("code", flat=True))
    assert run("area", "apply", AREA_FILE, schools).startswith("No changes")
