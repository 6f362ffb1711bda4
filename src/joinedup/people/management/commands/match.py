from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from joinedup.access.policy import allowed_purposes, default_purpose
from joinedup.governance.models import StaffUser
from joinedup.people.matching import HIDDEN_MATCH_MESSAGE, NoLinkModel, child_match


class Command(BaseCommand):
    help = (
        "Is this child known? Reads one JSON object of identity details from stdin "
        '({"given_name":..., "family_name":..., "date_of_birth":"YYYY-MM-DD", "sex":..., '
        '"postcode":..., "nhs_number":..., "upn":...}) and prints the children you may see '
        "who might be them, as JSON, with a count of likely matches you may not see. Audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            required=True,
            metavar="USERNAME",
            help="The member of staff asking (their access decides what is shown).",
        )
        parser.add_argument(
            "--purpose", help="The purpose you are asking for (default: your role's first)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        viewer = StaffUser.objects.filter(username=options["as_user"], is_active=True).first()
        if viewer is None:
            raise CommandError(
                f"--as {options['as_user']}: no active member of staff has that login."
            )
        purpose = options["purpose"] or default_purpose(viewer.role) or ""
        if purpose not in allowed_purposes(viewer.role):
            allowed = ", ".join(allowed_purposes(viewer.role)) or "none"
            raise CommandError(
                f"--purpose {purpose!r} is not one your role works under ({allowed})."
            )
        try:
            person = json.loads(sys.stdin.read())
        except json.JSONDecodeError as exc:
            raise CommandError(f"stdin is not valid JSON: {exc.msg} (line {exc.lineno}).") from exc
        if not isinstance(person, dict):
            raise CommandError("stdin must hold one JSON object of identity details.")
        try:
            result = child_match(viewer=viewer, person=person, purpose=purpose)
        except (ValueError, NoLinkModel) as exc:
            raise CommandError(str(exc)) from exc
        out: dict[str, Any] = {
            "candidates": [
                {"child_id": c.child_id, "probability": c.probability, "evidence": c.evidence}
                for c in result.candidates
            ],
            "hidden_matches": result.hidden_matches,
        }
        if result.hidden_matches:
            out["hidden_message"] = HIDDEN_MATCH_MESSAGE
        self.stdout.write(json.dumps(out))
