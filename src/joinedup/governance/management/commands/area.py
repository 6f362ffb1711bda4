from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from joinedup.governance.area_file import (
    AreaFileInvalid,
    area_apply,
    area_export,
    plan_describe,
    sources_from_paths,
)
from joinedup.governance.models import StaffUser

EPILOG = """\
The files declare [[agencies]], [[teams]], [[staff]] and [[agreements]] (docs/area.md lists
every key; docs/examples/area.toml is a whole small area). Several files together are the area
(e.g. the schools list kept apart): their union is applied, and a code declared twice is an
error. Everything is checked first; every error names the file, the entry and the field, and
nothing is written while any remains.

Nothing is ever deleted: an agency or team taken out of the files is ended today, a member of
staff disabled (their sessions end at once), an agreement ended now. Putting one back re-opens
or re-enables it. Every change is audited (area.agency_created, area.staff_disabled, ...).

Examples:
  joinedup area apply area.toml schools.toml --dry-run
  joinedup area apply area.toml schools.toml --actor admin
  joinedup area export current-area.toml
"""


def actor_named(username: str | None) -> StaffUser | None:
    if username is None:
        return None
    try:
        return StaffUser.objects.get(username=username, is_active=True)
    except StaffUser.DoesNotExist:
        raise CommandError(f'--actor: no active member of staff "{username}".') from None


def errors_raise(exc: AreaFileInvalid) -> CommandError:
    lines = [str(e) for e in exc.errors]
    return CommandError(f"{len(lines)} error(s); nothing was changed:\n  " + "\n  ".join(lines))


class Command(BaseCommand):
    help = (
        "The area's set-up as data: `area apply FILE...` makes the database match TOML files "
        "of agencies, teams, staff and sharing agreements; `area export FILE` writes the "
        "current set-up in the same format."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = EPILOG
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        apply = sub.add_parser(
            "apply",
            help="Check the files, print what will be created, changed, ended and re-opened, "
            "and apply it in one audited transaction.",
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        apply.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Area files (TOML).")
        apply.add_argument(
            "--dry-run", action="store_true", help="Check and print the plan; change nothing."
        )
        apply.add_argument(
            "--actor",
            metavar="USERNAME",
            help="Record the changes in the audit log as made by this member of staff "
            "(default: the system).",
        )
        export = sub.add_parser(
            "export",
            help="Write the current set-up (ended and disabled entries included, marked) as an "
            "area file; applying it changes nothing.",
        )
        export.add_argument("file", type=Path, metavar="FILE", help="Where to write (TOML).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            path: Path = options["file"]
            try:
                path.write_text(area_export(), encoding="utf-8", newline="\n")
            except OSError as exc:
                raise CommandError(f"{path}: cannot be written ({exc.strerror}).") from exc
            self.stdout.write(f"Wrote the area's set-up to {path}.")
            return
        actor = actor_named(options["actor"])
        try:
            result = area_apply(
                sources=sources_from_paths(options["files"]),
                actor=actor,
                today=timezone.localdate(),
                now=timezone.now(),
                dry_run=options["dry_run"],
            )
        except AreaFileInvalid as exc:
            raise errors_raise(exc) from exc
        for line in plan_describe(result.plan, dry_run=options["dry_run"]):
            self.stdout.write(line)
