"""The Spark engine runs the same model as DuckDB and gives the same children.

Spark here is local[2] inside the test process (started once per session, see
tests/conftest.py). Data stay small: Spark pays a fixed cost per query, about ten times
DuckDB's on two cores.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from joinedup.linkage import link_records
from joinedup.linkage.engine import (
    DuckDBEngine,
    EngineUnavailable,
    SparkEngine,
    engine_create,
    java_check,
    model_translate,
)


@pytest.fixture(scope="module")
def small_area() -> pd.DataFrame:
    from joinedup.demo.generator import generate_area

    area = generate_area(children=150, seed=23)
    frame = pd.DataFrame([asdict(r) for r in area.records]).rename(
        columns={"agency_code": "agency"}
    )
    return frame.drop(columns=["person_id", "attributes"])


def _levels(model_json: str) -> list[tuple[str, str, str]]:
    """Each level's comparison, label and SQL, in order."""
    return [
        (c["output_column_name"], lv.get("label_for_charts", ""), lv["sql_condition"])
        for c in json.loads(model_json)["comparisons"]
        for lv in c["comparison_levels"]
    ]


def _parameters(model_json: str) -> list[float]:
    saved = json.loads(model_json)
    numbers = [saved["probability_two_random_records_match"]]
    for comparison in saved["comparisons"]:
        for level in comparison["comparison_levels"]:
            numbers += [level.get("m_probability", -1.0), level.get("u_probability", -1.0)]
    return numbers


def test_spark_trains_and_links_a_small_area_as_duckdb_does(
    small_area: pd.DataFrame, spark_session: Any, spark_work_dir: Path
) -> None:
    on_duckdb = link_records(small_area, engine=DuckDBEngine())
    spark = SparkEngine(work_dir=spark_work_dir)
    try:
        on_spark = link_records(small_area, engine=spark)
    finally:
        spark.close()

    key = ["agency", "record_id"]
    pd.testing.assert_frame_equal(
        on_duckdb.clusters.sort_values(key, ignore_index=True),
        on_spark.clusters.sort_values(key, ignore_index=True),
    )
    pairs = key[0] + "_l", key[1] + "_l", key[0] + "_r", key[1] + "_r"
    both = on_duckdb.pairs.merge(on_spark.pairs, on=list(pairs), suffixes=("_d", "_s"))
    assert len(both) == len(on_duckdb.pairs) == len(on_spark.pairs)
    assert (both["decided_by_d"] == both["decided_by_s"]).all()
    assert (both["evidence_d"] == both["evidence_s"]).all()  # same comparison levels
    # The same training on the same pairs: the parameters agree to the rounding of sums
    # taken in a different order (and random pair samples drawn by each engine's own RNG).
    assert both["match_probability_s"].to_numpy() == pytest.approx(
        both["match_probability_d"].to_numpy(), abs=1e-3
    )
    # Stored in DuckDB's SQL whichever engine trained it (real-time matching reads it).
    assert json.loads(on_spark.model_json)["sql_dialect"] == "duckdb"
    assert _levels(on_spark.model_json) == _levels(on_duckdb.model_json)


def test_a_model_moves_between_engines_with_its_parameters(trained: str) -> None:
    on_spark = model_translate(trained, "spark")
    assert json.loads(on_spark)["sql_dialect"] == "spark"
    assert _levels(on_spark) != _levels(trained)  # Spark's SQL
    assert _parameters(on_spark) == _parameters(trained)
    back = model_translate(on_spark, "duckdb")
    assert _levels(back) == _levels(trained)
    assert _parameters(back) == _parameters(trained)
    assert model_translate(trained, "duckdb") == trained


def test_a_model_from_another_version_cannot_move(trained: str) -> None:
    older = json.loads(trained)
    older["comparisons"][0]["comparison_levels"].pop()
    with pytest.raises(ValueError, match="train one afresh"):
        model_translate(json.dumps(older), "spark")


def test_without_java_the_spark_engine_says_what_it_needs(tmp_path: Path) -> None:
    nowhere = tmp_path / "no-jdk-here"
    with pytest.raises(EngineUnavailable, match=r"needs Java 17 or later: JAVA_HOME is .*no-jdk"):
        engine_create("spark", java_home=nowhere, work_dir=tmp_path)
    assert java_check() >= 17  # the Java this machine has


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(EngineUnavailable, match="choose one of duckdb, spark"):
        engine_create("oracle")
