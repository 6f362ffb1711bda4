"""A team-around-the-child action's fixed statuses, apart from the models so that pages and the
API can name them without importing a model module that holds child data."""

from __future__ import annotations

from django.db import models

__all__ = ["ActionStatus"]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
