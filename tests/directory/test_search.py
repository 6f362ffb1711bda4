"""Searching the directory: text, age, inactive hidden, staleness at the 12-month boundary,
role and audit."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from joinedup.directory.selectors import review_due_since, service_by_id, service_search
from joinedup.directory.services import directory_import, service_link
from joinedup.governance.models import AgencyType, AuditEvent, Role
from tests import factories as f
from tests.directory.factories import oruk_file, oruk_service

pytestmark = pytest.mark.django_db


def _load(tmp_path: Path, *services: dict) -> None:
    directory_import(actor=None, path=oruk_file(tmp_path, list(services)))


@pytest.fixture
def viewer() -> object:
    return f.staff(Role.TEACHER, f.agency())


def _names(hits: list) -> list[str]:
    return [h.service.name for h in hits]


def test_text_matches_name_description_organisation_and_taxonomy(tmp_path: Path, viewer) -> None:
    _load(
        tmp_path,
        oruk_service(name="Alpha", description="Sleep clinic"),
        oruk_service(name="Beta", organization={"id": "o2", "name": "Riverside Trust"}),
        oruk_service(
            name="Gamma", service_taxonomys=[{"taxonomy": {"name": "Bereavement support"}}]
        ),
        oruk_service(name="Delta"),
    )
    assert _names(service_search(viewer=viewer, text="sleep")) == ["Alpha"]
    assert _names(service_search(viewer=viewer, text="RIVERSIDE")) == ["Beta"]
    assert _names(service_search(viewer=viewer, text="bereavement")) == ["Gamma"]
    assert _names(service_search(viewer=viewer, text="bereavement support")) == ["Gamma"]
    assert _names(service_search(viewer=viewer, text="bereavement sleep")) == []
    assert len(service_search(viewer=viewer)) == 4


def test_age_filter_within_min_and_max(tmp_path: Path, viewer) -> None:
    _load(
        tmp_path,
        oruk_service(name="Under fives", eligibilitys=[{"minimum_age": 0, "maximum_age": 4}]),
        oruk_service(name="Teens", eligibilitys=[{"minimum_age": 13, "maximum_age": 19}]),
        oruk_service(name="Any age", eligibilitys=[]),
        oruk_service(name="From eleven", eligibilitys=[{"minimum_age": 11}]),
    )
    assert _names(service_search(viewer=viewer, age=4)) == ["Any age", "Under fives"]
    assert _names(service_search(viewer=viewer, age=13)) == ["Any age", "From eleven", "Teens"]
    assert _names(service_search(viewer=viewer, age=19)) == ["Any age", "From eleven", "Teens"]
    assert _names(service_search(viewer=viewer, age=20)) == ["Any age", "From eleven"]
    with pytest.raises(ValueError, match="0 to 25"):
        service_search(viewer=viewer, age=26)


def test_inactive_and_defunct_hidden_unless_asked(tmp_path: Path, viewer) -> None:
    _load(
        tmp_path,
        oruk_service(name="Open"),
        oruk_service(name="Paused", status="inactive"),
        oruk_service(name="Gone", status="defunct"),
        oruk_service(name="Shut", status="temporarily closed"),
    )
    assert _names(service_search(viewer=viewer)) == ["Open"]
    assert _names(service_search(viewer=viewer, include_inactive=True)) == [
        "Gone",
        "Open",
        "Paused",
        "Shut",
    ]


def test_stale_across_the_twelve_month_boundary(tmp_path: Path, viewer) -> None:
    today = timezone.localdate()
    due = review_due_since(today)
    _load(
        tmp_path,
        oruk_service(name="A exactly twelve months", assured_date=due.isoformat()),
        oruk_service(name="B a day older", assured_date=(due - timedelta(days=1)).isoformat()),
        oruk_service(name="C never reviewed", assured_date=None),
        oruk_service(name="D last week", assured_date=(today - timedelta(days=7)).isoformat()),
        oruk_service(name="E ahead", assured_date=(today + timedelta(days=30)).isoformat()),
    )
    stale = {h.service.name: h.is_stale for h in service_search(viewer=viewer)}
    assert stale == {
        "A exactly twelve months": False,
        "B a day older": True,
        "C never reviewed": True,
        "D last week": False,
        "E ahead": True,  # a review date in the future is not trusted
    }


def test_review_due_since_handles_a_leap_day() -> None:
    assert review_due_since(date(2028, 2, 29)) == date(2027, 2, 28)
    assert review_due_since(date(2026, 11, 23)) == date(2025, 11, 23)


def test_hit_says_whether_referrals_go_through_joinedup(tmp_path: Path, viewer) -> None:
    f.agency(AgencyType.EARLY_HELP, code="early-help")
    _load(tmp_path, oruk_service(id="linked", name="Linked"), oruk_service(name="Unlinked"))
    service_link(actor=None, oruk_id="linked", agency_code="early-help")
    hits = {h.service.name: h for h in service_search(viewer=viewer)}
    assert hits["Linked"].receives_referrals and not hits["Unlinked"].receives_referrals
    assert hits["Linked"].organisation_name == "Brightwater Family Trust"
    assert service_by_id(hits["Linked"].service.pk).agency.code == "early-help"  # type: ignore[union-attr]
    assert service_by_id(999999) is None


def test_search_is_audited_without_child_data(tmp_path: Path, viewer) -> None:
    _load(tmp_path, oruk_service(name="Alpha"))
    service_search(viewer=viewer, text="alpha", age=7)
    audit = AuditEvent.objects.get(action="directory.search")
    assert audit.actor == viewer and audit.child_ref == ""
    assert audit.detail == {"text": "alpha", "age": 7, "include_inactive": False, "results": 1}


def test_role_without_search_directory_gets_nothing_and_no_audit(tmp_path: Path) -> None:
    _load(tmp_path, oruk_service(name="Alpha"))
    ig = f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, f.agency())
    assert service_search(viewer=ig) == []
    assert not AuditEvent.objects.filter(action="directory.search").exists()
