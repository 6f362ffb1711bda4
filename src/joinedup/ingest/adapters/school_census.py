"""A school's census-like roll (the DfE school census pupil fields a school MIS exports)."""

from __future__ import annotations

from collections.abc import Mapping

from joinedup.ingest.adapters.base import column_key
from joinedup.ingest.adapters.identity import PersonAdapter


class SchoolCensusAdapter(PersonAdapter):
    name = "school-census"
    description = (
        "a school roll: PupilRef, UPN, FormerUPN, Surname, Forename, MiddleNames, "
        "DOB (YYYY-MM-DD), Sex, Postcode, AddressLine1 and census fields (SEN, FSM, ...)"
    )
    mapping = {
        "record_id": "PupilRef",
        "upn": "UPN",
        "former_upn": "FormerUPN",
        "family_name": "Surname",
        "given_name": "Forename",
        "middle_names": "MiddleNames",
        "date_of_birth": "DOB",
        "sex": "Sex",
        "postcode": "Postcode",
        "address": "AddressLine1",
    }
    columns = (
        *mapping.values(),
        "SENprovision",
        "FSMeligible",
        "Ethnicity",
        "NCyearActual",
        "URN",
        "EntryDate",
        "LeavingDate",
    )
    required = ("Surname", "Forename", "DOB")

    def __init__(self, display_name: str = "") -> None:
        super().__init__(display_name)
        self._id_column = "PupilRef"

    def resolve_columns(self, present: Mapping[str, str]) -> list[str]:
        missing = super().resolve_columns(present)
        # The record id is the school's PupilRef; a roll without one is keyed by UPN.
        if column_key("PupilRef") in present:
            self._id_column = "PupilRef"
        elif column_key("UPN") in present:
            self._id_column = "UPN"
        else:
            missing.insert(0, "PupilRef (or UPN)")
        return missing

    def record_id_column(self) -> str:
        return self._id_column
