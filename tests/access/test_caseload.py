"""A worker's caseload: their allocated children only, and the listing is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.access.children import caseload_list
from joinedup.governance.models import AgencyType, AuditEvent, Purpose, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_caseload_lists_allocated_children_and_is_audited(client: Client) -> None:
    social_care = f.agency(AgencyType.SOCIAL_CARE)
    team = f.team(social_care)
    worker = f.staff(Role.SOCIAL_WORKER, social_care, team)
    colleague = f.staff(Role.SOCIAL_WORKER, social_care, team)
    mine = f.child(family_name="Allocated")
    f.involvement(mine, social_care, team_=team, worker=worker, lead=True)
    f.involvement(f.child(family_name="Colleagues"), social_care, team_=team, worker=colleague)
    f.involvement(
        f.child(family_name="Closed"),
        social_care,
        team_=team,
        worker=worker,
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    assert caseload_list(worker, purpose=Purpose.SAFEGUARDING) == [mine]
    entry = AuditEvent.objects.get(action="children.list")
    assert entry.detail["results"] == [mine.child_id]
    client.force_login(worker)
    page = client.get("/").content.decode()
    assert "Your caseload" in page and "Allocated" in page and "Colleagues" not in page


def test_no_caseload_for_roles_without_child_access() -> None:
    agency = f.agency()
    analyst = f.staff(Role.DATA_ANALYST, agency)
    f.involvement(f.child(), agency, worker=analyst)
    assert caseload_list(analyst, purpose=Purpose.SAFEGUARDING) == []
    assert not AuditEvent.objects.exists()
