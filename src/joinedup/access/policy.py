"""What each role may do. Deny by default: a role, action or purpose not listed here is refused.

This table is the first of the three tests every read of child data passes (role, legitimate
relationship, covering sharing agreement); see docs/access-model.md.
"""

from __future__ import annotations

from enum import StrEnum

from joinedup.chronology.vocabulary import Sensitivity
from joinedup.governance.models import Purpose, Role


class Action(StrEnum):
    VIEW_CHILD = "view_child"
    SEARCH_CHILDREN = "search_children"
    BREAK_GLASS = "break_glass"
    REVIEW_BREAK_GLASS = "review_break_glass"
    VIEW_AUDIT = "view_audit"
    # The clerical review of record linkage: identity fields of source records only.
    REVIEW_LINKS = "review_links"
    # Importing agency extracts, and reading import reports (quarantined rows hold raw rows).
    IMPORT_EXTRACTS = "import_extracts"
    # Early-warning indicators (issue 4): a child's flags are read with VIEW_CHILD; these are
    # the worklist decision, the area's "unknown to services" triage, running the rules and
    # the aggregate fairness and hit-rate report.
    DECIDE_FLAGS = "decide_flags"
    TRIAGE_UNKNOWN = "triage_unknown"
    RUN_INDICATORS = "run_indicators"
    VIEW_INDICATOR_REPORT = "view_indicator_report"
    # Referrals, assessments and the team around the child (issue 5). Reading one still needs
    # a relationship: the sender's, the receiving team's while the referral is live, or an
    # involvement (docs/referrals.md).
    MAKE_REFERRALS = "make_referrals"
    RECEIVE_REFERRALS = "receive_referrals"
    RECORD_ASSESSMENTS = "record_assessments"
    WORK_IN_TAC = "work_in_tac"
    SEARCH_DIRECTORY = "search_directory"
    MANAGE_DIRECTORY = "manage_directory"
    # Aggregates: re-referral rate, acknowledgement times; no child's record.
    VIEW_REFERRAL_REPORT = "view_referral_report"
    # Running the area (issue 13): agencies, teams and staff (administrator); sharing
    # agreements' life and the audit search (information governance). Neither reads a child's
    # case record.
    ADMINISTER_AREA = "administer_area"
    MANAGE_AGREEMENTS = "manage_agreements"


_PRACTITIONER = {Action.VIEW_CHILD, Action.SEARCH_CHILDREN, Action.SEARCH_DIRECTORY}
# Those who refer, receive referrals, assess and sit in a team around the child. A class
# teacher raises a concern with their DSL, who refers.
_CASEWORK = {
    Action.MAKE_REFERRALS,
    Action.RECEIVE_REFERRALS,
    Action.RECORD_ASSESSMENTS,
    Action.WORK_IN_TAC,
}
_EMERGENCY = _PRACTITIONER | {Action.BREAK_GLASS} | _CASEWORK
_DECIDER = _EMERGENCY | {Action.DECIDE_FLAGS}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.DESIGNATED_SAFEGUARDING_LEAD: frozenset(_DECIDER),
    # A teacher escalates to their DSL rather than breaking the glass.
    Role.TEACHER: frozenset(_PRACTITIONER),
    Role.SOCIAL_WORKER: frozenset(_DECIDER),
    Role.TEAM_MANAGER: frozenset(
        _DECIDER
        | {Action.TRIAGE_UNKNOWN, Action.VIEW_INDICATOR_REPORT, Action.VIEW_REFERRAL_REPORT}
    ),
    Role.EARLY_HELP_PRACTITIONER: frozenset(_DECIDER),
    Role.HEALTH_VISITOR: frozenset(_EMERGENCY),
    Role.SCHOOL_NURSE: frozenset(_EMERGENCY),
    Role.POLICE_SAFEGUARDING_OFFICER: frozenset(_EMERGENCY),
    Role.YOUTH_WORKER: frozenset(_PRACTITIONER | _CASEWORK),
    Role.YOUTH_JUSTICE_OFFICER: frozenset(_DECIDER),
    # Analysts work on linkage and aggregates, never on one child's record.
    Role.DATA_ANALYST: frozenset(
        {
            Action.REVIEW_LINKS,
            Action.IMPORT_EXTRACTS,
            Action.RUN_INDICATORS,
            Action.VIEW_INDICATOR_REPORT,
            Action.VIEW_REFERRAL_REPORT,
            Action.MANAGE_DIRECTORY,
            Action.SEARCH_DIRECTORY,
        }
    ),
    Role.INFORMATION_GOVERNANCE_OFFICER: frozenset(
        {Action.REVIEW_BREAK_GLASS, Action.VIEW_AUDIT, Action.MANAGE_AGREEMENTS}
    ),
    Role.ADMINISTRATOR: frozenset({Action.ADMINISTER_AREA}),
}

# The purposes a role may work under; the first is the default.
ROLE_PURPOSES: dict[str, tuple[str, ...]] = {
    Role.DESIGNATED_SAFEGUARDING_LEAD: (Purpose.SAFEGUARDING, Purpose.EDUCATION),
    Role.TEACHER: (Purpose.EDUCATION,),
    Role.SOCIAL_WORKER: (Purpose.SAFEGUARDING, Purpose.EARLY_HELP),
    Role.TEAM_MANAGER: (Purpose.SAFEGUARDING, Purpose.EARLY_HELP),
    Role.EARLY_HELP_PRACTITIONER: (Purpose.EARLY_HELP, Purpose.SAFEGUARDING),
    Role.HEALTH_VISITOR: (Purpose.HEALTH_CARE, Purpose.SAFEGUARDING),
    Role.SCHOOL_NURSE: (Purpose.HEALTH_CARE, Purpose.SAFEGUARDING),
    Role.POLICE_SAFEGUARDING_OFFICER: (Purpose.SAFEGUARDING,),
    Role.YOUTH_WORKER: (Purpose.YOUTH_SUPPORT,),
    Role.YOUTH_JUSTICE_OFFICER: (Purpose.YOUTH_SUPPORT, Purpose.SAFEGUARDING),
}

# Special-category detail (health, police, missing, youth justice) is for safeguarding leads and
# specialist practitioners; a class teacher or youth worker sees that it is withheld, not what.
ROLE_MAX_SENSITIVITY: dict[str, tuple[str, ...]] = {
    Role.TEACHER: (Sensitivity.STANDARD, Sensitivity.SENSITIVE),
    Role.YOUTH_WORKER: (Sensitivity.STANDARD, Sensitivity.SENSITIVE),
}
ALL_SENSITIVITIES: tuple[str, ...] = tuple(Sensitivity.values)


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def allowed_purposes(role: str) -> tuple[str, ...]:
    return ROLE_PURPOSES.get(role, ())


def default_purpose(role: str) -> str | None:
    purposes = allowed_purposes(role)
    return purposes[0] if purposes else None


def allowed_sensitivities(role: str) -> tuple[str, ...]:
    return ROLE_MAX_SENSITIVITY.get(role, ALL_SENSITIVITIES)
