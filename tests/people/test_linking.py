"""Applying a linkage run to the person index keeps every existing child's id."""

from __future__ import annotations

import pytest

from joinedup.governance.models import AgencyType, AuditEvent
from joinedup.linkage.identifiers import nhs_check_digit
from joinedup.people.linking import ScoredPair, person_index_apply
from joinedup.people.models import Child, LinkDecision, LinkRun, SourceRecord
from tests import factories as f

pytestmark = pytest.mark.django_db


def _nhs() -> str:
    nine = next(f"999{n:06d}" for n in range(7, 1000) if nhs_check_digit(f"999{n:06d}") is not None)
    return nine + str(nhs_check_digit(nine))


@pytest.fixture
def agencies() -> dict:
    return {
        "school": f.agency(AgencyType.SCHOOL, code="school"),
        "health": f.agency(AgencyType.HEALTH, code="health"),
    }


def _record(agency, record_id: str, **kw: str) -> SourceRecord:  # type: ignore[no-untyped-def]
    fields = {
        "given_name": "Amelia",
        "family_name": "Hart",
        "date_of_birth": "2015-03-02",
        "sex": "F",
        "postcode": "JU1 2AB",
    }
    fields.update(kw)
    return SourceRecord.objects.create(agency=agency, record_id=record_id, **fields)


def _apply(clusters: dict[tuple[str, str], str], review=()) -> object:  # type: ignore[no-untyped-def]
    return person_index_apply(
        actor=None, run=LinkRun.objects.create(), clusters=clusters.items(), review=review
    )


def test_new_clusters_become_children_with_identity_and_identifiers(agencies: dict) -> None:
    nhs = _nhs()
    _record(agencies["school"], "s1", upn="")
    _record(agencies["health"], "h1", date_of_birth="02/03/2015", nhs_number=nhs, sex="Female")
    _record(agencies["health"], "h2", given_name="Amelie", nhs_number="1234567890")
    summary = _apply({("school", "s1"): "a", ("health", "h1"): "a", ("health", "h2"): "b"})
    assert summary.children_created == 2 and summary.records_assigned == 3  # type: ignore[attr-defined]
    amelia = SourceRecord.objects.get(record_id="h1").child
    assert SourceRecord.objects.get(record_id="s1").child == amelia
    assert amelia.date_of_birth.isoformat() == "2015-03-02" and amelia.sex == "F"
    assert [(i.scheme, i.value) for i in amelia.identifiers.all()] == [("nhs_number", nhs)]
    amelie = SourceRecord.objects.get(record_id="h2").child
    assert amelie != amelia and not amelie.identifiers.exists()  # invalid NHS number: no id
    assert AuditEvent.objects.filter(action="person_index.apply").count() == 1


def test_rerun_keeps_ids_and_creates_nothing(agencies: dict) -> None:
    _record(agencies["school"], "s1")
    _record(agencies["health"], "h1")
    clusters = {("school", "s1"): "x", ("health", "h1"): "x"}
    _apply(clusters)
    before = list(Child.objects.values_list("child_id", flat=True))
    summary = _apply(dict.fromkeys(clusters, "renamed-cluster"))
    assert summary.children_created == 0  # type: ignore[attr-defined]
    assert list(Child.objects.values_list("child_id", flat=True)) == before


def test_new_record_joins_the_existing_child(agencies: dict) -> None:
    _record(agencies["school"], "s1")
    _apply({("school", "s1"): "x"})
    child_id = Child.objects.get().child_id
    _record(agencies["health"], "h1")
    _apply({("school", "s1"): "y", ("health", "h1"): "y"})
    assert SourceRecord.objects.get(record_id="h1").child.child_id == child_id
    assert Child.objects.count() == 1


def test_model_never_merges_two_existing_children(agencies: dict) -> None:
    _record(agencies["school"], "twin1", given_name="Amelia")
    _record(agencies["school"], "twin2", given_name="Amelie")
    _apply({("school", "twin1"): "a", ("school", "twin2"): "b"})
    ids = set(Child.objects.values_list("child_id", flat=True))
    _record(agencies["health"], "h1")
    summary = _apply({("school", "twin1"): "z", ("school", "twin2"): "z", ("health", "h1"): "z"})
    assert set(Child.objects.values_list("child_id", flat=True)) == ids
    assert summary.review_items == 1  # type: ignore[attr-defined]
    review = LinkDecision.objects.get(decision="review")
    assert {review.record_left.record_id, review.record_right.record_id} == {"twin1", "twin2"}
    assert SourceRecord.objects.get(record_id="h1").child_id is not None


def test_model_never_splits_an_existing_child(agencies: dict) -> None:
    _record(agencies["school"], "s1")
    _record(agencies["health"], "h1")
    _apply({("school", "s1"): "x", ("health", "h1"): "x"})
    summary = _apply({("school", "s1"): "x", ("health", "h1"): "y"})
    assert Child.objects.count() == 1
    assert summary.review_items == 1  # type: ignore[attr-defined]
    assert "split only after review" in LinkDecision.objects.get().evidence


def test_uncertain_pairs_go_to_review(agencies: dict) -> None:
    _record(agencies["school"], "s1")
    _record(agencies["health"], "h1", given_name="Emily")
    _apply(
        {("school", "s1"): "a", ("health", "h1"): "b"},
        review=[ScoredPair(("school", "s1"), ("health", "h1"), 0.72, "same DOB, postcode")],
    )
    item = LinkDecision.objects.get()
    assert item.decision == "review" and item.probability == 0.72


def test_unknown_records_are_refused_whole(agencies: dict) -> None:
    _record(agencies["school"], "s1")
    with pytest.raises(ValueError, match="unknown record"):
        _apply({("school", "s1"): "a", ("school", "ghost"): "a"})
    assert not Child.objects.exists() and not LinkRun.objects.filter(clusters__gt=0).exists()


def test_links_export_writes_every_record(agencies: dict, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    from django.core.management import call_command

    _record(agencies["school"], "s1")
    _record(agencies["health"], "h1")
    _apply({("school", "s1"): "x"})
    out = tmp_path / "links.csv"
    call_command("links", "export", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    child_id = Child.objects.get().child_id
    assert rows == [
        {"agency": "health", "record_id": "h1", "child_id": ""},
        {"agency": "school", "record_id": "s1", "child_id": child_id},
    ]
    assert AuditEvent.objects.filter(action="links.export").count() == 1


def test_events_imported_before_linking_join_the_child(agencies: dict) -> None:
    from joinedup.chronology.models import Event

    record = _record(agencies["school"], "s1")
    event = Event.objects.create(
        child=None,
        source_record=record,
        agency=agencies["school"],
        event_type="attendance_summary",
        occurred_at="2026-01-05T09:00:00Z",
        summary="96%",
    )
    _apply({("school", "s1"): "x"})
    event.refresh_from_db()
    assert event.child == SourceRecord.objects.get(record_id="s1").child
