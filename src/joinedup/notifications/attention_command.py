"""`joinedup attention remind`: remind people of what nobody is gripping (nightly).

    joinedup attention remind [--as-of YYYY-MM-DD]

Referrals not acknowledged in time, declined with no alternative taken up, re-referrals
within 12 months, children with two or more agencies and no lead professional, and overdue
team-around-the-child actions: each reminded once per item and deadline (in the app, and by
email through Django's mail backend), so running it twice sends nothing new.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.utils import timezone

from joinedup.access.attention import SECTIONS
from joinedup.governance.commands import iso_day
from joinedup.notifications.attention import attention_remind


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=iso_day, default=None, help="remind as at this date (default: today)"
    )


def handle(options: dict[str, Any], stdout: TextIO) -> None:
    as_of = options["as_of"] or timezone.localdate()
    if as_of > timezone.localdate():
        raise CommandError(f"--as-of {as_of.isoformat()} is in the future")
    summary = attention_remind(as_of=as_of)
    stdout.write(f"Reminders as at {as_of.isoformat()}:\n")
    for kind, label in SECTIONS.items():
        stdout.write(
            f"  {label}: {summary.items[kind]} item{'s' if summary.items[kind] != 1 else ''}, "
            f"{summary.sent[kind]} new notification{'s' if summary.sent[kind] != 1 else ''}\n"
        )
    stdout.write(f"{sum(summary.sent.values())} new notifications in all.\n")
