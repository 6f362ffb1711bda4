"""The re-referral rate report: per receiving agency, the arithmetic, suppression of small
numbers, the period checked with clear errors, analysts and managers only, audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AgencyType, AuditEvent
from joinedup.notifications.report import ReportRow, _total_hidden, shown_count, shown_rate
from joinedup.referrals.models import ReferralOutcome, ReferralStatus
from tests import factories as f
from tests.notifications import area as area_
from tests.notifications import factories as nf

pytestmark = pytest.mark.django_db

URL = "/worklist/attention/report/"
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def test_small_numbers_are_suppressed() -> None:
    assert [shown_count(n) for n in (0, 1, 9, 10, 1234)] == [
        "0",
        "fewer than 10",
        "fewer than 10",
        "10",
        "1,234",
    ]
    assert shown_rate(12, 20) == "60.0%"
    assert shown_rate(0, 20) == "0.0%"
    assert shown_rate(9, 20) == "not shown (fewer than 10)"
    assert shown_rate(9, 9) == "not shown (fewer than 10)"


@pytest.fixture
def area() -> dict[str, Any]:
    a = area_.build()
    small = f.agency(AgencyType.EARLY_HELP, name="Early Help Hub")
    kw = {"child": a["child"], "by": a["dsl"], "to_agency": a["social_care"]}
    earlier = nf.referral(
        **kw, status=ReferralStatus.CLOSED, sent_on=date(2025, 6, 2), closed_on=date(2025, 7, 1)
    )
    for i in range(20):
        sent = date(2026, 2, 2) + timedelta(days=i)
        r = nf.referral(
            **kw,
            sent_on=sent,
            acknowledge_by=sent + timedelta(days=3),
            status=ReferralStatus.DECLINED if i < 3 else ReferralStatus.ACKNOWLEDGED,
            re_referral_of=earlier if i < 12 else None,
        )
        late = 4 if i >= 15 else 1  # 15 answered within time, 5 late
        if r.status == ReferralStatus.DECLINED:
            r.decided_at = nf.at(sent + timedelta(days=late))
        else:
            r.acknowledged_at = nf.at(sent + timedelta(days=late))
        r.save()
    for _ in range(5):
        nf.referral(
            **{**kw, "to_agency": small},
            sent_on=date(2026, 3, 2),
            status=ReferralStatus.CLOSED,
            outcome=ReferralOutcome.NO_FURTHER_ACTION,
        )
    nf.referral(**kw, sent_on=date(2025, 12, 31))  # before the period
    nf.referral(**kw, sent_on=date(2026, 7, 1))  # after it
    return a


def cells(html: str, agency: str) -> list[str]:
    import re

    row = html.split(f'<th scope="row" class="govuk-table__header">{agency}</th>')[1]
    row = row.split("</tr>")[0]
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_report_per_receiving_agency(client: Client, area: dict) -> None:
    client.force_login(area["manager"])
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    # received, ack within time, declined, declined no alternative, closed NFA, re-referred, rate
    assert cells(html, "Children&#x27;s Social Care") == [
        "20",
        "75.0%",
        "fewer than 10",
        "fewer than 10",
        "0",
        "12",
        "60.0%",
    ]
    assert cells(html, "Early Help Hub") == [
        "fewer than 10",
        "not shown (fewer than 10)",
        "0",
        "0",
        "fewer than 10",
        "0",
        "not shown (fewer than 10)",
    ]
    # Secondary suppression: 25 less the shown 20 would give the Early Help Hub's hidden 5,
    # so the total of each column holding a hidden count is withheld, and the rates built on
    # it; the total acknowledgement rate too, as the Early Help Hub's is hidden.
    assert cells(html, "All agencies") == [
        "withheld",
        "withheld",
        "fewer than 10",
        "fewer than 10",
        "fewer than 10",
        "12",
        "withheld",
    ]
    assert area["child"].child_id not in html and "Zebedee" not in html
    entry = AuditEvent.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "referrals.report"
    assert entry.detail == {
        "aggregate": True,
        "from": "2026-01-01",
        "to": "2026-06-30",
        "agencies": 2,
    }


def test_a_total_is_withheld_only_where_it_would_give_a_hidden_count_back() -> None:
    def row(agency: str, received: int, re_referred: int) -> ReportRow:
        return ReportRow(agency, received, 0, 0, 0, 0, 0, re_referred)

    rows = [row("A", 40, 12), row("B", 30, 10)]
    total = row("All", 70, 22)
    assert _total_hidden(rows, total) == frozenset()
    rows.append(row("C", 4, 0))
    total = row("All", 74, 22)
    assert _total_hidden(rows, total) == {"received"}
    shown = replace(total, hidden=_total_hidden(rows, total)).cells()
    assert shown["received"] == "withheld" and shown["re_referral_rate"] == "withheld"
    assert shown["re_referred"] == "22"
    # A total under 10 is already "fewer than 10": nothing more to withhold.
    assert _total_hidden([row("C", 4, 0)], row("All", 4, 0)) == frozenset()
    # An agency's acknowledgement rate hidden (8 due): the total's rate is withheld.
    acks = [
        replace(row("A", 40, 12), ack_due=40, ack_in_time=30),
        replace(row("B", 30, 10), ack_due=8),
    ]
    total = replace(row("All", 70, 22), ack_due=48, ack_in_time=30)
    assert _total_hidden(acks, total) == {"ack_in_time"}
    assert replace(total, hidden=frozenset({"ack_in_time"})).cells()["ack_in_time"] == "withheld"


def test_the_default_period_is_the_last_12_months(client: Client, area: dict) -> None:
    client.force_login(area["analyst"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "Referrals sent" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01"}, "From must be a real date as YYYY-MM-DD"),
        ({"end": "yesterday"}, "To must be a real date as YYYY-MM-DD"),
        ({"start": "2026-06-01", "end": "2026-01-01"}, "From must be on or before To."),
        ({"end": "2999-01-01"}, "To cannot be in the future."),
        ({"end": "2020-01-01"}, "From must be on or before To."),
    ],
)
def test_a_bad_period_says_what_is_wrong(
    client: Client, area: dict, query: dict, message: str
) -> None:
    client.force_login(area["manager"])
    before = AuditEvent.objects.count()
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AuditEvent.objects.count() == before  # no report, nothing read


def test_other_roles_get_the_same_404_as_a_missing_page(client: Client, area: dict) -> None:
    for who in ("sw", "dsl", "teacher"):
        client.force_login(area[who])
        response = client.get(URL)
        assert response.status_code == 404
        assert response.content == client.get("/worklist/attention/nothing-here/").content
