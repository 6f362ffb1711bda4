"""What an analyst sees of link runs: counts, thresholds and the trained model, never a child.

A run's model is aggregate (how much each kind of agreement between two records counts), so it
is shown to the people who review links; no identity or case data is read here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from joinedup.people.link_models import LinkRun

# Plain words for the thresholds `link_records` saves; unknown keys are shown as saved.
THRESHOLD_LABELS: dict[str, str] = {
    "match_threshold": "Probability at or above which the model links two records",
    "review_band": "Probabilities sent to clerical review (from, to)",
    "pairs_kept_from_probability": "Pairs kept for evidence from this probability",
    "twin_guard": "Twin and same-birthday sibling guard",
}


@dataclass(frozen=True)
class ModelLevel:
    label: str
    m: float | None
    u: float | None
    match_weight: float | None

    @property
    def weight_text(self) -> str:
        """A weight in bits, signed; infinite weights say what they mean."""
        w = self.match_weight
        if w is None:
            return "not trained"
        if math.isinf(w):
            return "decisive for" if w > 0 else "decisive against"
        return f"{w:+.1f}"


@dataclass(frozen=True)
class ModelComparison:
    name: str
    levels: list[ModelLevel]


@dataclass(frozen=True)
class LinkRunDetail:
    run: LinkRun
    thresholds: list[tuple[str, str]]
    prior: float | None
    prior_weight: float | None
    comparisons: list[ModelComparison]


def link_run_list() -> QuerySet[LinkRun]:
    return LinkRun.objects.order_by("-started_at", "-pk")


def _threshold_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list | tuple):
        return " to ".join(_threshold_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def link_run_detail(run_id: int) -> LinkRunDetail | None:
    run = LinkRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    model = run.model if isinstance(run.model, dict) else {}
    comparisons = [
        ModelComparison(
            name=name.replace("_", " "),
            levels=[
                ModelLevel(
                    label=str(level.get("label", "")),
                    m=_number(level.get("m")),
                    u=_number(level.get("u")),
                    match_weight=_number(level.get("match_weight")),
                )
                for level in levels
            ],
        )
        for name, levels in (model.get("comparisons") or {}).items()
    ]
    thresholds = [
        (THRESHOLD_LABELS.get(key, key.replace("_", " ")), _threshold_text(value))
        for key, value in (run.thresholds or {}).items()
    ]
    return LinkRunDetail(
        run=run,
        thresholds=thresholds,
        prior=_number(model.get("probability_two_random_records_match")),
        prior_weight=_number(model.get("prior_match_weight")),
        comparisons=comparisons,
    )
