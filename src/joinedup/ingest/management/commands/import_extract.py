from __future__ import annotations

import argparse
import textwrap
import time
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import StaffUser
from joinedup.ingest.adapters import ADAPTERS
from joinedup.ingest.jobs import ProgressFile
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import ImportOptions, ImportRefused, import_file

SHOWN_QUARANTINE = 20
BAR_WIDTH = 30


def _formats_help() -> str:
    lines = ["formats (SOURCE):"]
    for name, adapter in ADAPTERS.items():
        lines.append(
            textwrap.fill(
                adapter.description,
                width=96,
                initial_indent=f"  {name:<21} ",
                subsequent_indent=" " * 24,
            )
        )
    lines += [
        "",
        "Every file is first archived, byte for byte, under var/archive/ (named by its SHA-256).",
        "Each row is loaded or quarantined with a reason; nothing is dropped silently.",
        "Importing the same file again changes nothing. Import an agency's person file before",
        "its events, case list (involvements), households and relationships files. Example:",
        "  joinedup import persons early-help.csv --agency early-help",
        "  joinedup import events early-help-events.csv --agency early-help",
        "  joinedup import involvements early-help-cases.csv --agency early-help --full-list",
        "",
        "A full list (a case list with --full-list; every school-census roll) ends the agency's",
        "open involvements of that kind missing from it, on --extract-date (default today). A",
        "file that would end more than --max-end-share of them (default JOINEDUP_IMPORT_MAX_END_",
        "SHARE, 0.2) is refused whole, archived and recorded as refused, unless --force is given:",
        "a cut-short export must never end every relationship in an area.",
        "Example files: docs/examples/involvements.csv, households.csv, relationships.csv.",
    ]
    return "\n".join(lines)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a date as YYYY-MM-DD") from None
    if not 1900 <= day.year <= 2199:
        raise argparse.ArgumentTypeError(f"{text!r} is outside 1900-2199")
    return day


def _share(text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a share from 0 to 1 (e.g. 0.2)")
    return share


class Command(BaseCommand):
    help = (
        "Import one agency extract file (CSV, UTF-8) into joinedup: its people as source "
        "records, or its events into the chronology."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _formats_help()
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", metavar="SOURCE", choices=list(ADAPTERS), help="The file's format (below)."
        )
        parser.add_argument("file", metavar="FILE", type=Path, help="The extract file to import.")
        parser.add_argument(
            "--agency",
            required=True,
            metavar="CODE",
            help="Code of the agency that sent the file (e.g. early-help, school-123456).",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Record the import as done by this data analyst (default: the system).",
        )
        parser.add_argument(
            "--show-quarantine",
            action="store_true",
            help=f"List the first {SHOWN_QUARANTINE} quarantined rows and why.",
        )
        parser.add_argument(
            "--progress-file",
            type=Path,
            metavar="PATH",
            help="Also write the progress, and at the end the run number or the reason the "
            "file was refused, as JSON to PATH (replaced whole each time). The upload page "
            "uses this to show an import it started.",
        )

        parser.add_argument(
            "--full-list",
            action="store_true",
            help="(involvements) The file lists every open case of the agency: open involvements "
            "from earlier case lists that are missing from it end. A school roll always is.",
        )
        parser.add_argument(
            "--extract-date",
            type=_day,
            metavar="YYYY-MM-DD",
            help="The day the file was extracted: missing involvements end on it, and a pupil "
            "with no EntryDate is on roll from it (default: today).",
        )
        parser.add_argument(
            "--max-end-share",
            type=_share,
            metavar="SHARE",
            help="Refuse a full list that would end more than this share (0 to 1) of the "
            "agency's open involvements of its kind (default: JOINEDUP_IMPORT_MAX_END_SHARE, "
            "0.2).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import a full list even if it ends more than --max-end-share of them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        self.progress_file = (
            ProgressFile(options["progress_file"]) if options["progress_file"] else None
        )
        actor = None
        if options["as_user"]:
            actor = StaffUser.objects.filter(username=options["as_user"], is_active=True).first()
            if actor is None or not role_allows(actor.role, Action.IMPORT_EXTRACTS):
                self._refuse(f"--as {options['as_user']}: no active data analyst has that login.")
        started = time.monotonic()
        if self.progress_file is not None:
            size = path.stat().st_size if path.is_file() else 0
            self.progress_file.update(0, 0, size, force=True)
        try:
            run = import_file(
                actor=actor,
                source_format=options["source"],
                path=path,
                agency_code=options["agency"],
                progress=self._progress,
                options=ImportOptions(
                    full_list=options["full_list"],
                    extract_date=options["extract_date"],
                    max_end_share=options["max_end_share"],
                    force=options["force"],
                ),
            )
        except ImportRefused as exc:
            self.stderr.write("")
            self._refuse(str(exc), run=exc.run)
        except Exception as exc:
            if self.progress_file is not None:
                self.progress_file.fail(
                    f"The import of {path.name} stopped before it finished ({exc}). Nothing "
                    "from the file was kept: import it again."
                )
            raise
        elapsed = time.monotonic() - started
        if self.progress_file is not None:
            self.progress_file.finish(run_id=run.pk, rows=run.rows_in, size=run.size_bytes)
        self._report(run, path, elapsed, show=options["show_quarantine"])

    def _refuse(self, message: str, *, run: ImportRun | None = None) -> NoReturn:
        if self.progress_file is not None:
            self.progress_file.refuse(message, run_id=run.pk if run is not None else None)
        raise CommandError(message)

    def _progress(self, rows: int, done: int, size: int) -> None:
        if self.progress_file is not None:
            self.progress_file.update(rows, done, size)
        share = done / size if size else 1.0
        filled = round(BAR_WIDTH * share)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {share:4.0%} {rows:,} rows", ending="")
        self.stderr.flush()

    def _report(self, run: ImportRun, path: Path, elapsed: float, *, show: bool) -> None:
        self.stderr.write("")
        if run.status == ImportStatus.ALREADY_IMPORTED:
            self.stdout.write(f"{path.name}: {run.error_message} (run #{run.pk}).")
            earlier = ImportRun.objects.filter(
                agency=run.agency,
                sha256=run.sha256,
                source_format=run.source_format,
                status=ImportStatus.LOADED,
            ).first()
            if show and earlier is not None:
                self._show_quarantine(earlier)
            return
        self.stdout.write(
            f"{path.name}: {run.rows_in:,} rows in = {run.rows_loaded:,} loaded + "
            f"{run.rows_quarantined:,} quarantined (run #{run.pk})"
        )
        self.stdout.write(
            f"  {run.rows_new:,} new, {run.rows_changed:,} updated, "
            f"{run.rows_loaded - run.rows_new - run.rows_changed:,} already held as received; "
            f"{elapsed:.1f}s"
        )
        if run.involvements_ended:
            self.stdout.write(
                f"  {run.involvements_ended:,} open involvement(s) missing from the full list ended"
            )
        if run.warning_count:
            self.stdout.write(f"  {run.warning_count:,} warning(s), e.g.:")
            for w in run.warnings[:5]:
                self.stdout.write(f"    row {w['row']}, field {w['field']}: {w['reason']}")
        if run.rows_quarantined and not show:
            self.stdout.write(
                "  Run again with --show-quarantine to see why rows were quarantined."
            )
        if show:
            self._show_quarantine(run)

    def _show_quarantine(self, run: ImportRun) -> None:
        for q in run.quarantined.order_by("row_number")[:SHOWN_QUARANTINE]:
            self.stdout.write(f"row {q.row_number}, field {q.field_name}: {q.reason}")
