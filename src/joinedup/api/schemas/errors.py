"""The error body every route shares; routes that name each wrong field have their own."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    detail: str
