"""What the assessment pages show: a form definition with the values typed and the errors
found, and an assessment's answers as summary rows (with its baseline's beside them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from joinedup.assessments.answers import display_answer
from joinedup.assessments.definitions import FormDefinition, Question
from joinedup.assessments.instruments import Instrument
from joinedup.needs.vocabulary import Vocabulary


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class Cell:
    id: str
    name: str
    label: str
    type: str
    value: str
    error: str
    options: list[Option] = field(default_factory=list)


@dataclass
class ShownQuestion:
    q: Question
    value: Any
    error: str
    options: list[Option] = field(default_factory=list)
    date_parts: dict[str, str] = field(default_factory=dict)
    rows: list[list[Cell]] = field(default_factory=list)
    heading: str = ""  # a domain sub-heading shown before this question

    @property
    def anchor(self) -> str:
        if self.options:
            return self.options[0].id
        if self.q.type == "date":
            return f"{self.q.id}-day"
        if self.rows:
            return self.rows[0][0].id
        return self.q.id


def _options(q: Question, value: Any, vocabulary: Vocabulary) -> list[Option]:
    if q.type in {"choice", "yes_no", "multi_choice"}:
        pairs = list(q.options)
    elif q.type == "scale":
        pairs = [(str(n), str(n)) for n in range(q.min or 0, (q.max or 0) + 1)]
    elif q.type == "level":
        pairs = [(str(lv.level), f"{lv.level} – {lv.label}") for lv in vocabulary.levels]
    elif q.type == "need_codes":
        pairs = [
            (n.code, f"{n.label} ({vocabulary.schemes.get(n.scheme, n.scheme)})")
            for n in vocabulary.needs
            if not q.scheme or n.scheme == q.scheme
        ]
    else:
        return []
    chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    return [
        Option(v, label, v in chosen, f"{q.id}-{i}" if i else q.id)
        for i, (v, label) in enumerate(pairs)
    ]


def _date_parts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {k: str(value.get(k, "")) for k in ("day", "month", "year")}
    if isinstance(value, str) and value:
        try:
            d = date.fromisoformat(value)
        except ValueError:
            return {"day": "", "month": "", "year": ""}
        return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
    return {"day": "", "month": "", "year": ""}


def _rows(q: Question, value: Any, errors: dict[str, str]) -> list[list[Cell]]:
    given = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    count = max(q.rows, len(given) + 1)
    rows = []
    for n in range(count):
        row = given[n] if n < len(given) else {}
        cells = []
        for c in q.columns:
            key = f"{q.id}-{n}-{c.id}"
            current = str(row.get(c.id, "") or "")
            opts = [Option(v, label, v == current, f"{key}-{v}") for v, label in c.options]
            cells.append(Cell(key, key, c.label, c.type, current, errors.get(key, ""), opts))
        rows.append(cells)
    return rows


def shown_sections(
    form: FormDefinition, values: dict[str, Any], errors: dict[str, str], vocabulary: Vocabulary
) -> list[tuple[Any, list[ShownQuestion]]]:
    out = []
    for section in form.sections:
        shown = []
        last_domain = ""
        for q in section.questions:
            value = values.get(q.id, "")
            item = ShownQuestion(
                q=q,
                value=value if not isinstance(value, list | dict) else "",
                error=errors.get(q.id, ""),
                options=_options(q, value, vocabulary),
                date_parts=_date_parts(value) if q.type == "date" else {},
                rows=_rows(q, value, errors) if q.type == "table" else [],
                heading=q.domain if q.domain and q.domain != last_domain else "",
            )
            last_domain = q.domain
            shown.append(item)
        out.append((section, shown))
    return out


def error_list(form: FormDefinition | None, errors: dict[str, str]) -> list[tuple[str, str]]:
    """(anchor, message) in the order of the page, for the error summary."""
    if not errors:
        return []
    order: list[str] = []
    if form is not None:
        for q in form.questions:
            order.append(q.id)
            order.extend(k for k in errors if k.startswith(f"{q.id}-"))
    rest = [k for k in errors if k not in order]
    anchors = []
    for key in [k for k in order if k in errors] + rest:
        question = form.question(key) if form else None
        anchor = f"{key}-day" if question is not None and question.type == "date" else key
        anchors.append((anchor, errors[key]))
    return anchors


@dataclass
class SummaryRow:
    label: str
    answer: str
    baseline: str = ""
    heading: str = ""


def summary_sections(
    form: FormDefinition,
    answers: dict[str, Any],
    vocabulary: Vocabulary,
    baseline: dict[str, Any] | None = None,
) -> list[tuple[str, list[SummaryRow]]]:
    out = []
    for section in form.sections:
        rows = []
        for q in section.questions:
            rows.append(
                SummaryRow(
                    label=q.label,
                    answer=display_answer(q, answers.get(q.id), vocabulary),
                    baseline=display_answer(q, baseline.get(q.id), vocabulary) if baseline else "",
                )
            )
        out.append((section.title, rows))
    return out


@dataclass
class MeasureRow:
    label: str
    score: Any
    band: str
    converted: Any = None


def measure_rows(
    instrument: Instrument | None, scores: dict[str, Any], bands: dict[str, str]
) -> list[MeasureRow]:
    if instrument is None:
        return [MeasureRow(k, v, bands.get(k, "")) for k, v in scores.items()]
    return [
        MeasureRow(
            s.label,
            scores.get(s.id),
            bands.get(s.id, ""),
            scores.get(f"{s.id}_converted"),
        )
        for s in instrument.scales
    ]
