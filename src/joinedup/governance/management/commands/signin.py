from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from joinedup.access.errors import AccessRefused
from joinedup.governance.models import StaffUser
from joinedup.governance.signin_admin import (
    lockout_clear,
    password_link_make,
    second_factor_reset,
)


class Command(BaseCommand):
    help = (
        "A member of staff's sign-in, for an area with no administrator yet (the pages at "
        "/administration/staff/<id>/sign-in/ do the same). Each change is audited as done by "
        "the system."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (
            ("unlock", "Clear the lock after failed sign-ins on this username."),
            (
                "reset-second-factor",
                "Delete their authenticator app and recovery codes and end their sessions; "
                "they set up a new app at their next password sign-in.",
            ),
            (
                "password-link",
                "Print a one-time link for setting their password (also emailed to them when "
                "they have an email address). It works once, for 3 days.",
            ),
        ):
            sub.add_parser(name, help=text).add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        staff = StaffUser.objects.filter(username=username).first()
        if staff is None:
            raise CommandError(f"No member of staff has the username {username!r}.")
        action = options["action"]
        try:
            if action == "unlock":
                cleared = lockout_clear(actor=None, staff=staff)
                self.stdout.write(
                    f"{username} unlocked ({cleared} failed-attempt records cleared)."
                )
            elif action == "reset-second-factor":
                devices = second_factor_reset(actor=None, staff=staff)
                self.stdout.write(f"{username}: second factor reset ({devices} devices removed).")
            else:
                link = password_link_make(actor=None, staff=staff)
                self.stdout.write(f"Set-password link for {username} (works once, for 3 days):")
                self.stdout.write(link)
        except AccessRefused as exc:
            raise CommandError(str(exc)) from None
