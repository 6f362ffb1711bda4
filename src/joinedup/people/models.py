"""The person index: children, agencies' source records, identifiers, households, involvements."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.linkage.identifiers import (
    InvalidIdentifier,
    check_la_child_id,
    check_nhs_number,
    check_upn,
)

# No 0/O, 1/I/L, U or S: ids are read aloud on the phone between agencies.
CHILD_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRTVWXYZ"
CHILD_ID_LENGTH = 8


def new_child_id() -> str:
    return "C-" + "".join(secrets.choice(CHILD_ID_ALPHABET) for _ in range(CHILD_ID_LENGTH))


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class Child(models.Model):
    """An entry in the person index. `child_id` is issued once and never changes."""

    child_id = models.CharField(max_length=12, unique=True, default=new_child_id, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a reviewed decision merges this child into another; the id stays valid.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "date_of_birth"])]

    def __str__(self) -> str:
        return self.child_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._ensure_free_id()
        if not self._state.adding and self.pk:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("child_id", flat=True)
            if stored and stored[0] != self.child_id:
                raise ValidationError("A child's id never changes once issued.")
        super().save(*args, **kwargs)

    def _ensure_free_id(self) -> None:
        # 29^8 ids: at county scale (300k children) a random clash is a few percent likely,
        # so a new child draws again until its id is free. An issued id never changes.
        if self._state.adding:
            while type(self)._base_manager.filter(child_id=self.child_id).exists():
                self.child_id = new_child_id()

    def validate_unique(self, exclude: Any = None) -> None:
        self._ensure_free_id()
        super().validate_unique(exclude=exclude)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class SourceRecord(models.Model):
    """One agency's record of a person, with identity fields exactly as received."""

    agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, related_name="source_records"
    )
    record_id = models.CharField(max_length=100)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="source_records"
    )
    given_name = models.CharField(max_length=200, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.CharField(max_length=40, blank=True)
    sex = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    nhs_number = models.CharField(max_length=20, blank=True)
    upn = models.CharField(max_length=20, blank=True)
    former_upn = models.CharField(max_length=20, blank=True)
    la_child_id = models.CharField(max_length=40, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "record_id"], name="source_record_unique_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.record_id}"


class IdentifierScheme(models.TextChoices):
    NHS_NUMBER = "nhs_number", "NHS number"
    UPN = "upn", "Unique pupil number"
    FORMER_UPN = "former_upn", "Former UPN"
    LA_CHILD_ID = "la_child_id", "LA child id"
    AGENCY_LOCAL = "agency_local", "Agency local id"


_CHECKS = {
    IdentifierScheme.NHS_NUMBER: check_nhs_number,
    IdentifierScheme.UPN: check_upn,
    IdentifierScheme.FORMER_UPN: check_upn,
    IdentifierScheme.LA_CHILD_ID: check_la_child_id,
}


class Identifier(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="identifiers")
    source_record = models.ForeignKey(
        SourceRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="identifiers"
    )
    scheme = models.CharField(max_length=20, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=40)
    is_temporary = models.BooleanField(default=False)
    is_test_range = models.BooleanField(default=False)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "scheme", "value"], name="identifier_unique_per_child"
            )
        ]

    def clean(self) -> None:
        check = _CHECKS.get(IdentifierScheme(self.scheme))
        if check is None:
            if not self.value.strip():
                raise ValidationError({"value": "An agency local id cannot be blank."})
            return
        try:
            result = check(self.value)
        except InvalidIdentifier as exc:
            raise ValidationError({"value": str(exc)}) from exc
        self.value = result.value
        self.is_temporary = result.is_temporary
        self.is_test_range = result.is_test


class Household(models.Model):
    """A home. From an agency's households extract (`agency` set, `reference` that agency's own)
    or made by joinedup itself (no agency)."""

    agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(max_length=40)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"], name="household_reference_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(agency__isnull=True),
                name="household_reference_unique_without_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class HouseholdMembership(models.Model):
    """A child living in a household. `source_record` is the agency's record of the child the
    membership came from: `child` follows that record through linking, merges and splits (blank
    `child` until the record is linked)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="households"
    )
    source_record = models.ForeignKey(
        SourceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "source_record"],
                condition=Q(source_record__isnull=False),
                name="household_membership_one_per_record",
            )
        ]


class RelationshipType(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    TRUSTED_ADULT = "trusted_adult", "Trusted adult"
    KEY_WORKER = "key_worker", "Key worker"


class Relationship(models.Model):
    """A person who matters to the child: another child in the index, or a named adult.

    From an agency's relationships extract, `source_record` is that agency's record of the child
    and `related_record` (when the related person is a child) an agency's record of them: `child`
    and `related_child` follow those records through linking, merges and splits.
    """

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships"
    )
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    related_child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    source_record = models.ForeignKey(
        SourceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_record = models.ForeignKey(
        SourceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def clean(self) -> None:
        if (
            not self.related_child_id
            and not self.related_record_id
            and not self.person_name.strip()
        ):
            raise ValidationError("Name the related person, or choose a child from the index.")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A relationship cannot end before it starts."})

    @property
    def display_name(self) -> str:
        return self.related_child.full_name if self.related_child else self.person_name


class Involvement(models.Model):
    """An agency's, team's or worker's involvement with a child: the legitimate relationship.

    Agency-wide (no team, no worker): every member of the agency with a suitable role.
    Team: the team's members. Worker: the allocated worker (and their team). Whether it is open
    on a day is the access layer's rule (`joinedup.access.relationships.involvement_is_open`).
    """

    # Blank only while the agency's record it came from (`source_record`) is not yet linked.
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, related_name="involvements"
    )
    team = models.ForeignKey(
        "governance.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    description = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    is_lead_professional = models.BooleanField(default=False)
    # The level of need on the area's continuum this involvement answers: 1 universal (a
    # school's roll, a health visitor's caseload), 2 early help, 3 targeted, 4 specialist.
    # Blank when the source did not say. Universal involvements do not make a child
    # "multi-agency": the "no lead professional" worklist counts the others (blank included).
    level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="1 universal, 2 early help, 3 targeted, 4 specialist; blank if not known.",
    )
    # From an agency's extract (a case list, a school roll): the agency's record of the child,
    # which `child` follows through linking, merges and splits, and the involvement's key
    # within that record: "roll" (a school roll), "case:<the agency's case id>" or
    # "team:<team code>:<started on>". Blank for involvements joinedup itself creates.
    source_record = models.ForeignKey(
        SourceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_key = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["-is_lead_professional", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_record", "source_key"],
                condition=Q(source_record__isnull=False) & ~Q(source_key=""),
                name="involvement_one_per_source_key",
            )
        ]

    def clean(self) -> None:
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "An involvement cannot end before it starts."})
        if self.team is not None and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "The team must belong to the involved agency."})
        if self.is_lead_professional and not self.worker_id:
            raise ValidationError(
                {"is_lead_professional": "A lead professional must be a named worker."}
            )


UNIVERSAL_LEVEL = 1
ROLL_KEY = "roll"  # Involvement.source_key of a pupil's place on a school's roll


def beyond_universal_q() -> Q:
    """Over Involvement: involvements that are more than universal provision (level blank
    counts: a source that did not say is not assumed universal)."""
    return ~Q(level=UNIVERSAL_LEVEL)


from joinedup.people.link_models import (  # noqa: E402  (models Django must discover)
    DecidedBy,
    LinkDecision,
    LinkDecisionKind,
    LinkRun,
)

__all__ = [
    "Child",
    "DecidedBy",
    "Household",
    "HouseholdMembership",
    "Identifier",
    "IdentifierScheme",
    "Involvement",
    "LinkDecision",
    "LinkDecisionKind",
    "LinkRun",
    "Relationship",
    "RelationshipType",
    "Sex",
    "SourceRecord",
]
