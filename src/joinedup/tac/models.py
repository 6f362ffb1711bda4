"""The team around the child: who holds the child, who is in the team, what it decided and
who is doing what by when. Step-up and step-down keep the whole history (`LevelChange`).

The lead professional is also marked on that worker's involvement
(`Involvement.is_lead_professional`), which is what the "no lead professional" worklist reads.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.tac.choices import ActionStatus


class TeamAroundChild(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="tacs")
    level = models.PositiveSmallIntegerField()  # on the area's continuum (needs vocabulary)
    lead_professional = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(  # the referral it started from, if any
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_on = models.DateField(default=timezone.localdate)
    opened_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            # One open team per child: everyone joins it rather than starting another.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(closed_on__isnull=True),
                name="tac_one_open_team_per_child",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class TacMember(models.Model):
    tac = models.ForeignKey(TeamAroundChild, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey("governance.Agency", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role_in_team = models.CharField(max_length=120, blank=True)
    # The involvement that membership gave (or found) for this worker: their relationship.
    involvement = models.ForeignKey(
        "people.Involvement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # True when joining created that involvement (so leaving ends it); False when the worker
    # or agency was already involved before the team (leaving leaves it as it was).
    involvement_created = models.BooleanField(default=False)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)


class TacMeeting(models.Model):
    tac = models.ForeignKey(TeamAroundChild, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    attendees = models.ManyToManyField("governance.StaffUser", blank=True, related_name="+")
    others_present = models.CharField(max_length=500, blank=True)  # e.g. "Mum; the young person"
    child_attended = models.BooleanField(default=False)
    child_views = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]


class TacAction(models.Model):
    tac = models.ForeignKey(TeamAroundChild, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        TacMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey("governance.StaffUser", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]


class LevelChange(models.Model):
    """A step up or down the continuum (e.g. early help -> social care), never overwritten."""

    tac = models.ForeignKey(TeamAroundChild, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    reason = models.TextField()
    referral = models.ForeignKey(  # a step-up usually goes through a referral
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    @property
    def direction(self) -> str:
        return "step up" if self.to_level > self.from_level else "step down"
