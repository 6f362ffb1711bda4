"""The DfE Children in Need census (XML): one source record and a chronology per <Child>.

The file is parsed safely (no network, no DTD, no entity expansion, no huge-tree mode) and
checked as a whole against the DfE schema (joinedup/ingest/schemas/cin_census_2024.xsd) before
anything is read from it: a file that is not well-formed, or fails the schema, is refused whole
with each problem in plain words and its line, as the DfE refuses a census return (ADR 0005).

A schema-valid file is then read child by child ("row" N is the Nth <Child>). A child whose
dates contradict each other (an end before its start, a date in the future) is quarantined
with the element, its line and why; the other children load. Each child gives:

- a source record keyed by LAchildID (also its LA child id), with UPN, former UPN, date of
  birth and sex as received. The census carries no names or address: a record the agency
  already holds keeps its names, and the census adds what it carries;
- events: the referral (source, primary need) and the episode's closure (reason), assessments
  (started; completed with factors), child in need plans, section 47 enquiries and initial
  conferences, child protection plans (category of abuse). All are sensitive event types.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from django.utils import timezone
from lxml import etree

from joinedup.ingest.adapters.base import CsvAdapter, FileProblem, PersonRecord, Problem, Row
from joinedup.ingest.adapters.bundle import Bundle
from joinedup.ingest.adapters.cin_events import child_events
from joinedup.ingest.adapters.identity import MAX_LENGTH
from joinedup.ingest.adapters.xml_errors import schema_problems, syntax_problem
from joinedup.linkage.identifiers import InvalidIdentifier, check_upn

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "cin_census_2024.xsd"
IDENTIFIERS: tuple[str, ...] = ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate")
IDENTIFIERS += ("ExpectedPersonBirthDate", "GenderCurrent", "PersonDeathDate")
CHUNK_BYTES = 1024 * 1024
_DOCTYPE = (
    "{name} has a document type declaration (<!DOCTYPE ...>), which a CIN census file never "
    "has; it is refused unread, so that no entity in it is ever expanded"
)
_SCHEMA: list[etree.XMLSchema] = []


def schema() -> etree.XMLSchema:
    if not _SCHEMA:
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(SCHEMA_PATH), _parser())))
    return _SCHEMA[0]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
    )


class ChildRow(Row):
    """One <Child>: its identifiers flattened for the quarantine record, the element kept."""

    element: Any = None
    line: int = 0


class CinCensusAdapter(CsvAdapter):
    name = "cin-census"
    kind: ClassVar[str] = "bundles"
    description = (
        "the DfE Children in Need census (XML, checked against the DfE schema): a record per "
        "child (LAchildID, UPN, birth date, sex) with referrals, assessments, S47 enquiries, "
        "CIN and CP plans and closures as events"
    )
    columns = IDENTIFIERS
    required = ()

    def record_id_column(self) -> str:
        return "LAchildID"

    def parse(self, path: Path) -> Iterator[tuple[int, Row]]:
        name = self.display_name or path.name
        parser = _parser()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    if handle.tell() == len(chunk) and b"<!DOCTYPE" in chunk.upper():
                        raise FileProblem(_DOCTYPE.format(name=name))
                    parser.feed(chunk)
            tree = parser.close().getroottree()
        except etree.XMLSyntaxError as exc:
            raise FileProblem(syntax_problem(name, exc)) from None
        if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
            raise FileProblem(_DOCTYPE.format(name=name))
        checker = schema()
        if not checker.validate(tree):
            raise FileProblem(schema_problems(name, checker.error_log))
        self.bytes_read = path.stat().st_size
        for position, child in enumerate(tree.getroot().iterfind("Children/Child"), start=1):
            row = ChildRow(_flatten(child))
            row.element, row.line = child, int(child.sourceline or 0)
            yield position, row

    def validate(self, row: Row) -> Bundle | list[Problem]:
        assert isinstance(row, ChildRow)
        child, problems = row.element, []
        record_id = row["LAchildID"].strip()
        for column, field in (("LAchildID", "la_child_id"), ("UPN", "upn")):
            if len(row.get(column, "")) > MAX_LENGTH[field]:
                why = f"(line {row.line}) is longer than {MAX_LENGTH[field]} characters"
                problems.append(Problem(column, why))
        problems += _date_problems(child)
        if problems:
            return problems
        events, order_problems = child_events(record_id, child, dict(row))
        problems += order_problems
        if problems:
            return problems
        fields = {"la_child_id": record_id}
        warnings = []
        for column, field in (
            ("UPN", "upn"),
            ("FormerUPN", "former_upn"),
            ("PersonBirthDate", "date_of_birth"),
            ("GenderCurrent", "sex"),
        ):
            if column in row:
                fields[field] = row[column]
        for column in ("UPN", "FormerUPN"):
            if row.get(column):
                try:
                    check_upn(row[column])
                except InvalidIdentifier as exc:
                    warnings.append(Problem(column, f"{exc} Loaded as received."))
        person = PersonRecord(record_id, fields, dict(row), warnings)
        return Bundle(person, events)


def _date_problems(child: Any) -> list[Problem]:
    """Dates must be readable (years 1-9999) and, but for an expected birth, not in the future."""
    problems, today = [], timezone.localdate()
    for element in child.iter():
        if not (isinstance(element.tag, str) and element.tag.endswith(("Date", "CPC"))):
            continue
        text = (element.text or "").strip()
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            why = f"line {element.sourceline}: {text!r} is not a date joinedup can read"
            problems.append(Problem(element.tag, why))
            continue
        if day > today and element.tag != "ExpectedPersonBirthDate":
            why = f"line {element.sourceline}: {day.isoformat()} is in the future"
            problems.append(Problem(element.tag, why))
    return problems


def _flatten(child: Any) -> dict[str, str]:
    """The child's identifiers and characteristics as column -> value; the line it starts on."""
    values: dict[str, str] = {}
    for section in ("ChildIdentifiers", "ChildCharacteristics"):
        for element in child.iterfind(f"{section}//*"):
            if len(element) == 0 and isinstance(element.tag, str):
                text = (element.text or "").strip()
                values[element.tag] = (
                    f"{values[element.tag]};{text}" if element.tag in values else text
                )
    values["(line)"] = str(child.sourceline or "")
    values["(episodes)"] = str(len(child.findall("CINdetails")))
    return values
