"""The referrals API's routes. A referral is opened by reference through the access layer
(`access_referral_by_id`): 404 for a referral you may not see, the same as a missing one, and
every read and change audited (tests/referrals/test_api.py proves both)."""

SIGNED_IN = {
    "api/referrals",  # GET your sent/received box; POST a draft (with the real-time match)
    "api/referrals/<reference>",
    "api/referrals/<reference>/edit",
    "api/referrals/<reference>/send",
    "api/referrals/<reference>/acknowledge",
    "api/referrals/<reference>/accept",
    "api/referrals/<reference>/decline",
    "api/referrals/<reference>/close",
    "api/referrals/<reference>/alternative-taken-up",
}
POST_ONLY = {
    "api/referrals/<reference>/edit",
    "api/referrals/<reference>/send",
    "api/referrals/<reference>/acknowledge",
    "api/referrals/<reference>/accept",
    "api/referrals/<reference>/decline",
    "api/referrals/<reference>/close",
    "api/referrals/<reference>/alternative-taken-up",
}
