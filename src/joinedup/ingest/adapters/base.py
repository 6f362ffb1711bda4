"""Reading an agency's CSV extract robustly, and the checks every adapter shares.

Other people's files are noisy: a byte-order mark, CRLF line endings, extra columns, column
names in another case or with spaces ("Date Of Birth" matches `date_of_birth`), blank lines,
a last line cut short. Each of these is either accepted or named in plain words; a file that
cannot be read at all raises `FileProblem`, a row that cannot be loaded becomes a `Problem`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from django.utils import timezone

# Values can be long (addresses, summaries, JSON payloads) but not unboundedly so.
csv.field_size_limit(1024 * 1024)

DAMAGED = "\ufffd"  # NUL bytes are read as this too: PostgreSQL cannot store NUL in text


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message names the file and says why."""


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str


class Row(dict[str, str]):
    """One row: column name (the format's spelling) -> value exactly as read.

    Columns the format does not know keep their header text. `shape_problem` is set when the
    row's field count differs from the header's, so its values cannot be trusted to their
    columns.
    """

    shape_problem: Problem | None = None
    values_read: int = 0
    open_quote: bool = False


@dataclass
class PersonRecord:
    record_id: str
    fields: dict[str, str]  # SourceRecord identity fields, as received
    raw: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)


def column_key(name: str) -> str:
    """Header names match ignoring case, spaces, underscores and hyphens."""
    return re.sub(r"[\s_\-]+", "", name).lower()


_LONE_CR = "\ue000"  # stands in for an unquoted carriage return while csv.reader reads


def _mark_unquoted_cr(body: str, inside_quotes: bool) -> str:
    """The line with each carriage return outside quotes replaced by a marker: csv.reader
    would take it for the end of the row, split the row in two and mis-count the rest."""
    out = []
    for char in body:
        if char == '"':
            inside_quotes = not inside_quotes
        out.append(_LONE_CR if char == "\r" and not inside_quotes else char)
    return "".join(out)


class CsvAdapter:
    """Parse one CSV format; subclasses say which columns it has and how to validate a row."""

    name: ClassVar[str]
    kind: ClassVar[str]  # "persons" (source records) or "events"
    description: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]

    def __init__(self, display_name: str = "") -> None:
        self.display_name = display_name
        self.bytes_read = 0
        self.header: list[str] = []
        self.unknown_columns: list[str] = []
        self._quotes = 0
        self._record_text: list[str] = []

    # -- reading -------------------------------------------------------------------------------
    def _lines(self, path: Path, name: str) -> Iterator[str]:
        offset = 0
        with path.open("rb") as handle:
            for number, raw_line in enumerate(handle):
                try:
                    text = raw_line.decode("utf-8-sig" if number == 0 else "utf-8")
                except UnicodeDecodeError as exc:
                    bad = raw_line[exc.start]
                    raise FileProblem(
                        f"{name} is not UTF-8 text (byte 0x{bad:02x} at offset "
                        f"{offset + exc.start}); save it as UTF-8"
                    ) from None
                offset += len(raw_line)
                self.bytes_read = offset
                inside_quotes = self._quotes % 2 == 1
                self._quotes += text.count('"')
                self._record_text.append(text)
                body = text.rstrip("\r\n")
                if "\r" in body:
                    if number == 0:
                        raise FileProblem(
                            f"{name} ends its lines with a bare carriage return (old Mac "
                            "line endings); save it again as CSV UTF-8"
                        )
                    text = _mark_unquoted_cr(body, inside_quotes) + text[len(body) :]
                yield text.replace("\x00", DAMAGED)

    def resolve_columns(self, present: Mapping[str, str]) -> list[str]:
        """The required columns missing from the header (keys: column_key -> header text)."""
        return [c for c in self.required if column_key(c) not in present]

    def parse(self, path: Path) -> Iterator[tuple[int, Row]]:
        """Yield (row number, row); the header is row 1, as in a spreadsheet."""
        name = self.display_name or path.name
        reader = csv.reader(self._lines(path, name))
        try:
            header = next(reader, None)
            while header is not None and not any(h.strip() for h in header):
                header = next(reader, None)  # blank lines before the header
        except csv.Error as exc:
            raise FileProblem(f"{name}: the header row cannot be read as CSV ({exc})") from None
        if header is None:
            raise FileProblem(f"{name} is empty: it has no header row and no data")
        known = {column_key(c): c for c in self.columns}
        present: dict[str, str] = {}
        names: list[str] = []
        for index, text in enumerate(header, start=1):
            key = column_key(text)
            if not key:
                names.append(f"(column {index})")
                continue
            if key in present:
                raise FileProblem(f"{name} has the column {text.strip()!r} twice in its header")
            present[key] = text
            names.append(known.get(key, text.strip()))
        missing = self.resolve_columns(present)
        if missing:
            found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
            raise FileProblem(f"{name} is missing column(s): {', '.join(missing)}; found: {found}")
        self.header = names
        self.unknown_columns = [n for n in names if column_key(n) not in known]
        absent = [c for c in self.columns if column_key(c) not in present]
        width = len(names)

        row_number = 1
        self._quotes = 0
        self._record_text = []
        pending: tuple[int, Row] | None = None
        for values in _records(reader):
            odd_quotes = self._quotes % 2
            self._quotes = 0
            text, self._record_text = "".join(self._record_text), []
            row_number += 1
            if isinstance(values, csv.Error):
                row = Row({"(row as read)": text})
                row.shape_problem = Problem("(whole row)", f"cannot be read as CSV ({values})")
            elif not values:
                continue  # a blank line: not a row of data
            else:
                row = self._row(values, width, absent, odd=odd_quotes)
            if pending is not None:
                yield pending
            pending = (row_number, row)
        if pending is not None:
            yield pending[0], self._last(pending[1], width)

    def _row(self, values: list[str], width: int, absent: Sequence[str], *, odd: int) -> Row:
        stray_cr = any(_LONE_CR in v for v in values)
        values = [v.replace(_LONE_CR, "\r") for v in values]
        row = Row(zip(self.header, values, strict=False))
        for column in absent:
            row.setdefault(column, "")
        if len(values) > width:
            row["(extra values)"] = ",".join(values[width:])
        row.values_read = len(values)
        row.open_quote = bool(odd)
        if len(values) != width:
            row.shape_problem = Problem(
                "(whole row)",
                f"the row has {len(values)} values but the header has {width} columns: "
                "a value may contain an unquoted comma, or a column is missing",
            )
        elif stray_cr:
            row.shape_problem = Problem(
                "(whole row)",
                "a value holds a line break (carriage return) outside quotes: quote the value "
                "or remove the line break",
            )
        return row

    def _last(self, row: Row, width: int) -> Row:
        """A file cut short shows in its last row: too few values, or an unclosed quote."""
        if row.shape_problem is not None and not row.values_read:
            return row  # unreadable as CSV: that reason stands
        if row.open_quote:
            row.shape_problem = Problem(
                "(whole row)",
                "the last row ends inside a quoted value: the file looks cut short (truncated)",
            )
        elif row.values_read < width:
            row.shape_problem = Problem(
                "(whole row)",
                f"the last row has {row.values_read} values but the header has {width} "
                "columns: the file looks cut short (truncated)",
            )
        return row

    # -- validating ----------------------------------------------------------------------------
    def validate(self, row: Row) -> Any:
        raise NotImplementedError


def _records(reader: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    """The reader's records; a record it cannot parse (e.g. a bare carriage return in an
    unquoted value) comes back as its error, and reading goes on with the next line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc


def damaged_values(row: Row) -> list[Problem]:
    return [
        Problem(column, "contains a NUL byte or an unreadable character (U+FFFD): it is damaged")
        for column, value in row.items()
        if DAMAGED in value
    ]


def too_long(column: str, value: str, max_length: int) -> Problem | None:
    if len(value) <= max_length:
        return None
    return Problem(column, f"is {len(value)} characters long; the most it can hold is {max_length}")


# Date formats a file may state: (pattern, shown to people). Day, month and year may have one
# or two digits for day and month; a spreadsheet's midnight time after the date is ignored.
DATE_FORMATS = {
    "YYYY-MM-DD": re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?: 00:00(?::00)?)?"),
    "DD/MM/YYYY": re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?: 00:00(?::00)?)?"),
}


def date_problem(column: str, value: str, shown: str) -> Problem | None:
    """A date of birth must be a real date in the format stated, and not in the future."""
    match = DATE_FORMATS[shown].fullmatch(value.strip())
    try:
        if match is None:
            raise ValueError
        parsed = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return Problem(column, f"{value!r} is not a date in the format {shown}")
    if parsed > timezone.localdate():
        return Problem(column, f"{value!r} is in the future")
    return None
