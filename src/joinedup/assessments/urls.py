"""The assessments pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from joinedup.assessments import views

urlpatterns: list[URLPattern] = [
    path("new/<str:child_id>/", views.assessment_new_page, name="assessment-new"),
    path("measures/new/<str:child_id>/", views.measure_new_page, name="measure-new"),
    path("<str:reference>/", views.assessment_detail_page, name="assessment-detail"),
]
