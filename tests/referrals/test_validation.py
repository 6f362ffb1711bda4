"""A referral's content: each problem named by its field, nothing half-written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.assessments.models import Assessment, AssessmentStatus
from joinedup.governance.models import AgencyType, Role
from joinedup.referrals import services
from joinedup.referrals.errors import ReferralNotAllowed
from joinedup.referrals.models import Referral, ReferralTransition
from tests import factories as f
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def _errors(a: rf.Area, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        rf.draft(a, **changes)
    assert not Referral.objects.exists() and not ReferralTransition.objects.exists()
    return error.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"level": 5}, "level", "1, 2, 3 or 4"),
        ({"needs": ["eha.emotional", "eha.nonsense"]}, "needs", "eha.nonsense"),
        ({"consent": "maybe"}, "consent", "given, refused, not_sought"),
        ({"consent": "refused", "sharing_basis": "gut_feeling"}, "sharing_basis", "gut_feeling"),
        (
            {"details": {"date_of_birth": date.today() + timedelta(days=400)}},
            "date_of_birth",
            "future",
        ),
        ({"details": {"sex": "X"}}, "sex", "F (female)"),
        ({"details": {"nhs_number": "9434765918"}}, "nhs_number", "modulus-11"),
        ({"details": {"upn": "B801200110001"}}, "upn", "UPN"),
        ({"details": {"shoe_size": "5"}}, "details", "shoe_size"),
        ({"to_agency_id": None, "to_team_id": None}, "to_agency_id", "Choose the agency"),
        ({"to_agency_id": 999999, "to_team_id": None}, "to_agency_id", "No agency"),
        ({"sender_term": "Child protection concern", "level": 2}, "level", "means level 4"),
    ],
)
def test_each_problem_is_named_by_its_field(changes: dict, field: str, words: str) -> None:
    a = rf.area()
    errors = _errors(a, **changes)
    assert field in errors, errors
    assert words in errors[field][0]


def test_several_problems_are_reported_together() -> None:
    a = rf.area()
    errors = _errors(a, level=0, needs=["nope"], details={"sex": "Q"})
    assert {"level", "needs", "sex"} <= set(errors)


def test_a_team_must_belong_to_the_agency() -> None:
    a = rf.area()
    police_team = f.team(a.police)
    errors = _errors(a, to_team_id=police_team.pk)
    assert errors["to_team_id"] == ["Choose a team of Early Help Hub."]


def test_referring_within_your_agency_needs_another_team() -> None:
    a = rf.area()
    assert "own agency" in _errors(a, to_agency_id=a.school.pk, to_team_id=None)["to_team_id"][0]
    r = services.referral_create(
        actor=a.outsider, purpose=rf.EARLY_HELP, **rf.complete_fields(a, child_id="")
    )
    assert (r.from_agency, r.to_agency, r.to_team) == (a.early_help, a.early_help, a.team)


def test_the_senders_words_sit_beside_the_common_level() -> None:
    a = rf.area()
    mapped = rf.draft(a, sender_term="Safeguarding concern", level=None)
    assert (mapped.sender_term, mapped.level) == ("Safeguarding concern", 3)
    own_words = rf.draft(a, sender_term="Worried about her", level=2)
    assert (own_words.sender_term, own_words.level) == ("Worried about her", 2)
    assert own_words.vocabulary_version == "2026.1"
    # Another agency type's term means nothing special for a school: kept as words.
    police_word = rf.draft(a, sender_term="Immediate need", level=1)
    assert police_word.level == 1


def test_a_draft_may_have_gaps_and_update_changes_only_what_is_given() -> None:
    a = rf.area()
    r = services.referral_create(
        actor=a.dsl,
        purpose=rf.SAFEGUARDING,
        details={"given_name": "Maya"},
        to_agency_id=a.early_help.pk,
    )
    assert r.level is None and r.needs == [] and r.to_team is None
    services.referral_update(
        actor=a.dsl,
        purpose=rf.SAFEGUARDING,
        reference=r.reference,
        level=3,
        details={"family_name": "Okafor"},
    )
    r.refresh_from_db()
    assert (r.given_name, r.family_name, r.level) == ("Maya", "Okafor", 3)
    with pytest.raises(ValidationError):
        services.referral_update(
            actor=a.dsl, purpose=rf.SAFEGUARDING, reference=r.reference, level=9, reason="New"
        )
    r.refresh_from_db()
    assert r.level == 3 and r.reason == ""


def test_a_service_that_takes_referrals_routes_to_its_agency_and_team() -> None:
    from joinedup.directory.models import DirectoryImport, Organisation, Service

    a = rf.area()
    imported = DirectoryImport.objects.create(file_name="x.json", sha256="0" * 64)
    org = Organisation.objects.create(oruk_id="org-1", name="Family Hubs")
    service = Service.objects.create(
        oruk_id="svc-1",
        organisation=org,
        agency=a.early_help,
        team=a.team,
        name="Parenting group",
        status="active",
        imported=imported,
    )
    elsewhere = Service.objects.create(
        oruk_id="svc-2", organisation=org, name="Drop-in", status="active", imported=imported
    )
    r = rf.draft(a, to_agency_id=None, to_team_id=None, to_service_id=service.pk)
    assert (r.to_agency, r.to_team, r.to_service) == (a.early_help, a.team, service)
    errors = _errors_for_service(a, elsewhere.pk)
    assert "contact it directly" in errors["to_service_id"][0]


def _errors_for_service(a: rf.Area, service_id: int) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        rf.draft(a, to_agency_id=None, to_team_id=None, to_service_id=service_id)
    return error.value.message_dict


def _assessment(a: rf.Area, child: Any, agency: Any, status: str) -> Assessment:
    n = Assessment.objects.count() + 1
    return Assessment.objects.create(
        reference=f"A-TEST000{n}",
        child=child,
        form="eha-360",
        form_version="1",
        agency=agency,
        author=a.dsl,
        status=status,
        completed_at=timezone.now() if status == AssessmentStatus.COMPLETED else None,
    )


def test_attachments_are_completed_assessments_of_the_child_by_the_senders_agency() -> None:
    a = rf.area()
    good = _assessment(a, a.child, a.school, AssessmentStatus.COMPLETED)
    r = rf.draft(a, attachment_refs=[good.reference])
    assert list(r.attachments.all()) == [good]
    unfinished = _assessment(a, a.child, a.school, AssessmentStatus.DRAFT)
    other_child = _assessment(a, f.child(), a.school, AssessmentStatus.COMPLETED)
    other_agency = _assessment(a, a.child, a.police, AssessmentStatus.COMPLETED)
    refs = [unfinished.reference, other_child.reference, other_agency.reference]
    with pytest.raises(ValidationError) as error:
        rf.draft(a, attachment_refs=refs)
    assert Referral.objects.count() == 1
    message = error.value.message_dict["attachment_refs"][0]
    assert f"{unfinished.reference} is not completed yet" in message
    assert f"{other_child.reference} is not an assessment of this child" in message
    assert f"{other_agency.reference} is not an assessment of this child" in message


def test_the_date_of_birth_may_be_today_but_not_tomorrow() -> None:
    a = rf.area()
    today = timezone.localdate()
    assert rf.draft(a, details={"date_of_birth": today}).date_of_birth == today
    tomorrow = today + timedelta(days=1)
    with pytest.raises(ValidationError):
        rf.draft(a, details={"date_of_birth": tomorrow})


def test_staff_without_an_agency_cannot_refer() -> None:
    nobody = f.staff(Role.SOCIAL_WORKER, None)
    with pytest.raises(ReferralNotAllowed):
        services.referral_create(
            actor=nobody,
            purpose=rf.SAFEGUARDING,
            details={},
            to_agency_id=f.agency(AgencyType.EARLY_HELP).pk,
        )
