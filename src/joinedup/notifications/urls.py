"""The notifications pages and the "nobody gripping it" worklist (mounted at the site root)."""

from __future__ import annotations

from django.urls import URLPattern, path

from joinedup.notifications import views

urlpatterns: list[URLPattern] = [
    path("worklist/attention/", views.attention_page, name="worklist-attention"),
    path("worklist/attention/report/", views.referral_report_page, name="referral-report"),
    path("notifications/", views.notification_list_page, name="notification-list"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification-read",
    ),
    path("notifications/read-all/", views.notifications_read_all, name="notification-read-all"),
]
