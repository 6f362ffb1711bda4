"""Assessments routes (issue 5). Record routes by reference are SIGNED_IN: tests/assessments
prove forbidden == missing (same 404 body) and that reads are audited."""

CHILD_ROUTES = {
    "assessments/new/<child_id:child_id>/",  # the form chooser, then the form
    "assessments/measures/new/<child_id:child_id>/",
}
CHILD_ROUTE_AUDITS: dict[str, set[str]] = {
    "assessments/new/<child_id:child_id>/": set(),
    "assessments/measures/new/<child_id:child_id>/": set(),
}
SIGNED_IN = {
    "assessments/<assessment_ref:reference>/",
    "api/assessments",  # ?child_id=: the child's record is opened through the access layer
    "api/assessments/<reference>",
    "api/assessments/measures",
}
POST_ONLY = {"api/assessments/measures"}
