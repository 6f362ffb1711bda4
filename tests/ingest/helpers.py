"""Small helpers for the import tests: write extract files the way agencies' systems do."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from joinedup.demo.writer import (
    EVENT_COLUMNS,
    HEALTH_COLUMNS,
    PERSONS_COLUMNS,
    POLICE_COLUMNS,
    SCHOOL_COLUMNS,
)

__all__ = [
    "EVENT_COLUMNS",
    "HEALTH_COLUMNS",
    "PERSONS_COLUMNS",
    "POLICE_COLUMNS",
    "SCHOOL_COLUMNS",
    "person",
    "write_csv",
]


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    bom: bool = False,
    crlf: bool = False,
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def person(record_id: str, **kw: str) -> list[str]:
    """A valid persons row; keyword arguments override its columns."""
    values = {
        "record_id": record_id,
        "given_name": "Amara",
        "middle_names": "",
        "family_name": "Okafor",
        "date_of_birth": "2015-05-17",
        "sex": "F",
        "postcode": "JU1 2AB",
        "address": "1 Test Street, Eastbrook",
        "nhs_number": "",
        "upn": "",
        "la_child_id": "",
    }
    values.update(kw)
    return [values[c] for c in PERSONS_COLUMNS]
