"""The service directory, imported from Open Referral UK (ORUK, the UK profile of HSDS).

Each row keeps the ORUK id it came from, so re-importing the same data updates rather than
duplicates. A service whose last review (ORUK `assured_date`, else `last_modified`) is more than
12 months old, or missing, is stale: still searchable, and marked so.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ServiceStatus(models.TextChoices):
    # ORUK / HSDS service.status values
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class DirectoryImport(models.Model):
    """One import of an ORUK file: archived by checksum like every extract."""

    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisations = models.PositiveIntegerField(default=0)
    services_loaded = models.PositiveIntegerField(default=0)
    services_rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, blank=True
    )  # [{"where": ..., "field": ..., "why": ...}]
    # Services loaded with something flagged (a review date in the future), same shape.
    flagged = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]


class Organisation(models.Model):
    oruk_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    oruk_id = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    # The joinedup agency (and team) that receives referrals to this service, when it has one.
    agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "governance.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.CharField(max_length=254, blank=True)
    telephone = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=30, choices=ServiceStatus.choices)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility = models.TextField(blank=True)
    taxonomy = models.JSONField(default=list, blank=True)  # taxonomy term labels
    last_reviewed_on = models.DateField(null=True, blank=True)
    # Why the file's review date was not taken (e.g. "assured_date 2027-06-01 is in the
    # future"); blank when it was. A flagged service has no review date, so it reads as stale.
    review_date_flag = models.CharField(max_length=200, blank=True)
    imported = models.ForeignKey(DirectoryImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    oruk_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=500, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    services = models.ManyToManyField(Service, related_name="locations", blank=True)

    def __str__(self) -> str:
        return self.name or self.address
