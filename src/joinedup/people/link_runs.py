"""Run the linkage model over every source record and apply the result (issue 3)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from joinedup.governance.models import StaffUser
from joinedup.linkage.identifiers import IDENTITY_FIELDS
from joinedup.linkage.thresholds import MATCH_THRESHOLD
from joinedup.people.linking import ScoredPair, person_index_apply
from joinedup.people.models import LinkDecision, LinkRun, SourceRecord

if TYPE_CHECKING:
    import pandas as pd

RECORD_COLUMNS = IDENTITY_FIELDS  # the linkage input, after agency and record_id

logger = logging.getLogger(__name__)


def link_run_execute(
    *, actor: StaffUser | None, match_threshold: float = MATCH_THRESHOLD, engine: str = "duckdb"
) -> LinkRun:
    """Link every source record on `engine` ("duckdb" or "spark", as settings.LINKAGE_SPARK
    configures it) and apply the result; EngineUnavailable (a ValueError) if it cannot run."""
    import pandas as pd
    from django.conf import settings

    from joinedup.linkage.engine import engine_create
    from joinedup.linkage.pipeline import link_records

    rows = list(SourceRecord.objects.values_list("agency__code", "record_id", *RECORD_COLUMNS))
    if len(rows) < 2:
        raise ValueError("There are fewer than two agency records to link: import extracts first.")
    records = pd.DataFrame(rows, columns=["agency", "record_id", *RECORD_COLUMNS])
    decisions = person_link_decisions()
    spark: dict[str, Any] = settings.LINKAGE_SPARK
    runner = engine_create(
        engine,
        spark_master=spark["master"],
        work_dir=spark["work_dir"],
        java_home=spark["java_home"],
    )
    try:
        result = link_records(
            records, decisions=decisions, match_threshold=match_threshold, engine=runner
        )
    finally:
        runner.close()
    run = LinkRun.objects.create(
        actor=actor,
        engine=runner.name,
        model=result.model,
        thresholds=result.thresholds,
        model_json=result.model_json,
    )
    clusters = (
        ((str(a), str(r)), str(c))
        for a, r, c in result.clusters[["agency", "record_id", "cluster_id"]].itertuples(
            index=False
        )
    )
    review = [
        ScoredPair(
            (str(p.agency_l), str(p.record_id_l)),
            (str(p.agency_r), str(p.record_id_r)),
            float(p.match_probability),
            str(p.evidence),
        )
        for p in result.review.itertuples(index=False)
    ]
    person_index_apply(actor=actor, run=run, clusters=clusters, review=review)
    _indicators_after(actor)
    return run


def _indicators_after(actor: StaffUser | None) -> None:
    """A link run changes which child each record (and so each mark and event) belongs to:
    re-run the early-warning rules over the area. The link run stands whatever happens here;
    a failed indicator run is recorded as failed (indicators.services) and logged."""
    from django.utils import timezone

    from joinedup.indicators.models import RunTrigger
    from joinedup.indicators.services import indicators_run

    try:
        indicators_run(actor=actor, as_of=timezone.localdate(), trigger=RunTrigger.LINK)
    except Exception:
        logger.exception("indicators after a link run failed")


def person_link_decisions() -> pd.DataFrame:
    """People's reviewed decisions in force (same child / different children), oldest first:
    `link_records` lets the latest decision about a pair win, over anything the model says."""
    import pandas as pd

    return pd.DataFrame(
        [
            (
                d.record_left.agency.code,
                d.record_left.record_id,
                d.record_right.agency.code,
                d.record_right.record_id,
                d.decision,
            )
            for d in LinkDecision.objects.filter(
                is_active=True, decided_by="person", decision__in=["match", "non_match"]
            )
            .order_by("created_at", "pk")
            .select_related("record_left__agency", "record_right__agency")
        ],
        columns=["agency_l", "record_id_l", "agency_r", "record_id_r", "decision"],
    )
