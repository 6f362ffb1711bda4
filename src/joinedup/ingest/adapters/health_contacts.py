"""A community health trust's patient list."""

from __future__ import annotations

from joinedup.ingest.adapters.identity import PersonAdapter


class HealthContactsAdapter(PersonAdapter):
    name = "health-contacts"
    description = (
        "a health patient list: NHSNumber, PatientRef, Forename, Surname, "
        "DateOfBirth (DD/MM/YYYY), Gender (Male/Female), Postcode, AddressLine"
    )
    mapping = {
        "record_id": "PatientRef",
        "nhs_number": "NHSNumber",
        "given_name": "Forename",
        "family_name": "Surname",
        "date_of_birth": "DateOfBirth",
        "sex": "Gender",
        "postcode": "Postcode",
        "address": "AddressLine",
    }
    columns = (
        *("NHSNumber", "PatientRef", "Forename", "Surname"),
        *("DateOfBirth", "Gender", "Postcode", "AddressLine"),
    )
    required = ("PatientRef", "NHSNumber", "Forename", "Surname", "DateOfBirth")
    dob_format = "DD/MM/YYYY"
