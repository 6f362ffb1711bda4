"""`joinedup indicators run`: evaluate the indicator rules over the area and update the flags.

    joinedup indicators run [--as-of YYYY-MM-DD] [--children C-7Q2X9K4M ...] [--rules FILE]
                            [--trigger nightly|on_demand]

Nightly from cron (docs/operations.md); on demand after changing the rule file. Without
--children every child is evaluated and flags that no longer fire are cleared.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.utils import timezone

from joinedup.governance.commands import iso_day
from joinedup.indicators.area import child_pks, rules_load
from joinedup.indicators.models import RunTrigger
from joinedup.indicators.rulefile import RuleFileError
from joinedup.indicators.services import indicators_run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=iso_day,
        default=None,
        help="evaluate as at this date, using only marks and events dated on or before it "
        "(default: today)",
    )
    parser.add_argument(
        "--children", nargs="+", default=None, metavar="CHILD_ID", help="only these children"
    )
    parser.add_argument(
        "--rules", default=None, help="the rule file (default: JOINEDUP_INDICATOR_RULES)"
    )
    parser.add_argument(
        "--trigger",
        choices=[RunTrigger.NIGHTLY, RunTrigger.ON_DEMAND],
        default=RunTrigger.ON_DEMAND,
        help="how the run is recorded (cron passes nightly)",
    )


def handle(options: dict[str, Any], stdout: TextIO) -> None:
    as_of = options["as_of"] or timezone.localdate()
    if as_of > timezone.localdate():
        raise CommandError(f"--as-of {as_of.isoformat()} is in the future")
    try:
        rules = rules_load(options["rules"])
        ids = child_pks(options["children"]) if options["children"] else None
    except (RuleFileError, ValueError) as exc:
        raise CommandError(str(exc)) from None
    started = time.monotonic()
    try:
        run = indicators_run(
            actor=None, as_of=as_of, trigger=options["trigger"], child_ids=ids, rules=rules
        )
    except Exception as exc:
        raise CommandError(f"the indicator run failed and was recorded as failed: {exc}") from exc
    stdout.write(
        f"Indicators as at {as_of.isoformat()} (rules {run.rule_set_version}): "
        f"{run.children_evaluated} children evaluated, {run.flags_raised} flags raised, "
        f"{run.flags_cleared} cleared, in {time.monotonic() - started:.1f}s (run #{run.pk}).\n"
    )
