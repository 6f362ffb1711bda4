from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.urls import path

from joinedup.api import api
from joinedup.governance import views as governance_views
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
    path("api/", api.urls),
]
