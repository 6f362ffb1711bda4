"""Assessment form definitions: loaded from TOML and checked. Pure Python (no Django).

A form file (`forms/*.toml`) has `id`, `version`, `title` and `[[sections]]`, each with
`[[sections.questions]]`. A section with `for_each_need = "<scheme>"` is expanded from the
area's needs vocabulary: one section per vocabulary group, with the section's questions asked
once per need in that group (`{label}` in a label or hint becomes the need's label).

`load_form(path, vocabulary)` returns a frozen `FormDefinition` or raises `DefinitionError`
naming the file, the section, the question and why. `form_library(dirs, vocabulary)` loads
every file in the shipped directory and then an area's own (same id replaces).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joinedup.needs.vocabulary import Vocabulary

__all__ = [
    "DEFAULT_FORMS_DIR",
    "QUESTION_TYPES",
    "Column",
    "DefinitionError",
    "FormDefinition",
    "Question",
    "Section",
    "form_library",
    "load_form",
]

DEFAULT_FORMS_DIR = Path(__file__).with_name("forms")
QUESTION_TYPES = (
    "text",
    "textarea",
    "choice",
    "multi_choice",
    "scale",
    "date",
    "yes_no",
    "need_codes",
    "level",
    "table",  # a repeating group of rows, e.g. a risk list ("add another risk")
)
COLUMN_TYPES = ("text", "textarea", "choice")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_QUESTION_KEYS = {
    "id",
    "label",
    "type",
    "hint",
    "required",
    "required_message",
    "options",
    "min",
    "max",
    "max_length",
    "scheme",
    "required_if",
    "columns",
    "rows",
    "_domain",
}


class DefinitionError(ValueError):
    """A form or instrument definition is wrong; the message says where and why."""


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    type: str
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False  # required in any row that is not blank


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    type: str
    hint: str = ""
    required: bool = False
    required_message: str = ""  # what to say when it is missing at completion
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for choice and multi_choice
    min: int | None = None
    max: int | None = None
    max_length: int = 0
    scheme: str = ""  # need_codes: limit to one vocabulary scheme
    # Required (at completion) when another question has this answer, e.g. detail when "yes".
    required_if: tuple[str, str] | None = None
    columns: tuple[Column, ...] = ()
    rows: int = 0  # table: blank rows offered on the page
    domain: str = ""  # the need this question was expanded for (for sub-headings)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    hint: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: str
    title: str
    description: str
    event_summary: str  # the chronology summary on completion; never free text
    allows_baseline: bool
    sections: tuple[Section, ...]
    questions_by_id: dict[str, Question] = field(default_factory=dict, compare=False)

    def question(self, question_id: str) -> Question | None:
        return self.questions_by_id.get(question_id)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)


class _Where:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> DefinitionError:
        return DefinitionError(f"{self.path.name}: {where}: {message}")


def _text(w: _Where, where: str, raw: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        raise w.fail(where, f"field '{name}' must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise w.fail(where, f"field '{name}' is missing or blank")
    return value.strip()


def _int(w: _Where, where: str, raw: dict[str, Any], name: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise w.fail(where, f"field '{name}' must be a whole number, not {value!r}")
    return value


def _options(w: _Where, where: str, raw: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or not raw:
        raise w.fail(where, "field 'options' must list at least one option")
    out: list[tuple[str, str]] = []
    for i, opt in enumerate(raw, start=1):
        if isinstance(opt, str):
            value, label = opt, opt
        elif isinstance(opt, dict):
            value = _text(w, f"{where}, option {i}", opt, "value")
            label = _text(w, f"{where}, option {i}", opt, "label")
        else:
            raise w.fail(where, f"option {i} must be text or {{value, label}}")
        if value in {v for v, _ in out}:
            raise w.fail(where, f"option '{value}' is listed twice")
        out.append((value, label))
    return tuple(out)


def _column(w: _Where, where: str, raw: Any) -> Column:
    if not isinstance(raw, dict):
        raise w.fail(where, "each column must be a table")
    cid = _text(w, where, raw, "id")
    where = f"{where} ({cid})"
    if not _ID.match(cid):
        raise w.fail(where, "field 'id' must be lower-case letters, digits and _")
    ctype = _text(w, where, raw, "type")
    if ctype not in COLUMN_TYPES:
        raise w.fail(where, f"field 'type': '{ctype}' is not one of {', '.join(COLUMN_TYPES)}")
    return Column(
        id=cid,
        label=_text(w, where, raw, "label"),
        type=ctype,
        options=_options(w, where, raw.get("options")) if ctype == "choice" else (),
        required=bool(raw.get("required", False)),
    )


def _question(w: _Where, where: str, raw: Any, vocabulary: Vocabulary) -> Question:
    if not isinstance(raw, dict):
        raise w.fail(where, "each question must be a table")
    qid = _text(w, where, raw, "id")
    where = f"{where}, question '{qid}'"
    if not _ID.match(qid):
        raise w.fail(where, "field 'id' must be lower-case letters, digits and _ (max 60)")
    unknown = sorted(set(raw) - _QUESTION_KEYS)
    if unknown:
        raise w.fail(where, f"unknown field '{unknown[0]}'")
    qtype = _text(w, where, raw, "type")
    if qtype not in QUESTION_TYPES:
        raise w.fail(where, f"field 'type': '{qtype}' is not one of {', '.join(QUESTION_TYPES)}")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise w.fail(where, "field 'required' must be true or false")
    kw: dict[str, Any] = {}
    if qtype in {"choice", "multi_choice"}:
        kw["options"] = _options(w, where, raw.get("options"))
    elif qtype == "yes_no":
        kw["options"] = (("yes", "Yes"), ("no", "No"))
    elif qtype == "scale":
        lo, hi = _int(w, where, raw, "min"), _int(w, where, raw, "max")
        if lo is None or hi is None or lo >= hi or hi - lo > 20:
            raise w.fail(where, "a scale needs whole-number 'min' < 'max' (at most 21 points)")
        kw["min"], kw["max"] = lo, hi
    elif qtype == "need_codes":
        scheme = _text(w, where, raw, "scheme", required=False)
        if scheme and scheme not in vocabulary.schemes:
            raise w.fail(where, f"field 'scheme': '{scheme}' is not a scheme of the vocabulary")
        kw["scheme"] = scheme
    elif qtype == "table":
        cols = raw.get("columns")
        if not isinstance(cols, list) or not cols:
            raise w.fail(where, "a table needs [[...columns]]")
        kw["columns"] = tuple(_column(w, f"{where}, column {i}", c) for i, c in enumerate(cols, 1))
        if len({c.id for c in kw["columns"]}) != len(kw["columns"]):
            raise w.fail(where, "two columns have the same id")
        rows = _int(w, where, raw, "rows") or 5
        if not 1 <= rows <= 20:
            raise w.fail(where, "field 'rows' must be 1 to 20")
        kw["rows"] = rows
    max_length = _int(w, where, raw, "max_length")
    default_length = {"text": 500, "textarea": 5000}.get(qtype, 0)
    cond = raw.get("required_if")
    if cond is not None:
        if not isinstance(cond, dict) or set(cond) != {"question", "equals"}:
            raise w.fail(where, "field 'required_if' must be {question = ..., equals = ...}")
        kw["required_if"] = (str(cond["question"]), str(cond["equals"]))
    return Question(
        id=qid,
        label=_text(w, where, raw, "label"),
        type=qtype,
        hint=_text(w, where, raw, "hint", required=False),
        required=required,
        required_message=_text(w, where, raw, "required_message", required=False),
        max_length=max_length or default_length,
        **kw,
    )


def _expand(
    w: _Where, where: str, raw: dict[str, Any], vocabulary: Vocabulary
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """A `for_each_need` section: (id, title, questions) for each vocabulary group."""
    scheme = _text(w, where, raw, "for_each_need")
    needs = [n for n in vocabulary.needs if n.scheme == scheme]
    if not needs:
        raise w.fail(where, f"field 'for_each_need': the vocabulary has no needs in '{scheme}'")
    templates = raw.get("questions")
    if not isinstance(templates, list) or not templates:
        raise w.fail(where, "the section lists no [[sections.questions]]")
    groups: dict[str, list[dict[str, Any]]] = {}
    for need in needs:
        stem = re.sub(r"[^a-z0-9]+", "_", need.code.lower()).strip("_")
        for template in templates:
            if not isinstance(template, dict):
                raise w.fail(where, "each question must be a table")
            q = dict(template)
            q["id"] = f"{stem}_{template.get('id', '')}"
            for key in ("label", "hint", "required_message"):
                if isinstance(q.get(key), str):
                    q[key] = q[key].replace("{label}", need.label)
            q["_domain"] = need.label
            groups.setdefault(need.group or scheme, []).append(q)
    base = _text(w, where, raw, "id")
    return [
        (f"{base}_{i}", group, questions)
        for i, (group, questions) in enumerate(groups.items(), start=1)
    ]


def _check_conditions(w: _Where, questions: dict[str, Question]) -> None:
    for q in questions.values():
        if q.required_if is None:
            continue
        other = questions.get(q.required_if[0])
        where = f"question '{q.id}'"
        if other is None:
            raise w.fail(where, f"required_if names an unknown question '{q.required_if[0]}'")
        values = {v for v, _ in other.options}
        if other.type not in {"yes_no", "choice"} or q.required_if[1] not in values:
            raise w.fail(
                where, f"required_if: '{q.required_if[1]}' is not an answer to '{other.id}'"
            )


def load_form(path: Path | str, vocabulary: Vocabulary) -> FormDefinition:
    path = Path(path)
    w = _Where(path)
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"{path.name}: not valid TOML: {exc}") from exc
    form_id = _text(w, "form", doc, "id")
    if not re.match(r"^[a-z][a-z0-9-]{0,59}$", form_id):
        raise w.fail("form", "field 'id' must be lower-case letters, digits and - (max 60)")
    raw_sections = doc.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise w.fail("form", "the file must list [[sections]]")
    sections: list[Section] = []
    seen: dict[str, Question] = {}
    for i, raw in enumerate(raw_sections, start=1):
        if not isinstance(raw, dict):
            raise w.fail(f"section {i}", "each section must be a table")
        where = f"section {i}" + (f" ({raw['id']})" if isinstance(raw.get("id"), str) else "")
        parts: list[tuple[str, str, Any]]
        if "for_each_need" in raw:
            parts = _expand(w, where, raw, vocabulary)
        else:
            parts = [
                (_text(w, where, raw, "id"), _text(w, where, raw, "title"), raw.get("questions"))
            ]
        for sid, title, raw_questions in parts:
            if not isinstance(raw_questions, list) or not raw_questions:
                raise w.fail(where, "the section lists no [[sections.questions]]")
            questions = []
            for j, rq in enumerate(raw_questions, start=1):
                q = _question(w, f"{where}, question {j}", rq, vocabulary)
                if rq.get("_domain"):
                    q = Question(**{**q.__dict__, "domain": rq["_domain"]})
                if q.id in seen:
                    raise w.fail(where, f"question id '{q.id}' is used twice")
                seen[q.id] = q
                questions.append(q)
            hint = _text(w, where, raw, "hint", required=False)
            sections.append(Section(id=sid, title=title, hint=hint, questions=tuple(questions)))
    _check_conditions(w, seen)
    title = _text(w, "form", doc, "title")
    return FormDefinition(
        id=form_id,
        version=str(doc.get("version", "")).strip() or "1",
        title=title,
        description=_text(w, "form", doc, "description", required=False),
        event_summary=_text(w, "form", doc, "event_summary", required=False)
        or f"{title} completed",
        allows_baseline=bool(doc.get("allows_baseline", False)),
        sections=tuple(sections),
        questions_by_id=seen,
    )


def form_library(dirs: list[Path | str], vocabulary: Vocabulary) -> dict[str, FormDefinition]:
    """Every form in these directories, in order: a later file with the same id replaces."""
    forms: dict[str, FormDefinition] = {}
    for directory in dirs:
        for path in sorted(Path(directory).glob("*.toml")):
            form = load_form(path, vocabulary)
            forms[form.id] = form
    return forms
