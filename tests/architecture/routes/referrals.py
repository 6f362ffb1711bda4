"""Route classification for the referrals pages (see tests/architecture/test_routes.py).

Referrals are opened by reference through the access layer (same 404 for forbidden and
missing, reads audited): tests/referrals/test_pages.py proves both."""

SIGNED_IN = {
    "referrals/",  # the viewer's sent and received referrals, through referral_list (audited)
    "referrals/new/",
    "referrals/match/",  # child_match: visible candidates only, hidden ones counted; audited
    "referrals/<referral_ref:reference>/",
    "referrals/<referral_ref:reference>/edit/",
    "referrals/<referral_ref:reference>/<referral_verb:verb>/",
}
