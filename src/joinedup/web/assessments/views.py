"""The assessments pages: thin views over the access layer, services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.access.assessments import (
    access_assessment_by_id,
    access_child_for_recording,
    measure_list_for_child,
)
from joinedup.assessments.answers import answers_from_post
from joinedup.assessments.errors import AssessmentNotFound
from joinedup.assessments.library import (
    assessment_form,
    assessment_forms,
    measure_instrument,
    measure_instruments,
)
from joinedup.assessments.services import (
    assessment_complete,
    assessment_create,
    assessment_update,
    measure_record,
)
from joinedup.needs.selectors import area_vocabulary
from joinedup.web.assessments.presenters import (
    error_list,
    measure_rows,
    shown_sections,
    summary_sections,
)
from joinedup.web.context import current_purpose, page_context, staff


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def _form_context(form: Any, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    vocabulary = area_vocabulary()
    return {
        "definition": form,
        "sections": shown_sections(form, values, errors, vocabulary),
        "error_items": error_list(form, errors),
    }


def assessment_new_page(request: HttpRequest, child_id: str) -> HttpResponse:
    viewer, purpose = staff(request), current_purpose(request)
    access = access_child_for_recording(
        viewer, child_id, purpose=purpose, action="assessments.create"
    )
    form = assessment_form(request.GET.get("form", ""))
    if form is None:
        return render(
            request,
            "assessments/choose_form.html",
            page_context(request, "search", child=access.child, forms=assessment_forms().values()),
        )
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    baseline = request.POST.get("baseline", request.GET.get("baseline", ""))[:20]
    if request.method == "POST":
        values = answers_from_post(form, request.POST)
        try:
            a = assessment_create(
                actor=viewer,
                purpose=purpose,
                child_id=access.child.child_id,
                form_id=form.id,
                answers=values,
                baseline_ref=baseline,
                complete=request.POST.get("action") == "complete",
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            done = "completed" if a.status == "completed" else "saved as a draft"
            messages.success(request, f"Assessment {a.reference} {done}.")
            return redirect("assessment-detail", a.reference)
    return render(
        request,
        "assessments/assessment_form.html",
        page_context(
            request,
            "search",
            child=access.child,
            baseline=baseline,
            action_url=f"{reverse('assessment-new', args=[access.child.child_id])}?form={form.id}",
            **_form_context(form, values, errors),
        ),
    )


def assessment_detail_page(request: HttpRequest, reference: str) -> HttpResponse:
    viewer, purpose = staff(request), current_purpose(request)
    access = access_assessment_by_id(viewer, reference, purpose=purpose)
    a = access.assessment
    form = assessment_form(a.form)
    errors: dict[str, str] = {}
    values: dict[str, Any] = a.answers
    if request.method == "POST" and access.may_edit and form is not None:
        values = answers_from_post(form, request.POST)
        try:
            if request.POST.get("action") == "complete":
                assessment_complete(
                    actor=viewer, purpose=purpose, reference=a.reference, answers=values
                )
                messages.success(request, f"Assessment {a.reference} completed.")
            else:
                assessment_update(
                    actor=viewer, purpose=purpose, reference=a.reference, answers=values
                )
                messages.success(request, f"Assessment {a.reference} saved as a draft.")
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("assessment-detail", a.reference)
    vocabulary = area_vocabulary()
    baseline = a.baseline
    # The baseline is shown only when this viewer may read it too (its own read is audited).
    baseline_answers = None
    if baseline is not None:
        try:
            baseline_answers = access_assessment_by_id(
                viewer, baseline.reference, purpose=purpose
            ).assessment.answers
        except AssessmentNotFound:
            baseline = None
    context = page_context(
        request,
        "search",
        assessment=a,
        child=a.child,
        definition=form,
        may_edit=access.may_edit and form is not None,
        via=access.via,
        baseline=baseline,
        level_label=vocabulary.level_label(a.level),
        summary=summary_sections(form, a.answers, vocabulary, baseline_answers) if form else [],
    )
    if context["may_edit"]:
        context.update(_form_context(form, values, errors))
        context["action_url"] = reverse("assessment-detail", args=[a.reference])
    return render(request, "assessments/assessment_detail.html", context)


def _scores_from_post(instrument: Any, data: Any) -> dict[str, str]:
    return {s.id: data.get(f"score-{s.id}", "") for s in instrument.scales}


def measure_new_page(request: HttpRequest, child_id: str) -> HttpResponse:
    viewer, purpose = staff(request), current_purpose(request)
    access = access_child_for_recording(viewer, child_id, purpose=purpose, action="measures.record")
    instrument = measure_instrument(request.GET.get("instrument", ""))
    recorded = None
    if request.GET.get("recorded", "").isdigit():
        wanted = int(request.GET["recorded"])
        recorded = next((m for m in measure_list_for_child(access=access) if m.pk == wanted), None)
    errors: dict[str, str] = {}
    scores: dict[str, str] = {}
    day = {k: request.POST.get(f"administered_on-{k}", "") for k in ("day", "month", "year")}
    if request.method == "POST" and instrument is not None:
        scores = _scores_from_post(instrument, request.POST)
        iso = ""
        if all(v.strip().isdigit() for v in day.values()):
            iso = f"{int(day['year']):04d}-{int(day['month']):02d}-{int(day['day']):02d}"
        elif any(v.strip() for v in day.values()):
            iso = "not-a-date"
        try:
            m = measure_record(
                actor=viewer,
                purpose=purpose,
                child_id=access.child.child_id,
                instrument_id=instrument.id,
                scores=scores,
                administered_on=iso,
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, f"{instrument.title} recorded.")
            url = reverse("measure-new", args=[access.child.child_id])
            return redirect(f"{url}?instrument={instrument.id}&recorded={m.pk}")
    error_items = [
        (f"score-{k}" if k != "administered_on" else "administered_on-day", v)
        for k, v in errors.items()
    ]
    return render(
        request,
        "assessments/measure_form.html",
        page_context(
            request,
            "search",
            child=access.child,
            instrument=instrument,
            instruments=measure_instruments().values(),
            scores=scores,
            day=day,
            errors=errors,
            error_items=error_items,
            recorded=recorded,
            recorded_instrument=measure_instrument(recorded.instrument) if recorded else None,
            recorded_rows=measure_rows(
                measure_instrument(recorded.instrument), recorded.scores, recorded.bands
            )
            if recorded
            else [],
        ),
    )
