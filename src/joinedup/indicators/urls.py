from django.urls import path

from joinedup.indicators import views

urlpatterns = [
    path("", views.worklist_page, name="worklist"),
    path("unknown/", views.unknown_to_services_page, name="worklist-unknown"),
    path("<str:child_id>/", views.worklist_item_page, name="worklist-item"),
]
