"""Loading involvements from agencies' extracts: case lists (`involvements`) and the on-roll
involvement a school roll (`school-census`) gives each pupil.

- An involvement is identified by its agency's record of the child and a key within it: the
  agency's case id when the file has one, else team and start date (a roll: "roll"). A row for
  a held involvement updates its changed fields (each change audited); a new one is added.
  Its `child` is the record's child, and follows it (`people.record_follow`).
- A full list (a case list imported with `full_list`, every school roll) ends the open
  involvements of its kind the file no longer holds, on the extract date — unless that would
  end more than the allowed share of them, when the whole file is refused (`ListRefused`): a
  truncated export must never end every relationship in an area. An involvement whose record
  is named by a quarantined row is not ended (the row says it still exists).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.governance.models import StaffUser, Team
from joinedup.ingest.adapters import PersonRecord, Problem, Row
from joinedup.ingest.adapters.dates import day_or_problem
from joinedup.ingest.adapters.involvements import CaseRow
from joinedup.ingest.loaders import PersonLoader
from joinedup.ingest.loading import BATCH_SIZE, ListRefused, Loader
from joinedup.needs.selectors import area_vocabulary
from joinedup.people.models import ROLL_KEY, UNIVERSAL_LEVEL, Involvement, SourceRecord

__all__ = ["InvolvementLoader", "RollLoader"]

CHANGEABLE = ("team_id", "worker_id", "description", "level", "started_on", "ended_on")


@dataclass(frozen=True)
class Wanted:
    """One involvement as the file states it."""

    record: SourceRecord
    key: str
    team_id: int | None
    worker_id: int | None
    description: str
    level: int | None
    started_on: date
    ended_on: date | None
    is_lead_professional: bool


class InvolvementSync:
    """Adds and updates a file's involvements; then ends the open ones it did not mention."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.run = loader.run
        self.seen: set[int] = set()
        self.mentioned: set[str] = set()  # record ids named by any row, loaded or not

    def write(self, wanted: list[tuple[int, Wanted]]) -> tuple[set[int], set[int]]:
        """Add and update; (row numbers that added an involvement, rows that changed one)."""
        records = [w.record for _, w in wanted]
        held = {
            (i.source_record_id, i.source_key): i
            for i in Involvement.objects.filter(source_record__in=records)
            .exclude(source_key="")
            .select_related("child")
        }
        new: list[Involvement] = []
        changed: list[Involvement] = []
        new_rows: set[int] = set()
        changed_rows: set[int] = set()
        for row_number, w in wanted:
            values = {
                f.name: getattr(w, f.name) for f in fields(w) if f.name not in ("record", "key")
            }
            current = held.get((w.record.pk, w.key))
            if current is None:
                new.append(
                    Involvement(
                        child_id=w.record.child_id,
                        agency=self.run.agency,
                        source_record=w.record,
                        source_key=w.key,
                        **values,
                    )
                )
                new_rows.add(row_number)
                continue
            self.seen.add(current.pk)
            names = (*CHANGEABLE, "is_lead_professional")
            diff = {
                n: (getattr(current, n), values[n])
                for n in names
                if getattr(current, n) != values[n]
            }
            if diff:
                for name, (_, value) in diff.items():
                    setattr(current, name, value)
                changed.append(current)
                changed_rows.add(row_number)
                self._audit("involvements.update", current, w.record, {"changed": diff})
        Involvement.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.seen.update(i.pk for i in new)
        Involvement.objects.bulk_update(
            changed, [*CHANGEABLE, "is_lead_professional"], batch_size=BATCH_SIZE
        )
        return new_rows, changed_rows

    def _audit(
        self, action: str, inv: Involvement, record: SourceRecord, detail: dict[str, Any]
    ) -> None:
        audit_record(
            actor=self.run.actor,
            action=action,
            child_ref=inv.child.child_id if inv.child is not None else "",
            object_type="involvement",
            object_ref=str(inv.pk),
            detail={
                "run": self.run.pk,
                "record": f"{self.run.agency.code}:{record.record_id}",
                **detail,
            },
        )

    def end_missing(self, scope: Q, what: str) -> None:
        """End the open involvements in `scope` the file did not hold (guarded)."""
        options = self.loader.options
        end = options.extract_date or timezone.localdate()
        open_ = Involvement.objects.filter(
            scope, agency=self.run.agency, started_on__lte=end
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        held = dict(open_.values_list("pk", "source_record__record_id"))
        missing = sorted(
            pk
            for pk, record_id in held.items()
            if pk not in self.seen and record_id not in self.mentioned
        )
        limit = options.max_end_share
        if limit is None:
            limit = float(settings.IMPORT_MAX_END_SHARE)
        if missing and len(missing) > limit * len(held) and not options.force:
            raise ListRefused(
                f"as a full list it would end {len(missing):,} of the {len(held):,} open "
                f"{what} of {self.run.agency.code} ({len(missing) / len(held):.0%}), more than "
                f"the {limit:.0%} allowed. A cut-short export would end them all, so nothing "
                "was changed. Check the file is complete; if they really have ended, import it "
                "again with --force (or a higher --max-end-share)."
            )
        for at in range(0, len(missing), BATCH_SIZE):
            chunk = list(
                Involvement.objects.filter(pk__in=missing[at : at + BATCH_SIZE]).select_related(
                    "child", "source_record"
                )
            )
            for inv in chunk:
                assert inv.source_record is not None
                self._audit(
                    "involvements.end",
                    inv,
                    inv.source_record,
                    {"ended_on": max(end, inv.started_on), "why": "missing from the full list"},
                )
                inv.ended_on = max(end, inv.started_on)
            Involvement.objects.bulk_update(chunk, ["ended_on"], batch_size=BATCH_SIZE)
        self.run.involvements_ended += len(missing)
        if missing and options.force and len(missing) > limit * len(held):
            self.loader.warn(
                1,
                Problem(
                    "(whole file)",
                    f"ended {len(missing):,} of {len(held):,} open {what} "
                    f"({len(missing) / len(held):.0%}): forced past the limit",
                ),
            )


class InvolvementLoader(Loader):
    """A case list: each row names the child's record, the team and worker, and the level."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.run.agency
        self.sync = InvolvementSync(self)
        self.teams = {t.code.casefold(): t for t in Team.objects.filter(agency=agency)}
        self.by_email: dict[str, list[StaffUser]] = {}
        self.by_number: dict[str, StaffUser] = {}
        for person in StaffUser.objects.filter(agency=agency):
            if person.email:
                self.by_email.setdefault(person.email.casefold(), []).append(person)
            if person.staff_number:
                self.by_number[person.staff_number.casefold()] = person
        self.vocabulary = area_vocabulary()
        self.first_row_of: dict[tuple[str, str], int] = {}

    def add(self, row_number: int, row: Row) -> None:
        record_id = row.get("record_id", "").strip()
        if record_id:
            self.sync.mentioned.add(record_id)
        super().add(row_number, row)

    def _level(self, text: str) -> int | None | Problem:
        if not text:
            return None
        if text in ("1", "2", "3", "4"):
            return int(text)
        for level in self.vocabulary.levels:
            if level.label.casefold() == text.casefold():
                return level.level
        agency = self.run.agency
        found = self.vocabulary.term_level(
            agency_code=agency.code, agency_type=agency.agency_type, term=text
        )
        if found is not None:
            return found
        labels = ", ".join(level.label for level in self.vocabulary.levels)
        terms = ", ".join(
            t.term
            for t in self.vocabulary.terms_for(
                agency_code=agency.code, agency_type=agency.agency_type
            )
        )
        return Problem(
            "level",
            f"{text!r} is not a level of need: use 1-4, a level of the continuum ({labels})"
            + (f" or one of {agency.code}'s own terms ({terms})" if terms else ""),
        )

    def _worker(self, text: str) -> StaffUser | None | Problem:
        if not text:
            return None
        code = self.run.agency.code
        if "@" in text:
            found = self.by_email.get(text.casefold(), [])
            if len(found) > 1:
                return Problem(
                    "worker",
                    f"{text!r}: email {text} belongs to {len(found)} members of staff at "
                    f"agency {code}: name the worker by staff number",
                )
            if not found:
                return Problem(
                    "worker", f"{text!r}: no member of staff with email {text} at agency {code}"
                )
            return found[0]
        person = self.by_number.get(text.casefold())
        if person is None:
            return Problem(
                "worker", f"{text!r}: no member of staff with staff number {text} at agency {code}"
            )
        return person

    def accept(self, row_number: int, row: Row, case: CaseRow) -> None:
        problems: list[Problem] = []
        first = self.first_row_of.get((case.record_id, case.key))
        if first is not None:
            what = f"case id {case.case_id!r}" if case.case_id else "team and start date"
            problems.append(
                Problem(
                    "case_id" if case.case_id else "team/started_on",
                    f"repeats the {what} of row {first} for record {case.record_id!r}",
                )
            )
        team = self.teams.get(case.team.casefold()) if case.team else None
        if case.team and team is None:
            problems.append(
                Problem(
                    "team",
                    f"{case.team!r}: no team with code {case.team!r} at agency "
                    f"{self.run.agency.code}",
                )
            )
        worker = self._worker(case.worker)
        level = self._level(case.level)
        problems += [p for p in (worker, level) if isinstance(p, Problem)]
        if problems:
            self.reject(row_number, row, problems)
            return
        self.first_row_of[(case.record_id, case.key)] = row_number
        if isinstance(worker, StaffUser) and not worker.is_active:
            self.warn(row_number, Problem("worker", f"{case.worker} is disabled; loaded as listed"))
        self.pending.append((row_number, row, (case, team, worker, level)))

    def flush(self) -> None:
        if not self.pending:
            return
        ids = {case.record_id for _, _, (case, *_rest) in self.pending}
        records = {
            r.record_id: r
            for r in SourceRecord.objects.filter(agency=self.run.agency, record_id__in=ids)
        }
        wanted: list[tuple[int, Wanted]] = []
        for row_number, row, (case, team, worker, level) in self.pending:
            record = records.get(case.record_id)
            if record is None:
                self.reject(
                    row_number,
                    row,
                    [
                        Problem(
                            "record_id",
                            f"{case.record_id!r}: {self.run.agency.code} holds no record with this "
                            "id; import the agency's person list first",
                        )
                    ],
                )
                continue
            wanted.append(
                (
                    row_number,
                    Wanted(
                        record=record,
                        key=case.key,
                        team_id=team.pk if team else None,
                        worker_id=worker.pk if worker else None,
                        description=case.description,
                        level=level,
                        started_on=case.started_on,
                        ended_on=case.ended_on,
                        is_lead_professional=case.lead,
                    ),
                )
            )
        new_rows, changed_rows = self.sync.write(wanted)
        self.run.rows_loaded += len(wanted)
        self.run.rows_new += len(new_rows)
        self.run.rows_changed += len(changed_rows)
        self.pending = []

    def finish(self) -> None:
        self.flush()
        if self.options.full_list:
            scope = Q(source_record__isnull=False) & ~Q(source_key="") & ~Q(source_key=ROLL_KEY)
            self.sync.end_missing(scope, "involvements from its case list")
        super().finish()


def _roll_description(year: str) -> str:
    year = year.strip().upper()
    if year == "R":
        return "On roll (Reception)"
    if year.isdigit() and 1 <= int(year) <= 14:
        return f"On roll (Year {int(year)})"
    return "On roll"


class RollLoader(PersonLoader):
    """A school roll: the pupils' source records, then each pupil's on-roll involvement
    (level 1, agency-wide) from the entry date (or the extract date) to the leaving date. The
    roll is a full list by nature: a pupil no longer on it comes off roll."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sync = InvolvementSync(self)

    def add(self, row_number: int, row: Row) -> None:
        column = self.adapter.record_id_column()  # type: ignore[attr-defined]
        if record_id := row.get(column, "").strip():
            self.sync.mentioned.add(record_id)
        super().add(row_number, row)

    def flush(self) -> None:
        batch: list[tuple[int, Row, PersonRecord]] = list(self.pending)
        super().flush()  # the pupils' records, counted as loaded, new or changed
        if not batch:
            return
        records = {
            r.record_id: r
            for r in SourceRecord.objects.filter(
                agency=self.run.agency, record_id__in=[p.record_id for _, _, p in batch]
            )
        }
        extract_day = self.options.extract_date or timezone.localdate()
        wanted = []
        for row_number, _, person in batch:
            entry = day_or_problem("EntryDate", person.raw.get("EntryDate", ""), required=False)
            leaving = day_or_problem(
                "LeavingDate", person.raw.get("LeavingDate", ""), required=False
            )
            assert not isinstance(entry, Problem) and not isinstance(leaving, Problem)
            wanted.append(
                (
                    row_number,
                    Wanted(
                        record=records[person.record_id],
                        key=ROLL_KEY,
                        team_id=None,
                        worker_id=None,
                        description=_roll_description(person.raw.get("NCyearActual", "")),
                        level=UNIVERSAL_LEVEL,
                        started_on=entry or extract_day,
                        ended_on=leaving,
                        is_lead_professional=False,
                    ),
                )
            )
        new_rows, changed_rows = self.sync.write(wanted)
        # A row whose pupil's record was already held as received, but whose place on the roll
        # is new or changed, changed something.
        self.run.rows_changed += sum(
            1
            for row_number, _, person in batch
            if person.record_id not in self.touched and row_number in new_rows | changed_rows
        )

    def finish(self) -> None:
        self.flush()
        self.sync.end_missing(Q(source_key=ROLL_KEY), "places on its roll")
        super().finish()
