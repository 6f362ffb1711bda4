from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from joinedup.governance.area_file import AreaFileInvalid, plan_describe, staff_import
from joinedup.governance.area_file.staff_csv import HEADERS
from joinedup.governance.management.commands.area import actor_named, errors_raise


def _epilog() -> str:
    lines = ["columns (header spellings accepted, any case; staff_number and username optional):"]
    for key, spellings in HEADERS.items():
        lines.append(f"  {key:<13} {', '.join(spellings)}")
    lines += [
        "",
        "role is a role code (social_worker) or its name (Social worker); agency and team are",
        "codes from the area file. The file must be UTF-8 (with or without a byte-order mark):",
        'from Excel, Save As "CSV UTF-8 (Comma delimited)". Every row is checked first; each',
        "error names the file, row and column, and nothing is written while any remains.",
        "People are matched by staff number, else by username (the lower-cased email).",
        "Importing the same file again changes nothing. See docs/area.md.",
        "",
        "Example:",
        "  joinedup staff import hr-export.csv --dry-run",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Work with the area's staff. `staff import FILE.csv` creates and updates staff from HR."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser(
            "import",
            help="Create and update staff from a CSV list in one audited transaction.",
            epilog=_epilog(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        imp.add_argument("file", type=Path, metavar="FILE.csv", help="The staff list (CSV).")
        imp.add_argument(
            "--dry-run", action="store_true", help="Check and print the plan; change nothing."
        )
        imp.add_argument(
            "--full-list",
            action="store_true",
            help="The list is everyone: disable (and sign out) the area's staff not in it. "
            "Without it, nobody is disabled.",
        )
        imp.add_argument(
            "--actor",
            metavar="USERNAME",
            help="Record the changes as made by this member of staff (default: the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["actor"])
        try:
            result = staff_import(
                path=options["file"],
                actor=actor,
                now=timezone.now(),
                full_list=options["full_list"],
                dry_run=options["dry_run"],
            )
        except AreaFileInvalid as exc:
            raise errors_raise(exc) from exc
        for line in plan_describe(result.plan, dry_run=options["dry_run"]):
            self.stdout.write(line)
