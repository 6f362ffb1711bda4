from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from joinedup.access.audit import audit_verify


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` checks the whole hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser(
            "verify",
            help="Check every entry's hash and order; name the first broken entry. "
            "Exits 1 if the log has been edited, deleted from, inserted into or reordered.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = audit_verify()
            if not result.ok:
                raise CommandError(
                    f"Audit log BROKEN at entry {result.first_broken_sequence}: {result.problem} "
                    f"({result.entries_checked} entries verified before it)."
                )
            self.stdout.write(f"Audit log intact: {result.entries_checked} entries verified.")
