"""The engine seam: where Splink's SQL runs. DuckDB (embedded) or Apache Spark.

An engine registers a prepared feature table with a Splink database API and reads results
back as pandas. Everything else (settings, rule SQL over comparison vectors, clustering) is
engine-neutral: Splink writes each comparison level's SQL in the engine's dialect.

- `DuckDBEngine`: in-process, fastest on one machine (the default).
- `SparkEngine`: the same model on Spark, for areas that outgrow one machine. Locally it runs
  Spark in `local[2]` mode inside this process (a JVM: it needs Java 17 or later); pointed at
  a cluster (`master="spark://host:7077"`) it runs there. About ten times slower than DuckDB
  on two cores, so it pays only where the data no longer fits one machine.

`engine_create(name, ...)` picks one by name. This package imports no Django: the Spark
master, work directory and Java location come in as arguments (settings pass them).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

__all__ = [
    "ENGINES",
    "DuckDBEngine",
    "EngineUnavailable",
    "LinkageEngine",
    "SparkEngine",
    "engine_create",
    "java_check",
    "model_translate",
]

ENGINES = ("duckdb", "spark")
JAVA_MINIMUM = 17


class LinkageEngine(Protocol):
    name: str

    def register(self, features: pd.DataFrame, table: pa.Table | None = None) -> Any:
        """Register the feature table and return Splink's SplinkDataFrame for it. `table`:
        the same features as Arrow, when the caller has them (`prepare.prepare_table`)."""
        ...

    def to_pandas(self, splink_df: Any) -> pd.DataFrame: ...

    def close(self) -> None:
        """Release the engine's connections and scratch space."""
        ...


class EngineUnavailable(ValueError):
    """The engine cannot run on this machine (say Spark without Java 17 or later)."""


_serial = itertools.count()

# DuckDB's working memory for one link; beyond it DuckDB spills to disk.
MEMORY_LIMIT = "1GB"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def _checked_size(value: str) -> str:
    """A DuckDB memory size such as '1GB' or '1536MB'; anything else is refused."""
    if not _SIZE.match(value.strip()):
        raise ValueError(f"memory limit {value!r} is not a size such as '1GB' or '1536MB'")
    return value.strip()


class DuckDBEngine:
    """In-process DuckDB (one fresh in-memory database per engine)."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str = MEMORY_LIMIT) -> None:
        import duckdb
        from splink import DuckDBAPI

        limit = _checked_size(memory_limit)
        self._con = duckdb.connect(":memory:")
        # Splink's tables need no row order, and DuckDB spills what exceeds the limit to its own
        # scratch directory instead of holding every blocked pair in memory (1M records: peak
        # 4.8 GB without a limit, 2.9 GB with 1 GB; benchmarks/README.md).
        self._scratch = tempfile.mkdtemp(prefix="joinedup-duckdb-")
        self._con.execute("SET preserve_insertion_order = false")
        self._con.execute("SET temp_directory = ?", [self._scratch])
        self._con.execute(f"SET memory_limit = '{limit}'")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        self.db_api = DuckDBAPI(self._con)

    def register(self, features: pd.DataFrame, table: pa.Table | None = None) -> Any:
        if table is None:
            table = pa.Table.from_pandas(features, preserve_index=False)
        return self.db_api.register(table, dataset_display_name=f"records_{next(_serial)}")

    def to_pandas(self, splink_df: Any) -> pd.DataFrame:
        return splink_df.as_pandas_dataframe()

    def close(self) -> None:
        self._con.close()
        shutil.rmtree(self._scratch, ignore_errors=True)


def model_translate(model: str, dialect: str) -> str:
    """The same trained model with its SQL written for `dialect` (an engine's name).

    Splink saves a model with each level's SQL in the dialect of the engine that trained
    it. A model moves between engines by rebuilding the settings from `model.py` in the
    other dialect and carrying over what training learned (the prior, and each level's m
    and u). Models are stored in DuckDB's dialect whichever engine trained them, because
    real-time matching reads the stored model's DuckDB SQL. A saved model whose
    comparisons or levels differ from `model.py`'s (an older version) cannot be moved:
    ValueError, saying to train afresh.
    """
    from joinedup.linkage.model import linker_settings

    saved = json.loads(model)
    if saved.get("sql_dialect", "duckdb") == dialect:
        return model
    template = linker_settings().get_settings(dialect).as_dict()

    def shape(settings: dict[str, Any]) -> list[tuple[str, list[str]]]:
        return [
            (
                c["output_column_name"],
                [lv.get("label_for_charts", "") for lv in c["comparison_levels"]],
            )
            for c in settings["comparisons"]
        ]

    if shape(saved) != shape(template):
        raise ValueError(
            f"The saved model (trained on {saved.get('sql_dialect')}) has different comparisons "
            f"or levels from this version's model, so it cannot run on {dialect}: link without "
            "the saved model to train one afresh."
        )
    # Everything but the SQL (link type, prior, options) stays as saved.
    target = dict(saved, sql_dialect=dialect)
    target["blocking_rules_to_generate_predictions"] = template[
        "blocking_rules_to_generate_predictions"
    ]
    target["comparisons"] = template["comparisons"]
    for comparison, learned in zip(template["comparisons"], saved["comparisons"], strict=True):
        for level, known in zip(
            comparison["comparison_levels"], learned["comparison_levels"], strict=True
        ):
            for key in ("m_probability", "u_probability"):
                if key in known:
                    level[key] = known[key]
    return json.dumps(target, sort_keys=True)


# ------------------------------------------------------------------------------------ Spark


def java_check(java_home: str | Path | None = None) -> int:
    """The major version of the Java that Spark will start; EngineUnavailable if it cannot.

    `java_home` (as JAVA_HOME) wins; otherwise `java` on the PATH, as Spark itself looks.
    """
    need = f"The Spark engine needs Java {JAVA_MINIMUM} or later"
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not java.is_file():
            raise EngineUnavailable(
                f"{need}: JAVA_HOME is {java_home}, but there is no {java}. "
                "Install a JDK (Debian: apt-get install openjdk-17-jre-headless) "
                "and point JAVA_HOME at it, or unset JAVA_HOME to use java on the PATH."
            )
        command = str(java)
    else:
        found = shutil.which("java")
        if found is None:
            raise EngineUnavailable(
                f"{need}, and there is no java on the PATH. Install one "
                "(Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME."
            )
        command = found
    try:
        shown = subprocess.run(  # noqa: S603 - the java binary found above, fixed arguments
            [command, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as error:
        raise EngineUnavailable(f"{need}: {command} does not run ({error}).") from error
    match = re.search(r'version "(\d+)(?:\.(\d+))?', shown.stderr + shown.stdout)
    if match is None:
        raise EngineUnavailable(f"{need}: {command} -version does not say which version it is.")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0" is Java 8
        major = int(match.group(2))
    if major < JAVA_MINIMUM:
        raise EngineUnavailable(f"{need}; {command} is Java {major}.")
    return major


_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""
_session_lock = threading.Lock()


def spark_session(
    *, master: str, work_dir: Path, java_home: str | Path | None, shuffle_partitions: int
) -> Any:
    """Start Spark configured for Splink, or reuse the session this process already has.

    A process holds one Spark session: the first call starts it (a JVM, several seconds)
    with Splink's similarity functions (jaro_winkler, damerau_levenshtein) on its class
    path, quiet logging, no web UI, and scratch space under `work_dir`; later calls reuse it.
    """
    java_check(java_home)
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    with _session_lock:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        if java_home:
            # Spark's launcher reads JAVA_HOME; use the Java that java_check accepted.
            os.environ["JAVA_HOME"] = str(java_home)
        work_dir.mkdir(parents=True, exist_ok=True)
        log_config = work_dir / "log4j2.properties"
        log_config.write_text(_LOG4J)
        local = master.startswith("local")
        builder = (
            SparkSession.builder.master(master)
            .appName("joinedup-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config}")
            .config("spark.local.dir", str(work_dir / "tmp"))
            .config("spark.sql.warehouse.dir", str(work_dir / "warehouse"))
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
            # In local mode the driver is the only executor: Spark's 1 GB default runs out
            # of heap at 10k records while Splink's intermediate tables are cached.
            .config("spark.driver.memory", "4g")
            .config("spark.default.parallelism", str(shuffle_partitions))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
        )
        if local:
            # In one process Spark's cost is per query (Splink runs hundreds while training),
            # not per row: compiling each query to Java code costs more than it saves, and
            # adaptive planning re-plans queries that are already small.
            for key, value in {
                "spark.driver.host": "127.0.0.1",
                "spark.driver.bindAddress": "127.0.0.1",
                "spark.sql.codegen.wholeStage": "false",
                "spark.sql.codegen.factoryMode": "NO_CODEGEN",
                "spark.sql.adaptive.enabled": "false",
            }.items():
                builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return session


# Feature columns holding lists (prepare.py). Spark needs every column's type up front, and a
# column with no values in this data (say no former UPNs) says nothing about its own.
ARRAY_FEATURES = frozenset({"first_name_canon", "given_tokens", "family_name_parts", "upn_set"})


def _arrow_table(features: pd.DataFrame, table: pa.Table | None = None) -> pa.Table:
    """The feature table for Spark: lists as list<string>, other empty columns as strings."""
    if table is None:
        table = pa.Table.from_pandas(features, preserve_index=False)
    fields = []
    for field in table.schema:
        if field.name in ARRAY_FEATURES:
            field = field.with_type(pa.list_(pa.string()))
        elif pa.types.is_null(field.type):
            field = field.with_type(pa.string())
        fields.append(field)
    return table.cast(pa.schema(fields))


def _register_duckdb_names(spark: Any) -> None:
    """Give Splink's Java similarity functions the names sqlglot writes for DuckDB's.

    model.py writes some levels in DuckDB SQL (`jaro_winkler_similarity(a, b) >= 0.8 or ...`)
    and Splink translates them with sqlglot, which spells DuckDB's function as Spark SQL
    `jarowinkler_similarity` - a function Spark does not have. Registering the Splink jar's
    Jaro-Winkler (the one Splink's own Spark levels use) under that name makes the
    translated SQL run unchanged.
    """
    from pyspark.sql.types import DoubleType

    spark.udf.registerJavaFunction(
        "jarowinkler_similarity", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity", DoubleType()
    )


class SparkEngine:
    """Splink on Apache Spark (`splink.SparkAPI`).

    `master` is Spark's master URL: `local[2]` (the default) runs Spark inside this process
    on two cores; a cluster URL runs the model there. `work_dir` holds Spark's scratch
    files and the checkpoints Splink writes between steps (a temporary directory if not
    given); this engine's checkpoints are removed by `close()`. `break_lineage` is how
    Splink keeps intermediate tables: "persist" (the default) caches them, in memory and
    spilling to local disk; "parquet" writes them under the checkpoint directory (which a
    cluster's workers must then share).
    """

    name = "spark"

    def __init__(
        self,
        *,
        master: str = "local[2]",
        work_dir: str | Path | None = None,
        java_home: str | Path | None = None,
        shuffle_partitions: int | None = None,
        break_lineage: str = "persist",
    ) -> None:
        from splink.backends.spark import SparkAPI

        base = Path(work_dir) if work_dir else Path(tempfile.gettempdir()) / "joinedup-spark"
        partitions = shuffle_partitions or (4 if master.startswith("local") else 200)
        self.spark = spark_session(
            master=master, work_dir=base, java_home=java_home, shuffle_partitions=partitions
        )
        self._checkpoints = base / "checkpoints" / uuid.uuid4().hex
        self._checkpoints.mkdir(parents=True, exist_ok=True)
        self.spark.sparkContext.setCheckpointDir(str(self._checkpoints))
        self._views_before = self._temp_views()
        self.db_api = SparkAPI(
            spark_session=self.spark,
            break_lineage_method=break_lineage,
            num_partitions_on_repartition=max(1, partitions // 2),
        )
        _register_duckdb_names(self.spark)

    def _temp_views(self) -> set[str]:
        rows = self.spark.sql("show tables").collect()
        return {row.tableName for row in rows if row.isTemporary}

    def register(self, features: pd.DataFrame, table: pa.Table | None = None) -> Any:
        frame = self.spark.createDataFrame(_arrow_table(features, table))
        return self.db_api.register(frame, dataset_display_name=f"records_{next(_serial)}")

    def to_pandas(self, splink_df: Any) -> pd.DataFrame:
        return splink_df.as_pandas_dataframe()

    def close(self) -> None:
        """Drop the tables this engine made, uncache, delete its checkpoints. The session
        stays for the next engine (one engine runs at a time in a process)."""
        for view in self._temp_views() - self._views_before:
            self.spark.catalog.dropTempView(view)
        self.spark.catalog.clearCache()
        shutil.rmtree(self._checkpoints, ignore_errors=True)


def engine_create(
    name: str,
    *,
    spark_master: str = "local[2]",
    work_dir: str | Path | None = None,
    java_home: str | Path | None = None,
) -> DuckDBEngine | SparkEngine:
    """The engine called `name` (one of ENGINES), ready to run."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine(master=spark_master, work_dir=work_dir, java_home=java_home)
    raise EngineUnavailable(f"Unknown linkage engine {name!r}: choose one of {', '.join(ENGINES)}.")
