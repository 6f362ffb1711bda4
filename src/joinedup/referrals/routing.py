"""Where a referral goes (an agency, a team of it, or a directory service that takes
referrals), and which assessments may travel with it. Problems go into `errors` by field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from joinedup.assessments.models import Assessment, AssessmentStatus
from joinedup.directory.models import Service
from joinedup.governance.models import Agency, StaffUser, Team
from joinedup.referrals.models import Referral


def _id(value: Any, name: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(str(value))
        except ValueError:
            errors[name] = f"{name} must be a number."
            return None
    return value


def route(
    referral: Referral, actor: StaffUser, fields: dict[str, Any], errors: dict[str, str]
) -> None:
    """Set to_agency / to_team / to_service from the given ids (missing keys keep the
    referral's current values). A service that takes referrals names its agency and team."""
    agency_id = _id(fields.get("to_agency_id", referral.to_agency_id), "to_agency_id", errors)
    team_id = _id(fields.get("to_team_id", referral.to_team_id), "to_team_id", errors)
    # Choosing another agency without naming a service leaves the old service behind.
    keep_service = "to_service_id" in fields or "to_agency_id" not in fields
    service_id = _id(
        fields.get("to_service_id", referral.to_service_id if keep_service else None),
        "to_service_id",
        errors,
    )
    if errors:
        return
    service = None
    if service_id is not None:
        service = Service.objects.filter(pk=service_id).first()
        if service is None:
            errors["to_service_id"] = f"No service {service_id} in the directory."
            return
        if service.agency_id is None:
            errors["to_service_id"] = (
                f"{service.name} does not take referrals through joinedup: contact it directly."
            )
            return
        if fields.get("to_agency_id") not in (None, "") and agency_id != service.agency_id:
            errors["to_agency_id"] = (
                f"{service.name} is run by another agency: choose that agency, or no service."
            )
            return
        agency_id = service.agency_id
        if service.team_id is not None:
            team_id = service.team_id
    if agency_id is None:
        errors["to_agency_id"] = "Choose the agency to refer to."
        return
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        errors["to_agency_id"] = f"No agency {agency_id}."
        return
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None or team.agency_id != agency.pk:
            errors["to_team_id"] = f"Choose a team of {agency.name}."
            return
    if agency.pk == actor.agency_id and (team is None or team.pk == actor.team_id):
        errors["to_team_id"] = (
            "To refer within your own agency, choose the team to refer to (not your own)."
        )
        return
    referral.to_agency = agency
    referral.to_team = team
    referral.to_service = service


def attachments_for(
    referral: Referral, actor: StaffUser, refs: Iterable[str], errors: dict[str, str]
) -> list[Assessment]:
    """Completed assessments of the referral's child that the sender's agency wrote."""
    refs = list(dict.fromkeys(r.strip() for r in refs if r and r.strip()))
    if not refs:
        return []
    if referral.child is None:
        errors["attachment_refs"] = "Choose the child from the match before attaching assessments."
        return []
    found = {
        a.reference: a
        for a in Assessment.objects.filter(reference__in=refs, child_id=referral.child.pk)
    }
    problems = []
    for ref in refs:
        assessment = found.get(ref)
        # Another child's assessment, or one the sender's agency did not write, reads as missing.
        if assessment is None or assessment.agency_id != actor.agency_id:
            problems.append(f"{ref} is not an assessment of this child by your agency")
        elif assessment.status != AssessmentStatus.COMPLETED:
            problems.append(f"{ref} is not completed yet")
    if problems:
        errors["attachment_refs"] = "Cannot attach: " + "; ".join(problems) + "."
        return []
    return [found[r] for r in refs]
