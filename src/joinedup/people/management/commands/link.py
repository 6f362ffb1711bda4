from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from joinedup.linkage.engine import ENGINES
from joinedup.linkage.thresholds import MATCH_THRESHOLD, REVIEW_FLOOR
from joinedup.people.link_runs import link_run_execute


class Command(BaseCommand):
    help = (
        "Link every agency record into the person index: strong identifiers first, then a "
        "probabilistic model trained on the area's own data. Existing children keep their "
        "ids; proposed merges and splits, and uncertain pairs, go to the review queue."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--engine",
            choices=list(ENGINES),
            default="duckdb",
            help=(
                "Where the model runs: duckdb (the default) on this machine; spark on Apache "
                "Spark, in this process (JOINEDUP_SPARK_MASTER=local[2]) or on a cluster "
                "(JOINEDUP_SPARK_MASTER=spark://host:7077), for areas that outgrow one "
                "machine. Spark needs Java 17 or later. Same model and results; see "
                "docs/linkage.md."
            ),
        )
        parser.add_argument(
            "--match-threshold",
            type=float,
            default=MATCH_THRESHOLD,
            help=(
                "Probability at or above which the model links two records "
                f"(default {MATCH_THRESHOLD})."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not REVIEW_FLOOR <= options["match_threshold"] < 1:
            raise CommandError(f"--match-threshold must be between {REVIEW_FLOOR} and 1.")
        started = time.monotonic()
        try:
            run = link_run_execute(
                actor=None, match_threshold=options["match_threshold"], engine=options["engine"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Linked {run.records} records into {run.clusters} clusters in "
            f"{time.monotonic() - started:.1f}s: {run.children_created} new children, "
            f"{run.records_assigned} records assigned, {run.review_items} pairs for review "
            f"(run #{run.pk}, {run.engine})."
        )
