"""What the referral services raise: the same 404 for a referral that is missing or not yours,
and a clear refusal for a change its status (or your side of it) does not allow."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class ReferralNotFound(Http404):
    """A referral that is missing *or* forbidden: the two must look the same."""

    def __init__(self) -> None:
        super().__init__("No referral found.")


class TransitionRefused(ValidationError):
    """A change the referral's status, or the viewer's side of it, does not allow. The message
    names the referral, its status and what is allowed, e.g. "Referral R-7Q2X9K4M is declined:
    only a sent or acknowledged referral can be accepted." """

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ReferralNotAllowed(PermissionDenied):
    """The actor's role (or missing agency) does not make referrals at all (403, not 404: no
    referral is involved, so nothing is revealed)."""
