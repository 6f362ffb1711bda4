"""Casework for the demo area: referrals in every state, teams around the child, assessments.

Everything is made through the real services (`referrals.services`, `tac.services`,
`assessments.services`) acting as the demo logins, so each step is checked, audited and
notifies whoever it would notify in real use. Children are chosen (seeded) among those the
sender already works with, so the demo logins see them.

The one exception is time: the services stamp `timezone.now()`, and a demo needs history (a
referral left unacknowledged for a week, a case closed with no further action four months ago
and re-referred since). `_backdate` moves a referral's own date fields and its transitions'
times back afterwards, keeping them in order; the audit trail keeps the real times.
Teams around the child need no such step: a meeting may be recorded with a past date, and its
actions with past due dates.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.access.children import visible_children
from joinedup.access.relationships import open_involvement_q
from joinedup.access.writes import writes_together
from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType
from joinedup.demo.casework_cases import CASES, DECLINE, EH, RE_REFERRAL, SC, TRIED, Case
from joinedup.governance.models import Purpose, StaffUser
from joinedup.governance.working_days import add_working_days
from joinedup.needs.selectors import area_vocabulary
from joinedup.people.models import Child, Involvement, LinkRun, SourceRecord
from joinedup.referrals import services as referrals
from joinedup.referrals.models import (
    Consent,
    Referral,
    ReferralStatus,
    ReferralTransition,
    SharingBasis,
)
from joinedup.referrals.person_index import strong_match


@dataclass
class CaseworkSummary:
    referrals: Counter[str] = field(default_factory=Counter)  # status -> how many
    re_referrals: int = 0
    teams: int = 0
    meetings: int = 0
    actions: int = 0
    assessments: int = 0
    measures: int = 0
    references: dict[str, str] = field(default_factory=dict)  # scenario -> reference

    def describe(self) -> str:
        states = ", ".join(f"{n} {status}" for status, n in sorted(self.referrals.items()))
        return (
            f"Casework: {sum(self.referrals.values())} referrals ({states}; "
            f"{self.re_referrals} re-referral), {self.teams} teams around the child, "
            f"{self.assessments} assessments and {self.measures} measure."
        )


_PURPOSE = {
    "dsl": Purpose.SAFEGUARDING,
    "police.officer": Purpose.SAFEGUARDING,
    "youth.worker": Purpose.YOUTH_SUPPORT,
    "eh.practitioner": Purpose.SAFEGUARDING,
}
_RECEIVER = {SC: ("team.manager", "social.worker", Purpose.SAFEGUARDING)}
_RECEIVER[EH] = ("eh.manager", "eh.practitioner", Purpose.EARLY_HELP)
LOGINS = frozenset(
    {"dsl", "police.officer", "youth.worker", "team.manager", "social.worker", "eh.manager"}
    | {"eh.practitioner"}
)


def _open_at(agency_id: int) -> Any:
    return Involvement.objects.filter(
        open_involvement_q(today=timezone.localdate()), agency_id=agency_id
    )


class Picker:
    """Seeded choice of the child a referral is about, each used once and not already open to
    the receiving agency: a child the sender works with (chosen by id, as from the live match);
    failing that — police officers have no case lists — a child the sender's agency holds a
    record of, referred by their details for the person index to match."""

    def __init__(self, seed: int, *, by_details: bool = True) -> None:
        self.rng = random.Random(seed)
        self.used: set[int] = set()
        self.by_details = by_details

    def _pick(self, child_pks: Any, not_open_to: int | None, limit: int) -> list[int]:
        if not_open_to is not None:
            child_pks = child_pks.exclude(child_id__in=_open_at(not_open_to).values("child_id"))
        pks = list(child_pks.order_by("child_id").values_list("child_id", flat=True).distinct())
        pks = [pk for pk in pks[:400] if pk not in self.used]
        self.rng.shuffle(pks)
        return pks[:limit]

    def child(
        self, sender: StaffUser, purpose: str, not_open_to: int | None
    ) -> tuple[Child | None, bool]:
        """(the child, whether the sender may see them and so choose them by id)."""
        visible = visible_children(sender, purpose=purpose).filter(merged_into__isnull=True)
        seen = Involvement.objects.filter(child__in=visible)
        for pk in self._pick(seen, not_open_to, 1):
            self.used.add(pk)
            return visible.get(pk=pk), True
        if not self.by_details or sender.agency_id is None:
            return None, True
        records = SourceRecord.objects.filter(
            agency_id=sender.agency_id, child__merged_into__isnull=True
        ).select_related("child")
        for pk in self._pick(records.exclude(child=None), not_open_to, 40):
            record = records.filter(child_id=pk).first()
            child = record.child if record is not None else None
            # Only a child the index will find from these details: sending never adds a second.
            if child and strong_match(Referral(**_details(child, sender, chosen=False))) == child:
                self.used.add(pk)
                return child, False
        return None, False


def _details(child: Child, sender: StaffUser, *, chosen: bool) -> dict[str, Any]:
    """The child's details as the sender would type them."""
    details: dict[str, Any] = {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth,
        "sex": child.sex,
    }
    if not chosen and sender.agency_id is not None:  # the address on record helps the match
        record = child.source_records.filter(agency_id=sender.agency_id).first()
        details["postcode"] = record.postcode if record is not None else ""
    return details


def _known(codes: Sequence[str]) -> list[str]:
    vocabulary = area_vocabulary()
    known = [c for c in codes if not vocabulary.unknown_needs([c])]
    return known or [vocabulary.needs[0].code]


def _term(sender: StaffUser, level: int) -> str:
    assert sender.agency is not None
    terms = area_vocabulary().terms_for(
        agency_code=sender.agency.code, agency_type=sender.agency.agency_type
    )
    return next((t.term for t in terms if t.level == level), "")


def _consent(case: Case) -> dict[str, Any]:
    """Consent given, except for social care: not sought, with the basis for sharing."""
    if case.to != SC:
        return {"consent": Consent.GIVEN}
    return {
        "consent": Consent.NOT_SOUGHT,
        "sharing_basis": SharingBasis.SIGNIFICANT_HARM
        if case.level == 4
        else SharingBasis.SAFEGUARDING_DUTY,
        "sharing_reason": "Seeking consent could place the child at greater risk.",
    }


def _take_step(
    step: str, case: Case, ref: str, sender: StaffUser, manager: StaffUser, worker: StaffUser
) -> None:
    """One step of a case's referral, by the sender or the receiving team's manager."""
    purpose, receiving_purpose = _PURPOSE[case.sender], _RECEIVER[case.to][2]
    if step == "send":
        referrals.referral_send(actor=sender, purpose=purpose, reference=ref)
    elif step == "acknowledge":
        referrals.referral_acknowledge(
            actor=manager, purpose=receiving_purpose, reference=ref, note="Screening today."
        )
    elif step == "accept":
        referrals.referral_accept(
            actor=manager,
            purpose=receiving_purpose,
            reference=ref,
            note="Allocated for assessment.",
            worker_id=worker.pk,
        )
    elif step == "decline":
        referrals.referral_decline(
            actor=manager,
            purpose=receiving_purpose,
            reference=ref,
            reason=DECLINE[0],
            alternative=case.alternative or DECLINE[1],
        )
    elif step == "taken_up":
        referrals.referral_alternative_taken_up(
            actor=sender, purpose=purpose, reference=ref, note="Family took up the offer."
        )
    elif step == "close":
        referrals.referral_close(
            actor=manager,
            purpose=receiving_purpose,
            reference=ref,
            outcome=case.outcome,
            note="Assessment complete; outcome agreed with the family.",
        )
    else:  # pragma: no cover - a mistake in CASES
        raise ValueError(f"Unknown step {step!r} in case {case.name}.")


def referral_make(
    case: Case,
    child: Child,
    staff: dict[str, StaffUser],
    *,
    attachment_refs: Sequence[str] = (),
    chosen: bool = True,
) -> Referral:
    """Create the draft as `case.sender`, then take it through `case.steps`. A child the
    sender cannot see (`chosen=False`) is referred by details only, as the form allows."""
    sender, purpose = staff[case.sender], _PURPOSE[case.sender]
    manager_name, worker_name, _ = _RECEIVER[case.to]
    manager, worker = staff[manager_name], staff[worker_name]
    referral = referrals.referral_create(
        actor=sender,
        purpose=purpose,
        details=_details(child, sender, chosen=chosen),
        child_id=child.child_id if chosen else "",
        to_agency_id=manager.agency_id,
        to_team_id=manager.team_id,
        level=case.level,
        sender_term=_term(sender, case.level),
        needs=_known(case.needs),
        reason=case.reason,
        what_tried=TRIED if case.sender == "dsl" else "Advice and regular check-ins.",
        child_views="Says they want things at home to calm down.",
        family_views="Parent agrees there are difficulties." if case.to == EH else "",
        attachment_refs=attachment_refs,
        **_consent(case),
    )
    for step in case.steps:
        _take_step(step, case, referral.reference, sender, manager, worker)
    if case.days_ago:
        _backdate(referral.pk, case.days_ago)
    return Referral.objects.get(pk=referral.pk)


def _backdate(referral_pk: int, days_ago: Sequence[float]) -> None:
    """Move a referral's history into the past: one time per transition (creation first).

    The services stamp `timezone.now()` and cannot be told otherwise; a demo needs referrals
    that waited. Only the referral's own date fields and its transitions' times change (by
    queryset update, after the services ran); the acknowledge-by date is worked out again from
    the new sending date, as `referral_send` does, and the referral's chronology event moves to
    the sending time. The audit entries keep the real times."""
    rows = list(ReferralTransition.objects.filter(referral_id=referral_pk).order_by("at", "pk"))
    if len(rows) != len(days_ago) or list(days_ago) != sorted(days_ago, reverse=True):
        raise ValueError(f"Give one time per transition, oldest first ({len(rows)}).")
    now = timezone.now()
    referral = Referral.objects.select_related("to_agency").get(pk=referral_pk)
    times = [now - timedelta(days=d, minutes=len(rows) - i) for i, d in enumerate(days_ago)]
    fields: dict[str, Any] = {"created_at": times[0], "updated_at": times[-1]}
    decided = (ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
    for row, at in zip(rows, times, strict=True):
        ReferralTransition.objects.filter(pk=row.pk).update(at=at)
        if row.to_status == ReferralStatus.SENT:
            days = area_vocabulary().acknowledge_working_days(referral.to_agency.agency_type)
            fields["sent_at"] = at
            fields["acknowledge_by"] = add_working_days(timezone.localdate(at), days)
        elif row.from_status == row.to_status == ReferralStatus.DECLINED:
            fields["alternative_taken_up_at"] = at
        elif row.to_status in decided:
            fields.setdefault("acknowledged_at", at)
            if row.to_status != ReferralStatus.ACKNOWLEDGED:
                fields["decided_at"] = at
        elif row.to_status == ReferralStatus.CLOSED:
            fields["closed_at"] = at
    Referral.objects.filter(pk=referral_pk).update(**fields)
    if "sent_at" in fields:  # the referral in the child's chronology, dated as it was sent
        Event.objects.filter(  # noqa: TID251 - the demo's own event, just written by the service
            event_type=EventType.REFERRAL, payload__reference=referral.reference
        ).update(occurred_at=fields["sent_at"], recorded_at=fields["sent_at"])


def casework_seed(*, seed: int) -> CaseworkSummary:
    """Make the demo area's casework as its demo logins; all of it, or (on error) none."""
    from joinedup.demo.casework_plans import assessment_for_referral, plans_seed

    staff = {s.username: s for s in StaffUser.objects.filter(username__in=LOGINS, is_active=True)}
    missing = sorted(set(LOGINS) - set(staff))
    if missing:
        raise ValueError(f"The demo logins {', '.join(missing)} are missing: load an area first.")
    summary = CaseworkSummary()
    # Referring by details needs a person index to match them against (a link run's model);
    # without one, sending would add each such child to the index a second time.
    picker = Picker(seed, by_details=LinkRun.objects.exclude(model_json="").exists())
    with writes_together():
        attach = assessment_for_referral(staff, picker)
        if attach is not None:
            summary.assessments += 1
        child: Child | None
        for case in CASES:
            refs: tuple[str, ...] = ()
            if case.name == "dsl-accepted-eh" and attach is not None:
                child, chosen, refs = attach.child, True, attach.refs
            else:
                receiving = staff[_RECEIVER[case.to][0]]
                child, chosen = picker.child(
                    staff[case.sender], _PURPOSE[case.sender], receiving.agency_id
                )
            if child is None:
                continue
            referral = referral_make(case, child, staff, attachment_refs=refs, chosen=chosen)
            summary.references[case.name] = referral.reference
            if case.name == "dsl-closed-nfa":
                again = referral_make(RE_REFERRAL, child, staff, chosen=chosen)
                summary.references[RE_REFERRAL.name] = again.reference
        plans_seed(staff, summary)
        for status in Referral.objects.values_list("status", flat=True):
            summary.referrals[status] += 1
        summary.re_referrals = Referral.objects.filter(re_referral_of__isnull=False).count()
    return summary
