"""The area's set-up: agencies, teams, staff and their roles, purposes, sharing agreements."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class AgencyType(models.TextChoices):
    SCHOOL = "school", "School"
    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    YOUTH_SERVICE = "youth_service", "Youth service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary sector"


class Agency(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    urn = models.CharField("school URN", max_length=10, blank=True)
    ods_code = models.CharField("NHS ODS code", max_length=10, blank=True)
    # Never deleted: an agency taken out of the area file, or ended on the administration
    # pages, keeps its history (its records, involvements and audit) and ends on this day.
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="team_code_unique_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Role(models.TextChoices):
    DESIGNATED_SAFEGUARDING_LEAD = "dsl", "Designated safeguarding lead"
    TEACHER = "teacher", "Teacher"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner", "Early help practitioner"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    POLICE_SAFEGUARDING_OFFICER = "police_safeguarding_officer", "Police safeguarding officer"
    YOUTH_WORKER = "youth_worker", "Youth worker"
    YOUTH_JUSTICE_OFFICER = "youth_justice_officer", "Youth justice officer"
    DATA_ANALYST = "data_analyst", "Data analyst"
    INFORMATION_GOVERNANCE_OFFICER = "ig_officer", "Information governance officer"
    ADMINISTRATOR = "administrator", "Administrator"


class StaffUser(AbstractUser):
    """A member of staff of one agency, signing in with one role."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # The employer's own id for the person (HR lists and case lists carry it); unique when set.
    staff_number = models.CharField(max_length=40, blank=True)
    # Disabling is `is_active = False` (Django refuses the person's session at once) and when.
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["staff_number"],
                condition=~models.Q(staff_number=""),
                name="staff_number_unique_when_set",
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.team is not None and self.agency_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "The team must belong to the staff member's agency."})

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


class Purpose(models.TextChoices):
    """Why a professional is looking. Each sharing agreement names the purposes it covers."""

    SAFEGUARDING = "safeguarding", "Safeguarding and child protection"
    EARLY_HELP = "early_help", "Early help and family support"
    EDUCATION = "education", "Education welfare and attendance"
    HEALTH_CARE = "health_care", "Direct health care"
    YOUTH_SUPPORT = "youth_support", "Youth support and youth justice"


class Article6Basis(models.TextChoices):
    CONSENT = "6(1)(a)", "Art. 6(1)(a) consent"
    CONTRACT = "6(1)(b)", "Art. 6(1)(b) contract"
    LEGAL_OBLIGATION = "6(1)(c)", "Art. 6(1)(c) legal obligation"
    VITAL_INTERESTS = "6(1)(d)", "Art. 6(1)(d) vital interests"
    PUBLIC_TASK = "6(1)(e)", "Art. 6(1)(e) public task"
    LEGITIMATE_INTERESTS = "6(1)(f)", "Art. 6(1)(f) legitimate interests"


class AgreementStatus(models.TextChoices):
    """An agreement's life: drafted, approved by information governance, live, ended."""

    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class SharingAgreement(models.Model):
    """A data sharing agreement: who may see which kinds of event, why, and on what lawful basis.

    Sharing happens only while the agreement is live (`status`) and `starts_at <= now < ends_at`;
    an agreement past its end stops sharing at once because every check compares against the
    current time. A draft or approved agreement shares nothing.
    """

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(Agency, related_name="sharing_agreements")
    purposes = models.JSONField(help_text="Purpose codes this agreement covers.")
    article_6_basis = models.CharField(max_length=10, choices=Article6Basis.choices)
    article_9_condition = models.CharField(
        max_length=300,
        blank=True,
        help_text="UK GDPR Art. 9(2) / DPA 2018 Sch. 1 condition, required when "
        "special-category data is shared.",
    )
    event_types = models.JSONField(help_text="Event type codes covered.")
    fields = models.JSONField(
        default=list, help_text="Event fields shared (summary, payload keys)."
    )
    retention = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    review_at = models.DateField()
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from joinedup.chronology.vocabulary import SPECIAL_CATEGORY_EVENT_TYPES, EventType

        errors: dict[str, str] = {}
        valid_purposes = set(Purpose.values)
        if not isinstance(self.purposes, list) or not self.purposes:
            errors["purposes"] = "List at least one purpose."
        elif bad := sorted(set(self.purposes) - valid_purposes):
            errors["purposes"] = f"Unknown purpose(s): {', '.join(bad)}."
        if not isinstance(self.event_types, list) or not self.event_types:
            errors["event_types"] = "List at least one event type."
        elif bad := sorted(set(self.event_types) - set(EventType.values)):
            errors["event_types"] = f"Unknown event type(s): {', '.join(bad)}."
        elif (
            set(self.event_types) & SPECIAL_CATEGORY_EVENT_TYPES
            and not self.article_9_condition.strip()
        ):
            errors["article_9_condition"] = (
                "This agreement shares special-category data (health or criminal-offence data); "
                "record the Art. 9 / DPA 2018 Sch. 1 condition."
            )
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must be after the start."
        if errors:
            raise ValidationError(errors)

    def is_live(self, at: Any = None) -> bool:
        at = at or timezone.now()
        return (
            self.status == AgreementStatus.LIVE
            and self.starts_at <= at
            and (self.ends_at is None or at < self.ends_at)
        )
