"""The person index: stable child ids and validated identifiers."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from joinedup.linkage.identifiers import nhs_check_digit, upn_check_letter
from joinedup.people.models import Identifier, IdentifierScheme
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_child_id_shape() -> None:
    child = f.child()
    assert re.fullmatch(r"C-[23456789ABCDEFGHJKMNPQRTVWXYZ]{8}", child.child_id)


def test_child_id_never_changes() -> None:
    child = f.child()
    issued = child.child_id
    child.given_name = "Renamed"
    child.save()
    child.refresh_from_db()
    assert child.child_id == issued
    child.child_id = "C-22222222"
    with pytest.raises(ValidationError, match="never changes"):
        child.save()


def _identifier(scheme: str, value: str) -> Identifier:
    identifier = Identifier(child=f.child(), scheme=scheme, value=value)
    identifier.full_clean()
    return identifier


def test_valid_nhs_number_in_test_range_is_marked() -> None:
    nine = next(f"999{n:06d}" for n in range(1000) if nhs_check_digit(f"999{n:06d}") is not None)
    value = nine + str(nhs_check_digit(nine))
    identifier = _identifier(IdentifierScheme.NHS_NUMBER, f"{value[:3]} {value[3:6]} {value[6:]}")
    assert identifier.value == value
    assert identifier.is_test_range is True


def test_invalid_nhs_number_is_a_field_error_saying_why() -> None:
    with pytest.raises(ValidationError) as info:
        _identifier(IdentifierScheme.NHS_NUMBER, "9434765918")
    assert info.value.message_dict == {
        "value": ["NHS number '9434765918' fails the modulus-11 check: last digit should be 9."]
    }


def test_temporary_upn_is_marked() -> None:
    body = "93800112345Z"
    identifier = _identifier(IdentifierScheme.UPN, upn_check_letter(body) + body)
    assert identifier.is_temporary is True


def test_former_upn_is_checked_like_a_upn() -> None:
    with pytest.raises(ValidationError, match="check-letter"):
        _identifier(IdentifierScheme.FORMER_UPN, "A938001123456")


def test_agency_local_id_must_not_be_blank() -> None:
    with pytest.raises(ValidationError, match="cannot be blank"):
        _identifier(IdentifierScheme.AGENCY_LOCAL, "  ")


def test_lead_professional_must_be_a_named_worker() -> None:
    from joinedup.people.models import Involvement

    involvement = Involvement(
        child=f.child(),
        agency=f.agency(),
        description="x",
        started_on="2025-01-01",
        is_lead_professional=True,
    )
    with pytest.raises(ValidationError, match="lead professional must be a named worker"):
        involvement.full_clean()
