"""Precision and recall of the default rule set against "persistent absence alone", on the
synthetic area's held-out term, overall and by group.

Claim (issue 4, measured target): on the synthetic area's held-out term, the table of precision
and recall of the default indicator rule set vs the persistent-absence-alone baseline, overall
and by group (sex, ethnicity group, SEN, FSM, CIN/CLA), with 95 % bootstrap intervals. Counts
under 10 are suppressed as on the report page.

The area is generated (seeded), written as the agencies' extract files, imported through the
real import path and linked (`demo.through_import.area_import_and_link`) into a scratch SQLite
database in a temporary folder (or DATABASE_URL's database when set); then `report_build` runs
on the latest term, with the flags as they were at the end of the term before.

Run: `uv run python benchmarks/indicators_fairness.py [--children 3000] [--seed 1]
[--outcome persistent_absence] [--resamples 1000]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def _setup(children: int, seed: int, schools: int) -> float:
    if "DATABASE_URL" not in os.environ:
        os.environ["JOINEDUP_VAR_DIR"] = tempfile.mkdtemp(prefix="joinedup-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from joinedup.demo.generator import generate_area
    from joinedup.demo.through_import import area_import_and_link

    started = time.perf_counter()
    area = generate_area(children=children, seed=seed, schools=schools)
    area_import_and_link(area, Path(settings.VAR_DIR) / "area")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--schools", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--outcome", default="persistent_absence")
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    build_seconds = _setup(args.children, args.seed, args.schools)

    from joinedup.indicators.cohort import DIMENSIONS
    from joinedup.indicators.fairness import Row
    from joinedup.indicators.report import report_build
    from joinedup.indicators.report_tables import TextTable, format_text, rate_text

    started = time.perf_counter()
    report = report_build(outcome=args.outcome, n_boot=args.resamples)
    report_seconds = time.perf_counter() - started
    default, baseline = report.rule_sets
    headers = [
        "Group",
        "Children",
        "Precision: default",
        "Precision: PA alone",
        "Recall: default",
        "Recall: PA alone",
    ]
    rows = []

    def add(label: str, d: Row, b: Row) -> None:
        rates = [r.rates[m] for m in ("precision", "recall") for r in (d, b)]
        rows.append([label, d.counts["children"].text(), *[rate_text(c) for c in rates]])

    add("All children", default.overall, baseline.overall)
    for dim, title in DIMENSIONS.items():
        for d, b in zip(default.by_group[dim].rows, baseline.by_group[dim].rows, strict=True):
            add(f"{title}: {d.label}", d, b)
    caption = (
        f"{report.outcome_name} in {report.term.name}, flags at {report.previous.end} "
        f"(base rate {report.base_rates[report.outcome].text('percent')}; 95% bootstrap "
        f"intervals, {report.n_boot} resamples)"
    )
    print(format_text(TextTable(caption, headers, rows)))
    print()
    load = os.getloadavg()
    print(
        f"area: {args.children} children, {args.schools} schools, seed {args.seed}; "
        f"generate+import+link {build_seconds:.1f} s; report {report_seconds:.1f} s "
        f"({len(report.checkpoints)} rule evaluations); load average {load[0]:.2f} "
        f"(2 cores shared with other work: seconds are inflated, the figures are not)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
