"""A school's designated safeguarding lead makes a referral (the live match finds the child they
know), sends it; children's social care's front door acknowledges it, accepts and closes it with
an outcome; a second referral is declined with a reason and an alternative, and the school
records the alternative taken up. Every page is checked with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.governance.models import AgencyType, Role
from joinedup.referrals import services
from joinedup.referrals.models import Referral, ReferralStatus
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in
from tests.people.test_matching import Trained, _child_people, load_linked, train_area

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(scope="module")
def trained() -> Trained:
    return train_area()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/(sign-in/)?(\?.*)?$"))


def _axe(page: Any) -> None:
    assert axe_violations(page) == []


def test_refer_acknowledge_decline_with_alternative_accept_and_close(
    page: Any, live_server: Any, trained: Trained
) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[2]
    child = child_of[person.person_id]
    school = f.agency(AgencyType.SCHOOL, name="Brookfield Primary School")
    f.involvement(child, school, description="On roll (Year 5)")
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school, username="dsl")
    social_care = f.agency(AgencyType.SOCIAL_CARE, name="Children's Social Care")
    front_door = f.team(social_care, name="Front door")
    f.staff(Role.SOCIAL_WORKER, social_care, front_door, username="frontdoor")
    base = live_server.url

    # --- the school makes the referral -----------------------------------------------------
    _sign_in(page, base, "dsl")
    page.goto(f"{base}/referrals/")
    _axe(page)
    page.get_by_role("button", name="Make a referral").click()
    page.wait_for_url(f"{base}/referrals/new/")
    assert 'data-state="empty"' in page.locator("#match-panel").inner_html()
    _axe(page)

    page.get_by_label("Given name").fill(person.given_name)
    page.get_by_label("Family name").press_sequentially(person.family_name)  # keyup: htmx
    page.locator("#id_date_of_birth_0").fill(str(person.date_of_birth.day))
    page.locator("#id_date_of_birth_1").fill(str(person.date_of_birth.month))
    page.locator("#id_date_of_birth_2").press_sequentially(str(person.date_of_birth.year))
    choice = page.locator(f'#match-panel input[value="{child.child_id}"]')
    choice.wait_for()
    panel = page.locator("#match-panel").inner_text()
    assert "Is this the child?" in panel and "Very likely" in panel
    assert "same date of birth" in panel
    _axe(page)
    choice.check()

    page.get_by_label("Agency").select_option(label="Children's Social Care")
    page.get_by_label("Team (optional)").select_option(label="Front door")
    page.get_by_label("In your words (optional)").select_option(
        label="Safeguarding concern (Targeted)"
    )
    page.get_by_text("Early Help Assessment domains").click()
    page.get_by_label("Emotional and behavioural development").check()
    page.get_by_label("Why are you making this referral? (optional)").fill(
        "Low mood, self-harm disclosed to a teaching assistant, falling attendance."
    )
    page.get_by_label("What has been tried so far? (optional)").fill("Weekly pastoral check-ins.")
    page.get_by_label("The child's views (optional)").fill("I want someone to talk to.")

    sharing = page.locator("#sharing-without-consent")
    page.get_by_label("Consent given").check()
    assert sharing.is_hidden()
    page.get_by_label("Consent not sought").check()
    assert sharing.is_visible()
    page.get_by_role("button", name="Send referral").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose the lawful basis for sharing without consent." in summary.inner_text()
    assert "Enter why you are sharing without consent." in summary.inner_text()
    _axe(page)

    page.get_by_label("Risk of significant harm (Children Act 1989 s47)").check()
    page.get_by_label("Why are you sharing without consent? (optional)").fill(
        "Seeking consent could place her at greater risk."
    )
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(re.compile(rf"{base}/referrals/R-\w{{8}}/$"))
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "sent to Children's Social Care" in banner and "acknowledge it by" in banner
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    assert page.locator("#common-level").inner_text() == "3: Targeted"
    assert '"Safeguarding concern"' in page.locator("#sender-words").inner_text()
    _axe(page)

    # A second referral, made through the service, to be declined.
    second = services.referral_create(
        actor=dsl,
        purpose="safeguarding",
        details={"given_name": "Kai", "family_name": "Lund", "nhs_number": "9434765919"},
        to_agency_id=social_care.pk,
        to_team_id=front_door.pk,
        level=2,
        needs=["eha.education"],
        reason="Attendance below 85 % this term.",
        consent="given",
    )
    services.referral_send(actor=dsl, purpose="safeguarding", reference=second.reference)
    _sign_out(page)

    # --- the front door receives, acknowledges, declines one, accepts and closes the other ---
    _sign_in(page, base, "frontdoor")
    page.goto(f"{base}/referrals/")
    table = page.locator("#referrals").inner_text()
    assert reference in table and second.reference in table
    assert f"{person.given_name} {person.family_name}" in table
    _axe(page)

    page.get_by_role("link", name=reference).click()
    assert "Risk of significant harm" in page.content()
    _axe(page)
    page.get_by_role("button", name="Acknowledge referral").click()
    assert (
        f"Referral {reference} acknowledged."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    _axe(page)

    page.goto(f"{base}/referrals/{second.reference}/")
    page.get_by_label("Why are you declining?").fill("Attendance alone is not a social care need.")
    page.get_by_role("button", name="Decline referral").click()
    assert "Enter the alternative you suggest" in page.locator(".govuk-error-summary").inner_text()
    _axe(page)
    page.get_by_label("Suggested alternative").fill("Early help: the attendance support team.")
    page.get_by_role("button", name="Decline referral").click()
    assert "declined" in page.locator(".govuk-notification-banner").inner_text()
    _axe(page)

    page.goto(f"{base}/referrals/{reference}/")
    page.get_by_role("button", name="Accept referral").click()
    assert "Your team is now involved" in page.locator(".govuk-notification-banner").inner_text()
    _axe(page)
    page.get_by_label("Outcome", exact=True).select_option(label="Support provided: needs met")
    page.get_by_label("Note about the outcome").fill(
        "Assessment completed; family support in place."
    )
    page.get_by_role("button", name="Close referral").click()
    assert (
        "closed: Support provided: needs met"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Closed" in page.locator("h1").inner_text()
    _axe(page)
    _sign_out(page)

    # --- the school sees the decline and records the alternative taken up ------------------
    _sign_in(page, base, "dsl")
    page.goto(f"{base}/referrals/?box=sent&status=declined")
    assert second.reference in page.locator("#referrals").inner_text()
    _axe(page)
    page.get_by_role("link", name=second.reference).click()
    assert "Attendance alone is not a social care need." in page.locator("#decline").inner_text()
    assert "Not yet recorded" in page.locator("#decline").inner_text()
    page.get_by_label("What was taken up?").fill("Family agreed to the attendance support team.")
    page.get_by_role("button", name="Record alternative taken up").click()
    assert "was taken up" in page.locator(".govuk-notification-banner").inner_text()
    _axe(page)

    first = Referral.objects.get(reference=reference)
    assert (first.status, first.child_id, first.outcome) == (
        ReferralStatus.CLOSED,
        child.pk,
        "needs_met",
    )
    declined = Referral.objects.get(reference=second.reference)
    assert declined.status == ReferralStatus.DECLINED and declined.alternative_taken_up_at
