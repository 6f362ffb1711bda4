"""Turning submitted answers into clean answers for one form. Pure Python (no Django).

`clean_answers(form, raw, vocabulary=..., complete=...)` takes a dict keyed by question id
(from an API body, or `answers_from_post` for a page) and returns `(clean, errors)`: `errors`
maps a question id (or `<table id>-<row>-<column>` for a table cell) to one message that names
the question and says why. A draft may be partial; required questions are checked only when
completing. Types, ranges and option lists are checked always.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from joinedup.assessments.definitions import FormDefinition, Question
from joinedup.dates import govuk_date
from joinedup.needs.vocabulary import LEVELS, Vocabulary

__all__ = ["answers_from_post", "clean_answers", "display_answer"]


class _PostData(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _missing_message(q: Question) -> str:
    if q.required_message:
        return f"{q.label}: {q.required_message}"
    verb = "Enter" if q.type in {"text", "textarea", "date", "table"} else "Select"
    what = {"need_codes": "at least one need", "multi_choice": "at least one option"}
    return f"{q.label}: {verb.lower()} {what.get(q.type, 'an answer')}"


def _date(q: Question, value: Any) -> tuple[Any, str]:
    if isinstance(value, dict):
        parts = [str(value.get(k, "")).strip() for k in ("year", "month", "day")]
        if not any(parts):
            return None, ""
        if not all(p.isdigit() for p in parts):
            return None, f"{q.label}: the date must include a day, month and year in numbers"
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat(), ""
        except ValueError:
            return None, f"{q.label}: must be a real date"
    if isinstance(value, date):
        return value.isoformat(), ""
    try:
        return date.fromisoformat(str(value).strip()).isoformat(), ""
    except ValueError:
        return None, f"{q.label}: must be a real date, as YYYY-MM-DD"


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _one(q: Question, value: Any, vocabulary: Vocabulary) -> tuple[Any, str]:
    """(clean value, error) for one non-blank answer."""
    if q.type in {"text", "textarea"}:
        if not isinstance(value, str):
            return None, f"{q.label}: must be text"
        text = value.strip()
        if q.max_length and len(text) > q.max_length:
            return None, f"{q.label}: must be {q.max_length} characters or fewer"
        return text, ""
    if q.type in {"choice", "yes_no"}:
        allowed = [v for v, _ in q.options]
        if str(value) not in allowed:
            return None, f"{q.label}: choose one of {', '.join(label for _, label in q.options)}"
        return str(value), ""
    if q.type in {"multi_choice", "need_codes"}:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None, f"{q.label}: must be a list"
        values = list(dict.fromkeys(v for v in values if v))
        if q.type == "multi_choice":
            wrong = [v for v in values if v not in {o for o, _ in q.options}]
        else:
            wrong = [
                v
                for v in values
                if (need := vocabulary.need(v)) is None or (q.scheme and need.scheme != q.scheme)
            ]
        if wrong:
            return None, f"{q.label}: '{wrong[0]}' is not one of the options"
        return values, ""
    if q.type in {"scale", "level"}:
        lo, hi = (q.min, q.max) if q.type == "scale" else (LEVELS[0], LEVELS[-1])
        number = _whole(value)
        if number is None or not lo <= number <= hi:  # type: ignore[operator]
            return None, f"{q.label}: must be a whole number from {lo} to {hi}"
        return number, ""
    if q.type == "date":
        return _date(q, value)
    raise AssertionError(q.type)


def _table(q: Question, value: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        errors[q.id] = f"{q.label}: must be a list of rows"
        return []
    rows: list[dict[str, str]] = []
    for row in value:
        cells = {c.id: str(row.get(c.id) or "").strip() for c in q.columns}
        if not any(cells.values()):
            continue  # a blank row offered on the page
        n = len(rows)
        for c in q.columns:
            key = f"{q.id}-{n}-{c.id}"
            if c.required and not cells[c.id]:
                errors[key] = f"{q.label}, row {n + 1}: enter {c.label.lower()}"
            elif c.type == "choice" and cells[c.id] and cells[c.id] not in dict(c.options):
                labels = ", ".join(label for _, label in c.options)
                errors[key] = f"{q.label}, row {n + 1}: {c.label.lower()} must be one of {labels}"
            elif len(cells[c.id]) > 2000:
                errors[key] = f"{q.label}, row {n + 1}: {c.label.lower()} is too long"
        rows.append(cells)
    return rows


def clean_answers(
    form: FormDefinition,
    raw: Mapping[str, Any],
    *,
    vocabulary: Vocabulary,
    complete: bool,
) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(raw, Mapping):
        return {}, {"answers": "Answers must be an object keyed by question id"}
    errors: dict[str, str] = {}
    for key in raw:
        if form.question(str(key)) is None:
            errors[str(key)] = f"'{key}' is not a question of {form.title} (version {form.version})"
    clean: dict[str, Any] = {}
    for q in form.questions:
        value = raw.get(q.id)
        if q.type == "table":
            rows = _table(q, value, errors) if not _blank(value) else []
            if rows:
                clean[q.id] = rows
        elif not _blank(value):
            cleaned, error = _one(q, value, vocabulary)
            if error:
                errors[q.id] = error
            elif not _blank(cleaned):
                clean[q.id] = cleaned
    if complete:
        for q in form.questions:
            needed = q.required or (
                q.required_if is not None and clean.get(q.required_if[0]) == q.required_if[1]
            )
            if needed and q.id not in clean and q.id not in errors:
                errors[q.id] = _missing_message(q)
    return clean, errors


def answers_from_post(form: FormDefinition, data: _PostData) -> dict[str, Any]:
    """A page's POST as raw answers: list fields, GOV.UK date parts and table rows."""
    raw: dict[str, Any] = {}
    for q in form.questions:
        if q.type in {"multi_choice", "need_codes"}:
            raw[q.id] = [v for v in data.getlist(q.id) if v]
        elif q.type == "date":
            raw[q.id] = {p: data.get(f"{q.id}-{p}", "") for p in ("day", "month", "year")}
        elif q.type == "table":
            raw[q.id] = [
                {c.id: data.get(f"{q.id}-{n}-{c.id}", "") for c in q.columns}
                for n in range(_rows_posted(q, data))
            ]
        else:
            raw[q.id] = data.get(q.id, "")
    return raw


def _rows_posted(q: Question, data: _PostData) -> int:
    n = 0
    while n < 50 and any(f"{q.id}-{n}-{c.id}" in data for c in q.columns):  # type: ignore[operator]
        n += 1
    return n


def display_answer(q: Question, value: Any, vocabulary: Vocabulary) -> str:
    """One clean answer as words for a summary list ('' when unanswered)."""
    if _blank(value):
        return ""
    if q.type in {"choice", "yes_no"}:
        return dict(q.options).get(value, str(value))
    if q.type == "multi_choice":
        return ", ".join(dict(q.options).get(v, v) for v in value)
    if q.type == "need_codes":
        return ", ".join(n.label if (n := vocabulary.need(v)) else v for v in value)
    if q.type == "level":
        return f"{value} – {vocabulary.level_label(value)}"
    if q.type == "scale":
        return f"{value} (of {q.max})"
    if q.type == "date":
        return govuk_date(date.fromisoformat(value))
    if q.type == "table":
        return "; ".join(" / ".join(v for v in row.values() if v) for row in value)
    return str(value)
