"""Reading an attendance extract with DuckDB: parse, check and write marks in a few passes.

Pure DuckDB and Python (no Django), so it is fast enough for a school year of a county's
marks (about 23 million rows) and testable on its own. `attendance.py` wires it into an import.

The file is read by DuckDB's CSV reader with every value as text; each check is a vectorised
expression, and a pupil is found by casting the record id (or UPN) to an ENUM of the agency's
record ids, which is a hash lookup. Rows are numbered as a spreadsheet numbers them (the header
is row 1; blank lines count), so a quarantined row can be found in the file.
"""

# SQL here is built from the format's own names, numbers and literals quoted by _quote(); no
# value read from a file is ever put into a statement's text.
# ruff: noqa: S608

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from joinedup.ingest.attendance_checks import EARLIEST, quarantine_reasons_sql
from joinedup.ingest.attendance_codes import CATEGORIES, CODES, category_ends
from joinedup.ingest.attendance_files import (
    COLUMNS,
    Header,
    MarksFileProblem,
    blank_lines,
    marks_relation,
    read_header,
)
from joinedup.ingest.attendance_files import quote as _quote

CODE_LIST = tuple(CODES)
__all__ = [
    "COLUMNS",
    "Header",
    "MarksFile",
    "MarksFileProblem",
    "marks_relation",
    "read_header",
    "timed",
]
# Progress (0..1) polled from DuckDB while a long statement runs.
Stage = Callable[[float], None]


def _enum(values: Sequence[str]) -> str:
    return "ENUM (" + ", ".join(_quote(v) for v in values) + ")"


@dataclass
class Counts:
    rows_in: int = 0
    loaded: int = 0
    quarantined: int = 0


class MarksFile:
    """One attendance file read into a DuckDB connection of its own (in memory)."""

    def __init__(self, path: Path, name: str, header: Header, *, temp_dir: Path) -> None:
        self.path = path
        self.name = name
        self.header = header
        self.con = duckdb.connect(config={"temp_directory": str(temp_dir)})
        self.con.execute("SET enable_progress_bar = true")
        self.con.execute("SET enable_progress_bar_print = false")
        self.counts = Counts()
        self.no_repeats = False
        self.row_of = ""

    def close(self) -> None:
        self.con.close()

    # -- running one statement while reporting its progress ------------------------------------
    def _run(self, sql: str, stage: Stage | None, params: Sequence[Any] = ()) -> None:
        if stage is None:
            self.con.execute(sql, params)
            return
        failure: list[BaseException] = []

        def work() -> None:
            try:
                self.con.execute(sql, params)
            except BaseException as exc:  # handed to the caller's thread
                failure.append(exc)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.5)
                try:
                    done = self.con.query_progress()
                except duckdb.Error:
                    done = -1
                if done >= 0:
                    stage(min(done, 100.0) / 100)
        except BaseException:  # e.g. Ctrl-C: stop the statement before giving up the file
            self.con.interrupt()
            worker.join()
            raise
        if failure:
            raise failure[0]

    # -- pass 1: parse and check every row -----------------------------------------------------
    def parse(
        self,
        pupils: Sequence[tuple[int, str, str]],
        *,
        agency_urn: str,
        today: date,
        stage: Stage | None,
    ) -> None:
        """Read the file into table `m`: one row per data row, its checked values, and its raw
        values when it fails a check. `pupils`: the agency's (source record, record id, UPN)."""
        self.agency_urn = agency_urn
        by_upn = self._load_pupils(pupils)
        self._run(self._marks_sql(by_upn=by_upn), stage, [today, today])
        self._refuse_unreadable()
        by_upn_rows = self._pupils_by_upn()
        self._count(by_upn_rows)

    def _load_pupils(self, pupils: Sequence[tuple[int, str, str]]) -> bool:
        """Table `pupils` (each with `idx`, its position in record id order) and the ENUM types
        a row's pupil and code are looked up by; when some UPN is held by one pupil only, type
        `att_upn` and table `upn_idx` (its code -> idx) too, and True."""
        con = self.con
        con.execute(
            "CREATE TEMP TABLE pupil_list AS SELECT unnest(?::BIGINT[]) AS source_record, "
            "unnest(?::VARCHAR[]) AS record_id, unnest(?::VARCHAR[]) AS upn",
            [
                [p[0] for p in pupils],
                [p[1] for p in pupils],
                [(p[2] or "").upper().replace(" ", "") for p in pupils],
            ],
        )
        con.execute(
            "CREATE TEMP TABLE pupils AS SELECT (row_number() OVER (ORDER BY record_id) - 1)"
            "::UINTEGER AS idx, source_record, record_id, upn FROM pupil_list"
        )
        counted = con.execute("SELECT count(*) FROM pupils").fetchone()
        self.n_ids = counted[0] if counted else 0
        con.execute("CREATE TYPE att_rid AS ENUM (SELECT record_id FROM pupils ORDER BY idx)")
        upns = con.execute(
            "SELECT upn, min(idx) FROM pupils WHERE upn <> '' GROUP BY upn "
            "HAVING count(*) = 1 ORDER BY upn"
        ).fetchall()
        con.execute(f"CREATE TYPE att_code AS {_enum(CODE_LIST)}")
        con.execute(
            "CREATE TYPE att_upn_all AS ENUM (SELECT DISTINCT upn FROM "
            "(SELECT upn FROM pupils UNION ALL SELECT '') ORDER BY upn)"
        )
        if upns:
            con.execute(
                "CREATE TYPE att_upn AS ENUM (SELECT upn FROM pupils WHERE upn <> '' "
                "GROUP BY upn HAVING count(*) = 1 ORDER BY upn)"
            )
            con.execute(
                "CREATE TEMP TABLE upn_idx AS SELECT (generate_subscripts(l, 1) - 1)::UINTEGER "
                "AS code, unnest(l)::UINTEGER AS idx FROM (SELECT ?::BIGINT[] AS l)",
                [[i for _, i in upns]],
            )
        return bool(upns)

    def _marks_sql(self, *, by_upn: bool) -> str:
        """The statement that reads the file into `m` (its two parameters: today, twice). A
        pupil found by UPN alone gets idx n_ids + the UPN's code, until `_pupils_by_upn`."""
        width = len(self.header.names)
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        source = (
            f"read_csv({_quote(str(self.path))}, header = false, skip = {self.header.line}, "
            f"columns = {columns}, all_varchar = true, auto_detect = false, delim = ',', "
            "quote = '\"', escape = '\"', strict_mode = true, ignore_errors = true, "
            "store_rejects = true, rejects_limit = 0, max_line_size = 1048576)"
        )
        col = {
            c: f"c{self.header.position[c]}" if c in self.header.position else "NULL::VARCHAR"
            for c in COLUMNS
        }
        upn_idx = (
            f"{self.n_ids} + enum_code(try_cast(upper(replace(trim({col['upn']}), ' ', '')) "
            "AS att_upn))"
            if by_upn
            else "NULL"
        )
        urn = _quote(self.agency_urn)
        raw = "[" + ", ".join(f"c{i}" for i in range(width)) + "]"
        return f"""
        CREATE TEMP TABLE m AS
        SELECT row_number() OVER () AS k, key - lag(key) OVER () AS step, *
        FROM (
          SELECT idx, d, pm, code, urn, key, bad, CASE WHEN bad THEN {raw} END AS raw
          FROM (
            SELECT *, CASE WHEN d BETWEEN DATE '{EARLIEST}' AND ?::DATE THEN
                     (idx::BIGINT << 17) | ((d - DATE '{EARLIEST}')::BIGINT << 1) | pm::BIGINT
                   END AS key,
                   idx IS NULL OR d IS NULL OR d > ?::DATE OR d < DATE '{EARLIEST}'
                   OR pm IS NULL OR code IS NULL
                   OR NOT urn_ok AS bad
            FROM (
              SELECT *,
                coalesce(enum_code(try_cast({col["record_id"]} AS att_rid)),
                  CASE WHEN trim(coalesce({col["record_id"]}, '')) <> ''
                       THEN enum_code(try_cast(trim({col["record_id"]}) AS att_rid))
                       ELSE {upn_idx} END) AS idx,
                coalesce(try_cast({col["date"]} AS DATE),
                         try_strptime(trim({col["date"]}), '%d/%m/%Y')::DATE) AS d,
                CASE {col["session"]} WHEN 'AM' THEN false WHEN 'PM' THEN true
                  ELSE CASE upper(trim({col["session"]})) WHEN 'AM' THEN false
                    WHEN 'PM' THEN true END END AS pm,
                coalesce(try_cast({col["code"]} AS att_code),
                         try_cast(upper(trim({col["code"]})) AS att_code)) AS code,
                CASE WHEN {col["school_urn"]} IS NULL OR {col["school_urn"]} = {urn} THEN true
                  ELSE trim({col["school_urn"]}) IN ('', {urn})
                    OR ({urn} = '' AND regexp_full_match(trim({col["school_urn"]}), '[0-9]{{6}}'))
                  END AS urn_ok,
                CASE WHEN {urn} = '' THEN nullif(trim({col["school_urn"]}), '') END AS urn
              FROM {source})))
        """

    def _refuse_unreadable(self) -> None:
        """Keep the rows DuckDB could not read (`rejects`); MarksFileProblem if the file is not
        UTF-8, which no row-by-row quarantine can fix."""
        self.rejects = self.con.execute(
            "SELECT line, any_value(error_type), any_value(error_message), any_value(csv_line) "
            "FROM reject_errors GROUP BY line ORDER BY line"
        ).fetchall()
        for line, error_type, _message, _text in self.rejects:
            if error_type == "INVALID ENCODING":
                raise MarksFileProblem(
                    f"{self.name} is not UTF-8 text (row {line} has bytes that are not UTF-8); "
                    "save it as UTF-8"
                )

    def _pupils_by_upn(self) -> int:
        """Give rows that named their pupil by UPN alone the pupil's idx; how many there were."""
        found = self.con.execute(f"SELECT count(*) FROM m WHERE idx >= {self.n_ids}").fetchone()
        by_upn_rows = found[0] if found else 0
        if by_upn_rows:
            # A mark given by UPN alone belongs to the same pupil as one given by record id.
            self.con.execute(
                f"UPDATE m SET idx = u.idx, key = (u.idx::BIGINT << 17) | (m.key & 131071) "
                f"FROM upn_idx u WHERE m.idx >= {self.n_ids} AND u.code = m.idx - {self.n_ids}"
            )
        return int(by_upn_rows)

    def _count(self, by_upn_rows: int) -> None:
        """Find the repeated marks, then count rows read, loaded and quarantined."""
        total, bad, unsorted, repeated = self.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE bad), count(*) FILTER (WHERE step < 0), "
            "count(*) FILTER (WHERE step = 0) FROM m"
        ).fetchone() or (0, 0, 0, 0)
        # A file in pupil, date, session order (as school systems export) has its repeats
        # next to each other: none there means none at all, with no need to group 23M rows.
        self.no_repeats = not bad and not unsorted and not repeated and not by_upn_rows
        self._find_repeats()
        repeats = self.con.execute("SELECT count(*) FROM repeats").fetchone()
        n_repeats = repeats[0] if repeats else 0
        self.counts = Counts(
            rows_in=total + len(self.rejects),
            loaded=total - bad - n_repeats,
            quarantined=bad + n_repeats + len(self.rejects),
        )

    def _number_rows(self) -> None:
        """Table `numbering`: for row k of `m`, add `skip` to k + header line to get its row
        number; rows DuckDB did not hand on (blank lines, rejected rows) shift the rest."""
        if self.row_of:
            return
        excluded = sorted(
            {line for line, *_ in self.rejects} | set(blank_lines(self.path, self.header.line))
        )
        self.con.execute("CREATE TEMP TABLE excluded (line BIGINT)")
        if excluded:
            self.con.executemany("INSERT INTO excluded VALUES (?)", [[e] for e in excluded])
        first = self.header.line + 1
        self.con.execute(
            "CREATE TEMP TABLE numbering AS SELECT t, max(i) AS skip FROM ("
            f"SELECT line - {first} - i + 2 AS t, i FROM ("
            "SELECT line, row_number() OVER (ORDER BY line) AS i FROM excluded)) GROUP BY t"
        )
        self.row_of = (
            f"(n.k + {self.header.line} + coalesce((SELECT max(skip) FROM numbering "
            "WHERE t <= n.k), 0))"
        )

    def _find_repeats(self) -> None:
        """Table `repeats` (k, first_k): a second mark for the same pupil, date and session."""
        if self.no_repeats:
            self.con.execute("CREATE TEMP TABLE repeats (k BIGINT, first_k BIGINT)")
        else:
            self.con.execute(
                "CREATE TEMP TABLE repeats AS WITH twice AS (SELECT key, min(k) AS first_k "
                "FROM m WHERE NOT bad GROUP BY key HAVING count(*) > 1) "
                "SELECT m.k, twice.first_k FROM m JOIN twice USING (key) "
                "WHERE NOT m.bad AND m.k > twice.first_k"
            )

    # -- what was quarantined, and why ---------------------------------------------------------
    def quarantined(self, *, agency_code: str, today: date) -> Iterator[tuple[int, str, str, Any]]:
        """Every quarantined row as (row number, field(s), reason(s), raw values), in row order.
        The raw values are a list in header order, or the text of a row that could not be read."""
        if not self.counts.quarantined:
            return
        self._number_rows()
        for line, error_type, message, text in self.rejects:
            found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message or "")
            if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS") and found:
                reason = (
                    f"the row has {found[2]} values but the header has {found[1]} columns: "
                    "a value may contain an unquoted comma, or a column is missing"
                )
            else:
                reason = f"cannot be read as CSV ({(message or error_type).splitlines()[0]})"
            yield line, "(whole row)", reason, (text or "").strip("\r\n")
        position = self.header.position
        raw_of = {c: f"raw[{position[c] + 1}]" if c in position else "NULL" for c in COLUMNS}
        who = "record_id" if "record_id" in position else "upn"
        checks = quarantine_reasons_sql(raw_of, who, agency_code, self.agency_urn, today)
        cursor = self.con.execute(
            f"""
            SELECT row_no, problems, raw FROM (
              SELECT {self.row_of} AS row_no,
                list_filter([{checks}], lambda x: x IS NOT NULL) AS problems, n.raw
              FROM m AS n WHERE n.bad
              UNION ALL
              SELECT {self.row_of} AS row_no,
                [{{'field': 'record_id, date, session', 'reason':
                  'repeats the mark for this pupil''s ' || CASE WHEN n.pm THEN 'PM' ELSE 'AM' END
                  || ' session on ' || n.d::VARCHAR || ' given in row '
                  || {self.row_of.replace("n.k", "n.first_k")}::VARCHAR}}] AS problems, NULL
              FROM (SELECT r.k, r.first_k, m.pm, m.d FROM repeats AS r JOIN m USING (k)) AS n)
            ORDER BY row_no
            """
        )
        while batch := cursor.fetchmany(5000):
            for row_no, problems, raw in batch:
                fields = ", ".join(dict.fromkeys(p["field"] for p in problems))
                reason = "; ".join(f"{p['field']} {p['reason']}" for p in problems)
                yield row_no, fields, reason, raw

    # -- pass 2: write the marks ---------------------------------------------------------------
    def write(
        self, target: Path, *, run_id: int, agency_code: str, agency_urn: str, stage: Stage | None
    ) -> None:
        """Write the loaded marks to a Parquet file (zstd), sorted as they came."""
        # Text columns go out as ENUMs (Parquet dictionary columns, read back as text): writing
        # 23M strings one by one costs ten times as much.
        con = self.con
        urns = [
            r[0] for r in con.execute("SELECT DISTINCT urn FROM m WHERE urn IS NOT NULL").fetchall()
        ]
        con.execute(f"CREATE TYPE att_urn AS {_enum(sorted({*urns, agency_urn}))}")
        con.execute(f"CREATE TYPE att_session AS {_enum(['AM', 'PM'])}")
        con.execute(f"CREATE TYPE att_category AS {_enum(CATEGORIES)}")
        category = (
            "CASE "
            + " ".join(
                f"WHEN enum_code(m.code) < {end} THEN {_quote(name)}::att_category"
                for name, end in category_ends()
            )
            + " END"
        )
        repeats = "" if self.no_repeats else "AND m.k NOT IN (SELECT k FROM repeats)"
        # With an agency URN every loaded mark has it (others are quarantined): one constant.
        school_urn = (
            f"{_quote(agency_urn)}::att_urn"
            if agency_urn
            else f"coalesce(m.urn, {_quote(agency_urn)})::att_urn"
        )
        # Record ids and UPNs are written as VARCHAR, not as their ENUMs: a large ENUM column
        # written to Parquet once came back '' for a pupil near a row-group boundary.
        con.execute(
            "CREATE TEMP TABLE pupil_out AS SELECT idx, source_record, "
            "record_id::VARCHAR AS record_id, upn::VARCHAR AS upn FROM pupils"
        )
        sql = f"""
        COPY (
          SELECT {int(run_id)}::BIGINT AS run, p.source_record::BIGINT AS source_record,
            p.record_id, p.upn, {school_urn} AS school_urn, m.d AS date,
            CASE WHEN m.pm THEN 'PM'::att_session ELSE 'AM'::att_session END AS session,
            m.code, {category} AS category
          FROM m JOIN pupil_out AS p ON p.idx = m.idx
          WHERE NOT m.bad {repeats}
        ) TO {_quote(str(target))} (FORMAT parquet, COMPRESSION zstd)
        """
        self._run(sql, stage)

    def changes(self, target: Path, earlier: list[Path]) -> tuple[int, int]:
        """(new, changed): marks not held before, and marks whose code differs from the one
        held (the latest earlier import of that pupil, date and session)."""
        if not earlier:
            return self.counts.loaded, 0
        files = "[" + ", ".join(_quote(str(p)) for p in earlier) + "]"
        row = self.con.execute(
            f"""
            WITH n AS (SELECT * FROM read_parquet({_quote(str(target))})),
            e AS (SELECT * FROM read_parquet({files})
                  WHERE date BETWEEN (SELECT min(date) FROM n) AND (SELECT max(date) FROM n)
                  QUALIFY row_number() OVER (PARTITION BY source_record, date, session
                                             ORDER BY run DESC) = 1)
            SELECT count(*) FILTER (WHERE e.code IS NULL),
                   count(*) FILTER (WHERE e.code IS NOT NULL AND e.code <> n.code)
            FROM n LEFT JOIN e USING (source_record, date, session)
            """
        ).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def last_row_quarantined(self) -> bool:
        """Whether the file's last row was quarantined (with no newline after it, the file
        looks cut short)."""
        self._number_rows()
        last = self.con.execute("SELECT bad FROM m ORDER BY k DESC LIMIT 1").fetchone()
        last_reject = self.rejects[-1][0] if self.rejects else 0
        last_good_line = self.con.execute(
            f"SELECT max({self.row_of}) FROM (SELECT max(k) AS k FROM m) AS n"
        ).fetchone()
        good_line = last_good_line[0] if last_good_line and last_good_line[0] else 0
        if last_reject > good_line:
            return True
        return bool(last and last[0])


def timed(stage: Stage | None, start: float, end: float) -> Stage | None:
    """Map a statement's progress (0..1) into [start, end] of the whole import."""
    if stage is None:
        return None
    return lambda done: stage(start + (end - start) * done)
