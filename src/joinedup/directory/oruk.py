"""Reading Open Referral UK (ORUK) service data: the bytes of a file -> checked services, or the
problems that stop each one. Pure Python (no Django), so it is tested without a database.

Accepted shapes (JSON, UTF-8):
- a list of services;
- a paged API response: `{"content": [...]}` (ORUK v1, Spring-style pages), `{"contents": [...]}`
  (HSDS 3 / ORUK 3 pages) or `{"items": [...]}`.

Each service needs `id`, `name`, `status` and an `organization` object with `id` and `name`.
Both ORUK v1 and HSDS 3 field names are read:

| what | ORUK v1 | HSDS 3 |
| --- | --- | --- |
| review date | `assured_date` (else `last_modified`) | same |
| ages | `eligibilitys[].minimum_age/maximum_age` | `minimum_age`/`maximum_age` |
| taxonomy | `service_taxonomys[].taxonomy.name` | `attributes[].taxonomy_term.name` |
| locations | `service_at_locations[].location.physical_addresses[]` | `...location.addresses[]` |
| organisation web site | `organization.url` | `organization.website` |
| telephone | `contacts[].phones[].number` | `phones[].number` |
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

__all__ = [
    "MAX_AGE",
    "STATUSES",
    "OrukFileError",
    "ParsedLocation",
    "ParsedOrganisation",
    "ParsedService",
    "Problem",
    "oruk_read",
]

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
MAX_AGE = 120
PAGE_KEYS = ("content", "contents", "items")


class OrukFileError(ValueError):
    """The file as a whole cannot be read as ORUK services; the message says why."""


@dataclass(frozen=True)
class Problem:
    where: str  # "entry 3 (id 'svc-9')"
    field: str  # "status", "eligibilitys[0].minimum_age", ...
    why: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "field": self.field, "why": self.why}

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.why}"


@dataclass(frozen=True)
class ParsedOrganisation:
    oruk_id: str
    name: str
    description: str = ""
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class ParsedLocation:
    oruk_id: str
    name: str = ""
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ParsedService:
    index: int  # 1-based position in the file
    oruk_id: str
    name: str
    organisation: ParsedOrganisation
    status: str
    description: str = ""
    url: str = ""
    email: str = ""
    telephone: str = ""
    min_age: int | None = None
    max_age: int | None = None
    eligibility: str = ""
    taxonomy: list[str] = field(default_factory=list)
    last_reviewed_on: date | None = None
    # Set when the file's review date cannot be trusted (it is in the future): the service is
    # kept, with no review date (so it reads as not reviewed), and this says why.
    review_date_flag: str = ""
    locations: list[ParsedLocation] = field(default_factory=list)

    @property
    def where(self) -> str:
        return _where(self.index, self.oruk_id)


class _Reject(Exception):
    def __init__(self, field_name: str, why: str) -> None:
        super().__init__(why)
        self.field = field_name
        self.why = why


def _where(index: int, oruk_id: str | None) -> str:
    return f"entry {index}" + (f" (id {oruk_id!r})" if oruk_id else "")


def _text(obj: dict[str, Any], key: str, name: str, *, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        value = ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "id":
        value = str(value)  # some feeds number their ids
    if not isinstance(value, str):
        raise _Reject(name, f"must be text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise _Reject(name, "is missing or blank")
    return value


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Reject(key, f"must be a list, not {type(value).__name__}")
    return value


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Reject(name, f"must be an object, not {type(value).__name__}")
    return value


def _age(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Reject(name, f"must be a whole number of years, not {value!r}")
    if not 0 <= value <= MAX_AGE:
        raise _Reject(name, f"must be from 0 to {MAX_AGE} years, not {value}")
    return value


def _review_date(service: dict[str, Any], today: date) -> tuple[date | None, str]:
    """The service's last review date, or None with a flag saying why it is not trusted.

    A review date in the future (a typo, or a feed's clock) keeps the service: it is a real
    service that children may need, so it stays searchable, marked as not reviewed.
    """
    for key in ("assured_date", "last_modified"):
        raw = service.get(key)
        if raw in (None, ""):
            continue
        if not isinstance(raw, str):
            raise _Reject(key, f"must be a date (YYYY-MM-DD), not {raw!r}")
        text = raw.strip()
        try:
            day = (
                date.fromisoformat(text)
                if len(text) == 10
                else datetime.fromisoformat(text.replace("Z", "+00:00")).date()
            )
        except ValueError:
            raise _Reject(key, f"{raw!r} is not a date (YYYY-MM-DD)") from None
        if day > today + timedelta(days=1):
            return None, f"{key} {day.isoformat()} is in the future"
        return day, ""
    return None, ""


def _ages(service: dict[str, Any]) -> tuple[int | None, int | None, str]:
    """The widest range over the service's eligibility entries (HSDS 3 fields win)."""
    mins: list[int] = []
    maxes: list[int] = []
    words: list[str] = []
    for i, raw in enumerate(_list(service, "eligibilitys")):
        entry = _object(raw, f"eligibilitys[{i}]")
        low = _age(entry.get("minimum_age"), f"eligibilitys[{i}].minimum_age")
        high = _age(entry.get("maximum_age"), f"eligibilitys[{i}].maximum_age")
        if low is not None and high is not None and low > high:
            raise _Reject(
                f"eligibilitys[{i}].minimum_age",
                f"minimum age {low} is more than maximum age {high}",
            )
        mins += [low] if low is not None else []
        maxes += [high] if high is not None else []
        text = entry.get("eligibility")
        if isinstance(text, str) and text.strip():
            words.append(text.strip())
    low = _age(service.get("minimum_age"), "minimum_age")
    high = _age(service.get("maximum_age"), "maximum_age")
    low = low if low is not None else (min(mins) if mins else None)
    high = high if high is not None else (max(maxes) if maxes else None)
    if low is not None and high is not None and low > high:
        raise _Reject("minimum_age", f"minimum age {low} is more than maximum age {high}")
    return low, high, "; ".join(words)


def _taxonomy(service: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for i, raw in enumerate(_list(service, "service_taxonomys")):
        entry = _object(raw, f"service_taxonomys[{i}]")
        term = _object(entry.get("taxonomy"), f"service_taxonomys[{i}].taxonomy")
        names.append(_text(term, "name", f"service_taxonomys[{i}].taxonomy.name"))
    for i, raw in enumerate(_list(service, "attributes")):
        linked = _object(raw, f"attributes[{i}]").get("taxonomy_term")
        if linked is not None:
            names.append(
                _text(
                    _object(linked, f"attributes[{i}].taxonomy_term"),
                    "name",
                    f"attributes[{i}].taxonomy_term.name",
                )
            )
    return list(dict.fromkeys(n for n in names if n))


def _coordinate(value: Any, name: str, limit: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Reject(name, f"must be a number, not {value!r}") from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise _Reject(name, f"must be from -{limit:g} to {limit:g}, not {value!r}")
    return number


def _location(raw: Any, i: int) -> ParsedLocation | None:
    at = _object(raw, f"service_at_locations[{i}]")
    if at.get("location") is None:
        return None  # HSDS 3 service_at_location with no location detail
    loc = _object(at["location"], f"service_at_locations[{i}].location")
    prefix = f"service_at_locations[{i}].location"
    addresses = _list(loc, "physical_addresses") or _list(loc, "addresses")
    address = postcode = ""
    if addresses:
        first = _object(addresses[0], f"{prefix}.addresses[0]")
        parts = [_text(first, k, f"{prefix}.addresses[0].{k}") for k in ("address_1", "city")]
        address = ", ".join(p for p in parts if p)
        postcode = _text(first, "postal_code", f"{prefix}.addresses[0].postal_code").upper()
        if len(postcode) > 10:
            raise _Reject(f"{prefix}.addresses[0].postal_code", f"{postcode!r} is not a postcode")
    return ParsedLocation(
        oruk_id=_text(loc, "id", f"{prefix}.id", required=True),
        name=_text(loc, "name", f"{prefix}.name"),
        address=address,
        postcode=postcode,
        latitude=_coordinate(loc.get("latitude"), f"{prefix}.latitude", 90),
        longitude=_coordinate(loc.get("longitude"), f"{prefix}.longitude", 180),
    )


def _telephone(service: dict[str, Any]) -> str:
    phones = list(_list(service, "phones"))
    for contact in _list(service, "contacts"):
        if isinstance(contact, dict):
            phones += [p for p in contact.get("phones") or [] if isinstance(p, dict)]
    for phone in phones:
        if isinstance(phone, dict) and isinstance(phone.get("number"), str):
            return str(phone["number"]).strip()[:60]
    return ""


def _organisation(service: dict[str, Any]) -> ParsedOrganisation:
    if service.get("organization") is None:
        raise _Reject("organization", "is missing: each service names its organisation")
    org = _object(service["organization"], "organization")
    return ParsedOrganisation(
        oruk_id=_text(org, "id", "organization.id", required=True),
        name=_text(org, "name", "organization.name", required=True),
        description=_text(org, "description", "organization.description"),
        url=_text(org, "website", "organization.website") or _text(org, "url", "organization.url"),
        email=_text(org, "email", "organization.email"),
    )


def _service(raw: dict[str, Any], index: int, today: date) -> ParsedService:
    oruk_id = _text(raw, "id", "id", required=True)
    name = _text(raw, "name", "name", required=True)
    status = _text(raw, "status", "status", required=True).lower()
    if status not in STATUSES:
        raise _Reject("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    low, high, eligibility = _ages(raw)
    locations = [
        loc for i, r in enumerate(_list(raw, "service_at_locations")) if (loc := _location(r, i))
    ]
    reviewed_on, review_date_flag = _review_date(raw, today)
    return ParsedService(
        index=index,
        oruk_id=oruk_id,
        name=name,
        organisation=_organisation(raw),
        status=status,
        description=_text(raw, "description", "description"),
        url=_text(raw, "url", "url"),
        email=_text(raw, "email", "email"),
        telephone=_telephone(raw),
        min_age=low,
        max_age=high,
        eligibility=eligibility,
        taxonomy=_taxonomy(raw),
        last_reviewed_on=reviewed_on,
        review_date_flag=review_date_flag,
        locations=locations,
    )


def _entries(data: bytes) -> list[Any]:
    if not data.strip():
        raise OrukFileError("the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OrukFileError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start})"
        ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OrukFileError(
            f"the file is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if isinstance(doc, dict):
        for key in PAGE_KEYS:
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            raise OrukFileError(
                "the file is a JSON object without a list of services: give a list of services, "
                "or a page with 'content', 'contents' or 'items'"
            )
    if not isinstance(doc, list):
        raise OrukFileError(f"the file holds a JSON {type(doc).__name__}, not a list of services")
    if not doc:
        raise OrukFileError("the file holds no services")
    return doc


def oruk_read(data: bytes, *, today: date) -> tuple[list[ParsedService], list[Problem]]:
    """The services that pass, and a problem for each one that does not.

    Raises OrukFileError when the file as a whole is unreadable (empty, not UTF-8, not JSON,
    not a list of services).
    """
    services: list[ParsedService] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(_entries(data), start=1):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        shown_id = str(raw_id) if isinstance(raw_id, (str, int)) and str(raw_id).strip() else None
        try:
            if not isinstance(raw, dict):
                raise _Reject("(entry)", f"must be a service object, not {type(raw).__name__}")
            service = _service(raw, index, today)
            if service.oruk_id in seen:
                raise _Reject("id", f"is also used by entry {seen[service.oruk_id]}")
        except _Reject as reject:
            problems.append(Problem(_where(index, shown_id), reject.field, reject.why))
            continue
        seen[service.oruk_id] = index
        services.append(service)
    return services, problems
