"""Running the indicator rules and keeping their flags: nightly, on demand, after an import.

One run, one transaction: an open flag for the same child and rule is updated (latest values;
no longer new; rising when its level went up from amber to red), a rule firing for the first
time opens a new flag (new, with the date a decision is due), and an open flag whose rule no
longer fires is cleared (kept, with the run that cleared it). One audit entry
(`indicators.run`) records the run and its counts, in the same transaction. A run that fails
is recorded afterwards, in its own transaction, with its error.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.governance.models import StaffUser
from joinedup.governance.working_days import add_working_days
from joinedup.indicators.area import area_inputs, rules_load, survivors, touched_children
from joinedup.indicators.evaluate import evaluate
from joinedup.indicators.models import (
    Flag,
    FlagLevel,
    FlagStatus,
    IndicatorRun,
    RunStatus,
    RunTrigger,
)
from joinedup.indicators.results import FlagResult
from joinedup.indicators.rulefile import RuleSet
from joinedup.ingest.models import ImportRun, ImportStatus

__all__ = ["decision_due", "indicators_after_import", "indicators_run"]

UPDATED = (
    "rule_version",
    "rule_name",
    "domain",
    "level",
    "value",
    "threshold",
    "unit",
    "comparison",
    "window_start",
    "window_end",
    "window_label",
    "source",
    "data_date",
    "clears_when",
    "evidence",
    "is_escalation",
)
BATCH = 2000


def decision_due(as_of: date, school_days: int) -> date:
    """`school_days` working days after `as_of`: weekends and England and Wales bank holidays
    are not counted (a school's own holidays differ by school and are not known here)."""
    return add_working_days(as_of, school_days)


def _amount(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def indicators_run(
    *,
    actor: StaffUser | None,
    as_of: date,
    trigger: str,
    child_ids: Collection[int] | None = None,
    rules: RuleSet | None = None,
) -> IndicatorRun:
    """Evaluate the rule set (settings.INDICATOR_RULES_FILE unless `rules`) as at `as_of`, for
    the whole area or for `child_ids` (as their surviving children), and store the flags."""
    if trigger not in RunTrigger.values:
        raise ValueError(f"{trigger!r} is not a run trigger ({', '.join(RunTrigger.values)})")
    rules = rules or rules_load()
    started = timezone.now()
    final = survivors()
    scope: set[int] | None = None
    if child_ids is not None:
        wanted = {final.get(pk, pk) for pk in child_ids}
        scope = wanted | {pk for pk, target in final.items() if target in wanted}
    in_scope = Q(status=FlagStatus.OPEN) & (Q() if scope is None else Q(child_id__in=scope))
    previous = {
        (child, rule): level
        for child, rule, level in Flag.objects.filter(in_scope).values_list(
            "child_id", "rule_id", "level"
        )
    }
    try:
        inputs = area_inputs(as_of=as_of, rules=rules, child_ids=scope)
        results = evaluate(inputs, as_of=as_of, rules=rules, previous=previous)
        with transaction.atomic():
            run = IndicatorRun.objects.create(
                rule_set_version=rules.version,
                rule_set_sha256=rules.sha256,
                as_of=as_of,
                trigger=trigger,
                started_at=started,
                started_by=actor,
                children_evaluated=len(inputs.children),
            )
            counts = _store(run, results, in_scope, as_of, rules.decision_due_school_days)
            run.status = RunStatus.FINISHED
            run.finished_at = timezone.now()
            run.save()
            _audit(run, actor, scope, counts)
    except Exception as exc:
        _failed(actor, rules, as_of, trigger, started, exc)
        raise
    return run


def _store(
    run: IndicatorRun, results: list[FlagResult], in_scope: Q, as_of: date, due_days: int
) -> dict[str, int]:
    open_flags = {
        (f.child_id, f.rule_id): f for f in Flag.objects.select_for_update().filter(in_scope)
    }
    new: list[Flag] = []
    changed: list[Flag] = []
    rising = 0
    for result in results:
        values = {name: getattr(result, name) for name in UPDATED}
        values["value"], values["threshold"] = _amount(result.value), _amount(result.threshold)
        flag = open_flags.pop((result.child_id, result.rule_id), None)
        if flag is None:
            new.append(
                Flag(
                    child_id=result.child_id,
                    rule_id=result.rule_id,
                    first_run=run,
                    last_run=run,
                    is_new=True,
                    is_rising=False,
                    decision_due_on=decision_due(as_of, due_days),
                    **values,
                )
            )
            continue
        went_up = flag.level == FlagLevel.AMBER and result.level == FlagLevel.RED
        for name, value in values.items():
            setattr(flag, name, value)
        flag.last_run, flag.is_new, flag.is_rising = run, False, went_up
        if went_up:  # a flag that got worse needs a fresh decision
            flag.decision_due_on = decision_due(as_of, due_days)
            rising += 1
        changed.append(flag)
    Flag.objects.bulk_create(new, batch_size=BATCH)
    Flag.objects.bulk_update(
        changed, [*UPDATED, "last_run", "is_new", "is_rising", "decision_due_on"], batch_size=BATCH
    )
    cleared = list(open_flags.values())
    for flag in cleared:
        flag.status, flag.cleared_run = FlagStatus.CLEARED, run
        flag.is_new = flag.is_rising = False
    Flag.objects.bulk_update(
        cleared, ["status", "cleared_run", "is_new", "is_rising"], batch_size=BATCH
    )
    run.flags_raised, run.flags_cleared = len(new), len(cleared)
    return {"raised": len(new), "updated": len(changed), "rising": rising, "cleared": len(cleared)}


def _audit(
    run: IndicatorRun, actor: StaffUser | None, scope: set[int] | None, counts: dict[str, int]
) -> None:
    audit_record(
        actor=actor,
        action="indicators.run",
        object_type="indicator_run",
        object_ref=str(run.pk),
        detail={
            "run": run.pk,
            "status": run.status,
            "as_of": run.as_of.isoformat(),
            "trigger": run.trigger,
            "rule_set_version": run.rule_set_version,
            "rule_set_sha256": run.rule_set_sha256,
            "scope": "area" if scope is None else f"{len(scope)} children",
            "children_evaluated": run.children_evaluated,
            "flags": counts,
            **({"error": run.error} if run.error else {}),
        },
    )


def _failed(
    actor: StaffUser | None,
    rules: RuleSet,
    as_of: date,
    trigger: str,
    started: datetime,
    exc: BaseException,
) -> None:
    with transaction.atomic():
        run = IndicatorRun.objects.create(
            rule_set_version=rules.version,
            rule_set_sha256=rules.sha256,
            as_of=as_of,
            trigger=trigger,
            started_at=started,
            started_by=actor,
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        _audit(run, actor, None, {})


def indicators_after_import(run: ImportRun) -> IndicatorRun | None:
    """After a loaded import, run the rules for the children it touched (None if it touched
    none: records not yet linked to a child are not evaluated until linkage links them)."""
    if run.status != ImportStatus.LOADED:
        return None
    children = touched_children(run)
    if not children:
        return None
    return indicators_run(
        actor=run.actor,
        as_of=timezone.localdate(),
        trigger=RunTrigger.IMPORT,
        child_ids={int(c) for c in children},
    )
