from __future__ import annotations

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.people.models import SourceRecord


class Command(BaseCommand):
    help = "Work with the links from agency records to children. `links export FILE` writes them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = sub.add_parser(
            "export",
            help="Write agency, record_id, child_id for every agency record (CSV, UTF-8); "
            "child_id is blank for a record not yet linked.",
        )
        export.add_argument("file", type=Path, help="The CSV file to write (overwritten).")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        if target.is_dir():
            raise CommandError(f"{target} is a folder; give a file name.")
        if not target.parent.exists():
            raise CommandError(f"The folder {target.parent} does not exist.")
        partial = target.with_name(f".{target.name}.partial")
        with transaction.atomic():
            rows = SourceRecord.objects.order_by("agency__code", "record_id").values_list(
                "agency__code", "record_id", "child__child_id"
            )
            count = 0
            with partial.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(["agency", "record_id", "child_id"])
                for agency, record_id, child_id in rows.iterator(chunk_size=5000):
                    writer.writerow([agency, record_id, child_id or ""])
                    count += 1
            audit_record(
                actor=None,
                action="links.export",
                object_type="file",
                object_ref=str(target)[:120],
                detail={"records": count},
            )
        partial.replace(target)
        self.stdout.write(f"Wrote {count} links to {target}.")
