"""Guarded, audited reads of early-warning flags: on a child's record, on a worklist, and on the
front door's "unknown to services" list.

A flag is child data, and it also says something about the data it was computed from: a
"police domestic-abuse notification" flag tells the reader that the police notified one. So a
viewer sees a flag only if they could see the data behind it — the three tests of
`access.children` apply to the flag's underlying data:

- role: the data's sensitivity is one the viewer's role sees (`policy.allowed_sensitivities`);
- source: the viewer's own agency recorded that kind of data for this child, or a live sharing
  agreement covers that event type, from the agency that recorded it, for the viewer's agency
  and current purpose (`agreements.covers_for_agency`);
- relationship: the child is in the viewer's involvement scope (worklist, child page) or — for
  the front door's triage list only — on the "unknown to services" list (ADR 0009).

Flags that fail are counted as withheld, never shown. An escalation flag is shown only when
every flag it combines is shown, or it would hint at the withheld ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.access.agreements import covers_for_agency
from joinedup.access.audit import audit_record
from joinedup.access.children import ChildAccess, child_survivor
from joinedup.access.errors import ChildNotFound
from joinedup.access.policy import Action, allowed_purposes, allowed_sensitivities, role_allows
from joinedup.access.relationships import involvement_scope_q, open_involvement_q
from joinedup.access.writes import Guard, Refused
from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType, default_sensitivity
from joinedup.governance.models import AgencyType, Purpose, StaffUser
from joinedup.indicators.models import Flag, FlagDecision, FlagLevel, FlagStatus
from joinedup.people.models import Child, Involvement, SourceRecord

# "Known to services": an open involvement by an agency of one of these types. A school roll,
# a universal health contact, a police record or a housing case does not count: those are
# universal or not a service to the child. The one definition, used by the triage list and
# documented in docs/indicators.md and ADR 0009.
KNOWN_TO_SERVICES_AGENCY_TYPES: frozenset[str] = frozenset(
    {
        AgencyType.SOCIAL_CARE,
        AgencyType.EARLY_HELP,
        AgencyType.YOUTH_JUSTICE,
        AgencyType.YOUTH_SERVICE,
        AgencyType.VOLUNTARY,
    }
)
# The front door: team managers of these agencies triage the "unknown to services" list.
FRONT_DOOR_AGENCY_TYPES: frozenset[str] = frozenset({AgencyType.SOCIAL_CARE, AgencyType.EARLY_HELP})
# The purposes the triage list is read under (the agreements that cover it name them).
TRIAGE_PURPOSES: frozenset[str] = frozenset({Purpose.SAFEGUARDING, Purpose.EARLY_HELP})

_ATTENDANCE = EventType.ATTENDANCE_SUMMARY  # session marks are shared as attendance data
# The data each shipped rule reads, as chronology event types. A rule an area adds that is not
# listed here falls back to its domain; a rule with neither is withheld from everyone.
RULE_READS: dict[str, frozenset[str]] = {
    "attendance-6-weeks": frozenset({_ATTENDANCE}),
    "attendance-year": frozenset({_ATTENDANCE}),
    "severe-absence": frozenset({_ATTENDANCE}),
    "attendance-drop": frozenset({_ATTENDANCE}),
    "unauthorised-10-days": frozenset({_ATTENDANCE}),
    "penalty-notice-threshold": frozenset({_ATTENDANCE}),
    "unexplained-absence": frozenset({_ATTENDANCE}),
    "weekday-pattern": frozenset({_ATTENDANCE}),
    "part-time-timetable": frozenset({_ATTENDANCE}),
    "suspensions-term": frozenset({EventType.SUSPENSION}),
    "permanent-exclusion": frozenset({EventType.PERMANENT_EXCLUSION}),
    "alternative-provision": frozenset({EventType.ALTERNATIVE_PROVISION, _ATTENDANCE}),
    "mid-year-move": frozenset({EventType.SCHOOL_ADMISSION}),
    "missing-education": frozenset({EventType.MISSING_EDUCATION}),
    "elective-home-education": frozenset({EventType.ELECTIVE_HOME_EDUCATION}),
    "police-domestic-abuse": frozenset({EventType.POLICE_NOTIFICATION}),
    "missing-episode": frozenset({EventType.MISSING_EPISODE}),
    "youth-justice-contact": frozenset({EventType.YOUTH_JUSTICE_CONTACT}),
}
DOMAIN_READS: dict[str, frozenset[str]] = {"attendance": frozenset({_ATTENDANCE})}
ESCALATION_DOMAIN = "escalation"


def flag_reads(flag: Flag) -> frozenset[str]:
    return RULE_READS.get(flag.rule_id) or DOMAIN_READS.get(flag.domain, frozenset())


def _readable(viewer: StaffUser, purpose: str, child_ids: set[int]) -> set[tuple[int, str]]:
    """(child pk, event type) pairs whose data this viewer may see under this purpose."""
    if not child_ids:
        return set()
    sensitivities = set(allowed_sensitivities(viewer.role))
    types = {t for reads in list(RULE_READS.values()) + list(DOMAIN_READS.values()) for t in reads}
    types = {t for t in types if default_sensitivity(t) in sensitivities}
    sources: dict[tuple[int, str], set[int]] = defaultdict(set)
    for child_id, event_type, agency_id, sensitivity in (
        Event.objects.filter(child_id__in=child_ids, event_type__in=types)
        .values_list("child_id", "event_type", "agency_id", "sensitivity")
        .distinct()
    ):
        if sensitivity in sensitivities:
            sources[(child_id, event_type)].add(agency_id)
    if _ATTENDANCE in types:
        # Session marks belong to the school's source record of the pupil.
        for child_id, agency_id in (
            SourceRecord.objects.filter(
                child_id__in=child_ids, agency__agency_type=AgencyType.SCHOOL
            )
            .values_list("child_id", "agency_id")
            .distinct()
        ):
            sources[(child_id, _ATTENDANCE)].add(agency_id)
    covered = {
        (c.recording_agency_id, t)
        for c in covers_for_agency(viewer.agency_id)
        if purpose in c.purposes
        for t in c.event_types
    }
    return {
        key
        for key, agencies in sources.items()
        if any(a == viewer.agency_id or (a, key[1]) in covered for a in agencies)
    }


def _split_visible(
    viewer: StaffUser, purpose: str, flags: list[Flag]
) -> tuple[list[Flag], list[Flag]]:
    """(visible, withheld) of these flags for this viewer and purpose."""
    child_ids = {f.child_id for f in flags}
    readable = _readable(viewer, purpose, child_ids)

    def plain_ok(flag: Flag) -> bool:
        return any((flag.child_id, t) in readable for t in flag_reads(flag))

    escalated = {f.child_id for f in flags if f.domain == ESCALATION_DOMAIN}
    combined_ok: dict[int, bool] = {}
    if escalated:
        others: dict[int, list[Flag]] = defaultdict(list)
        for other in Flag.objects.filter(child_id__in=escalated, status=FlagStatus.OPEN).exclude(
            domain=ESCALATION_DOMAIN
        ):
            others[other.child_id].append(other)
        combined_ok = {c: bool(others[c]) and all(map(plain_ok, others[c])) for c in escalated}
    visible: list[Flag] = []
    withheld: list[Flag] = []
    for flag in flags:
        ok = combined_ok[flag.child_id] if flag.domain == ESCALATION_DOMAIN else plain_ok(flag)
        (visible if ok else withheld).append(flag)
    return visible, withheld


@dataclass(frozen=True)
class ChildFlags:
    open: list[Flag]
    cleared: list[Flag]
    decisions: list[FlagDecision]
    withheld: int = 0


def _decisions_for(flags: Iterable[Flag]) -> list[FlagDecision]:
    return list(
        FlagDecision.objects.filter(flags__in=[f.pk for f in flags])
        .distinct()
        .select_related("decided_by", "agency")
        .prefetch_related("flags")
        .order_by("-decided_at", "-id")
    )


def flags_for_child(viewer: StaffUser, access: ChildAccess) -> ChildFlags:
    """The child's flags this viewer may see (open, and cleared as history); audited."""
    if access.viewer.pk != viewer.pk:
        raise ChildNotFound()
    with transaction.atomic():
        all_flags = list(
            Flag.objects.filter(child=access.child).order_by("-first_raised_at", "rule_id")
        )
        visible, withheld = _split_visible(viewer, access.purpose, all_flags)
        decisions = _decisions_for(visible)
        audit_record(
            actor=viewer,
            action="flags.list",
            child_ref=access.child.child_id,
            object_type="flag",
            purpose=access.purpose,
            detail={"shown": [f.pk for f in visible], "withheld": len(withheld)},
        )
    return ChildFlags(
        open=[f for f in visible if f.status == FlagStatus.OPEN],
        cleared=[f for f in visible if f.status == FlagStatus.CLEARED],
        decisions=decisions,
        withheld=len([f for f in withheld if f.status == FlagStatus.OPEN]),
    )


@dataclass(frozen=True)
class FlagList:
    """Open flags by child, for a worklist; with how many were withheld."""

    by_child: dict[int, list[Flag]]
    children: dict[int, Child]
    decided: dict[int, set[int]] = field(default_factory=dict)  # child pk -> decided flag pks
    withheld: int = 0


def _decided_by_agency(agency_id: int | None, flag_ids: list[int]) -> dict[int, set[int]]:
    decided: dict[int, set[int]] = defaultdict(set)
    if agency_id is None:
        return {}
    through = FlagDecision.flags.through
    for child_id, flag_id in through.objects.filter(
        flag_id__in=flag_ids, flagdecision__agency_id=agency_id
    ).values_list("flag__child_id", "flag_id"):
        decided[child_id].add(flag_id)
    return dict(decided)


def _flag_list(viewer: StaffUser, purpose: str, flags: list[Flag], action: str) -> FlagList:
    visible, withheld = _split_visible(viewer, purpose, flags)
    by_child: dict[int, list[Flag]] = defaultdict(list)
    for flag in visible:
        by_child[flag.child_id].append(flag)
    children = {c.pk: c for c in Child.objects.filter(pk__in=by_child)}
    decided = _decided_by_agency(viewer.agency_id, [f.pk for f in visible])
    audit_record(
        actor=viewer,
        action=action,
        purpose=purpose,
        object_type="flag",
        detail={
            "results": sorted(c.child_id for c in children.values()),
            "flags": len(visible),
            "withheld": len(withheld),
        },
    )
    return FlagList(dict(by_child), children, decided, len(withheld))


def worklist_flags(viewer: StaffUser, *, purpose: str) -> FlagList:
    """Open flags of the children in this viewer's involvement scope (their pupils, their
    team's or their own cases); audited. Break-glass grants do not put a child on a worklist."""
    if not (
        viewer.is_active
        and role_allows(viewer.role, Action.VIEW_CHILD)
        and purpose in allowed_purposes(viewer.role)
    ):
        return FlagList({}, {})
    in_scope = Involvement.objects.filter(
        involvement_scope_q(viewer, today=timezone.localdate())
    ).values("child_id")
    with transaction.atomic():
        flags = list(
            Flag.objects.filter(
                status=FlagStatus.OPEN, child_id__in=in_scope, child__merged_into__isnull=True
            )
        )
        return _flag_list(viewer, purpose, flags, "worklist.list")


def may_triage(viewer: StaffUser, purpose: str) -> bool:
    agency = viewer.agency
    return bool(
        viewer.is_active
        and role_allows(viewer.role, Action.TRIAGE_UNKNOWN)
        and agency is not None
        and agency.agency_type in FRONT_DOOR_AGENCY_TYPES
        and purpose in TRIAGE_PURPOSES
        and purpose in allowed_purposes(viewer.role)
    )


def _unknown_flags_q() -> Q:
    known = Involvement.objects.filter(
        open_involvement_q(today=timezone.localdate()),
        agency__agency_type__in=KNOWN_TO_SERVICES_AGENCY_TYPES,
    ).values("child_id")
    return (
        Q(status=FlagStatus.OPEN, child__merged_into__isnull=True)
        & (Q(level=FlagLevel.RED) | Q(is_escalation=True))
        & ~Q(child_id__in=known)
    )


def unknown_to_services_flags(viewer: StaffUser, *, purpose: str) -> FlagList:
    """Red or escalation flags of children no targeted or specialist service is involved with,
    for the front door's triage; audited. Only flags a live agreement lets the viewer's agency
    see under this purpose are listed (ADR 0009)."""
    if not may_triage(viewer, purpose):
        return FlagList({}, {})
    with transaction.atomic():
        flags = list(Flag.objects.filter(_unknown_flags_q()))
        return _flag_list(viewer, purpose, flags, "worklist.unknown")


@dataclass(frozen=True)
class DecidableFlags:
    child: Child
    flags: list[Flag]
    purpose: str
    route: str  # "relationship" | "triage"


def decidable_flags_by_relationship(viewer: StaffUser, access: ChildAccess) -> DecidableFlags:
    """The open flags a viewer who opened this child may record a decision on (not audited
    here: the decision itself is)."""
    if access.viewer.pk != viewer.pk:
        raise ChildNotFound()
    flags = list(Flag.objects.filter(child=access.child, status=FlagStatus.OPEN))
    visible, _ = _split_visible(viewer, access.purpose, flags)
    return DecidableFlags(access.child, visible, access.purpose, "relationship")


def unknown_child_flags_guard(child_id: str) -> Guard[DecidableFlags]:
    """For `guarded_write`: a child on the actor's "unknown to services" list and its listed
    flags, or ChildNotFound (audited). Opens no record: only what the triage list shows."""

    def open_(actor: StaffUser, purpose: str) -> DecidableFlags:
        child = child_survivor(Child.objects.filter(child_id=child_id).first())
        visible: list[Flag] = []
        if child is not None and may_triage(actor, purpose):
            flags = list(Flag.objects.filter(_unknown_flags_q(), child=child))
            visible, _ = _split_visible(actor, purpose, flags)
        if child is None or not visible:
            raise Refused("not_on_list")
        return DecidableFlags(child, visible, purpose, "triage")

    return Guard(
        open_,
        ChildNotFound,
        object_type="child",
        object_ref=child_id,
        child_ref=child_id,
        detail={"route": "triage"},
    )
