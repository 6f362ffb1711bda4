from __future__ import annotations

from django.http import Http404


class AssessmentNotFound(Http404):
    """An assessment that is missing *or* forbidden: the two must look the same."""

    def __init__(self) -> None:
        super().__init__("No assessment found.")
