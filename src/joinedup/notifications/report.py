"""The re-referral rate report: per receiving agency, the referrals sent to it in a period and
what became of them. Aggregates only (VIEW_REFERRAL_REPORT), every view audited.

- received: referrals sent to the agency in the period (by the date sent);
- acknowledged within time: of those whose acknowledgement was due by now or that were
  answered, the share first answered (acknowledged, or accepted or declined straight away) on
  or before the acknowledge-by date;
- declined; declined with no alternative taken up; closed with no further action;
- re-referred within 12 months: referrals in the period that re-refer a child whose referral
  to the same agency closed with no further action in the 12 months before; the rate is
  re-referrals / referrals received in the period.

A count from 1 to 9 is shown as "fewer than 10", and a rate is not shown when its numerator
is 1 to 9 or its denominator under 10: a small number can identify a child. The "All agencies"
count of a column holding a hidden count is not shown either (secondary suppression): the total
less the shown counts would give the hidden one back; nor is a rate built on a hidden total, nor
the total acknowledgement rate where an agency's is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from joinedup.access.attention import deadline_missed_before
from joinedup.access.audit import audit_record
from joinedup.governance.models import StaffUser
from joinedup.referrals.models import Referral, ReferralOutcome, ReferralStatus

SMALL = 10
FEWER = "fewer than 10"
NOT_SHOWN = "withheld"  # 10 or more, hidden so that a small count cannot be worked out
COUNTS = ("received", "declined", "declined_no_alternative", "closed_nfa", "re_referred")


def shown_count(n: int) -> str:
    return FEWER if 0 < n < SMALL else f"{n:,}"


def _rate_hidden(numerator: int, denominator: int) -> bool:
    return denominator < SMALL or 0 < numerator < SMALL


def shown_rate(numerator: int, denominator: int) -> str:
    if _rate_hidden(numerator, denominator):
        return f"not shown ({FEWER})"
    return f"{100 * numerator / denominator:.1f}%"


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months, ending today."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1), today


@dataclass(frozen=True)
class ReportRow:
    agency: str
    received: int
    ack_due: int
    ack_in_time: int
    declined: int
    declined_no_alternative: int
    closed_nfa: int
    re_referred: int
    hidden: frozenset[str] = frozenset()  # counts withheld so that no hidden one can be derived

    def cells(self) -> dict[str, str]:
        cells = {
            name: NOT_SHOWN if name in self.hidden else shown_count(getattr(self, name))
            for name in COUNTS
        }
        cells["ack_in_time"] = (
            NOT_SHOWN
            if "ack_in_time" in self.hidden
            else shown_rate(self.ack_in_time, self.ack_due)
        )
        cells["re_referral_rate"] = (
            NOT_SHOWN
            if {"received", "re_referred"} & self.hidden
            else shown_rate(self.re_referred, self.received)
        )
        return cells


def _total_hidden(rows: list[ReportRow], total: ReportRow) -> frozenset[str]:
    """What the total withholds: each count of a column where an agency's count is hidden (1
    to 9) while the total itself is shown (10 or more), and the acknowledgement rate where an
    agency's is hidden while the total's is shown (the others' shown rates and the total's
    would narrow down the hidden one)."""
    hidden = {
        name
        for name in COUNTS
        if getattr(total, name) >= SMALL and any(0 < getattr(row, name) < SMALL for row in rows)
    }
    if not _rate_hidden(total.ack_in_time, total.ack_due) and any(
        _rate_hidden(row.ack_in_time, row.ack_due) for row in rows
    ):
        hidden.add("ack_in_time")
    return frozenset(hidden)


@dataclass(frozen=True)
class ReferralReport:
    start: date
    end: date
    rows: list[ReportRow]
    total: ReportRow


def _aggregates(today: date) -> dict[str, Any]:
    missed = deadline_missed_before(today)
    answered = Q(acknowledged_at__isnull=False) | Q(decided_at__isnull=False)
    first_answer_in_time = Q(acknowledged_at__date__lte=F("acknowledge_by")) | Q(
        acknowledged_at__isnull=True, decided_at__date__lte=F("acknowledge_by")
    )
    declined = ~Q(decline_reason="")
    return {
        "received": Count("pk"),
        "ack_due": Count("pk", filter=answered | Q(acknowledge_by__lt=missed)),
        "ack_in_time": Count("pk", filter=first_answer_in_time),
        "declined": Count("pk", filter=declined),
        "declined_no_alternative": Count(
            "pk", filter=declined & Q(alternative_taken_up_at__isnull=True)
        ),
        "closed_nfa": Count(
            "pk", filter=Q(status=ReferralStatus.CLOSED, outcome=ReferralOutcome.NO_FURTHER_ACTION)
        ),
        "re_referred": Count("pk", filter=Q(re_referral_of__isnull=False)),
    }


def referral_report(
    *, viewer: StaffUser, purpose: str, start: date, end: date, today: date | None = None
) -> ReferralReport:
    """The report for referrals sent from `start` to `end` inclusive; audited."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    in_period = Referral.objects.filter(sent_at__gte=since, sent_at__lt=until)
    aggregates = _aggregates(today)
    rows = []
    for row in (
        in_period.values("to_agency__name").annotate(**aggregates).order_by("to_agency__name")
    ):
        values: dict[str, Any] = {k: v for k, v in row.items() if k in aggregates}
        rows.append(ReportRow(agency=str(row["to_agency__name"]), **values))
    total = ReportRow(agency="All agencies", **in_period.aggregate(**aggregates))
    total = replace(total, hidden=_total_hidden(rows, total))
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action="referrals.report",
            object_type="referral_report",
            purpose=purpose[:20],
            detail={
                "aggregate": True,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "agencies": len(rows),
            },
        )
    return ReferralReport(start=start, end=end, rows=rows, total=total)
