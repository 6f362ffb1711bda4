"""The generic "persons" extract, joinedup's own shape for any agency."""

from __future__ import annotations

from joinedup.ingest.adapters.identity import IDENTITY_FIELDS, PersonAdapter


class PersonsAdapter(PersonAdapter):
    name = "persons"
    description = (
        "joinedup's generic person list: record_id, given_name, middle_names, family_name, "
        "date_of_birth (YYYY-MM-DD), sex, postcode, address, nhs_number, upn, la_child_id"
    )
    mapping = {"record_id": "record_id", **{f: f for f in IDENTITY_FIELDS if f != "former_upn"}}
    columns = tuple(mapping.values())
    # Only the key, the names and the date of birth must be there; other columns may be absent.
    required = ("record_id", "given_name", "family_name", "date_of_birth")
