"""Administering the area one object at a time: agencies, teams and staff.

Each service is keyword-only, takes `actor=` (a member of staff whose role may administer the
area), runs in one transaction, locks the row it changes, checks with `full_clean()` and
records one audit entry (`admin.<thing>_<verb>`, with `before`/`after` in its detail). Nothing
is ever deleted: agencies and teams end (and re-open), staff are disabled (and enabled).

A refusal is a `ValidationError` naming the field and why (a duplicate code, a team of another
agency, a control character, a change somebody else made first), so pages and commands can show
it; nothing is half-written. The bulk set-up (`joinedup area apply`) makes the same changes.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import Agency, AgencyType, Role, StaffUser, Team
from joinedup.governance.staff_sessions import sessions_end_for

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


def _require(actor: StaffUser | None) -> StaffUser:
    if actor is None or not actor.is_active or not role_allows(actor.role, Action.ADMINISTER_AREA):
        raise PermissionDenied("Only an administrator may change the area's set-up.")
    return actor


def _text(value: str, *, field: str, label: str, required: bool = True) -> str:
    value = (value or "").strip()
    refuse_control_characters(value, field=field, label=label)
    if required and not value:
        raise ValidationError({field: f"Enter the {label.lower()}."})
    return value


def _full_clean(obj: Any, **kw: Any) -> None:
    try:
        obj.full_clean(**kw)
    except ValidationError as exc:
        # Django's uniqueness messages name the model ("Agency with this Code already
        # exists."); say it in the page's words instead.
        raise ValidationError(exc.message_dict) from None


# ------------------------------------------------------------------------------- agencies


def _agency_state(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "agency_type": agency.agency_type,
        "urn": agency.urn,
        "ods_code": agency.ods_code,
        "ended_on": agency.ended_on,
    }


def _agency_identifiers(
    *, agency_type: str, urn: str, ods_code: str, exclude_pk: int | None
) -> tuple[str, str]:
    urn = _text(urn, field="urn", label="URN", required=False)
    ods_code = _text(ods_code, field="ods_code", label="ODS code", required=False).upper()
    errors: dict[str, str] = {}
    if urn and agency_type != AgencyType.SCHOOL:
        errors["urn"] = "Only a school has a URN: leave it blank for this type of agency."
    elif urn and not URN_RE.match(urn):
        errors["urn"] = "A URN must be 6 or 7 digits, for example 100001."
    elif urn and Agency.objects.filter(urn=urn).exclude(pk=exclude_pk).exists():
        errors["urn"] = f"Another agency already has URN {urn}."
    if ods_code and agency_type != AgencyType.HEALTH:
        errors["ods_code"] = "Only a health agency has an ODS code: leave it blank."
    elif ods_code and not ODS_RE.match(ods_code):
        errors["ods_code"] = "An ODS code is 3 to 10 letters and digits, for example RX1."
    elif ods_code and Agency.objects.filter(ods_code=ods_code).exclude(pk=exclude_pk).exists():
        errors["ods_code"] = f"Another agency already has ODS code {ods_code}."
    if errors:
        raise ValidationError(errors)
    return urn, ods_code


@transaction.atomic
def agency_create(
    *,
    actor: StaffUser,
    agency_type: str,
    code: str,
    name: str,
    urn: str = "",
    ods_code: str = "",
) -> Agency:
    _require(actor)
    code = _text(code, field="code", label="Code").lower()
    name = _text(name, field="name", label="Name")
    if agency_type not in AgencyType.values:
        raise ValidationError({"agency_type": "Select the type of agency."})
    if not CODE_RE.match(code):
        raise ValidationError(
            {"code": "A code is lower-case letters, digits and hyphens, for example moor-school."}
        )
    if Agency.objects.filter(code=code).exists():
        raise ValidationError({"code": f"An agency with the code {code} already exists."})
    urn, ods_code = _agency_identifiers(
        agency_type=agency_type, urn=urn, ods_code=ods_code, exclude_pk=None
    )
    agency = Agency(code=code, name=name, agency_type=agency_type, urn=urn, ods_code=ods_code)
    _full_clean(agency)
    agency.save()
    audit_record(
        actor=actor,
        action="admin.agency_created",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": None, "after": _agency_state(agency)},
    )
    return agency


def _agency_locked(agency_id: int) -> Agency:
    agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError("That agency no longer exists.")
    return agency


@transaction.atomic
def agency_update(
    *, actor: StaffUser, agency_id: int, name: str, urn: str = "", ods_code: str = ""
) -> Agency:
    """Change an agency's name, URN or ODS code. Its code and type are fixed: extracts, the
    area file and the audit log name it by code."""
    _require(actor)
    agency = _agency_locked(agency_id)
    before = _agency_state(agency)
    agency.name = _text(name, field="name", label="Name")
    agency.urn, agency.ods_code = _agency_identifiers(
        agency_type=agency.agency_type, urn=urn, ods_code=ods_code, exclude_pk=agency.pk
    )
    _full_clean(agency)
    after = _agency_state(agency)
    if after == before:
        return agency
    agency.save()
    audit_record(
        actor=actor,
        action="admin.agency_changed",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": before, "after": after},
    )
    return agency


@transaction.atomic
def agency_end(*, actor: StaffUser, agency_id: int, today: date | None = None) -> Agency:
    """End an agency today: it keeps its records, involvements and audit history. Its staff
    are not disabled by this (the page says how many are still active)."""
    _require(actor)
    agency = _agency_locked(agency_id)
    if agency.ended_on is not None:
        raise ValidationError(f"{agency.name} has already ended (someone else may have ended it).")
    before = _agency_state(agency)
    agency.ended_on = today or timezone.localdate()
    agency.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.agency_ended",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": before, "after": _agency_state(agency)},
    )
    return agency


@transaction.atomic
def agency_reopen(*, actor: StaffUser, agency_id: int) -> Agency:
    _require(actor)
    agency = _agency_locked(agency_id)
    if agency.ended_on is None:
        raise ValidationError(f"{agency.name} is already open (someone else may have re-opened it).")
    before = _agency_state(agency)
    agency.ended_on = None
    agency.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.agency_reopened",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": before, "after": _agency_state(agency)},
    )
    return agency


# ---------------------------------------------------------------------------------- teams


def _team_state(team: Team) -> dict[str, Any]:
    return {"agency": team.agency.code, "code": team.code, "name": team.name, "ended_on": team.ended_on}


def _team_ref(team: Team) -> str:
    return f"{team.agency.code}/{team.code}"


def _team_locked(team_id: int, agency_id: int | None = None) -> Team:
    teams = Team.objects.select_for_update().select_related("agency").filter(pk=team_id)
    if agency_id is not None:
        teams = teams.filter(agency_id=agency_id)
    team = teams.first()
    if team is None:
        raise ValidationError("That team no longer exists.")
    return team


@transaction.atomic
def team_create(*, actor: StaffUser, agency_id: int, code: str, name: str) -> Team:
    _require(actor)
    agency = _agency_locked(agency_id)
    name = _text(name, field="name", label="Name")
    code = _text(code, field="code", label="Code").lower()
    if agency.ended_on is not None:
        raise ValidationError(f"{agency.name} has ended: re-open it before adding a team.")
    if not CODE_RE.match(code):
        raise ValidationError(
            {"code": "A code is lower-case letters, digits and hyphens, for example mash."}
        )
    if agency.teams.filter(code=code).exists():
        raise ValidationError({"code": f"{agency.name} already has a team with the code {code}."})
    team = Team(agency=agency, code=code, name=name)
    _full_clean(team, validate_constraints=False)
    team.save()
    audit_record(
        actor=actor,
        action="admin.team_created",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": None, "after": _team_state(team)},
    )
    return team


@transaction.atomic
def team_rename(*, actor: StaffUser, team_id: int, name: str) -> Team:
    _require(actor)
    team = _team_locked(team_id)
    before = _team_state(team)
    team.name = _text(name, field="name", label="Name")
    _full_clean(team, validate_constraints=False)
    if team.name == before["name"]:
        return team
    team.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action="admin.team_renamed",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": before, "after": _team_state(team)},
    )
    return team


@transaction.atomic
def team_end(*, actor: StaffUser, team_id: int, today: date | None = None) -> Team:
    _require(actor)
    team = _team_locked(team_id)
    if team.ended_on is not None:
        raise ValidationError(f"{team.name} has already ended (someone else may have ended it).")
    before = _team_state(team)
    team.ended_on = today or timezone.localdate()
    team.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.team_ended",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": before, "after": _team_state(team)},
    )
    return team


@transaction.atomic
def team_reopen(*, actor: StaffUser, team_id: int) -> Team:
    _require(actor)
    team = _team_locked(team_id)
    if team.ended_on is None:
        raise ValidationError(f"{team.name} is already open (someone else may have re-opened it).")
    if team.agency.ended_on is not None:
        raise ValidationError(f"{team.agency.name} has ended: re-open the agency first.")
    before = _team_state(team)
    team.ended_on = None
    team.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.team_reopened",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": before, "after": _team_state(team)},
    )
    return team


# ---------------------------------------------------------------------------------- staff


def _staff_state(staff: StaffUser) -> dict[str, Any]:
    return {
        "username": staff.username,
        "name": staff.get_full_name(),
        "email": staff.email,
        "agency": staff.agency.code if staff.agency else None,
        "team": staff.team.code if staff.team else None,
        "role": staff.role,
        "staff_number": staff.staff_number,
        "is_active": staff.is_active,
        "disabled_at": staff.disabled_at,
    }


def _placement(agency_id: int | None, team_id: int | None) -> tuple[Agency, Team | None]:
    """The agency (open) and the team (open, of that agency) a member of staff works in."""
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if agency is None:
        raise ValidationError({"agency": "Select the agency they work for."})
    if agency.ended_on is not None:
        raise ValidationError({"agency": f"{agency.name} has ended: choose an open agency."})
    if not team_id:
        return agency, None
    team = Team.objects.filter(pk=team_id).select_related("agency").first()
    if team is None or team.agency_id != agency.pk:
        raise ValidationError({"team": f"Choose a team of {agency.name}, or no team."})
    if team.ended_on is not None:
        raise ValidationError({"team": f"{team.name} has ended: choose an open team."})
    return agency, team


def _staff_locked(staff_id: int) -> StaffUser:
    staff = (
        StaffUser.objects.select_for_update()
        .select_related("agency", "team")
        .filter(pk=staff_id)
        .first()
    )
    if staff is None:
        raise ValidationError("That member of staff no longer exists.")
    return staff


def _audit_staff(actor: StaffUser, action: str, staff: StaffUser, before: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="staff",
        object_ref=staff.username,
        detail={"before": before, "after": _staff_state(staff)},
    )


@transaction.atomic
def staff_create(
    *,
    actor: StaffUser,
    given_name: str,
    family_name: str,
    email: str,
    agency_id: int | None,
    role: str,
    username: str = "",
    team_id: int | None = None,
    staff_number: str = "",
) -> StaffUser:
    """Add a member of staff. They have no password here: they sign in through the area's
    identity provider, or set one from the link on their sign-in page."""
    _require(actor)
    given_name = _text(given_name, field="given_name", label="Given name")
    family_name = _text(family_name, field="family_name", label="Family name")
    email = _text(email, field="email", label="Email address").lower()
    username = _text(username, field="username", label="Username", required=False) or email
    staff_number = _text(staff_number, field="staff_number", label="Staff number", required=False)
    if role not in Role.values:
        raise ValidationError({"role": "Select their role."})
    errors: dict[str, str] = {}
    if StaffUser.objects.filter(email__iexact=email).exists():
        errors["email"] = f"A member of staff with the email address {email} already exists."
    if StaffUser.objects.filter(username__iexact=username).exists():
        errors["username"] = f"The username {username} is already taken."
    if staff_number and StaffUser.objects.filter(staff_number=staff_number).exists():
        errors["staff_number"] = f"Staff number {staff_number} is already someone else's."
    if errors:
        raise ValidationError(errors)
    agency, team = _placement(agency_id, team_id)
    staff = StaffUser(
        username=username,
        first_name=given_name,
        last_name=family_name,
        email=email,
        agency=agency,
        team=team,
        role=role,
        staff_number=staff_number,
    )
    staff.set_unusable_password()
    _full_clean(staff, exclude=["password"])
    staff.save()
    _audit_staff(actor, "admin.staff_created", staff, None)
    return staff


@transaction.atomic
def staff_move(
    *, actor: StaffUser, staff_id: int, agency_id: int | None, team_id: int | None
) -> StaffUser:
    """Move a member of staff to another agency or team (involvements stay where they were)."""
    _require(actor)
    staff = _staff_locked(staff_id)
    before = _staff_state(staff)
    staff.agency, staff.team = _placement(agency_id, team_id)
    if _staff_state(staff) == before:
        return staff
    staff.save(update_fields=["agency", "team"])
    _audit_staff(actor, "admin.staff_moved", staff, before)
    return staff


@transaction.atomic
def staff_role_change(*, actor: StaffUser, staff_id: int, role: str) -> StaffUser:
    _require(actor)
    staff = _staff_locked(staff_id)
    if role not in Role.values:
        raise ValidationError({"role": "Select their role."})
    if staff.pk == actor.pk and role != staff.role:
        raise ValidationError({"role": "You cannot change your own role: ask another administrator."})
    before = _staff_state(staff)
    if role == staff.role:
        return staff
    staff.role = role
    staff.save(update_fields=["role"])
    _audit_staff(actor, "admin.staff_role_changed", staff, before)
    return staff


@transaction.atomic
def staff_disable(*, actor: StaffUser, staff_id: int, now: Any = None) -> StaffUser:
    """Disable a member of staff: they cannot sign in, and their live sessions end now."""
    _require(actor)
    staff = _staff_locked(staff_id)
    if staff.pk == actor.pk:
        raise ValidationError("You cannot disable your own account: ask another administrator.")
    if not staff.is_active:
        raise ValidationError(
            f"{staff.display_name} is already disabled (someone else may have disabled them)."
        )
    before = _staff_state(staff)
    staff.is_active = False
    staff.disabled_at = now or timezone.now()
    staff.save(update_fields=["is_active", "disabled_at"])
    ended = sessions_end_for(staff)
    audit_record(
        actor=actor,
        action="admin.staff_disabled",
        object_type="staff",
        object_ref=staff.username,
        detail={"before": before, "after": _staff_state(staff), "sessions_ended": ended},
    )
    return staff


@transaction.atomic
def staff_enable(*, actor: StaffUser, staff_id: int) -> StaffUser:
    _require(actor)
    staff = _staff_locked(staff_id)
    if staff.is_active:
        raise ValidationError(
            f"{staff.display_name} is already enabled (someone else may have enabled them)."
        )
    if staff.agency is not None and staff.agency.ended_on is not None:
        raise ValidationError(
            f"{staff.agency.name} has ended: move {staff.display_name} to an open agency first."
        )
    before = _staff_state(staff)
    staff.is_active = True
    staff.disabled_at = None
    staff.save(update_fields=["is_active", "disabled_at"])
    _audit_staff(actor, "admin.staff_enabled", staff, before)
    return staff
