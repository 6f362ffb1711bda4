"""Reads of one referral for pages and the API. Each takes a `ReferralAccess`, the proof (from
`joinedup.access.referrals.access_referral_by_id`) that opening it was allowed and audited."""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.access.referrals import ReferralAccess
from joinedup.needs.selectors import area_vocabulary
from joinedup.referrals.models import ReferralTransition


@dataclass(frozen=True)
class NeedLabel:
    code: str
    label: str
    scheme: str


def referral_history(*, access: ReferralAccess) -> list[ReferralTransition]:
    """Every change of status, oldest first, with who made it."""
    return list(
        ReferralTransition.objects.filter(referral=access.referral)
        .select_related("actor")
        .order_by("at", "id")
    )


def referral_needs(*, access: ReferralAccess) -> list[NeedLabel]:
    """The referral's needs in the area's vocabulary (a code no longer listed keeps its code)."""
    vocabulary = area_vocabulary()
    out = []
    for code in access.referral.needs:
        need = vocabulary.need(code)
        scheme = vocabulary.schemes.get(need.scheme, "") if need else ""
        out.append(NeedLabel(code, need.label if need else code, scheme))
    return out


def referral_attachment_refs(*, access: ReferralAccess) -> list[str]:
    return list(
        access.referral.attachments.order_by("reference").values_list("reference", flat=True)
    )
