"""Who may open a team around the child: members, colleagues beside them, and nobody else."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.access.children import access_child_by_id
from joinedup.access.tac import access_tac_by_id, tacs_for_child
from joinedup.governance.models import AuditEvent, Purpose, Role
from joinedup.tac.errors import TacNotFound
from tests import factories as f
from tests.tac.factories import SAFEGUARDING, add, area, open_tac

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> dict:
    made = area()
    made["tac"] = open_tac(made)
    return made


def test_a_member_opens_the_team_and_the_read_is_audited(a: dict) -> None:
    access = access_tac_by_id(a["ehp"], a["tac"].reference, purpose=SAFEGUARDING)
    assert access.tac == a["tac"] and access.is_member and access.is_lead
    entry = AuditEvent.objects.get(action="tac.view", outcome="allowed")
    assert entry.actor == a["ehp"] and entry.child_ref == a["child"].child_id
    assert entry.object_ref == a["tac"].reference


def test_a_colleague_in_a_members_team_opens_it(a: dict) -> None:
    access = access_tac_by_id(a["eh_colleague"], a["tac"].reference, purpose=SAFEGUARDING)
    assert not access.is_member and not access.is_lead


def test_a_colleague_in_a_members_agency_opens_it_when_the_member_has_no_team(a: dict) -> None:
    add(a, a["tac"], "dsl")
    school_colleague = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, a["school"])
    access = access_tac_by_id(school_colleague, a["tac"].reference, purpose=SAFEGUARDING)
    assert access.tac == a["tac"]


@pytest.mark.parametrize(
    ("who", "purpose", "why"),
    [
        ("stranger", Purpose.SAFEGUARDING, "no relationship with the child"),
        ("dsl", Purpose.SAFEGUARDING, "knows the child, but not in or beside the team"),
        ("eh_other", Purpose.SAFEGUARDING, "same agency, another team"),
        ("teacher", Purpose.EDUCATION, "a role that does not work in a team"),
        ("ehp", Purpose.EDUCATION, "a purpose the role does not work under"),
    ],
)
def test_everyone_else_gets_not_found_and_is_audited(
    a: dict, who: str, purpose: str, why: str
) -> None:
    if who == "eh_other":
        f.involvement(a["child"], a["early_help"], worker=a["eh_other"])
    with pytest.raises(TacNotFound):
        access_tac_by_id(a[who], a["tac"].reference, purpose=purpose)
    denied = AuditEvent.objects.get(action="tac.view", outcome="denied")
    assert denied.actor == a[who] and denied.object_ref == a["tac"].reference, why


def test_forbidden_and_missing_look_the_same_over_http(a: dict, client: Client) -> None:
    client.force_login(a["stranger"])
    forbidden = client.get(f"/tac/{a['tac'].reference}/")
    missing = client.get("/tac/TAC-23456789/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    api_forbidden = client.get(f"/api/tac/{a['tac'].reference}")
    api_missing = client.get("/api/tac/TAC-23456789")
    assert api_forbidden.status_code == api_missing.status_code == 404
    assert api_forbidden.json() == api_missing.json() == {"detail": "Not found."}
    assert AuditEvent.objects.filter(action="tac.view", outcome="denied").count() == 4


def test_a_member_who_leaves_no_longer_opens_it(a: dict) -> None:
    from joinedup.tac.services import tac_member_remove

    member = add(a, a["tac"], "nurse")
    assert access_tac_by_id(a["nurse"], a["tac"].reference, purpose=SAFEGUARDING)
    tac_member_remove(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=a["tac"].reference, member_id=member.pk
    )
    with pytest.raises(TacNotFound):
        access_tac_by_id(a["nurse"], a["tac"].reference, purpose=SAFEGUARDING)


def test_tacs_for_child_lists_only_teams_the_viewer_may_open(a: dict) -> None:
    mine = access_child_by_id(a["ehp"], a["child"].child_id, purpose=SAFEGUARDING)
    assert tacs_for_child(access=mine) == [a["tac"]]
    theirs = access_child_by_id(a["dsl"], a["child"].child_id, purpose=SAFEGUARDING)
    assert tacs_for_child(access=theirs) == []
    listed = AuditEvent.objects.filter(action="tac.list").order_by("sequence")
    assert [e.detail["results"] for e in listed] == [[a["tac"].reference], []]
