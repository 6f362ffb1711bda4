from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from joinedup.api import api
from joinedup.governance import views as governance_views
from joinedup.indicators import report_views as indicator_report_views
from joinedup.people import link_run_views, review_views
from joinedup.people import views as people_views


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sign-in/", governance_views.SignInView.as_view(), name="login"),
    path("sign-out/", LogoutView.as_view(), name="logout"),
    path("", governance_views.home, name="home"),
    path("purpose/", governance_views.purpose_change, name="purpose-change"),
    path("agreements/<slug:code>/", governance_views.agreement_detail, name="agreement-detail"),
    path("access-history/", governance_views.access_history, name="access-history"),
    path("children/", people_views.child_search_page, name="child-search"),
    path("children/<str:child_id>/", people_views.child_detail, name="child-detail"),
    path("break-glass/", people_views.break_glass_page, name="break-glass"),
    path(
        "break-glass/<int:grant_id>/review/",
        governance_views.break_glass_review_page,
        name="break-glass-review",
    ),
    path("imports/", include("joinedup.ingest.urls")),
    # notifications and the "nobody gripping it" worklist: before worklist/<str:child_id>/,
    # which would otherwise take worklist/attention/ for a child id
    path("", include("joinedup.notifications.urls")),
    path("worklist/", include("joinedup.indicators.urls")),
    path(
        "indicators/report/", indicator_report_views.indicator_report_page, name="indicator-report"
    ),
    path("linkage/review/", review_views.link_review_queue, name="link-review"),
    path("linkage/review/<int:item_id>/", review_views.link_review_item, name="link-review-item"),
    path(
        "linkage/decisions/<int:decision_id>/",
        review_views.link_decision_page,
        name="link-decision",
    ),
    path("linkage/children/<str:child_id>/", review_views.link_history_page, name="link-history"),
    path("linkage/runs/", link_run_views.link_run_list_page, name="link-runs"),
    path("linkage/runs/<int:run_id>/", link_run_views.link_run_detail_page, name="link-run-detail"),
    path("directory/", include("joinedup.directory.urls")),
    path("referrals/", include("joinedup.referrals.urls")),
    path("assessments/", include("joinedup.assessments.urls")),
    path("tac/", include("joinedup.tac.urls")),
    path("api/", api.urls),
]
