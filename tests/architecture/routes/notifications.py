"""Routes of the notifications app (see tests/architecture/test_routes.py)."""

SIGNED_IN = {
    # The viewer's own notifications; marking read changes only their own (POST).
    "notifications/",
    "notifications/<int:notification_id>/read/",
    "notifications/read-all/",
    # "Nobody gripping it": filtered by the access layer (referral sides, involvement scope,
    # action owner and lead); references and child ids only; each view audited.
    "worklist/attention/",
    # VIEW_REFERRAL_REPORT only (404 for others); aggregates with small numbers suppressed.
    "worklist/attention/report/",
}
