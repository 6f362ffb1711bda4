"""Where the indicator SQL runs: DuckDB (embedded, the default) or Apache Spark.

The statements are the same on both (`sql.py` writes only what both dialects accept: no
QUALIFY, no FILTER, no DuckDB-only functions; `max_by` and `dayofweek` exist in both). Only the
wrapper differs: DuckDB materialises a step as a temporary table, Spark as a cached temporary
view. Pure Python (no Django).
"""

# Statements here name tables this package chooses and files quoted by _quote(); no value read
# from marks or events is put into a statement's text.
# ruff: noqa: S608

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

__all__ = ["Backend", "DuckDBBackend", "SparkBackend"]

# Column types as written in `load_rows`, and their Spark names.
SPARK_TYPES = {"BIGINT": "bigint", "VARCHAR": "string", "DATE": "date"}


class Backend(Protocol):
    name: str

    def load_marks(self, name: str, paths: Sequence[Path]) -> None:
        """Make the marks Parquet files readable as the view `name`."""
        ...

    def load_rows(
        self, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Make `rows` readable as the table `name` with (column, type) `columns`."""
        ...

    def create(self, name: str, select: str) -> None:
        """Run `select` once and keep its result as `name`."""
        ...

    def view(self, name: str, select: str) -> None:
        """Name `select` (run again wherever it is read)."""
        ...

    def span(self, path: Path) -> tuple[Any, ...]:
        """(first school URN, last school URN, first date, last date) of one marks file."""
        ...

    def rows(self, select: str) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...


class DuckDBBackend:
    name = "duckdb"

    def __init__(self, *, threads: int | None = None, memory_limit: str = "2GB") -> None:
        import duckdb

        self._scratch = tempfile.mkdtemp(prefix="joinedup-indicators-")
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET temp_directory = ?", [self._scratch])
        self.con.execute("SET memory_limit = ?", [memory_limit])
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def load_marks(self, name: str, paths: Sequence[Path]) -> None:
        files = "[" + ", ".join(_quote(str(p)) for p in paths) + "]"
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet({files})"
        )

    def load_rows(
        self, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        import pyarrow as pa

        kinds = {"BIGINT": pa.int64(), "VARCHAR": pa.string(), "DATE": pa.date32()}
        table = pa.table(
            {c: pa.array([r[i] for r in rows], kinds[t]) for i, (c, t) in enumerate(columns)}
        )
        self.con.register(f"{name}_arrow", table)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")

    def create(self, name: str, select: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")

    def view(self, name: str, select: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")

    def span(self, path: Path) -> tuple[Any, ...]:
        row = self.con.execute(
            "SELECT min(school_urn), max(school_urn), min(date), max(date) "
            f"FROM read_parquet({_quote(str(path))})"
        ).fetchone()
        return tuple(row) if row else (None, None, None, None)

    def rows(self, select: str) -> list[tuple[Any, ...]]:
        return self.con.execute(select).fetchall()

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._scratch, ignore_errors=True)


class SparkBackend:
    """Runs on a SparkSession the caller made (and stops)."""

    name = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self._cached: list[Any] = []
        self._views: list[str] = []

    def load_marks(self, name: str, paths: Sequence[Path]) -> None:
        self.spark.read.parquet(*[str(p) for p in paths]).createOrReplaceTempView(name)
        self._views.append(name)

    def load_rows(
        self, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        schema = ", ".join(f"{c} {SPARK_TYPES[t]}" for c, t in columns)
        self.spark.createDataFrame(list(rows), schema).createOrReplaceTempView(name)
        self._views.append(name)

    def create(self, name: str, select: str) -> None:
        frame = self.spark.sql(select).cache()
        self._cached.append(frame)
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def view(self, name: str, select: str) -> None:
        self.spark.sql(select).createOrReplaceTempView(name)
        self._views.append(name)

    def span(self, path: Path) -> tuple[Any, ...]:
        from pyspark.sql import functions as f

        frame = self.spark.read.parquet(str(path))
        row = frame.agg(
            f.min("school_urn"), f.max("school_urn"), f.min("date"), f.max("date")
        ).collect()[0]
        return tuple(row)

    def rows(self, select: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(select).collect()]

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        for name in self._views:
            self.spark.catalog.dropTempView(name)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
