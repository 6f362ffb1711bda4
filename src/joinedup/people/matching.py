"""Is this child known? Real-time matching of one person's details against the person index.

The latest `LinkRun`'s trained model scores the details against the linked source records
through an in-memory candidate index (`joinedup.linkage.candidate_index`), built once per
process and rebuilt when a link run completes or new records arrive: the first match after
that is slow (seconds at county scale), the rest take milliseconds. The viewer sees only
candidates the access layer lets them see; a likely match to a child they have no
relationship with is reported as a count, with no identity ("a possible match exists that
you cannot see; ask the safeguarding hub"). Every call is audited (`children.match`), with
the details the viewer typed (their own query) and the child ids they were shown.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from joinedup.access.audit import audit_record
from joinedup.access.children import visible_children
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.access.writes import audit_denied
from joinedup.governance.models import StaffUser
from joinedup.linkage.thresholds import POSSIBLE_MATCH
from joinedup.people.link_runs import RECORD_COLUMNS
from joinedup.people.models import LinkRun, SourceRecord

__all__ = [
    "HIDDEN_MATCH_MESSAGE",
    "MatchCandidate",
    "MatchResult",
    "NoLinkModel",
    "candidate_index_clear",
    "child_match",
]

HIDDEN_MATCH_MESSAGE = "A possible match exists that you cannot see; ask the safeguarding hub."
TOP = 5
PERSON_FIELDS = tuple(RECORD_COLUMNS)  # the identity fields a query may give
QUERY_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn")


class NoLinkModel(Exception):
    """No linkage run has saved a model yet."""

    def __init__(self) -> None:
        super().__init__("No trained linkage model yet: run `joinedup link` first.")


@dataclass(frozen=True)
class MatchCandidate:
    child_id: str
    probability: float
    evidence: list[str]


@dataclass(frozen=True)
class MatchResult:
    candidates: list[MatchCandidate] = field(default_factory=list)
    hidden_matches: int = 0

    @property
    def hidden_message(self) -> str:
        return HIDDEN_MATCH_MESSAGE if self.hidden_matches else ""


def clean_person(person: dict[str, Any]) -> dict[str, str]:
    """The query's identity fields as stripped strings; ValueError for anything else.

    At least one of a name, a date of birth or an identifier must be given.
    """
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    cleaned = {}
    for key, value in person.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValueError(f"Field {key!r} must be a string.")
        if value.strip():
            cleaned[key] = value.strip()[:200]
    if not any(cleaned.get(k) for k in QUERY_FIELDS):
        raise ValueError(
            "Give at least a name, a date_of_birth or an identifier (nhs_number or upn)."
        )
    return cleaned


def _index() -> Any:
    import pandas as pd

    rows = SourceRecord.objects.filter(child__isnull=False).values_list(
        "agency__code", "record_id", *RECORD_COLUMNS, "child__child_id"
    )
    return pd.DataFrame(list(rows), columns=["agency", "record_id", *RECORD_COLUMNS, "cluster_id"])


# One candidate index per process: (what it was built from, the index). Built on first use,
# rebuilt when a new link run completes or new source records arrive.
_CACHE: dict[str, tuple[tuple[Any, ...], Any]] = {}
_CACHE_LOCK = threading.Lock()


def _marker(run: LinkRun) -> tuple[Any, ...]:
    """What the index depends on, cheaply: the link run (children are assigned by link runs),
    the newest source record, and the finished imports (an import may change a record's
    details in place). Index look-ups and a small table, never a scan of the records."""
    from joinedup.ingest.models import ImportRun, ImportStatus

    newest = SourceRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    imports = ImportRun.objects.exclude(status=ImportStatus.RUNNING).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    return (run.pk, run.started_at, run.finished_at, newest, imports["n"], imports["last"])


def _candidate_index(run: LinkRun) -> Any:
    """The in-memory candidate index for `run`'s model over the linked source records."""
    from joinedup.linkage.candidate_index import CandidateIndex

    marker = _marker(run)
    held = _CACHE.get("index")
    if held is not None and held[0] == marker:
        return held[1]
    with _CACHE_LOCK:
        held = _CACHE.get("index")
        if held is not None and held[0] == marker:
            return held[1]
        index = CandidateIndex(_index(), model_json=run.model_json)
        _CACHE["index"] = (marker, index)
        return index


def candidate_index_clear() -> None:
    """Forget this process's candidate index (the next match rebuilds it)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def child_match(*, viewer: StaffUser, person: dict[str, Any], purpose: str) -> MatchResult:
    """Children the viewer may see who might be `person`, most likely first, and a count of
    likely matches they may not see. Raises ValueError for a bad query, NoLinkModel when
    `joinedup link` has not run."""
    query = clean_person(person)
    if not role_allows(viewer.role, Action.SEARCH_CHILDREN) or purpose not in allowed_purposes(
        viewer.role
    ):
        # Deny by default, and say nothing, not even whether a match exists.
        audit_denied(
            actor=viewer,
            action="children.match",
            purpose=purpose,
            object_type="match",
            detail={"query": query},
        )
        return MatchResult()
    run = LinkRun.objects.exclude(model_json="").order_by("-started_at", "-pk").first()
    if run is None:
        raise NoLinkModel()
    found = _candidate_index(run).match(query, top=50)
    ids = [c.cluster_id for c in found]
    visible = set(
        visible_children(viewer, purpose=purpose)
        .filter(child_id__in=ids)
        .values_list("child_id", flat=True)
    )
    shown = [
        MatchCandidate(c.cluster_id, round(c.match_probability, 6), c.evidence)
        for c in found
        if c.cluster_id in visible
    ][:TOP]
    hidden = sum(
        1 for c in found if c.cluster_id not in visible and c.match_probability >= POSSIBLE_MATCH
    )
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action="children.match",
            purpose=purpose[:20],
            object_type="match",
            detail={
                "query": query,
                "results": [c.child_id for c in shown],
                "hidden_matches": hidden,
                "link_run": run.pk,
            },
        )
    return MatchResult(candidates=shown, hidden_matches=hidden)
