"""The team-around-the-child pages."""

from __future__ import annotations

from django.urls import path

from joinedup.tac import views

urlpatterns = [
    path("new/<str:child_id>/", views.tac_new_page, name="tac-new"),
    path("<str:reference>/", views.tac_detail_page, name="tac-detail"),
    path("<str:reference>/members/add/", views.tac_member_add_page, name="tac-member-add"),
    path(
        "<str:reference>/members/<int:member_id>/remove/",
        views.tac_member_remove_page,
        name="tac-member-remove",
    ),
    path("<str:reference>/lead/", views.tac_lead_set_page, name="tac-lead-set"),
    path("<str:reference>/level/", views.tac_level_change_page, name="tac-level-change"),
    path("<str:reference>/close/", views.tac_close_page, name="tac-close"),
    path("<str:reference>/meetings/new/", views.tac_meeting_new_page, name="tac-meeting-new"),
    path(
        "<str:reference>/actions/<int:action_id>/",
        views.tac_action_update_page,
        name="tac-action-update",
    ),
]
