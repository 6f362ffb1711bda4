"""Checking a referral's content. A draft may have gaps; what is given must be valid. Sending
needs everything, and says every missing field at once.

Errors are a dict of field -> message, naming the field's problem in plain words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from joinedup.linkage.identifiers import InvalidIdentifier, check_nhs_number, check_upn
from joinedup.needs.selectors import area_vocabulary
from joinedup.referrals.models import Consent, Referral, SharingBasis

DETAIL_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
)
TEXT_FIELDS = ("reason", "what_tried", "child_views", "family_views", "sharing_reason")
# Field -> longest value the model stores.
_MAX = {
    "given_name": 100,
    "family_name": 100,
    "postcode": 10,
    "address": 300,
    "sender_term": 120,
}
SEX_VALUES = {"F", "M", "U", ""}


def clean_details(details: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The child's details as the sender typed them, checked; problems go into `errors`."""
    unknown = sorted(set(details) - set(DETAIL_FIELDS))
    if unknown:
        errors["details"] = f"Unknown detail field(s): {', '.join(unknown)}."
    out: dict[str, Any] = {}
    for name in DETAIL_FIELDS:
        if name not in details:
            continue
        value = details[name]
        if name == "date_of_birth":
            if value in (None, ""):
                out[name] = None
            elif not isinstance(value, date):
                errors[name] = "Give the date of birth as a date (YYYY-MM-DD)."
            elif value > timezone.localdate():
                errors[name] = "The date of birth cannot be in the future."
            else:
                out[name] = value
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = f"{name.replace('_', ' ').capitalize()} must be text."
            continue
        value = value.strip()
        if name in _MAX and len(value) > _MAX[name]:
            errors[name] = f"Use at most {_MAX[name]} characters."
            continue
        if name == "sex":
            value = value.upper()
            if value not in SEX_VALUES:
                errors[name] = "Sex must be F (female), M (male) or U (not known)."
                continue
        elif name == "postcode":
            value = value.upper()
        elif name == "nhs_number" and value:
            try:
                value = check_nhs_number(value).value
            except InvalidIdentifier as exc:
                errors[name] = str(exc)
                continue
        elif name == "upn" and value:
            try:
                value = check_upn(value).value
            except InvalidIdentifier as exc:
                errors[name] = str(exc)
                continue
        out[name] = value
    return out


def clean_content(
    fields: dict[str, Any], *, from_agency_code: str, from_agency_type: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The referral's content fields (level, sender_term, needs, texts, consent), checked.

    The sender's own term sits beside the common level: a term this agency has mapped fills in
    an empty level and must agree with a chosen one; any other words are kept as they are.
    """
    vocabulary = area_vocabulary()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if "level" in fields:
        level = fields["level"]
        if level in (None, ""):
            out["level"] = None
        elif isinstance(level, bool) or not isinstance(level, int) or level not in (1, 2, 3, 4):
            errors["level"] = f"The level of need must be 1, 2, 3 or 4, not {level!r}."
        else:
            out["level"] = level
    if "sender_term" in fields:
        term = (fields["sender_term"] or "").strip()
        if len(term) > _MAX["sender_term"]:
            errors["sender_term"] = f"Use at most {_MAX['sender_term']} characters."
        else:
            out["sender_term"] = term
            mapped = vocabulary.term_level(
                agency_code=from_agency_code, agency_type=from_agency_type, term=term
            )
            chosen = out.get("level", fields.get("level"))
            if mapped is not None and "level" not in errors:
                if chosen in (None, ""):
                    out["level"] = mapped
                elif chosen != mapped:
                    errors["level"] = (
                        f"Your agency's term {term!r} means level {mapped} "
                        f"({vocabulary.level_label(mapped)}) in the area's continuum of need; "
                        f"choose level {mapped} or describe the need in other words."
                    )
    if "needs" in fields:
        needs = fields["needs"] or []
        if isinstance(needs, str) or not all(isinstance(c, str) for c in needs):
            errors["needs"] = "Give the needs as a list of codes from the needs vocabulary."
        else:
            codes = list(dict.fromkeys(c.strip() for c in needs if c.strip()))
            unknown = vocabulary.unknown_needs(codes)
            if unknown:
                errors["needs"] = (
                    f"Unknown need code(s): {', '.join(unknown)}. "
                    "Choose from the area's needs vocabulary."
                )
            else:
                out["needs"] = codes
    for name in TEXT_FIELDS:
        if name in fields:
            value = fields[name] or ""
            if not isinstance(value, str):
                errors[name] = f"{name.replace('_', ' ').capitalize()} must be text."
            else:
                out[name] = value.strip()
    if "consent" in fields:
        consent = (fields["consent"] or "").strip()
        if consent and consent not in Consent.values:
            errors["consent"] = (
                f"Consent must be one of {', '.join(Consent.values)}, not {consent!r}."
            )
        else:
            out["consent"] = consent
    if "sharing_basis" in fields:
        basis = (fields["sharing_basis"] or "").strip()
        if basis and basis not in SharingBasis.values:
            errors["sharing_basis"] = (
                f"Unknown lawful basis {basis!r}: choose one of {', '.join(SharingBasis.values)}."
            )
        else:
            out["sharing_basis"] = basis
    out["vocabulary_version"] = vocabulary.version
    return out, errors


def missing_for_send(referral: Referral) -> dict[str, str]:
    """Every field a referral needs before it can be sent, and what to do about each."""
    missing: dict[str, str] = {}
    if not (referral.nhs_number or referral.upn):
        or_number = " (or give an NHS number or UPN)"
        if not referral.given_name:
            missing["given_name"] = f"Enter the child's first name{or_number}."
        if not referral.family_name:
            missing["family_name"] = f"Enter the child's last name{or_number}."
        if referral.date_of_birth is None:
            missing["date_of_birth"] = f"Enter the child's date of birth{or_number}."
    if referral.level is None:
        missing["level"] = "Choose the level of need (1 to 4)."
    if not referral.needs:
        missing["needs"] = "Choose at least one need from the needs vocabulary."
    if not referral.reason.strip():
        missing["reason"] = "Say why you are referring the child."
    if not referral.consent:
        missing["consent"] = "Say whether consent to share was given, refused or not sought."
    elif referral.consent != Consent.GIVEN:
        if not referral.sharing_basis:
            missing["sharing_basis"] = (
                "Consent was not given: choose the lawful basis for sharing without it."
            )
        if not referral.sharing_reason.strip():
            missing["sharing_reason"] = "Consent was not given: say why you are sharing without it."
    return missing
