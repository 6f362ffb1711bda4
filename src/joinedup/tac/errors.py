"""Errors of the team around the child."""

from __future__ import annotations

from django.http import Http404


class TacNotFound(Http404):
    """A team around the child (or one of its actions) that is missing *or* that the viewer
    may not see: the two must look the same."""

    def __init__(self) -> None:
        super().__init__("No team around the child found.")
