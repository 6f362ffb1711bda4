"""A referral's fixed choices: status, consent, the basis for sharing without it, outcome.

Apart from the models so that pages and the API can name them without importing a model module
that holds child data (an import-linter contract). The models re-export them."""

from __future__ import annotations

from django.db import models

__all__ = ["Consent", "ReferralOutcome", "ReferralStatus", "SharingBasis"]


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    NOT_SOUGHT = "not_sought", "Consent not sought"


class SharingBasis(models.TextChoices):
    """Why information is shared without consent (HM Government, Information sharing: advice
    for practitioners, 2024). Needed whenever consent is not given."""

    SIGNIFICANT_HARM = "significant_harm", "Risk of significant harm (Children Act 1989 s47)"
    SAFEGUARDING_DUTY = (
        "safeguarding_duty",
        "Safeguarding duty: seeking consent would place the child at greater risk",
    )
    PUBLIC_TASK = "public_task", "Statutory function (UK GDPR Art. 6(1)(e) public task)"
    VITAL_INTERESTS = "vital_interests", "Vital interests (UK GDPR Art. 6(1)(d))"
    CRIME_PREVENTION = "crime_prevention", "Prevention or detection of crime (DPA 2018 Sch. 2)"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR Art. 6(1)(c))"


class ReferralOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    NEEDS_MET = "needs_met", "Support provided: needs met"
    STEPPED_UP = "stepped_up", "Stepped up to a higher level of need"
    STEPPED_DOWN = "stepped_down", "Stepped down to a lower level of need"
    TRANSFERRED = "transferred", "Transferred to another service"
    MOVED_AWAY = "moved_away", "Child moved out of the area"
    DISENGAGED = "disengaged", "Family did not engage"
    OTHER = "other", "Other"
