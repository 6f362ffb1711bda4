"""An administrator's page for one member of staff's sign-in: locked or not, second factor,
last sign-in; unlock, reset the second factor, make a set-password link. Everyone else: 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import StaffUser
from joinedup.governance.signin_admin import (
    lockout_clear,
    password_link_make,
    second_factor_reset,
    signin_status,
)
from joinedup.web.context import page_context, staff

ACTIONS = ("unlock", "reset-second-factor", "password-link")


def staff_sign_in_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.ADMINISTER_AREA):
        raise Http404()
    person = StaffUser.objects.select_related("agency").filter(pk=staff_id).first()
    if person is None:
        raise Http404()
    link = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "unlock":
            lockout_clear(actor=viewer, staff=person)
            messages.success(request, f"{person.display_name} can sign in again.")
            return redirect("admin-staff-sign-in", staff_id=person.pk)
        if action == "reset-second-factor":
            second_factor_reset(actor=viewer, staff=person)
            messages.success(
                request,
                f"{person.display_name}'s second factor is reset. They set up a new "
                "authenticator app at their next password sign-in.",
            )
            return redirect("admin-staff-sign-in", staff_id=person.pk)
        if action == "password-link" and person.is_active:
            link = password_link_make(actor=viewer, staff=person)
        elif action not in ACTIONS or action == "password-link":
            return render(request, "administration/signin/bad_request.html", status=400)
    context = page_context(
        request,
        "administration",
        person=person,
        status=signin_status(staff=person, now=timezone.now()),
        link=link,
    )
    return render(request, "administration/signin/staff_sign_in.html", context)
