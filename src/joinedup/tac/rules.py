"""Small rules the team-around-the-child services share."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from joinedup.access.writes import GuardedWrite
from joinedup.dates import govuk_date
from joinedup.people.models import CHILD_ID_ALPHABET
from joinedup.tac.models import TeamAroundChild

# Read aloud on the phone between agencies, like child ids: no 0/O, 1/I/L, U or S.
REFERENCE_PREFIX = "TAC-"


def new_tac_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(CHILD_ID_ALPHABET) for _ in range(8))


def tac_link(tac: TeamAroundChild, anchor: str = "") -> str:
    """The team's page: what notifications carry instead of any detail about the child."""
    link = reverse("tac-detail", kwargs={"reference": tac.reference})
    return link + (f"#{anchor}" if anchor else "")


def refuse_if_closed(tac: TeamAroundChild) -> None:
    if tac.closed_on is not None:
        raise ValidationError(
            f"{tac.reference} was closed on {govuk_date(tac.closed_on)}: it cannot be changed."
        )


def tac_audit(write: GuardedWrite[Any], tac: TeamAroundChild, **detail: Any) -> None:
    """The change's audit entry (the write's action, `tac.<verb>`), about this team."""
    write.audit(
        child_ref=tac.child.child_id, object_type="tac", object_ref=tac.reference, detail=detail
    )
