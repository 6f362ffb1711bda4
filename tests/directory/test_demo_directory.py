"""The demo's synthetic directory goes through the real importer: ~40 services, a few stale,
a few not active, one rejected, some linked to the demo agencies."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.demo.area_setup import TEAMS
from joinedup.demo.directory_data import directory_import_and_link, write_directory
from joinedup.demo.generator import generate_area
from joinedup.directory.models import Service
from joinedup.directory.selectors import service_search
from joinedup.governance.models import Agency, Role, Team
from tests import factories as f

pytestmark = pytest.mark.django_db

DEMO_AGENCIES = {
    "early-help": "early_help",
    "youth-service": "youth_service",
    "health": "health",
    "voluntary-sector": "voluntary",
    "housing": "housing",
    "youth-justice": "youth_justice",
}


@pytest.fixture(scope="module")
def area():  # type: ignore[no-untyped-def]
    return generate_area(children=10, seed=3, schools=2)


def test_same_area_same_file(area, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = write_directory(area, tmp_path / "a").read_bytes()
    assert first == write_directory(area, tmp_path / "b").read_bytes()


def test_demo_directory_imports_and_links(area, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for code, agency_type in DEMO_AGENCIES.items():
        agency = Agency.objects.create(code=code, name=code, agency_type=agency_type)
        for kind, team_code, name in TEAMS:
            if kind == agency_type:
                Team.objects.create(agency=agency, code=team_code, name=name)
    run = directory_import_and_link(area, tmp_path)
    assert (run.services_loaded, run.services_rejected) == (39, 1)
    assert run.problems[0]["field"] == "eligibilitys[0].minimum_age"
    assert Service.objects.exclude(status="active").count() == 4
    linked = Service.objects.filter(agency__isnull=False)
    assert linked.count() >= 10
    assert all(s.status == "active" for s in linked)
    viewer = f.staff(Role.TEACHER, f.agency())
    hits = service_search(viewer=viewer, limit=100)
    # five are stale at the area's reference date; more as real time passes it
    assert sum(h.is_stale for h in hits) >= 5
    assert any(h.receives_referrals for h in hits)
    for name in Service.objects.values_list("organisation__name", flat=True):
        assert "example" not in name.lower()
