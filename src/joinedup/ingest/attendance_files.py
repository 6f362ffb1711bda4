"""Attendance files as files: the header row, blank lines, and reading stored marks back.

Pure Python and DuckDB (no Django); `attendance_sql.py` reads the rows.
"""

# Statements here are built from literals quoted by quote(); no value read from a file is put
# into a statement's text.
# ruff: noqa: S608

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# The format's columns, and other names a school's system may give them (matched ignoring
# case, spaces, underscores and hyphens, as every CSV format is).
COLUMNS = ("record_id", "upn", "school_urn", "date", "session", "code")
ALIASES = {"pupilref": "record_id", "urn": "school_urn", "mark": "code", "attendancecode": "code"}
HEADER_BYTES = 64 * 1024


class MarksFileProblem(Exception):
    """The file as a whole cannot be imported; the message names it and says why."""


def column_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


@dataclass
class Header:
    line: int  # the header's line number (1 unless blank lines come first)
    names: list[str]  # each position's name: the format's spelling, else the header's text
    position: dict[str, int]  # format column -> position (0-based)
    unknown: list[str] = field(default_factory=list)


def read_header(path: Path, name: str) -> Header:
    """Find and check the header row; refuse a file that is not UTF-8 CSV with our columns."""
    with path.open("rb") as handle:
        start = handle.read(HEADER_BYTES)
    if not start:
        raise MarksFileProblem(f"{name} is empty: it has no header row and no data")
    if start[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in start[:200]:
        raise MarksFileProblem(
            f"{name} is not UTF-8 text (it looks like UTF-16 or a binary file); save it as UTF-8"
        )
    lines = start.split(b"\n")
    number = 0
    for number, raw in enumerate(lines, start=1):  # noqa: B007 (number is used after the loop)
        if raw.strip(b"\r \t\xef\xbb\xbf"):
            break
    else:
        raise MarksFileProblem(f"{name} is empty: it has no header row and no data")
    try:
        text = raw.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise MarksFileProblem(
            f"{name} is not UTF-8 text (byte 0x{raw[exc.start]:02x} in the header row); "
            "save it as UTF-8"
        ) from None
    try:
        cells = next(csv.reader(io.StringIO(text)))
    except (csv.Error, StopIteration) as exc:
        raise MarksFileProblem(f"{name}: the header row cannot be read as CSV ({exc})") from None
    known = {column_key(c): c for c in COLUMNS} | ALIASES
    position: dict[str, int] = {}
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        key = column_key(cell)
        if key and key in seen:
            raise MarksFileProblem(f"{name} has the column {cell.strip()!r} twice in its header")
        seen.add(key)
        column = known.get(key)
        if column is not None and column in position:
            raise MarksFileProblem(f"{name} has two columns for {column} in its header")
        if column is not None:
            position[column] = index
        names.append(column or cell.strip() or f"(column {index + 1})")
    missing = [c for c in ("date", "session", "code") if c not in position]
    if "record_id" not in position and "upn" not in position:
        missing.insert(0, "record_id (or upn)")
    if missing:
        found = ", ".join(c.strip() for c in cells if c.strip()) or "nothing"
        raise MarksFileProblem(f"{name} is missing column(s): {', '.join(missing)}; found: {found}")
    unknown = [n for i, n in enumerate(names) if i not in position.values()]
    return Header(number, names, position, unknown)


def blank_lines(path: Path, after: int) -> list[int]:
    """Line numbers (> `after`) of empty lines, which DuckDB's reader skips without a word."""
    found: list[int] = []
    line = 1
    carry = b""
    with path.open("rb") as handle:
        while chunk := handle.read(16 * 1024 * 1024):
            data = carry + chunk
            base = line - carry.count(b"\n")
            for pattern in (b"\n\n", b"\n\r\n"):
                at = data.find(pattern)
                while at != -1:
                    number = base + data.count(b"\n", 0, at + 1)
                    if number > after:
                        found.append(number)
                    at = data.find(pattern, at + 1)
            line += chunk.count(b"\n")
            carry = chunk[-2:]
    return sorted(set(found))


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


MARK_COLUMNS = (
    "run BIGINT, source_record BIGINT, record_id VARCHAR, upn VARCHAR, "
    "school_urn VARCHAR, date DATE, session VARCHAR, code VARCHAR, category VARCHAR"
)


def marks_relation(
    con: duckdb.DuckDBPyConnection, paths: Sequence[Path]
) -> duckdb.DuckDBPyRelation:
    """The marks held in `paths` (see attendance.marks_paths) as one DuckDB relation: where
    two imports hold a mark for the same pupil, date and session, the later import's wins."""
    if not paths:
        empty = ", ".join(
            f"NULL::{kind} AS {column}"
            for column, kind in (c.split(" ") for c in MARK_COLUMNS.split(", "))
        )
        return con.sql(f"SELECT {empty} WHERE false")
    files = "[" + ", ".join(quote(str(p)) for p in paths) + "]"
    return con.sql(
        f"SELECT * FROM read_parquet({files}) QUALIFY row_number() OVER "
        "(PARTITION BY source_record, date, session ORDER BY run DESC) = 1"
    )
