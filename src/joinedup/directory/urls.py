"""The directory pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from joinedup.directory import views

urlpatterns: list[URLPattern] = [
    path("", views.directory_search_page, name="directory-search"),
    path("import/", views.directory_import_page, name="directory-import"),
    path("continuum/", views.continuum_page, name="continuum"),
]
