"""The demo area's referrals, as stories: who sends each one where, about what, and what
happens to it (`demo.casework` makes them through the services). About 25, in every state:
drafts, sent and overdue, acknowledged, accepted, declined with an alternative (taken up or
not), closed with an outcome — one with no further action four months ago, since re-referred.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.referrals.models import ReferralOutcome

SC, EH = "social care", "early help"  # the two front doors referrals go to


@dataclass(frozen=True)
class Case:
    """One referral's story: who sends it where, about what, and what happens to it."""

    name: str
    sender: str  # demo login
    to: str  # SC | EH
    level: int
    needs: tuple[str, ...]
    reason: str
    steps: tuple[str, ...]  # of "send", "acknowledge", "accept", "decline", "taken_up", "close"
    days_ago: tuple[float, ...] = ()  # one per transition (create first); () keeps today's
    outcome: str = ""
    alternative: str = ""


DECLINE = (
    "Threshold for a statutory assessment not met on the information given.",
    "Early help and family support, or the school nursing drop-in.",
)
TRIED = "Pastoral support plan since September; two meetings with the parent."

CASES: tuple[Case, ...] = (
    # The school DSL: to the social care front door and to early help.
    Case("dsl-draft-sc", "dsl", SC, 4, ("cin.2A",), "Disclosure to a teaching assistant.", ()),
    Case("dsl-draft-eh", "dsl", EH, 2, ("eha.basic_care",), "Often hungry; uniform unwashed.", ()),
    Case(
        "dsl-overdue-sc",
        "dsl",
        SC,
        4,
        ("cin.3A", "cin.2B"),
        "Bruising to the upper arm; account given does not fit the injury.",
        ("send",),
        (9, 9),
    ),
    Case(
        "dsl-overdue-eh",
        "dsl",
        EH,
        2,
        ("eha.education", "sf.education"),
        "Attendance down to 81% this term; late most mornings.",
        ("send",),
        (12, 11),
    ),
    Case(
        "dsl-new-eh", "dsl", EH, 2, ("eha.emotional",), "Withdrawn since a bereavement.", ("send",)
    ),
    Case(
        "dsl-acknowledged-sc",
        "dsl",
        SC,
        4,
        ("cin.1A",),
        "Parent's drinking: child says they look after a younger sibling at night.",
        ("send", "acknowledge"),
        (2, 2, 1),
    ),
    Case(
        "dsl-accepted-sc",
        "dsl",
        SC,
        4,
        ("cin.3A", "cin.4A"),
        "Domestic abuse at home reported by the child; police attended last week.",
        ("send", "accept"),
        (20, 20, 19),
    ),
    Case(
        "dsl-accepted-eh",
        "dsl",
        EH,
        3,
        ("eha.emotional", "eha.relationships", "sf.family_relationships"),
        "Anxiety and school refusal; family asking for help with routines.",
        ("send", "accept"),
        (50, 50, 48),
    ),
    Case(
        "dsl-declined-taken-up",
        "dsl",
        EH,
        2,
        ("eha.health",),
        "Frequent headaches and missed medical appointments.",
        ("send", "decline", "taken_up"),
        (30, 30, 27, 20),
    ),
    Case(
        "dsl-declined-open",
        "dsl",
        SC,
        3,
        ("cin.2C", "eha.basic_care"),
        "Poor hygiene and tiredness; parent not responding to the school.",
        ("send", "decline"),
        (15, 15, 14),
        alternative="Early help: family support team, with the parent's consent.",
    ),
    Case(
        "dsl-closed-needs-met",
        "dsl",
        EH,
        2,
        ("eha.guidance",),
        "Parent asked for help with boundaries at home.",
        ("send", "accept", "close"),
        (200, 200, 197, 90),
        outcome=ReferralOutcome.NEEDS_MET,
    ),
    Case(
        "dsl-closed-nfa",
        "dsl",
        SC,
        3,
        ("cin.2A",),
        "Child said they were left alone overnight.",
        ("send", "accept", "close"),
        (150, 150, 149, 122),
        outcome=ReferralOutcome.NO_FURTHER_ACTION,
    ),
    # The police safeguarding officer (MASH) to children's social care.
    Case(
        "police-overdue",
        "police.officer",
        SC,
        4,
        ("cin.3A", "sf.domestic_abuse"),
        "Domestic abuse incident; child present.",
        ("send",),
        (8, 8),
    ),
    Case(
        "police-new",
        "police.officer",
        SC,
        3,
        ("cin.24A",),
        "Found in another town late at night.",
        ("send",),
    ),
    Case(
        "police-acknowledged",
        "police.officer",
        SC,
        4,
        ("cin.18B",),
        "Reported missing twice this month.",
        ("send", "acknowledge"),
        (3, 3, 2),
    ),
    Case(
        "police-accepted",
        "police.officer",
        SC,
        4,
        ("cin.3A", "cin.1A"),
        "Second domestic abuse notification in three months.",
        ("send", "accept"),
        (70, 70, 69),
    ),
    Case(
        "police-declined",
        "police.officer",
        SC,
        2,
        ("sf.crime",),
        "Antisocial behaviour with older peers.",
        ("send", "decline"),
        (25, 25, 24),
        alternative="Targeted youth support; early help if the family consents.",
    ),
    Case(
        "police-closed-stepped-down",
        "police.officer",
        SC,
        4,
        ("cin.3A",),
        "Domestic abuse notification.",
        ("send", "accept", "close"),
        (160, 160, 159, 60),
        outcome=ReferralOutcome.STEPPED_DOWN,
    ),
    # The youth worker to early help.
    Case("youth-draft", "youth.worker", EH, 2, ("eha.identity",), "Struggling since moving.", ()),
    Case(
        "youth-overdue",
        "youth.worker",
        EH,
        3,
        ("sf.safe_from_abuse", "eha.community"),
        "Seen with older young people; new phone and clothes unexplained.",
        ("send",),
        (10, 10),
    ),
    Case(
        "youth-acknowledged",
        "youth.worker",
        EH,
        2,
        ("sf.health",),
        "Low mood; has stopped coming to the youth club.",
        ("send", "acknowledge"),
        (2, 2, 1),
    ),
    Case(
        "youth-accepted",
        "youth.worker",
        EH,
        3,
        ("eha.relationships", "sf.family_relationships"),
        "Arguments at home; sofa-surfing at friends' houses.",
        ("send", "accept"),
        (60, 60, 58),
    ),
    Case(
        "youth-declined-taken-up",
        "youth.worker",
        EH,
        1,
        ("eha.community",),
        "Wants activities in the holidays.",
        ("send", "decline", "taken_up"),
        (40, 40, 38, 30),
        alternative="The holiday activities and food programme (universal offer).",
    ),
    Case(
        "youth-closed-disengaged",
        "youth.worker",
        EH,
        2,
        ("sf.substance_use",),
        "Cannabis use, missing school.",
        ("send", "accept", "close"),
        (180, 180, 178, 100),
        outcome=ReferralOutcome.DISENGAGED,
    ),
)
# Sent after "dsl-closed-nfa" was closed four months ago: the same child, to the same agency.
RE_REFERRAL = Case(
    "dsl-re-referral",
    "dsl",
    SC,
    4,
    ("cin.2A", "cin.1C"),
    "Left alone overnight again; now also missing school.",
    ("send", "acknowledge"),
    (3, 3, 2),
)
