"""Staff: add, move, change role, disable (their sessions end at once) and enable."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.governance.admin_services.checks import full_clean_named, one_line, require_admin
from joinedup.governance.models import Agency, Role, StaffUser, Team
from joinedup.governance.staff_sessions import sessions_end_for


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
        StaffUser.objects.select_for_update(of=("self",))
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
    require_admin(actor)
    given_name = one_line(given_name, field="given_name", label="Given name")
    family_name = one_line(family_name, field="family_name", label="Family name")
    email = one_line(email, field="email", label="Email address").lower()
    username = one_line(username, field="username", label="Username", required=False) or email
    staff_number = one_line(
        staff_number, field="staff_number", label="Staff number", required=False
    )
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
    full_clean_named(staff, exclude=["password"])
    staff.save()
    _audit_staff(actor, "admin.staff_created", staff, None)
    return staff


@transaction.atomic
def staff_move(
    *, actor: StaffUser, staff_id: int, agency_id: int | None, team_id: int | None
) -> StaffUser:
    """Move a member of staff to another agency or team (involvements stay where they were)."""
    require_admin(actor)
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
    require_admin(actor)
    staff = _staff_locked(staff_id)
    if role not in Role.values:
        raise ValidationError({"role": "Select their role."})
    if staff.pk == actor.pk and role != staff.role:
        raise ValidationError(
            {"role": "You cannot change your own role: ask another administrator."}
        )
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
    require_admin(actor)
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
    require_admin(actor)
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
