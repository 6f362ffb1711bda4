from __future__ import annotations

from django.http import Http404


class ChildNotFound(Http404):
    """Raised for a child that is missing *or* forbidden: the two must look the same."""

    def __init__(self) -> None:
        super().__init__("No child found.")


class AccessRefused(Exception):
    """A request the viewer's role or the form does not allow, with a message to show them."""
