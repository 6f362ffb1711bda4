"""Service vocabulary for the synthetic local area: the codes the generator emits, with labels
and rough frequencies. Kept apart from the names and places in `joinedup.demo.names`, which
re-exports them.
"""

from __future__ import annotations

# fmt: off

# -- Service vocabulary: labels and rough frequencies for the codes the generator emits ----------
# (code, plain-English label, relative weight). Codes are from shared/reference/uk-code-lists.md.

REFERRAL_SOURCES: tuple[tuple[str, str, int], ...] = (
    ("6", "police", 28), ("2A", "a school", 18), ("3A", "a GP", 4), ("3B", "a health visitor", 4),
    ("3D", "primary health services", 3), ("3E", "A&E", 3), ("1A", "a family member", 8),
    ("1B", "a neighbour", 2), ("1C", "the young person", 1), ("5D", "early help", 7),
    ("5B", "another council service", 3), ("4", "housing", 3),
    ("8", "a voluntary organisation", 4), ("9", "an anonymous caller", 3), ("7", "the courts", 1),
    ("10", "an unknown source", 1),
)
PRIMARY_NEEDS: tuple[tuple[str, str, int], ...] = (
    ("N1", "abuse or neglect", 55), ("N2", "child's disability", 8),
    ("N3", "parental illness or disability", 4), ("N4", "family in acute stress", 11),
    ("N5", "family dysfunction", 14), ("N6", "socially unacceptable behaviour", 3),
    ("N7", "low income", 1), ("N8", "absent parenting", 4),
)
ASSESSMENT_FACTORS: tuple[str, ...] = (
    "1B", "2B", "3A", "3B", "4A", "4B", "5A", "6B", "7A", "10A", "11A", "13A", "14A", "15A", "16A",
    "17A", "18C",
)
CP_CATEGORIES: tuple[tuple[str, str, int], ...] = (
    ("NEG", "neglect", 50), ("EMO", "emotional abuse", 36), ("PHY", "physical abuse", 7),
    ("SAB", "sexual abuse", 4), ("MUL", "multiple", 3),
)
LEGAL_STATUSES: tuple[tuple[str, str, int], ...] = (
    ("V2", "accommodated under section 20", 30), ("C1", "interim care order", 35),
    ("C2", "full care order", 25), ("L2", "emergency protection order", 5),
    ("L1", "police protection", 5),
)
PLACEMENTS: tuple[tuple[str, str, int], ...] = (
    ("U6", "placed with foster carers", 50), ("U3", "placed with family and friends carers", 20),
    ("K2", "placed in a children's home", 12), ("P1", "placed with parents", 10),
    ("H5", "placed in semi-independent accommodation", 8),
)
ASSESSMENT_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("nfa", "no further action", 22), ("early_help", "stepped down to early help", 15),
    ("cin", "child in need plan", 35), ("cp", "section 47 enquiry", 20),
    ("lac", "child to become looked after", 8),
)
EARLY_HELP_LEADS: tuple[str, ...] = (
    "school", "health visitor", "early help practitioner", "school nurse", "family hub worker",
)
EARLY_HELP_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("needs_met", "needs met", 60), ("step_up", "stepped up to children's social care", 15),
    ("withdrew", "family withdrew consent", 20), ("moved", "moved out of area", 5),
)
CEASED_REASONS: tuple[tuple[str, str, int], ...] = (
    ("E4A", "returned home as planned", 45), ("E41", "child arrangements order", 15),
    ("E45", "special guardianship order to former foster carers", 10),
    ("E4B", "returned home, not as planned", 15), ("E13", "left care to live with relatives", 15),
)
SUSPENSION_REASONS: tuple[tuple[str, str, int], ...] = (
    ("DB", "persistent disruptive behaviour", 42),
    ("VA", "verbal abuse or threats to an adult", 14),
    ("PP", "physical assault against a pupil", 12),
    ("VP", "verbal abuse or threats to a pupil", 7),
    ("PA", "physical assault against an adult", 4), ("DA", "drug and alcohol related", 4),
    ("DM", "damage to property", 3), ("BU", "bullying", 3), ("RA", "racist abuse", 2),
    ("MT", "misuse of social media or online technology", 3), ("TH", "theft", 2),
    ("OW", "offensive weapon or prohibited item", 2), ("SM", "sexual misconduct", 1),
    ("LG", "abuse relating to sexual orientation or gender identity", 1),
)
EXCLUSION_REASONS: tuple[tuple[str, str, int], ...] = (
    ("DB", "persistent disruptive behaviour", 35), ("PA", "physical assault against an adult", 15),
    ("PP", "physical assault against a pupil", 20),
    ("OW", "offensive weapon or prohibited item", 12), ("DA", "drug and alcohol related", 10),
    ("VA", "verbal abuse or threats to an adult", 8),
)
# Health visiting mandated contacts: (days after birth, label, contact key).
HEALTH_VISITS: tuple[tuple[int, str, str], ...] = (
    (12, "New birth visit", "new_birth_visit"), (49, "6 to 8 week review", "six_to_eight_week"),
    (365, "1 year development review", "one_year_review"),
    (820, "2 to 2 and a half year review (ASQ-3)", "two_year_review"),
)
NCMP_CATEGORIES: tuple[tuple[str, int], ...] = (
    ("healthy weight", 74), ("overweight", 12), ("living with obesity", 11), ("underweight", 3),
)
YOUTH_CONTACTS: tuple[tuple[str, str, int], ...] = (
    ("youth_club", "Attended open-access youth club session", 40),
    ("detached", "Contact through detached youth work in the park", 15),
    ("targeted_1to1", "Targeted youth support one-to-one session", 25),
    ("holiday_activities", "Attended holiday activities and food programme", 12),
    ("mentoring", "Mentoring session", 8),
)
YOUTH_JUSTICE_OUTCOMES: tuple[tuple[str, str, int], ...] = (
    ("triage", "Diverted through youth justice triage", 30),
    ("turnaround", "Started on Turnaround early-intervention programme", 20),
    ("youth_caution", "Youth caution given", 15),
    ("youth_conditional_caution", "Youth conditional caution given", 12),
    ("referral_order", "Referral order made by youth court", 15),
    ("yro", "Youth rehabilitation order made", 8),
)
OFFENCES: tuple[tuple[str, int], ...] = (
    ("violence against the person", 30), ("theft and handling", 18), ("criminal damage", 14),
    ("possession of drugs", 10), ("public order", 10), ("possession of a weapon", 8),
    ("motoring offence", 5), ("robbery", 5),
)
HOUSING_CONTACTS: tuple[tuple[str, str, int], ...] = (
    ("homelessness_application", "Homelessness application made; prevention duty accepted", 30),
    ("temporary_accommodation", "Family placed in temporary accommodation", 20),
    ("disrepair", "Disrepair reported: damp and mould in child's bedroom", 25),
    ("rent_arrears", "Rent arrears: referred for tenancy sustainment support", 20),
    ("overcrowding", "Overcrowding assessment completed", 5),
)
# fmt: on
