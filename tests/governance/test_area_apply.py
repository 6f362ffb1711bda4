"""`joinedup area apply|export`: a plan, one audited transaction, idempotent, never deleting."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.governance.area_file import AreaSource, area_apply
from joinedup.governance.models import (
    Agency,
    AuditEvent,
    SharingAgreement,
    StaffUser,
    Team,
)
from tests import factories as f
from tests.governance.area_helpers import EXAMPLE_AREA, SMALL, run, write

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        Team.objects.count(),
        StaffUser.objects.count(),
        SharingAgreement.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_example_area_applies_and_again_is_no_changes() -> None:
    out = run("area", "apply", EXAMPLE_AREA)
    assert "Agencies: 8 create" in out and "Agreements: 3 create" in out
    assert Agency.objects.count() == 8 and StaffUser.objects.count() == 12
    dsl = StaffUser.objects.get(username="priya.nair@riverford-primary.example")
    assert dsl.role == "dsl" and dsl.team and dsl.team.code == "pastoral"
    assert not dsl.has_usable_password()  # they sign in through the identity provider
    admin = StaffUser.objects.get(username="amorgan-admin")
    assert admin.agency and admin.agency.code == "council"
    # type:school resolved and stored: both schools are parties.
    education = SharingAgreement.objects.get(code="education-attendance")
    parties = set(education.parties.values_list("code", flat=True))
    assert {"school-100123", "school-100456", "social-care", "early-help"} == parties
    before = _counts()
    assert run("area", "apply", EXAMPLE_AREA).startswith("No changes")
    assert _counts() == before


def test_each_change_is_audited_with_before_and_after(tmp_path: Path) -> None:
    path = write(tmp_path, "area.toml", SMALL)
    run("area", "apply", path)
    created = AuditEvent.objects.get(action="area.agency_created", object_ref="council")
    assert created.actor_username == "system" and created.object_type == "agency"
    assert created.detail["after"]["name"] == "Council"
    actor = StaffUser.objects.get(username="sam.okafor@example.org")
    path.write_text(SMALL.replace('name = "Council"', 'name = "Borough Council"'), "utf-8")
    out = run("area", "apply", path, "--actor", actor.username)
    assert "name: Council -> Borough Council" in out
    changed = AuditEvent.objects.get(action="area.agency_changed")
    assert changed.actor_id == actor.pk
    assert changed.detail == {"before": {"name": "Council"}, "after": {"name": "Borough Council"}}


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "area.toml", SMALL)
    out = run("area", "apply", path, "--dry-run")
    assert "+ create agency council" in out and "dry run: nothing written" in out
    assert _counts() == (0, 0, 0, 0, 0)
    run("area", "apply", path)
    path.write_text(SMALL.split("[[staff]]")[0], "utf-8")  # staff and agreement taken out
    before = _counts()
    out = run("area", "apply", path, "--dry-run")
    assert "- end agreement safeguarding" in out
    assert _counts() == before
    assert StaffUser.objects.filter(is_active=True).count() == 2


def test_taken_out_is_ended_or_disabled_and_put_back_reopens(tmp_path: Path) -> None:
    path = write(tmp_path, "area.toml", SMALL)
    run("area", "apply", path)
    without = SMALL.replace(
        '[[agencies]]\ncode = "school-100123"\nname = "Riverford Primary"\ntype = "school"\n'
        'urn = "100123"\n',
        "",
    ).split('[[staff]]\nfirst_name = "Priya"')[0]
    without += SMALL.split('role = "dsl"\n')[1].replace('"type:school", ', "")
    path.write_text(without, "utf-8")
    out = run("area", "apply", path)
    assert "- end agency school-100123 (not in the files)" in out
    assert "- disable staff priya@example.org (not in the files)" in out
    school = Agency.objects.get(code="school-100123")
    assert school.ended_on == timezone.localdate()
    priya = StaffUser.objects.get(username="priya@example.org")
    assert not priya.is_active and priya.disabled_at is not None
    assert AuditEvent.objects.filter(action="area.staff_disabled", object_ref=priya.username)

    path.write_text(SMALL, "utf-8")
    out = run("area", "apply", path)
    assert "+ re-open agency school-100123" in out and "+ re-enable staff priya@example.org" in out
    school.refresh_from_db()
    priya.refresh_from_db()
    assert school.ended_on is None and priya.is_active and priya.disabled_at is None
    assert Agency.objects.count() == 2  # never deleted, never duplicated


def test_an_agreement_taken_out_is_ended_now() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=timezone.get_current_timezone())
    text = EXAMPLE_AREA.read_bytes()
    area_apply(sources=[AreaSource("a.toml", text)], actor=None, today=now.date(), now=now)
    cut = text.split(b'[[agreements]]\ncode = "education-attendance"')[0]
    result = area_apply(sources=[AreaSource("a.toml", cut)], actor=None, today=now.date(), now=now)
    assert {c.ref for c in result.plan.changes} == {
        "education-attendance",
        "early-help-family-support",
    }
    ended = SharingAgreement.objects.get(code="education-attendance")
    assert ended.status == "ended" and ended.ends_at == now and not ended.is_live(now)
    assert SharingAgreement.objects.count() == 3


def test_a_disabled_members_session_ends(tmp_path: Path) -> None:
    path = write(tmp_path, "area.toml", SMALL)
    run("area", "apply", path)
    priya = StaffUser.objects.get(username="priya@example.org")
    client = Client()
    client.force_login(priya)
    assert client.get("/").status_code == 200
    path.write_text(SMALL.replace('role = "dsl"', 'role = "dsl"\ndisabled = true'), "utf-8")
    run("area", "apply", path)
    assert not Session.objects.exists()  # ended at once, not left to expire
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_export_then_apply_is_no_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "area.toml", SMALL)
    run("area", "apply", EXAMPLE_AREA)
    run("area", "apply", path)  # ends the example's agencies, disables its staff...
    agreement = SharingAgreement.objects.get(code="safeguarding")
    agreement.ends_at = timezone.now() + timedelta(days=3, seconds=7)  # a time, not a date
    agreement.save()
    exported = tmp_path / "export.toml"
    run("area", "export", exported)
    text = exported.read_text("utf-8")
    assert "ended_on = " in text and "disabled = true" in text and 'status = "ended"' in text
    before = _counts()
    assert run("area", "apply", exported).startswith("No changes")
    assert _counts() == before


def test_several_files_are_one_area(tmp_path: Path) -> None:
    main, schools = SMALL.split('[[agencies]]\ncode = "school-100123"')
    schools_part, rest = schools.split("[[teams]]", 1)
    a = write(tmp_path, "area.toml", main + "[[teams]]" + rest)
    b = write(tmp_path, "schools.toml", '[[agencies]]\ncode = "school-100123"' + schools_part)
    run("area", "apply", a, b)
    agreement = SharingAgreement.objects.get(code="safeguarding")
    assert set(agreement.parties.values_list("code", flat=True)) == {"council", "school-100123"}
    c = write(
        tmp_path, "again.toml", '[[agencies]]\ncode = "council"\nname = "X"\ntype = "police"\n'
    )
    with pytest.raises(Exception, match="declared twice"):
        run("area", "apply", a, b, c)


def test_site_accounts_without_a_role_are_left_alone(tmp_path: Path) -> None:
    superuser = StaffUser.objects.create_superuser("root", "root@example.org", "pw-0123456789")
    run("area", "apply", write(tmp_path, "area.toml", SMALL))
    superuser.refresh_from_db()
    assert superuser.is_active
    f.agency()  # an agency made elsewhere (e.g. by hand) is ended when not in the file
    assert "- end agency" in run("area", "apply", tmp_path / "area.toml")


def test_date_dependent_code_takes_today(tmp_path: Path) -> None:
    source = AreaSource("a.toml", SMALL.encode())
    now = datetime(2031, 1, 2, 12, tzinfo=timezone.get_current_timezone())  # not the clock's
    day = now.date()
    area_apply(sources=[source], actor=None, today=day, now=now)
    area_apply(
        sources=[AreaSource("a.toml", SMALL.split("[[teams]]")[0].encode())],
        actor=None,
        today=day,
        now=now,
    )
    assert Team.objects.get(code="assessment").ended_on == day
