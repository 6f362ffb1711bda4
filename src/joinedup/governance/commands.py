"""A management command made of subcommands, each a module of its own.

Each module has a docstring (its first line is the subcommand's one-line help),
`add_arguments(parser)` and `handle(options, stdout)`. A command names them in `subcommands`:

    class Command(SubcommandCommand):
        help = "..."
        subcommands = {"run": run_command, "report": report_command}
"""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from types import ModuleType
from typing import Any, ClassVar

from django.core.management.base import BaseCommand

EARLIEST_DAY = date(1900, 1, 1)  # working-day counts step back from a day: keep them in range


def iso_day(value: str) -> date:
    """An argparse type: a date as YYYY-MM-DD from 1900 on, or a message that says which."""
    shown = value if len(value) <= 40 else f"{value[:40]}..."
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{shown!r} is not a date (YYYY-MM-DD)") from None
    if day < EARLIEST_DAY:
        raise ArgumentTypeError(f"{shown} is before {EARLIEST_DAY.isoformat()}")
    return day


class SubcommandCommand(BaseCommand):
    subcommands: ClassVar[dict[str, ModuleType]] = {}

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name, module in self.subcommands.items():
            doc = (module.__doc__ or "").strip().splitlines()[0]
            module.add_arguments(sub.add_parser(name, help=doc, description=module.__doc__))

    def handle(self, *args: Any, **options: Any) -> None:
        self.subcommands[options["subcommand"]].handle(options, self.stdout)
