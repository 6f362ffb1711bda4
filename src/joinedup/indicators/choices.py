"""The fixed choices of a decision on a child's flags, apart from the models so that pages and
the API can name them without importing a model module that holds child data."""

from __future__ import annotations

from django.db import models

__all__ = ["DecisionKind"]


class DecisionKind(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    MONITOR = "monitor", "Monitor"
    OFFER_SUPPORT = "offer_support", "Offer support"
    REFER = "refer", "Refer"
