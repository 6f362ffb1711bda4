"""Every page's path, in one map. URL names are global (no namespace): templates, views and
notifications.links reverse them.

Ids in paths use the converters in web/converters.py, so no path can take another's whatever
the order below (tests/architecture/test_url_map.py proves it).
"""

from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, path, register_converter

from joinedup.web.administration import agencies as admin_agencies
from joinedup.web.administration import agreements as governance_agreements
from joinedup.web.administration import audit as governance_audit
from joinedup.web.administration import signin as admin_signin
from joinedup.web.administration import staff as admin_staff
from joinedup.web.assessments import views as assessments
from joinedup.web.children import views as children
from joinedup.web.converters import CONVERTERS
from joinedup.web.directory import views as directory
from joinedup.web.home import password_views as password
from joinedup.web.home import second_factor_views as second_factor
from joinedup.web.home import signin_views as signin
from joinedup.web.home import timeout_views as timeout
from joinedup.web.home import views as home
from joinedup.web.imports import views as imports
from joinedup.web.linkage import review_views as link_review
from joinedup.web.linkage import run_views as link_runs
from joinedup.web.public import views as public
from joinedup.web.referrals import action_views as referral_actions
from joinedup.web.referrals import match_views as referral_match
from joinedup.web.referrals import views as referrals
from joinedup.web.reports import indicator_views as indicator_report
from joinedup.web.reports import referral_views as referral_report
from joinedup.web.tac import views as tac
from joinedup.web.worklists import attention_views as attention
from joinedup.web.worklists import flag_views as flags
from joinedup.web.worklists import notification_views as notifications

for _name, _converter in CONVERTERS.items():
    register_converter(_converter, _name)

# The sign-in flow: open without a session (governance/middleware.py), nothing else is.
signin_paths = [
    path("sign-in/oidc/<slug:provider>/", signin.oidc_start, name="oidc-start"),
    path("sign-in/oidc/<slug:provider>/callback/", signin.oidc_callback, name="oidc-callback"),
    path("sign-in/second-factor/", second_factor.second_factor_page, name="second-factor"),
    path(
        "sign-in/second-factor/set-up/",
        second_factor.second_factor_set_up_page,
        name="second-factor-set-up",
    ),
    path(
        "sign-in/second-factor/recovery-codes/",
        second_factor.recovery_codes_page,
        name="second-factor-recovery-codes",
    ),
    path(
        "sign-in/set-password/<slug:uidb64>/<slug:token>/",
        password.password_set_page,
        name="password-set",
    ),
]

administration_signin_paths = [
    path(
        "administration/staff/<int:staff_id>/sign-in/",
        admin_signin.staff_sign_in_page,
        name="admin-staff-sign-in",
    ),
]

home_paths = [
    path("healthz", home.healthz, name="healthz"),
    path("sign-in/", signin.SignInView.as_view(), name="login"),
    path("sign-out/", LogoutView.as_view(), name="logout"),
    path("", home.home, name="home"),
    path("purpose/", home.purpose_change, name="purpose-change"),
    path("agreements/<slug:code>/", home.agreement_detail, name="agreement-detail"),
    path("access-history/", home.access_history, name="access-history"),
    path(
        "break-glass/<int:grant_id>/review/",
        home.break_glass_review_page,
        name="break-glass-review",
    ),
]

# Open without signing in (governance/middleware.py lists them): the area's public pages and
# the page the idle sign-out lands on. Staying signed in needs sign-in.
public_paths = [
    path("accessibility/", public.accessibility_statement_page, name="accessibility-statement"),
    path("privacy/", public.privacy_notice_page, name="privacy-notice"),
    path("cookies/", public.cookies_page, name="cookies"),
    path("signed-out/", timeout.signed_out_page, name="signed-out"),
    path("session/keep-alive/", timeout.session_keep_alive, name="session-keep-alive"),
]

children_paths = [
    path("children/", children.child_search_page, name="child-search"),
    path("children/<child_id:child_id>/", children.child_detail, name="child-detail"),
    path("break-glass/", children.break_glass_page, name="break-glass"),
]

worklist_paths = [
    path("worklist/", flags.worklist_page, name="worklist"),
    path("worklist/unknown/", flags.unknown_to_services_page, name="worklist-unknown"),
    path("worklist/<child_id:child_id>/", flags.worklist_item_page, name="worklist-item"),
    path("worklist/attention/", attention.attention_page, name="worklist-attention"),
    path("notifications/", notifications.notification_list_page, name="notification-list"),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notification-read-all",
    ),
]

report_paths = [
    path("indicators/report/", indicator_report.indicator_report_page, name="indicator-report"),
    path(
        "worklist/attention/report/",
        referral_report.referral_report_page,
        name="referral-report",
    ),
]

import_paths = [
    path("imports/", imports.import_list, name="import-list"),
    path("imports/new/", imports.import_new, name="import-new"),
    path("imports/jobs/<slug:key>/", imports.import_job, name="import-job"),
    path(
        "imports/jobs/<slug:key>/progress/",
        imports.import_job_progress,
        name="import-job-progress",
    ),
    path("imports/<int:run_id>/", imports.import_run_detail, name="import-run"),
    path(
        "imports/<int:run_id>/quarantined.csv",
        imports.import_run_quarantined_csv,
        name="import-run-quarantined",
    ),
]

linkage_paths = [
    path("linkage/review/", link_review.link_review_queue, name="link-review"),
    path("linkage/review/<int:item_id>/", link_review.link_review_item, name="link-review-item"),
    path(
        "linkage/decisions/<int:decision_id>/",
        link_review.link_decision_page,
        name="link-decision",
    ),
    path(
        "linkage/children/<child_id:child_id>/",
        link_review.link_history_page,
        name="link-history",
    ),
    path("linkage/runs/", link_runs.link_run_list_page, name="link-runs"),
    path("linkage/runs/<int:run_id>/", link_runs.link_run_detail_page, name="link-run-detail"),
]

directory_paths = [
    path("directory/", directory.directory_search_page, name="directory-search"),
    path("directory/import/", directory.directory_import_page, name="directory-import"),
    path("directory/continuum/", directory.continuum_page, name="continuum"),
]

referral_paths = [
    path("referrals/", referrals.referral_list_page, name="referral-list"),
    path("referrals/new/", referrals.referral_new_page, name="referral-new"),
    path("referrals/match/", referral_match.referral_match_fragment, name="referral-match"),
    path(
        "referrals/<referral_ref:reference>/",
        referrals.referral_detail_page,
        name="referral-detail",
    ),
    path(
        "referrals/<referral_ref:reference>/edit/",
        referrals.referral_edit_page,
        name="referral-edit",
    ),
    path(
        "referrals/<referral_ref:reference>/<referral_verb:verb>/",
        referral_actions.referral_action,
        name="referral-action",
    ),
]

assessment_paths = [
    path(
        "assessments/new/<child_id:child_id>/",
        assessments.assessment_new_page,
        name="assessment-new",
    ),
    path(
        "assessments/measures/new/<child_id:child_id>/",
        assessments.measure_new_page,
        name="measure-new",
    ),
    path(
        "assessments/<assessment_ref:reference>/",
        assessments.assessment_detail_page,
        name="assessment-detail",
    ),
]

tac_paths = [
    path("tac/new/<child_id:child_id>/", tac.tac_new_page, name="tac-new"),
    path("tac/<tac_ref:reference>/", tac.tac_detail_page, name="tac-detail"),
    path("tac/<tac_ref:reference>/members/add/", tac.tac_member_add_page, name="tac-member-add"),
    path(
        "tac/<tac_ref:reference>/members/<int:member_id>/remove/",
        tac.tac_member_remove_page,
        name="tac-member-remove",
    ),
    path("tac/<tac_ref:reference>/lead/", tac.tac_lead_set_page, name="tac-lead-set"),
    path("tac/<tac_ref:reference>/level/", tac.tac_level_change_page, name="tac-level-change"),
    path("tac/<tac_ref:reference>/close/", tac.tac_close_page, name="tac-close"),
    path(
        "tac/<tac_ref:reference>/meetings/new/",
        tac.tac_meeting_new_page,
        name="tac-meeting-new",
    ),
    path(
        "tac/<tac_ref:reference>/actions/<int:action_id>/",
        tac.tac_action_update_page,
        name="tac-action-update",
    ),
]

administration_paths = [
    path("administration/agencies/", admin_agencies.agency_list_page, name="admin-agencies"),
    path("administration/agencies/new/", admin_agencies.agency_new_page, name="admin-agency-new"),
    path(
        "administration/agencies/<int:agency_id>/",
        admin_agencies.agency_detail_page,
        name="admin-agency",
    ),
    path(
        "administration/agencies/<int:agency_id>/change/",
        admin_agencies.agency_change_page,
        name="admin-agency-change",
    ),
    path(
        "administration/agencies/<int:agency_id>/end/",
        admin_agencies.agency_end_page,
        name="admin-agency-end",
    ),
    path(
        "administration/agencies/<int:agency_id>/reopen/",
        admin_agencies.agency_reopen_page,
        name="admin-agency-reopen",
    ),
    path(
        "administration/agencies/<int:agency_id>/teams/new/",
        admin_agencies.team_new_page,
        name="admin-team-new",
    ),
    path(
        "administration/agencies/<int:agency_id>/teams/<int:team_id>/",
        admin_agencies.team_detail_page,
        name="admin-team",
    ),
    path(
        "administration/agencies/<int:agency_id>/teams/<int:team_id>/end/",
        admin_agencies.team_end_page,
        name="admin-team-end",
    ),
    path(
        "administration/agencies/<int:agency_id>/teams/<int:team_id>/reopen/",
        admin_agencies.team_reopen_page,
        name="admin-team-reopen",
    ),
    path("administration/staff/", admin_staff.staff_list_page, name="admin-staff"),
    path("administration/staff/new/", admin_staff.staff_new_page, name="admin-staff-new"),
    path(
        "administration/staff/<int:staff_id>/",
        admin_staff.staff_detail_page,
        name="admin-staff-detail",
    ),
    path(
        "administration/staff/<int:staff_id>/move/",
        admin_staff.staff_move_page,
        name="admin-staff-move",
    ),
    path(
        "administration/staff/<int:staff_id>/role/",
        admin_staff.staff_role_page,
        name="admin-staff-role",
    ),
    path(
        "administration/staff/<int:staff_id>/disable/",
        admin_staff.staff_disable_page,
        name="admin-staff-disable",
    ),
    path(
        "administration/staff/<int:staff_id>/enable/",
        admin_staff.staff_enable_page,
        name="admin-staff-enable",
    ),
]

governance_paths = [
    path(
        "governance/agreements/",
        governance_agreements.agreement_list_page,
        name="governance-agreements",
    ),
    path(
        "governance/new-agreement/",
        governance_agreements.agreement_new_page,
        name="governance-agreement-new",
    ),
    path(
        "governance/agreements/<slug:code>/",
        governance_agreements.agreement_page,
        name="governance-agreement",
    ),
    path(
        "governance/agreements/<slug:code>/edit/",
        governance_agreements.agreement_edit_page,
        name="governance-agreement-edit",
    ),
    path(
        "governance/agreements/<slug:code>/approve/",
        governance_agreements.agreement_approve_page,
        name="governance-agreement-approve",
    ),
    path(
        "governance/agreements/<slug:code>/live/",
        governance_agreements.agreement_live_page,
        name="governance-agreement-live",
    ),
    path(
        "governance/agreements/<slug:code>/end/",
        governance_agreements.agreement_end_page,
        name="governance-agreement-end",
    ),
    path(
        "governance/agreements/<slug:code>/review/",
        governance_agreements.agreement_review_page,
        name="governance-agreement-review",
    ),
    path("governance/audit/", governance_audit.audit_search_page, name="governance-audit"),
    path(
        "governance/audit/export.csv",
        governance_audit.audit_export,
        name="governance-audit-export",
    ),
]

urlpatterns: list[URLPattern] = [
    *home_paths,
    *public_paths,
    *signin_paths,
    *administration_signin_paths,
    *children_paths,
    *worklist_paths,
    *report_paths,
    *import_paths,
    *linkage_paths,
    *directory_paths,
    *referral_paths,
    *assessment_paths,
    *tac_paths,
    *administration_paths,
    *governance_paths,
]
