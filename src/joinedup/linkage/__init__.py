"""Record linkage: pure Python over DuckDB/Splink/Spark. Must not import Django."""

from joinedup.linkage.identifiers import (
    IdentifierCheck,
    InvalidIdentifier,
    check_la_child_id,
    check_nhs_number,
    check_upn,
)

__all__ = [
    "IdentifierCheck",
    "InvalidIdentifier",
    "check_la_child_id",
    "check_nhs_number",
    "check_upn",
]
