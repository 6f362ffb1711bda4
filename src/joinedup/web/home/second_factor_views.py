"""The second factor after a password: enter a code, or set up an authenticator app first.

SecondFactorMiddleware sends a session here until django-otp has verified a device for it.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from joinedup.governance.models import StaffUser
from joinedup.governance.second_factor import (
    second_factor_is_set_up,
    second_factor_verify,
    totp_device_confirm,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
)

CODES_KEY = "joinedup_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )


def _signed_in(request: HttpRequest) -> StaffUser | None:
    user = request.user
    return user if isinstance(user, StaffUser) and user.is_authenticated else None


def second_factor_page(request: HttpRequest) -> HttpResponse:
    staff = _signed_in(request)
    if staff is None:
        return redirect("login")
    if not second_factor_is_set_up(staff):
        return redirect("second-factor-set-up")
    form = CodeForm(request.POST or None)
    form.fields[
        "code"
    ].help_text = "The 6-digit code from your authenticator app, or one of your recovery codes"
    if request.method == "POST" and form.is_valid():
        device = second_factor_verify(staff=staff, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect("home")
        form.add_error("code", "The code is not right, or has been used. Check it and try again")
    return render(request, "home/second_factor.html", {"form": form})


def second_factor_set_up_page(request: HttpRequest) -> HttpResponse:
    staff = _signed_in(request)
    if staff is None:
        return redirect("login")
    if second_factor_is_set_up(staff) and not request.user.is_verified():  # type: ignore[union-attr]
        # A new app replaces the old only after the old one has been used for this sign-in.
        return redirect("second-factor")
    device = totp_device_pending(staff)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app now shows"
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(staff=staff, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[CODES_KEY] = codes
            return redirect("second-factor-recovery-codes")
        form.add_error("code", "The code is not right. Check your app and try again")
    context = {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_text(device)}
    return render(request, "home/second_factor_set_up.html", context)


def recovery_codes_page(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once, straight after set-up."""
    if _signed_in(request) is None:
        return redirect("login")
    codes = request.session.pop(CODES_KEY, None)
    if not codes:
        return redirect("home")
    return render(request, "home/recovery_codes.html", {"codes": codes})
