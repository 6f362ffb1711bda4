"""Setting a password from a one-time link an administrator made (governance/signin_admin.py).

The link holds Django's PasswordResetTokenGenerator token: it stops working once the password
is set (the token covers the password hash), or after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.governance.signin_admin import password_link_staff, password_set_record


def password_set_page(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    staff = password_link_staff(uidb64=uidb64, token=token)
    if staff is None:
        return render(request, "home/password_link_invalid.html", status=404)
    form = SetPasswordForm(staff, request.POST or None)
    form.fields["new_password1"].label = "New password"
    form.fields["new_password2"].label = "Confirm new password"
    if request.method == "POST" and form.is_valid():
        form.save()
        password_set_record(staff=staff)
        return render(request, "home/password_set_done.html")
    return render(request, "home/password_set.html", {"form": form, "staff": staff})
