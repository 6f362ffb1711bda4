"""Links to the pages a worklist row or a notification points at.

The pages belong to other apps (referrals, tac, people); a route that is not mounted yet falls
back to its documented path, so a reminder never fails for want of a URL name.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def _link(name: str, value: str, fallback: str) -> str:
    try:
        return reverse(name, args=[value])
    except NoReverseMatch:
        return fallback


def referral_link(reference: str) -> str:
    return _link("referral-detail", reference, f"/referrals/{reference}/")


def tac_link(reference: str) -> str:
    return _link("tac-detail", reference, f"/tac/{reference}/")


def child_link(child_id: str) -> str:
    return _link("child-detail", child_id, f"/children/{child_id}/")
