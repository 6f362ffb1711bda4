"""The front door's "unknown to services" list: red or escalation flags, no open involvement
by a targeted or specialist service, the minimum shown, decisions audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.indicators.models import FlagDecision
from joinedup.indicators.selectors import unknown_to_services_list
from tests import factories as f
from tests.indicators import worklist_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict[str, Any]:
    return worklist_area.build()


def _ids(viewer: Any, purpose: str = "early_help") -> list[str]:
    w = unknown_to_services_list(viewer=viewer, purpose=purpose)
    return [i.child_id for i in w.to_decide + w.decided]


def test_red_flags_of_children_no_service_knows_are_listed(area: dict) -> None:
    # a2 and b1: red, only on a school roll. a1: amber, and early help is involved.
    assert sorted(_ids(area["eh_manager"])) == sorted([area["a2"].child_id, area["b1"].child_id])


def test_an_open_targeted_service_involvement_takes_a_child_off(area: dict) -> None:
    youth_justice = f.agency(AgencyType.YOUTH_JUSTICE)
    f.involvement(area["b1"], youth_justice)
    assert _ids(area["eh_manager"]) == [area["a2"].child_id]


def test_an_ended_involvement_or_universal_service_does_not_count(area: dict) -> None:
    f.involvement(area["b1"], area["social_care"], ended_on=date(2025, 1, 31))
    f.involvement(area["b1"], f.agency(AgencyType.HEALTH), description="Health visiting")
    assert area["b1"].child_id in _ids(area["eh_manager"])


def test_an_escalation_flag_counts_even_when_amber(area: dict) -> None:
    pupil = f.child()
    f.involvement(pupil, area["school_a"])
    f.source_record(pupil, area["school_a"])
    f.flag(pupil, level="amber")
    assert pupil.child_id not in _ids(area["eh_manager"])
    f.flag(pupil, rule_id="escalation", level="amber", value=2, threshold=2, is_escalation=True)
    assert pupil.child_id in _ids(area["eh_manager"])


def test_only_flags_an_agreement_covers_for_the_front_door_are_listed(area: dict) -> None:
    other = f.agency(AgencyType.SCHOOL)  # no agreement with early help
    pupil = f.child()
    f.involvement(pupil, other)
    f.source_record(pupil, other)
    f.flag(pupil, level="red", threshold=80, value=70)
    w = unknown_to_services_list(viewer=area["eh_manager"], purpose="early_help")
    assert pupil.child_id not in [i.child_id for i in w.to_decide]
    assert w.withheld == 1


def test_page_shows_the_minimum_and_is_audited(client: Client, area: dict) -> None:
    client.force_login(area["eh_manager"])
    response = client.get("/worklist/unknown/")
    assert response.status_code == 200
    page = response.content.decode()
    assert area["a2"].child_id in page and "Brookfield Primary School" in page
    assert "Attendance over the last 6 school weeks" in page
    for name in ("Bramley", "Ben", "Colley", "71.5"):
        assert name not in page
    entry = AuditEvent.objects.get(actor=area["eh_manager"], action="worklist.unknown")
    assert sorted(entry.detail["results"]) == sorted([area["a2"].child_id, area["b1"].child_id])


@pytest.mark.parametrize("who", ["dsl_a", "eh_worker", "teacher_a"])
def test_only_front_door_team_managers_may_triage(client: Client, area: dict, who: str) -> None:
    client.force_login(area[who])
    assert client.get("/worklist/unknown/").status_code == 404


def test_a_school_team_manager_is_not_the_front_door(client: Client, area: dict) -> None:
    client.force_login(f.staff(Role.TEAM_MANAGER, area["school_a"]))
    assert client.get("/worklist/unknown/").status_code == 404


def test_triage_decision_is_recorded_and_audited(client: Client, area: dict) -> None:
    manager = area["eh_manager"]
    client.force_login(manager)
    child_id = area["a2"].child_id
    form = client.get(f"/worklist/unknown/?decide={child_id}").content.decode()
    assert f"Record a decision for {child_id}" in form
    response = client.post(
        "/worklist/unknown/",
        {"child_id": child_id, "decision": "refer", "reason": "Red attendance; no service."},
    )
    assert response.status_code == 302
    decision = FlagDecision.objects.get()
    assert decision.decision == "refer" and decision.agency == area["early_help"]
    assert list(decision.flags.all()) == [area["a2_att"]]
    entry = AuditEvent.objects.get(actor=manager, action="flags.decide")
    assert entry.detail["route"] == "triage" and entry.object_ref == str(decision.pk)
    w = unknown_to_services_list(viewer=manager, purpose="early_help")
    assert child_id in [i.child_id for i in w.decided]
    assert child_id not in [i.child_id for i in w.to_decide]


def test_triage_decision_needs_a_reason(client: Client, area: dict) -> None:
    client.force_login(area["eh_manager"])
    response = client.post(
        "/worklist/unknown/", {"child_id": area["a2"].child_id, "decision": "monitor"}
    )
    assert "Enter the reason for your decision." in response.content.decode()
    assert not FlagDecision.objects.exists()


def test_triage_of_a_child_not_on_the_list_is_404_and_audited(client: Client, area: dict) -> None:
    client.force_login(area["eh_manager"])
    response = client.post(
        "/worklist/unknown/",
        {"child_id": area["a1"].child_id, "decision": "monitor", "reason": "Try"},
    )
    assert response.status_code == 404
    assert not FlagDecision.objects.exists()
    denied = AuditEvent.objects.get(actor=area["eh_manager"], action="flags.decide")
    assert denied.outcome == "denied"


def test_triage_does_not_open_the_record(client: Client, area: dict) -> None:
    client.force_login(area["eh_manager"])
    assert client.get(f"/children/{area['a2'].child_id}/").status_code == 404
    assert client.get(f"/worklist/{area['a2'].child_id}/").status_code == 404


def test_the_navigation_offers_triage_only_to_the_front_door(client: Client, area: dict) -> None:
    client.force_login(area["eh_manager"])
    assert 'href="/worklist/unknown/"' in client.get("/").content.decode()
    client.force_login(area["dsl_a"])
    home = client.get("/").content.decode()
    assert 'href="/worklist/"' in home and 'href="/worklist/unknown/"' not in home
