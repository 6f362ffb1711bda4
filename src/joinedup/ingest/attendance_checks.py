"""Why an attendance row was quarantined: SQL naming each check a row of `m AS n` failed.

Pure DuckDB SQL text (no Django). `attendance_sql.MarksFile.quarantined` puts the list this
builds beside each quarantined row's raw values.
"""

# SQL here is built from the format's own names, numbers and literals quoted by quote(); no
# value read from a file is ever put into a statement's text.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date

from joinedup.ingest.attendance_codes import RETIRED
from joinedup.ingest.attendance_files import quote as _quote

__all__ = ["EARLIEST", "quarantine_reasons_sql"]

EARLIEST = "1990-01-01"  # marks before this are quarantined (and dates pack into 16 bits)
QUOTE_MARK = "''''"  # SQL for a string holding one single quote


def _problem(column: str, reason: str, value: str | None = None) -> str:
    """A {field, reason} struct; the reason is `value` shown in quotes, then `reason`."""
    text = _quote(reason if value is None else " " + reason)
    if value is not None:
        text = f"{QUOTE_MARK} || trim({value}) || {QUOTE_MARK} || {text}"
    return f"{{'field': {_quote(column)}, 'reason': {text}}}"


def _blank(value: str) -> str:
    return f"trim(coalesce({value}, '')) = ''"


def _case(*branches: tuple[str, str]) -> str:
    return "CASE " + " ".join(f"WHEN {w} THEN {t}" for w, t in branches) + " END"


def _pupil(rid: str, upn: str, who: str, agency_code: str) -> str:
    sent = f"{agency_code} has sent: import the school's pupil list first"
    return _case(
        ("n.idx IS NOT NULL", "NULL"),
        (
            f"{_blank(rid)} AND {_blank(upn)}",
            _problem(who, "is blank: a mark must name its pupil by record_id or upn"),
        ),
        (f"NOT {_blank(rid)}", _problem("record_id", f"is not a pupil {sent}", rid)),
        ("true", _problem("upn", f"is not the UPN of one pupil {sent}", upn)),
    )


def _date(when: str, today: date) -> str:
    return _case(
        (f"n.d IS NULL AND {_blank(when)}", _problem("date", "is blank")),
        (
            "n.d IS NULL",
            _problem("date", "is not a date in the format YYYY-MM-DD (or DD/MM/YYYY)", when),
        ),
        (f"n.d > DATE '{today.isoformat()}'", _problem("date", "is in the future", when)),
        (
            f"n.d < DATE '{EARLIEST}'",
            _problem("date", f"is before {EARLIEST[:4]}: not a session this can hold", when),
        ),
    )


def _session(session: str) -> str:
    return _case(
        (f"n.pm IS NULL AND {_blank(session)}", _problem("session", "is blank: use AM or PM")),
        ("n.pm IS NULL", _problem("session", "is not a session: use AM or PM", session)),
    )


def _code(code: str) -> str:
    retired = _case(
        *(
            (
                f"upper(trim({code})) = {_quote(c)}",
                _problem("code", f"was retired in August 2024 ({why})", code),
            )
            for c, why in RETIRED.items()
        ),
        ("true", _problem("code", "is not a DfE attendance code (the August 2024 list)", code)),
    )
    return _case(
        (
            f"n.code IS NULL AND {_blank(code)}",
            _problem("code", "is blank: every session needs a mark (- if none was taken)"),
        ),
        ("n.code IS NULL", retired),
    )


def _school(urn_value: str, agency_urn: str) -> str:
    urn = _quote(agency_urn)
    wrong_urn = (
        f"is not this school's URN ({agency_urn})" if agency_urn else "is not a URN (6 digits)"
    )
    return _case(
        (
            f"NOT {_blank(urn_value)} AND trim({urn_value}) <> {urn} AND NOT ({urn} = '' "
            f"AND regexp_full_match(trim({urn_value}), '[0-9]{{6}}'))",
            _problem("school_urn", wrong_urn, urn_value),
        ),
    )


def quarantine_reasons_sql(
    raw: dict[str, str], who: str, agency_code: str, agency_urn: str, today: date
) -> str:
    """SQL for the list of {field, reason} problems of a quarantined row of `m AS n`, one
    element per column checked (NULL where it passed). `raw`: column -> SQL for its raw value;
    `who`: the column a blank pupil is reported under."""
    rid, upn, when, session, code, urn_value = (
        raw[c] for c in ("record_id", "upn", "date", "session", "code", "school_urn")
    )
    return ", ".join(
        [
            _pupil(rid, upn, who, agency_code),
            _date(when, today),
            _session(session),
            _code(code),
            _school(urn_value, agency_urn),
        ]
    )
