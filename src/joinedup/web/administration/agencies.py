"""The administrator's agencies and their teams: list, add, change, end and re-open (nothing
is deleted). Thin views over governance.selectors and governance.admin_services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.access.policy import Action
from joinedup.governance import admin_services, selectors
from joinedup.governance.models import Agency, Team
from joinedup.web.administration.forms import (
    AgencyChangeForm,
    AgencyFilterForm,
    AgencyForm,
    TeamForm,
    TeamRenameForm,
)
from joinedup.web.administration.guards import errors_apply, for_role
from joinedup.web.context import page_context, staff

ADMIN = Action.ADMINISTER_AREA


def _agency(request: HttpRequest, agency_id: int) -> Agency:
    agency = selectors.agency_get(viewer=staff(request), agency_id=agency_id)
    if agency is None:
        raise Http404()
    return agency


def _team(request: HttpRequest, agency_id: int, team_id: int) -> Team:
    team = selectors.team_get(viewer=staff(request), agency_id=agency_id, team_id=team_id)
    if team is None:
        raise Http404()
    return team


@for_role(ADMIN, methods=("GET",))
def agency_list_page(request: HttpRequest) -> HttpResponse:
    form = AgencyFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    agencies = selectors.agency_list(viewer=staff(request), status=status)
    return render(
        request,
        "administration/agency_list.html",
        page_context(request, "admin-agencies", form=form, agencies=agencies, status=status),
    )


@for_role(ADMIN)
def agency_new_page(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = admin_services.agency_create(actor=staff(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, f"{agency.name} added.")
            return redirect("admin-agency", agency_id=agency.pk)
    return render(
        request,
        "administration/agency_form.html",
        page_context(request, "admin-agencies", form=form, agency=None),
    )


@for_role(ADMIN, methods=("GET",))
def agency_detail_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    viewer = staff(request)
    return render(
        request,
        "administration/agency_detail.html",
        page_context(
            request,
            "admin-agencies",
            agency=agency,
            teams=selectors.team_list(viewer=viewer, agency_id=agency.pk),
            active_staff=selectors.staff_list(
                viewer=viewer, agency_id=agency.pk, status="active"
            ).count(),
            team_form=TeamForm(),
        ),
    )


@for_role(ADMIN)
def agency_change_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    initial = {"name": agency.name, "urn": agency.urn, "ods_code": agency.ods_code}
    form = AgencyChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.agency_update(
                actor=staff(request), agency_id=agency.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, "Agency details saved.")
            return redirect("admin-agency", agency_id=agency.pk)
    return render(
        request,
        "administration/agency_form.html",
        page_context(request, "admin-agencies", form=form, agency=agency),
    )


@for_role(ADMIN, methods=("POST",))
def agency_end_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    try:
        admin_services.agency_end(actor=staff(request), agency_id=agency.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{agency.name} has ended. Its records and history are kept.")
    return redirect("admin-agency", agency_id=agency.pk)


@for_role(ADMIN, methods=("POST",))
def agency_reopen_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    try:
        admin_services.agency_reopen(actor=staff(request), agency_id=agency.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{agency.name} is open again.")
    return redirect("admin-agency", agency_id=agency.pk)


@for_role(ADMIN)
def team_new_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = admin_services.team_create(
                actor=staff(request), agency_id=agency.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, f"{team.name} added to {agency.name}.")
            return redirect("admin-agency", agency_id=agency.pk)
    return render(
        request,
        "administration/team_form.html",
        page_context(request, "admin-agencies", form=form, agency=agency, team=None),
    )


@for_role(ADMIN)
def team_detail_page(request: HttpRequest, agency_id: int, team_id: int) -> HttpResponse:
    team = _team(request, agency_id, team_id)
    form = TeamRenameForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.team_rename(
                actor=staff(request), team_id=team.pk, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, "Team name saved.")
            return redirect("admin-agency", agency_id=agency_id)
    return render(
        request,
        "administration/team_form.html",
        page_context(request, "admin-agencies", form=form, agency=team.agency, team=team),
    )


@for_role(ADMIN, methods=("POST",))
def team_end_page(request: HttpRequest, agency_id: int, team_id: int) -> HttpResponse:
    team = _team(request, agency_id, team_id)
    try:
        admin_services.team_end(actor=staff(request), team_id=team.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{team.name} has ended.")
    return redirect("admin-agency", agency_id=agency_id)


@for_role(ADMIN, methods=("POST",))
def team_reopen_page(request: HttpRequest, agency_id: int, team_id: int) -> HttpResponse:
    team = _team(request, agency_id, team_id)
    try:
        admin_services.team_reopen(actor=staff(request), team_id=team.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{team.name} is open again.")
    return redirect("admin-agency", agency_id=agency_id)
