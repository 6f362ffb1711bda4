"""Reading a link decision's evidence for the clerical review page.

The linkage rules store each scored pair's comparison levels as text
("first_name: nickname; dob: exact; location: different"), sometimes wrapped in what settled
it ("twin guard: ... (levels)", "not linked: reason (levels)"). Here that text becomes evidence
for and against, each level with the match weight the run's trained model gives it
(`LinkRun.model`, from `linkage.model.model_parameters`), and the review item gets its kind,
which orders the queue: the most dangerous first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from joinedup.people.linking import MERGE_PROPOSAL, SPLIT_PROPOSAL

COMPARISON_LABELS = {
    "first_name": "First name",
    "family_name": "Family name",
    "middle_names": "Middle names",
    "dob": "Date of birth",
    "sex": "Sex",
    "location": "Postcode and address",
    "nhs_number": "NHS number",
    "upn": "UPN",
    "la_child_id": "LA child id",
}

# Review kinds, most dangerous first: a safeguard refused a link, the model would split or
# merge existing children, a shared identifier is contradicted, or the pair is just uncertain.
REVIEW_KINDS: dict[str, str] = {
    "refused": "Link refused by a safeguard",
    "split": "Model would split a child",
    "merge": "Model would merge two children",
    "identifier": "Shared identifier contradicted",
    "uncertain": "Uncertain match",
}

_LEVEL = re.compile(r"(?:^|[;(]\s*)([a-z_]+): ([a-z ]+?)(?=;|\)|$)")


@dataclass(frozen=True)
class EvidenceItem:
    comparison: str  # e.g. "Date of birth"
    level: str  # e.g. "day and month swapped"
    weight: float | None  # log2 Bayes factor from the run's model, when known

    @property
    def direction(self) -> str:
        if self.weight is None or abs(self.weight) < 0.05:
            return "neutral"
        return "for" if self.weight > 0 else "against"


def review_kind(evidence: str) -> str:
    text = evidence or ""
    if text.startswith(("twin guard", "not linked:")):
        return "refused"
    if text == SPLIT_PROPOSAL:
        return "split"
    if text == MERGE_PROPOSAL:
        return "merge"
    if "contradicted by other fields" in text:
        return "identifier"
    return "uncertain"


def _weights(model: dict[str, Any], comparison: str) -> dict[str, float | None]:
    comparisons = (model or {}).get("comparisons") or {}
    levels = comparisons.get(comparison) or comparisons.get(f"{comparison}_set") or []
    return {str(level.get("label")): level.get("match_weight") for level in levels}


def evidence_items(evidence: str, model: dict[str, Any]) -> list[EvidenceItem]:
    """The comparison levels named in `evidence`, each with its match weight in `model`."""
    items: list[EvidenceItem] = []
    for comparison, level in _LEVEL.findall(evidence or ""):
        if comparison not in COMPARISON_LABELS:
            continue
        weight = _weights(model, comparison).get(level.strip())
        items.append(
            EvidenceItem(
                comparison=COMPARISON_LABELS[comparison],
                level=level.strip(),
                weight=float(weight) if weight is not None else None,
            )
        )
    return items


def evidence_summary(evidence: str) -> str:
    """What settled the pair, without its list of levels (those are shown one by one)."""
    text = (evidence or "").strip()
    if " (" in text:
        return text.split(" (", 1)[0]
    parts = [p.split(":", 1)[0].strip() for p in text.split(";")]
    return "" if all(p in COMPARISON_LABELS for p in parts) else text
