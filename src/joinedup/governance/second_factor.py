"""The second factor after a password: an authenticator app (TOTP, django-otp's otp_totp) and
ten recovery codes, each usable once (otp_static). Single sign-on does not use these: the
identity provider does its own multi-factor authentication.
"""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.access.audit import audit_record
from joinedup.governance.models import StaffUser

RECOVERY_CODE_COUNT = 10
_PENDING = "setting up"


def second_factor_is_set_up(staff: StaffUser) -> bool:
    return TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def totp_device_pending(staff: StaffUser) -> TOTPDevice:
    """The authenticator-app device being set up (made once, so a reload keeps its secret)."""
    device = TOTPDevice.objects.filter(user=staff, confirmed=False, name=_PENDING).first()
    if device is None:
        device = TOTPDevice.objects.create(user=staff, name=_PENDING, confirmed=False)
    return device


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The set-up address as an inline SVG QR code (no image request, no third party)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


def _clean(code: str) -> str:
    return "".join(code.split()).lower()[:20]


def totp_device_confirm(*, staff: StaffUser, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; the new recovery codes (shown
    once), or None when the code is wrong. Any earlier devices are replaced."""
    code = _clean(code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    with transaction.atomic():
        device = totp_device_pending(staff)
        if not device.verify_token(code):
            return None
        for old in devices_for_user(staff, confirmed=None):
            if old.pk != device.pk or not isinstance(old, TOTPDevice):
                old.delete()
        device.name = "authenticator app"
        device.confirmed = True
        device.save()
        recovery = StaticDevice.objects.create(user=staff, name="recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        audit_record(
            actor=staff,
            action="signin.second_factor_set_up",
            object_type="staff",
            object_ref=staff.username[:120],
        )
    return codes


def second_factor_verify(*, staff: StaffUser, code: str) -> Device | None:
    """The device that accepts this code (a 6-digit app code, or a recovery code, which is
    then used up), or None. Each device's own throttling slows guessing."""
    code = _clean(code)
    if not code or not user_has_device(staff):
        return None
    with transaction.atomic():
        for device in devices_for_user(staff, for_verify=True):
            if isinstance(device, TOTPDevice) and not (len(code) == 6 and code.isdigit()):
                continue
            if device.verify_token(code):
                audit_record(
                    actor=staff,
                    action="signin.second_factor_verified",
                    object_type="staff",
                    object_ref=staff.username[:120],
                    detail={"kind": "recovery code" if isinstance(device, StaticDevice) else "app"},
                )
                return device
    audit_record(
        actor=staff,
        action="signin.second_factor_failed",
        object_type="staff",
        object_ref=staff.username[:120],
    )
    return None


def recovery_codes_left(staff: StaffUser) -> int:
    return StaticToken.objects.filter(device__user=staff, device__confirmed=True).count()
