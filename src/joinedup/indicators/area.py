"""The whole area's indicator inputs, read from the database, and their evaluation (no writes).

A batch read by the system, not a person's view of a child: it is audited once per run by
`indicators_run` (services.py), which stores the flags; people see flags only through
`joinedup.access.flags`. The fairness report calls `area_evaluate` with past dates.

Children merged into another (Child.merged_into) are evaluated as the surviving child: their
records' marks and their events count for the survivor.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import AgencyType
from joinedup.indicators.evaluate import EventRow, Inputs, RecordRow, evaluate
from joinedup.indicators.results import FlagResult
from joinedup.indicators.rulefile import RuleSet, load_rules
from joinedup.ingest.attendance import FORMAT as ATTENDANCE_FORMAT
from joinedup.ingest.attendance import marks_file
from joinedup.ingest.attendance_files import quote
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.people.models import Child, SourceRecord

__all__ = [
    "area_evaluate",
    "area_inputs",
    "child_pks",
    "rules_load",
    "survivors",
    "touched_children",
]

# Events older than this before the as-of date are not read (the longest event window in a
# rule file is checked against it).
EVENT_REACH_DAYS = 400


def rules_load(path: Path | str | None = None) -> RuleSet:
    """The area's rule set (settings.INDICATOR_RULES_FILE unless `path`); RuleFileError if bad."""
    return load_rules(path or settings.INDICATOR_RULES_FILE)


def survivors() -> dict[int, int]:
    """Every merged child's pk -> the pk of the child it was (finally) merged into."""
    merged = dict(
        Child.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    found: dict[int, int] = {}
    for pk in merged:
        seen, target = {pk}, merged[pk]
        while target in merged and target not in seen:  # a chain a -> b -> c ends at c
            seen.add(target)
            target = merged[target]
        found[pk] = target
    return found


def _scope(child_ids: Collection[int] | None, final: Mapping[int, int]) -> set[int] | None:
    """The pks whose data to read for `child_ids`: their survivors and all merged into them."""
    if child_ids is None:
        return None
    wanted = {final.get(pk, pk) for pk in child_ids}
    return wanted | {pk for pk, target in final.items() if target in wanted}


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def area_inputs(*, as_of: date, rules: RuleSet, child_ids: Collection[int] | None = None) -> Inputs:
    """What `evaluate` reads: every loaded attendance file, the school records of linked
    children, and the children's events of the types the rules count."""
    final = survivors()
    scope = _scope(child_ids, final)
    records = SourceRecord.objects.filter(
        child__isnull=False, agency__agency_type=AgencyType.SCHOOL
    )
    if scope is not None:
        records = records.filter(child_id__in=scope)
    record_rows = tuple(
        RecordRow(pk, final.get(child, child), name)
        for pk, child, name in records.values_list("pk", "child_id", "agency__name").iterator(
            chunk_size=5000
        )
    )
    types = {t for r in rules.enabled for t in r.event_types}
    if any(r.kind == "mid_year_admission" for r in rules.enabled):
        types.add(EventType.SCHOOL_ADMISSION)
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    events = Event.objects.filter(
        child__isnull=False,
        event_type__in=types,
        occurred_at__lt=end,
        occurred_at__gte=end - timedelta(days=EVENT_REACH_DAYS),
    )
    if scope is not None:
        events = events.filter(child_id__in=scope)
    labels = dict(EventType.choices)
    event_rows = tuple(
        _event_row(final, labels, *values)
        for values in events.values_list(
            "child_id", "event_type", "occurred_at", "recorded_at", "agency__name", "payload"
        ).iterator(chunk_size=5000)
    )
    runs = ImportRun.objects.filter(source_format=ATTENDANCE_FORMAT, status=ImportStatus.LOADED)
    loaded = {
        run.pk: _local_day(run.finished_at or run.started_at)
        for run in runs.select_related("agency").order_by("pk")
    }
    paths = tuple(
        path
        for run in runs.select_related("agency").order_by("pk")
        if (path := marks_file(run)).exists()
    )
    return Inputs(paths, record_rows, event_rows, loaded, partial=scope is not None)


def _event_row(
    final: Mapping[int, int],
    labels: Mapping[str, str],
    child: int,
    event_type: str,
    occurred: datetime,
    recorded: datetime,
    agency: str,
    payload: object,
) -> EventRow:
    fields = payload if isinstance(payload, dict) else {}

    def text(name: str) -> str | None:
        value = fields.get(name)
        return str(value) if value is not None else None

    return EventRow(
        child=final.get(child, child),
        event_type=event_type,
        occurred_on=_local_day(occurred),
        recorded_on=_local_day(recorded),
        agency=agency,
        what=labels.get(event_type, event_type),
        notification_type=text("notification_type"),
        admission=text("admission"),
    )


def area_evaluate(
    *,
    as_of: date,
    rules: RuleSet | None = None,
    child_ids: Iterable[int] | None = None,
    previous: Mapping[tuple[int, str], str] | None = None,
    inputs: Inputs | None = None,
) -> list[FlagResult]:
    """Every enabled rule's flags across the area (or for `child_ids`, as their surviving
    children), as at `as_of`, using only marks and events dated on or before it. Reads, never
    writes. Pass `inputs` (from `area_inputs`) to evaluate several dates without reading the
    database again."""
    rules = rules or rules_load()
    ids = None if child_ids is None else set(child_ids)
    if inputs is None:
        inputs = area_inputs(as_of=as_of, rules=rules, child_ids=ids)
    return evaluate(inputs, as_of=as_of, rules=rules, previous=previous)


def touched_children(run: ImportRun) -> set[int]:
    """The children (linked so far) whose data a loaded import added or changed: the pupils
    of an attendance file; the records and events an events or persons file wrote."""
    if run.source_format == ATTENDANCE_FORMAT:
        import duckdb

        path = marks_file(run)
        if not path.exists():
            return set()
        with duckdb.connect() as con:
            found = con.execute(
                f"SELECT DISTINCT source_record FROM read_parquet({quote(str(path))})"  # noqa: S608
            ).fetchall()
        pks = [int(r[0]) for r in found]
        children: set[int | None] = set()
        for at in range(0, len(pks), 5000):  # under SQLite's limit on query parameters
            chunk = SourceRecord.objects.filter(pk__in=pks[at : at + 5000], child__isnull=False)
            children |= set(chunk.values_list("child_id", flat=True))
    else:
        records = SourceRecord.objects.filter(
            agency=run.agency, received_at__gte=run.started_at, child__isnull=False
        )
        children = set(records.values_list("child_id", flat=True))
    children |= set(
        Event.objects.filter(
            agency=run.agency, recorded_at__gte=run.started_at, child__isnull=False
        ).values_list("child_id", flat=True)
    )
    return {int(c) for c in children if c is not None}


def child_pks(child_ids: Iterable[str]) -> set[int]:
    """The pks of children named by their public ids (C-7Q2X9K4M); ValueError names any
    unknown id."""
    wanted = {c.strip().upper() for c in child_ids if c.strip()}
    found = dict(Child.objects.filter(child_id__in=wanted).values_list("child_id", "pk"))
    unknown = sorted(wanted - set(found))
    if unknown:
        raise ValueError(f"no child has the id {', '.join(unknown)}")
    return set(found.values())
