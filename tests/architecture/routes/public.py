"""The area's public pages and the idle sign-out (web/public/, web/home/timeout_views.py)."""

OPEN = {
    "accessibility/": "the accessibility statement; the regulations want it reachable by anyone",
    "privacy/": "the privacy notice; for the people whose information is held, too",
    "cookies/": "what the cookies are for; no data",
    "signed-out/": "where the idle sign-out lands, after the session has gone",
}
SIGNED_IN = {
    "session/keep-alive/",  # "Stay signed in": POST only, renews the session, no data
}
