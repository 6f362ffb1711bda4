"""The indicator rule file: a TOML file an area can read and edit, checked when it is loaded.

Pure Python (no Django). `load_rules(path)` returns a frozen `RuleSet` or raises `RuleFileError`
naming the file, the rule (id or position) and the field, and saying why. The shipped rule set
is `rules/default.toml`; the setting INDICATOR_RULES_FILE (JOINEDUP_INDICATOR_RULES) names
another. See docs/indicators.md for every field.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from joinedup.indicators.kinds import DOMAINS, EVENT_FIELDS, EVENT_TYPES, KINDS, KindSpec
from joinedup.ingest.attendance_codes import CODES

__all__ = [
    "DEFAULT_RULES_FILE",
    "DOMAINS",
    "EVENT_TYPES",
    "KINDS",
    "Calendar",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "Window",
    "load_rules",
    "parse_window",
]

DEFAULT_RULES_FILE = Path(__file__).with_name("rules") / "default.toml"

COMMON = {
    "id",
    "name",
    "domain",
    "kind",
    "reads",
    "window",
    "amber",
    "red",
    "clears",
    "enabled",
}
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")
WINDOW = re.compile(
    r"^(?:(?P<n>\d+)\s+(?P<unit>school days?|school weeks?|days?|weeks?|months?)|"
    r"(?P<named>term|school year))$"
)


class RuleFileError(ValueError):
    """The rule file cannot be used; the message names the file, the rule and field, and why."""


@dataclass(frozen=True)
class Window:
    """A rule's window: `n` school days or calendar days back from the as-of date, or this
    term or this school year to date."""

    kind: str  # school_days | days | term | school_year
    n: int = 0
    text: str = ""

    @property
    def label(self) -> str:
        if self.kind == "term":
            return "this term to date"
        if self.kind == "school_year":
            return "school year to date"
        return f"the last {self.text}"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    domain: str
    kind: str
    reads: str
    windows: tuple[Window, ...]
    amber: float | None
    red: float | None
    clears: str
    enabled: bool = True
    codes: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    match: tuple[tuple[str, tuple[str, ...]], ...] = ()
    red_window: Window | None = None
    min_ratio: float = 0.0
    grace_days: int = 0

    @property
    def window(self) -> Window | None:
        return self.windows[0] if self.windows else None

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    @property
    def is_escalation(self) -> bool:
        return self.kind == "escalation"


@dataclass(frozen=True)
class Calendar:
    """Where school years and terms start: an area's own term dates when listed (they win for
    the dates they cover), else the same month-days every year."""

    school_year_starts: tuple[int, int] = (9, 1)
    term_starts: tuple[tuple[int, int], ...] = ((9, 1), (1, 1), (4, 1))
    term_dates: tuple[date, ...] = ()

    def school_year_start(self, on: date) -> date:
        month, day = self.school_year_starts
        start = date(on.year, month, day)
        return start if start <= on else date(on.year - 1, month, day)

    def term_start(self, on: date) -> date:
        listed = [d for d in self.term_dates if d <= on]
        if listed and (on - max(listed)).days < 200:
            return max(listed)
        candidates = [
            date(year, month, day)
            for year in (on.year - 1, on.year)
            for month, day in self.term_starts
        ]
        return max(d for d in candidates if d <= on)


@dataclass(frozen=True)
class RuleSet:
    version: str
    calendar: Calendar
    decision_due_school_days: int
    rules: tuple[Rule, ...]
    path: str = ""
    sha256: str = ""

    @property
    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def parse_window(text: str) -> Window:
    """'30 school days', '6 school weeks' (30 school days), '12 weeks', '12 months', 'term',
    'school year'. ValueError says what is accepted."""
    match = WINDOW.match(" ".join(str(text).split()).lower())
    if match is None:
        raise ValueError(
            f"{text!r} is not a window; write e.g. '30 school days', '6 school weeks', "
            "'12 weeks', '12 months', 'term' or 'school year'"
        )
    if match["named"]:
        return Window(match["named"].replace(" ", "_"), 0, match["named"])
    n, unit = int(match["n"]), match["unit"].rstrip("s")
    if n < 1:
        raise ValueError(f"{text!r}: a window is at least 1 {unit}")
    per = {"school day": 1, "school week": 5, "day": 1, "week": 7, "month": 30}[unit]
    kind = "school_days" if unit.startswith("school") else "days"
    return Window(kind, n * per, " ".join(str(text).split()))


def load_rules(path: Path | str) -> RuleSet:
    """Read and check a rule file. Every problem raises RuleFileError naming the file, the rule
    (its id, or its position when it has none) and the field."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read the rule file ({exc.strerror})") from None
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise RuleFileError(f"{path}: is not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{path}: is not valid TOML ({exc})") from None
    return _Checker(path).rule_set(doc, hashlib.sha256(data).hexdigest())


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, why: str) -> RuleFileError:
        return RuleFileError(f"{self.path}: {where}: {why}")

    def rule_set(self, doc: dict[str, Any], sha256: str) -> RuleSet:
        unknown = set(doc) - {"version", "calendar", "worklist", "rule"}
        if unknown:
            raise self.fail(
                f"top-level key {sorted(unknown)[0]!r}",
                "is not a field of a rule file (version, calendar, worklist, rule)",
            )
        version = doc.get("version")
        if not isinstance(version, str) or not version.strip() or len(version) > 40:
            raise self.fail("version", "is required: a text of up to 40 characters, e.g. '2026.1'")
        calendar = self.calendar(doc.get("calendar", {}))
        worklist = doc.get("worklist", {})
        if not isinstance(worklist, dict) or set(worklist) - {"decision_due_school_days"}:
            raise self.fail("[worklist]", "may hold only decision_due_school_days")
        due = worklist.get("decision_due_school_days", 5)
        if not isinstance(due, int) or isinstance(due, bool) or not 1 <= due <= 60:
            raise self.fail("[worklist] decision_due_school_days", "must be a whole number 1-60")
        entries = doc.get("rule", [])
        if not isinstance(entries, list) or not entries:
            raise self.fail("[[rule]]", "the file has no rules; add at least one [[rule]] table")
        rules: list[Rule] = []
        for index, entry in enumerate(entries, start=1):
            rule = self.rule(index, entry)
            if any(r.id == rule.id for r in rules):
                raise self.fail(f"rule {rule.id!r} (rule {index})", "the id is used twice")
            rules.append(rule)
        return RuleSet(version.strip(), calendar, due, tuple(rules), str(self.path), sha256)

    def calendar(self, raw: Any) -> Calendar:
        if not isinstance(raw, dict):
            raise self.fail("[calendar]", "must be a table")
        unknown = set(raw) - {"school_year_starts", "term_starts", "term_dates"}
        if unknown:
            raise self.fail(
                f"[calendar] {sorted(unknown)[0]}",
                "is not a calendar field (school_year_starts, term_starts, term_dates)",
            )
        year = self.month_day("school_year_starts", raw.get("school_year_starts", "09-01"))
        terms_raw = raw.get("term_starts", ["09-01", "01-01", "04-01"])
        if not isinstance(terms_raw, list) or not terms_raw:
            raise self.fail("[calendar] term_starts", "must be a list of month-days ('MM-DD')")
        terms = tuple(self.month_day("term_starts", t) for t in terms_raw)
        dates = raw.get("term_dates", [])
        if not isinstance(dates, list) or not all(
            isinstance(d, date) and not hasattr(d, "hour") for d in dates
        ):
            raise self.fail(
                "[calendar] term_dates", "must be a list of dates (e.g. [2025-09-03, 2026-01-05])"
            )
        return Calendar(year, terms, tuple(sorted(dates)))

    def month_day(self, name: str, value: Any) -> tuple[int, int]:
        match = MONTH_DAY.match(value) if isinstance(value, str) else None
        try:
            if match is None:
                raise ValueError
            date(2024, int(match[1]), int(match[2]))  # a leap year: 02-29 is allowed
        except ValueError:
            raise self.fail(
                f"[calendar] {name}", f"{value!r} is not a month-day ('MM-DD')"
            ) from None
        return int(match[1]), int(match[2])

    def rule(self, index: int, raw: Any) -> Rule:
        where = f"rule {index}"
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a [[rule]] table")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not ID.match(rule_id) or len(rule_id) > 60:
            raise self.fail(
                f"{where} id", f"{rule_id!r} is not an id (lower-case words joined by '-')"
            )
        where = f"rule {rule_id!r} (rule {index})"
        kind, spec = self.kind(where, raw)
        text = {n: self.text(where, n, raw.get(n)) for n in ("name", "reads", "clears")}
        domain = raw.get("domain")
        if domain not in DOMAINS:
            raise self.fail(f"{where} domain", f"{domain!r} is not one of: {', '.join(DOMAINS)}")
        if (domain == "escalation") != (kind == "escalation"):
            raise self.fail(
                f"{where} domain", "an escalation rule (and only one) has domain escalation"
            )
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise self.fail(f"{where} enabled", "must be true or false")
        windows = self.windows(where, kind, spec, raw.get("window"))
        amber, red = self.thresholds(where, spec, raw)
        extra = self.extras(where, kind, spec, raw, red)
        return Rule(
            id=rule_id,
            name=text["name"],
            domain=domain,
            kind=kind,
            reads=text["reads"],
            windows=windows,
            amber=amber,
            red=red,
            clears=text["clears"],
            enabled=enabled,
            **extra,
        )

    def kind(self, where: str, raw: dict[str, Any]) -> tuple[str, KindSpec]:
        """The rule's kind, with no field that kind does not have and every one it needs."""
        kind = raw.get("kind")
        if kind not in KINDS:
            raise self.fail(
                f"{where} kind", f"{kind!r} is not a kind of rule; use one of: {', '.join(KINDS)}"
            )
        spec = KINDS[kind]
        unknown = set(raw) - COMMON - set(spec.fields)
        if unknown:
            own = ", ".join(sorted(spec.fields)) or "none"
            raise self.fail(
                f"{where} {sorted(unknown)[0]}",
                f"is not a field of a {kind} rule (its own fields: {own})",
            )
        for name, required in spec.fields.items():
            if required and name not in raw:
                raise self.fail(f"{where} {name}", f"is required for a {kind} rule")
        return kind, spec

    def extras(
        self, where: str, kind: str, spec: KindSpec, raw: dict[str, Any], red: Any
    ) -> dict[str, Any]:
        """The fields only some kinds of rule have, checked."""
        extra: dict[str, Any] = {}
        if "codes" in raw:
            extra["codes"] = self.codes(where, raw["codes"])
        if "event_types" in raw:
            extra["event_types"] = self.event_types(where, raw["event_types"])
        if "match" in raw:
            extra["match"] = self.match(where, raw["match"])
        if "red_window" in raw:
            if red is None:
                raise self.fail(f"{where} red_window", "is given but the rule has no red threshold")
            extra["red_window"] = self.windows(where, kind, spec, raw["red_window"], "red_window")[
                0
            ]
        if "min_ratio" in raw:
            ratio = raw["min_ratio"]
            if not isinstance(ratio, int | float) or isinstance(ratio, bool) or ratio < 1:
                raise self.fail(f"{where} min_ratio", "must be a number of at least 1")
            extra["min_ratio"] = float(ratio)
        if "grace_days" in raw:
            grace = raw["grace_days"]
            if not isinstance(grace, int) or isinstance(grace, bool) or not 0 <= grace <= 90:
                raise self.fail(f"{where} grace_days", "must be a whole number of days, 0-90")
            extra["grace_days"] = grace
        return extra

    def codes(self, where: str, codes: Any) -> tuple[str, ...]:
        if not isinstance(codes, list) or not codes:
            raise self.fail(f"{where} codes", "must be a list of attendance codes")
        for code in codes:
            if code not in CODES:
                raise self.fail(f"{where} codes", f"{code!r} is not a DfE 2024 attendance code")
        return tuple(codes)

    def event_types(self, where: str, types: Any) -> tuple[str, ...]:
        if not isinstance(types, list) or not types:
            raise self.fail(f"{where} event_types", "must be a list of event types")
        for t in types:
            if t not in EVENT_TYPES:
                raise self.fail(
                    f"{where} event_types",
                    f"{t!r} is not an event type; use one of: {', '.join(EVENT_TYPES)}",
                )
        return tuple(types)

    def text(self, where: str, name: str, value: Any) -> str:
        limit = 300 if name == "clears" else 200 if name == "name" else 500
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where} {name}", "is required: say it in plain English")
        if len(value) > limit:
            raise self.fail(f"{where} {name}", f"is longer than {limit} characters")
        return " ".join(value.split())

    def windows(
        self, where: str, kind: str, spec: KindSpec, raw: Any, name: str = "window"
    ) -> tuple[Window, ...]:
        if not spec.windows:
            if raw is not None:
                raise self.fail(f"{where} {name}", f"a {kind} rule has no window")
            return ()
        if raw is None:
            raise self.fail(f"{where} {name}", f"is required for a {kind} rule")
        items = raw if isinstance(raw, list) and kind == "attendance_rate" else [raw]
        found: list[Window] = []
        for item in items:
            try:
                window = parse_window(item)
            except ValueError as exc:
                raise self.fail(f"{where} {name}", str(exc)) from None
            if window.kind not in spec.windows:
                allowed = " or ".join(w.replace("_", " ") for w in spec.windows)
                raise self.fail(
                    f"{where} {name}", f"{item!r}: a {kind} rule's window is counted in {allowed}"
                )
            found.append(window)
        return tuple(found)

    def thresholds(self, where: str, spec: KindSpec, raw: dict[str, Any]) -> tuple[Any, Any]:
        values: dict[str, float | None] = {}
        for level in ("amber", "red"):
            value = raw.get(level)
            if value is not None and (
                not isinstance(value, int | float) or isinstance(value, bool)
            ):
                raise self.fail(f"{where} {level}", f"{value!r} is not a number")
            if (
                value is not None
                and value < 0
                or spec.unit == "%"
                and value is not None
                and value > 100
            ):
                raise self.fail(f"{where} {level}", f"{value} is outside the rule's range")
            values[level] = None if value is None else float(value)
        amber, red = values["amber"], values["red"]
        if amber is None and red is None:
            raise self.fail(f"{where} amber/red", "missing threshold: give amber, red or both")
        if amber is not None and red is not None:
            if spec.direction == "below" and not red < amber:
                raise self.fail(
                    f"{where} amber/red",
                    f"wrong order: this rule fires below its threshold, so red ({red:g}) must be "
                    f"below amber ({amber:g})",
                )
            if spec.direction == "at_least" and not red > amber:
                raise self.fail(
                    f"{where} amber/red",
                    f"wrong order: this rule fires at or above its threshold, so red ({red:g}) "
                    f"must be above amber ({amber:g})",
                )
        return amber, red

    def match(self, where: str, raw: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(raw, dict) or not raw:
            raise self.fail(f"{where} match", "must be a table of field = [values]")
        found = []
        for name, values in sorted(raw.items()):
            if name not in EVENT_FIELDS:
                raise self.fail(
                    f"{where} match",
                    f"{name!r} is not a field events carry ({', '.join(EVENT_FIELDS)})",
                )
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise self.fail(f"{where} match.{name}", "must be a list of texts")
            found.append((name, tuple(values)))
        return tuple(found)
