# mypy: disable-error-code="misc"
# (Each stage takes `self: Builder`: a mixin whose state lives on the Builder that uses it.)
"""Schooling for the synthetic area: which school each child attends, moves, and UPNs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from joinedup.demo.generator.model import (
    LA_CODE,
    OTHER_LA_CODES,
    REFERENCE_DATE,
    WINDOW_START,
    YEAR_END,
    YEAR_START,
    ChildInfo,
    Household,
    Person,
    Stint,
    days,
    nc_year,
    rand_date,
    year_label,
)
from joinedup.demo.generator.story import FSM_BY_ETHNICITY
from joinedup.linkage.identifiers import UPN_CHECK_LETTERS, upn_check_letter

if TYPE_CHECKING:
    from joinedup.demo.generator.builder import Builder


class Schooling:
    """The schooling stages; `Builder` supplies the state."""

    def pick_school(self: Builder, p: Person, phase: str, avoid: str = "") -> str:
        r = self.rng
        options = [s for s in self.schools.values() if s.phase == phase and s.code != avoid]
        for sibling in self.hh_kids[p.household_id]:  # siblings usually share a school
            for st in self.info[sibling.person_id].stints:
                same = self.schools[st.school].phase == phase and st.school != avoid
                if same and r.random() < 0.85:
                    return st.school
        local = [s for s in options if s.town == self.hh_town[p.household_id]]
        if not options:
            return ""
        return r.choice(local if local and r.random() < 0.7 else options).code

    def make_schooling(self: Builder) -> None:
        r = self.stage("schooling")
        for p in self.people:
            info, hh = self.info[p.person_id], self.hh[p.household_id]
            info.sixth_form = r.random() < 0.45
            arrives = hh.arrived_on + days(r.randint(3, 20)) if hh.arrived_on else None
            for year in (2024, 2025):  # arriving in the summer holiday: starts in September
                if arrives and YEAR_END[year] < arrives < YEAR_START[year + 1]:
                    arrives = YEAR_START[year + 1]
            last_nc = 13 if info.sixth_form else 11
            years = [
                year
                for year in (2024, 2025, 2026)
                if 0 <= nc_year(p.date_of_birth, year) <= last_nc
                and (arrives is None or arrives < YEAR_END.get(year, REFERENCE_DATE))
            ]
            for year in years:
                nc = nc_year(p.date_of_birth, year)
                phase = "primary" if nc <= 6 else "secondary"
                prev = info.stints[-1] if info.stints else None
                if prev and self.schools[prev.school].phase == phase:
                    continue
                if prev:
                    prev.leaving, prev.reason = YEAR_END[year - 1], "Transferred to secondary"
                    entry = YEAR_START[year]
                else:
                    first = year - (nc if phase == "primary" else nc - 7)
                    entry = max(date(first, 9, r.randint(2, 8)), arrives or date.min)
                info.stints.append(Stint(self.pick_school(p, phase), entry))
            if years and years[-1] < 2026:
                info.stints[-1].leaving = YEAR_END[years[-1]]
                last = nc_year(p.date_of_birth, years[-1])
                info.stints[-1].reason = f"Left at end of {year_label(last)}"
            self.school_profile(p, info)
            self.school_moves(p, info, hh)
            p.school_codes = [st.school for st in info.stints]
            if nc_year(p.date_of_birth, 2026) >= 0:
                self.allocate_upn(p, info, hh)

    def school_profile(self: Builder, p: Person, info: ChildInfo) -> None:
        r, need = self.rng, info.need
        if not info.stints:
            return
        if r.random() < 0.04 * (1 + need):
            p.sen = "E"
            needs, weights = ("ASD", "SEMH", "SLCN", "SLD", "MLD", "PD", "PMLD"), (33, 17, 17, 10)
            info.sen_need = r.choices(needs, weights + (8, 6, 5))[0]
        elif r.random() < 0.13 * (1 + 0.5 * need):
            p.sen = "K"
            needs, weights = ("SLCN", "SEMH", "MLD", "SPLD", "ASD", "OTH", "PD"), (25, 22, 20, 12)
            info.sen_need = r.choices(needs, weights + (11, 6, 4))[0]
        by_ethnicity = FSM_BY_ETHNICITY.get(p.ethnicity, 1.0)
        p.fsm = r.random() < min(0.9, (0.17, 0.40, 0.55, 0.60)[need] * by_ethnicity)

    def school_moves(self: Builder, p: Person, info: ChildInfo, hh: Household) -> None:
        """At most one mid-period move: after a house move, by choice, or on exclusion."""
        r = self.rng
        last_day = REFERENCE_DATE - days(40)
        if r.random() < 0.006 * (1 + 2 * info.need):
            when, reason = rand_date(r, WINDOW_START, last_day), "Permanently excluded"
        elif hh.moved_on and r.random() < 0.5:
            when, reason = hh.moved_on + days(r.randint(3, 25)), "Family moved house"
        elif r.random() < 0.02 + 0.01 * info.need:
            when, reason = rand_date(r, WINDOW_START, last_day), "Moved school (parental choice)"
        else:
            return
        if when.month == 8 or (when.month == 7 and when.day > 19) or when >= REFERENCE_DATE:
            return
        for i, st in enumerate(info.stints):
            if not (st.entry + days(14) < when and (st.leaving is None or when < st.leaving)):
                continue
            phase = self.schools[st.school].phase
            new = self.pick_school(p, phase, avoid=st.school)
            gap = r.randint(6, 20) if reason == "Permanently excluded" else r.randint(1, 9)
            entry = min(when + days(gap), REFERENCE_DATE - days(2))
            excluded_from_primary = reason == "Permanently excluded" and phase == "primary"
            if new and not excluded_from_primary and (st.leaving is None or entry < st.leaving):
                info.stints.insert(i + 1, Stint(new, entry, st.leaving, st.reason))
                st.leaving, st.reason = when, reason
            return

    def allocate_upn(self: Builder, p: Person, info: ChildInfo, hh: Household) -> None:
        """A permanent UPN from the school of first admission; for some, a temporary one first."""
        r = self.rng
        reception_year = 2026 - nc_year(p.date_of_birth, 2026)
        first = self.schools[info.stints[0].school] if info.stints else None
        if hh.arrived_on:
            la, est = r.choice(OTHER_LA_CODES), str(r.randint(2000, 2999))
        elif first and first.phase == "primary" and info.stints[0].entry.year == reception_year:
            la, est = LA_CODE, first.est
        else:
            la = LA_CODE
            est = r.choice([s.est for s in self.schools.values() if s.phase == "primary"])
        key, yy = f"upn:{la}{est}{reception_year}", f"{reception_year % 100:02d}"

        def permanent() -> str:  # serials 100-999, then the next block of establishment numbers
            n = self.serial(key) - 1
            body = f"{la}{(int(est) + 1000 * (n // 900)) % 10000:04d}{yy}{100 + n % 900:03d}"
            return upn_check_letter(body) + body

        p.upn = self.unique(permanent)
        if info.stints and r.random() < (0.35 if hh.arrived_on else 0.05):
            school, year = self.schools[info.stints[0].school], info.stints[0].entry.year
            prefix = f"{LA_CODE}{school.est}{year % 100:02d}"

            def temporary() -> str:
                tail = f"{r.randrange(100):02d}{r.choice(UPN_CHECK_LETTERS)}"
                return upn_check_letter(prefix + tail) + prefix + tail

            p.former_upn = self.unique(temporary)
            info.temporary_upn_current = r.random() < 0.55

    # -- records, events, involvements ---------------------------------------------------------
