"""Sign-in with lockout after repeated failures."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from joinedup.governance.middleware import SIGNED_IN_AT
from joinedup.governance.models import StaffUser


@receiver(user_logged_in)
def _remember_sign_in_time(sender: Any, request: HttpRequest, user: StaffUser, **kw: Any) -> None:
    request.session[SIGNED_IN_AT] = time.time()


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing a locked account and locking after N failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password.",
        "locked": (
            "This account is locked after too many failed sign-in attempts. "
            "Try again after %(until)s or ask your administrator to unlock it."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        staff = StaffUser.objects.filter(username=username).first()
        now = timezone.now()
        if staff and staff.locked_until and staff.locked_until > now:
            until = timezone.localtime(staff.locked_until).strftime("%H:%M")
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"until": until}
            )
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if staff is not None:
                staff.failed_login_count += 1
                if staff.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
                    staff.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
                    staff.failed_login_count = 0
                staff.save(update_fields=["failed_login_count", "locked_until"])
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        if staff is not None and (staff.failed_login_count or staff.locked_until):
            staff.failed_login_count = 0
            staff.locked_until = None
            staff.save(update_fields=["failed_login_count", "locked_until"])
        return self.cleaned_data
