"""Importing ORUK files: archived, each service loaded or rejected, idempotent, all or nothing
for an unreadable file, audited; and linking a service to its receiving agency."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.directory.models import DirectoryImport, Location, Organisation, Service
from joinedup.directory.services import directory_import, service_link
from joinedup.governance.models import AgencyType, AuditEvent, Role
from tests import factories as f
from tests.directory.factories import oruk_file, oruk_service

pytestmark = pytest.mark.django_db


def test_import_loads_services_archives_the_file_and_audits(tmp_path: Path) -> None:
    path = oruk_file(tmp_path, [oruk_service(id="a"), oruk_service(id="b", status="bogus")])
    run = directory_import(actor=None, path=path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (run.sha256, run.services_loaded, run.services_rejected, run.organisations) == (
        sha,
        1,
        1,
        1,
    )
    assert (Path(settings.VAR_DIR) / "archive" / sha[:2] / sha).read_bytes() == path.read_bytes()
    assert run.problems == [
        {
            "where": "entry 2 (id 'b')",
            "field": "status",
            "why": "'bogus' is not one of active, inactive, defunct, temporarily closed",
        }
    ]
    service = Service.objects.get(oruk_id="a")
    assert service.organisation.name == "Brightwater Family Trust"
    assert [loc.postcode for loc in service.locations.all()] == ["JU1 2AB"]
    audit = AuditEvent.objects.get(action="directory.import")
    assert audit.detail["loaded"] == 1 and audit.detail["rejected"] == 1
    assert audit.child_ref == ""


def test_model_checks_reject_a_service_with_the_field_named(tmp_path: Path) -> None:
    path = oruk_file(tmp_path, [oruk_service(id="a", url="not a url"), oruk_service(id="b")])
    run = directory_import(actor=None, path=path)
    assert run.services_loaded == 1
    (problem,) = run.problems
    assert problem["where"] == "entry 1 (id 'a')" and problem["field"] == "url"
    assert not Service.objects.filter(oruk_id="a").exists()


def test_same_file_again_changes_nothing(tmp_path: Path) -> None:
    path = oruk_file(tmp_path, [oruk_service(id="a"), oruk_service(id="b")])
    first = directory_import(actor=None, path=path)
    before = list(Service.objects.order_by("pk").values())
    again = directory_import(actor=None, path=path)
    assert again.pk == first.pk
    assert DirectoryImport.objects.count() == 1
    assert list(Service.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="directory.import").last().detail["already_imported"]


def test_newer_file_updates_by_oruk_id_and_keeps_the_referral_link(tmp_path: Path) -> None:
    agency = f.agency(AgencyType.EARLY_HELP, code="early-help")
    directory_import(actor=None, path=oruk_file(tmp_path, [oruk_service(id="a", name="Old")]))
    service_link(actor=None, oruk_id="a", agency_code="early-help")
    newer = oruk_service(id="a", name="New name", status="inactive")
    newer["service_at_locations"] = []
    run = directory_import(actor=None, path=oruk_file(tmp_path, [newer], "newer.json"))
    service = Service.objects.get(oruk_id="a")
    assert (service.name, service.status, service.imported_id) == ("New name", "inactive", run.pk)
    assert service.agency == agency
    assert service.locations.count() == 0
    assert Service.objects.count() == 1 and Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x80abc", "not UTF-8"),
        (b"{oops", "not JSON"),
        (b'{"data": 1}', "without a list of services"),
        (b"[]", "holds no services"),
    ],
)
def test_unreadable_file_writes_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        directory_import(actor=None, path=path)
    assert DirectoryImport.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert not (Path(settings.VAR_DIR) / "archive").exists()


def test_a_role_without_manage_directory_may_not_import(tmp_path: Path) -> None:
    teacher = f.staff(Role.TEACHER, f.agency())
    with pytest.raises(ValidationError, match="may not change the service directory"):
        directory_import(actor=teacher, path=oruk_file(tmp_path, [oruk_service()]))
    assert DirectoryImport.objects.count() == 0


def test_command_imports_and_lists_problems(tmp_path: Path) -> None:
    path = oruk_file(tmp_path, [oruk_service(id="a"), oruk_service(id="b", name="")])
    out = StringIO()
    call_command("directory", "import", str(path), stdout=out)
    text = out.getvalue()
    assert "1 services loaded from 1 organisations, 1 rejected" in text
    assert "rejected entry 2 (id 'b'): name: is missing or blank" in text
    out = StringIO()
    call_command("directory", "import", str(path), stdout=out)
    assert "already imported" in out.getvalue()
    assert Location.objects.count() == 1


def test_command_refuses_a_bad_file_with_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"x.json: the file is not JSON"):
        call_command("directory", "import", str(path))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("directory", "import", str(tmp_path / "missing.json"))


def test_link_command_names_agency_and_team_and_is_audited(tmp_path: Path) -> None:
    agency = f.agency(AgencyType.YOUTH_SERVICE, code="youth-service")
    team = f.team(agency, code="targeted-youth")
    directory_import(actor=None, path=oruk_file(tmp_path, [oruk_service(id="a")]))
    out = StringIO()
    call_command(
        "directory",
        "link",
        "a",
        "--agency",
        "youth-service",
        "--team",
        "targeted-youth",
        stdout=out,
    )
    service = Service.objects.get(oruk_id="a")
    assert (service.agency, service.team) == (agency, team)
    assert "go to" in out.getvalue()
    audit = AuditEvent.objects.get(action="directory.link")
    assert audit.object_ref == "a" and audit.detail == {
        "agency": "youth-service",
        "team": "targeted-youth",
    }


def test_link_errors_name_each_bad_argument(tmp_path: Path) -> None:
    f.agency(AgencyType.YOUTH_SERVICE, code="youth-service")
    with pytest.raises(CommandError) as caught:
        call_command("directory", "link", "nope", "--agency", "nobody")
    assert "service: No service in the directory has the ORUK id 'nope'" in str(caught.value)
    assert "agency: No agency has the code 'nobody'" in str(caught.value)
    directory_import(actor=None, path=oruk_file(tmp_path, [oruk_service(id="a")]))
    with pytest.raises(CommandError, match="has no team 'ghost'"):
        call_command("directory", "link", "a", "--agency", "youth-service", "--team", "ghost")
    assert not AuditEvent.objects.filter(action="directory.link").exists()


def test_import_of_a_real_paged_shape_round_trips(tmp_path: Path) -> None:
    page = {"totalElements": 2, "content": [oruk_service(id="p1"), oruk_service(id="p2")]}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    assert directory_import(actor=None, path=path).services_loaded == 2


def test_a_location_listed_twice_and_shared_between_services_is_stored_once(
    tmp_path: Path,
) -> None:
    first = oruk_service(id="a")
    place = first["service_at_locations"][0]
    first["service_at_locations"] = [place, place]
    second = oruk_service(id="b", service_at_locations=[place])
    run = directory_import(actor=None, path=oruk_file(tmp_path, [first, second]))
    assert run.services_loaded == 2
    (location,) = Location.objects.all()
    assert sorted(location.services.values_list("oruk_id", flat=True)) == ["a", "b"]


def test_service_with_a_future_review_date_is_loaded_flagged_and_reads_as_stale(
    tmp_path: Path,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    ahead = (timezone.localdate() + timedelta(days=90)).isoformat()
    path = oruk_file(tmp_path, [oruk_service(id="a", name="Ahead", assured_date=ahead)])
    run = directory_import(actor=None, path=path)
    assert (run.services_loaded, run.services_rejected, run.problems) == (1, 0, [])
    assert run.flagged == [
        {
            "where": "entry 1 (id 'a')",
            "field": "review date",
            "why": f"assured_date {ahead} is in the future",
        }
    ]
    service = Service.objects.get(oruk_id="a")
    assert service.last_reviewed_on is None
    assert service.review_date_flag == f"assured_date {ahead} is in the future"
    out = StringIO()
    again = oruk_file(tmp_path, [oruk_service(id="b", assured_date=ahead)], "again.json")
    call_command("directory", "import", str(again), stdout=out)
    assert f"kept entry 1 (id 'b'), shown as not reviewed: assured_date {ahead}" in out.getvalue()
