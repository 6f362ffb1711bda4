from __future__ import annotations

import time
from argparse import ArgumentParser
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from joinedup.demo.area_setup import DEMO_PASSWORD
from joinedup.demo.generator import generate_area
from joinedup.governance.commands import iso_day


class Command(BaseCommand):
    help = (
        "Make a synthetic local area (fake children only). `generate` writes agency extract "
        "files; `load` builds the area in the database with demo logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        gen = sub.add_parser(
            "generate",
            help="Write one extract file per agency, in that agency's own shape, plus "
            "ground truth (which records are the same child).",
        )
        load = sub.add_parser(
            "load",
            help="Build the synthetic area in an empty database and create demo logins.",
        )
        example = sub.add_parser(
            "example-files",
            help="Write extract files for the small example area of README's 'Run your own "
            "area' (docs/examples/area.toml), dated from today as a real extract is: each "
            "school's roll, exclusions, social care's person list and case list.",
        )
        example.add_argument(
            "--area",
            type=Path,
            default=Path("docs/examples/area.toml"),
            help="The area file whose schools the rolls are for (default docs/examples/area.toml).",
        )
        example.add_argument(
            "--social-care",
            default="social-care",
            metavar="CODE",
            help="The agency code of children's social care in that file (default social-care).",
        )
        example.add_argument(
            "--out", type=Path, required=True, help="Folder to write the files into."
        )
        example.add_argument(
            "--as-of",
            type=iso_day,
            default=None,
            help="The day the files are dated from (YYYY-MM-DD; default today).",
        )
        for p in (gen, load):
            p.add_argument(
                "--children",
                type=int,
                default=5000,
                help="How many children live in the area (default 5000).",
            )
            p.add_argument(
                "--seed",
                type=int,
                default=1,
                help="Random seed; the same seed gives the same area (default 1).",
            )
            p.add_argument("--schools", type=int, default=20, help="How many schools (default 20).")
        load.add_argument(
            "--via-import",
            action="store_true",
            help="Build the area the real way: write the extract files under var/demo-area/, "
            "import each one and link them (slower; without it the generator's ground truth "
            "is loaded directly).",
        )
        load.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but list the demo logins) if an area is loaded.",
        )
        gen.add_argument(
            "--out",
            type=Path,
            required=True,
            help="Folder to write the files into (created if missing).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "example-files":
            self._example_files(options)
            return
        if options["children"] < 10:
            raise CommandError("--children must be at least 10.")
        if options["schools"] < 2:
            raise CommandError("--schools must be at least 2.")
        if options["action"] == "load" and options["if_empty"]:
            from joinedup.governance.models import StaffUser

            existing = list(StaffUser.objects.exclude(role="").select_related("agency", "team"))
            if existing:
                self.stdout.write("An area is already loaded; leaving it as it is.")
                self._print_logins(existing)
                return
        started = time.monotonic()
        area = generate_area(
            children=options["children"], seed=options["seed"], schools=options["schools"]
        )
        if options["action"] == "generate":
            from joinedup.demo.writer import write_area

            out: Path = options["out"]
            if out.exists() and not out.is_dir():
                raise CommandError(f"--out {out} exists and is not a folder.")
            files = write_area(area, out)
            self.stdout.write(
                f"Wrote {len(files)} files for {len(area.people)} children "
                f"({len(area.records)} agency records) to {out} "
                f"in {time.monotonic() - started:.1f}s."
            )
            return
        from django.conf import settings

        from joinedup.demo.casework import casework_seed
        from joinedup.demo.loader import area_load
        from joinedup.demo.through_import import area_import_and_link

        try:
            if options["via_import"]:
                from joinedup.governance.models import Agency

                if Agency.objects.exists():
                    raise ValueError(
                        "The database already holds an area. Start from an empty database."
                    )
                summary = area_import_and_link(area, settings.VAR_DIR / "demo-area")
            else:
                summary = area_load(area)
                # The casework (referrals, teams, assessments), as the via-import path does.
                summary = replace(summary, casework=casework_seed(seed=area.seed))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Loaded {summary.children} children, {summary.source_records} agency records, "
            f"{summary.events} events and {summary.involvements} involvements "
            f"in {time.monotonic() - started:.1f}s."
        )
        if summary.casework is not None:
            self.stdout.write(summary.casework.describe())
        self._print_logins(summary.staff)

    def _print_logins(self, staff: list[Any]) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in staff:
            team = f", {user.team.name}" if user.team else ""
            agency = user.agency.name if user.agency else ""
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()} — {agency}{team}")

    def _example_files(self, options: dict[str, Any]) -> None:
        from django.utils import timezone

        from joinedup.demo.example_files import example_files_from_area

        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} exists and is not a folder.")
        as_of = options["as_of"] or timezone.localdate()
        try:
            files = example_files_from_area(
                options["area"], out, social_care_code=options["social_care"], as_of=as_of
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {len(files)} files to {out}, dated from {as_of}. Import them:")
        for f in files:
            extra = "".join(f" {o}" for o in f.options)
            self.stdout.write(
                f"  joinedup import {f.source_format} {f.path} --agency {f.agency_code}{extra}"
            )
