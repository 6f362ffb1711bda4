"""The area's statutory returns, written from the same story as its events files.

- Each school's suspensions and permanent exclusions as an ``exclusions`` file
  (``school-<URN>-exclusions.csv``).
- Children's social care's Children in Need census (``social-care-cin-census.xml``, valid
  against the DfE schema): a <Child> per child social care holds, an episode per referral with
  its assessment, CIN plan, section 47 enquiry and CP plan, and the closure.
- The SSDA903 return for the children who became looked after: the Header table
  (``social-care-ssda903-header.csv``) and the Episodes table (``...-episodes.csv``).

The events these files carry are left out of the agency's events file, so importing both gives
each event once. Every return names only records the agency's person extract already holds:
no new source record is written, and the ground truth lists every record as before.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from joinedup.demo.generator.model import (
    LA_CODE,
    REFERENCE_DATE,
    AgencySpec,
    Area,
    GeneratedEvent,
    SourceRow,
)

__all__ = ["EXCLUSION_COLUMNS", "MOVED_EVENT_TYPES", "write_returns"]

MOVED_EVENT_TYPES: dict[str, frozenset[str]] = {
    "school": frozenset({"suspension", "permanent_exclusion"}),
    "social_care": frozenset(
        {"referral", "assessment", "plan", "child_protection", "looked_after"}
    ),
}
EXCLUSION_COLUMNS: tuple[str, ...] = (
    "PupilRef",
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "URN",
    "Category",
)
EXCLUSION_COLUMNS += ("StartDate", "EndDate", "Reason", "Sessions")
HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN")
EPISODE_COLUMNS: tuple[str, ...] = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
)
EPISODE_COLUMNS += ("REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")
ETHNICITIES = frozenset(
    [
        "WBRI",
        "WIRI",
        "WIRT",
        "WOTH",
        "WROM",
        "MWBC",
        "MWBA",
        "MWAS",
        "MOTH",
        "AIND",
        "APKN",
        "ABAN",
        "AOTH",
        "BCRB",
        "BAFR",
        "BOTH",
        "CHNE",
        "OOTH",
        "REFU",
        "NOBT",
    ]
)
UPN_FORM = re.compile(r"[A-Za-z]\d{12}|[A-Za-z]\d{11}[A-Za-z]")
PROVIDER = {"U": "PR1", "K": "PR4", "H": "PR4", "P": "PR0"}
CLOSED_BY_CEASING = {"E41": "RC3", "E45": "RC4"}  # else RC7: services ceased


@dataclass
class _Episode:
    """One CIN episode (referral to closure) as the census records it."""

    referred: date
    source: str
    need: str
    assessment: tuple[date, date | None, list[str]] | None = None
    cin_plan: list[date | None] = field(default_factory=list)
    s47: date | None = None
    cpp_start: date | None = None
    cpp_end: date | None = None
    category: str = ""
    closed: tuple[date, str] | None = None


def _day(event: GeneratedEvent) -> date:
    return event.occurred_at.date()


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_returns(
    area: Area,
    agency: AgencySpec,
    rows: list[SourceRow],
    events: list[GeneratedEvent],
    out_dir: Path,
) -> list[dict[str, object]]:
    """Write `agency`'s returns from its moved `events`; say each one's format, file and rows."""
    if agency.agency_type == "school":
        name = f"{agency.code}-exclusions.csv"
        cells = _exclusions(agency, {r.record_id: r for r in rows}, events)
        _write(out_dir / name, EXCLUSION_COLUMNS, cells)
        return [{"format": "exclusions", "file": name, "rows": len(cells)}]
    if agency.agency_type != "social_care":
        return []
    by_record: dict[str, list[GeneratedEvent]] = defaultdict(list)
    for event in events:
        by_record[event.record_id].append(event)
    ethnicity = {p.person_id: p.ethnicity for p in area.people}
    children, header, episodes = [], [], []
    for row in rows:
        held = sorted(by_record.get(row.record_id, []), key=lambda e: (e.occurred_at, e.summary))
        if not held:
            continue
        ethnic = ethnicity.get(row.person_id, "")
        ethnic = ethnic if ethnic in ETHNICITIES else "NOBT"
        cin, looked_after = _episodes(held)
        children.append(_child_xml(row, ethnic, cin))
        if looked_after:
            sex = {"M": "1", "F": "2"}.get(row.sex, "")
            header.append([row.record_id, sex, _dmy(row.date_of_birth), ethnic, row.upn])
            episodes += [[row.record_id, *episode] for episode in looked_after]
    written: list[dict[str, object]] = []
    if children:  # the census schema needs at least one <Child>
        xml_name = f"{agency.code}-cin-census.xml"
        (out_dir / xml_name).write_text(_message(children), encoding="utf-8", newline="\n")
        written.append({"format": "cin-census", "file": xml_name, "rows": len(children)})
    names = [f"{agency.code}-ssda903-header.csv", f"{agency.code}-ssda903-episodes.csv"]
    _write(out_dir / names[0], HEADER_COLUMNS, header)
    _write(out_dir / names[1], EPISODE_COLUMNS, episodes)
    return [
        *written,
        {"format": "ssda903", "file": names[0], "rows": len(header)},
        {"format": "ssda903", "file": names[1], "rows": len(episodes)},
    ]


def _exclusions(
    agency: AgencySpec, rows: dict[str, SourceRow], events: list[GeneratedEvent]
) -> list[list[str]]:
    cells = []
    for event in sorted(events, key=lambda e: (e.record_id, e.occurred_at)):
        row, payload = rows[event.record_id], event.payload
        perm = event.event_type == "permanent_exclusion"
        cells.append(
            [
                row.record_id,
                row.upn,
                row.family_name,
                row.given_name,
                row.date_of_birth,
                agency.urn,
                "PERM" if perm else "FIXD",
                _day(event).isoformat(),
                "",
                str(payload["reason_code"]),
                "" if perm else str(payload["sessions"]),
            ]
        )
    return cells


def _episodes(events: list[GeneratedEvent]) -> tuple[list[_Episode], list[list[str]]]:
    """The CIN episodes, and the SSDA903 episode rows (less CHILD), of one child's events."""
    cin: list[_Episode] = []
    looked_after: list[list[str]] = []
    for event in events:
        day, pl = _day(event), event.payload
        if event.event_type == "referral":
            cin.append(_Episode(day, str(pl["source"]), str(pl["primary_need"])))
            continue
        ep = cin[-1]
        if event.event_type == "assessment":
            done = "factors" in pl
            factors = [str(f) for f in pl.get("factors", [])]
            start = ep.referred + timedelta(days=1)
            ep.assessment = (start, day if done else None, factors)
            if pl.get("closure_reason"):
                ep.closed = (day, str(pl["closure_reason"]))
        elif event.event_type == "plan":
            ep.cin_plan.append(day)
            if pl.get("closure_reason"):
                ep.closed = (day, str(pl["closure_reason"]))
        elif event.event_type == "child_protection":
            if pl.get("stage") == "s47":
                ep.s47 = day
            elif pl.get("stage") == "plan":
                ep.cpp_start, ep.category = day, str(pl["category"])
            else:
                ep.cpp_end = day
                ep.closed = (day, "RC7")
        elif "legal_status" in pl:
            place = str(pl["placement_type"])
            looked_after.append(
                [_dmy(day.isoformat()), "S", str(pl["legal_status"]), ep.need, place]
                + [PROVIDER.get(place[0], "PR1"), "", "", "", "", "", ""]
            )
        elif "reason_ceased" in pl:
            looked_after[-1][6:8] = [_dmy(day.isoformat()), str(pl["reason_ceased"])]
            ep.closed = (day, CLOSED_BY_CEASING.get(str(pl["reason_ceased"]), "RC7"))
    return cin, looked_after


def _el(tag: str, value: object, indent: int) -> str:
    return f"{' ' * indent}<{tag}>{escape(str(value))}</{tag}>\n"


def _child_xml(row: SourceRow, ethnicity: str, episodes: list[_Episode]) -> str:
    out = "    <Child>\n      <ChildIdentifiers>\n" + _el("LAchildID", row.record_id, 8)
    if UPN_FORM.fullmatch(row.upn):
        out += _el("UPN", row.upn, 8)
    if row.date_of_birth:
        out += _el("PersonBirthDate", row.date_of_birth, 8)
    out += _el("GenderCurrent", {"M": "1", "F": "2"}.get(row.sex, "0"), 8)
    out += "      </ChildIdentifiers>\n      <ChildCharacteristics>\n"
    out += _el("Ethnicity", ethnicity, 8) + "      </ChildCharacteristics>\n"
    for ep in episodes:
        out += "      <CINdetails>\n" + _el("CINreferralDate", ep.referred, 8)
        out += _el("ReferralSource", ep.source, 8) + _el("PrimaryNeedCode", ep.need, 8)
        if ep.closed:
            out += _el("CINclosureDate", ep.closed[0], 8) + _el("ReasonForClosure", ep.closed[1], 8)
        if ep.assessment:
            start, done, factors = ep.assessment
            out += "        <Assessments>\n" + _el("AssessmentActualStartDate", start, 10)
            if done:
                out += _el("AssessmentAuthorisationDate", done, 10)
            if factors:
                out += "          <FactorsIdentifiedAtAssessment>\n"
                out += "".join(_el("AssessmentFactors", f, 12) for f in factors)
                out += "          </FactorsIdentifiedAtAssessment>\n"
            out += "        </Assessments>\n"
        if ep.cin_plan:
            out += "        <CINPlanDates>\n" + _el("CINPlanStartDate", ep.cin_plan[0], 10)
            if len(ep.cin_plan) > 1:
                out += _el("CINPlanEndDate", ep.cin_plan[1], 10)
            out += "        </CINPlanDates>\n"
        if ep.s47:
            out += "        <Section47>\n" + _el("S47ActualStartDate", ep.s47, 10)
            if ep.cpp_start:
                out += _el("DateOfInitialCPC", ep.cpp_start, 10)
            out += _el("ICPCnotRequired", "false", 10) + "        </Section47>\n"
        out += _el("ReferralNFA", "false", 8)
        if ep.cpp_start:
            out += "        <ChildProtectionPlans>\n" + _el("CPPstartDate", ep.cpp_start, 10)
            if ep.cpp_end:
                out += _el("CPPendDate", ep.cpp_end, 10)
            out += _el("InitialCategoryOfAbuse", ep.category, 10)
            out += _el("LatestCategoryOfAbuse", ep.category, 10)
            out += _el("NumberOfPreviousCPP", 1, 10) + "        </ChildProtectionPlans>\n"
        out += "      </CINdetails>\n"
    return out + "    </Child>\n"


def _message(children: list[str]) -> str:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n'
        "    <CollectionDetails>\n      <Collection>CIN</Collection>\n"
        f"      <Year>{REFERENCE_DATE.year}</Year>\n"
        f"      <ReferenceDate>{REFERENCE_DATE.isoformat()}</ReferenceDate>\n"
        "    </CollectionDetails>\n"
        f"    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{LA_CODE}</LEA>\n"
        "    </Source>\n  </Header>\n  <Children>\n"
    )
    return head + "".join(children) + "  </Children>\n</Message>\n"
