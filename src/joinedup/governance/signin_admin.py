"""What an administrator can do about one member of staff's sign-in: unlock them, reset their
second factor, and make a one-time link for setting a password. Each is audited.

`actor` is the administrator, or None for the `joinedup signin` command (an area with no
administrator yet: how the very first one gets a password).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp import devices_for_user

from joinedup.access.audit import audit_record
from joinedup.access.errors import AccessRefused
from joinedup.access.policy import Action, role_allows
from joinedup.governance.lockout import locked_until, lockout_reset
from joinedup.governance.models import StaffUser
from joinedup.governance.second_factor import recovery_codes_left, second_factor_is_set_up
from joinedup.governance.staff_sessions import sessions_end_for

_tokens = PasswordResetTokenGenerator()


@dataclass(frozen=True)
class SignInStatus:
    locked_until: datetime | None
    second_factor_set_up: bool
    recovery_codes_left: int
    last_sign_in: datetime | None
    has_password: bool


def _check(actor: StaffUser | None) -> None:
    if actor is not None and not role_allows(actor.role, Action.ADMINISTER_AREA):
        raise AccessRefused("Only an administrator can change someone's sign-in.")


def _audit(actor: StaffUser | None, action: str, staff: StaffUser, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="staff",
        object_ref=staff.username[:120],
        detail={"staff_id": staff.pk, **detail},
    )


def signin_status(*, staff: StaffUser, now: datetime) -> SignInStatus:
    last = AccessLog.objects.filter(username=staff.username).order_by("-attempt_time").first()
    return SignInStatus(
        locked_until=locked_until(username=staff.username, now=now),
        second_factor_set_up=second_factor_is_set_up(staff),
        recovery_codes_left=recovery_codes_left(staff),
        last_sign_in=staff.last_login or (last.attempt_time if last else None),
        has_password=staff.has_usable_password(),
    )


def lockout_clear(*, actor: StaffUser | None, staff: StaffUser) -> int:
    """Unlock this username (axes' failed attempts for it forgotten); how many were."""
    _check(actor)
    with transaction.atomic():
        cleared = lockout_reset(username=staff.username)
        _audit(actor, "signin.unlocked", staff, attempts_cleared=cleared)
    return cleared


def second_factor_reset(*, actor: StaffUser | None, staff: StaffUser) -> int:
    """Delete the person's authenticator app and recovery codes, and end their sessions; they
    set up a new app at their next password sign-in."""
    _check(actor)
    with transaction.atomic():
        devices = list(devices_for_user(staff, confirmed=None))
        for device in devices:
            device.delete()
        ended = sessions_end_for(staff)
        _audit(actor, "signin.second_factor_reset", staff, devices=len(devices), sessions=ended)
    return len(devices)


def password_link_make(*, actor: StaffUser | None, staff: StaffUser) -> str:
    """A one-time set-password address (shown to the administrator and emailed to the
    person). It works until the password changes or PASSWORD_RESET_TIMEOUT passes."""
    _check(actor)
    if not staff.is_active:
        raise AccessRefused("This member of staff is disabled: enable them first.")
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    path = reverse("password-set", args=[uid, _tokens.make_token(staff)])
    link = settings.SITE_URL.rstrip("/") + path
    _audit(actor, "signin.password_link_made", staff, emailed=bool(staff.email))
    if staff.email:
        send_mail(
            "Set your joinedup password",
            (
                f"Your administrator has made a link for you to set your joinedup password:\n\n"
                f"{link}\n\nIt works once, for {settings.PASSWORD_RESET_TIMEOUT // 86400} days."
            ),
            None,
            [staff.email],
        )
    return link


def password_link_staff(*, uidb64: str, token: str) -> StaffUser | None:
    """The active member of staff a set-password link is for, if the link still works."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64[:40])))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    staff = StaffUser.objects.filter(pk=pk, is_active=True).first()
    if staff is None or not _tokens.check_token(staff, token[:100]):
        return None
    return staff


def password_set_record(*, staff: StaffUser) -> None:
    """After a password is set from a link: audit it and end any other sessions."""
    sessions_end_for(staff)
    _audit(staff, "signin.password_set", staff)
