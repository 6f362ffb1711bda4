"""The administrator's staff pages: search the area's staff, add a member of staff, move them,
change their role, disable them (their sessions end at once) and enable them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from joinedup.access.policy import Action
from joinedup.governance import admin_services, selectors
from joinedup.governance.lockout import locked_until
from joinedup.governance.models import StaffUser
from joinedup.web.administration.forms import (
    STAFF_PAGE_SIZE,
    StaffForm,
    StaffMoveForm,
    StaffRoleForm,
    StaffSearchForm,
)
from joinedup.web.administration.guards import errors_apply, for_role
from joinedup.web.context import page_context, staff

ADMIN = Action.ADMINISTER_AREA
# Services name the staff member's fields as the model does; the form as the page does.
SERVICE_FIELDS = {"agency_id": "agency", "team_id": "team", "first_name": "given_name"}


def _member(request: HttpRequest, staff_id: int) -> StaffUser:
    member = selectors.staff_get(viewer=staff(request), staff_id=staff_id)
    if member is None:
        raise Http404()
    return member


def _teams(request: HttpRequest) -> list:
    return list(selectors.teams_by_agency(viewer=staff(request)))


@for_role(ADMIN, methods=("GET",))
def staff_list_page(request: HttpRequest) -> HttpResponse:
    form = StaffSearchForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        members = selectors.staff_list(
            viewer=staff(request),
            text=(data.get("q") or "").strip(),
            agency_id=data.get("agency"),
            role=data.get("role") or "",
            status=data.get("status") or "",
        )
        paginator = Paginator(members, STAFF_PAGE_SIZE)
        number = data.get("page") or 1
        if number > paginator.num_pages:
            form.add_error(
                None, f"There are only {paginator.num_pages} pages of results: go back to page 1"
            )
        else:
            page = paginator.page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "administration/staff_list.html",
        page_context(request, "admin-staff", form=form, page=page, query=query.urlencode()),
    )


@for_role(ADMIN)
def staff_new_page(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, teams=_teams(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = admin_services.staff_create(
                actor=staff(request),
                given_name=data["given_name"],
                family_name=data["family_name"],
                email=data["email"],
                username=data.get("username") or "",
                agency_id=data["agency"],
                team_id=data.get("team"),
                role=data["role"],
                staff_number=data.get("staff_number") or "",
            )
        except ValidationError as exc:
            errors_apply(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, f"{member.display_name} added.")
            return redirect("admin-staff-detail", staff_id=member.pk)
    return render(
        request,
        "administration/staff_form.html",
        page_context(request, "admin-staff", form=form),
    )


def sign_in_page_url(member: StaffUser) -> str | None:
    """The member's sign-in page (unlock, second factor, set-password link), when this
    installation has it."""
    try:
        return reverse("admin-staff-sign-in", kwargs={"staff_id": member.pk})
    except NoReverseMatch:
        return None


@for_role(ADMIN, methods=("GET",))
def staff_detail_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    teams = _teams(request)
    move_form = StaffMoveForm(
        initial={"agency": member.agency_id, "team": member.team_id}, teams=teams
    )
    role_form = StaffRoleForm(initial={"role": member.role})
    return _detail(request, member, move_form, role_form)


def _detail(
    request: HttpRequest, member: StaffUser, move_form: StaffMoveForm, role_form: StaffRoleForm
) -> HttpResponse:
    locked = locked_until(username=member.username, now=timezone.now())
    form = move_form if move_form.errors else role_form
    return render(
        request,
        "administration/staff_detail.html",
        page_context(
            request,
            "admin-staff",
            member=member,
            move_form=move_form,
            role_form=role_form,
            form=form,
            locked=locked,
            locked_until=locked,
            sign_in_url=sign_in_page_url(member),
            is_self=member.pk == staff(request).pk,
        ),
        status=400 if form.errors else 200,
    )


@for_role(ADMIN, methods=("POST",))
def staff_move_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    form = StaffMoveForm(request.POST, teams=_teams(request))
    if form.is_valid():
        try:
            admin_services.staff_move(
                actor=staff(request),
                staff_id=member.pk,
                agency_id=form.cleaned_data["agency"],
                team_id=form.cleaned_data.get("team"),
            )
        except ValidationError as exc:
            errors_apply(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, f"{member.display_name}'s agency and team saved.")
            return redirect("admin-staff-detail", staff_id=member.pk)
    return _detail(request, member, form, StaffRoleForm(initial={"role": member.role}))


@for_role(ADMIN, methods=("POST",))
def staff_role_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    form = StaffRoleForm(request.POST)
    if form.is_valid():
        try:
            admin_services.staff_role_change(
                actor=staff(request), staff_id=member.pk, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, f"{member.display_name}'s role saved.")
            return redirect("admin-staff-detail", staff_id=member.pk)
    move_form = StaffMoveForm(
        initial={"agency": member.agency_id, "team": member.team_id}, teams=_teams(request)
    )
    return _detail(request, member, move_form, form)


@for_role(ADMIN, methods=("POST",))
def staff_disable_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    try:
        admin_services.staff_disable(actor=staff(request), staff_id=member.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{member.display_name} is disabled: they are signed out and cannot sign in."
        )
    return redirect("admin-staff-detail", staff_id=member.pk)


@for_role(ADMIN, methods=("POST",))
def staff_enable_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _member(request, staff_id)
    try:
        admin_services.staff_enable(actor=staff(request), staff_id=member.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.display_name} is enabled and can sign in again.")
    return redirect("admin-staff-detail", staff_id=member.pk)
