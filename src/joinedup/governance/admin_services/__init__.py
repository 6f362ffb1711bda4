"""Administering the area one object at a time: agencies, teams and staff.

Each service is keyword-only, takes `actor=` (a member of staff whose role may administer the
area), runs in one transaction, locks the row it changes, checks with `full_clean()` and
records one audit entry (`admin.<thing>_<verb>`, with `before`/`after` in its detail). Nothing
is ever deleted: agencies and teams end (and re-open), staff are disabled (and enabled).

A refusal is a `ValidationError` naming the field and why (a duplicate code, a team of another
agency, a control character, a change somebody else made first), so pages and commands can show
it; nothing is half-written. The bulk set-up (`joinedup area apply`) makes the same changes.
"""

from joinedup.governance.admin_services.agencies import (
    agency_create,
    agency_end,
    agency_reopen,
    agency_update,
    team_create,
    team_end,
    team_rename,
    team_reopen,
)
from joinedup.governance.admin_services.checks import refuse_control_characters
from joinedup.governance.admin_services.staff import (
    staff_create,
    staff_disable,
    staff_enable,
    staff_move,
    staff_role_change,
)

__all__ = [
    "agency_create",
    "agency_end",
    "agency_reopen",
    "agency_update",
    "refuse_control_characters",
    "staff_create",
    "staff_disable",
    "staff_enable",
    "staff_move",
    "staff_role_change",
    "team_create",
    "team_end",
    "team_rename",
    "team_reopen",
]
