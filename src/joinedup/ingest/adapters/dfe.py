"""DfE code lists the statutory returns use, and the date forms they come in.

Sources (all in /work/shared/reference/uk-code-lists.md): the suspension and permanent
exclusion reason codes; the CIN census schema's code lists (also enforced by the vendored
schema in joinedup/ingest/schemas/); the SSDA903 legal status, placement type, placement
provider, reason for new episode, reason episode ceased and reason for placement change codes.
Labels are short plain-English forms for chronology summaries.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone

# Suspension and permanent exclusion reasons (DfE, from 2020/21). DMG and OTH were the codes
# for damage and "other" before then; older MIS exports still carry them.
EXCLUSION_REASONS = {
    "BU": "bullying",
    "DA": "drug and alcohol related",
    "DB": "persistent or general disruptive behaviour",
    "DM": "damage",
    "DMG": "damage",
    "DS": "abuse relating to disability",
    "LG": "abuse against sexual orientation or gender identity",
    "MT": "inappropriate use of social media or online technology",
    "OTH": "other",
    "OW": "use or threat of an offensive weapon or prohibited item",
    "PA": "physical assault against an adult",
    "PH": "wilful and repeated transgression of public health measures",
    "PP": "physical assault against a pupil",
    "RA": "racist abuse",
    "SM": "sexual misconduct",
    "TH": "theft",
    "VA": "verbal abuse or threatening behaviour against an adult",
    "VP": "verbal abuse or threatening behaviour against a pupil",
}

REFERRAL_SOURCES = {
    "1A": "a family member, relative or carer",
    "1B": "an acquaintance",
    "1C": "the child themself",
    "1D": "another individual",
    "2A": "a school",
    "2B": "education services",
    "3A": "a GP",
    "3B": "a health visitor",
    "3C": "a school nurse",
    "3D": "other primary health services",
    "3E": "A&E",
    "3F": "other health services",
    "4": "housing",
    "5A": "LA social care",
    "5B": "another LA service",
    "5C": "another local authority",
    "5D": "early help",
    "6": "the police",
    "7": "another legal agency",
    "8": "another organisation",
    "9": "an anonymous referrer",
    "10": "an unknown source",
}
PRIMARY_NEEDS = {
    "N0": "not stated",
    "N1": "abuse or neglect",
    "N2": "child's disability",
    "N3": "parental disability or illness",
    "N4": "family in acute stress",
    "N5": "family dysfunction",
    "N6": "socially unacceptable behaviour",
    "N7": "low income",
    "N8": "absent parenting",
    "N9": "cases other than children in need",
}
CIN_CLOSURE_REASONS = {
    "RC1": "adopted",
    "RC2": "died",
    "RC3": "child arrangements order",
    "RC4": "special guardianship order",
    "RC5": "transferred to another local authority",
    "RC6": "transferred to adult social care",
    "RC7": "services ceased, including no longer in need",
    "RC8": "closed after assessment, no further action",
    "RC9": "closed after assessment, referred to early help",
}
ABUSE_CATEGORIES = {
    "NEG": "neglect",
    "PHY": "physical abuse",
    "SAB": "sexual abuse",
    "EMO": "emotional abuse",
    "MUL": "multiple",
}

LEGAL_STATUSES = {
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order",
    "E1": "placement order",
    "V2": "accommodated under section 20",
    "V3": "short breaks, episodes recorded",
    "V4": "short breaks, agreements recorded",
    "L1": "police protection",
    "L2": "emergency protection order",
    "L3": "child assessment order",
    "J1": "remanded to local authority accommodation",
    "J2": "accommodated under PACE",
    "J3": "youth rehabilitation order with residence requirement",
}
PLACEMENT_TYPES = {
    **dict.fromkeys(("A3", "A4", "A5", "A6"), "placed for adoption"),
    "H5": "semi-independent accommodation",
    "K1": "secure children's home",
    "K2": "children's home",
    "P1": "placed with parents",
    "P2": "independent living",
    "P3": "residential employment",
    "R1": "residential care home",
    "R2": "NHS or health establishment",
    "R3": "family centre or mother and baby unit",
    "R5": "young offender institution",
    "S1": "residential school",
    **dict.fromkeys(("T0", "T1", "T2", "T3", "T4"), "temporary placement"),
    **dict.fromkeys(("U1", "U2", "U3"), "foster placement with relatives or friends"),
    **dict.fromkeys(("U4", "U5", "U6"), "foster placement with other foster carers"),
    "Z1": "other placement",
}
PLACEMENT_PROVIDERS = {
    "PR0": "parents",
    "PR1": "own local authority",
    "PR2": "another local authority",
    "PR3": "other public provision",
    "PR4": "private provision",
    "PR5": "voluntary or third sector provision",
}
NEW_EPISODE_REASONS = {
    "S": "started to be looked after",
    "L": "change of legal status only",
    "P": "change of placement and carer",
    "T": "change of placement, same carer",
    "B": "change of legal status and placement and carer",
    "U": "change of legal status and placement, same carer",
}
EPISODE_CEASED_REASONS = {
    "X1": "episode ended and a new one began",
    "E11": "adopted (unopposed)",
    "E12": "adopted (consent dispensed with)",
    "E2": "died",
    "E3": "care taken over by another local authority",
    "E4A": "returned home as planned",
    "E4B": "returned home, not as planned",
    "E13": "left care to live with parents or relatives without parental responsibility",
    "E41": "child arrangements order",
    "E45": "special guardianship order to former foster carers (relatives or friends)",
    "E46": "special guardianship order to former foster carers",
    "E47": "special guardianship order to carers (relatives or friends)",
    "E48": "special guardianship order to other carers",
    "E5": "moved to supported independent living",
    "E6": "moved to independent living",
    "E7": "transferred to adult residential care",
    "E9": "sentenced to custody",
    "E14": "accommodation on remand ended",
    "E15": "age assessed as 18 or over",
    "E16": "moved abroad",
    "E17": "aged 18 and stayed with carers",
    "E8": "ceased for another reason",
}
PLACEMENT_CHANGE_REASONS = {
    "CARPL": "change to or implementing the care plan",
    "CLOSE": "resignation or closure of provision",
    "ALLEG": "allegation (s47)",
    "STAND": "standards of care concern",
    "APPRR": "approval removed",
    "CREQB": "carer requested end due to the child's behaviour",
    "CREQO": "carer requested end for other reasons",
    "CHILD": "child requested end",
    "LAREQ": "responsible authority requested end",
    "PLACE": "change in the status of placement only",
    "CUSTOD": "custody arrangement",
    "OTHER": "other reason",
}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?")


def parse_day(value: str) -> date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY (as the returns write them), else None."""
    text = value.strip()
    try:
        if match := _ISO.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def on_day(day: date) -> datetime:
    """A dated (not timed) event: noon, UK time, so it shows on its own day everywhere."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def code_reason(value: str, codes: dict[str, str], what: str) -> str:
    """The reason a value is not one of `codes`, naming the codes."""
    shown = ", ".join(dict.fromkeys(codes))
    return f"{value!r} is not {what}; use one of: {shown}"
