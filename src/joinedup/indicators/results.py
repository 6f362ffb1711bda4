"""What evaluating a rule for a child gives: a FlagResult (pure; no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["FlagResult"]


@dataclass(frozen=True)
class FlagResult:
    """One rule firing for one child: the fields of indicators.models.Flag it fills."""

    child_id: int
    rule_id: str
    rule_version: str
    rule_name: str
    domain: str
    level: str  # amber | red
    value: float
    threshold: float
    unit: str
    comparison: str
    window_start: date | None
    window_end: date | None
    window_label: str
    source: str
    data_date: date | None
    clears_when: str
    evidence: dict[str, Any]
    is_escalation: bool = False
