"""Read area files (TOML) and check every entry; all errors together, none written.

Several files together are the area: their union is checked (a code declared twice, in one file
or across files, is an error), so a school list kept apart (e.g. from GIAS) can be named by the
agreements and staff of another file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from joinedup.governance.area_file.schema import (
    MAX_FILE_BYTES,
    AgencySpec,
    AgreementSpec,
    AreaError,
    AreaSpec,
    Entry,
    StaffSpec,
    TeamSpec,
    type_name,
)
from joinedup.governance.models import (
    AgencyType,
    AgreementStatus,
    Article6Basis,
    Role,
    SharingAgreement,
)

URN_RE = re.compile(r"^\d{6}$")
ODS_RE = re.compile(r"^[A-Z0-9]{3,10}$")
USERNAME_RE = re.compile(r"^[\w.@+-]+$")
SECTIONS = ("agencies", "teams", "staff", "agreements")
AGENCY_KEYS = {"code", "name", "type", "urn", "ods_code", "ended_on"}
TEAM_KEYS = {"agency", "code", "name", "ended_on"}
STAFF_KEYS = {
    "first_name",
    "last_name",
    "email",
    "agency",
    "team",
    "role",
    "staff_number",
    "username",
    "disabled",
}
AGREEMENT_KEYS = {
    "code",
    "title",
    "parties",
    "purposes",
    "article_6_basis",
    "article_9_condition",
    "event_types",
    "fields",
    "retention",
    "starts",
    "review",
    "ends",
    "status",
}
# SharingAgreement.clean's field names as the file spells them.
_AGREEMENT_FIELD = {"ends_at": "ends", "starts_at": "starts", "review_at": "review"}


@dataclass(frozen=True)
class AreaSource:
    """One file's name (as errors should name it) and its bytes."""

    name: str
    data: bytes


def _decode(source: AreaSource, errors: list[AreaError]) -> dict[str, Any] | None:
    if len(source.data) > MAX_FILE_BYTES:
        errors.append(
            AreaError(source.name, "", "", f"is {len(source.data)} bytes; at most {MAX_FILE_BYTES}")
        )
        return None
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = source.data[: exc.start].count(b"\n") + 1
        errors.append(
            AreaError(
                source.name,
                f"line {line}",
                "",
                f"is not UTF-8 (byte 0x{source.data[exc.start]:02x}); save the file as UTF-8",
            )
        )
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        errors.append(AreaError(source.name, "", "", f"is not valid TOML: {exc}"))
        return None


def _entries(
    doc: dict[str, Any], section: str, file: str, errors: list[AreaError]
) -> Iterable[tuple[int, dict[str, Any]]]:
    value = doc.get(section, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors.append(
            AreaError(file, section, "", f"must be written [[{section}]] (a list of tables)")
        )
        return []
    return enumerate(value, start=1)


def _label(section: str, i: int, raw: dict[str, Any]) -> str:
    code = raw.get("code")
    if isinstance(code, str) and code and len(code) <= 60 and code.isprintable():
        if section == "teams" and isinstance(raw.get("agency"), str):
            return f'teams "{str(raw["agency"])[:40]}/{code}"'
        return f'{section} "{code}"'
    return f"{section}[{i}]"


def _agency(entry: Entry) -> AgencySpec | None:
    code = entry.code("code", max_length=40)
    agency_type = entry.text("type", max_length=20, choices=list(AgencyType.values))
    urn = entry.text(
        "urn",
        max_length=10,
        required=agency_type == AgencyType.SCHOOL,
        pattern=URN_RE,
        pattern_says="is not a school URN: 6 digits, e.g. 100123",
    )
    ods = entry.text(
        "ods_code",
        max_length=10,
        required=False,
        pattern=ODS_RE,
        pattern_says="is not an NHS ODS code: 3 to 10 capital letters and digits, e.g. RYJ",
    )
    spec = AgencySpec(
        code=code,
        name=entry.text("name", max_length=200),
        agency_type=agency_type,
        urn=urn,
        ods_code=ods,
        ended_on=entry.day("ended_on"),
        origin=entry.origin,
    )
    return spec if entry.ok else None


def _team(entry: Entry) -> TeamSpec | None:
    spec = TeamSpec(
        agency=entry.code("agency", max_length=40),
        code=entry.code("code", max_length=60),
        name=entry.text("name", max_length=200),
        ended_on=entry.day("ended_on"),
        origin=entry.origin,
    )
    return spec if entry.ok else None


def staff_entry(entry: Entry, *, role_labels: bool = False) -> StaffSpec | None:
    """One member of staff (from the area file, or a row of the staff CSV)."""
    email = entry.text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            entry.error("email", f'"{email}" is not an email address')
    role = entry.text("role", max_length=60)
    if role:
        by_label = {label.lower(): value for value, label in Role.choices}
        if role_labels and role.lower() in by_label:
            role = by_label[role.lower()]
        if role not in Role.values:
            valid = ", ".join(Role.values)
            entry.error("role", f'unknown role "{role}"; valid roles: {valid}')
    username = entry.text(
        "username",
        max_length=150,
        required=False,
        pattern=USERNAME_RE,
        pattern_says="is not a username: letters, digits and @ . + - _ only",
    )
    spec = StaffSpec(
        first_name=entry.text("first_name", max_length=150),
        last_name=entry.text("last_name", max_length=150),
        email=email,
        agency=entry.code("agency", max_length=40),
        team=entry.code("team", max_length=60, required=False),
        role=role,
        staff_number=entry.text("staff_number", max_length=40, required=False),
        username=username or email.lower()[:150],
        username_given=bool(username),
        disabled=entry.flag("disabled") if "disabled" in entry.raw else False,
        origin=entry.origin,
    )
    return spec if entry.ok else None


def _agreement(entry: Entry) -> AgreementSpec | None:
    starts = entry.moment("starts", required=True)
    review = entry.day("review", required=True)
    ends = entry.moment("ends")
    spec = AgreementSpec(
        code=entry.code("code", max_length=60),
        title=entry.text("title", max_length=200),
        parties=entry.texts("parties", max_length=60),
        purposes=entry.texts("purposes", max_length=40),
        article_6_basis=entry.text(
            "article_6_basis", max_length=10, choices=list(Article6Basis.values)
        ),
        article_9_condition=entry.text("article_9_condition", max_length=300, required=False),
        event_types=entry.texts("event_types", max_length=60),
        fields=entry.texts("fields", max_length=100),
        retention=entry.text("retention", max_length=200),
        starts_at=starts,  # type: ignore[arg-type]
        review_at=review,  # type: ignore[arg-type]
        ends_at=ends,
        status=entry.text("status", max_length=10, choices=list(AgreementStatus.values)),
        origin=entry.origin,
    )
    if starts and review and review < starts.date():
        entry.error("review", f"{review} is before the start ({starts.date()})")
    if not spec.fields and "fields" in entry.raw:
        entry.error("fields", 'list at least one field shared (e.g. "summary", "payload")')
    if not spec.parties and "parties" in entry.raw:
        entry.error("parties", "list at least one party (an agency code or type:<agency type>)")
    model = SharingAgreement(
        purposes=list(spec.purposes),
        event_types=list(spec.event_types),
        article_9_condition=spec.article_9_condition,
        starts_at=starts,  # type: ignore[misc]
        ends_at=ends,
    )
    try:
        model.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name in ("purposes", "event_types") and name not in entry.raw:
                continue  # already reported as required
            entry.error(_AGREEMENT_FIELD.get(name, name), " ".join(messages))
    return spec if entry.ok else None


def area_read(sources: list[AreaSource]) -> tuple[AreaSpec, list[AreaError]]:
    """Every source's entries, checked one by one and then together."""
    errors: list[AreaError] = []
    area = AreaSpec()
    for source in sources:
        doc = _decode(source, errors)
        if doc is None:
            continue
        for key in sorted(set(doc) - set(SECTIONS)):
            errors.append(
                AreaError(
                    source.name,
                    key,
                    "",
                    f"unknown section ({type_name(doc[key])}); the sections are "
                    f"{', '.join(f'[[{s}]]' for s in SECTIONS)}",
                )
            )
        area.manages_staff |= "staff" in doc
        readers: dict[str, tuple[set[str], Any, list[Any]]] = {
            "agencies": (AGENCY_KEYS, _agency, area.agencies),
            "teams": (TEAM_KEYS, _team, area.teams),
            "staff": (STAFF_KEYS, staff_entry, area.staff),
            "agreements": (AGREEMENT_KEYS, _agreement, area.agreements),
        }
        for section, (keys, read, into) in readers.items():
            for i, raw in _entries(doc, section, source.name, errors):
                label = f"staff[{i}]" if section == "staff" else _label(section, i, raw)
                spec = read(Entry(errors, source.name, label, raw, keys))
                if spec is not None:
                    into.append(spec)
    errors += cross_check(area)
    return area, errors


def _duplicates(items: list[Any], key: Any, what: str, field: str) -> list[AreaError]:
    errors: list[AreaError] = []
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        if not k:
            continue
        if k in seen:
            first = seen[k]
            errors.append(
                AreaError(
                    item.origin.file,
                    item.origin.entry,
                    field,
                    f'{what} "{k}" is declared twice (first in {first.file}, {first.entry})',
                )
            )
        else:
            seen[k] = item.origin
    return errors


def cross_check(area: AreaSpec) -> list[AreaError]:
    """Codes unique across all the files; every reference resolves."""
    errors = _duplicates(area.agencies, lambda a: a.code, "agency code", "code")
    errors += _duplicates(area.teams, lambda t: (t.agency, t.code), "team", "code")
    errors += _duplicates(area.staff, lambda s: s.username, "username", "username")
    errors += _duplicates(area.staff, lambda s: s.staff_number, "staff number", "staff_number")
    errors += _duplicates(area.agreements, lambda a: a.code, "agreement code", "code")
    agencies = {a.code: a for a in area.agencies}
    teams = {(t.agency, t.code) for t in area.teams}
    for t in area.teams:
        if t.agency not in agencies:
            errors.append(_err(t, "agency", f'no agency "{t.agency}" is declared in the files'))
    for s in area.staff:
        if s.agency not in agencies:
            errors.append(_err(s, "agency", f'no agency "{s.agency}" is declared in the files'))
        elif s.team and (s.agency, s.team) not in teams:
            others = sorted(a for a, c in teams if c == s.team)
            why = f" (it is a team of {', '.join(others)})" if others else ""
            errors.append(_err(s, "team", f'agency "{s.agency}" has no team "{s.team}"{why}'))
    for g in area.agreements:
        for party in g.parties:
            if party.startswith("type:"):
                if party[5:] not in AgencyType.values:
                    valid = ", ".join(f"type:{t}" for t in AgencyType.values)
                    errors.append(_err(g, "parties", f'unknown agency type "{party}"; use {valid}'))
            elif party not in agencies:
                errors.append(_err(g, "parties", f'no agency "{party}" is declared in the files'))
    return errors


def _err(spec: Any, field: str, message: str) -> AreaError:
    return AreaError(spec.origin.file, spec.origin.entry, field, message)


def parties_resolve(area: AreaSpec, parties: tuple[str, ...]) -> list[str]:
    """Agency codes: those named, and every agency of a named type that is not ended."""
    codes: set[str] = set()
    for party in parties:
        if party.startswith("type:"):
            codes |= {
                a.code for a in area.agencies if a.agency_type == party[5:] and a.ended_on is None
            }
        else:
            codes.add(party)
    return sorted(codes)
