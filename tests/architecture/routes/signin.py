"""Route classification for sign-in administration (see tests/architecture/test_routes.py).

The administrator's page for one member of staff's sign-in: Action.ADMINISTER_AREA only, 404
for everyone else (tests/signin/test_administration.py); no child data.
"""

SIGNED_IN = {"administration/staff/<int:staff_id>/sign-in/"}
