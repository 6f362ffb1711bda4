"""The plan as people read it: what will be created, changed, ended and re-opened."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from joinedup.governance.area_file.plan import OBJECT_TYPES, Change, Plan

_NOUN = {"agency": "agencies", "team": "teams", "staff": "staff", "agreement": "agreements"}
_MARK = {
    "created": "+ create",
    "changed": "~ change",
    "ended": "- end",
    "disabled": "- disable",
    "reopened": "+ re-open",
    "enabled": "+ re-enable",
}
_SHOWN = 60  # longest value shown in full


def _value(value: Any) -> str:
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return local.date().isoformat() if local.time() == local.time().min else local.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
        return f"[{text}]" if len(text) <= _SHOWN else f"[{len(value)} items]"
    text = str(value) if value not in ("", None) else "(none)"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _line(change: Change) -> list[str]:
    head = f"  {_MARK[change.verb]} {change.object_type} {change.ref}"
    if change.verb == "created":
        label = change.state.get("name") or change.state.get("title") or ""
        if change.object_type == "staff":
            label = (
                f"{change.state['first_name']} {change.state['last_name']}, {change.state['role']}"
            )
        return [f"{head}: {label}"]
    if change.why:
        head += f" ({change.why})"
    lines = [head]
    for key, before in change.before.items():
        lines.append(f"      {key}: {_value(before)} -> {_value(change.after[key])}")
    return lines


def plan_describe(plan: Plan, *, dry_run: bool) -> list[str]:
    if not plan.changes:
        return ["No changes: the database already matches."]
    lines = []
    for object_type in OBJECT_TYPES:
        mine = [c for c in plan.changes if c.object_type == object_type]
        if not mine:
            continue
        counts: dict[str, int] = {}
        for c in mine:
            counts[c.verb] = counts.get(c.verb, 0) + 1
        summary = ", ".join(f"{n} {_MARK[v].split(' ', 1)[1]}" for v, n in counts.items())
        lines.append(f"{_NOUN[object_type].capitalize()}: {summary}")
        for c in mine:
            lines += _line(c)
    verb = "Would make" if dry_run else "Made"
    lines.append(
        f"{verb} {len(plan.changes)} change(s){' (dry run: nothing written)' if dry_run else ''}."
    )
    return lines
