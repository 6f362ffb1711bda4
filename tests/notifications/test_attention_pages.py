"""The attention worklist page: sections with counts, 50 rows a page, the query string checked
with clear errors, one audit entry per view, no names, and 404 for roles that cannot act."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.governance.models import AuditEvent
from tests.notifications import area as area_
from tests.notifications import factories as nf

pytestmark = pytest.mark.django_db

URL = "/worklist/attention/"


@pytest.fixture
def area() -> dict[str, Any]:
    return area_.build()


def overdue(area: dict, n: int) -> list[Any]:
    due = timezone.localdate() - timedelta(days=21)
    return [
        nf.referral(
            child=area["child"],
            by=area["dsl"],
            to_agency=area["social_care"],
            to_team=area["front"],
            sent_on=due - timedelta(days=7),
            acknowledge_by=due + timedelta(days=i % 3),
        )
        for i in range(n)
    ]


def test_sections_counts_and_the_first_page(client: Client, area: dict) -> None:
    made = overdue(area, 51)
    client.force_login(area["sw"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Referrals to you not acknowledged in time (51)" in html
    assert "Page 1 of 2" in html
    assert html.count("govuk-table__row") == 51  # header + 50
    assert area["child"].child_id in html
    assert "Zebedee" not in html and "Quartermaine" not in html
    second = client.get(URL, {"section": "unacknowledged-received", "page": "2"})
    shown = [r.reference for r in made if r.reference in second.content.decode()]
    assert len(shown) == 1


def test_one_audit_entry_per_view_with_the_counts_and_what_was_shown(
    client: Client, area: dict
) -> None:
    made = overdue(area, 2)
    client.force_login(area["sw"])
    before = AuditEvent.objects.count()
    client.get(URL, {"section": "unacknowledged-received"})
    assert AuditEvent.objects.count() == before + 1
    entry = AuditEvent.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "worklist.attention"
    assert entry.detail["counts"]["unacknowledged-received"] == 2
    assert sorted(entry.detail["shown"]) == sorted(r.reference for r in made)
    assert entry.detail["children"] == [area["child"].child_id]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"section": "everything"}, "Section everything does not exist: choose one of"),
        ({"page": "two"}, "Page must be a whole number, like 2."),
        ({"page": "0"}, "Page must be 1 or more."),
        ({"section": "declined", "page": "3"}, "Page 3 does not exist: Declined, no alternative"),
    ],
)
def test_a_bad_query_string_says_what_is_wrong(
    client: Client, area: dict, query: dict, message: str
) -> None:
    client.force_login(area["sw"])
    response = client.get(URL, query)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


def test_roles_that_cannot_act_get_404(client: Client, area: dict) -> None:
    for who in ("teacher", "analyst"):
        client.force_login(area[who])
        assert client.get(URL).status_code == 404


def test_a_stranger_sees_nothing(client: Client, area: dict) -> None:
    overdue(area, 3)
    client.force_login(area["stranger"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "R-" not in response.content.decode()
    assert area["child"].child_id not in response.content.decode()
