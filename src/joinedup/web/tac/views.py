"""The team-around-the-child pages: thin views over the access layer, services and selectors.

Every page opens the team through `access_tac_by_id` (audited; 404 for a team the viewer may
not see, as for one that does not exist); every change goes through a service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.access.children import access_child_by_id
from joinedup.access.tac import TacAccess, access_tac_by_id, tac_may_work
from joinedup.tac.errors import TacNotFound
from joinedup.tac.selectors import (
    level_choices,
    tac_detail,
    tac_member_choices,
    tac_worker_exists,
)
from joinedup.tac.services import (
    tac_action_update,
    tac_close,
    tac_lead_set,
    tac_level_change,
    tac_meeting_record,
    tac_member_add,
    tac_member_remove,
    tac_open,
)
from joinedup.web.context import current_purpose, page_context, staff
from joinedup.web.tac.forms import (
    ActionUpdateForm,
    CloseForm,
    LeadSetForm,
    LevelChangeForm,
    MeetingForm,
    MemberAddForm,
    MemberFindForm,
    TacOpenForm,
    add_service_errors,
)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _open(request: HttpRequest, reference: str) -> TacAccess:
    return access_tac_by_id(staff(request), reference, purpose=current_purpose(request))


def tac_new_page(request: HttpRequest, child_id: str) -> HttpResponse:
    viewer = staff(request)
    purpose = current_purpose(request)
    access = access_child_by_id(viewer, child_id, purpose=purpose)
    if not tac_may_work(viewer, purpose):
        raise Http404()
    form = TacOpenForm(_data(request), levels=level_choices())
    if request.method == "POST" and form.is_valid():
        try:
            tac = tac_open(
                actor=viewer,
                purpose=purpose,
                child_id=access.child.child_id,
                level=form.cleaned_data["level"],
                lead_professional_id=viewer.pk if form.cleaned_data["lead"] == "me" else None,
                referral_reference=form.cleaned_data["referral_reference"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"child_id": "__all__"})
        else:
            messages.success(request, f"Team around the child {tac.reference} opened.")
            return redirect("tac-detail", reference=tac.reference)
    return render(
        request,
        "tac/new.html",
        page_context(request, "search", form=form, child=access.child),
    )


def tac_detail_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = _open(request, reference)
    return render(
        request,
        "tac/detail.html",
        page_context(request, "search", access=access, detail=tac_detail(access=access)),
    )


def _form_page(
    request: HttpRequest,
    access: TacAccess,
    form: forms.Form,
    change: Callable[[dict[str, Any]], str],
    *,
    heading: str,
    button: str,
    intro: str = "",
    template: str = "tac/form_page.html",
    fields: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """GET shows the form; a valid POST runs `change` (a service call returning the success
    message) and goes back to the team's page; the service's errors go on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            message = change(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, fields)
        else:
            messages.success(request, message)
            return redirect("tac-detail", reference=access.tac.reference)
    return render(
        request,
        template,
        page_context(
            request,
            "search",
            access=access,
            tac=access.tac,
            form=form,
            heading=heading,
            button=button,
            intro=intro,
            **extra,
        ),
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def tac_member_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Two steps on one page: find the agency's workers (GET, by agency and part of a name:
    an area has thousands of staff), then add one, or the whole agency (POST)."""
    access = _open(request, reference)
    chosen = request.POST if request.method == "POST" else request.GET
    name = request.GET.get("name", "").strip()[:100]
    choices = tac_member_choices(
        viewer=access.viewer, agency_id=_int_or_none(chosen.get("agency")), name=name
    )
    find = MemberFindForm(
        request.GET if "agency" in request.GET else None,
        agencies=choices.agencies,
        initial={"agency": choices.agency.pk if choices.agency else None},
    )
    find.is_valid()  # the agency's error shows, when one was given and is not an agency
    form = MemberAddForm(
        _data(request),
        workers=choices.workers,
        worker_exists=lambda pk: tac_worker_exists(viewer=access.viewer, worker_id=pk),
        initial={"agency": choices.agency.pk if choices.agency else None},
    )

    def change(data: dict[str, Any]) -> str:
        member = tac_member_add(
            actor=access.viewer,
            purpose=access.purpose,
            reference=access.tac.reference,
            agency_id=data["agency"],
            worker_id=data["worker"],
            role_in_team=data["role_in_team"],
        )
        who = member.worker.display_name if member.worker else member.agency.name
        return f"{who} added to the team."

    return _form_page(
        request,
        access,
        form,
        change,
        heading="Add a member",
        button="Add member",
        intro="Joining the team gives the member a legitimate relationship with the child: "
        "they can open the child's record while they are in the team.",
        template="tac/member_add.html",
        fields={"agency_id": "agency", "worker_id": "worker"},
        find=find,
        choices=choices,
        name=name,
    )


def tac_member_remove_page(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    access = _open(request, reference)
    detail = tac_detail(access=access)
    member = next((m for m in detail.current_members if m.pk == member_id), None)
    if member is None:
        raise TacNotFound()
    who = member.worker.display_name if member.worker else member.agency.name

    def change(data: dict[str, Any]) -> str:
        tac_member_remove(
            actor=access.viewer,
            purpose=access.purpose,
            reference=access.tac.reference,
            member_id=member_id,
        )
        return f"{who} has left the team."

    return _form_page(
        request,
        access,
        forms.Form(_data(request)),
        change,
        heading=f"Remove {who} from the team?",
        button="Remove from the team",
        intro="An involvement that joining the team created ends now; one they had before "
        "the team stays.",
        fields={"member_id": "__all__"},
    )


def tac_lead_set_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = _open(request, reference)
    members = tac_detail(access=access).named_members
    form = LeadSetForm(
        _data(request),
        members=members,
        initial={"worker": access.tac.lead_professional_id},
    )

    def change(data: dict[str, Any]) -> str:
        tac = tac_lead_set(
            actor=access.viewer,
            purpose=access.purpose,
            reference=access.tac.reference,
            worker_id=data["worker"],
        )
        return f"{tac.lead_professional} is now the lead professional."

    return _form_page(
        request,
        access,
        form,
        change,
        heading="Set the lead professional",
        button="Set lead professional",
        fields={"worker_id": "worker"},
    )


def tac_level_change_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = _open(request, reference)
    form = LevelChangeForm(_data(request), levels=level_choices())

    def change(data: dict[str, Any]) -> str:
        made = tac_level_change(
            actor=access.viewer,
            purpose=access.purpose,
            reference=access.tac.reference,
            to_level=data["to_level"],
            reason=data["reason"],
            referral_reference=data["referral_reference"],
        )
        return f"Level of need changed: {made.direction} to level {made.to_level}."

    return _form_page(
        request,
        access,
        form,
        change,
        heading="Step up or step down",
        button="Change level",
        intro=f"The team is at level {access.tac.level}. The change and your reason are kept "
        "in the team's level history.",
    )


def tac_close_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = _open(request, reference)
    form = CloseForm(_data(request))

    def change(data: dict[str, Any]) -> str:
        tac_close(
            actor=access.viewer,
            purpose=access.purpose,
            reference=access.tac.reference,
            reason=data["reason"],
        )
        return f"{access.tac.reference} closed."

    return _form_page(
        request,
        access,
        form,
        change,
        heading="Close the team",
        button="Close the team",
        intro="Every action must be done or cancelled first. Involvements that joining the "
        "team created end when it closes.",
        fields={"actions": "__all__"},
    )


def tac_action_update_page(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    access = _open(request, reference)
    row = next((r for r in tac_detail(access=access).actions if r.action.pk == action_id), None)
    if row is None:
        raise TacNotFound()
    form = ActionUpdateForm(_data(request), initial={"status": row.action.status})

    def change(data: dict[str, Any]) -> str:
        action = tac_action_update(
            actor=access.viewer,
            purpose=access.purpose,
            action_id=action_id,
            status=data["status"],
            note=data["note"],
        )
        return f"Action marked {action.get_status_display().lower()}."

    return _form_page(
        request,
        access,
        form,
        change,
        heading="Update an action",
        button="Save",
        template="tac/action_update.html",
        row=row,
    )


def tac_meeting_new_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = _open(request, reference)
    members = tac_detail(access=access).named_members
    form = MeetingForm(_data(request), members=members)
    if request.method == "POST":
        form.is_valid()
        try:
            tac_meeting_record(
                actor=access.viewer,
                purpose=access.purpose,
                reference=access.tac.reference,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, form.service_fields())
        else:
            messages.success(request, "Meeting recorded.")
            return redirect("tac-detail", reference=access.tac.reference)
    return render(
        request,
        "tac/meeting_new.html",
        page_context(
            request,
            "search",
            access=access,
            tac=access.tac,
            form=form,
            rows=form.action_rows(),
        ),
    )
