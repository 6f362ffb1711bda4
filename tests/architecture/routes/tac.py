"""Route classification for the team around the child (see tests/architecture/test_routes.py).

Team pages and API routes are opened by reference through joinedup.access.tac
(access_tac_by_id): forbidden == missing (404) and every read audited; tests/tac proves it.
"""

SIGNED_IN = {
    "tac/<tac_ref:reference>/",
    "tac/<tac_ref:reference>/members/add/",
    "tac/<tac_ref:reference>/members/<int:member_id>/remove/",
    "tac/<tac_ref:reference>/lead/",
    "tac/<tac_ref:reference>/level/",
    "tac/<tac_ref:reference>/close/",
    "tac/<tac_ref:reference>/meetings/new/",
    "tac/<tac_ref:reference>/actions/<int:action_id>/",
    "api/tac",
    "api/tac/<reference>",
    "api/tac/<reference>/meetings",
    "api/tac/actions/<action_id>",
}
# Opening a team starts from the child's record: access_child_by_id (children.view).
CHILD_ROUTES = {"tac/new/<child_id:child_id>/"}
CHILD_ROUTE_AUDITS: dict[str, set[str]] = {"tac/new/<child_id:child_id>/": set()}
POST_ONLY = {"api/tac", "api/tac/<reference>/meetings", "api/tac/actions/<action_id>"}
