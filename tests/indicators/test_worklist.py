"""Worklists through the access layer: who sees which flags, in what order, and deciding."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.governance.models import AuditEvent, Role
from joinedup.indicators.models import FlagDecision
from joinedup.indicators.selectors import worklist_list
from tests import factories as f
from tests.indicators import worklist_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict[str, Any]:
    return worklist_area.build()


def _ids(worklist: Any) -> list[str]:
    return [i.child_id for i in worklist.to_decide + worklist.decided]


def test_a_dsl_sees_their_own_pupils_and_never_another_schools(area: dict) -> None:
    mine = worklist_list(viewer=area["dsl_a"], purpose="safeguarding")
    theirs = worklist_list(viewer=area["dsl_b"], purpose="safeguarding")
    assert sorted(_ids(mine)) == sorted([area["a1"].child_id, area["a2"].child_id])
    assert _ids(theirs) == [area["b1"].child_id]


def test_the_worklist_page_shows_the_same_and_is_audited(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    page = client.get("/worklist/").content.decode()
    assert area["a1"].child_id in page and area["a2"].child_id in page
    assert area["b1"].child_id not in page and "Colley" not in page
    assert "Nothing is referred automatically" in page
    entry = AuditEvent.objects.get(actor=area["dsl_a"], action="worklist.list")
    assert sorted(entry.detail["results"]) == sorted([area["a1"].child_id, area["a2"].child_id])


def test_new_and_escalating_first_then_red_then_amber_then_earliest_due(area: dict) -> None:
    school = area["school_a"]
    today = timezone.localdate()
    extra = []
    for level, new, due_in in (("red", False, 3), ("red", False, 1), ("amber", False, 0)):
        pupil = f.child()
        f.involvement(pupil, school)
        f.source_record(pupil, school)
        f.flag(pupil, level=level, is_new=new, decision_due_on=today + timedelta(days=due_in))
        extra.append(pupil.child_id)
    escalating = f.child()
    f.involvement(escalating, school)
    f.source_record(escalating, school)
    f.flag(escalating, level="amber", is_new=False, is_rising=True)
    order = _ids(worklist_list(viewer=area["dsl_a"], purpose="safeguarding"))
    # a2 (new, red) and the rising one first; then red by due date; then amber by due date.
    assert order[:2] == [area["a2"].child_id, escalating.child_id]
    assert order[2:] == [extra[1], extra[0], extra[2], area["a1"].child_id]


def test_an_overdue_decision_is_shown(client: Client, area: dict) -> None:
    area["a2_att"].decision_due_on = timezone.localdate() - timedelta(days=1)
    area["a2_att"].save()
    worklist = worklist_list(viewer=area["dsl_a"], purpose="safeguarding")
    item = next(i for i in worklist.to_decide if i.child_id == area["a2"].child_id)
    assert item.overdue
    client.force_login(area["dsl_a"])
    assert "Overdue" in client.get("/worklist/").content.decode()


def test_early_help_team_sees_the_children_their_team_is_involved_with(area: dict) -> None:
    ids = _ids(worklist_list(viewer=area["eh_worker"], purpose="early_help"))
    assert ids == [area["a1"].child_id]
    # The police flag is not covered for early help's agency: withheld, and counted.
    worklist = worklist_list(viewer=area["eh_worker"], purpose="early_help")
    assert [fl.rule_id for fl in worklist.to_decide[0].flags] == ["attendance-6-weeks"]
    assert worklist.withheld == 1


def test_a_teacher_never_sees_a_special_category_flag(area: dict) -> None:
    worklist = worklist_list(viewer=area["teacher_a"], purpose="education")
    rules = {fl.rule_id for item in worklist.to_decide for fl in item.flags}
    assert "police-domestic-abuse" not in rules
    dsl = worklist_list(viewer=area["dsl_a"], purpose="safeguarding")
    assert "police-domestic-abuse" in {fl.rule_id for i in dsl.to_decide for fl in i.flags}


def test_an_escalation_is_withheld_when_a_flag_it_combines_is(area: dict) -> None:
    f.flag(area["a1"], rule_id="escalation", level="red", value=2, threshold=2, is_escalation=True)
    eh = worklist_list(viewer=area["eh_worker"], purpose="early_help")
    assert "escalation" not in {fl.rule_id for i in eh.to_decide for fl in i.flags}
    dsl = worklist_list(viewer=area["dsl_a"], purpose="safeguarding")
    assert "escalation" in {fl.rule_id for i in dsl.to_decide for fl in i.flags}


def test_no_relationship_sees_nothing_and_404_on_an_item(client: Client, area: dict) -> None:
    client.force_login(area["stranger"])
    page = client.get("/worklist/").content.decode()
    assert "Nothing to decide" in page and area["a1"].child_id not in page
    forbidden = client.get(f"/worklist/{area['a1'].child_id}/")
    missing = client.get("/worklist/C-MISSING2/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    post = client.post(
        f"/worklist/{area['a1'].child_id}/", {"decision": "monitor", "reason": "Looks fine"}
    )
    assert post.status_code == 404
    assert not FlagDecision.objects.exists()


def test_a_teacher_can_read_but_not_decide(client: Client, area: dict) -> None:
    client.force_login(area["teacher_a"])
    item = client.get(f"/worklist/{area['a2'].child_id}/")
    assert item.status_code == 200
    assert "Your role cannot record decisions" in item.content.decode()
    assert 'name="reason"' not in item.content.decode()
    post = client.post(
        f"/worklist/{area['a2'].child_id}/", {"decision": "monitor", "reason": "Keep an eye"}
    )
    assert post.status_code == 403
    assert not FlagDecision.objects.exists()
    denied = AuditEvent.objects.get(actor=area["teacher_a"], action="flags.decide")
    assert denied.outcome == "denied" and denied.detail["reason"] == "role"


def test_a_decision_is_recorded_audited_and_moves_to_decided(client: Client, area: dict) -> None:
    dsl = area["dsl_a"]
    client.force_login(dsl)
    response = client.post(
        f"/worklist/{area['a1'].child_id}/",
        {"decision": "offer_support", "reason": "Spoke to mum; offering a family support worker."},
    )
    assert response.status_code == 302 and response["Location"] == "/worklist/"
    decision = FlagDecision.objects.get()
    assert decision.decided_by == dsl and decision.agency == area["school_a"]
    assert set(decision.flags.all()) == {area["a1_att"], area["a1_police"]}
    entry = AuditEvent.objects.get(actor=dsl, action="flags.decide")
    assert entry.outcome == "allowed" and entry.object_ref == str(decision.pk)
    assert entry.child_ref == area["a1"].child_id
    assert entry.detail["flags"] == sorted([area["a1_att"].pk, area["a1_police"].pk])
    worklist = worklist_list(viewer=dsl, purpose="safeguarding")
    assert area["a1"].child_id not in [i.child_id for i in worklist.to_decide]
    assert area["a1"].child_id in [i.child_id for i in worklist.decided]
    decided_page = client.get("/worklist/?tab=decided").content.decode()
    assert area["a1"].child_id in decided_page
    # Another agency's worklist still has the child to decide on.
    eh = worklist_list(viewer=area["eh_worker"], purpose="early_help")
    assert [i.child_id for i in eh.to_decide] == [area["a1"].child_id]
    # A new flag puts the child back on the "to decide" list.
    f.flag(area["a1"], rule_id="attendance-year", level="amber")
    again = worklist_list(viewer=dsl, purpose="safeguarding")
    assert area["a1"].child_id in [i.child_id for i in again.to_decide]


def test_the_audit_entry_is_in_the_decisions_transaction(
    client: Client, area: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from joinedup.access.writes import GuardedWrite
    from joinedup.indicators import flag_decisions

    def broken(self: Any, **kw: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(GuardedWrite, "audit", broken)
    with pytest.raises(RuntimeError):
        flag_decisions.flag_decision_record(
            actor=area["dsl_a"],
            child_id=area["a1"].child_id,
            decision="monitor",
            reason="Watching attendance",
            purpose="safeguarding",
        )
    assert not FlagDecision.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(client: Client, area: dict, reason: str) -> None:
    client.force_login(area["dsl_a"])
    response = client.post(
        f"/worklist/{area['a1'].child_id}/", {"decision": "no_action", "reason": reason}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the reason for your decision." in page
    assert 'href="#id_reason"' in page
    assert not FlagDecision.objects.exists()


def test_a_decision_must_be_chosen(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    response = client.post(f"/worklist/{area['a1'].child_id}/", {"reason": "Because"})
    assert "Choose no action, monitor, offer support or refer." in response.content.decode()
    assert not FlagDecision.objects.exists()


def test_roles_without_children_get_404(client: Client, area: dict) -> None:
    analyst = f.staff(Role.DATA_ANALYST, area["social_care"])
    client.force_login(analyst)
    assert client.get("/worklist/").status_code == 404
