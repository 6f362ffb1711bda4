"""Analysts see each link run's thresholds and trained model; nobody else sees the pages."""

from __future__ import annotations

import math

import pytest
from django.core.management import call_command
from django.test import Client

from joinedup.demo.generator import generate_area
from joinedup.governance.models import Role
from joinedup.people.models import LinkRun
from tests import factories as f
from tests.people.area import area_records_load

pytestmark = pytest.mark.django_db


def _load_small_area() -> None:
    area_records_load(generate_area(children=300, seed=11, schools=2))


def test_analyst_sees_the_trained_model_and_thresholds(client: Client) -> None:
    _load_small_area()
    call_command("link")
    run = LinkRun.objects.get()
    client.force_login(f.staff(Role.DATA_ANALYST, f.agency()))

    listing = client.get("/linkage/runs/")
    assert listing.status_code == 200
    assert f'href="/linkage/runs/{run.pk}/"' in listing.content.decode()

    page = client.get(f"/linkage/runs/{run.pk}/").content.decode()
    assert f"{run.records}" in page
    assert "Probability at or above which the model links two records" in page
    assert f"{run.thresholds['match_threshold']:g}" in page
    # Every trained comparison and level is shown with the weight the run saved.
    comparisons = run.model["comparisons"]
    assert comparisons, "a run over several agencies trains a model"
    for name, levels in comparisons.items():
        assert name.replace("_", " ").capitalize() in page
        for level in levels:
            assert str(level["label"]) in page or level["label"].replace("'", "&#x27;") in page
            weight = level["match_weight"]
            if isinstance(weight, float) and math.isfinite(weight):
                assert f"{weight:+.1f}" in page


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.SOCIAL_WORKER, Role.INFORMATION_GOVERNANCE_OFFICER]
)
def test_other_roles_get_not_found(client: Client, role: str) -> None:
    run = LinkRun.objects.create(records=3, clusters=2)
    client.force_login(f.staff(role, f.agency()))
    assert client.get("/linkage/runs/").status_code == 404
    assert client.get(f"/linkage/runs/{run.pk}/").status_code == 404


def test_missing_run_is_not_found_and_empty_list_says_what_to_do(client: Client) -> None:
    client.force_login(f.staff(Role.DATA_ANALYST, f.agency()))
    assert client.get("/linkage/runs/999/").status_code == 404
    assert "No link runs yet" in client.get("/linkage/runs/").content.decode()
