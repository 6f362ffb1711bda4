"""The controlled vocabulary of chronology event types, and their sensitivity.

Special-category event types carry health data (UK GDPR Art. 9) or criminal-offence data
(Art. 10); an agreement that shares them must record its Art. 9 / DPA 2018 Sch. 1 condition.
"""

from __future__ import annotations

from django.db import models


class EventType(models.TextChoices):
    ATTENDANCE_SUMMARY = "attendance_summary", "Attendance summary"
    SUSPENSION = "suspension", "Suspension"
    PERMANENT_EXCLUSION = "permanent_exclusion", "Permanent exclusion"
    SCHOOL_ADMISSION = "school_admission", "School admission"
    SCHOOL_LEAVING = "school_leaving", "Left school roll"
    ALTERNATIVE_PROVISION = "alternative_provision", "Placed in alternative provision"
    MISSING_EDUCATION = "missing_education", "Child missing education"
    ELECTIVE_HOME_EDUCATION = "elective_home_education", "Elective home education registered"
    SEN_SUPPORT = "sen_support", "Special educational needs support"
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    CHILD_PROTECTION = "child_protection", "Child protection enquiry or plan"
    LOOKED_AFTER = "looked_after", "Looked-after episode"
    EARLY_HELP_EPISODE = "early_help_episode", "Early help episode"
    POLICE_NOTIFICATION = "police_notification", "Police domestic-abuse notification"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    HEALTH_CONTACT = "health_contact", "Health contact"
    YOUTH_SERVICE_CONTACT = "youth_service_contact", "Youth service contact"
    YOUTH_JUSTICE_CONTACT = "youth_justice_contact", "Youth justice contact"
    HOUSING_CONTACT = "housing_contact", "Housing contact"


class Sensitivity(models.TextChoices):
    STANDARD = "standard", "Standard"
    SENSITIVE = "sensitive", "Sensitive"
    SPECIAL_CATEGORY = "special_category", "Special category"


SPECIAL_CATEGORY_EVENT_TYPES: frozenset[str] = frozenset(
    {
        EventType.HEALTH_CONTACT,
        EventType.POLICE_NOTIFICATION,
        EventType.YOUTH_JUSTICE_CONTACT,
        EventType.MISSING_EPISODE,
    }
)

# Personal detail of a family's involvement with services: shown to those with a relationship
# and a covering agreement, like standard events, but marked so pages can treat it with care.
SENSITIVE_EVENT_TYPES: frozenset[str] = frozenset(
    {
        EventType.REFERRAL,
        EventType.ASSESSMENT,
        EventType.PLAN,
        EventType.CHILD_PROTECTION,
        EventType.LOOKED_AFTER,
        EventType.SEN_SUPPORT,
        EventType.EARLY_HELP_EPISODE,
        EventType.HOUSING_CONTACT,
    }
)


def default_sensitivity(event_type: str) -> str:
    """The sensitivity an event of this type gets when its source does not say."""
    if event_type in SPECIAL_CATEGORY_EVENT_TYPES:
        return Sensitivity.SPECIAL_CATEGORY
    if event_type in SENSITIVE_EVENT_TYPES:
        return Sensitivity.SENSITIVE
    return Sensitivity.STANDARD
