"""`joinedup indicators run|report`: run the early-warning rules, or print the fairness report.

Each subcommand is a module with `add_arguments(parser)` and `handle(options, stdout)`:
`run_command.py` (here: `run`) and `report_command.py` (`report`).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from joinedup.indicators import report_command, run_command

SUBCOMMANDS = {"run": run_command, "report": report_command}


class Command(BaseCommand):
    help = (
        "Early-warning indicators. `indicators run` evaluates the rule file over the area and "
        "updates the flags (nightly from cron, or on demand); `indicators report` prints the "
        "fairness and hit-rate report."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name, module in SUBCOMMANDS.items():
            doc = (module.__doc__ or "").strip().splitlines()[0]
            module.add_arguments(sub.add_parser(name, help=doc, description=module.__doc__))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["subcommand"]].handle(options, self.stdout)
