"""Reading ORUK JSON: both versions' shapes, and every rejection names entry, field and why."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from joinedup.directory.oruk import OrukFileError, oruk_read
from tests.directory import factories

# The reader is told the day; every service here is dated from it, never from the clock.
TODAY = date(2026, 11, 23)


def oruk_service(**kw: Any) -> dict[str, Any]:
    return factories.oruk_service(today=TODAY, **kw)


def _read(payload: Any) -> tuple[list, list]:
    return oruk_read(json.dumps(payload).encode(), today=TODAY)


def test_v1_service_is_read_with_ages_taxonomy_location_and_review_date() -> None:
    raw = oruk_service(id="a", assured_date="2026-01-02")
    services, problems = _read([raw])
    assert problems == []
    (s,) = services
    assert (s.oruk_id, s.status, s.min_age, s.max_age) == ("a", "active", 5, 16)
    assert s.taxonomy == ["Parenting"]
    assert s.last_reviewed_on == date(2026, 1, 2)
    assert s.organisation.name == "Brightwater Family Trust"
    (loc,) = s.locations
    assert loc.oruk_id == raw["service_at_locations"][0]["location"]["id"]
    assert (loc.postcode, loc.address, loc.latitude) == ("JU1 2AB", "1 Mill Lane, Eastbrook", 53.1)


def test_hsds3_service_is_read() -> None:
    raw = {
        "id": "h3",
        "name": "Youth counselling",
        "status": "Active",
        "minimum_age": 11,
        "maximum_age": 18,
        "last_modified": "2026-03-15T10:30:45.123Z",
        "organization": {
            "id": "o9",
            "name": "Kettlewick Wellbeing",
            "website": "https://x.invalid",
        },
        "attributes": [{"id": "at", "taxonomy_term": {"name": "Mental health"}}],
        "phones": [{"number": "01632 960000"}],
        "service_at_locations": [
            {"id": "s1", "location": {"id": "l9", "addresses": [{"postal_code": "ju10 1aa"}]}},
            {"id": "s2"},
        ],
    }
    (s,), problems = _read({"contents": [raw], "total_items": 1})
    assert problems == []
    assert (s.status, s.min_age, s.max_age, s.telephone) == ("active", 11, 18, "01632 960000")
    assert s.last_reviewed_on == date(2026, 3, 15)
    assert s.taxonomy == ["Mental health"]
    assert s.organisation.url == "https://x.invalid"
    assert [loc.postcode for loc in s.locations] == ["JU10 1AA"]


@pytest.mark.parametrize("key", ["content", "items", "contents"])
def test_paged_responses_are_read(key: str) -> None:
    services, _ = _read({key: [oruk_service(), oruk_service()], "totalElements": 2})
    assert len(services) == 2


def test_widest_age_range_over_eligibility_entries() -> None:
    raw = oruk_service(
        eligibilitys=[{"minimum_age": 8, "maximum_age": 12}, {"minimum_age": 3, "maximum_age": 5}]
    )
    (s,), _ = _read([raw])
    assert (s.min_age, s.max_age) == (3, 12)


@pytest.mark.parametrize(
    ("change", "field", "why"),
    [
        ({"id": ""}, "id", "missing"),
        ({"name": None}, "name", "missing"),
        ({"status": "open"}, "status", "'open' is not one of active"),
        ({"status": None}, "status", "missing"),
        (
            {"eligibilitys": [{"minimum_age": 16, "maximum_age": 11}]},
            "eligibilitys[0].minimum_age",
            "minimum age 16 is more than maximum age 11",
        ),
        ({"minimum_age": 12, "maximum_age": 4}, "minimum_age", "more than maximum age"),
        ({"eligibilitys": [{"minimum_age": "five"}]}, "eligibilitys[0].minimum_age", "whole"),
        ({"eligibilitys": [{"maximum_age": -1}]}, "eligibilitys[0].maximum_age", "0 to 120"),
        ({"assured_date": "31/01/2026"}, "assured_date", "not a date"),
        ({"last_modified": "yesterday", "assured_date": None}, "last_modified", "not a date"),
        ({"organization": None}, "organization", "missing"),
        ({"organization": {"id": "o", "name": ""}}, "organization.name", "missing"),
        ({"organization": "Acme"}, "organization", "must be an object"),
        ({"service_taxonomys": "Parenting"}, "service_taxonomys", "must be a list"),
        (
            {"service_at_locations": [{"location": {"name": "Hub"}}]},
            "service_at_locations[0].location.id",
            "missing",
        ),
        (
            {"service_at_locations": [{"location": {"id": "l", "latitude": 123}}]},
            "service_at_locations[0].location.latitude",
            "-90 to 90",
        ),
    ],
)
def test_each_rejection_names_entry_field_and_why(change: dict, field: str, why: str) -> None:
    good = oruk_service(id="ok-1")
    bad = oruk_service(id="bad-2")
    bad.update(change)
    services, problems = _read([good, bad])
    assert [s.oruk_id for s in services] == ["ok-1"]
    (problem,) = problems
    assert problem.where.startswith("entry 2")
    assert problem.field == field
    assert why in problem.why


def test_entry_that_is_not_an_object_and_duplicate_ids_are_rejected() -> None:
    services, problems = _read([oruk_service(id="x"), "a string", oruk_service(id="x")])
    assert len(services) == 1
    assert [(p.where, p.field) for p in problems] == [
        ("entry 2", "(entry)"),
        ("entry 3 (id 'x')", "id"),
    ]
    assert "also used by entry 1" in problems[1].why


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[]", "no services"),
        (b'{"services": []}', "without a list of services"),
        (b'"hello"', "JSON str, not a list"),
        (b'{"content": []}', "no services"),
    ],
)
def test_unreadable_files_raise_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(OrukFileError, match=message):
        oruk_read(data, today=TODAY)


def test_utf8_bom_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + json.dumps([oruk_service()]).encode()
    services, _ = oruk_read(data, today=TODAY)
    assert len(services) == 1


@pytest.mark.parametrize("key", ["assured_date", "last_modified"])
def test_review_date_in_the_future_keeps_the_service_with_the_date_flagged(key: str) -> None:
    ahead = (TODAY + timedelta(days=200)).isoformat()
    raw = oruk_service(id="ahead", assured_date=None)
    raw[key] = ahead if key == "assured_date" else f"{ahead}T08:00:00Z"
    (s,), problems = _read([raw])
    assert problems == []
    assert s.last_reviewed_on is None  # not trusted: reads as not reviewed
    assert s.review_date_flag == f"{key} {ahead} is in the future"


def test_review_date_of_tomorrow_is_taken() -> None:
    # A feed a few hours ahead of us (time zones) is not flagged.
    tomorrow = TODAY + timedelta(days=1)
    (s,), _ = _read([oruk_service(assured_date=tomorrow.isoformat())])
    assert (s.last_reviewed_on, s.review_date_flag) == (tomorrow, "")
