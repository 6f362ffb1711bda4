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
    "link_records",
    "LinkResult",
]


def __getattr__(name: str) -> object:
    # Imported on first use, so the identifier checks stay cheap (no pandas/Splink import).
    if name in ("LinkResult", "link_records"):
        from joinedup.linkage import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'joinedup.linkage' has no attribute {name!r}")
