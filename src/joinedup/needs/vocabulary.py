"""The area's shared language: its continuum of need, the needs vocabulary and each agency's
own terms mapped onto the continuum. Pure Python (no Django).

`load_vocabulary(path)` returns a frozen `Vocabulary` or raises `VocabularyError` naming the
file, the entry (by its position and code or term) and the field, and saying why. The shipped
file is `vocabularies/default.toml`; the setting NEEDS_VOCABULARY_FILE
(JOINEDUP_NEEDS_VOCABULARY) names an area's own.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_VOCABULARY_FILE",
    "LEVELS",
    "AgencyTerm",
    "Level",
    "Need",
    "Vocabulary",
    "VocabularyError",
    "load_vocabulary",
]

DEFAULT_VOCABULARY_FILE = Path(__file__).with_name("vocabularies") / "default.toml"
LEVELS = (1, 2, 3, 4)


class VocabularyError(ValueError):
    """The vocabulary file is wrong; the message says where and why."""


@dataclass(frozen=True)
class Level:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class Need:
    code: str
    scheme: str
    label: str
    group: str


@dataclass(frozen=True)
class AgencyTerm:
    term: str
    level: int
    agency_type: str  # "" when the term belongs to one agency
    agency: str  # agency code, "" when it applies to a whole agency type


@dataclass(frozen=True)
class Vocabulary:
    version: str
    sha256: str
    levels: tuple[Level, ...]
    schemes: dict[str, str]  # scheme id -> label
    needs: tuple[Need, ...]
    terms: tuple[AgencyTerm, ...]
    acknowledge_within: dict[str, int]  # agency type (or "default") -> working days

    def level(self, level: int) -> Level:
        for entry in self.levels:
            if entry.level == level:
                return entry
        raise KeyError(level)

    def level_label(self, level: int | None) -> str:
        return self.level(level).label if level in LEVELS else ""

    def need(self, code: str) -> Need | None:
        return self._needs_by_code().get(code)

    def _needs_by_code(self) -> dict[str, Need]:
        return {n.code: n for n in self.needs}

    def unknown_needs(self, codes: list[str]) -> list[str]:
        known = self._needs_by_code()
        return [c for c in codes if c not in known]

    def terms_for(self, *, agency_code: str, agency_type: str) -> list[AgencyTerm]:
        """The words this agency uses: its own terms, then its type's (own terms win)."""
        own = [t for t in self.terms if t.agency and t.agency == agency_code]
        own_words = {t.term.casefold() for t in own}
        typed = [
            t
            for t in self.terms
            if not t.agency and t.agency_type == agency_type and t.term.casefold() not in own_words
        ]
        return own + typed

    def term_level(self, *, agency_code: str, agency_type: str, term: str) -> int | None:
        wanted = term.strip().casefold()
        for t in self.terms_for(agency_code=agency_code, agency_type=agency_type):
            if t.term.casefold() == wanted:
                return t.level
        return None

    def acknowledge_working_days(self, agency_type: str) -> int:
        return self.acknowledge_within.get(agency_type, self.acknowledge_within["default"])


def _fail(path: Path, where: str, message: str) -> VocabularyError:
    return VocabularyError(f"{path.name}: {where}: {message}")


def _text(
    path: Path, where: str, entry: dict[str, Any], name: str, *, required: bool = True
) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str):
        raise _fail(path, where, f"field '{name}' must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise _fail(path, where, f"field '{name}' is missing or blank")
    return value.strip()


def _level(path: Path, where: str, entry: dict[str, Any]) -> int:
    value = entry.get("level")
    if not isinstance(value, int) or isinstance(value, bool) or value not in LEVELS:
        raise _fail(path, where, f"field 'level' must be one of 1, 2, 3 or 4, not {value!r}")
    return value


def _levels(path: Path, raw: list[dict[str, Any]]) -> tuple[Level, ...]:
    levels = []
    for i, entry in enumerate(raw, start=1):
        where = f"levels entry {i}"
        levels.append(
            Level(
                level=_level(path, where, entry),
                label=_text(path, where, entry, "label"),
                description=_text(path, where, entry, "description", required=False),
            )
        )
    if sorted(lv.level for lv in levels) != list(LEVELS):
        raise _fail(path, "levels", "there must be exactly four levels, numbered 1 to 4")
    return tuple(sorted(levels, key=lambda lv: lv.level))


def _needs(path: Path, raw: list[dict[str, Any]], schemes: dict[str, str]) -> tuple[Need, ...]:
    needs: list[Need] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw, start=1):
        where = f"needs entry {i}" + (
            f" ({entry['code']})" if isinstance(entry.get("code"), str) else ""
        )
        code = _text(path, where, entry, "code")
        scheme = _text(path, where, entry, "scheme")
        if scheme not in schemes:
            raise _fail(path, where, f"field 'scheme': unknown scheme '{scheme}'")
        if code in seen:
            raise _fail(path, where, f"field 'code': '{code}' is listed twice")
        seen.add(code)
        needs.append(
            Need(
                code=code,
                scheme=scheme,
                label=_text(path, where, entry, "label"),
                group=_text(path, where, entry, "group", required=False),
            )
        )
    return tuple(needs)


def _terms(path: Path, raw: list[dict[str, Any]]) -> tuple[AgencyTerm, ...]:
    terms: list[AgencyTerm] = []
    seen: set[tuple[str, str, str]] = set()
    for i, entry in enumerate(raw, start=1):
        where = f"terms entry {i}" + (
            f" ({entry['term']!r})" if isinstance(entry.get("term"), str) else ""
        )
        term = _text(path, where, entry, "term")
        agency_type = _text(path, where, entry, "agency_type", required=False)
        agency = _text(path, where, entry, "agency", required=False)
        if bool(agency_type) == bool(agency):
            raise _fail(path, where, "give exactly one of 'agency_type' or 'agency'")
        key = (agency_type, agency, term.casefold())
        if key in seen:
            raise _fail(path, where, f"field 'term': '{term}' is mapped twice for the same agency")
        seen.add(key)
        terms.append(
            AgencyTerm(
                term=term, level=_level(path, where, entry), agency_type=agency_type, agency=agency
            )
        )
    return tuple(terms)


def _acknowledge(path: Path, raw: Any) -> dict[str, int]:
    if not isinstance(raw, dict) or "default" not in raw:
        raise _fail(path, "acknowledge_within", "give 'default' (working days) at least")
    out: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 20:
            raise _fail(
                path, f"acknowledge_within.{key}", f"must be 1 to 20 working days, not {value!r}"
            )
        out[str(key)] = value
    return out


def load_vocabulary(path: Path | str = DEFAULT_VOCABULARY_FILE) -> Vocabulary:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VocabularyError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(f"{path.name}: not valid TOML: {exc}") from exc
    for name in ("levels", "schemes", "needs", "terms"):
        if name == "terms" and "terms" not in doc:
            continue
        if not isinstance(doc.get(name), list) or not doc[name]:
            raise _fail(path, name, f"the file must list [[{name}]]")
        for i, entry in enumerate(doc[name], start=1):
            if not isinstance(entry, dict):
                raise _fail(path, f"{name} entry {i}", f"must be a [[{name}]] table")
    schemes: dict[str, str] = {}
    for i, entry in enumerate(doc["schemes"], start=1):
        scheme_id = _text(path, f"schemes entry {i}", entry, "id")
        if scheme_id in schemes:
            raise _fail(path, f"schemes entry {i}", f"field 'id': '{scheme_id}' is listed twice")
        schemes[scheme_id] = _text(path, f"schemes entry {i}", entry, "label")
    return Vocabulary(
        version=str(doc.get("version", "")) or "unversioned",
        sha256=hashlib.sha256(data).hexdigest(),
        levels=_levels(path, doc["levels"]),
        schemes=schemes,
        needs=_needs(path, doc["needs"], schemes),
        terms=_terms(path, doc.get("terms", [])),
        acknowledge_within=_acknowledge(path, doc.get("acknowledge_within")),
    )


@cache
def _cached(path: str) -> Vocabulary:
    return load_vocabulary(path)


def vocabulary_from(path: Path | str) -> Vocabulary:
    """The vocabulary at this path, loaded once per process."""
    return _cached(str(path))
