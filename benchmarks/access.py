"""How much the access layer costs: opening a child's record through joinedup.access
(role, relationship, agreements, audit) against reading the same rows with the bare ORM.

Issue 2 sets no target; this is the baseline later targets (issue 5's worklists and
referral pages) build on. Run: `uv run python benchmarks/access.py [--children 5000]`.
It builds a fresh SQLite area in a temporary folder (or uses DATABASE_URL's database,
which must be empty) and prints a table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable


def _setup(children: int) -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["JOINEDUP_VAR_DIR"] = tempfile.mkdtemp(prefix="joinedup-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from joinedup.demo.generator import generate_area
    from joinedup.demo.loader import area_load

    area_load(generate_area(children=children, seed=1))


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    _setup(args.children)

    from django.db import connection

    from joinedup.access.children import (
        access_child_by_id,
        child_search,
        visible_children,
        visible_events,
    )
    from joinedup.chronology.models import Event
    from joinedup.governance.models import StaffUser
    from joinedup.people.models import Child
    from joinedup.people.selectors import child_profile

    dsl = StaffUser.objects.get(username="dsl")
    ids = list(visible_children(dsl, purpose="safeguarding").values_list("child_id", flat=True))
    ids = (ids * (args.repeat // max(1, len(ids)) + 1))[: args.repeat]
    it = iter(ids * 3)

    def guarded() -> None:
        access = access_child_by_id(dsl, next(it), purpose="safeguarding")
        child_profile(access=access)
        visible_events(dsl, access)

    def bare() -> None:
        child = Child.objects.get(child_id=next(it))
        list(child.identifiers.all())
        list(child.involvements.select_related("agency", "team", "worker"))
        list(Event.objects.filter(child=child).select_related("agency"))

    def search() -> None:
        child_search(dsl, purpose="safeguarding", name="smith")

    rows = []
    for name, fn in (
        ("child record, guarded + audited", guarded),
        ("child record, bare ORM (peer)", bare),
        ("child search by name, guarded", search),
    ):
        samples = _time(fn, args.repeat)
        q = statistics.quantiles(samples, n=20)
        rows.append((name, statistics.median(samples), q[18]))
    print(
        f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · {os.cpu_count()} cores · "
        f"{connection.vendor} · {args.children} children · {args.repeat} reads each"
    )
    print()
    print("| operation | median ms | p95 ms |")
    print("| --- | --- | --- |")
    for name, median, p95 in rows:
        print(f"| {name} | {median:.1f} | {p95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
