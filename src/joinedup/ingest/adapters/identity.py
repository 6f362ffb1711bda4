"""What every person-shaped extract shares: the identity checks that decide load or quarantine.

Identity fields are stored exactly as received; the linker reads them as they came. A row is
quarantined only when it cannot be an identity at all or cannot be stored:

- no record id (the agency's key for the person);
- no name, no date of birth and no identifier, so it identifies no one;
- a date of birth that is not a date in the format the file states, or is in the future;
- a value longer than the field that holds it.

An NHS number failing its modulus-11 check, or a UPN failing its check letter, is *not* a
reason: the rest of the row still identifies a child, and the bad identifier is itself evidence
(a transposition the linker can weigh). The row is loaded as received, with a warning on the run.
"""

from __future__ import annotations

from typing import ClassVar

from joinedup.ingest.adapters.base import (
    CsvAdapter,
    PersonRecord,
    Problem,
    Row,
    damaged_values,
    date_problem,
    too_long,
)
from joinedup.linkage.identifiers import (
    IDENTITY_FIELDS,
    InvalidIdentifier,
    check_nhs_number,
    check_upn,
)
from joinedup.people.models import SourceRecord

IDENTIFIER_FIELDS = ("nhs_number", "upn", "former_upn", "la_child_id")
_CHECKS = {"nhs_number": check_nhs_number, "upn": check_upn, "former_upn": check_upn}


MAX_LENGTH = {
    name: int(getattr(SourceRecord._meta.get_field(name), "max_length", 0) or 0)
    for name in ("record_id", *IDENTITY_FIELDS)
}


class PersonAdapter(CsvAdapter):
    """A person-shaped extract. `mapping` is SourceRecord field -> this format's column."""

    kind: ClassVar[str] = "persons"
    mapping: ClassVar[dict[str, str]]
    dob_format: ClassVar[str] = "YYYY-MM-DD"  # a key of base.DATE_FORMATS

    def record_id_column(self) -> str:
        return self.mapping["record_id"]

    def validate(self, row: Row) -> PersonRecord | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        problems = damaged_values(row)
        id_column = self.record_id_column()
        record_id = row.get(id_column, "").strip()
        if not record_id:
            problems.append(Problem(id_column, "is blank: every row needs the agency's record id"))
        elif problem := too_long(id_column, record_id, MAX_LENGTH["record_id"]):
            problems.append(problem)
        fields = {
            name: row.get(self.mapping[name], "")
            for name in IDENTITY_FIELDS
            if name in self.mapping
        }
        for name, value in fields.items():
            if problem := too_long(self.mapping[name], value, MAX_LENGTH[name]):
                problems.append(problem)
        dob = fields.get("date_of_birth", "")
        if dob.strip() and (
            problem := date_problem(self.mapping["date_of_birth"], dob, self.dob_format)
        ):
            problems.append(problem)
        named = any(fields.get(n, "").strip() for n in ("given_name", "family_name"))
        identified = any(fields.get(n, "").strip() for n in IDENTIFIER_FIELDS)
        if not (named or dob.strip() or identified):
            columns = [self.mapping[n] for n in ("given_name", "family_name", "date_of_birth")]
            columns += [self.mapping[n] for n in IDENTIFIER_FIELDS if n in self.mapping]
            problems.append(
                Problem(
                    "/".join(columns),
                    "are all blank: with no name, date of birth or identifier the row "
                    "identifies no one",
                )
            )
        if problems:
            return problems
        warnings = []
        for name, check in _CHECKS.items():
            value = fields.get(name, "")
            if value.strip():
                try:
                    check(value)
                except InvalidIdentifier as exc:
                    warnings.append(Problem(self.mapping[name], f"{exc} Loaded as received."))
        for name in IDENTITY_FIELDS:
            fields.setdefault(name, "")
        return PersonRecord(record_id, fields, dict(row), warnings)
