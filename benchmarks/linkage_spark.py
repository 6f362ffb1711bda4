"""The Spark engine against DuckDB: the same `link_records` (train + score + rules + cluster)
on the same synthetic area, and whether the two give the same children.

Claim (issue 3): `--engine spark` runs the same model on Spark, for areas that outgrow one
machine. On one small machine Spark is expected to be slower (its cost is per query, and
training runs hundreds); this measures by how much, and checks the clusters agree.

Run: `uv run python benchmarks/linkage_spark.py [--size 10000] [--master local[2]]`.
Spark start-up (a JVM) is timed apart from linking.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from dataclasses import asdict
from itertools import combinations

import pandas as pd

from joinedup.linkage import link_records
from joinedup.linkage.engine import DuckDBEngine, SparkEngine


def area(size: int) -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    from joinedup.demo.generator import generate_area

    generated = generate_area(children=max(10, round(size / 2.19)), seed=2026)
    frame = pd.DataFrame([asdict(r) for r in generated.records])
    truth = {(r.agency_code, r.record_id): r.person_id for r in generated.records}
    frame = frame.rename(columns={"agency_code": "agency"}).drop(
        columns=["person_id", "attributes"]
    )
    return frame, truth


def pairwise(clusters: pd.DataFrame, truth: dict[tuple[str, str], str]) -> tuple[float, float]:
    def pairs(groups: dict[str, list[tuple[str, str]]]) -> set[frozenset[tuple[str, str]]]:
        return {frozenset(p) for members in groups.values() for p in combinations(members, 2)}

    predicted: dict[str, list[tuple[str, str]]] = {}
    for agency, record_id, cluster_id in clusters.itertuples(index=False):
        predicted.setdefault(cluster_id, []).append((agency, record_id))
    actual: dict[str, list[tuple[str, str]]] = {}
    for key, person in truth.items():
        actual.setdefault(person, []).append(key)
    p, a = pairs(predicted), pairs(actual)
    hits = len(p & a)
    return hits / max(len(p), 1), hits / max(len(a), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="about this many records")
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    args = parser.parse_args()

    records, truth = area(args.size)
    rows = []
    started = time.perf_counter()
    on_duckdb = link_records(records, engine=DuckDBEngine())
    rows.append(("duckdb", time.perf_counter() - started, on_duckdb.clusters))

    with tempfile.TemporaryDirectory() as work_dir:
        started = time.perf_counter()
        spark = SparkEngine(master=args.master, work_dir=work_dir)
        start_up = time.perf_counter() - started
        started = time.perf_counter()
        on_spark = link_records(records, engine=spark)
        rows.append((f"spark {args.master}", time.perf_counter() - started, on_spark.clusters))
        spark.close()
        spark.spark.stop()

    key = ["agency", "record_id"]
    a = on_duckdb.clusters.sort_values(key, ignore_index=True)
    b = on_spark.clusters.sort_values(key, ignore_index=True)
    differing = int((a["cluster_id"] != b["cluster_id"]).sum())

    print(
        f"### linkage_spark.py — {dt.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, {len(records):,} records\n"
    )
    print("| engine | records | link seconds | precision | recall |")
    print("| --- | --- | --- | --- | --- |")
    for name, seconds, clusters in rows:
        precision, recall = pairwise(clusters[key + ["cluster_id"]], truth)
        print(f"| {name} | {len(records):,} | {seconds:.1f} | {precision:.4f} | {recall:.4f} |")
    print(f"\nSpark start-up (JVM, not in link seconds): {start_up:.1f} s.")
    print(f"Records whose cluster differs between the engines: {differing}.")


if __name__ == "__main__":
    main()
