"""Later outcomes per child, the school terms they are measured over, and the characteristics
the fairness report groups children by. Django side: reads source records, events and the
attendance marks (DuckDB); writes nothing.

Terms are found from the marks themselves: a school term is a run of days with marks and no
gap longer than 12 days (a half-term week leaves a gap of 10 days; Christmas, Easter and summer
holidays leave 17 or more), so no calendar needs to be configured for the report.

Outcomes in a term, each with the date it happened (or became true):

- ``persistent_absence``: attendance over the term below 90 % (DfE persistent absence); its
  date is the school day from which the term-to-date attendance stayed below 90 % to the end;
- ``severe_absence``: the same below 50 % (DfE severe absence);
- ``suspension``: a suspension or permanent exclusion event in the term (first one);
- ``referral_accepted``: a children's social care referral that was not "no further action"
  (CIN census referral events; closures do not count);
- ``cin_cp_plan``: a child in need plan or child protection plan started.
- ``any_outcome``: any of these (the earliest date).

Attendance outcomes need at least MIN_SESSIONS possible sessions in the term: a child who was
hardly on any school's roll in the term has no attendance outcome, so is left out of the cohort.
"""

# Statements are built from constants here; dates are passed as parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pyarrow as pa
from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType
from joinedup.ingest.attendance import marks_paths, marks_relation
from joinedup.people.models import Child, SourceRecord

OUTCOMES = (
    "persistent_absence",
    "severe_absence",
    "suspension",
    "referral_accepted",
    "cin_cp_plan",
    "any_outcome",
)
OUTCOME_NAMES = {
    "persistent_absence": "Persistent absence next term (attendance below 90%)",
    "severe_absence": "Severe absence next term (attendance below 50%)",
    "suspension": "Suspended or excluded next term",
    "referral_accepted": "Referral to children's social care accepted next term",
    "cin_cp_plan": "Child in need or child protection plan started next term",
    "any_outcome": "Any of these next term",
}
TERM_GAP_DAYS = 12
MIN_SESSIONS = 10
ATTENDED = "('present', 'approved_activity')"
NOT_POSSIBLE = "('not_possible', 'no_mark')"


@dataclass(frozen=True)
class Term:
    name: str  # e.g. "2025/26 spring"
    start: date
    end: date
    school_days: int

    @property
    def key(self) -> str:  # e.g. "2025-26-spring", what --term takes
        return self.name.replace("/", "-").replace(" ", "-")


def _season(start: date) -> tuple[str, int]:
    """The term's season and the calendar year its school year starts in."""
    if start.month >= 8:
        return "autumn", start.year
    if start.month <= 3:
        return "spring", start.year - 1
    return "summer", start.year - 1


def terms_from_days(days: list[date]) -> list[Term]:
    """Split the sorted distinct school days into terms at gaps of more than TERM_GAP_DAYS."""
    terms: list[Term] = []
    run: list[date] = []
    for day in sorted(days):
        if run and (day - run[-1]).days > TERM_GAP_DAYS:
            terms.append(_term(run))
            run = []
        run.append(day)
    if run:
        terms.append(_term(run))
    return terms


def _term(days: list[date]) -> Term:
    season, year = _season(days[0])
    return Term(f"{year}/{str(year + 1)[-2:]} {season}", days[0], days[-1], len(days))


def surviving_child() -> dict[int, int]:
    """Child pk -> the pk of the child it was merged into (itself when not merged)."""
    parent = dict(Child.objects.values_list("pk", "merged_into_id"))  # noqa: TID251 - ids only
    out = {}
    for pk in parent:
        seen, at = {pk}, pk
        while parent.get(at) is not None and parent[at] not in seen:
            at = parent[at]  # type: ignore[assignment]
            seen.add(at)
        out[pk] = at
    return out


def _record_children(survivor: dict[int, int]) -> pa.Table:
    pairs = SourceRecord.objects.filter(child__isnull=False).values_list("pk", "child_id")
    records, children = [], []
    for record, child in pairs.iterator(chunk_size=5000):
        records.append(record)
        children.append(survivor.get(child, child))
    return pa.table(
        {"source_record": pa.array(records, pa.int64()), "child": pa.array(children, pa.int64())}
    )


class Marks:
    """The area's attendance marks joined to children, in one DuckDB connection."""

    def __init__(self, survivor: dict[int, int] | None = None) -> None:
        self.con = duckdb.connect()
        survivor = surviving_child() if survivor is None else survivor
        self.con.register("record_child", _record_children(survivor))
        marks_relation(self.con, marks_paths()).create_view("raw_marks")
        self.con.execute(
            "CREATE VIEW marks AS SELECT rc.child, m.date::DATE AS date, m.category "
            "FROM raw_marks m JOIN record_child rc ON m.source_record = rc.source_record"
        )

    def close(self) -> None:
        self.con.close()

    def terms(self) -> list[Term]:
        days = [row[0] for row in self.con.execute("SELECT DISTINCT date FROM marks").fetchall()]
        return terms_from_days(days)

    def on_roll(self, term: Term) -> set[int]:
        """Children with at least MIN_SESSIONS possible sessions in the term."""
        rows = self.con.execute(
            f"SELECT child FROM marks WHERE date BETWEEN ? AND ? AND category NOT IN "
            f"{NOT_POSSIBLE} GROUP BY child HAVING count(*) >= ?",
            [term.start, term.end, MIN_SESSIONS],
        ).fetchall()
        return {int(r[0]) for r in rows}

    def below(self, term: Term, threshold: float) -> dict[int, date]:
        """Children whose attendance over the term is below `threshold` (a fraction), with the
        school day from which their term-to-date attendance stayed below it."""
        rows = self.con.execute(
            f"""
            WITH daily AS (
                SELECT child, date,
                       sum(CASE WHEN category IN {ATTENDED} THEN 1 ELSE 0 END) AS att,
                       sum(CASE WHEN category NOT IN {NOT_POSSIBLE} THEN 1 ELSE 0 END) AS poss
                FROM marks WHERE date BETWEEN ? AND ? GROUP BY child, date),
            cum AS (
                SELECT child, date,
                       sum(att) OVER (PARTITION BY child ORDER BY date) AS catt,
                       sum(poss) OVER (PARTITION BY child ORDER BY date) AS cposs
                FROM daily),
            fin AS (
                SELECT child, max(catt) AS att, max(cposs) AS poss,
                       max(CASE WHEN cposs > 0 AND catt >= ? * cposs THEN date END) AS last_ok
                FROM cum GROUP BY child
                HAVING max(cposs) >= ? AND max(catt) < ? * max(cposs))
            SELECT c.child, min(c.date) FROM cum c JOIN fin f ON c.child = f.child
            WHERE c.cposs > 0 AND (f.last_ok IS NULL OR c.date > f.last_ok)
            GROUP BY c.child
            """,
            [term.start, term.end, threshold, MIN_SESSIONS, threshold],
        ).fetchall()
        return {int(child): day for child, day in rows}


def _first(found: dict[int, date], child: int, day: date) -> None:
    if child not in found or day < found[child]:
        found[child] = day


def event_outcomes(start: date, end: date, survivor: dict[int, int]) -> dict[str, dict[int, date]]:
    """The event outcomes dated in [start, end]: outcome -> child pk -> first date."""
    found: dict[str, dict[int, date]] = defaultdict(dict)
    kinds = [
        EventType.SUSPENSION,
        EventType.PERMANENT_EXCLUSION,
        EventType.REFERRAL,
        EventType.PLAN,
        EventType.CHILD_PROTECTION,
    ]
    rows = Event.objects.filter(  # noqa: TID251 - aggregate report, guarded and audited by its callers
        child__isnull=False,
        event_type__in=kinds,
        occurred_at__date__gte=start,
        occurred_at__date__lte=end + timedelta(days=1),
    ).values_list("child_id", "event_type", "occurred_at", "summary", "payload")
    for child_pk, kind, occurred, summary, payload in rows.iterator(chunk_size=5000):
        day = timezone.localtime(occurred).date()
        if not start <= day <= end:
            continue
        child = survivor.get(child_pk, child_pk)
        payload = payload or {}
        if kind in (EventType.SUSPENSION, EventType.PERMANENT_EXCLUSION):
            _first(found["suspension"], child, day)
        elif kind == EventType.REFERRAL:
            if payload.get("stage", "referral") == "referral" and not payload.get("referral_nfa"):
                _first(found["referral_accepted"], child, day)
        elif kind == EventType.PLAN:
            # CIN census writes a plan's start and its end as plan events; only starts count.
            if "ended" not in summary.lower():
                _first(found["cin_cp_plan"], child, day)
        elif payload.get("stage") == "plan":  # child protection plan started
            _first(found["cin_cp_plan"], child, day)
    return found


def term_outcomes(marks: Marks, term: Term, survivor: dict[int, int]) -> dict[str, dict[int, date]]:
    """Every outcome in the term: outcome -> child pk -> date."""
    found = event_outcomes(term.start, term.end, survivor)
    found["persistent_absence"] = marks.below(term, 0.9)
    found["severe_absence"] = marks.below(term, 0.5)
    anything: dict[int, date] = {}
    for name in OUTCOMES[:-1]:
        for child, day in found.get(name, {}).items():
            _first(anything, child, day)
    found["any_outcome"] = anything
    return {name: found.get(name, {}) for name in OUTCOMES}
