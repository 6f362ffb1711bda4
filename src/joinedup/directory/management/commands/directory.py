"""`joinedup directory import FILE` and `joinedup directory link SERVICE_ID --agency CODE`.

joinedup directory import FILE
    Import an Open Referral UK file (JSON: a list of services, or a page of an ORUK API
    response). Prints what was loaded and each rejected service with its problem.
joinedup directory link SERVICE_ORUK_ID --agency CODE [--team CODE]
    Name the joinedup agency (and team) that receives referrals to that service.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from joinedup.dates import govuk_date
from joinedup.directory.services import directory_import, service_link


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "The service directory (Open Referral UK). `directory import FILE` loads an ORUK file; "
        "`directory link SERVICE_ID --agency CODE [--team CODE]` names who receives referrals."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        imp = sub.add_parser(
            "import",
            help="import an Open Referral UK JSON file (a list of services or an API page)",
        )
        imp.add_argument("file", type=Path, help="the ORUK JSON file")
        link = sub.add_parser(
            "link", help="name the joinedup agency (and team) that receives referrals to a service"
        )
        link.add_argument("service", help="the service's ORUK id")
        link.add_argument("--agency", required=True, help="the receiving agency's code")
        link.add_argument("--team", default=None, help="the receiving team's code (optional)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "import":
                self._import(options["file"])
            else:
                service = service_link(
                    actor=None,
                    oruk_id=options["service"],
                    agency_code=options["agency"],
                    team_code=options["team"],
                )
                to = service.team.name if service.team else service.agency.name  # type: ignore[union-attr]
                self.stdout.write(f"Referrals to {service.name} ({service.oruk_id}) go to {to}.")
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None

    def _import(self, path: Path) -> None:
        started = timezone.now()
        run = directory_import(actor=None, path=path)
        if run.imported_at < started:
            self.stdout.write(
                f"{path.name} was already imported (import #{run.pk}, "
                f"{govuk_date(run.imported_at)}); nothing changed."
            )
            return
        self.stdout.write(
            f"{path.name}: {run.services_loaded} services loaded from {run.organisations} "
            f"organisations, {run.services_rejected} rejected (import #{run.pk}, "
            f"sha256 {run.sha256[:12]})."
        )
        for problem in run.problems:
            self.stdout.write(
                f"  rejected {problem['where']}: {problem['field']}: {problem['why']}"
            )
        for flag in run.flagged:
            self.stdout.write(f"  kept {flag['where']}, shown as not reviewed: {flag['why']}")
