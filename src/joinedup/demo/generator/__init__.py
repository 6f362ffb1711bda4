"""The synthetic local area: fake children, households and each agency's extract of them.

Pure Python (stdlib only) and deterministic: every draw comes from a `random.Random` seeded with
the area's seed and the name of the stage, and nothing reads the clock, so one seed always gives
one area. The people are invented; NHS numbers are in the 999 test range only.

The realism that matters for record linkage is built in on purpose: twins (same surname, date of
birth and address), siblings, step-family surname changes, hyphenated surnames, house moves,
school moves, temporary UPNs, and each agency's own noise (nicknames, spelling variants, typos,
day/month swaps, stale postcodes, missing identifiers) at the rates in NOISE.

Each household has a hidden level of need (0 universal .. 3 specialist) that drives which services
know the family, so attendance, suspensions, referrals and police notifications cluster the way
they do in a real area. On top of it runs a causal story over several terms (story.py,
registers.py): disadvantage and SEN shift base rates of absence and suspension; a domestic-abuse
notification raises a child's later absence and suspension risk and leads to referrals; some
children's attendance slides; a few get part-time timetables or alternative provision, or leave
the roll (elective home education, missing education). `Area.truth` holds the story's ground
truth, which no extract carries (docs/demo-data.md, "The causal story").
"""

from __future__ import annotations

from joinedup.demo.generator.builder import Builder
from joinedup.demo.generator.model import (
    NOISE,
    REFERENCE_DATE,
    WINDOW_START,
    AgencySpec,
    Area,
    GeneratedEvent,
    GeneratedInvolvement,
    Household,
    Noise,
    Person,
    SourceRow,
    age_on,
    nc_year,
)
from joinedup.demo.generator.truth import ChildTruth, DomesticAbuse, TermAttendance, Truth

__all__ = [
    "NOISE",
    "REFERENCE_DATE",
    "WINDOW_START",
    "AgencySpec",
    "Area",
    "ChildTruth",
    "DomesticAbuse",
    "GeneratedEvent",
    "GeneratedInvolvement",
    "Household",
    "Noise",
    "Person",
    "SourceRow",
    "TermAttendance",
    "Truth",
    "age_on",
    "generate_area",
    "nc_year",
]


def generate_area(children: int = 5000, seed: int = 1, schools: int = 20) -> Area:
    """Generate a synthetic local area of `children` children: the same seed, the same area."""
    return Builder(children, seed, schools).build()
