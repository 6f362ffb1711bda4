"""The area file's entries once checked, the errors that name where a problem is, and the
checks of single values (text, codes, dates) that every section shares."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

# The longest any one text value may be, whatever its field allows (a guard against absurd input).
MAX_FILE_BYTES = 20 * 1024 * 1024
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Bidirectional overrides can make a name read differently from what is stored.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


@dataclass(frozen=True)
class AreaError:
    """One problem, named by file, entry (e.g. `staff[3]`, `agencies "school-100123"`) and
    field, with why."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.entry, self.field) if part)
        return f"{where}: {self.message}"


class AreaFileInvalid(Exception):
    """The files (or the staff list) have errors; nothing was written."""

    def __init__(self, errors: list[AreaError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was changed.")


@dataclass(frozen=True)
class Origin:
    file: str
    entry: str


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    agency_type: str
    urn: str
    ods_code: str
    ended_on: date | None
    origin: Origin


@dataclass(frozen=True)
class TeamSpec:
    agency: str
    code: str
    name: str
    ended_on: date | None
    origin: Origin


@dataclass(frozen=True)
class StaffSpec:
    first_name: str
    last_name: str
    email: str
    agency: str
    team: str
    role: str
    staff_number: str
    username: str
    username_given: bool
    disabled: bool
    origin: Origin


@dataclass(frozen=True)
class AgreementSpec:
    code: str
    title: str
    parties: tuple[str, ...]  # agency codes and `type:<agency type>`, as written
    purposes: tuple[str, ...]
    article_6_basis: str
    article_9_condition: str
    event_types: tuple[str, ...]
    fields: tuple[str, ...]
    retention: str
    starts_at: datetime
    review_at: date
    ends_at: datetime | None
    status: str
    origin: Origin


@dataclass
class AreaSpec:
    agencies: list[AgencySpec] = field(default_factory=list)
    teams: list[TeamSpec] = field(default_factory=list)
    staff: list[StaffSpec] = field(default_factory=list)
    agreements: list[AgreementSpec] = field(default_factory=list)
    # Staff are the area file's only when a file has a staff section (even `staff = []`): an
    # area that keeps its staff in HR lists (`joinedup staff import`) leaves it out.
    manages_staff: bool = False


def bad_text(value: str) -> str | None:
    """Why a text value cannot be stored (control characters), or None."""
    for ch in value:
        if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) or ch in _BIDI:
            return f"contains a control character (U+{ord(ch):04X}); remove it"
    return None


def type_name(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list"}
    names |= {dict: "a table", date: "a date", datetime: "a date and time", str: "text"}
    for kind in (bool, datetime, date, int, float, list, dict, str):
        if isinstance(value, kind):
            return names[kind]
    return type(value).__name__


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class Entry:
    """Reads the fields of one entry (a TOML table or a CSV row), recording every error."""

    def __init__(
        self, errors: list[AreaError], file: str, entry: str, raw: dict[str, Any], keys: set[str]
    ) -> None:
        self.errors, self.file, self.entry, self.raw = errors, file, entry, raw
        self.ok = True
        for key in sorted(set(raw) - keys):
            close = difflib.get_close_matches(key, sorted(keys), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            self.error(key, f"unknown key{hint} (valid keys: {', '.join(sorted(keys))})")

    @property
    def origin(self) -> Origin:
        return Origin(self.file, self.entry)

    def error(self, key: str, message: str) -> None:
        self.ok = False
        self.errors.append(AreaError(self.file, self.entry, key, message))

    def text(
        self,
        key: str,
        *,
        max_length: int,
        required: bool = True,
        pattern: re.Pattern[str] | None = None,
        pattern_says: str = "",
        choices: list[str] | None = None,
    ) -> str:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "is required")
            return ""
        if not isinstance(value, str):
            self.error(key, f"must be text (in quotes), not {type_name(value)}")
            return ""
        value = value.strip()
        if len(value) > max_length:
            self.error(key, f"is {len(value)} characters long; at most {max_length} allowed")
        elif why := bad_text(value):
            self.error(key, why)
        elif choices is not None and value not in choices:
            self.error(key, f'"{value}" is not one of: {", ".join(choices)}')
        elif pattern is not None and not pattern.match(value):
            self.error(key, f'"{value}" {pattern_says}')
        else:
            return value
        return ""

    def code(self, key: str, *, max_length: int, required: bool = True) -> str:
        return self.text(
            key,
            max_length=max_length,
            required=required,
            pattern=CODE_RE,
            pattern_says="is not a code: use lower-case letters, digits, - and _ "
            "(starting with a letter or digit)",
        )

    def texts(self, key: str, *, max_length: int, required: bool = True) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.error(key, 'is required (a list, e.g. ["a", "b"])')
            return ()
        if not isinstance(value, list):
            self.error(key, f"must be a list of text, not {type_name(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self.error(key, f"item {i} must be text, not {type_name(item)}")
            elif len(item) > max_length:
                self.error(key, f"item {i} is {len(item)} characters long; at most {max_length}")
            elif why := bad_text(item):
                self.error(key, f"item {i} {why}")
            elif item.strip() in out:
                self.error(key, f'"{item.strip()}" is listed twice')
            else:
                out.append(item.strip())
        return tuple(out)

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.error(key, "is required (a date, e.g. 2025-04-01)")
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.error(
                key, f"must be a date without quotes (e.g. 2025-04-01), not {type_name(value)}"
            )
            return None
        return value

    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        """A date (midnight, local time, at its start) or a date and time with its offset."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.error(key, "is required (a date, e.g. 2025-04-01)")
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                self.error(key, "a date and time needs its offset (e.g. 2025-04-01T09:00:00Z)")
                return None
            return value
        if isinstance(value, date):
            return local_midnight(value)
        self.error(key, f"must be a date without quotes (e.g. 2025-04-01), not {type_name(value)}")
        return None

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not {type_name(value)}")
            return False
        return value
