"""The demo area's case lists, households and relationships as each agency would send them
(pure Python): which team holds each generated involvement, which of them the demo logins are
allocated, and which agency's record of each child the family files name.

`demo/loader.py` (the fast path) and `demo/writer.py` (the files `make demo` imports) both
read these, so the demo logins get the same caseloads whichever way the area is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.demo.generator import Area, GeneratedInvolvement

__all__ = [
    "ALLOCATED_TO",
    "Allocation",
    "DEMO_EMAIL_DOMAIN",
    "allocations",
    "home_records",
    "team_code_for",
]

# Which team holds an involvement, by agency type and description keywords.
_TEAM_BY_KEYWORD = [
    ("health", "visit", "health-visiting"),
    ("health", "", "school-nursing"),
    ("social_care", "looked after", "children-in-care"),
    ("social_care", "care", "children-in-care"),
    ("social_care", "", "assessment"),
    ("early_help", "", "family-support"),
    ("police", "", "mash"),
    ("youth_service", "", "targeted-youth"),
    ("youth_justice", "", "yjs"),
    ("housing", "", "housing-options"),
    ("voluntary", "", "key-workers"),
]

# The demo logins given cases by name, by team (demo/area_setup.py creates them).
ALLOCATED_TO = {"assessment": "social.worker", "children-in-care": "cic.worker"}
DEMO_EMAIL_DOMAIN = "example.invalid"  # demo logins' emails: <username>@example.invalid

# Agencies whose record of a child the households and relationships files name, in order of
# preference: the health record first (nearly every child has one).
_HOME_PREFERENCE = ("health", "school", "social_care", "early_help")


def team_code_for(agency_type: str, description: str) -> str | None:
    """The team holding an involvement; None for a school (on roll: the whole school)."""
    if agency_type == "school":
        return None
    text = description.lower()
    for kind, keyword, code in _TEAM_BY_KEYWORD:
        if agency_type == kind and keyword in text:
            return code
    return None


@dataclass(frozen=True)
class Allocation:
    involvement: GeneratedInvolvement
    team_code: str | None
    worker: str | None  # a demo login's username


def allocations(area: Area, allocate_cases: int) -> list[Allocation]:
    """Each involvement's team, and a named worker for the first `allocate_cases` open
    assessment cases (social.worker) and open children-in-care cases (cic.worker)."""
    types = {a.code: a.agency_type for a in area.agencies}
    out = []
    allocated = 0
    for inv in area.involvements:
        team = team_code_for(types.get(inv.agency_code, ""), inv.description)
        worker = None
        may_allocate = inv.ended_on is None and allocated < allocate_cases * 2
        if may_allocate and (
            team == "children-in-care" or (team == "assessment" and allocated < allocate_cases)
        ):
            worker = ALLOCATED_TO[team]
            allocated += 1
        out.append(Allocation(inv, team, worker))
    return out


def home_records(area: Area) -> dict[str, tuple[str, str]]:
    """person id -> (agency code, record id): the record of the child the family files name."""
    types = {a.code: a.agency_type for a in area.agencies}

    def rank(agency_code: str) -> int:
        kind = types.get(agency_code, "")
        return _HOME_PREFERENCE.index(kind) if kind in _HOME_PREFERENCE else len(_HOME_PREFERENCE)

    best: dict[str, tuple[int, str, str]] = {}
    for row in area.records:
        candidate = (rank(row.agency_code), row.agency_code, row.record_id)
        if row.person_id not in best or candidate < best[row.person_id]:
            best[row.person_id] = candidate
    return {person: (code, rid) for person, (_, code, rid) in best.items()}
