"""The Builder: agencies, population and schooling, stage by stage from seeded generators."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime

from joinedup.demo import names as N
from joinedup.demo.generator.model import (
    NOISE,
    RECORD_IDS,
    REFERENCE_DATE,
    SENSITIVITY,
    WINDOW_START,
    AgencySpec,
    Area,
    ChildInfo,
    GeneratedEvent,
    GeneratedInvolvement,
    Household,
    Person,
    School,
    SourceRow,
    Spell,
    Step,
    at,
    birthday,
    days,
    noisy_dob,
    rand_date,
    typo,
)
from joinedup.demo.generator.registers import Registers
from joinedup.demo.generator.schooling import Schooling
from joinedup.demo.generator.services import AgencyServices
from joinedup.demo.generator.story import Story
from joinedup.demo.generator.truth import Register, Truth
from joinedup.linkage.identifiers import nhs_check_digit
from joinedup.linkage.nicknames import canonical_names


class Builder(Schooling, Story, Registers, AgencyServices):
    """Builds an Area stage by stage; each stage draws from its own seeded generator."""

    def __init__(self, children: int, seed: int, schools: int) -> None:
        if children < 1:
            raise ValueError("An area needs at least one child.")
        if schools < 2:
            raise ValueError("An area needs at least two schools (a primary and a secondary).")
        self.n_children, self.seed, self.n_schools = children, seed, schools
        self.rng = self.stage("start")
        self.agencies: list[AgencySpec] = []
        self.agency: dict[str, AgencySpec] = {}
        self.schools: dict[str, School] = {}
        self.households: list[Household] = []
        self.hh: dict[str, Household] = {}
        self.hh_need: dict[str, int] = {}
        self.hh_town: dict[str, str] = {}
        self.hh_kids: dict[str, list[Person]] = {}
        self.people: list[Person] = []
        self.info: dict[str, ChildInfo] = {}
        self.records: list[SourceRow] = []
        self.events: list[GeneratedEvent] = []
        self.involvements: list[GeneratedInvolvement] = []
        self.serials: dict[str, int] = {}
        self.postcode_of: dict[tuple[str, str, int], str] = {}
        self.used: set[str] = set()  # addresses, postcodes, NHS numbers and UPNs issued
        self.step_down: dict[str, date] = {}  # household -> early help start after social care
        self.looked_after: set[str] = set()
        self.truth = Truth()
        self.sc_households: set[str] = set()  # households children's social care knows
        self.story_early_help: dict[str, date] = {}  # household -> early help the story starts
        self.registers: dict[tuple[str, str], Register] = {}
        self.reg_rng = random.Random(f"joinedup-demo:{seed}:registers")

    def stage(self, name: str) -> random.Random:
        self.rng = random.Random(f"joinedup-demo:{self.seed}:{name}")
        return self.rng

    def serial(self, key: str) -> int:
        self.serials[key] = self.serials.get(key, 0) + 1
        return self.serials[key]

    def unique(self, make: Callable[[], str]) -> str:
        """Call `make()` until it gives a value not issued before ('' means: try again)."""
        for _ in range(100_000):
            value = make()
            if value and value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError(
            "The synthetic area ran out of distinct values; generate fewer children."
        )

    def build(self) -> Area:
        self.make_agencies()
        self.make_population()
        self.story_households()
        self.make_schooling()
        self.story_children()
        self.add_school_records()
        self.social_care()
        self.story_referrals()
        self.early_help()
        self.health()
        self.police()
        self.youth()
        self.housing_and_charity()
        self.story_outcomes()
        return Area(
            self.seed,
            REFERENCE_DATE,
            self.agencies,
            self.households,
            self.people,
            self.records,
            self.events,
            self.involvements,
            self.registers,
            self.truth,
        )

    # -- agencies ------------------------------------------------------------------------------
    def make_agencies(self) -> None:
        r = self.stage("agencies")
        n_secondary = max(1, round(self.n_schools * 0.2))
        n_primary = self.n_schools - n_secondary
        towns = [town for town, _ in N.TOWNS]
        urns = sorted(r.sample(range(100000, 150000), self.n_schools))
        for i, urn in enumerate(urns):
            phase = "primary" if i < n_primary else "secondary"
            pool = N.PRIMARY_SCHOOL_NAMES if phase == "primary" else N.SECONDARY_SCHOOL_NAMES
            j = i if phase == "primary" else i - n_primary
            name = pool[j % len(pool)]
            if j >= len(pool):
                name = f"{name} ({towns[i % len(towns)]} site {j // len(pool) + 1})"
            code = f"school-{urn}"
            est = str((2000 if phase == "primary" else 4000) + i)
            self.schools[code] = School(code, phase, towns[i % len(towns)], str(urn), est)
            self.add_agency(AgencySpec(code, name, "school", str(urn)))
        borough = N.BOROUGH
        for code, name, kind in (
            ("social-care", f"{borough} Children's Social Care", "social_care"),
            ("early-help", f"{borough} Early Help Service", "early_help"),
            ("health", "Joinedup Community Health NHS Trust", "health"),
            ("police", "Joinedup Constabulary", "police"),
            ("youth-service", f"{borough} Youth Service", "youth_service"),
            ("youth-justice", f"{borough} Youth Justice Service", "youth_justice"),
            ("housing", f"{borough} Housing Options", "housing"),
            ("voluntary-sector", "Lanterns Family Support (registered charity)", "voluntary"),
        ):
            self.add_agency(AgencySpec(code, name, kind))

    def add_agency(self, spec: AgencySpec) -> None:
        self.agencies.append(spec)
        self.agency[spec.code] = spec

    # -- households and people -----------------------------------------------------------------
    def new_address(self, town: str) -> tuple[str, str]:
        r = self.rng
        longest = max(160, self.n_children // 300)  # streets and blocks grow with the area
        if r.random() < 0.15:
            address = self.unique(
                lambda: f"Flat {r.randint(1, longest // 2)}, {r.choice(N.FLAT_BLOCKS)}, {town}"
            )
            key = (town, address.split(", ")[1], 0)
        else:
            address = self.unique(lambda: f"{r.randint(1, longest)} {r.choice(N.STREETS)}, {town}")
            number, street = address.split(",")[0].split(" ", 1)
            key = (town, street, int(number) // max(24, longest // 20))  # neighbours share one
        if key not in self.postcode_of:
            letters, districts = N.POSTCODE_UNIT_LETTERS, dict(N.TOWNS)[town]
            self.postcode_of[key] = self.unique(
                lambda: (
                    f"{r.choice(districts)} {r.randint(0, 9)}{r.choice(letters)}{r.choice(letters)}"
                )
            )
        return address, self.postcode_of[key]

    def nhs_number(self) -> str:
        def make() -> str:
            first = f"999{self.rng.randrange(10**6):06d}"
            check = nhs_check_digit(first)
            number = f"{first}{check}"
            return number if check is not None and len(set(number)) > 1 else ""

        return self.unique(make)

    def given(self, sex: str, heritage: str, avoid: set[str]) -> str:
        r = self.rng
        pool = N.GIVEN_NAMES[sex]["british" if r.random() < 0.1 else heritage]
        name = r.choice(pool)
        for _ in range(20):
            if name not in avoid:
                break
            name = r.choice(pool)
        return name

    def make_population(self) -> None:
        r = self.stage("population")
        groups, weights = zip(*N.HERITAGE_WEIGHTS, strict=True)
        towns = [town for town, _ in N.TOWNS]
        while len(self.people) < self.n_children:
            hid = f"H{len(self.households) + 1:05d}"
            size = r.choices((1, 2, 3, 4), (0.40, 0.35, 0.18, 0.07))[0]
            heritage = r.choices(groups, weights)[0]
            need = r.choices((0, 1, 2, 3), (0.82, 0.08, 0.06, 0.04))[0]
            mixed = heritage != "british" and r.random() < 0.15
            fam = r.choice(N.FAMILY_NAMES["british" if mixed and r.random() < 0.5 else heritage])
            if r.random() < 0.01:  # a double-barrelled name from both parents: "Smith-Khan"
                other = r.choice([g for g in groups if g != heritage])
                fam = f"{fam}-{r.choice(N.FAMILY_NAMES[other])}".replace("'", "")
            old_fam, changed_on = "", None
            if r.random() < 0.02:  # step-family: the children take a new or hyphenated name
                changed_on = rand_date(r, WINDOW_START + days(30), REFERENCE_DATE - days(30))
                new = r.choice(N.FAMILY_NAMES[r.choices(groups, weights)[0]])
                hyphenate = r.random() < 0.5 and "-" not in fam
                old_fam, fam = fam, f"{fam}-{new}" if hyphenate else new
            town = r.choice(towns)
            hh = Household(hid, *self.new_address(town))
            if r.random() < 0.08:
                moved_from = town if r.random() < 0.7 else r.choice(towns)
                hh.previous_address, hh.previous_postcode = self.new_address(moved_from)
                hh.moved_on = rand_date(r, WINDOW_START + days(20), REFERENCE_DATE - days(30))
            elif r.random() < 0.04:
                place, area = r.choice(N.OUTSIDE_PLACES)
                letters = N.POSTCODE_UNIT_LETTERS
                hh.previous_address = f"{r.randint(1, 99)} {r.choice(N.STREETS)}, {place}"
                hh.previous_postcode = (
                    f"{area}{r.randint(1, 9)} {r.randint(0, 9)}{r.choice(letters)}"
                    f"{r.choice(letters)}"
                )
                hh.arrived_on = rand_date(r, WINDOW_START + days(20), REFERENCE_DATE - days(45))
            self.add_adults(hh, heritage, fam, old_fam)
            self.households.append(hh)
            self.hh[hid], self.hh_need[hid], self.hh_town[hid] = hh, need, town
            size = min(size, self.n_children - len(self.people))
            self.make_children(hh, size, heritage, mixed, fam, old_fam, changed_on)
        for kids in self.hh_kids.values():
            for p in kids:
                p.sibling_ids = sorted(q.person_id for q in kids if q is not p)

    def add_adults(self, hh: Household, heritage: str, fam: str, old_fam: str) -> None:
        r, adult = self.rng, N.ADULT_GIVEN_NAMES
        if r.random() < 0.03:  # kinship carer, e.g. a grandparent
            carer = r.choice(adult[r.choice("FM")][heritage])
            hh.adults.append((f"{carer} {old_fam or fam}", "carer"))
            return
        mother_fam = fam if r.random() < 0.6 else r.choice(N.FAMILY_NAMES[heritage])
        hh.adults.append((f"{r.choice(adult['F'][heritage])} {mother_fam}", "parent"))
        if r.random() < 0.72:
            hh.adults.append((f"{r.choice(adult['M'][heritage])} {fam.split('-')[-1]}", "parent"))

    def child_dob(self, kids: list[Person]) -> date:
        """A birth date 0-17 years before REFERENCE_DATE, spaced from any older siblings."""
        r = self.rng
        oldest = birthday(REFERENCE_DATE, -18) + days(1)
        span = (REFERENCE_DATE - oldest).days
        for _ in range(30 if kids else 0):
            gap = r.choice((-1, 1)) * r.randint(330, 2600)
            dob = r.choice(kids).date_of_birth + days(gap)
            far = all(abs((dob - q.date_of_birth).days) > 300 for q in kids)
            if oldest <= dob <= REFERENCE_DATE and far:
                return dob
        return oldest + days(r.randint(0, span))

    def make_children(
        self,
        hh: Household,
        size: int,
        heritage: str,
        mixed: bool,
        fam: str,
        old_fam: str,
        changed_on: date | None,
    ) -> None:
        r = self.rng
        kids: list[Person] = []
        twins = size >= 2 and r.random() < 0.032
        taken: set[str] = set()
        for i in range(size):
            twin = twins and i == 1
            sex = "F" if r.random() < 0.49 else "M"
            dob = kids[0].date_of_birth if twin else self.child_dob(kids)
            given = self.given(sex, heritage, taken)
            if twin:  # twins' names are often alike: a matched pair or the same initial
                first, u = kids[0], r.random()
                if u < 0.35:
                    first.given_name, first.sex, given, sex = r.choice(N.TWIN_NAME_PAIRS)
                elif u < 0.6:
                    initial = first.given_name[0]
                    alike = [n for n in N.GIVEN_NAMES[sex][heritage] if n[0] == initial]
                    alike = [n for n in alike if not _one_name(n, first.given_name)]
                    given = r.choice(alike) if alike else given
                for _ in range(10):
                    # No family names twins Tobias and Toby: two forms of one name.
                    if sex != first.sex or not _one_name(given, first.given_name):
                        break
                    given = self.given(sex, heritage, taken | {given})
            family = fam
            if i > 0 and not twin and not old_fam and r.random() < 0.07:
                family = r.choice(N.FAMILY_NAMES[heritage])  # a half-sibling
            middles: list[str] = []
            for _ in range(2 if r.random() < 0.08 else 1 if r.random() < 0.6 else 0):
                middles.append(self.given(sex, heritage, taken | {given, *middles}))
            codes = dict(N.HERITAGE_ETHNICITY[heritage])
            ethnicity = r.choices(list(codes), list(codes.values()))[0]
            if mixed:
                ethnicity = N.MIXED_ETHNICITY.get(heritage, "MOTH")
            if r.random() < 0.02:
                ethnicity = "REFU"
            renamed = bool(changed_on and dob < changed_on)
            p = Person(
                f"P{len(self.people) + 1:06d}",
                given,
                " ".join(middles),
                family,
                dob,
                sex,
                hh.household_id,
                self.nhs_number(),
                "",
                ethnicity=ethnicity,
                previous_family_name=old_fam if renamed else "",
                name_changed_on=changed_on if renamed else None,
            )
            if twin:
                p.twin_of, kids[0].twin_of = kids[0].person_id, p.person_id
            taken.update((p.given_name, kids[0].given_name if kids else p.given_name))
            kids.append(p)
            self.people.append(p)
            self.info[p.person_id] = ChildInfo(need=self.hh_need[hh.household_id])
        self.hh_kids[hh.household_id] = kids

    # -- schooling -----------------------------------------------------------------------------
    def row(
        self,
        agency: AgencySpec,
        p: Person,
        record_id: str,
        as_of: date,
        upn: str | None = None,
        former_upn: str = "",
        **attributes: str,
    ) -> SourceRow:
        """The agency's record of `p` as last updated on `as_of`, with the agency's noise."""
        r, nz, hh = self.rng, NOISE[agency.agency_type], self.hh[p.household_id]
        family = p.family_name
        changed_on = p.name_changed_on
        if changed_on and (as_of < changed_on or r.random() < nz.stale_name):
            family = p.previous_family_name or family
        if "-" in family and r.random() < nz.hyphen_part:
            parts = family.split("-")
            family = r.choice((parts[0], parts[-1], " ".join(parts)))
        given, u = p.given_name, r.random()
        if u < nz.nickname:
            given = r.choice(N.NICKNAMES.get(given, (given,)))
        elif u < nz.nickname + nz.variant:
            given = r.choice(N.SPELLING_VARIANT_OF.get(given, (given,)))
        elif u < nz.nickname + nz.variant + nz.typo:
            given = typo(r, given)
        u = r.random()
        if u < nz.variant / 2:
            family = r.choice(N.SPELLING_VARIANT_OF.get(family, (family,)))
        elif u < nz.variant / 2 + nz.typo:
            family = typo(r, family)
        address, postcode = hh.address, hh.postcode
        if hh.moved_on and (as_of < hh.moved_on or r.random() < nz.stale_address):
            address, postcode = hh.previous_address, hh.previous_postcode
        if r.random() < nz.blank_postcode:
            postcode = ""
        elif r.random() < 0.015:
            postcode = postcode.replace(" ", "")
        nhs = p.nhs_number if r.random() < nz.nhs_held else ""
        if nhs and r.random() < nz.id_typo:
            i = r.randrange(9)
            nhs = nhs[:i] + nhs[i + 1] + nhs[i] + nhs[i + 2 :]
        row = SourceRow(
            agency.code,
            record_id,
            p.person_id,
            given,
            "" if r.random() < nz.drop_middle else p.middle_names,
            family,
            noisy_dob(r, p.date_of_birth, nz),
            p.sex if r.random() < nz.sex_held else "",
            postcode,
            address,
            nhs,
            (p.upn if r.random() < nz.upn_held else "") if upn is None else upn,
            former_upn,
            p.la_child_id if r.random() < nz.la_id_held else "",
            attributes=dict(attributes),
        )
        self.records.append(row)
        return row

    def record_id(self, agency: AgencySpec) -> str:
        return RECORD_IDS[agency.code].format(n=self.serial(agency.code))

    def event(self, row: SourceRow, kind: str, when: datetime, summary: str, payload: dict) -> None:
        sensitivity = SENSITIVITY.get(kind, "standard")
        who = (row.agency_code, row.record_id, row.person_id)
        self.events.append(GeneratedEvent(*who, kind, when, summary, payload, sensitivity))

    def step(self, day: date, kind: str, summary: str, **payload: object) -> Step:
        r = self.rng
        return at(day, r.randint(9, 17), r.choice((0, 15, 30, 45))), kind, summary, payload

    def involve(
        self, agency: str, p: Person, description: str, start: date, end: date | None, level: int
    ) -> None:
        ended = end if end is not None and end < REFERENCE_DATE else None
        involvement = GeneratedInvolvement(agency, p.person_id, description, start, ended, level)
        self.involvements.append(involvement)

    def family_case(
        self, agency: AgencySpec, hh: Household, steps: list[Step], spells: list[Spell]
    ) -> list[Person]:
        """Give each child of the household born before the first step a record of the case."""
        first = min(when for when, *_ in steps).date()
        last = max(when for when, *_ in steps).date()
        still_open = any(end is None or end >= REFERENCE_DATE for *_, end in spells)
        held = [p for p in self.hh_kids[hh.household_id] if p.date_of_birth < first]
        for p in held:
            record_id = self.record_id(agency)
            if agency.agency_type == "social_care":
                p.la_child_id = record_id  # social care's local id is the LA child id
            row = self.row(agency, p, record_id, REFERENCE_DATE if still_open else last)
            for when, kind, summary, payload in steps:
                self.event(row, kind, when, summary, payload)
            for description, start, end in spells:
                self.involve(agency.code, p, description, start, end, _spell_level(description))
        return held

    def known_from(self, hh: Household) -> date:
        return max(WINDOW_START, hh.arrived_on or WINDOW_START)

    # -- schools -------------------------------------------------------------------------------


def _forms(name: str) -> set[str]:
    forms = {name, *N.NICKNAMES.get(name, ()), *N.SPELLING_VARIANT_OF.get(name, ())}
    lowered = {f.lower() for f in forms}
    return lowered | {c for f in lowered for c in canonical_names(f)}


def _one_name(a: str, b: str) -> bool:
    """The same name, or two forms of one name (Tobias/Toby, Louis/Louie)."""
    return bool(_forms(a) & _forms(b))


def _spell_level(description: str) -> int:
    """A family case's level of need: child protection and looked after are specialist (4),
    other social care work targeted (3), early help, housing and family support 2."""
    text = description.lower()
    if "protection" in text or "looked after" in text:
        return 4
    if "assessment" in text or "child in need" in text:
        return 3
    return 2
