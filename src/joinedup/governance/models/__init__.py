"""Agencies, staff, sharing agreements (area), break-glass grants (break_glass) and the audit
log (audit). One Django app's models in three modules, so that the one naming a child
(break_glass) can be kept from the pages and the API by an import-linter contract."""

from joinedup.governance.models.area import (
    Agency,
    AgencyType,
    AgreementStatus,
    Article6Basis,
    Purpose,
    Role,
    SharingAgreement,
    StaffUser,
    Team,
)
from joinedup.governance.models.audit import (
    AppendOnlyQuerySet,
    AuditChainHead,
    AuditEvent,
    AuditOutcome,
)
from joinedup.governance.models.break_glass import BreakGlassAccess

__all__ = [
    "Agency",
    "AgencyType",
    "AgreementStatus",
    "AppendOnlyQuerySet",
    "Article6Basis",
    "AuditChainHead",
    "AuditEvent",
    "AuditOutcome",
    "BreakGlassAccess",
    "Purpose",
    "Role",
    "SharingAgreement",
    "StaffUser",
    "Team",
]
