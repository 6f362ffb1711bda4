"""The referrals pages."""

from __future__ import annotations

from django.urls import path

from joinedup.referrals import action_views, match_views, views

urlpatterns = [
    path("", views.referral_list_page, name="referral-list"),
    path("new/", views.referral_new_page, name="referral-new"),
    path("match/", match_views.referral_match_fragment, name="referral-match"),
    path("<str:reference>/", views.referral_detail_page, name="referral-detail"),
    path("<str:reference>/edit/", views.referral_edit_page, name="referral-edit"),
    path("<str:reference>/<str:verb>/", action_views.referral_action, name="referral-action"),
]
