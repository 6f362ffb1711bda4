"""Password sign-in, and the audit of every sign-in, success or failure.

Counting failures and locking out is django-axes' work (governance/lockout.py, settings
AXES_*): its backend refuses a locked-out attempt before the password is checked.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from joinedup.access.audit import audit_record
from joinedup.governance.lockout import client_ip
from joinedup.governance.middleware import SIGNED_IN_AT
from joinedup.governance.models import StaffUser


@receiver(user_logged_in)
def _remember_sign_in_time(sender: Any, request: HttpRequest, user: StaffUser, **kw: Any) -> None:
    request.session[SIGNED_IN_AT] = time.time()


@receiver(user_login_failed)
def _audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    # Django hands the credentials with the password already masked; only the username is kept.
    # The action names the refusal: "denied" is kept for the access layer's refusals.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action="signin.failed",
        object_type="staff",
        object_ref=username[:120],
        detail={
            "method": "password",
            "username": username,
            "ip_address": client_ip(request) if request is not None else "",
        },
    )


class PasswordSignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK wording; lockout is axes' (it answers before this)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password.",
    }
