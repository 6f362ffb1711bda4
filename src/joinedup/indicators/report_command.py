"""`joinedup indicators report`: the fairness and hit-rate report in the terminal.

The `indicators` management command dispatches its `report` subcommand here. Like the page it
prints aggregates only (suppressed below 10 children) and is audited as one aggregate read.

    joinedup indicators report [--term 2025-26-spring] [--outcome persistent_absence]
                               [--format table|json|csv] [--resamples 1000] [--seed 0]
    joinedup indicators report --save-page [--term 2025-26-spring] [--outcome ...]

`--save-page` works out the report page's figures for every outcome (or the one given) and
keeps them, so that the page opens at once (nightly, from cron); one line per outcome.
"""

from __future__ import annotations

import argparse
import csv
import json
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.indicators.area import rules_load
from joinedup.indicators.cohort import DIMENSIONS
from joinedup.indicators.outcomes import OUTCOMES
from joinedup.indicators.report import ReportError, report_build, report_dict, report_rows
from joinedup.indicators.report_snapshots import snapshot_build
from joinedup.indicators.report_tables import format_text, report_tables
from joinedup.indicators.rulefile import RuleFileError

CSV_FIELDS = [
    "rule_set",
    "dimension",
    "group",
    "measure",
    "value",
    "low",
    "high",
    "suppressed",
    "breach",
    "reference",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--term",
        default=None,
        help="the held-out term, e.g. 2025-26-spring (default: the latest term with marks)",
    )
    parser.add_argument(
        "--outcome",
        default=None,
        choices=OUTCOMES,
        help="default: persistent_absence (with --save-page: every outcome)",
    )
    parser.add_argument("--format", default="table", choices=("table", "json", "csv"))
    parser.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="CHARACTERISTIC=GROUP",
        help="the group others are compared with, e.g. fsm='Not FSM eligible' "
        f"(characteristics: {', '.join(DIMENSIONS)}; default: the largest group)",
    )
    parser.add_argument(
        "--rules",
        default=None,
        help="a rule file to test instead of the area's (e.g. a draft of the next version)",
    )
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument(
        "--save-page",
        action="store_true",
        help="work out and keep the report page's figures for every outcome (nightly)",
    )
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=10,
        help="school days between the checks that date each child's first flag",
    )


def _save_page(term: str | None, outcomes: list[str], stdout: TextIO) -> None:
    for outcome in outcomes:
        # The kept figures and their audit entry together, as on the page.
        with transaction.atomic():
            try:
                snapshot = snapshot_build(term=term, outcome=outcome)
            except ReportError as exc:
                raise CommandError(f"indicators report --save-page: {exc}") from exc
            audit_record(
                actor=None,
                action="indicators.report.rebuild",
                object_type="indicator_report",
                object_ref=snapshot.term_key,
                detail={"aggregate": True, "outcome": outcome, "via": "cli"},
            )
        stdout.write(f"Kept the report page's figures for {snapshot.term_name}: {outcome}")


def handle(options: dict[str, Any], stdout: TextIO) -> None:
    if options.get("save_page"):
        if options.get("rules") or options.get("reference"):
            raise CommandError(
                "indicators report --save-page: the page shows the area's rule file with the "
                "largest groups as reference; leave out --rules and --reference"
            )
        outcome = options.get("outcome")
        _save_page(options.get("term"), [outcome] if outcome else list(OUTCOMES), stdout)
        return
    rules = None
    if options.get("rules"):
        try:
            rules = rules_load(options["rules"])
        except RuleFileError as exc:
            raise CommandError(f"indicators report: {exc}") from exc
    references = {}
    for item in options.get("reference") or []:
        dimension, _, group = item.partition("=")
        if dimension not in DIMENSIONS or not group:
            raise CommandError(
                f"indicators report: --reference {item!r} is not CHARACTERISTIC=GROUP with a "
                f"characteristic of {', '.join(DIMENSIONS)}"
            )
        references[dimension] = group
    with transaction.atomic():
        try:
            report = report_build(
                references=references,
                rules=rules,
                term=options.get("term"),
                outcome=options.get("outcome") or "persistent_absence",
                n_boot=options.get("resamples", 1000),
                seed=options.get("seed", 0),
                checkpoint_every=options.get("checkpoint_every", 10),
            )
        except ReportError as exc:
            raise CommandError(f"indicators report: {exc}") from exc
        audit_record(
            actor=None,
            action="indicators.report.view",
            object_type="indicator_report",
            object_ref=report.term.key,
            detail={
                "aggregate": True,
                "outcome": report.outcome,
                "via": "cli",
                "rules": options.get("rules") or "",
            },
        )
    fmt = options.get("format") or "table"
    if fmt == "json":
        # One write: Django's OutputWrapper ends every write with a newline.
        stdout.write(json.dumps(report_dict(report), indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(report_rows(report))
    else:
        stdout.write(
            f"Fairness and hit-rate report: flags at {report.previous.end} (end of "
            f"{report.previous.name}) against {report.outcome_name.lower()} in "
            f"{report.term.name}\nChildren: {report.cohort.text()}; base rate "
            f"{report.base_rates[report.outcome].text('percent')}; counts under 10 "
            "are suppressed\n\n"
        )
        for table in report_tables(report):
            stdout.write(format_text(table) + "\n\n")
