"""The demo area's logins see something once flags exist: the first school's DSL has a
worklist and the early-help team manager (the front door) an "unknown to services" list."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.demo.generator import generate_area
from joinedup.demo.through_import import area_import_and_link
from joinedup.governance.models import StaffUser
from joinedup.indicators.models import IndicatorRun, RunStatus, RunTrigger
from joinedup.indicators.selectors import unknown_to_services_list, worklist_list

pytestmark = pytest.mark.django_db


def test_demo_dsl_and_front_door_see_flags(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]
    area_import_and_link(generate_area(children=500, seed=21, schools=3), tmp_path / "area")
    # The link run re-ran the rules over the area: the flags are there without asking.
    after_link = IndicatorRun.objects.filter(trigger=RunTrigger.LINK, status=RunStatus.FINISHED)
    assert after_link.get().flags_raised > 0

    dsl = StaffUser.objects.get(username="dsl")
    worklist = worklist_list(viewer=dsl, purpose="safeguarding")
    assert worklist.to_decide
    dsl2 = StaffUser.objects.get(username="dsl2")
    theirs = worklist_list(viewer=dsl2, purpose="safeguarding")
    mine = {i.child_id for i in worklist.to_decide}
    assert not mine & {i.child_id for i in theirs.to_decide} - _dual_roll(dsl, dsl2)

    manager = StaffUser.objects.get(username="eh.manager")
    unknown = unknown_to_services_list(viewer=manager, purpose="early_help")
    assert unknown.to_decide
    assert all(item.full_name == "" for item in unknown.to_decide)


def _dual_roll(a: StaffUser, b: StaffUser) -> set[str]:
    from joinedup.access.children import visible_children

    both = set(visible_children(a, purpose="safeguarding").values_list("child_id", flat=True))
    return both & set(
        visible_children(b, purpose="safeguarding").values_list("child_id", flat=True)
    )
