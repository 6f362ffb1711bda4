"""What every administration service checks: the actor's role, and one line of text."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import StaffUser

# A school's URN is 6 digits (7 for a few newer establishments); an NHS ODS code is 3 to 10
# letters and digits (e.g. "RX1", "Y02345").
URN_RE = re.compile(r"^[0-9]{6,7}$")
ODS_RE = re.compile(r"^[A-Z0-9]{3,10}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def refuse_control_characters(value: str, *, field: str, label: str) -> None:
    """Names, codes and emails are one line of printable text: no tabs, newlines, NULs or
    other control and format characters (they break CSV files, logs and screen readers)."""
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in value):
        raise ValidationError({field: f"{label} must not contain control characters."})


def require_admin(actor: StaffUser | None) -> StaffUser:
    if actor is None or not actor.is_active or not role_allows(actor.role, Action.ADMINISTER_AREA):
        raise PermissionDenied("Only an administrator may change the area's set-up.")
    return actor


def one_line(value: str, *, field: str, label: str, required: bool = True) -> str:
    value = (value or "").strip()
    refuse_control_characters(value, field=field, label=label)
    if required and not value:
        raise ValidationError({field: f"Enter the {label.lower()}."})
    return value


# The model's field -> the name the services (and their callers) use for it.
FIELD_NAMES = {"first_name": "given_name", "last_name": "family_name"}


def full_clean_named(obj: Any, **kw: Any) -> None:
    """`full_clean()`, its errors keyed by the services' own argument names."""
    try:
        obj.full_clean(**kw)
    except ValidationError as exc:
        raise ValidationError(
            {FIELD_NAMES.get(name, name): messages for name, messages in exc.message_dict.items()}
        ) from None
