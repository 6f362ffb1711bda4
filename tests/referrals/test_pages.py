"""The referral pages over HTTP: who sees which page, the form's messages, draft then send, and
each action, including one the referral's status does not allow."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent, Role
from joinedup.referrals.models import Referral, ReferralStatus, ReferralTransition
from tests import factories as f
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

S = ReferralStatus


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(a: rf.Area, intent: str = "send", **changes: Any) -> dict[str, Any]:
    """The referral form as a browser posts it, complete unless changed."""
    data: dict[str, Any] = {
        "given_name": "Maya",
        "family_name": "Okafor",
        "date_of_birth_0": "2",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2015",
        "sex": "F",
        "postcode": "ab1  2cd",
        "child_id": a.child.child_id,
        "to_agency": str(a.early_help.pk),
        "to_team": str(a.team.pk),
        "level": "2",
        "needs": ["eha.emotional", "sf.health"],
        "reason": "Low mood and falling attendance since the spring.",
        "what_tried": "Pastoral support.",
        "child_views": "I want someone to talk to.",
        "family_views": "Mum agrees and wants help.",
        "consent": "given",
        "intent": intent,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(response: Any) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary, "no error summary on the page"
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


# --- who sees which page ---------------------------------------------------------------------


def test_list_shows_each_side_its_box() -> None:
    a = rf.area()
    sent = rf.in_status(a, S.SENT)
    draft = rf.draft(a)

    page = signed_in(a.worker).get("/referrals/")
    assert page.status_code == 200
    body = page.content.decode()
    assert sent.reference in body and "Maya Okafor" in body and "Oak Primary" in body
    assert draft.reference not in body  # a draft is the sender's alone
    assert '"Sent"' not in body and "?box=received" in body
    assert "2: Early help" in body

    mine = signed_in(a.dsl).get("/referrals/?box=sent").content.decode()
    assert sent.reference in mine and draft.reference in mine and "Early Help Hub" in mine
    assert "Make a referral" in mine

    assert sent.reference not in signed_in(a.outsider).get("/referrals/").content.decode()
    assert AuditEvent.objects.filter(action="referrals.list", actor=a.worker).count() == 1


def test_the_empty_form_shows_three_empty_date_of_birth_boxes() -> None:
    a = rf.area()
    page = signed_in(a.dsl).get("/referrals/new/")
    assert page.status_code == 200
    body = page.content.decode()
    for n, label in enumerate(("Day", "Month", "Year")):
        assert f'for="id_date_of_birth_{n}">{label}</label>' in body
        box = f'id="id_date_of_birth_{n}" name="date_of_birth_{n}" type="text"'
        assert f'{box} inputmode="numeric" value=""' in body


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.DATA_ANALYST, Role.INFORMATION_GOVERNANCE_OFFICER]
)
def test_roles_that_neither_refer_nor_receive_get_404(role: str) -> None:
    a = rf.area()
    client = signed_in(f.staff(role, a.school))
    assert client.get("/referrals/").status_code == 404
    assert client.get("/referrals/new/").status_code == 404
    assert client.post("/referrals/match/", {"given_name": "Maya"}).status_code == 404


def test_list_filters_by_status_marks_overdue_and_pages_by_50() -> None:
    a = rf.area()
    late = rf.in_status(a, S.SENT)
    Referral.objects.filter(pk=late.pk).update(acknowledge_by=date.today() - timedelta(days=1))
    accepted = rf.in_status(a, S.ACCEPTED)
    client = signed_in(a.worker)

    body = client.get("/referrals/?box=received").content.decode()
    row = re.search(rf"{late.reference}.*?</tr>", body, re.S)
    assert row and "Overdue" in row.group(0)
    assert "Overdue" not in re.search(rf"{accepted.reference}.*?</tr>", body, re.S).group(0)  # type: ignore[union-attr]

    only_sent = client.get("/referrals/?box=received&status=sent").content.decode()
    assert late.reference in only_sent and accepted.reference not in only_sent
    assert "draft" not in re.search(
        r'<select[^>]*id="id_status".*?</select>', only_sent, re.S
    ).group(0)  # type: ignore[union-attr]

    for _ in range(51):
        rf.draft(a)
    first = signed_in(a.dsl).get("/referrals/?box=sent&status=draft").content.decode()
    assert first.count('href="/referrals/R-') == 50 and 'rel="next"' in first
    second = signed_in(a.dsl).get("/referrals/?box=sent&status=draft&page=2").content.decode()
    assert second.count('href="/referrals/R-') == 1 and 'rel="prev"' in second


def test_detail_is_404_alike_for_forbidden_and_missing_and_reads_are_audited() -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT)
    outsider = signed_in(a.outsider)
    before = AuditEvent.objects.filter(action="referrals.view", outcome="denied").count()
    forbidden = outsider.get(f"/referrals/{r.reference}/")
    missing = outsider.get("/referrals/R-MISSING2/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert outsider.post(f"/referrals/{r.reference}/acknowledge/").status_code == 404
    assert outsider.get(f"/referrals/{r.reference}/edit/").status_code == 404
    assert (
        AuditEvent.objects.filter(action="referrals.view", outcome="denied").count() == before + 4
    )

    page = signed_in(a.worker).get(f"/referrals/{r.reference}/")
    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        action="referrals.view", actor=a.worker, object_ref=r.reference, outcome="allowed"
    ).exists()


def test_detail_shows_the_senders_words_beside_the_common_level() -> None:
    a = rf.area()
    r = rf.draft(a, sender_term="SEN support / pastoral concern", level=None)
    body = signed_in(a.dsl).get(f"/referrals/{r.reference}/").content.decode()
    words = re.search(r'id="sender-words">(.*?)</p>', body, re.S).group(1)  # type: ignore[union-attr]
    level = re.search(r'id="common-level">(.*?)</p>', body, re.S).group(1)  # type: ignore[union-attr]
    assert "SEN support / pastoral concern" in words
    assert level.strip() == "2: Early help"  # the school's term maps to level 2
    assert "Emotional and behavioural development" in body  # the need's label, not its code
    assert "Consent given" in body
    assert "Edit the draft" in body and "Send referral" in body


# --- the form --------------------------------------------------------------------------------


def test_sending_an_empty_form_names_every_missing_field_and_saves_nothing() -> None:
    a = rf.area()
    response = signed_in(a.dsl).post("/referrals/new/", {"intent": "send", "consent": "refused"})
    assert response.status_code == 200
    assert errors_of(response) == [
        "Enter the child's given name, or an identifier.",
        "Enter the child's family name, or an identifier.",
        "Enter the child's date of birth, or an NHS number or UPN.",
        "Choose the agency, team or service you are referring to.",
        "Choose the level of need.",
        "Choose at least one need.",
        "Enter why you are making this referral.",
        "Choose the lawful basis for sharing without consent.",
        "Enter why you are sharing without consent.",
    ]
    body = response.content.decode()
    assert "<title>Error: Make a referral" in body
    for anchor in (
        "id_given_name",
        "id_date_of_birth_0",
        "id_to_agency",
        "id_level_0",
        "id_needs_0",
        "id_sharing_basis_0",
    ):
        assert f'href="#{anchor}"' in body and f'id="{anchor}"' in body
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2"},
            "date_of_birth",
            "Date of birth must be a real date",
        ),
        ({"date_of_birth_1": ""}, "date_of_birth", "Date of birth must include a month."),
        ({"date_of_birth_2": str(date.today().year + 1)}, "date_of_birth", "today or in the past"),
        ({"nhs_number": "943 476 5910"}, "nhs_number", "fails the modulus-11 check"),
        ({"upn": "A12345678901"}, "upn", "must have 13 characters"),
        ({"to_team": "__other__"}, "to_team", "Choose a team of the agency you chose"),
        ({"consent": ""}, "consent", "Say whether the family has consented."),
        ({"reason": "  "}, "reason", "Enter why you are making this referral."),
        ({"level": "7"}, "level", "Select a valid choice"),
        ({"needs": ["eha.nonsense"]}, "needs", "Select a valid choice"),
        ({"sender_term": "Child protection concern"}, "level", "means level 4"),
    ],
)
def test_each_field_says_what_is_wrong(changes: dict[str, Any], field: str, message: str) -> None:
    a = rf.area()
    if changes.get("to_team") == "__other__":
        changes["to_team"] = str(a.other_team.pk)
        changes["to_agency"] = str(a.school.pk)
    response = signed_in(a.dsl).post("/referrals/new/", form_data(a, **changes))
    assert response.status_code == 200
    errors = errors_of(response)
    assert len(errors) == 1 and message in errors[0], errors
    body = response.content.decode()
    assert f'id="id_{field}-error"' in body
    assert Referral.objects.count() == 0


def test_draft_then_send() -> None:
    a = rf.area()
    client = signed_in(a.dsl)
    saved = client.post(
        "/referrals/new/", form_data(a, "draft", level=None, reason=""), follow=True
    )
    draft = Referral.objects.get()
    assert draft.status == S.DRAFT and draft.child == a.child and draft.postcode == "AB1 2CD"
    assert saved.redirect_chain[-1][0] == f"/referrals/{draft.reference}/"
    assert f"Draft referral {draft.reference} saved" in saved.content.decode()

    edit = client.get(f"/referrals/{draft.reference}/edit/").content.decode()
    assert (
        'value="Maya"' in edit
        and 'name="date_of_birth_2" type="text" inputmode="numeric" value="2015"' in edit
    )

    refused = client.post(
        f"/referrals/{draft.reference}/edit/", form_data(a, level=None, reason="")
    )
    assert errors_of(refused) == [
        "Choose the level of need.",
        "Enter why you are making this referral.",
    ]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT

    sent = client.post(f"/referrals/{draft.reference}/edit/", form_data(a), follow=True)
    draft.refresh_from_db()
    assert draft.status == S.SENT and draft.needs == ["eha.emotional", "sf.health"]
    assert f"Referral {draft.reference} sent to Early Help Hub" in sent.content.decode()
    assert Referral.objects.count() == 1
    # Sent: no longer editable.
    assert client.get(f"/referrals/{draft.reference}/edit/").status_code == 302


def test_sending_without_consent_records_the_lawful_basis() -> None:
    a = rf.area()
    data = form_data(
        a,
        consent="not_sought",
        sharing_basis="significant_harm",
        sharing_reason="Risk of harm now.",
    )
    response = signed_in(a.dsl).post("/referrals/new/", data)
    assert response.status_code == 302
    r = Referral.objects.get()
    assert (r.consent, r.sharing_basis, r.sharing_reason) == (
        "not_sought",
        "significant_harm",
        "Risk of harm now.",
    )
    body = signed_in(a.worker).get(f"/referrals/{r.reference}/").content.decode()
    assert "Risk of significant harm (Children Act 1989 s47)" in body


def test_a_child_not_shown_to_the_sender_cannot_be_chosen() -> None:
    a = rf.area()
    stranger = f.child(given_name="Other", family_name="Child")
    response = signed_in(a.dsl).post("/referrals/new/", form_data(a, child_id=stranger.child_id))
    assert errors_of(response) == ["Choose a child from the match you were shown."]
    assert Referral.objects.count() == 0


# --- actions ---------------------------------------------------------------------------------


def test_acknowledge_accept_and_close() -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT)
    worker = signed_in(a.worker)
    page = worker.get(f"/referrals/{r.reference}/").content.decode()
    assert (
        "Acknowledge referral" in page and "Accept referral" in page and "Decline referral" in page
    )

    done = worker.post(
        f"/referrals/{r.reference}/acknowledge/", {"acknowledge-note": "On it."}, follow=True
    )
    assert f"Referral {r.reference} acknowledged." in done.content.decode()
    r.refresh_from_db()
    assert r.status == S.ACKNOWLEDGED

    done = worker.post(
        f"/referrals/{r.reference}/accept/", {"accept-worker": str(a.manager.pk)}, follow=True
    )
    r.refresh_from_db()
    assert r.status == S.ACCEPTED and r.involvement is not None
    assert r.involvement.worker == a.manager
    assert "Your team is now involved" in done.content.decode()

    refused = worker.post(f"/referrals/{r.reference}/close/", {"close-outcome": ""})
    assert errors_of(refused) == ["Choose the outcome.", "Enter a note about the outcome."]
    done = worker.post(
        f"/referrals/{r.reference}/close/",
        {"close-outcome": "needs_met", "close-note": "Six sessions."},
        follow=True,
    )
    r.refresh_from_db()
    assert (r.status, r.outcome) == (S.CLOSED, "needs_met")
    body = done.content.decode()
    assert "closed: Support provided: needs met" in body
    assert [t.to_status for t in ReferralTransition.objects.filter(referral=r)] == [
        S.DRAFT,
        S.SENT,
        S.ACKNOWLEDGED,
        S.ACCEPTED,
        S.CLOSED,
    ]
    assert "What you can do" not in body


def test_decline_needs_reason_and_alternative_then_sender_records_it_taken_up() -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT)
    worker = signed_in(a.worker)
    refused = worker.post(f"/referrals/{r.reference}/decline/", {"decline-reason": "Not for us."})
    assert errors_of(refused) == [
        "Enter the alternative you suggest, so the child is not left without help."
    ]
    r.refresh_from_db()
    assert r.status == S.SENT

    worker.post(
        f"/referrals/{r.reference}/decline/",
        {"decline-reason": "Needs met in school.", "decline-alternative": "School mentoring."},
    )
    r.refresh_from_db()
    assert r.status == S.DECLINED and r.involvement is None

    sender = signed_in(a.dsl)
    page = sender.get(f"/referrals/{r.reference}/").content.decode()
    assert "Needs met in school." in page and "School mentoring." in page
    assert "Record alternative taken up" in page
    done = sender.post(
        f"/referrals/{r.reference}/alternative-taken-up/",
        {"alternative-taken-up-note": "Started mentoring on Monday."},
        follow=True,
    )
    r.refresh_from_db()
    assert (
        r.alternative_taken_up_at is not None
        and r.alternative_note == "Started mentoring on Monday."
    )
    assert "was taken up" in done.content.decode()


def test_an_action_the_status_does_not_allow_shows_the_reason_not_a_500() -> None:
    a = rf.area()
    declined = rf.in_status(a, S.DECLINED)
    response = signed_in(a.worker).post(f"/referrals/{declined.reference}/accept/", {})
    assert response.status_code == 200
    assert errors_of(response) == [
        f"Referral {declined.reference} is declined: only a sent or acknowledged referral can be "
        "accepted."
    ]
    sent = rf.in_status(a, S.SENT)
    response = signed_in(a.dsl).post(f"/referrals/{sent.reference}/accept/", {})
    assert errors_of(response) == [
        f"Referral {sent.reference} is sent: only the receiving team can accept it."
    ]
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_unknown_verbs_and_get_on_actions() -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT)
    worker = signed_in(a.worker)
    assert worker.post(f"/referrals/{r.reference}/approve/").status_code == 404
    assert worker.get(f"/referrals/{r.reference}/accept/").status_code == 405


def test_send_from_the_draft_page() -> None:
    a = rf.area()
    r = rf.draft(a)
    response = signed_in(a.dsl).post(f"/referrals/{r.reference}/send/", follow=True)
    r.refresh_from_db()
    assert r.status == S.SENT
    assert "They should acknowledge it by" in response.content.decode()
