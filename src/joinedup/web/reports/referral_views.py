"""The re-referral rate report (/worklist/attention/report/): VIEW_REFERRAL_REPORT only, else
404; aggregates with small numbers suppressed (notifications.report)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.access.policy import Action, role_allows
from joinedup.notifications.report import default_period, referral_report
from joinedup.web.context import current_purpose, page_context, staff
from joinedup.web.reports.forms import ReportPeriodForm


def referral_report_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.VIEW_REFERRAL_REPORT):
        raise Http404()
    today = timezone.localdate()
    form = ReportPeriodForm(request.GET or None, today=today)
    report = None
    status = 200
    if request.GET and not form.is_valid():
        status = 400
    else:
        start, end = default_period(today)
        if form.is_bound:
            start = form.cleaned_data.get("start") or start
            end = form.cleaned_data.get("end") or end
            if start > end:
                form.add_error("start", "From must be on or before To.")
                status = 400
        if status == 200:
            report = referral_report(
                viewer=viewer, purpose=current_purpose(request), start=start, end=end
            )
    response = render(
        request,
        "reports/referral_report.html",
        page_context(request, "referral-report", form=form, report=report),
    )
    response.status_code = status
    return response
