"""Links to the pages a worklist row or a notification points at, by their URL names."""

from __future__ import annotations

from django.urls import reverse


def referral_link(reference: str) -> str:
    return reverse("referral-detail", args=[reference])


def tac_link(reference: str) -> str:
    return reverse("tac-detail", args=[reference])


def child_link(child_id: str) -> str:
    return reverse("child-detail", args=[child_id])
