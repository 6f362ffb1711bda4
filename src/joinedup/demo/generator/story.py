# mypy: disable-error-code="misc"
# (Each stage takes `self: Builder`: a mixin whose state lives on the Builder that uses it.)
"""The area's causal story: the hidden drivers of each child's attendance and what follows.

The numbers are made up; the directions follow the national pattern in the DfE's published
pupil absence and suspension statistics (see docs/demo-data.md, "The causal story"):

- Each child's base daily chance of an authorised and an unauthorised absence is a base rate
  times the child's own frailty (log-normal) times the multipliers in `MULTIPLIERS`:
  free school meals (disadvantage), SEN support (K) or an EHC plan (E), the household's level
  of need, and secondary phase. Ethnicity acts only through disadvantage (`FSM_BY_ETHNICITY`,
  in the schooling stage), so any disparity by ethnicity a report finds runs through FSM.
- A police domestic-abuse notification raises, for most children in the household, their
  unauthorised absence (more of it coded N) from a few days later, decaying over about ten
  weeks, and triples their suspension risk for about six months; it makes a slide, a referral
  to children's social care, elective home education and missing education more likely.
- Some children's attendance slides gradually from a date; some SEN pupils (SEMH, autism)
  have emotionally-based school avoidance: much more authorised (illness) absence, which is
  not itself a sign of rising safeguarding need.
- A minority leave their school's roll for elective home education or as missing education
  (removed after 20 school days of unexplained absence; some are found and admitted elsewhere).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING

from joinedup.demo.generator.model import (
    REFERENCE_DATE,
    WINDOW_START,
    Household,
    Person,
    Stint,
    academic_year,
    at,
    days,
    nc_year,
    rand_date,
)
from joinedup.demo.generator.school_calendar import MARKS_FROM, is_school_day, school_days
from joinedup.demo.generator.truth import ChildTruth, DomesticAbuse

if TYPE_CHECKING:
    from joinedup.demo.generator.builder import Builder

# Daily chance of a day's absence for a child of frailty 1 with none of the factors below.
BASE_RATES = {"authorised": 0.027, "unauthorised": 0.007}
MULTIPLIERS: dict[str, dict[str, float]] = {
    "fsm": {"authorised": 1.3, "unauthorised": 2.2},
    "sen_support": {"authorised": 1.35, "unauthorised": 1.3},
    "ehc_plan": {"authorised": 1.8, "unauthorised": 1.2},
    "need_1": {"authorised": 1.15, "unauthorised": 1.6},
    "need_2": {"authorised": 1.3, "unauthorised": 2.4},
    "need_3": {"authorised": 1.4, "unauthorised": 3.2},
    "secondary": {"authorised": 1.05, "unauthorised": 1.4},
}
# Chance a child is eligible for free school meals, times this by DfE ethnicity code (the
# national pattern: higher for Black Caribbean, mixed White and Black Caribbean, Bangladeshi,
# Pakistani, Black African and Arab pupils; lower for Indian and Chinese pupils).
FSM_BY_ETHNICITY: dict[str, float] = {
    "BCRB": 1.7, "MWBC": 1.7, "ABAN": 1.4, "APKN": 1.3, "BAFR": 1.3, "BOTH": 1.3, "OOTH": 1.4,
    "MWBA": 1.3, "MWAS": 1.1, "WOTH": 0.9, "AIND": 0.45, "CHNE": 0.45,
}  # fmt: skip
# Suspensions: daily chance at a primary and a secondary school, and the multipliers.
SUSPENSION_BASE = {"primary": 0.00003, "secondary": 0.00025}
SUSPENSION_MULTIPLIERS = {
    "male": 1.8,
    "female": 0.6,
    "fsm": 1.8,
    "sen": 1.6,
    "semh": 2.0,  # SEN primary need social, emotional and mental health
    "after_domestic_abuse": 3.0,  # within 182 days of a notification (children who respond)
    "suspended_before": 2.5,
}
SUSPENSION_BY_NEED = (1.0, 1.5, 2.2, 3.0)
DOMESTIC_ABUSE_CHANCE = (0.02, 0.14, 0.42, 0.62)  # a household's chance, by level of need
DASH_AMPLITUDE = {"standard": 0.10, "medium": 0.16, "high": 0.24}  # extra daily absence
ABUSE_DECAY_DAYS = 70  # the extra absence falls by 1/e every ten weeks
AP_PROVIDERS = (
    "Northgate Learning Centre",
    "Riverside Pupil Referral Unit",
    "The Forge Vocational Hub",
    "Hillside Tuition Centre",
)


class Story:
    """The story stages; `Builder` supplies the state."""

    def story_households(self: Builder) -> None:
        """Domestic-abuse notifications, drawn before anything that depends on them."""
        r = self.stage("story-households")
        self.abuse: dict[str, list[tuple[datetime, str, bool]]] = defaultdict(list)
        for hh in self.households:
            if r.random() >= DOMESTIC_ABUSE_CHANCE[self.hh_need[hh.household_id]]:
                continue
            for _ in range(r.choices((1, 2, 3), (60, 25, 15))[0]):
                day = rand_date(r, self.known_from(hh), REFERENCE_DATE - days(1))
                when = at(day, r.randint(0, 23), r.randint(0, 59))
                risk = r.choices(("standard", "medium", "high"), (60, 30, 10))[0]
                self.abuse[hh.household_id].append((when, risk, r.random() < 0.6))
            self.abuse[hh.household_id].sort()

    def story_children(self: Builder) -> None:
        """Each school-age child's hidden drivers; some leave the roll (EHE, missing education)."""
        r = self.stage("story-children")
        self.truth.multipliers = {
            "base": dict(BASE_RATES),
            **{k: dict(v) for k, v in MULTIPLIERS.items()},
            "fsm_by_ethnicity": dict(FSM_BY_ETHNICITY),
            "suspension": {**SUSPENSION_BASE, **SUSPENSION_MULTIPLIERS},
        }
        for p in self.people:
            info, hh = self.info[p.person_id], self.hh[p.household_id]
            if not info.stints:
                continue
            t = self.truth.child(p.person_id)
            t.frailty = r.lognormvariate(0, 0.5)
            rates = {kind: base * t.frailty for kind, base in BASE_RATES.items()}
            factors = ["fsm"] * p.fsm + ["sen_support"] * (p.sen == "K")
            factors += ["ehc_plan"] * (p.sen == "E") + [f"need_{info.need}"] * (info.need > 0)
            for factor in factors:
                for kind in rates:
                    rates[kind] *= MULTIPLIERS[factor][kind]
            t.base_authorised, t.base_unauthorised = rates["authorised"], rates["unauthorised"]
            t.domestic_abuse = [
                DomesticAbuse(when.date(), risk, present)
                for when, risk, present in self.abuse.get(hh.household_id, [])
                if p.date_of_birth < when.date()
            ]
            t.responds_to_abuse = bool(t.domestic_abuse) and r.random() < 0.7
            avoidant = p.sen in ("K", "E") and info.sen_need in ("SEMH", "ASD")
            if r.random() < (0.12 if avoidant else 0.012):
                t.school_avoidance = r.uniform(0.15, 0.6)
            slide = 0.02 + 0.015 * info.need + 0.02 * p.fsm
            if t.responds_to_abuse and r.random() < 0.35:
                t.slide_from = t.domestic_abuse[0].on + days(r.randint(14, 56))
            elif r.random() < slide:
                first = max(info.stints[0].entry, WINDOW_START)
                t.slide_from = rand_date(r, first, REFERENCE_DATE - days(30))
            if t.slide_from:  # a slide lasts months; most recover, some only after a year
                t.slide_peak = r.uniform(0.12, 0.5)
                t.slide_until = t.slide_from + days(r.randint(150, 450))
            self.leave_roll(p, t, hh)
            p.school_codes = [st.school for st in info.stints]

    def leave_roll(self: Builder, p: Person, t: ChildTruth, hh: Household) -> None:
        """Elective home education or missing education, for a few, in the registers' years."""
        r, info = self.rng, self.info[p.person_id]
        troubled = 2 if (t.slide_from or t.responds_to_abuse) else 1
        secondary = any(self.schools[st.school].phase == "secondary" for st in info.stints)
        ehe = 0.004 * troubled * (2 if p.sen else 1) * (1.5 if secondary else 1)
        cme = 0.003 * (1 + info.need) * (3 if hh.arrived_on or hh.moved_on else 1)
        u = r.random()
        if u < ehe:
            lo = t.slide_from + days(50) if t.slide_from else MARKS_FROM + days(30)
            when = _school_day(rand_date(r, max(lo, MARKS_FROM + days(30)), lo + days(120)))
            st = self.stint_on(p, when)
            if st is not None and when < REFERENCE_DATE - days(7):
                self.end_stint(p, st, when, "Elective home education")
                t.elective_home_education_on = when
        elif u < ehe + cme:
            first = _school_day(rand_date(r, MARKS_FROM + days(30), REFERENCE_DATE - days(35)))
            run = school_days(first, REFERENCE_DATE)[:21]
            st = self.stint_on(p, first)
            if st is None or len(run) < 21 or (st.leaving and st.leaving <= run[-1]):
                return
            t.missing_education_on, removed = first, run[-1]  # after 20 school days of N
            entry = _school_day(removed + days(r.randint(20, 70)))
            new = self.pick_school(p, self.schools[st.school].phase, avoid=st.school)
            if (
                r.random() < 0.5
                and new
                and entry < min(st.leaving or REFERENCE_DATE, REFERENCE_DATE)
            ):
                info.stints.insert(
                    info.stints.index(st) + 1, Stint(new, entry, st.leaving, st.reason)
                )
                st.leaving, st.reason = removed, "Child missing education"
                t.readmitted_on = entry
            else:
                self.end_stint(p, st, removed, "Child missing education")

    def story_referrals(self: Builder) -> None:
        """Referrals the story causes, for families social care does not already know: after a
        domestic-abuse notification (from the police), or after a child's attendance slid (from
        the school; more often the school offers early help instead)."""
        r = self.stage("story-referrals")
        agency = self.agency["social-care"]
        for hh in self.households:
            hid, known = hh.household_id, self.known_from(hh)
            if hid in self.sc_households:
                continue
            abuse = self.abuse.get(hid)
            source = need = ("", "")
            referral = None
            if abuse and r.random() < {"standard": 0.25, "medium": 0.4, "high": 0.6}[abuse[0][1]]:
                referral = abuse[0][0].date() + days(r.randint(3, 45))
                source, need = ("6", "police"), ("N1", "abuse or neglect")
            slid = sorted(
                t.slide_from
                for p in self.hh_kids[hid]
                if (t := self.truth.children.get(p.person_id)) and t.slide_from
                if t.slide_peak >= 0.2
            )
            if referral is None and slid:
                u = r.random()
                if u < 0.2:
                    referral = slid[0] + days(r.randint(70, 150))
                    source, need = ("2A", "a school"), ("N5", "family dysfunction")
                elif u < 0.65:
                    self.story_early_help[hid] = max(known, slid[0] + days(r.randint(42, 120)))
            if referral is None or not known <= referral < REFERENCE_DATE - days(21):
                continue
            steps, spells, _ = self.sc_episode(referral)
            summary = f"Referral received from {source[1]} (primary need: {need[1]})"
            steps[0] = self.step(
                referral, "referral", summary, source=source[0], primary_need=need[0]
            )
            held = self.family_case(agency, hh, steps, spells)
            self.sc_households.add(hid)
            if any("legal_status" in payload for *_, payload in steps):
                self.looked_after.update(p.person_id for p in held)
            step_downs = [when for when, *_, pl in steps if pl.get("closure_reason") == "RC9"]
            if step_downs:
                self.step_down[hid] = step_downs[-1].date() + days(7)

    def story_outcomes(self: Builder) -> None:
        """Each child's later outcomes, read back from the agencies' events."""
        assessments: dict[tuple[str, str], list[tuple[date, str]]] = defaultdict(list)
        for e in self.events:
            if e.event_type == "assessment" and "outcome" in e.payload:
                assessments[(e.agency_code, e.record_id)].append(
                    (e.occurred_at.date(), str(e.payload["outcome"]))
                )
        for e in sorted(self.events, key=lambda e: e.occurred_at):
            day, pl, kind = e.occurred_at.date(), e.payload, ""
            if e.event_type == "referral":
                later = [o for d, o in assessments[(e.agency_code, e.record_id)] if d >= day]
                kind = "referral_accepted" if later and later[0] != "nfa" else ""
            elif e.event_type == "plan" and "closure_reason" not in pl:
                kind = "cin_plan"
            elif e.event_type == "child_protection" and pl.get("stage") == "plan":
                kind = "cp_plan"
            elif e.event_type == "looked_after" and "legal_status" in pl:
                kind = "looked_after"
            elif e.event_type == "early_help_episode" and pl.get("stage") in (
                "assessment",
                "allocated",
            ):
                kind = "early_help"
            elif e.event_type in ("suspension", "permanent_exclusion"):
                kind = e.event_type
            if kind:
                self.truth.child(e.person_id).outcomes.setdefault(kind, []).append(day)

    def stint_on(self: Builder, p: Person, day: date) -> Stint | None:
        """The stint holding `day` that began a month or more before it and has no other move,
        for a child of compulsory school age (Year 1 to Year 11) on `day`."""
        if not 1 <= nc_year(p.date_of_birth, academic_year(day)) <= 11:
            return None
        for st in self.info[p.person_id].stints:
            ends_plainly = st.leaving is None or st.reason.startswith(("Left", "Transferred"))
            if st.entry + days(30) <= day and (st.leaving is None or day < st.leaving):
                return st if ends_plainly else None
        return None

    def end_stint(self: Builder, p: Person, st: Stint, day: date, reason: str) -> None:
        stints = self.info[p.person_id].stints
        del stints[stints.index(st) + 1 :]  # no later school: they left the school system
        st.leaving, st.reason = day, reason


def _school_day(day: date) -> date:
    """`day`, or the next school day after it."""
    while not is_school_day(day) and day < date(2027, 1, 1):
        day += days(1)
    return day


def abuse_boost(t: ChildTruth, day: date) -> tuple[float, bool]:
    """The extra daily unauthorised absence on `day` from domestic abuse, and whether the
    child is in the six months after a notification (suspension risk up)."""
    if not t.responds_to_abuse:
        return 0.0, False
    extra, recent = 0.0, False
    for da in t.domestic_abuse:
        since = (day - da.on).days - 3
        if since >= 0:
            amplitude = DASH_AMPLITUDE[da.dash_risk] * (1.3 if da.child_present else 1.0)
            extra += amplitude * math.exp(-since / ABUSE_DECAY_DAYS)
            recent = recent or since < 182
    return extra, recent
