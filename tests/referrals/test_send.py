"""Sending a referral: completeness, the acknowledgement deadline in working days, the child in
the person index, the chronology event, the receiving team's notification, re-referrals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from joinedup.chronology.models import Event
from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.notifications.models import Notification
from joinedup.people.models import Child, Identifier, SourceRecord
from joinedup.referrals import services
from joinedup.referrals.models import Referral, ReferralStatus
from tests import factories as f
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def _send(a: rf.Area, r: Referral) -> Referral:
    return services.referral_send(actor=a.dsl, purpose=rf.SAFEGUARDING, reference=r.reference)


def test_send_names_every_missing_field_at_once() -> None:
    a = rf.area()
    r = services.referral_create(
        actor=a.dsl,
        purpose=rf.SAFEGUARDING,
        details={},
        to_agency_id=a.early_help.pk,
        to_team_id=a.team.pk,
        consent="refused",
    )
    with pytest.raises(ValidationError) as error:
        _send(a, r)
    assert set(error.value.message_dict) == {
        "given_name",
        "family_name",
        "date_of_birth",
        "level",
        "needs",
        "reason",
        "sharing_basis",
        "sharing_reason",
    }
    assert "lawful basis" in error.value.message_dict["sharing_basis"][0]
    r.refresh_from_db()
    assert r.status == ReferralStatus.DRAFT and r.sent_at is None
    assert not Event.objects.filter(event_type="referral").exists()


def test_consent_must_be_stated_and_a_number_stands_for_the_name() -> None:
    a = rf.area()
    r = services.referral_create(
        actor=a.dsl,
        purpose=rf.SAFEGUARDING,
        details={"nhs_number": "9434765919"},
        to_agency_id=a.early_help.pk,
        to_team_id=a.team.pk,
        level=2,
        needs=["eha.health"],
        reason="Weight loss.",
    )
    with pytest.raises(ValidationError) as error:
        _send(a, r)
    assert set(error.value.message_dict) == {"consent"}


def test_sharing_without_consent_records_the_basis() -> None:
    a = rf.area()
    r = rf.draft(
        a,
        consent="not_sought",
        sharing_basis="significant_harm",
        sharing_reason="Seeking consent would put the child at risk.",
    )
    sent = _send(a, r)
    assert (sent.consent, sent.sharing_basis) == ("not_sought", "significant_harm")


@pytest.mark.parametrize(
    ("sent_on", "agency_type", "acknowledge_by"),
    [
        # Christmas 2026: Fri 25 and Mon 28 (Boxing Day substitute) are bank holidays.
        (date(2026, 12, 24), AgencyType.SOCIAL_CARE, date(2026, 12, 29)),
        (date(2026, 12, 24), AgencyType.EARLY_HELP, date(2026, 12, 31)),
        # A Friday over an ordinary weekend: one working day is Monday; three is Wednesday.
        (date(2026, 11, 20), AgencyType.SOCIAL_CARE, date(2026, 11, 23)),
        (date(2026, 11, 20), AgencyType.EARLY_HELP, date(2026, 11, 25)),
        # Easter 2027: Good Friday 26 March and Easter Monday 29 March.
        (date(2027, 3, 25), AgencyType.SOCIAL_CARE, date(2027, 3, 30)),
    ],
)
def test_acknowledge_by_counts_working_days(
    monkeypatch: pytest.MonkeyPatch, sent_on: date, agency_type: str, acknowledge_by: date
) -> None:
    a = rf.area()
    receiver = f.agency(agency_type)
    rf.freeze(monkeypatch, rf.at(sent_on.year, sent_on.month, sent_on.day))
    r = rf.draft(a, to_agency_id=receiver.pk, to_team_id=None)
    sent = _send(a, r)
    assert sent.acknowledge_by == acknowledge_by
    assert sent.sent_at == rf.at(sent_on.year, sent_on.month, sent_on.day)


def test_sending_writes_the_chronology_event_without_free_text() -> None:
    a = rf.area()
    sent = _send(
        a, rf.draft(a, needs=["eha.emotional", "sf.education"], sender_term="Monitor", level=None)
    )
    event = Event.objects.get(event_type="referral", child=a.child)
    assert event.agency == a.school
    assert event.summary == "Referral to Early Help Hub: Universal"
    assert event.payload["reference"] == sent.reference
    assert event.payload["level"] == 1 and event.payload["needs"] == [
        "eha.emotional",
        "sf.education",
    ]
    assert "attendance" not in str(event.payload).lower()  # the reason stays on the referral
    assert event.sensitivity == "sensitive"


def test_the_receiving_team_is_notified_without_the_childs_name() -> None:
    a = rf.area()
    other = f.staff(Role.EARLY_HELP_PRACTITIONER, a.early_help, a.other_team)
    a.worker.email = "worker@example.org"
    a.worker.save()
    sent = _send(a, rf.draft(a))
    notes = Notification.objects.filter(kind="referrals.sent")
    assert {n.recipient for n in notes} == {a.worker, a.manager}
    assert other not in {n.recipient for n in notes}
    for note in notes:
        assert sent.reference in note.subject and note.link == f"/referrals/{sent.reference}/"
        for text in (note.subject, note.body):
            assert "Maya" not in text and "Okafor" not in text


def test_a_referral_to_an_agency_notifies_its_receivers() -> None:
    a = rf.area()
    _send(a, rf.draft(a, to_team_id=None))
    recipients = {n.recipient for n in Notification.objects.filter(kind="referrals.sent")}
    assert recipients == {a.worker, a.manager, a.outsider}


def test_email_goes_once_the_send_commits(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    a = rf.area()
    a.worker.email = "worker@example.org"
    a.worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(a, rf.draft(a))
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert sent.reference in mail.outbox[0].subject and "Maya" not in mail.outbox[0].body


def test_an_unmatched_child_joins_the_person_index_with_a_source_record() -> None:
    a = rf.area()
    r = rf.draft(
        a,
        child_id="",
        details={
            "given_name": "Leo",
            "family_name": "Brandt",
            "date_of_birth": date(2016, 1, 9),
            "sex": "M",
            "nhs_number": "943 476 5919",
            "postcode": "ab1 2cd",
        },
    )
    sent = _send(a, r)
    assert sent.child is not None and sent.child != a.child
    assert (sent.child.given_name, sent.child.date_of_birth) == ("Leo", date(2016, 1, 9))
    record = SourceRecord.objects.get(agency=a.school, record_id=sent.reference)
    assert record.child == sent.child and record.postcode == "AB1 2CD"
    assert Identifier.objects.get(child=sent.child).value == "9434765919"
    assert Event.objects.get(event_type="referral").source_record == record
    audit = AuditEvent.objects.get(action="referrals.send")
    assert audit.detail["child"] == "new" and audit.child_ref == sent.child.child_id


def test_a_chosen_child_is_kept() -> None:
    a = rf.area()
    sent = _send(a, rf.draft(a))
    assert sent.child == a.child
    assert not SourceRecord.objects.filter(record_id=sent.reference).exists()
    assert Child.objects.count() == 1


def test_a_child_the_sender_cannot_see_cannot_be_chosen() -> None:
    a = rf.area()
    stranger = f.child()
    with pytest.raises(ValidationError) as error:
        rf.draft(a, child_id=stranger.child_id)
    assert error.value.message_dict["child_id"] == ["Choose a child from the match you were shown."]


# ------------------------------------------------------------------------- re-referrals


def _closed_nfa(a: rf.Area, monkeypatch: pytest.MonkeyPatch, closed_on: date, **kw) -> Referral:  # type: ignore[no-untyped-def]
    outcome = kw.pop("outcome", "nfa")
    rf.freeze(
        monkeypatch, rf.at(closed_on.year, closed_on.month, closed_on.day) - timedelta(days=3)
    )
    r = rf.draft(a, **kw)
    services.referral_send(actor=a.dsl, purpose=rf.SAFEGUARDING, reference=r.reference)
    services.referral_accept(actor=a.worker, purpose=rf.EARLY_HELP, reference=r.reference)
    rf.freeze(monkeypatch, rf.at(closed_on.year, closed_on.month, closed_on.day))
    services.referral_close(
        actor=a.worker, purpose=rf.EARLY_HELP, reference=r.reference, outcome=outcome, note="x"
    )
    r.refresh_from_db()
    return r


@pytest.mark.parametrize(
    ("closed_on", "is_re_referral"),
    [
        (date(2026, 8, 20), True),  # 3 months before
        (date(2025, 11, 24), True),  # just inside 12 months
        (date(2025, 10, 20), False),  # 13 months before
    ],
)
def test_re_referral_within_twelve_months_of_nfa(
    monkeypatch: pytest.MonkeyPatch, closed_on: date, is_re_referral: bool
) -> None:
    a = rf.area()
    earlier = _closed_nfa(a, monkeypatch, closed_on)
    rf.freeze(monkeypatch, rf.at(2026, 11, 23))
    again = _send(a, rf.draft(a))
    assert again.re_referral_of == (earlier if is_re_referral else None)


def test_not_a_re_referral_after_another_outcome_or_to_another_agency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = rf.area()
    referral = rf.draft(a)
    services.referral_send(actor=a.dsl, purpose=rf.SAFEGUARDING, reference=referral.reference)
    services.referral_accept(actor=a.worker, purpose=rf.EARLY_HELP, reference=referral.reference)
    services.referral_close(
        actor=a.worker,
        purpose=rf.EARLY_HELP,
        reference=referral.reference,
        outcome="needs_met",
        note="Done.",
    )
    assert _send(a, rf.draft(a)).re_referral_of is None  # needs met, not NFA
    social_care = f.agency(AgencyType.SOCIAL_CARE)
    nfa = _closed_nfa(a, monkeypatch, date(2026, 10, 1))
    rf.freeze(monkeypatch, rf.at(2026, 11, 23))
    assert (
        _send(a, rf.draft(a, to_agency_id=social_care.pk, to_team_id=None)).re_referral_of is None
    )
    latest = _send(a, rf.draft(a))
    assert latest.re_referral_of == nfa  # the latest NFA to the same agency
