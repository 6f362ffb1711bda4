"""The kinds of indicator rule joinedup implements, and the names a rule file may use (pure).

Each kind is one evaluator in judge.py; an area's rule file chooses among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DOMAINS", "EVENT_FIELDS", "EVENT_TYPES", "KINDS", "KindSpec"]

DOMAINS = ("attendance", "behaviour", "education", "partner", "escalation")

# The chronology's event types (joinedup.chronology.vocabulary.EventType; a test keeps the two
# the same: this module imports no Django).
EVENT_TYPES = (
    "attendance_summary",
    "suspension",
    "permanent_exclusion",
    "school_admission",
    "school_leaving",
    "alternative_provision",
    "missing_education",
    "elective_home_education",
    "sen_support",
    "referral",
    "assessment",
    "plan",
    "child_protection",
    "looked_after",
    "early_help_episode",
    "police_notification",
    "missing_episode",
    "health_contact",
    "youth_service_contact",
    "youth_justice_contact",
    "housing_contact",
)
# Payload fields an event rule may match on (the evaluator reads these columns of events).
EVENT_FIELDS = ("notification_type", "admission")


@dataclass(frozen=True)
class KindSpec:
    """What a kind of rule measures: its unit, how the value compares with the threshold
    ("below" fires under the threshold, "at_least" at or over it), the kinds of window it
    takes, and its own fields (name -> required)."""

    unit: str
    direction: str
    windows: tuple[str, ...]
    fields: dict[str, bool] = field(default_factory=dict)

    @property
    def comparison(self) -> str:
        return "<" if self.direction == "below" else ">="


SCHOOL = ("school_days", "term", "school_year")
CALENDAR = ("days", "term", "school_year")
KINDS: dict[str, KindSpec] = {
    # attendance % (present + approved activity over possible sessions) in the window(s)
    "attendance_rate": KindSpec("%", "below", SCHOOL),
    # points lost between the window and the same-length window before it
    "attendance_drop": KindSpec("points", "at_least", ("school_days",)),
    # longest run of school days whose possible sessions were all unauthorised absence
    "consecutive_unauthorised": KindSpec("school days", "at_least", SCHOOL),
    # sessions marked with one of `codes`
    "session_count": KindSpec("sessions", "at_least", SCHOOL, {"codes": True}),
    # absent days on one weekday, when that weekday's absence rate is >= min_ratio x the others'
    "weekday_pattern": KindSpec("days", "at_least", ("school_days",), {"min_ratio": True}),
    # events of `event_types` (payload `match`), plus sessions marked with `codes`
    "event_count": KindSpec(
        "events",
        "at_least",
        CALENDAR,
        {"event_types": True, "match": False, "codes": False, "red_window": False},
    ),
    # school admissions more than `grace_days` after the school year started
    "mid_year_admission": KindSpec("admissions", "at_least", CALENDAR, {"grace_days": True}),
    # flags from other rules in `min_domains` domains, or one rising from amber to red
    "escalation": KindSpec("domains", "at_least", (), {}),
}
