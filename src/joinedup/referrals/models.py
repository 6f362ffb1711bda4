"""Referrals from one agency to another agency, team or service, and every change of status.

A referral keeps the child's details as the sender typed them (the real-time match answered
"is this child known?" on those), the sender's own words beside the area's common level of
need, and the lawful basis for sharing. Status changes only through `referrals.services`,
which checks the transition, writes a `ReferralTransition` and an audit entry together.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.referrals.choices import Consent, ReferralOutcome, ReferralStatus, SharingBasis


class Referral(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    # The matched child; a draft may have none yet. Sending without a match adds the child to
    # the person index from these details (a source record of the referring agency).
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    nhs_number = models.CharField(max_length=20, blank=True)
    upn = models.CharField(max_length=20, blank=True)

    from_agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    from_team = models.ForeignKey(
        "governance.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, related_name="referrals_made"
    )
    to_agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, related_name="referrals_received"
    )
    to_team = models.ForeignKey(
        "governance.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )

    # The shared language: the sender's own words beside the common level of need.
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    sender_term = models.CharField(max_length=120, blank=True)
    needs = models.JSONField(default=list, blank=True)  # needs vocabulary codes
    vocabulary_version = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    what_tried = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    family_views = models.TextField(blank=True)

    consent = models.CharField(max_length=20, choices=Consent.choices, blank=True)
    sharing_basis = models.CharField(max_length=30, choices=SharingBasis.choices, blank=True)
    sharing_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateField(null=True, blank=True)  # working days after sending
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True)
    alternative = models.TextField(blank=True)  # the suggested alternative, in words
    alternative_service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The sender records that the family took up the alternative (or a new referral made).
    alternative_taken_up_at = models.DateTimeField(null=True, blank=True)
    alternative_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=ReferralOutcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)

    # Set when sent: the same child's referral to the same agency closed with no further
    # action within the previous 12 months.
    re_referral_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="re_referrals"
    )
    # Created when the receiving team accepts: their legitimate relationship with the child.
    involvement = models.ForeignKey(
        "people.Involvement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attachments = models.ManyToManyField(
        "assessments.Assessment", blank=True, related_name="referrals"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["to_team", "status"]),
            models.Index(fields=["from_agency", "status"]),
            models.Index(fields=["child", "to_agency", "status"]),
            models.Index(fields=["status", "acknowledge_by"]),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralTransition(models.Model):
    """One change of a referral's status: who, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    actor = models.ForeignKey("governance.StaffUser", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
