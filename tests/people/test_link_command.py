"""`joinedup link` end to end: unlinked agency records -> children, ids stable on re-run."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from joinedup.demo.generator import generate_area
from joinedup.people.models import Child, LinkRun, SourceRecord
from tests.people.area import area_records_load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def area():  # type: ignore[no-untyped-def]
    return generate_area(children=1200, seed=5, schools=4)


def _load_unlinked(area) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    area_records_load(area)
    return {(r.agency_code, r.record_id): r.person_id for r in area.records}


def test_link_builds_the_index_precisely_and_keeps_ids(area, capsys) -> None:  # type: ignore[no-untyped-def]
    truth = _load_unlinked(area)
    call_command("link")
    assert "new children" in capsys.readouterr().out
    run = LinkRun.objects.get()
    assert run.records == len(area.records) and run.model

    child_of = {
        (agency, record_id): child_pk
        for agency, record_id, child_pk in SourceRecord.objects.values_list(
            "agency__code", "record_id", "child_id"
        )
    }
    assert None not in child_of.values()
    people_in_child: dict[int, set[str]] = defaultdict(set)
    for key, child_pk in child_of.items():
        people_in_child[child_pk].add(truth[key])
    merged = [p for p in people_in_child.values() if len(p) > 1]
    assert merged == []  # no two true children share a child id
    assert Child.objects.count() <= len(area.people) * 1.05  # and few are split

    ids_before = dict(SourceRecord.objects.values_list("pk", "child__child_id"))
    call_command("link")
    assert dict(SourceRecord.objects.values_list("pk", "child__child_id")) == ids_before
    assert LinkRun.objects.order_by("-pk").first().children_created == 0  # type: ignore[union-attr]


def test_link_with_nothing_to_link_says_so() -> None:
    with pytest.raises(CommandError, match="import extracts first"):
        call_command("link")


def test_link_runs_on_either_engine_and_records_which(engine, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LINKAGE_SPARK = dict(settings.LINKAGE_SPARK, work_dir=engine.work_dir)
    area = generate_area(children=60, seed=9, schools=2)
    truth = _load_unlinked(area)
    call_command("link", "--engine", engine.name)
    run = LinkRun.objects.get()
    assert run.engine == engine.name and run.records == len(area.records)
    people_in_child: dict[int, set[str]] = defaultdict(set)
    for agency, record_id, child_pk in SourceRecord.objects.values_list(
        "agency__code", "record_id", "child_id"
    ):
        people_in_child[child_pk].add(truth[(agency, record_id)])
    assert [p for p in people_in_child.values() if len(p) > 1] == []


def test_link_on_spark_without_java_says_what_it_needs(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.LINKAGE_SPARK = dict(settings.LINKAGE_SPARK, java_home=str(tmp_path / "no-jdk"))
    _load_unlinked(generate_area(children=5, seed=2, schools=2))
    with pytest.raises(CommandError, match="Spark engine needs Java 17 or later"):
        call_command("link", "--engine", "spark")
    assert not LinkRun.objects.exists()
