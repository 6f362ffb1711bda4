"""A data analyst works the record linkage review queue in a real browser.

Each page is checked with axe-core for serious or critical accessibility violations."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.people.linking import person_index_apply
from joinedup.people.models import LinkDecision, LinkRun, SourceRecord
from tests import factories as f
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LEVELS = "first_name: different; family_name: exact; dob: exact; sex: exact; location: same address"


@pytest.fixture
def queue() -> dict[str, Any]:
    school = f.agency(AgencyType.SCHOOL, code="brookfield", name="Brookfield Primary School")
    health = f.agency(AgencyType.HEALTH, code="health", name="Community Health")
    identity = {"family_name": "Thornbury", "date_of_birth": "2016-09-14", "sex": "F"}
    maisie = SourceRecord.objects.create(
        agency=school, record_id="S-104", given_name="Maisie", postcode="JU1 2AB", **identity
    )
    daisy = SourceRecord.objects.create(
        agency=health, record_id="H-77", given_name="Daisy", postcode="JU1 2AB", **identity
    )
    run = LinkRun.objects.create(
        model={
            "comparisons": {
                "first_name": [{"label": "different", "match_weight": -8.1}],
                "dob": [{"label": "exact", "match_weight": 12.6}],
                "family_name": [{"label": "exact", "match_weight": 4.2}],
            }
        }
    )
    person_index_apply(
        actor=None,
        run=run,
        clusters=[(("brookfield", "S-104"), "a"), (("health", "H-77"), "b")],
    )
    item = LinkDecision.objects.create(
        run=run,
        record_left=maisie,
        record_right=daisy,
        decision="review",
        decided_by="model",
        probability=0.71,
        evidence=LEVELS,
    )
    analyst = f.staff(Role.DATA_ANALYST, f.agency(AgencyType.SOCIAL_CARE), username="analyst")
    return {"item": item, "analyst": analyst}


def test_analyst_decides_a_pair_and_it_leaves_the_queue(
    page: Any, live_server: Any, queue: dict
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_label("Username").fill("analyst")
    page.locator("#id_password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Review pairs of records the linkage could not settle").click()
    page.wait_for_url(f"{base}/linkage/review/")
    assert page.get_by_role("heading", name="1 pair to review").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Uncertain match").click()
    page.wait_for_url(f"{base}/linkage/review/{queue['item'].pk}/")
    side_by_side = page.locator("#side-by-side").inner_text()
    assert "Maisie" in side_by_side and "Daisy" in side_by_side and "Differs" in side_by_side
    assert "Date of birth: exact +12.6" in page.locator("#evidence-for").inner_text()
    assert "First name: different -8.1" in page.locator("#evidence-against").inner_text()
    assert axe_violations(page) == []

    # Missing reason: the GOV.UK error summary, and nothing recorded.
    page.get_by_label("Different children").check()
    page.get_by_role("button", name="Record decision").click()
    assert "Enter the reason for your decision" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    assert not LinkDecision.objects.filter(decided_by="person").exists()

    page.get_by_label("Different children").check()
    page.get_by_label("Reason").fill("Twins: the school has Maisie and Daisy on roll in Year 3")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(f"{base}/linkage/review/")
    assert "Recorded: different children" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("heading", name="0 pairs to review").is_visible()
    assert f"/linkage/review/{queue['item'].pk}/" not in page.content()
    assert axe_violations(page) == []

    decision = LinkDecision.objects.get(decided_by="person")
    assert decision.decision == "non_match" and decision.actor == queue["analyst"]
    assert (
        AuditEvent.objects.filter(action="link_review.decide", actor=queue["analyst"]).count() == 2
    )  # one entry for each child

    # The decision's own page, reached from "your recent decisions", offers the undo.
    page.get_by_role("link", name=f"Decision {decision.pk}").click()
    assert page.get_by_role("button", name="Undo decision").is_visible()
    assert axe_violations(page) == []
