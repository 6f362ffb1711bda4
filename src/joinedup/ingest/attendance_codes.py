"""The DfE school attendance codes in force from August 2024, and what each one counts as.

Pure data (no Django): the importer checks marks against it, and attendance indicators read
`category` to decide what a session counts as:

- ``present``: in school (``/`` morning, ``\\`` afternoon, ``L`` late before the register closed);
- ``approved_activity``: attending an approved educational activity off site (K, V, P, W, B);
  it counts as attending;
- ``authorised``: authorised absence (leave of absence and other authorised reasons);
- ``unauthorised``: unauthorised absence (G, N, O, U);
- ``not_possible``: attendance not required or not possible (D, X, Q, Y1-Y7, Z, #): the session
  is not counted as a possible session;
- ``no_mark``: ``-``, no mark was recorded (a gap in the register).

Possible sessions = every mark except ``not_possible`` and ``no_mark``; attendance = ``present``
+ ``approved_activity``; absence = ``authorised`` + ``unauthorised``.
"""

from __future__ import annotations

from typing import Final

PRESENT: Final = "present"
APPROVED_ACTIVITY: Final = "approved_activity"
AUTHORISED: Final = "authorised"
UNAUTHORISED: Final = "unauthorised"
NOT_POSSIBLE: Final = "not_possible"
NO_MARK: Final = "no_mark"

CATEGORIES: Final = (PRESENT, APPROVED_ACTIVITY, AUTHORISED, UNAUTHORISED, NOT_POSSIBLE, NO_MARK)

# code -> (category, meaning), in the order of the DfE guidance.
CODES: Final[dict[str, tuple[str, str]]] = {
    "/": (PRESENT, "present (morning)"),
    "\\": (PRESENT, "present (afternoon)"),
    "L": (PRESENT, "late, arrived before the register closed"),
    "K": (APPROVED_ACTIVITY, "attending education provision arranged by the local authority"),
    "V": (APPROVED_ACTIVITY, "attending an educational visit or trip"),
    "P": (APPROVED_ACTIVITY, "participating in a supervised sporting activity"),
    "W": (APPROVED_ACTIVITY, "attending work experience"),
    "B": (APPROVED_ACTIVITY, "attending any other approved educational activity"),
    "C1": (AUTHORISED, "leave of absence for a regulated performance or employment abroad"),
    "C2": (AUTHORISED, "leave of absence for a part-time timetable (compulsory school age)"),
    "C": (AUTHORISED, "leave of absence for exceptional circumstances"),
    "M": (AUTHORISED, "leave of absence for a medical or dental appointment"),
    "J1": (AUTHORISED, "leave of absence for an interview"),
    "S": (AUTHORISED, "leave of absence for study leave"),
    "R": (AUTHORISED, "religious observance"),
    "T": (AUTHORISED, "parent travelling for occupational purposes"),
    "I": (AUTHORISED, "illness (not medical or dental appointment)"),
    "E": (AUTHORISED, "suspended or permanently excluded, no alternative provision made"),
    "G": (UNAUTHORISED, "holiday not granted by the school"),
    "N": (UNAUTHORISED, "reason for absence not yet established"),
    "O": (UNAUTHORISED, "absent in other or unknown circumstances"),
    "U": (UNAUTHORISED, "arrived in school after the register closed"),
    "D": (NOT_POSSIBLE, "dual registered: attending another school"),
    "X": (NOT_POSSIBLE, "non-compulsory school age, not required to attend"),
    "Q": (NOT_POSSIBLE, "unable to attend: lack of access arrangements"),
    "Y1": (NOT_POSSIBLE, "unable to attend: transport normally provided not available"),
    "Y2": (NOT_POSSIBLE, "unable to attend: widespread disruption to travel"),
    "Y3": (NOT_POSSIBLE, "unable to attend: part of the school premises closed"),
    "Y4": (NOT_POSSIBLE, "unable to attend: whole school site unexpectedly closed"),
    "Y5": (NOT_POSSIBLE, "unable to attend: in criminal justice detention"),
    "Y6": (NOT_POSSIBLE, "unable to attend: public health guidance or law"),
    "Y7": (NOT_POSSIBLE, "unable to attend: any other unavoidable cause"),
    "Z": (NOT_POSSIBLE, "prospective pupil not on the admission register"),
    "#": (NOT_POSSIBLE, "planned whole or partial school closure"),
    "-": (NO_MARK, "no mark recorded"),
}

# Codes withdrawn in August 2024, and what replaced them (for the quarantine reason).
RETIRED: Final[dict[str, str]] = {
    "F": "extended family holiday: use G or C",
    "H": "holiday authorised by the school: use C",
    "J": "interview: use J1",
    "Y": "unable to attend due to exceptional circumstances: use one of Y1 to Y7",
}


def category_of(code: str) -> str:
    """The category of a valid 2024 code (KeyError for anything else)."""
    return CODES[code][0]


def category_ends() -> list[tuple[str, int]]:
    """Each category with the end of its run of codes in CODES (0-based, exclusive): the codes
    of a category are listed together, so a code's position tells its category."""
    ends: list[tuple[str, int]] = []
    for index, code in enumerate(CODES):
        name = CODES[code][0]
        if ends and ends[-1][0] == name:
            ends[-1] = (name, index + 1)
        else:
            assert name not in dict(ends), f"codes of {name} must be listed together"
            ends.append((name, index + 1))
    return ends
