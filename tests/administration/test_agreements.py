"""A sharing agreement's life: draft, approve (by someone else), make live (sharing starts),
end (sharing stops at once), record a review; each step audited; review-due warnings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from joinedup.access.children import access_child_by_id, visible_events
from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance import agreement_services
from joinedup.governance.models import (
    AgencyType,
    AgreementStatus,
    AuditEvent,
    Purpose,
    Role,
    SharingAgreement,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict:
    school = f.agency(AgencyType.SCHOOL, name="Moor School")
    police = f.agency(AgencyType.POLICE, name="Police")
    child = f.child()
    f.involvement(child, school)
    f.event(child, school)
    f.event(child, police, EventType.POLICE_NOTIFICATION, Sensitivity.SPECIAL_CATEGORY)
    return {
        "school": school,
        "police": police,
        "child": child,
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
        "drafter": f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, school),
        "approver": f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, police),
    }


def _form(area: dict, **over: object) -> dict:
    start = timezone.localdate() - timedelta(days=1)
    review = start + timedelta(days=365)
    data = {
        "code": "encompass",
        "title": "Operation Encompass",
        "parties": [area["school"].pk, area["police"].pk],
        "purposes": [Purpose.SAFEGUARDING],
        "article_6_basis": "6(1)(e)",
        "article_9_condition": "DPA 2018 Sch. 1 para 18",
        "event_types": [EventType.POLICE_NOTIFICATION],
        "shared_fields": "summary",
        "retention": "Until age 25",
        "starts_day": start.day,
        "starts_month": start.month,
        "starts_year": start.year,
        "review_day": review.day,
        "review_month": review.month,
        "review_year": review.year,
    }
    data.update(over)
    return data


def _seen(area: dict) -> int:
    viewer = area["dsl"]
    access = access_child_by_id(viewer, area["child"].child_id, purpose=Purpose.SAFEGUARDING)
    return len(visible_events(viewer, access).events)


def test_life_of_an_agreement_starts_and_stops_sharing(area: dict) -> None:
    drafter, approver = Client(), Client()
    drafter.force_login(area["drafter"])
    approver.force_login(area["approver"])
    assert drafter.post("/governance/new-agreement/", _form(area)).status_code == 302
    agreement = SharingAgreement.objects.get(code="encompass")
    assert agreement.status == AgreementStatus.DRAFT and agreement.fields == ["summary"]
    assert _seen(area) == 1  # a draft shares nothing

    # The drafter may not approve their own draft.
    refused = drafter.post("/governance/agreements/encompass/approve/", follow=True)
    assert "another information governance officer must approve it" in refused.content.decode()
    approver.post("/governance/agreements/encompass/approve/")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED
    assert agreement.approved_by == area["approver"] and agreement.approved_at is not None
    assert _seen(area) == 1  # approved, not yet live

    drafter.post("/governance/agreements/encompass/live/")
    assert _seen(area) == 2  # live and started: the police event is shared

    page = drafter.post("/governance/agreements/encompass/end/", follow=True).content.decode()
    assert "sharing under it has stopped" in page
    assert _seen(area) == 1  # ended: the viewer loses sight of it at once
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED and agreement.ends_at <= timezone.now()

    actions = list(
        AuditEvent.objects.filter(object_ref="encompass").values_list("action", flat=True)
    )
    assert actions == [
        "agreements.drafted",
        "agreements.approved",
        "agreements.made_live",
        "agreements.ended",
    ]
    ended = AuditEvent.objects.get(action="agreements.ended").detail
    assert (ended["before"]["status"], ended["after"]["status"]) == ("live", "ended")


def test_a_transition_already_made_is_a_clear_message(area: dict) -> None:
    agreement = f.agreement([area["school"], area["police"]], status=AgreementStatus.DRAFT)
    agreement_services.agreement_approve(actor=area["approver"], agreement_id=agreement.pk)
    with pytest.raises(ValidationError, match="is approved: it cannot be approved now"):
        agreement_services.agreement_approve(actor=area["drafter"], agreement_id=agreement.pk)
    with pytest.raises(ValidationError, match="cannot be edited"):
        agreement_services.agreement_update(
            actor=area["drafter"],
            agreement_id=agreement.pk,
            party_ids=[area["school"].pk, area["police"].pk],
            title="Changed",
        )


def test_draft_form_uses_the_agreements_own_rules(area: dict, client: Client) -> None:
    client.force_login(area["drafter"])
    page = client.post(
        "/governance/new-agreement/",
        _form(
            area,
            article_9_condition="",
            parties=[area["school"].pk],
            ends_day="31",
            ends_month="2",
            ends_year="2030",
            shared_fields="summary, =cmd()",
        ),
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "Select at least two agencies" in page
    assert "End date must be a real date" in page
    assert "is not one" in page
    assert not SharingAgreement.objects.exists()
    page = client.post(
        "/governance/new-agreement/", _form(area, article_9_condition="")
    ).content.decode()
    assert "record the Art. 9 / DPA 2018 Sch. 1 condition" in page


def test_edit_a_draft_and_record_a_review(area: dict, client: Client) -> None:
    client.force_login(area["drafter"])
    client.post("/governance/new-agreement/", _form(area))
    client.post("/governance/agreements/encompass/edit/", _form(area, title="Encompass v2"))
    agreement = SharingAgreement.objects.get(code="encompass")
    assert agreement.title == "Encompass v2"
    past = client.post(
        "/governance/agreements/encompass/review/",
        {"review_day": "1", "review_month": "1", "review_year": "2001"},
    )
    assert past.status_code == 400
    assert "The next review date must be in the future" in past.content.decode()
    nxt = timezone.localdate() + timedelta(days=200)
    client.post(
        "/governance/agreements/encompass/review/",
        {"review_day": nxt.day, "review_month": nxt.month, "review_year": nxt.year},
    )
    agreement.refresh_from_db()
    assert agreement.review_at == nxt
    reviewed = AuditEvent.objects.get(action="agreements.reviewed").detail
    assert reviewed["after"]["review_at"] == nxt.isoformat()


@time_machine.travel("2027-03-10 10:00 +00:00", tick=False)
def test_home_warns_of_reviews_due_within_30_days(area: dict, client: Client) -> None:
    parties = [area["school"], area["police"]]
    for title, review in (
        ("Overdue deal", date(2027, 3, 1)),
        ("Soon deal", date(2027, 4, 9)),
        ("Later deal", date(2027, 4, 10)),
    ):
        a = f.agreement(parties, title=title)
        SharingAgreement.objects.filter(pk=a.pk).update(review_at=review)
    ended = f.agreement(parties, title="Ended deal")
    SharingAgreement.objects.filter(pk=ended.pk).update(
        review_at=date(2027, 3, 1), status=AgreementStatus.ENDED
    )
    client.force_login(area["drafter"])
    page = client.get("/").content.decode()
    warning = page[page.index('id="review-due-list"') :]
    warning = warning[: warning.index("</ul>")]
    assert "Overdue deal" in warning and "Overdue" in warning
    assert "Soon deal" in warning and "9 April 2027" in warning
    assert "Later deal" not in warning and "Ended deal" not in warning


@pytest.mark.parametrize(
    "role", [r.value for r in Role if r != Role.INFORMATION_GOVERNANCE_OFFICER]
)
def test_agreement_pages_do_not_exist_for_other_roles(
    area: dict, client: Client, role: str
) -> None:
    agreement = f.agreement([area["school"], area["police"]], code="live-one")
    client.force_login(f.staff(role, area["school"]))
    assert client.get("/governance/agreements/").status_code == 404
    assert client.get("/governance/agreements/live-one/").status_code == 404
    assert client.post("/governance/agreements/live-one/end/").status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.LIVE
