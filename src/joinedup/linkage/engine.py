"""The engine seam: where Splink's SQL runs. DuckDB (embedded) now; Spark later.

An engine registers a prepared feature table with a Splink database API and reads results
back as pandas. Everything else (settings, rule SQL over comparison vectors, clustering) is
engine-neutral, so a `SparkEngine` wrapping `splink.SparkAPI` only has to implement this.
"""

from __future__ import annotations

import itertools
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

__all__ = ["DuckDBEngine", "LinkageEngine"]


class LinkageEngine(Protocol):
    name: str

    def register(self, features: pd.DataFrame) -> Any:
        """Register the feature table and return Splink's SplinkDataFrame for it."""
        ...

    def to_pandas(self, splink_df: Any) -> pd.DataFrame: ...


_serial = itertools.count()


class DuckDBEngine:
    """In-process DuckDB (one fresh in-memory database per engine)."""

    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        import duckdb
        from splink import DuckDBAPI

        self._con = duckdb.connect(":memory:")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        self.db_api = DuckDBAPI(self._con)

    def register(self, features: pd.DataFrame) -> Any:
        table = pa.Table.from_pandas(features, preserve_index=False)
        return self.db_api.register(table, dataset_display_name=f"records_{next(_serial)}")

    def to_pandas(self, splink_df: Any) -> pd.DataFrame:
        return splink_df.as_pandas_dataframe()

    def close(self) -> None:
        self._con.close()
