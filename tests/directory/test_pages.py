"""The directory pages and API over HTTP: role 404s, validation, audit, upload, continuum."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from joinedup.directory.models import DirectoryImport, Service
from joinedup.directory.services import directory_import
from joinedup.governance.models import AuditEvent, Role
from tests import factories as f
from tests.directory.factories import oruk_file, oruk_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path: Path) -> None:
    directory_import(
        actor=None,
        path=oruk_file(
            tmp_path,
            [
                oruk_service(name="Stay and play", assured_date="2020-01-01"),
                oruk_service(name="Teen talk", eligibilitys=[{"minimum_age": 13}]),
                oruk_service(name="Closed club", status="defunct"),
            ],
        ),
    )


def _client(role: str) -> Client:
    client = Client()
    client.force_login(f.staff(role, f.agency()))
    return client


def test_search_page_lists_services_with_stale_tag_and_is_audited(loaded: None) -> None:
    client = _client(Role.TEACHER)
    response = client.get("/directory/", {"text": "stay"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Stay and play" in body and "Teen talk" not in body
    assert "Not reviewed in 12 months" in body
    assert "Brightwater Family Trust" in body and "JU1 2AB" in body
    assert "Not through joinedup" in body
    assert AuditEvent.objects.filter(action="directory.search", detail__text="stay").exists()


def test_inactive_shown_only_when_asked(loaded: None) -> None:
    client = _client(Role.SOCIAL_WORKER)
    assert "Closed club" not in client.get("/directory/").content.decode()
    body = client.get("/directory/", {"include_inactive": "on"}).content.decode()
    assert "Closed club" in body and "Defunct" in body


@pytest.mark.parametrize("age", ["x", "-1", "26", "3.5"])
def test_bad_age_is_a_form_error_and_no_search(loaded: None, age: str) -> None:
    client = _client(Role.TEACHER)
    response = client.get("/directory/", {"age": age})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Age must be a whole number from 0 to 25" in body
    assert not AuditEvent.objects.filter(action="directory.search").exists()


def test_roles_without_search_directory_get_404(loaded: None) -> None:
    client = _client(Role.INFORMATION_GOVERNANCE_OFFICER)
    assert client.get("/directory/").status_code == 404
    assert client.get("/api/directory/services").status_code == 404
    assert client.get("/directory/import/").status_code == 404


def test_api_search_same_selector_and_validation(loaded: None) -> None:
    client = _client(Role.YOUTH_WORKER)
    response = client.get("/api/directory/services", {"age": "14"})
    assert response.status_code == 200
    names = [s["name"] for s in response.json()]
    assert names == ["Stay and play", "Teen talk"]  # "Stay and play" is 5-16
    stale = {s["name"]: s["is_stale"] for s in response.json()}
    assert stale == {"Stay and play": True, "Teen talk": False}
    assert response.json()[0]["locations"][0]["postcode"] == "JU1 2AB"
    bad = client.get("/api/directory/services", {"age": "twelve"})
    assert bad.status_code == 422
    assert "age must be a whole number from 0 to 25" in bad.json()["detail"]
    assert client.get("/api/directory/services", {"age": "30"}).status_code == 422
    assert AuditEvent.objects.filter(action="directory.search").count() == 1


def test_upload_page_imports_for_a_data_analyst(tmp_path: Path) -> None:
    client = _client(Role.DATA_ANALYST)
    assert client.get("/directory/").status_code == 200  # analysts search too
    assert "Import Open Referral UK data" in client.get("/directory/").content.decode()
    data = oruk_file(tmp_path, [oruk_service(id="u1"), oruk_service(id="u2", status="??")])
    upload = SimpleUploadedFile("feed.json", data.read_bytes(), "application/json")
    response = client.post("/directory/import/", {"file": upload}, follow=True)
    body = response.content.decode()
    assert "feed.json: 1 services loaded, 1 rejected" in body
    assert "entry 2 (id &#x27;u2&#x27;)" in body
    run = DirectoryImport.objects.get()
    assert run.file_name == "feed.json" and run.imported_by is not None
    again = SimpleUploadedFile("feed.json", data.read_bytes(), "application/json")
    body = client.post("/directory/import/", {"file": again}, follow=True).content.decode()
    assert "was already imported" in body
    assert DirectoryImport.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "feed.json: the file is not JSON"), (b"[]", "holds no services")],
)
def test_upload_of_a_bad_file_is_a_form_error(content: bytes, message: str) -> None:
    client = _client(Role.DATA_ANALYST)
    upload = SimpleUploadedFile("feed.json", content, "application/json")
    response = client.post("/directory/import/", {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert DirectoryImport.objects.count() == 0 and Service.objects.count() == 0


def test_upload_without_a_file_says_what_to_do() -> None:
    client = _client(Role.DATA_ANALYST)
    body = client.post("/directory/import/", {}).content.decode()
    assert "Select the Open Referral UK file to import" in body


def test_practitioner_may_not_reach_the_upload_page() -> None:
    client = _client(Role.DESIGNATED_SAFEGUARDING_LEAD)
    assert client.get("/directory/import/").status_code == 404
    assert client.post("/directory/import/", {}).status_code == 404
    assert "Import Open Referral UK data" not in client.get("/directory/").content.decode()


def test_continuum_page_shows_levels_vocabulary_and_agency_terms() -> None:
    client = _client(Role.INFORMATION_GOVERNANCE_OFFICER)  # reference material: anyone
    response = client.get("/directory/continuum/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Level 1: Universal",
        "Level 4: Specialist",
        "Early Help Assessment domains",
        "CIN assessment factors",
        "Supporting Families headline outcomes",
        "Emotional and behavioural development",
        "Youth service",
        "At risk",
        "Immediate need",
    ):
        assert text in body, text
