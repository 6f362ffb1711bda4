# mypy: disable-error-code="misc"
# (Each stage takes `self: Builder`: a mixin whose state lives on the Builder that uses it.)
"""Each agency's records and events for the synthetic area, as a mixin of the Builder."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from joinedup.demo import names as N
from joinedup.demo.generator.model import (
    REFERENCE_DATE,
    WINDOW_START,
    YEAR_END,
    YEAR_START,
    ChildInfo,
    Person,
    SourceRow,
    Spell,
    Step,
    Stint,
    academic_year,
    age_on,
    at,
    birthday,
    days,
    nc_year,
    pick,
    rand_date,
    year_label,
)

if TYPE_CHECKING:
    from joinedup.demo.generator.builder import Builder


class AgencyServices:
    """The stages that make each agency's rows; `Builder` supplies the state."""

    def add_school_records(self: Builder) -> None:
        r = self.stage("schools")
        for p in self.people:
            info = self.info[p.person_id]
            for i, st in enumerate(info.stints):
                school, agency = self.schools[st.school], self.agency[st.school]
                upn, former = p.upn, ""
                if p.former_upn and (info.temporary_upn_current or i < len(info.stints) - 1):
                    upn = p.former_upn
                elif p.former_upn:
                    former = p.former_upn
                as_of = st.leaving or REFERENCE_DATE
                nc = nc_year(p.date_of_birth, academic_year(as_of))
                row = self.row(
                    agency,
                    p,
                    f"{school.urn}-{self.serial(agency.code):05d}",
                    as_of,
                    upn=upn,
                    former_upn=former,
                    nc_year="R" if nc == 0 else str(nc),
                    entry_date=st.entry.isoformat(),
                    leaving_date=st.leaving.isoformat() if st.leaving else "",
                    sen=p.sen or "N",
                    fsm="Y" if p.fsm else "N",
                    ethnicity="NOBT" if r.random() < 0.03 else p.ethnicity,
                )
                self.involve(agency.code, p, f"On roll ({year_label(nc)})", st.entry, st.leaving, 1)
                self.school_events(p, info, st, row)

    def school_events(self: Builder, p: Person, info: ChildInfo, st: Stint, row: SourceRow) -> None:
        r, dob, end = self.rng, p.date_of_birth, st.leaving or REFERENCE_DATE
        if st.entry >= WINDOW_START:
            nc = nc_year(dob, academic_year(st.entry))
            normal = st.entry.month == 9 and st.entry.day <= 10
            how = "normal round" if normal else "in-year"
            summary = f"Admitted to {year_label(nc)}" + ("" if normal else " (in-year)")
            self.event(
                row, "school_admission", at(st.entry, 9), summary, {"nc_year": nc, "admission": how}
            )
        if st.leaving:
            nc = nc_year(dob, academic_year(st.leaving))
            if st.reason == "Permanently excluded":
                code, label = pick(r, N.EXCLUSION_REASONS)
                summary = f"Permanently excluded: {label}"
                self.event(
                    row, "permanent_exclusion", at(st.leaving, 14), summary, {"reason_code": code}
                )
            if st.reason == "Elective home education":
                summary = "Parent gave written notice of elective home education; off roll"
                payload = {"nc_year": nc, "notice": "written", "school_attendance_order": False}
                self.event(row, "elective_home_education", at(st.leaving, 11), summary, payload)
            elif st.reason == "Child missing education":
                summary = (
                    "Child missing education: off roll after 20 school days of unexplained "
                    "absence; whereabouts unknown; local authority told"
                )
                payload = {"nc_year": nc, "consecutive_days_absent": 20, "whereabouts": "unknown"}
                self.event(row, "missing_education", at(st.leaving, 11), summary, payload)
            summary = f"Left the roll in {year_label(nc)}: {st.reason.lower()}"
            payload = {"reason": st.reason, "nc_year": nc}
            self.event(row, "school_leaving", at(st.leaving, 15, 30), summary, payload)
        self.register(p, info, st, row)  # marks, termly summaries and suspensions
        for year in (2024, 2025, 2026):
            lo = max(st.entry, YEAR_START[year])
            hi = min(end, YEAR_END.get(year, REFERENCE_DATE) - days(1))
            if hi <= lo:
                continue
            review = date(year + 1, 3, 10) if year < 2026 else date(2026, 10, 14)
            if p.sen and lo <= review <= hi:
                what = "EHC plan annual review held" if p.sen == "E" else "SEN support reviewed"
                payload = {"sen_provision": p.sen, "primary_need": info.sen_need}
                summary = f"{what} (primary need {info.sen_need})"
                self.event(row, "sen_support", at(review, 15), summary, payload)

    # -- children's social care and early help -------------------------------------------------
    def social_care(self: Builder) -> None:
        r = self.stage("social-care")
        agency = self.agency["social-care"]
        for hh in self.households:
            need = self.hh_need[hh.household_id]
            if need < 2 or (need == 2 and r.random() >= 0.15):
                continue
            referral = rand_date(r, self.known_from(hh), REFERENCE_DATE - days(21))
            steps, spells, closed = self.sc_episode(referral)
            if closed and closed + days(90) < REFERENCE_DATE and r.random() < 0.25:
                again = rand_date(r, closed + days(60), REFERENCE_DATE - days(21))
                more_steps, more_spells, closed = self.sc_episode(again)
                steps, spells = steps + more_steps, spells + more_spells
            held = self.family_case(agency, hh, steps, spells)
            self.sc_households.add(hh.household_id)
            if any("legal_status" in payload for *_, payload in steps):
                self.looked_after.update(p.person_id for p in held)
            step_downs = [when for when, *_, pl in steps if pl.get("closure_reason") == "RC9"]
            if step_downs:
                self.step_down[hh.household_id] = step_downs[-1].date() + days(7)

    def sc_episode(self: Builder, referral: date) -> tuple[list[Step], list[Spell], date | None]:
        """One referral and what followed: (steps, involvements, date closed or None)."""
        r, step = self.rng, self.step
        source, source_label = pick(r, N.REFERRAL_SOURCES)
        need, need_label = pick(r, N.PRIMARY_NEEDS)
        summary = f"Referral received from {source_label} (primary need: {need_label})"
        steps = [step(referral, "referral", summary, source=source, primary_need=need)]
        done = referral + days(r.randint(10, 45))
        if done >= REFERENCE_DATE:
            started = referral + days(1)
            steps.append(step(started, "assessment", "Single assessment started", status="open"))
            return steps, [("Referral and assessment", referral, None)], None
        outcome, label = pick(r, N.ASSESSMENT_OUTCOMES)
        factors = sorted(r.sample(N.ASSESSMENT_FACTORS, r.randint(1, 3)))
        closure = {"nfa": "RC8", "early_help": "RC9"}.get(outcome)
        extra = {"closure_reason": closure} if closure else {}
        summary = f"Single assessment completed: {label}"
        steps.append(step(done, "assessment", summary, factors=factors, outcome=outcome, **extra))
        spells: list[Spell] = [("Referral and assessment", referral, done)]
        if closure:
            return steps, spells, done
        start = min(done + days(r.randint(3, 15)), REFERENCE_DATE - days(1))
        end = start + days(r.randint(90, 540))
        if outcome == "cin":
            steps.append(step(start, "plan", "Child in need plan started", plan_type="CIN"))
            summary = "Child in need plan ended: no longer in need"
            closing = step(end, "plan", summary, plan_type="CIN", closure_reason="RC7")
            spell = "Child in need plan"
        elif outcome == "cp":
            category, cat_label = pick(r, N.CP_CATEGORIES)
            steps.append(step(done, "child_protection", "Section 47 enquiry started", stage="s47"))
            summary = f"Initial conference: child protection plan started (category: {cat_label})"
            steps.append(step(start, "child_protection", summary, stage="plan", category=category))
            summary = "Child protection plan ended"
            closing = step(end, "child_protection", summary, stage="plan_end", category=category)
            spell = f"Child protection plan ({cat_label})"
        else:
            status, status_label = pick(r, N.LEGAL_STATUSES)
            placement, placement_label = pick(r, N.PLACEMENTS)
            summary = f"Became looked after ({status_label}); {placement_label}"
            payload = {"legal_status": status, "placement_type": placement, "reason": "S"}
            steps.append(step(start, "looked_after", summary, **payload))
            reason, reason_label = pick(r, N.CEASED_REASONS)
            summary = f"Ceased to be looked after: {reason_label}"
            closing = step(end, "looked_after", summary, reason_ceased=reason)
            spell = "Looked after child"
        closed = end if end < REFERENCE_DATE else None
        if closed:
            steps.append(closing)
        spells.append((spell, start, closed))
        return steps, spells, closed

    def early_help(self: Builder) -> None:
        r, step = self.stage("early-help"), self.step
        agency = self.agency["early-help"]
        for hh in self.households:
            start = self.step_down.get(hh.household_id) or self.story_early_help.get(
                hh.household_id
            )
            if start is None and r.random() < (0.0, 0.3, 0.75, 0.2)[self.hh_need[hh.household_id]]:
                start = rand_date(r, self.known_from(hh), REFERENCE_DATE - days(14))
            if start is None or start >= REFERENCE_DATE - days(7):
                continue
            lead = r.choice(N.EARLY_HELP_LEADS)
            summary = f"Early help assessment completed; lead professional: {lead}"
            steps = [step(start, "early_help_episode", summary, stage="assessment", lead=lead)]
            when = start
            for n in range(r.randint(0, 4)):
                when += days(r.randint(42, 70))
                if when < REFERENCE_DATE:
                    summary = "Team around the family review meeting held"
                    steps.append(step(when, "early_help_episode", summary, stage="review", n=n + 1))
            closed = when + days(r.randint(20, 120))
            if closed < REFERENCE_DATE:
                outcome, label = pick(r, N.EARLY_HELP_OUTCOMES)
                summary = f"Early help episode closed: {label}"
                steps.append(
                    step(closed, "early_help_episode", summary, stage="closed", outcome=outcome)
                )
            spell = (f"Early help episode (lead: {lead})", start, closed)
            self.family_case(agency, hh, steps, [spell])

    # -- health --------------------------------------------------------------------------------
    def health(self: Builder) -> None:
        r = self.stage("health")
        agency = self.agency["health"]
        for p in self.people:
            if r.random() < 0.015:
                continue  # not (yet) registered with the community health services
            hh, info, dob = self.hh[p.household_id], self.info[p.person_id], p.date_of_birth
            row = self.row(agency, p, self.record_id(agency), REFERENCE_DATE)
            known = max(dob, hh.arrived_on or dob, WINDOW_START)
            visiting = {"service": "health_visiting"}
            nursing = {"service": "school_nursing"}
            contacts = [
                (dob + days(after + r.randint(-3, 10)), label, {**visiting, "contact": key})
                for after, label, key in N.HEALTH_VISITS
            ]
            if info.need >= 2 and age_on(dob, WINDOW_START) < 5:
                label, payload = "Targeted home visit by health visitor", {**visiting}
                payload["contact"] = "targeted"
                for _ in range(r.randint(1, 3)):
                    contacts.append((rand_date(r, known, REFERENCE_DATE), label, payload))
            for year in (2024, 2025, 2026):
                nc, june = nc_year(dob, year), date(year + 1, 6, 10)
                if not any(
                    st.entry <= june <= (st.leaving or REFERENCE_DATE) for st in info.stints
                ):
                    continue
                if nc in (0, 6):
                    weight = r.choices(*zip(*N.NCMP_CATEGORIES, strict=True))[0]
                    label = f"National Child Measurement Programme ({year_label(nc)}): {weight}"
                    payload = {**nursing, "contact": "ncmp", "weight_category": weight}
                    contacts.append((date(year + 1, 6, r.randint(2, 27)), label, payload))
                if nc in (8, 9):
                    jab = "HPV vaccination" if nc == 8 else "Td/IPV and MenACWY boosters"
                    payload = {**nursing, "contact": "immunisation"}
                    contacts.append(
                        (date(year + 1, 2, r.randint(2, 27)), f"{jab} given in school", payload)
                    )
                if nc >= 7 and r.random() < 0.05 * (1 + info.need):
                    label = "School nurse drop-in: emotional health and wellbeing"
                    payload = {**nursing, "contact": "drop_in"}
                    contacts.append((date(year, 11, r.randint(1, 28)), label, payload))
            for when, label, payload in sorted(contacts, key=lambda c: c[0]):
                if known <= when < REFERENCE_DATE:
                    self.event(row, "health_contact", at(when, r.randint(9, 16)), label, payload)
            on_roll = [st for st in info.stints if st.leaving is None]
            reception = [
                st.entry
                for st in info.stints
                if st.entry >= WINDOW_START and nc_year(dob, academic_year(st.entry)) == 0
            ]
            if on_roll:
                self.involve(agency.code, p, "School nursing", on_roll[0].entry, None, 1)
            if reception or (age_on(dob, REFERENCE_DATE) < 5 and not on_roll):
                ended = reception[0] if reception else None
                self.involve(agency.code, p, "Health visiting caseload", max(dob, known), ended, 1)

    # -- police --------------------------------------------------------------------------------
    def police(self: Builder) -> None:
        r = self.stage("police")
        for hh in self.households:  # the story drew the domestic-abuse notifications
            for when, risk, present in self.abuse.get(hh.household_id, []):
                day = when.date()
                summary = (
                    "Domestic abuse incident at the home address; "
                    f"child {'present' if present else 'not present'}; DASH risk {risk}"
                )
                payload = {
                    "notification_type": "domestic_abuse",
                    "dash_risk": risk,
                    "child_present": present,
                }
                for p in self.hh_kids[hh.household_id]:
                    if p.date_of_birth < day:
                        self.police_row(
                            p, when, "Domestic Abuse", "police_notification", summary, payload
                        )
        for p in self.people:
            twelve = birthday(p.date_of_birth, 12)
            if twelve >= REFERENCE_DATE:
                continue
            cared_for = p.person_id in self.looked_after
            chance = 0.004 + (0.07 if self.info[p.person_id].need >= 2 else 0) + 0.25 * cared_for
            if r.random() >= chance:
                continue
            for _ in range(r.choices((1, 2, 3, 4), (50, 25, 15, 10))[0]):
                day = rand_date(r, max(twelve, WINDOW_START), REFERENCE_DATE - days(1))
                hours = r.choice((3, 5, 9, 14, 20, 26, 40))
                where = "care placement" if cared_for else "home"
                found = r.choice(("returned of own accord", "found by police", "found by family"))
                summary = f"Reported missing from {where} for {hours} hours; {found}"
                payload = {
                    "duration_hours": hours,
                    "missing_from": where,
                    "found": found,
                    "return_interview_offered": True,
                }
                when = at(day, r.randint(0, 23), r.randint(0, 59))
                self.police_row(p, when, "Missing Person", "missing_episode", summary, payload)

    def police_row(
        self: Builder,
        p: Person,
        when: datetime,
        kind: str,
        event_type: str,
        summary: str,
        payload: dict,
    ) -> None:
        """Police hold one record per occurrence, so a child seen twice has two records."""
        agency = self.agency["police"]
        ref = f"JU/{when.year % 100:02d}/{self.serial(agency.code):06d}"
        stamp = when.strftime("%d/%m/%Y %H:%M")
        row = self.row(agency, p, ref, when.date(), notification_type=kind, notification_date=stamp)
        self.event(row, event_type, when, summary, payload)

    # -- youth service and youth justice -------------------------------------------------------
    def youth(self: Builder) -> None:
        r = self.stage("youth")
        service, justice = self.agency["youth-service"], self.agency["youth-justice"]
        for p in self.people:
            need, dob = self.info[p.person_id].need, p.date_of_birth
            eleven, ten = birthday(dob, 11), birthday(dob, 10)
            if eleven < REFERENCE_DATE and r.random() < (0.045, 0.1, 0.12, 0.12)[need]:
                targeted = need >= 1 or r.random() < 0.3
                seen = sorted(
                    rand_date(r, max(eleven, WINDOW_START), REFERENCE_DATE - days(1))
                    for _ in range(r.randint(1, 8))
                )
                row = self.row(service, p, self.record_id(service), seen[-1])
                for day in seen:
                    key, label = pick(r, N.YOUTH_CONTACTS if targeted else N.YOUTH_CONTACTS[:1])
                    when = at(day, r.randint(15, 20))
                    self.event(row, "youth_service_contact", when, label, {"contact_type": key})
                ended = None if seen[-1] > REFERENCE_DATE - days(90) else seen[-1]
                what = "Targeted youth support" if targeted else "Youth club member"
                self.involve(service.code, p, what, seen[0], ended, 2 if targeted else 1)
            chance = (0.003, 0.006, 0.05, 0.06)[need] * (1.6 if p.sex == "M" else 0.5)
            if ten < REFERENCE_DATE - days(30) and r.random() < chance:
                first = rand_date(r, max(ten, WINDOW_START), REFERENCE_DATE - days(14))
                key, label = pick(r, N.YOUTH_JUSTICE_OUTCOMES)
                offence = r.choices(*zip(*N.OFFENCES, strict=True))[0]
                months = {"referral_order": 9, "yro": 12, "turnaround": 6}.get(key, 3)
                end = first + days(30 * months)
                row = self.row(justice, p, self.record_id(justice), min(end, REFERENCE_DATE))
                payload = {"outcome": key, "offence": offence}
                summary = f"{label} ({offence})"
                self.event(row, "youth_justice_contact", at(first, 11), summary, payload)
                for k in range(1, months // 3):
                    review = first + days(90 * k)
                    if review < REFERENCE_DATE:
                        payload = {"outcome": key, "stage": "review"}
                        summary = "Youth justice supervision review"
                        self.event(row, "youth_justice_contact", at(review, 14), summary, payload)
                self.involve(justice.code, p, f"Youth justice: {label.lower()}", first, end, 3)

    # -- housing and the voluntary sector ------------------------------------------------------
    def housing_and_charity(self: Builder) -> None:
        r = self.stage("households")
        housing, charity = self.agency["housing"], self.agency["voluntary-sector"]
        for hh in self.households:
            need, start = self.hh_need[hh.household_id], self.known_from(hh)
            if r.random() < (0.016, 0.06, 0.12, 0.15)[need]:
                steps: list[Step] = []
                for _ in range(r.randint(1, 3)):
                    key, label = pick(r, N.HOUSING_CONTACTS)
                    day = rand_date(r, start, REFERENCE_DATE - days(1))
                    steps.append(self.step(day, "housing_contact", label, contact_type=key))
                steps.sort(key=lambda s: s[0])
                end = steps[-1][0].date() + days(r.randint(30, 200))
                spell = ("Housing options casework", steps[0][0].date(), end)
                self.family_case(housing, hh, steps, [spell])
            if r.random() < (0.009, 0.12, 0.1, 0.03)[need]:
                first = rand_date(r, start, REFERENCE_DATE - days(7))
                summary = "Family support key worker allocated by Lanterns"
                steps = [self.step(first, "early_help_episode", summary, stage="allocated")]
                summary = "Family support home visit: routines, school attendance and money worries"
                for day in sorted(first + days(r.randint(7, 200)) for _ in range(r.randint(1, 6))):
                    if day < REFERENCE_DATE:
                        steps.append(self.step(day, "early_help_episode", summary, stage="session"))
                end = steps[-1][0].date() + days(14)
                self.family_case(charity, hh, steps, [("Family support key work", first, end)])
