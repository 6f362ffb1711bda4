"""Route classification for the early-warning indicators' later routes (see
tests/architecture/test_routes.py).

Recording a decision over the API goes through flag_decision_record, which opens the child with
access_child_by_id (404 without a relationship, denials audited) and checks the role (403,
audited); tests/indicators/test_flags_api.py proves it.
"""

SIGNED_IN = {"api/children/<child_id>/flags/decisions"}
POST_ONLY = {"api/children/<child_id>/flags/decisions"}
