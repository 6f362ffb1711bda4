"""The directory API's bodies: a search, and the services it finds."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class LocationOut(Schema):
    name: str
    address: str
    postcode: str
    latitude: float | None
    longitude: float | None


class ServiceOut(Schema):
    id: int
    oruk_id: str
    name: str
    description: str
    organisation: str
    status: str
    min_age: int | None
    max_age: int | None
    taxonomy: list[str]
    last_reviewed_on: date | None
    # Why the directory's review date was not taken (e.g. it is in the future); blank if it was.
    review_date_flag: str
    is_stale: bool
    receives_referrals: bool
    agency: str | None
    team: str | None
    telephone: str
    email: str
    url: str
    locations: list[LocationOut]


class ServiceSearchParams(Schema):
    text: str = ""
    age: str = ""
    include_inactive: bool = False
