"""The site: every page (joinedup.web) and the API (joinedup.api)."""

from django.urls import include, path

from joinedup.api import api

urlpatterns = [
    path("", include("joinedup.web.urls")),
    path("api/", api.urls),
]
