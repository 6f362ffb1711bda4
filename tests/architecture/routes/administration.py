"""The administrator's and information governance's routes: no child's case record.

Administration (ADMINISTER_AREA) and agreements (MANAGE_AGREEMENTS) answer 404 to every other
role; the audit search (VIEW_AUDIT) reads the audit log, never a child's record, and is itself
audited. tests/access/test_matrix.py walks each of these routes with every role.
"""

ADMINISTRATION = {
    "administration/agencies/",
    "administration/agencies/new/",
    "administration/agencies/<int:agency_id>/",
    "administration/agencies/<int:agency_id>/change/",
    "administration/agencies/<int:agency_id>/end/",
    "administration/agencies/<int:agency_id>/reopen/",
    "administration/agencies/<int:agency_id>/teams/new/",
    "administration/agencies/<int:agency_id>/teams/<int:team_id>/",
    "administration/agencies/<int:agency_id>/teams/<int:team_id>/end/",
    "administration/agencies/<int:agency_id>/teams/<int:team_id>/reopen/",
    "administration/staff/",
    "administration/staff/new/",
    "administration/staff/<int:staff_id>/",
    "administration/staff/<int:staff_id>/move/",
    "administration/staff/<int:staff_id>/role/",
    "administration/staff/<int:staff_id>/disable/",
    "administration/staff/<int:staff_id>/enable/",
}
GOVERNANCE = {
    "governance/agreements/",
    "governance/new-agreement/",
    "governance/agreements/<slug:code>/",
    "governance/agreements/<slug:code>/edit/",
    "governance/agreements/<slug:code>/approve/",
    "governance/agreements/<slug:code>/live/",
    "governance/agreements/<slug:code>/end/",
    "governance/agreements/<slug:code>/review/",
    "governance/audit/",
    "governance/audit/export.csv",
}
SIGNED_IN = ADMINISTRATION | GOVERNANCE
