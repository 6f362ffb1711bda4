"""Single sign-on: who a verified ID token names, and the audit of each sign-in.

The identity provider has already proved who the person is (Authlib checks the ID token's
signature, issuer, audience, expiry and nonce before this runs). Here a claim is matched to
exactly one existing, active member of staff. No one is ever created from a sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from joinedup.access.audit import audit_record
from joinedup.config.oidc import OidcProvider
from joinedup.governance.models import StaffUser

NOT_SET_UP = "Your account is not set up in joinedup. Ask your administrator."
# What the person is told for each refusal. Unknown and ambiguous people get the same words,
# so the page never says whether an address is known.
REFUSALS = {
    "claim_missing": NOT_SET_UP,
    "email_not_verified": (
        "Your organisation's sign-in did not confirm your email address. Ask your administrator."
    ),
    "unknown_person": NOT_SET_UP,
    "disabled": "Your joinedup account is disabled. Ask your administrator.",
    "agency_not_allowed": (
        "Your organisation's staff do not sign in to joinedup this way. Use your own "
        "organisation's sign-in, or ask your administrator."
    ),
    "agency_ended": "Your organisation no longer uses joinedup. Ask your administrator.",
    "provider_error": "Your organisation's sign-in did not let you in. Try again.",
    "provider_unreachable": (
        "We could not reach your organisation's sign-in service. Try again in a few minutes."
    ),
    "bad_state": (
        "Your sign-in took too long or was started in another window. Start again from the "
        "sign-in page."
    ),
    "token_invalid": "Your organisation's sign-in could not be checked. Try again.",
}


class SignInRefused(Exception):
    """A sign-in refused for `reason` (a key of REFUSALS); `staff` when the person is known."""

    def __init__(self, reason: str, staff: StaffUser | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.staff = staff

    @property
    def message(self) -> str:
        return REFUSALS[self.reason]


def _claim_text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str):
        return ""
    value = value.strip()
    return "" if len(value) > 254 or any(ord(c) < 32 for c in value) else value


def oidc_staff_match(*, provider: OidcProvider, claims: Mapping[str, Any]) -> StaffUser:
    """The one active member of staff the verified claims name, or SignInRefused."""
    value = _claim_text(claims, provider.staff_claim)
    if not value:
        raise SignInRefused("claim_missing")
    verified = claims.get("email_verified", True)  # Entra ID does not send it
    if provider.staff_claim == "email" and verified not in (True, "true"):
        raise SignInRefused("email_not_verified")
    field = "email" if provider.match_on == "email" else "username"
    matches = list(
        StaffUser.objects.select_related("agency").filter(**{f"{field}__iexact": value})[:2]
    )
    if len(matches) != 1:
        raise SignInRefused("unknown_person")
    staff = matches[0]
    if not staff.is_active:
        raise SignInRefused("disabled", staff)
    if provider.agencies and (staff.agency is None or staff.agency.code not in provider.agencies):
        raise SignInRefused("agency_not_allowed", staff)
    if staff.agency is not None and staff.agency.ended_on is not None:
        raise SignInRefused("agency_ended", staff)
    return staff


def signin_succeeded_record(
    *, staff: StaffUser, method: str, provider: str = "", ip_address: str = ""
) -> None:
    audit_record(
        actor=staff,
        action="signin.succeeded",
        object_type="staff",
        object_ref=staff.username[:120],
        detail={"method": method, "provider": provider, "ip_address": ip_address},
    )


def signin_refused_record(
    *, refusal: SignInRefused, provider: str, identity: str = "", ip_address: str = ""
) -> None:
    """Audit a refused single sign-on: the provider and the reason, never the token."""
    audit_record(
        actor=refusal.staff,
        action="signin.refused",
        object_type="staff",
        object_ref=refusal.staff.username[:120] if refusal.staff else "",
        detail={
            "method": "oidc",
            "provider": provider,
            "reason": refusal.reason,
            "identity": identity[:254],
            "ip_address": ip_address,
        },
    )
