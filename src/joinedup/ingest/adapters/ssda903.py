"""SSDA903 (children looked after) return tables, as CSV, in either of two shapes.

- The Header table (CHILD, SEX, DOB, ETHNIC, UPN, ...): one source record per child, keyed by
  CHILD (the LA's child id). A record the agency already holds keeps its names and address; the
  return adds the sex, date of birth and UPN it carries.
- The Episodes table (CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC,
  REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN): each episode becomes `looked_after` events on
  the record the agency holds for CHILD (import the Header table or person file first): the
  start of care, a placement change or a legal status change on DECOM, and, when care ceased
  (DEC with a REC other than X1), the end of care on DEC.

Which shape a file is comes from its header: a DECOM column means Episodes. Dates are
DD/MM/YYYY as in the real return, or YYYY-MM-DD. Codes are checked against the SSDA903 code
lists. Postcodes (HOME_POST, PL_POST) are kept only in the archived file, never in events:
where a looked-after child lives is not for a chronology.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django.utils import timezone

from joinedup.chronology.vocabulary import EventType
from joinedup.ingest.adapters.base import (
    CsvAdapter,
    PersonRecord,
    Problem,
    Row,
    column_key,
    damaged_values,
    too_long,
)
from joinedup.ingest.adapters.bundle import Bundle
from joinedup.ingest.adapters.dfe import (
    EPISODE_CEASED_REASONS,
    LEGAL_STATUSES,
    NEW_EPISODE_REASONS,
    PLACEMENT_CHANGE_REASONS,
    PLACEMENT_PROVIDERS,
    PLACEMENT_TYPES,
    PRIMARY_NEEDS,
    code_reason,
    on_day,
    parse_day,
)
from joinedup.ingest.adapters.events import EventRecord
from joinedup.ingest.adapters.identity import MAX_LENGTH
from joinedup.linkage.identifiers import InvalidIdentifier, check_upn

HEADER_COLUMNS: tuple[str, ...] = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS: tuple[str, ...] = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE")
EPISODE_COLUMNS += ("PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST")
EPISODE_COLUMNS += ("PL_POST", "URN")
SEXES = {"1": "male", "2": "female"}
# (column, codes, what they are, required)
EPISODE_CODES: tuple[tuple[str, dict[str, str], str, bool], ...] = (
    ("RNE", NEW_EPISODE_REASONS, "an SSDA903 reason for new episode", True),
    ("LS", LEGAL_STATUSES, "an SSDA903 legal status", True),
    ("PLACE", PLACEMENT_TYPES, "an SSDA903 placement type", True),
    ("PLACE_PROVIDER", PLACEMENT_PROVIDERS, "an SSDA903 placement provider", False),
    (
        "CIN",
        {k: v for k, v in PRIMARY_NEEDS.items() if k not in ("N0", "N9")},
        "an SSDA903 category of need",
        False,
    ),
    ("REC", EPISODE_CEASED_REASONS, "an SSDA903 reason episode ceased", False),
    (
        "REASON_PLACE_CHANGE",
        PLACEMENT_CHANGE_REASONS,
        "an SSDA903 reason for placement change",
        False,
    ),
)


class Ssda903Adapter(CsvAdapter):
    name = "ssda903"
    kind: ClassVar[str] = "bundles"
    description = (
        "SSDA903 children looked after, as CSV: the Header table (CHILD, SEX, DOB, UPN ...) "
        "gives records; the Episodes table (CHILD, DECOM, RNE, LS, PLACE, DEC, REC ...) gives "
        "looked-after episodes as events; dates DD/MM/YYYY or YYYY-MM-DD"
    )
    columns = tuple(dict.fromkeys(HEADER_COLUMNS + EPISODE_COLUMNS))
    required = ("CHILD",)

    def __init__(self, display_name: str = "") -> None:
        super().__init__(display_name)
        self.episodes = False

    def record_id_column(self) -> str:
        return "CHILD"

    def resolve_columns(self, present: Mapping[str, str]) -> list[str]:
        self.episodes = column_key("DECOM") in present
        needed = ("CHILD", "DECOM", "RNE", "LS", "PLACE") if self.episodes else ("CHILD", "DOB")
        missing = [c for c in needed if column_key(c) not in present]
        if missing and not self.episodes:
            missing.append("(or DECOM, RNE, LS, PLACE for the Episodes table)")
        return missing

    def validate(self, row: Row) -> Bundle | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        problems = damaged_values(row)
        child = row["CHILD"].strip()
        if not child:
            problems.append(Problem("CHILD", "is blank: every row needs the LA's child id"))
        elif problem := too_long("CHILD", child, MAX_LENGTH["la_child_id"]):
            problems.append(problem)
        if self.episodes:
            events = _episode_events(child, row, problems)
            return problems or Bundle(None, events)
        return _header_record(child, row, problems)


def _day(row: Row, column: str, problems: list[Problem]) -> date | None:
    value = row[column]
    if not value.strip():
        return None
    day = parse_day(value)
    if day is None:
        problems.append(Problem(column, f"{value!r} is not a date (DD/MM/YYYY or YYYY-MM-DD)"))
    elif day > timezone.localdate():
        problems.append(Problem(column, f"{value!r} is in the future"))
    return day


def _header_record(child: str, row: Row, problems: list[Problem]) -> Bundle | list[Problem]:
    if not row["DOB"].strip():
        problems.append(Problem("DOB", "is blank: the Header table gives each child's DOB"))
    _day(row, "DOB", problems)
    sex = row["SEX"].strip()
    if sex and sex not in SEXES:
        problems.append(Problem("SEX", f"{sex!r} is not an SSDA903 sex code; use 1 (male) or 2"))
    upn = row["UPN"].strip()
    if problem := too_long("UPN", upn, MAX_LENGTH["upn"]):
        problems.append(problem)
    if problems:
        return problems
    fields = {"la_child_id": child, "date_of_birth": row["DOB"], "sex": row["SEX"]}
    warnings = []
    if upn and not upn.upper().startswith("UN"):  # UN1-UN5: the reason there is no UPN
        fields["upn"] = row["UPN"]
        try:
            check_upn(upn)
        except InvalidIdentifier as exc:
            warnings.append(Problem("UPN", f"{exc} Loaded as received."))
    return Bundle(PersonRecord(child, fields, dict(row), warnings))


def _episode_events(child: str, row: Row, problems: list[Problem]) -> list[EventRecord]:
    codes: dict[str, str] = {}
    for column, known, what, required in EPISODE_CODES:
        value = row[column].strip().upper()
        if not value:
            if required:
                problems.append(Problem(column, f"is blank: give {what} code"))
            continue
        if value not in known:
            problems.append(Problem(column, code_reason(row[column].strip(), known, what)))
        codes[column] = value
    started = _day(row, "DECOM", problems)
    if started is None and row["DECOM"].strip() == "":
        problems.append(Problem("DECOM", "is blank: give the date the episode started"))
    ended = _day(row, "DEC", problems)
    if started and ended and ended < started:
        problems.append(Problem("DEC", f"{row['DEC']!r} is before DECOM {row['DECOM']!r}"))
    if ended and "REC" not in codes:
        problems.append(Problem("REC", "is blank: an episode that ended (DEC) needs its reason"))
    if "REC" in codes and not ended:
        problems.append(Problem("DEC", "is blank but REC is given: when did the episode end?"))
    if problems:
        return []
    assert started is not None
    payload: dict[str, Any] = {
        "legal_status": codes["LS"],
        "placement_type": codes["PLACE"],
        "reason_new_episode": codes["RNE"],
        **{k.lower(): codes[k] for k in ("PLACE_PROVIDER", "CIN") if k in codes},
    }
    if row["URN"].strip():
        payload["placement_urn"] = row["URN"].strip()
    status, place = LEGAL_STATUSES[codes["LS"]], PLACEMENT_TYPES[codes["PLACE"]]
    rne = codes["RNE"]
    if rne == "S":
        summary, stage = f"Became looked after ({status}); {place}", "started"
    elif rne == "L":
        summary, stage = f"Legal status changed: {status}", "legal_status_change"
    else:
        summary, stage = f"Placement changed: {place}", "placement_change"
        if "REASON_PLACE_CHANGE" in codes:
            payload["reason_place_change"] = codes["REASON_PLACE_CHANGE"]
    events = [_event(child, on_day(started), summary, {**payload, "stage": stage}, row)]
    rec = codes.get("REC", "")
    if ended and rec != "X1":
        summary = f"Ceased to be looked after: {EPISODE_CEASED_REASONS[rec]}"
        stage_end = {"stage": "ceased", "reason_ceased": rec}
        events.append(_event(child, on_day(ended), summary, stage_end, row))
    return events


def _event(child: str, when: Any, summary: str, payload: dict[str, Any], row: Row) -> EventRecord:
    record = EventRecord(child, EventType.LOOKED_AFTER, when, summary, payload, dict(row))
    record.id_field = "CHILD"
    return record
