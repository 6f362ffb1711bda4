"""The tac API: the same access layer, services and audit as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["tac"])
