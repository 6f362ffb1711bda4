"""A school's census-like roll (the DfE school census pupil fields a school MIS exports).

Each pupil is a source record of the school, and has an "on roll" involvement with it
(`ingest.involvements.RollLoader`): from EntryDate (or the extract date) to LeavingDate. The
roll is a full list: a pupil missing from a later roll comes off it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from joinedup.ingest.adapters.base import PersonRecord, Problem, Row, column_key
from joinedup.ingest.adapters.dates import day_or_problem
from joinedup.ingest.adapters.identity import PersonAdapter


class SchoolCensusAdapter(PersonAdapter):
    name = "school-census"
    kind: ClassVar[str] = "roll"
    description = (
        "a school roll: PupilRef, UPN, FormerUPN, Surname, Forename, MiddleNames, "
        "DOB (YYYY-MM-DD), Sex, Postcode, AddressLine1 and census fields (SEN, FSM, ...). "
        "Each pupil is on roll (a level 1 involvement with the school) from EntryDate (else "
        "the extract date) to LeavingDate; a full list: pupils missing from it come off roll."
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

    def validate(self, row: Row) -> PersonRecord | list[Problem]:
        result = super().validate(row)
        problems = result if isinstance(result, list) else []
        entry = day_or_problem("EntryDate", row.get("EntryDate", ""), required=False)
        leaving = day_or_problem("LeavingDate", row.get("LeavingDate", ""), required=False)
        problems += [p for p in (entry, leaving) if isinstance(p, Problem)]
        if isinstance(entry, date) and isinstance(leaving, date) and leaving < entry:
            problems.append(Problem("LeavingDate", "is before EntryDate"))
        return problems if problems else result
