"""`joinedup referrals remind`: the nightly reminders for what nobody is gripping.

Each subcommand is a module with `add_arguments(parser)` and `handle(options, stdout)`, as in
`joinedup indicators`: `notifications/remind_command.py` (here: `remind`).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from joinedup.notifications import remind_command

SUBCOMMANDS = {"remind": remind_command}


class Command(BaseCommand):
    help = (
        "Referrals. `referrals remind` notifies people of referrals not acknowledged in time, "
        "declined with no alternative taken up, re-referrals, children with no lead "
        "professional and overdue team-around-the-child actions (nightly from cron)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name, module in SUBCOMMANDS.items():
            doc = (module.__doc__ or "").strip().splitlines()[0]
            module.add_arguments(sub.add_parser(name, help=doc, description=module.__doc__))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["subcommand"]].handle(options, self.stdout)
