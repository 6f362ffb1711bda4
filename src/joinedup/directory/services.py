"""Writes to the service directory: importing Open Referral UK files and linking a service to
the joinedup agency (and team) that receives referrals for it. Each runs in one transaction with
its audit entry."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.directory.models import DirectoryImport, Location, Organisation, Service
from joinedup.directory.oruk import OrukFileError, ParsedService, Problem, oruk_read
from joinedup.governance.models import Agency, StaffUser, Team
from joinedup.ingest.archive import archive_file

__all__ = ["MAX_FILE_BYTES", "directory_import", "service_link"]

# ORUK feeds for a whole county are a few megabytes; anything far larger is not one.
MAX_FILE_BYTES = 50 * 1024 * 1024


def _may_manage(actor: StaffUser | None) -> None:
    # actor None is the command line (the operator of the area) and the demo pipeline.
    if actor is not None and not role_allows(actor.role, Action.MANAGE_DIRECTORY):
        raise ValidationError("Your role may not change the service directory.")


def _read(path: Path, name: str) -> bytes:
    if not path.is_file():
        raise ValidationError(f"{name}: the file does not exist ({path})")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            f"{name}: the file is {size:,} bytes, more than the directory limit of "
            f"{MAX_FILE_BYTES:,} bytes"
        )
    return path.read_bytes()


def _field_errors(exc: ValidationError, prefix: str = "") -> Problem | None:
    for field_name, messages in exc.message_dict.items():
        return Problem("", prefix + field_name, " ".join(messages))
    return None


def _organisation(parsed: ParsedService) -> Organisation:
    p = parsed.organisation
    org = Organisation.objects.filter(oruk_id=p.oruk_id).first() or Organisation(oruk_id=p.oruk_id)
    org.name, org.description, org.url, org.email = p.name, p.description, p.url, p.email
    return org


def _locations(parsed: ParsedService) -> list[Location]:
    found = Location.objects.in_bulk([p.oruk_id for p in parsed.locations], field_name="oruk_id")
    out = []
    for p in {p.oruk_id: p for p in parsed.locations}.values():  # once each, last wins
        loc = found.get(p.oruk_id) or Location(oruk_id=p.oruk_id)
        loc.name, loc.address, loc.postcode = p.name, p.address, p.postcode
        loc.latitude, loc.longitude = p.latitude, p.longitude
        out.append(loc)
    return out


def _service_load(parsed: ParsedService, run: DirectoryImport) -> Problem | None:
    """Check every part against the models, then save; a problem (and nothing saved) else."""
    org = _organisation(parsed)
    service = Service.objects.filter(oruk_id=parsed.oruk_id).first() or Service(
        oruk_id=parsed.oruk_id
    )  # an existing service keeps its agency and team (not ORUK data)
    for name in (
        "name",
        "description",
        "url",
        "email",
        "telephone",
        "status",
        "min_age",
        "max_age",
        "eligibility",
        "taxonomy",
        "last_reviewed_on",
        "review_date_flag",
    ):
        setattr(service, name, getattr(parsed, name))
    locations = _locations(parsed)
    checks: list[tuple[object, str, list[str]]] = [
        (org, "organization.", []),
        (service, "", ["organisation", "imported", "agency", "team"]),
    ]
    checks += [(loc, f"service_at_locations[{i}].location.", []) for i, loc in enumerate(locations)]
    for obj, prefix, exclude in checks:
        try:
            obj.full_clean(exclude=exclude)  # type: ignore[attr-defined]
        except ValidationError as exc:
            problem = _field_errors(exc, prefix)
            if problem is not None:
                return Problem(parsed.where, problem.field, problem.why)
    org.save()
    service.organisation = org
    service.imported = run
    service.save()
    for loc in locations:
        loc.save()
    service.locations.set(locations)
    return None


def directory_import(
    *, actor: StaffUser | None, path: Path, file_name: str = ""
) -> DirectoryImport:
    """Import one ORUK file: every service loaded or rejected with its problem.

    The same file again (by SHA-256) changes nothing and returns the import that loaded it; a
    newer file updates services by their ORUK id. A file that cannot be read at all raises
    ValidationError and writes nothing.
    """
    _may_manage(actor)
    path = Path(path)
    name = file_name or path.name
    data = _read(path, name)
    try:
        parsed, problems = oruk_read(data, today=timezone.localdate())
    except OrukFileError as exc:
        raise ValidationError(f"{name}: {exc}") from None
    archived = archive_file(path)
    with transaction.atomic():
        previous = DirectoryImport.objects.filter(sha256=archived.sha256).first()
        if previous is not None:
            audit_record(
                actor=actor,
                action="directory.import",
                object_type="directory_import",
                object_ref=str(previous.pk),
                detail={"file": name, "sha256": archived.sha256, "already_imported": True},
            )
            return previous
        run = DirectoryImport(file_name=name[:300], sha256=archived.sha256, imported_by=actor)
        run.full_clean()
        run.save()
        loaded: list[ParsedService] = []
        for service in parsed:
            problem = _service_load(service, run)
            if problem is None:
                loaded.append(service)
            else:
                problems.append(problem)
        problems.sort(key=lambda p: int(p.where.split()[1]) if p.where.startswith("entry ") else 0)
        run.services_loaded = len(loaded)
        run.services_rejected = len(problems)
        run.organisations = len({s.organisation.oruk_id for s in loaded})
        run.problems = [p.as_dict() for p in problems]
        run.flagged = [
            Problem(s.where, "review date", s.review_date_flag).as_dict()
            for s in loaded
            if s.review_date_flag
        ]
        run.save()
        audit_record(
            actor=actor,
            action="directory.import",
            object_type="directory_import",
            object_ref=str(run.pk),
            detail={
                "file": name,
                "sha256": archived.sha256,
                "loaded": run.services_loaded,
                "rejected": run.services_rejected,
                "flagged": len(run.flagged),
            },
        )
    return run


def service_link(
    *, actor: StaffUser | None, oruk_id: str, agency_code: str, team_code: str | None = None
) -> Service:
    """Name the joinedup agency (and team) that receives referrals to this service."""
    _may_manage(actor)
    errors: dict[str, str] = {}
    service = Service.objects.filter(oruk_id=oruk_id).first()
    if service is None:
        errors["service"] = f"No service in the directory has the ORUK id {oruk_id!r}."
    agency = Agency.objects.filter(code=agency_code).first()
    team = None
    if agency is None:
        errors["agency"] = f"No agency has the code {agency_code!r}."
    elif team_code:
        team = Team.objects.filter(agency=agency, code=team_code).first()
        if team is None:
            codes = ", ".join(agency.teams.values_list("code", flat=True)) or "none"
            errors["team"] = f"{agency.name} has no team {team_code!r} (its teams: {codes})."
    if errors:
        raise ValidationError(errors)
    assert service is not None and agency is not None
    with transaction.atomic():
        service.agency, service.team = agency, team
        service.full_clean()
        service.save(update_fields=["agency", "team"])
        audit_record(
            actor=actor,
            action="directory.link",
            object_type="directory_service",
            object_ref=service.oruk_id,
            detail={"agency": agency.code, "team": team.code if team else None},
        )
    return service
