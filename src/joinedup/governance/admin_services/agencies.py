"""Agencies and their teams: add, change, end and re-open (never deleted)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.governance.admin_services.checks import (
    CODE_RE,
    ODS_RE,
    URN_RE,
    full_clean_named,
    one_line,
    require_admin,
)
from joinedup.governance.models import Agency, AgencyType, StaffUser, Team


def _agency_state(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "agency_type": agency.agency_type,
        "urn": agency.urn,
        "ods_code": agency.ods_code,
        "ended_on": agency.ended_on,
    }


def _agency_identifiers(
    *, agency_type: str, urn: str, ods_code: str, exclude_pk: int | None
) -> tuple[str, str]:
    urn = one_line(urn, field="urn", label="URN", required=False)
    ods_code = one_line(ods_code, field="ods_code", label="ODS code", required=False).upper()
    others = Agency.objects.all() if exclude_pk is None else Agency.objects.exclude(pk=exclude_pk)
    errors: dict[str, str] = {}
    if urn and agency_type != AgencyType.SCHOOL:
        errors["urn"] = "Only a school has a URN: leave it blank for this type of agency."
    elif urn and not URN_RE.match(urn):
        errors["urn"] = "A URN must be 6 or 7 digits, for example 100001."
    elif urn and others.filter(urn=urn).exists():
        errors["urn"] = f"Another agency already has URN {urn}."
    if ods_code and agency_type != AgencyType.HEALTH:
        errors["ods_code"] = "Only a health agency has an ODS code: leave it blank."
    elif ods_code and not ODS_RE.match(ods_code):
        errors["ods_code"] = "An ODS code is 3 to 10 letters and digits, for example RX1."
    elif ods_code and others.filter(ods_code=ods_code).exists():
        errors["ods_code"] = f"Another agency already has ODS code {ods_code}."
    if errors:
        raise ValidationError(errors)
    return urn, ods_code


@transaction.atomic
def agency_create(
    *,
    actor: StaffUser,
    agency_type: str,
    code: str,
    name: str,
    urn: str = "",
    ods_code: str = "",
) -> Agency:
    require_admin(actor)
    code = one_line(code, field="code", label="Code").lower()
    name = one_line(name, field="name", label="Name")
    if agency_type not in AgencyType.values:
        raise ValidationError({"agency_type": "Select the type of agency."})
    if not CODE_RE.match(code):
        raise ValidationError(
            {"code": "A code is lower-case letters, digits and hyphens, for example moor-school."}
        )
    if Agency.objects.filter(code=code).exists():
        raise ValidationError({"code": f"An agency with the code {code} already exists."})
    urn, ods_code = _agency_identifiers(
        agency_type=agency_type, urn=urn, ods_code=ods_code, exclude_pk=None
    )
    agency = Agency(code=code, name=name, agency_type=agency_type, urn=urn, ods_code=ods_code)
    full_clean_named(agency)
    agency.save()
    audit_record(
        actor=actor,
        action="admin.agency_created",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": None, "after": _agency_state(agency)},
    )
    return agency


def _agency_locked(agency_id: int) -> Agency:
    agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError("That agency no longer exists.")
    return agency


@transaction.atomic
def agency_update(
    *, actor: StaffUser, agency_id: int, name: str, urn: str = "", ods_code: str = ""
) -> Agency:
    """Change an agency's name, URN or ODS code. Its code and type are fixed: extracts, the
    area file and the audit log name it by code."""
    require_admin(actor)
    agency = _agency_locked(agency_id)
    before = _agency_state(agency)
    agency.name = one_line(name, field="name", label="Name")
    agency.urn, agency.ods_code = _agency_identifiers(
        agency_type=agency.agency_type, urn=urn, ods_code=ods_code, exclude_pk=agency.pk
    )
    full_clean_named(agency)
    after = _agency_state(agency)
    if after == before:
        return agency
    agency.save()
    audit_record(
        actor=actor,
        action="admin.agency_changed",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": before, "after": after},
    )
    return agency


@transaction.atomic
def agency_end(*, actor: StaffUser, agency_id: int, today: date | None = None) -> Agency:
    """End an agency today: it keeps its records, involvements and audit history. Its staff
    are not disabled by this (the page says how many are still active)."""
    require_admin(actor)
    agency = _agency_locked(agency_id)
    if agency.ended_on is not None:
        raise ValidationError(f"{agency.name} has already ended (someone else may have ended it).")
    before = _agency_state(agency)
    agency.ended_on = today or timezone.localdate()
    agency.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.agency_ended",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": before, "after": _agency_state(agency)},
    )
    return agency


@transaction.atomic
def agency_reopen(*, actor: StaffUser, agency_id: int) -> Agency:
    require_admin(actor)
    agency = _agency_locked(agency_id)
    if agency.ended_on is None:
        raise ValidationError(
            f"{agency.name} is already open (someone else may have re-opened it)."
        )
    before = _agency_state(agency)
    agency.ended_on = None
    agency.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.agency_reopened",
        object_type="agency",
        object_ref=agency.code,
        detail={"before": before, "after": _agency_state(agency)},
    )
    return agency


# ---------------------------------------------------------------------------------- teams


def _team_state(team: Team) -> dict[str, Any]:
    return {
        "agency": team.agency.code,
        "code": team.code,
        "name": team.name,
        "ended_on": team.ended_on,
    }


def _team_ref(team: Team) -> str:
    return f"{team.agency.code}/{team.code}"


def _team_locked(team_id: int, agency_id: int | None = None) -> Team:
    teams = Team.objects.select_for_update().select_related("agency").filter(pk=team_id)
    if agency_id is not None:
        teams = teams.filter(agency_id=agency_id)
    team = teams.first()
    if team is None:
        raise ValidationError("That team no longer exists.")
    return team


@transaction.atomic
def team_create(*, actor: StaffUser, agency_id: int, code: str, name: str) -> Team:
    require_admin(actor)
    agency = _agency_locked(agency_id)
    name = one_line(name, field="name", label="Name")
    code = one_line(code, field="code", label="Code").lower()
    if agency.ended_on is not None:
        raise ValidationError(f"{agency.name} has ended: re-open it before adding a team.")
    if not CODE_RE.match(code):
        raise ValidationError(
            {"code": "A code is lower-case letters, digits and hyphens, for example mash."}
        )
    if agency.teams.filter(code=code).exists():
        raise ValidationError({"code": f"{agency.name} already has a team with the code {code}."})
    team = Team(agency=agency, code=code, name=name)
    full_clean_named(team, validate_constraints=False)
    team.save()
    audit_record(
        actor=actor,
        action="admin.team_created",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": None, "after": _team_state(team)},
    )
    return team


@transaction.atomic
def team_rename(*, actor: StaffUser, team_id: int, name: str) -> Team:
    require_admin(actor)
    team = _team_locked(team_id)
    before = _team_state(team)
    team.name = one_line(name, field="name", label="Name")
    full_clean_named(team, validate_constraints=False)
    if team.name == before["name"]:
        return team
    team.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action="admin.team_renamed",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": before, "after": _team_state(team)},
    )
    return team


@transaction.atomic
def team_end(*, actor: StaffUser, team_id: int, today: date | None = None) -> Team:
    require_admin(actor)
    team = _team_locked(team_id)
    if team.ended_on is not None:
        raise ValidationError(f"{team.name} has already ended (someone else may have ended it).")
    before = _team_state(team)
    team.ended_on = today or timezone.localdate()
    team.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.team_ended",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": before, "after": _team_state(team)},
    )
    return team


@transaction.atomic
def team_reopen(*, actor: StaffUser, team_id: int) -> Team:
    require_admin(actor)
    team = _team_locked(team_id)
    if team.ended_on is None:
        raise ValidationError(f"{team.name} is already open (someone else may have re-opened it).")
    if team.agency.ended_on is not None:
        raise ValidationError(f"{team.agency.name} has ended: re-open the agency first.")
    before = _team_state(team)
    team.ended_on = None
    team.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action="admin.team_reopened",
        object_type="team",
        object_ref=_team_ref(team),
        detail={"before": before, "after": _team_state(team)},
    )
    return team
