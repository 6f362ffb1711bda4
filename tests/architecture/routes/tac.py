"""Route classification for the team around the child (see tests/architecture/test_routes.py).

Team pages and API routes are opened by reference through joinedup.access.tac
(access_tac_by_id): forbidden == missing (404) and every read audited; tests/tac proves it.
"""

SIGNED_IN = {
    "tac/<str:reference>/",
    "tac/<str:reference>/members/add/",
    "tac/<str:reference>/members/<int:member_id>/remove/",
    "tac/<str:reference>/lead/",
    "tac/<str:reference>/level/",
    "tac/<str:reference>/close/",
    "tac/<str:reference>/meetings/new/",
    "tac/<str:reference>/actions/<int:action_id>/",
    "api/tac",
    "api/tac/<reference>",
    "api/tac/<reference>/meetings",
    "api/tac/actions/<action_id>",
}
# Opening a team starts from the child's record: access_child_by_id (children.view).
CHILD_ROUTES = {"tac/new/<str:child_id>/"}
CHILD_ROUTE_AUDITS: dict[str, set[str]] = {"tac/new/<str:child_id>/": set()}
POST_ONLY = {"api/tac", "api/tac/<reference>/meetings", "api/tac/actions/<action_id>"}
