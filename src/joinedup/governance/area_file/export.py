"""Write the area's set-up as it is now, in the area file's own format (ended agencies and
teams, disabled staff and ended agreements included and marked), so that applying the export
changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import tomli_w
from django.utils import timezone

from joinedup.governance.models import Agency, SharingAgreement, StaffUser, Team


def _moment(value: datetime) -> Any:
    local = timezone.localtime(value)
    return local.date() if local.time() == local.time().min else value.astimezone(UTC)


def _without_blanks(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if v not in ("", None, False)}


def area_export() -> str:
    """The whole set-up as TOML text."""
    agencies = [
        _without_blanks(
            {
                "code": a.code,
                "name": a.name,
                "type": a.agency_type,
                "urn": a.urn,
                "ods_code": a.ods_code,
                "ended_on": a.ended_on,
            }
        )
        for a in Agency.objects.order_by("agency_type", "code")
    ]
    teams = [
        _without_blanks(
            {"agency": t.agency.code, "code": t.code, "name": t.name, "ended_on": t.ended_on}
        )
        for t in Team.objects.select_related("agency").order_by("agency__code", "code")
    ]
    staff = []
    for s in (
        StaffUser.objects.exclude(role="").select_related("agency", "team").order_by("username")
    ):
        staff.append(
            _without_blanks(
                {
                    "first_name": s.first_name,
                    "last_name": s.last_name,
                    "email": s.email,
                    "username": s.username if s.username != s.email.lower() else "",
                    "agency": s.agency.code if s.agency else "",
                    "team": s.team.code if s.team else "",
                    "role": s.role,
                    "staff_number": s.staff_number,
                    "disabled": not s.is_active,
                }
            )
        )
    agreements = []
    for g in SharingAgreement.objects.prefetch_related("parties").order_by("code"):
        entry = {
            "code": g.code,
            "title": g.title,
            "status": g.status,
            "parties": sorted(p.code for p in g.parties.all()),
            "purposes": list(g.purposes),
            "article_6_basis": g.article_6_basis,
            "article_9_condition": g.article_9_condition,
            "event_types": list(g.event_types),
            "fields": list(g.fields),
            "retention": g.retention,
            "starts": _moment(g.starts_at),
            "review": g.review_at,
            "ends": _moment(g.ends_at) if g.ends_at else None,
        }
        agreements.append({k: v for k, v in entry.items() if v not in ("", None)})
    doc = {"agencies": agencies, "teams": teams, "staff": staff, "agreements": agreements}
    header = (
        "# The area's set-up, exported by `joinedup area export` "
        f"on {timezone.localdate().isoformat()}.\n"
        "# Apply it with `joinedup area apply FILE`; see docs/area.md for every key.\n\n"
    )
    # One [[section]] table per entry (tomli_w alone writes short ones inline).
    body = [f"[[{name}]]\n{tomli_w.dumps(entry)}" for name, items in doc.items() for entry in items]
    return header + "\n".join(body)
