"""The team-around-the-child pages, through HTTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from joinedup.access.children import access_child_by_id
from joinedup.governance.models import AuditEvent, Role
from joinedup.tac.models import TacAction, TacMember, TeamAroundChild
from joinedup.tac.selectors import WORKERS_SHOWN, tac_child_panel
from joinedup.tac.services import tac_level_change, tac_meeting_record
from tests import factories as f
from tests.tac.factories import SAFEGUARDING, add, area, meeting_args, open_tac

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> dict:
    return area()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_open_a_team_from_the_child(a: dict) -> None:
    client = _client(a["ehp"])
    url = f"/tac/new/{a['child'].child_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "2: Early help" in page.content.decode()
    errors = client.post(url, {"lead": "me"})
    assert "Choose the child&#x27;s level of need." in errors.content.decode()
    done = client.post(url, {"level": "3", "lead": "me", "referral_reference": ""})
    tac = TeamAroundChild.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/tac/{tac.reference}/"
    assert tac.level == 3 and tac.lead_professional == a["ehp"]


def test_a_teacher_cannot_open_a_team(a: dict) -> None:
    client = _client(a["teacher"])
    session = client.session
    session["joinedup_purpose"] = "education"
    session.save()
    assert client.get(f"/tac/new/{a['child'].child_id}/").status_code == 404


def test_detail_shows_level_lead_members_plan_meetings_and_history(a: dict) -> None:
    tac = open_tac(a)
    add(a, tac, "nurse", role="School nurse")
    yesterday = timezone.localdate() - timedelta(days=1)
    tac_meeting_record(
        actor=a["ehp"],
        purpose=SAFEGUARDING,
        reference=tac.reference,
        **meeting_args(
            a,
            held_on=yesterday,
            attendee_ids=[a["ehp"].pk, a["nurse"].pk],
            actions=[
                {"description": "Health review", "owner_id": a["nurse"].pk, "due_on": yesterday}
            ],
        ),
    )
    tac_level_change(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, to_level=3, reason="Rising"
    )
    page = _client(a["ehp"]).get(f"/tac/{tac.reference}/").content.decode()
    assert "3: Targeted" in page
    assert a["ehp"].display_name + ", Early Help Service" in page
    assert "Community Health" in page and "School nurse" in page
    assert "Health review" in page and "Overdue" in page
    assert "Weekly family support; school nurse to review." in page
    assert "I want to stay at my school." in page
    assert "Opened at level 2 (Early help)" in page
    assert "Step up from 2 (Early help) to 3 (Targeted)" in page and "Rising" in page
    assert AuditEvent.objects.filter(action="tac.view", actor=a["ehp"]).exists()


def test_add_member_page(a: dict) -> None:
    tac = open_tac(a)
    client = _client(a["ehp"])
    url = f"/tac/{tac.reference}/members/add/"
    first = client.get(url).content.decode()
    assert "Community Health" in first and 'id="member-add"' not in first
    assert a["nurse"].display_name not in first  # no staff list until an agency is chosen
    page = client.get(url, {"agency": a["health"].pk}).content.decode()
    assert a["nurse"].display_name in page and a["teacher"].display_name not in page
    assert f'name="agency" value="{a["health"].pk}"' in page
    wrong = client.post(url, {"agency": a["school"].pk, "worker": a["nurse"].pk})
    assert "does not work for Brookfield Primary School" in wrong.content.decode()
    ok = client.post(
        url, {"agency": a["health"].pk, "worker": a["nurse"].pk, "role_in_team": "Nurse"}
    )
    assert ok.status_code == 302
    assert TacMember.objects.filter(tac=tac, worker=a["nurse"], role_in_team="Nurse").exists()


def worker_options(html: str) -> int:
    select = re.search(r'<select name="worker".*?</select>', html, re.S)
    assert select, "no worker list"
    return select.group(0).count("<option")


def test_add_member_finds_workers_by_name_in_a_large_agency(a: dict) -> None:
    tac = open_tac(a)
    for _ in range(WORKERS_SHOWN + 5):
        f.staff(Role.SCHOOL_NURSE, a["health"])
    a["nurse"].last_name = "Quigley-Hart"
    a["nurse"].save()
    client = _client(a["ehp"])
    url = f"/tac/{tac.reference}/members/add/"
    many = client.get(url, {"agency": a["health"].pk}).content.decode()
    assert 'id="workers-more"' in many
    assert worker_options(many) == WORKERS_SHOWN + 1  # and "No named worker"
    found = client.get(url, {"agency": a["health"].pk, "name": "quigley"}).content.decode()
    assert 'id="workers-more"' not in found and a["nurse"].display_name in found
    assert worker_options(found) == 2
    none = client.get(url, {"agency": a["health"].pk, "name": "Nobody"}).content.decode()
    assert 'id="workers-none"' in none and "matching &ldquo;Nobody&rdquo;" in none
    # Not an agency, or not a worker who may join: a clear error, nothing added.
    bad = client.get(url, {"agency": "999999"}).content.decode()
    assert "Select a valid choice" in bad and 'id="member-add"' not in bad
    teacher = client.post(url, {"agency": a["school"].pk, "worker": a["teacher"].pk})
    assert "Choose a member of staff who can work in a team" in teacher.content.decode()
    assert client.post(url, {"agency": "x"}).status_code == 200
    assert not TacMember.objects.filter(tac=tac, agency=a["school"]).exists()


def test_meeting_page_shows_every_problem_then_records(a: dict) -> None:
    tac = open_tac(a)
    add(a, tac, "nurse")
    client = _client(a["ehp"])
    url = f"/tac/{tac.reference}/meetings/new/"
    page = client.get(url).content.decode()
    assert 'name="attendees"' in page and "Action 5" in page
    today = timezone.localdate()
    past = today - timedelta(days=2)
    bad = client.post(
        url,
        {
            "held_on_day": today.day,
            "held_on_month": today.month,
            "held_on_year": today.year,
            "action_0_description": "Book review",
            "action_0_owner": a["nurse"].pk,
            "action_0_due_day": past.day,
            "action_0_due_month": past.month,
            "action_0_due_year": past.year,
        },
    ).content.decode()
    assert "Choose the members of the team who attended." in bad
    assert "Enter what the meeting decided." in bad
    assert "Action 1: the due date must be on or after the meeting" in bad
    assert 'href="#id_action_0_due_day"' in bad
    assert not TacAction.objects.exists()
    # Rows 1 and 2 left blank: the problem in the third row is called "Action 3", on row 3.
    third = client.post(
        url,
        {"held_on_day": today.day, "held_on_month": today.month, "held_on_year": today.year}
        | {"action_2_description": "Book review", "action_2_owner": ""},
    ).content.decode()
    assert "Action 3: choose an owner who is a current member of the team." in third
    assert "Action 3: enter a real due date." in third and "Action 1:" not in third
    assert 'href="#id_action_2_owner"' in third and 'href="#id_action_2_due_day"' in third
    ok = client.post(
        url,
        {
            "held_on_day": today.day,
            "held_on_month": today.month,
            "held_on_year": today.year,
            "attendees": [a["ehp"].pk, a["nurse"].pk],
            "child_attended": "on",
            "child_views": "I like football.",
            "decisions": "Keep going.",
            "action_2_description": "Book review",
            "action_2_owner": a["nurse"].pk,
            "action_2_due_day": today.day,
            "action_2_due_month": today.month,
            "action_2_due_year": today.year,
        },
    )
    assert ok.status_code == 302
    action = TacAction.objects.get()
    assert action.owner == a["nurse"] and action.meeting.child_attended


def test_action_update_page(a: dict) -> None:
    tac = open_tac(a)
    add(a, tac, "nurse")
    tac_meeting_record(
        actor=a["ehp"],
        purpose=SAFEGUARDING,
        reference=tac.reference,
        **meeting_args(
            a,
            actions=[
                {"description": "Review", "owner_id": a["nurse"].pk, "due_on": timezone.localdate()}
            ],
        ),
    )
    action = TacAction.objects.get()
    url = f"/tac/{tac.reference}/actions/{action.pk}/"
    client = _client(a["nurse"])
    missing_note = client.post(url, {"status": "done", "note": ""}).content.decode()
    assert "an action marked done needs one" in missing_note
    assert client.post(url, {"status": "done", "note": "Seen"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert _client(a["nurse"]).get(f"/tac/{tac.reference}/actions/99999/").status_code == 404


def test_level_lead_close_and_remove_pages(a: dict) -> None:
    tac = open_tac(a)
    member = add(a, tac, "nurse")
    client = _client(a["ehp"])
    base = f"/tac/{tac.reference}"
    same = client.post(f"{base}/level/", {"to_level": "2", "reason": "x"}).content.decode()
    assert "The team is already at level 2 (early help)." in same
    assert client.post(f"{base}/level/", {"to_level": "3", "reason": "Up"}).status_code == 302
    assert client.post(f"{base}/lead/", {"worker": a["nurse"].pk}).status_code == 302
    tac.refresh_from_db()
    assert tac.level == 3 and tac.lead_professional == a["nurse"]
    lead_leaving = client.post(f"{base}/members/{member.pk}/remove/", {}).content.decode()
    assert "set another lead professional before they leave" in lead_leaving
    blank = client.post(f"{base}/close/", {"reason": ""}).content.decode()
    assert "Enter why the team is closing." in blank
    assert client.post(f"{base}/close/", {"reason": "Needs met"}).status_code == 302
    tac.refresh_from_db()
    assert tac.closed_on is not None


def test_child_panel(a: dict) -> None:
    access = access_child_by_id(a["dsl"], a["child"].child_id, purpose=SAFEGUARDING)
    html = render_to_string("tac/child_panel.html", {"panel": tac_child_panel(access=access)})
    assert f"/tac/new/{a['child'].child_id}/" in html
    tac = open_tac(a)
    access = access_child_by_id(a["dsl"], a["child"].child_id, purpose=SAFEGUARDING)
    html = render_to_string("tac/child_panel.html", {"panel": tac_child_panel(access=access)})
    assert "that you are not part of" in html and tac.reference not in html
    mine = access_child_by_id(a["ehp"], a["child"].child_id, purpose=SAFEGUARDING)
    html = render_to_string("tac/child_panel.html", {"panel": tac_child_panel(access=mine)})
    assert f"/tac/{tac.reference}/" in html and "level 2 (Early help)" in html


def test_meeting_page_says_when_the_date_is_not_real(a: dict) -> None:
    tac = open_tac(a)
    page = _client(a["ehp"]).post(
        f"/tac/{tac.reference}/meetings/new/",
        {"held_on_day": "31", "held_on_month": "2", "held_on_year": "2026", "decisions": "x"},
    )
    html = page.content.decode()
    assert "The date of the meeting must be a real date." in html
    assert "Enter the date of the meeting." not in html
