"""Guarded, audited reads of assessments and standardised measures.

Read: the viewer's role may view children and works under the purpose, and either
  (a) the viewer may open the child (an involvement or break-glass) and the assessment is their
      own agency's, or another agency's completed one shared with theirs by a live agreement
      covering assessments (EventType.ASSESSMENT) for this purpose; or
  (b) the viewer's team (or agency) receives a live referral (sent, acknowledged or accepted)
      that attaches the completed assessment — before accepting, they have no involvement yet.
A draft is its own agency's only. Edit: a draft, the author's agency, a role that records
assessments and a relationship with the child. A forbidden assessment and a missing one both
raise AssessmentNotFound; allowed and denied reads are audited. A write opens what it changes
with `assessment_guard` (a draft) or `recording_guard` (the child) in a `guarded_write`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from joinedup.access.agreements import covers_for_agency
from joinedup.access.audit import audit_record
from joinedup.access.children import ChildAccess, access_child_by_id, child_survivor
from joinedup.access.errors import ChildNotFound
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.access.referrals import referral_received_q
from joinedup.access.relationships import LIVE_REFERRAL_STATUSES, relationship_for
from joinedup.access.writes import Guard, Refused, audit_denied
from joinedup.assessments.errors import AssessmentNotFound
from joinedup.assessments.models import Assessment, AssessmentStatus, MeasureScore
from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import StaffUser
from joinedup.referrals.models import Referral


@dataclass(frozen=True)
class AssessmentAccess:
    """Proof that a viewer may read one assessment, and whether they may change it."""

    viewer: StaffUser
    assessment: Assessment
    purpose: str
    via: str  # "own_agency" | "agreement" | "referral"
    may_edit: bool


def _shared_agencies(viewer: StaffUser, purpose: str) -> set[int]:
    """Agencies whose assessments a live agreement shares with the viewer's for this purpose."""
    return {
        c.recording_agency_id
        for c in covers_for_agency(viewer.agency_id)
        if EventType.ASSESSMENT in c.event_types and purpose in c.purposes
    }


def _received_live_q(viewer: StaffUser) -> Q:
    return referral_received_q(viewer) & Q(status__in=LIVE_REFERRAL_STATUSES)


def _via(viewer: StaffUser, a: Assessment, purpose: str) -> tuple[str, str]:
    """(via, "") when allowed, else ("", denial reason)."""
    if not viewer.is_active or not role_allows(viewer.role, Action.VIEW_CHILD):
        return "", "role"
    if purpose not in allowed_purposes(viewer.role):
        return "", "purpose"
    own = viewer.agency_id is not None and a.agency_id == viewer.agency_id
    completed = a.status == AssessmentStatus.COMPLETED
    child = child_survivor(a.child)
    if child is not None and relationship_for(viewer, child.pk) is not None:
        if own:
            return "own_agency", ""
        if completed and a.agency_id in _shared_agencies(viewer, purpose):
            return "agreement", ""
    if completed and Referral.objects.filter(_received_live_q(viewer), attachments=a).exists():
        return "referral", ""
    return "", "no_relationship" if completed or own else "draft"


def _may_edit(viewer: StaffUser, a: Assessment, via: str) -> bool:
    return (
        via == "own_agency"
        and a.status == AssessmentStatus.DRAFT
        and role_allows(viewer.role, Action.RECORD_ASSESSMENTS)
    )


def _open(
    viewer: StaffUser, reference: str, purpose: str, *, lock: bool = False
) -> tuple[AssessmentAccess | None, str, str]:
    """(access or None, denial reason, the child's id for the denial)."""
    rows = Assessment.objects.select_related("child", "agency", "author", "baseline")
    if lock:
        rows = rows.select_for_update(of=("self",))
    a = rows.filter(reference=reference).first()
    if a is None:
        return None, "missing", ""
    via, denial = _via(viewer, a, purpose)
    if not via:
        return None, denial, a.child.child_id
    return AssessmentAccess(viewer, a, purpose, via, _may_edit(viewer, a, via)), "", ""


def access_assessment_by_id(
    viewer: StaffUser, reference: str, *, purpose: str, audit_action: str = "assessments.view"
) -> AssessmentAccess:
    with transaction.atomic():
        access, denial, child_ref = _open(viewer, reference, purpose)
        if access is not None:
            audit_record(
                actor=viewer,
                action=audit_action,
                child_ref=access.assessment.child.child_id,
                object_type="assessment",
                object_ref=access.assessment.reference,
                purpose=purpose,
                detail={"via": access.via},
            )
            return access
    audit_denied(
        actor=viewer,
        action=audit_action,
        reason=denial,
        child_ref=child_ref,
        object_type="assessment",
        object_ref=reference,
        purpose=purpose,
    )
    raise AssessmentNotFound()


def assessment_guard(reference: str) -> Guard[AssessmentAccess]:
    """For `guarded_write`: a draft (locked) the actor may change: their own agency's, with a
    role that records assessments. A completed one is a ValidationError (it is never changed);
    any other refusal answers AssessmentNotFound, as for one that does not exist."""

    def open_(actor: StaffUser, purpose: str) -> AssessmentAccess:
        access, denial, child_ref = _open(actor, reference, purpose, lock=True)
        if access is None:
            raise Refused(denial, child_ref=child_ref)
        if not access.may_edit:
            a = access.assessment
            if a.status != AssessmentStatus.DRAFT:
                raise ValidationError(
                    f"Assessment {a.reference} is completed: a completed assessment is not changed."
                )
            raise Refused("not_editable", child_ref=a.child.child_id)
        return access

    return Guard(open_, AssessmentNotFound, object_type="assessment", object_ref=reference)


def _visible_q(access: ChildAccess) -> Q:
    viewer = access.viewer
    own = Q(agency_id=viewer.agency_id) if viewer.agency_id else Q(pk__in=[])
    shared = Q(
        status=AssessmentStatus.COMPLETED,
        agency_id__in=_shared_agencies(viewer, access.purpose),
    )
    attached = Q(
        status=AssessmentStatus.COMPLETED,
        referrals__in=Referral.objects.filter(_received_live_q(viewer)),
    )
    return own | shared | attached


def assessment_list_for_child(*, access: ChildAccess) -> list[Assessment]:
    """The child's assessments this viewer may read, newest first; audited."""
    with transaction.atomic():
        assessments = list(
            Assessment.objects.filter(_visible_q(access), child=access.child)
            .select_related("agency", "author")
            .distinct()
        )
        audit_record(
            actor=access.viewer,
            action="assessments.list",
            child_ref=access.child.child_id,
            object_type="assessment",
            purpose=access.purpose,
            detail={"shown": [a.reference for a in assessments]},
        )
    return assessments


def measure_list_for_child(*, access: ChildAccess) -> list[MeasureScore]:
    """The child's measures recorded by the viewer's agency or shared with it; audited."""
    viewer = access.viewer
    agencies = _shared_agencies(viewer, access.purpose)
    if viewer.agency_id is not None:
        agencies.add(viewer.agency_id)
    with transaction.atomic():
        measures = list(
            MeasureScore.objects.filter(child=access.child, agency_id__in=agencies).select_related(
                "agency"
            )
        )
        audit_record(
            actor=viewer,
            action="measures.list",
            child_ref=access.child.child_id,
            object_type="measure",
            purpose=access.purpose,
            detail={"shown": [m.pk for m in measures]},
        )
    return measures


def assessments_attachable(*, viewer: StaffUser, purpose: str, child_id: str) -> list[Assessment]:
    """Completed assessments the sender may attach to a referral about this child: their own
    agency's only (an agency does not pass on what another agency shared with it). [] when
    the child cannot be opened (the denial is audited by access_child_by_id)."""
    try:
        access = access_child_by_id(viewer, child_id, purpose=purpose)
    except ChildNotFound:
        return []
    if not role_allows(viewer.role, Action.MAKE_REFERRALS) or viewer.agency_id is None:
        return []
    return list(
        Assessment.objects.filter(
            child=access.child, agency_id=viewer.agency_id, status=AssessmentStatus.COMPLETED
        ).order_by("-completed_at", "-id")
    )


def recording_guard(child_id: str) -> Guard[ChildAccess]:
    """For `guarded_write`: the child a new assessment or measure is recorded for, when the
    actor's role records assessments and they may open the child (`access_child_by_id`)."""

    def open_(actor: StaffUser, purpose: str) -> ChildAccess:
        if not may_record_assessments(actor):
            raise Refused("role")
        return access_child_by_id(actor, child_id, purpose=purpose)

    return Guard(open_, ChildNotFound, object_type="assessment", child_ref=child_id)


def access_child_for_recording(
    viewer: StaffUser, child_id: str, *, purpose: str, action: str
) -> ChildAccess:
    """The child, for a page that records for them (`action` names what it records): the
    same test as `recording_guard`, refused as ChildNotFound and audited under `action`."""
    if not may_record_assessments(viewer):
        audit_denied(
            actor=viewer,
            action=action,
            reason="role",
            child_ref=child_id,
            object_type="assessment",
            purpose=purpose,
        )
        raise ChildNotFound()
    return access_child_by_id(viewer, child_id, purpose=purpose)


def may_record_assessments(viewer: StaffUser) -> bool:
    return bool(
        viewer.is_active
        and viewer.agency_id
        and role_allows(viewer.role, Action.RECORD_ASSESSMENTS)
    )
