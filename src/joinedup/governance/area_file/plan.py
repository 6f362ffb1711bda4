"""What applying an area (or a staff list) would create, change, end and re-open.

Nothing is ever deleted: an agency or team taken out of the files is ended (today), a member of
staff disabled, an agreement ended (now); putting it back re-opens or re-enables it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from joinedup.governance.area_file.schema import (
    AgencySpec,
    AreaError,
    AreaSpec,
    StaffSpec,
)
from joinedup.governance.area_file.validate import USERNAME_RE, parties_resolve
from joinedup.governance.models import (
    Agency,
    AgreementStatus,
    SharingAgreement,
    StaffUser,
    Team,
)

OBJECT_TYPES = ("agency", "team", "staff", "agreement")


@dataclass(frozen=True)
class Change:
    object_type: str  # agency, team, staff, agreement
    ref: str  # its code (team: agency/code; staff: username)
    verb: str  # created, changed, ended, reopened, disabled, enabled
    before: dict[str, Any]  # the changed fields only
    after: dict[str, Any]
    state: dict[str, Any]  # every field as it is to be
    pk: int | None  # the row to change (None: create)
    why: str = ""

    @property
    def action(self) -> str:
        return f"area.{self.object_type}_{self.verb}"


@dataclass(frozen=True)
class Plan:
    changes: list[Change]
    errors: list[AreaError]

    def count(self, object_type: str, verb: str) -> int:
        return sum(1 for c in self.changes if c.object_type == object_type and c.verb == verb)


def _change(
    object_type: str,
    ref: str,
    now_state: dict[str, Any] | None,
    state: dict[str, Any],
    pk: int | None,
    *,
    off: tuple[str, Any],
    why: str = "",
) -> Change | None:
    """The change from `now_state` to `state`; `off` names the field (and its value) that
    means ended or disabled."""
    if now_state is None:
        return Change(object_type, ref, "created", {}, state, state, None, why)
    diff = [k for k in state if state[k] != now_state.get(k)]
    if not diff:
        return None
    key, _ = off
    was_off, is_off = _is_off(off, now_state[key]), _is_off(off, state[key])
    if was_off == is_off:
        verb = "changed"
    elif object_type == "staff":
        verb = "disabled" if is_off else "enabled"
    else:
        verb = "ended" if is_off else "reopened"
    before = {k: now_state.get(k) for k in diff}
    after = {k: state[k] for k in diff}
    return Change(object_type, ref, verb, before, after, state, pk, why)


def _is_off(off: tuple[str, Any], value: Any) -> bool:
    key, off_value = off
    return value is not None if off_value is None else value == off_value


def agency_state(a: Agency | AgencySpec) -> dict[str, Any]:
    return {
        "name": a.name,
        "type": a.agency_type,
        "urn": a.urn,
        "ods_code": a.ods_code,
        "ended_on": a.ended_on,
    }


def staff_state(s: StaffUser) -> dict[str, Any]:
    return {
        "username": s.username,
        "first_name": s.first_name,
        "last_name": s.last_name,
        "email": s.email,
        "agency": s.agency.code if s.agency else "",
        "team": s.team.code if s.team else "",
        "role": s.role,
        "staff_number": s.staff_number,
        "active": s.is_active,
    }


def agreement_state(g: SharingAgreement) -> dict[str, Any]:
    return {
        "title": g.title,
        "parties": sorted(p.code for p in g.parties.all()),
        "purposes": list(g.purposes),
        "article_6_basis": g.article_6_basis,
        "article_9_condition": g.article_9_condition,
        "event_types": list(g.event_types),
        "fields": list(g.fields),
        "retention": g.retention,
        "starts": g.starts_at,
        "review": g.review_at,
        "ends": g.ends_at,
        "status": g.status,
    }


def _agencies(area: AreaSpec, today: date) -> list[Change]:
    changes = []
    current = {a.code: a for a in Agency.objects.all()}
    for spec in area.agencies:
        had = current.pop(spec.code, None)
        state = agency_state(spec)
        c = _change(
            "agency",
            spec.code,
            agency_state(had) if had else None,
            state,
            had.pk if had else None,
            off=("ended_on", None),
        )
        changes.append(c)
    for code, agency in sorted(current.items()):
        if agency.ended_on is None:
            state = agency_state(agency) | {"ended_on": today}
            why = "not in the files"
            changes.append(
                _change(
                    "agency",
                    code,
                    agency_state(agency),
                    state,
                    agency.pk,
                    off=("ended_on", None),
                    why=why,
                )
            )
    return [c for c in changes if c is not None]


def _teams(area: AreaSpec, today: date) -> list[Change]:
    changes = []
    current = {(t.agency.code, t.code): t for t in Team.objects.select_related("agency")}
    for spec in area.teams:
        had = current.pop((spec.agency, spec.code), None)
        state = {"agency": spec.agency, "name": spec.name, "ended_on": spec.ended_on}
        before = (
            {"agency": spec.agency, "name": had.name, "ended_on": had.ended_on} if had else None
        )
        changes.append(
            _change(
                "team",
                f"{spec.agency}/{spec.code}",
                before,
                state,
                had.pk if had else None,
                off=("ended_on", None),
            )
        )
    for (agency, code), team in sorted(current.items()):
        if team.ended_on is None:
            before = {"agency": agency, "name": team.name, "ended_on": None}
            changes.append(
                _change(
                    "team",
                    f"{agency}/{code}",
                    before,
                    before | {"ended_on": today},
                    team.pk,
                    off=("ended_on", None),
                    why="not in the files",
                )
            )
    return [c for c in changes if c is not None]


def staff_plan(
    specs: list[StaffSpec], *, full_list: bool, errors: list[AreaError], missing: str
) -> list[Change]:
    """Staff are matched by staff number (when given and known), else by username. Those with no
    role (e.g. a site superuser) are not the area's staff and are left alone."""
    users = list(StaffUser.objects.select_related("agency", "team"))
    by_number = {u.staff_number: u for u in users if u.staff_number}
    by_username = {u.username: u for u in users}
    matched: set[int] = set()
    changes = []
    for spec in specs:
        user = by_number.get(spec.staff_number) if spec.staff_number else None
        if user is None:
            user = by_username.get(spec.username)
        username = _staff_username(spec, user, matched, by_username, errors)
        if username is None:
            continue
        if user is not None:
            matched.add(user.pk)
        state = {
            "username": username,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": spec.email,
            "agency": spec.agency,
            "team": spec.team,
            "role": spec.role,
            "staff_number": spec.staff_number,
            "active": not spec.disabled,
        }
        changes.append(
            _change(
                "staff",
                username,
                staff_state(user) if user else None,
                state,
                user.pk if user else None,
                off=("active", False),
            )
        )
    if full_list:
        changes += _staff_missing(users, matched, missing)
    return [c for c in changes if c is not None]


def _staff_username(
    spec: StaffSpec,
    user: StaffUser | None,
    matched: set[int],
    by_username: dict[str, StaffUser],
    errors: list[AreaError],
) -> str | None:
    """The username the entry gives its member of staff, or None (and an error) if it cannot
    be theirs."""
    where = (spec.origin.file, spec.origin.entry)
    if user is not None and not user.role:
        errors.append(
            AreaError(
                *where,
                "username",
                f'"{user.username}" is a site account '
                "with no role, not a member of the area's staff",
            )
        )
        return None
    if user is not None and user.pk in matched:
        errors.append(
            AreaError(
                *where,
                "staff_number",
                f'is the same person as another entry ("{user.username}")',
            )
        )
        return None
    username = user.username if user is not None and not spec.username_given else spec.username
    if not USERNAME_RE.match(username):
        errors.append(
            AreaError(
                *where,
                "email",
                "cannot be a username (letters, digits and @ . + - _ only); give a username",
            )
        )
        return None
    other = by_username.get(username)
    if other is not None and (user is None or other.pk != user.pk):
        errors.append(
            AreaError(*where, "username", f'"{username}" is another member of staff\'s username')
        )
        return None
    return username


def _staff_missing(users: list[StaffUser], matched: set[int], missing: str) -> list[Change | None]:
    """With a full list: every active member of the area's staff no entry matched is disabled."""
    changes = []
    for user in sorted(users, key=lambda u: u.username):
        if user.pk not in matched and user.role and user.is_active:
            now_state = staff_state(user)
            changes.append(
                _change(
                    "staff",
                    user.username,
                    now_state,
                    now_state | {"active": False},
                    user.pk,
                    off=("active", False),
                    why=missing,
                )
            )
    return changes


def _agreements(area: AreaSpec, now: datetime) -> list[Change]:
    changes = []
    current = {g.code: g for g in SharingAgreement.objects.prefetch_related("parties")}
    for spec in area.agreements:
        had = current.pop(spec.code, None)
        state = {
            "title": spec.title,
            "parties": parties_resolve(area, spec.parties),
            "purposes": list(spec.purposes),
            "article_6_basis": spec.article_6_basis,
            "article_9_condition": spec.article_9_condition,
            "event_types": list(spec.event_types),
            "fields": list(spec.fields),
            "retention": spec.retention,
            "starts": spec.starts_at,
            "review": spec.review_at,
            "ends": spec.ends_at,
            "status": spec.status,
        }
        changes.append(
            _change(
                "agreement",
                spec.code,
                agreement_state(had) if had else None,
                state,
                had.pk if had else None,
                off=("status", AgreementStatus.ENDED),
            )
        )
    for code, agreement in sorted(current.items()):
        if agreement.status != AgreementStatus.ENDED:
            now_state = agreement_state(agreement)
            ends = now_state["ends"]
            if now_state["starts"] < now and (ends is None or ends > now):
                ends = now  # (one that never started keeps its dates: the status ends it)
            state = now_state | {"status": AgreementStatus.ENDED.value, "ends": ends}
            changes.append(
                _change(
                    "agreement",
                    code,
                    now_state,
                    state,
                    agreement.pk,
                    off=("status", AgreementStatus.ENDED),
                    why="not in the files",
                )
            )
    return [c for c in changes if c is not None]


def area_plan(area: AreaSpec, *, today: date, now: datetime) -> Plan:
    errors: list[AreaError] = []
    changes = _agencies(area, today) + _teams(area, today)
    if area.manages_staff:
        changes += staff_plan(area.staff, full_list=True, errors=errors, missing="not in the files")
    changes += _agreements(area, now)
    return Plan(changes, errors)
