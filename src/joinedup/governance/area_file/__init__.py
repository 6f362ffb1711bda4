"""The area as data: agencies, teams, staff and sharing agreements declared in TOML files
(`joinedup area apply|export`) and staff lists from HR (`joinedup staff import`).

Read and checked (validate), compared with the database (plan), applied in one audited
transaction (apply), written back out (export). See docs/area.md and ADR 0013.
"""

from joinedup.governance.area_file.apply import (
    ApplyResult,
    area_apply,
    plan_apply,
    sources_from_paths,
)
from joinedup.governance.area_file.export import area_export
from joinedup.governance.area_file.plan import Change, Plan
from joinedup.governance.area_file.report import plan_describe
from joinedup.governance.area_file.schema import AreaError, AreaFileInvalid
from joinedup.governance.area_file.staff_csv import staff_import
from joinedup.governance.area_file.validate import AreaSource

__all__ = [
    "ApplyResult",
    "AreaError",
    "AreaFileInvalid",
    "AreaSource",
    "Change",
    "Plan",
    "area_apply",
    "area_export",
    "plan_apply",
    "plan_describe",
    "sources_from_paths",
    "staff_import",
]
