"""The demo area loads through the real models, links records as the ground truth says,
and its logins see what the access model says they should."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from joinedup.access.audit import audit_verify
from joinedup.access.children import visible_children
from joinedup.demo.area_setup import DEMO_PASSWORD
from joinedup.demo.generator import generate_area
from joinedup.demo.loader import area_load
from joinedup.governance.models import AgencyType, StaffUser
from joinedup.people.models import Child, Involvement, SourceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> dict:
    area = generate_area(children=300, seed=11, schools=4)
    summary = area_load(area)
    return {"area": area, "summary": summary}


def test_every_record_is_linked_to_its_true_child(loaded: dict) -> None:
    area = loaded["area"]
    truth = {(r.agency_code, r.record_id): r.person_id for r in area.records}
    assert SourceRecord.objects.count() == len(area.records)
    # Records of one true person share one child, and different people never share one.
    child_of_person: dict[str, int] = {}
    for record in SourceRecord.objects.select_related("agency"):
        person = truth[(record.agency.code, record.record_id)]
        assert child_of_person.setdefault(person, record.child_id) == record.child_id
    assert len(set(child_of_person.values())) == len(child_of_person) == Child.objects.count()


def test_load_is_audited_and_the_chain_verifies(loaded: dict) -> None:
    result = audit_verify()
    assert result.ok and result.entries_checked >= 2


def test_demo_logins_work_and_see_only_their_own(loaded: dict) -> None:
    dsl = StaffUser.objects.get(username="dsl")
    dsl2 = StaffUser.objects.get(username="dsl2")
    assert dsl.check_password(DEMO_PASSWORD)
    mine = set(visible_children(dsl, purpose="safeguarding").values_list("pk", flat=True))
    theirs = set(visible_children(dsl2, purpose="safeguarding").values_list("pk", flat=True))
    assert mine and theirs and not (mine & theirs - _dual_roll(dsl, dsl2))
    on_roll = set(
        Involvement.objects.filter(agency=dsl.agency, ended_on__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    assert mine == on_roll
    assert not visible_children(StaffUser.objects.get(username="analyst"), purpose="safeguarding")


def _dual_roll(a: StaffUser, b: StaffUser) -> set[int]:
    """Children on both schools' rolls at once (a school move within the open window)."""
    rows = Involvement.objects.filter(ended_on__isnull=True, agency__in=[a.agency, b.agency])
    seen: dict[int, set[int]] = {}
    for child_id, agency_id in rows.values_list("child_id", "agency_id"):
        seen.setdefault(child_id, set()).add(agency_id)
    return {c for c, agencies in seen.items() if len(agencies) > 1}


def test_social_worker_is_lead_professional_on_allocated_cases(loaded: dict) -> None:
    worker = StaffUser.objects.get(username="social.worker")
    allocated = Involvement.objects.filter(worker=worker)
    assert allocated.exists()
    assert all(i.is_lead_professional for i in allocated)
    assert all(i.agency.agency_type == AgencyType.SOCIAL_CARE for i in allocated)


def test_loading_twice_is_refused(loaded: dict) -> None:
    with pytest.raises(CommandError, match="already holds an area"):
        call_command("demo_data", "load", "--children", "20", "--seed", "2")


def test_if_empty_leaves_a_loaded_area_alone(loaded: dict, capsys: pytest.CaptureFixture) -> None:
    call_command("demo_data", "load", "--children", "20", "--if-empty")
    out = capsys.readouterr().out
    assert "already loaded" in out and "dsl2" in out
    assert Child.objects.count() == 300


def test_generate_command_writes_extracts_and_ground_truth(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "area"
    call_command("demo_data", "generate", "--children", "50", "--seed", "4", "--out", str(out))
    names = {p.name for p in out.iterdir()}
    assert {"manifest.json", "ground_truth.csv", "people.csv", "health.csv"} <= names
    assert any(n.startswith("school-") for n in names)


def test_generate_command_rejects_silly_sizes(tmp_path: object) -> None:
    with pytest.raises(CommandError, match="--children must be at least 10"):
        call_command("demo_data", "generate", "--children", "3", "--out", str(tmp_path))
