"""The "nobody gripping it" worklist for a team of 50 with 5,000 open items.

Claim (issue 5): worklist page for a team of 50 with 5,000 open items, p95 <= 200 ms.

One receiving team of 50 (social workers and managers) holds 5,000 open items spread over the
sections: referrals to the team not acknowledged in time, referrals the team sent that were
declined with no alternative taken up, re-referrals, children with two agencies and no lead
professional, and overdue team-around-the-child actions its manager leads. Around it, the rest
of the area (`--noise` referrals between other agencies and teams, closed ones, their
children) so that the indexes, not the table sizes, decide. One member of the team signs in
to a real server (`joinedup serve`) and GETs /worklist/attention/ (the sections' counts and
the first section's first page of 50) and each section's page 1; peers in the same run: the
existing /worklist/ page for the same viewer and a bare GET /healthz.

Run: `uv run python benchmarks/attention_worklist.py [--items 5000] [--requests 200]`
on a fresh SQLite database in a temporary folder, or on PostgreSQL with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/jd_bench` (an empty database: it is filled).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from http_bench import Client, django_setup, machine, row, say, server, table, timed

PASSWORD = "benchmark-password-1234"  # noqa: S105 - a scratch database's user
SECTION_SHARES = {
    "unacknowledged-received": 0.40,
    "declined": 0.16,
    "re-referrals": 0.16,
    "no-lead": 0.16,
    "actions": 0.12,
}
_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"
_seq = itertools.count(1)


def _ref(prefix: str) -> str:
    n, chars = next(_seq), ""
    for _ in range(8):
        n, r = divmod(n, len(_ALPHABET))
        chars += _ALPHABET[r]
    return f"{prefix}-{chars}"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def build(items: int, noise: int, team_size: int) -> dict[str, Any]:
    from django.db import transaction

    from joinedup.governance.models import Agency, AgencyType, Role, StaffUser, Team
    from joinedup.people.models import Child, Involvement
    from joinedup.referrals.models import Referral, ReferralOutcome, ReferralStatus
    from joinedup.tac.models import TacAction, TeamAroundChild

    if Referral.objects.exists():
        raise SystemExit("The database already holds referrals: give an empty one.")
    today = date.today()
    late = today - timedelta(days=14)
    with transaction.atomic():
        care = Agency.objects.create(
            code="bench-care", name="Care", agency_type=AgencyType.SOCIAL_CARE
        )
        front = Team.objects.create(agency=care, code="front", name="Front door")
        others = [
            Team.objects.create(agency=care, code=f"t{i}", name=f"Team {i}") for i in range(9)
        ]
        schools = [
            Agency.objects.create(
                code=f"bench-school-{i}", name=f"School {i}", agency_type=AgencyType.SCHOOL
            )
            for i in range(20)
        ]
        staff = []
        for i in range(team_size):
            user = StaffUser(
                username=f"front{i}",
                role=Role.TEAM_MANAGER if i == 0 else Role.SOCIAL_WORKER,
                agency=care,
                team=front,
            )
            user.set_password(PASSWORD)
            staff.append(user)
        dsls = [
            StaffUser(username=f"dsl{i}", role=Role.DESIGNATED_SAFEGUARDING_LEAD, agency=s)
            for i, s in enumerate(schools)
        ]
        StaffUser.objects.bulk_create(staff + dsls)
        staff = list(StaffUser.objects.filter(team=front).order_by("pk"))
        dsls = list(StaffUser.objects.filter(username__startswith="dsl").order_by("pk"))
        lead = staff[0]
        n = {k: round(items * share) for k, share in SECTION_SHARES.items()}
        total_children = 2 * items + noise  # re-referrals and teams take a child each too
        Child.objects.bulk_create(  # noqa: TID251 - building the scratch area
            [Child(given_name="Bench", family_name=f"Child{i}") for i in range(total_children)],
            batch_size=5000,
        )
        kids = iter(Child.objects.order_by("pk").values_list("pk", flat=True))  # noqa: TID251
        refs: list[Referral] = []

        def referral(by_school: int, **kw: Any) -> Referral:
            school = schools[by_school % len(schools)]
            fields = {
                "reference": _ref("R"),
                "child_id": next(kids),
                "from_agency": school,
                "created_by": dsls[by_school % len(dsls)],
                "to_agency": care,
                "to_team": front,
                "status": ReferralStatus.SENT,
                "level": 2,
                "reason": "Benchmark",
                "sent_at": _at(late - timedelta(days=3)),
                "acknowledge_by": late,
            } | kw
            return Referral(**fields)

        refs += [referral(i) for i in range(n["unacknowledged-received"])]
        # The team sends referrals too (to schools' inclusion services, here other care teams).
        refs += [
            referral(
                i,
                from_agency=care,
                from_team=front,
                created_by=staff[i % team_size],
                to_team=others[i % 9],
                status=ReferralStatus.DECLINED,
                decided_at=_at(late),
                decline_reason="Not us",
                alternative="Elsewhere",
            )
            for i in range(n["declined"])
        ]
        earlier = [
            referral(
                i,
                status=ReferralStatus.CLOSED,
                outcome=ReferralOutcome.NO_FURTHER_ACTION,
                sent_at=_at(today - timedelta(days=200)),
                closed_at=_at(today - timedelta(days=150)),
            )
            for i in range(n["re-referrals"])
        ]
        Referral.objects.bulk_create(earlier, batch_size=2000)
        refs += [
            referral(i, acknowledge_by=today + timedelta(days=5), re_referral_of=e)
            for i, e in enumerate(earlier)
        ]
        # The rest of the area: referrals between other teams, most of them long closed.
        refs += [
            referral(
                i,
                to_team=others[i % 9],
                status=ReferralStatus.CLOSED if i % 4 else ReferralStatus.SENT,
            )
            for i in range(noise)
        ]
        Referral.objects.bulk_create(refs, batch_size=2000)
        no_lead = [next(kids) for _ in range(n["no-lead"])]
        Involvement.objects.bulk_create(
            [
                Involvement(child_id=c, agency=a, team=t, description="Bench", started_on=late)
                for i, c in enumerate(no_lead)
                for a, t in ((care, front), (schools[i % 20], None))
            ],
            batch_size=5000,
        )
        tacs = TeamAroundChild.objects.bulk_create(
            [
                TeamAroundChild(
                    reference=_ref("T"),
                    child_id=next(kids),
                    level=2,
                    lead_professional=lead,
                    opened_by=lead,
                )
                for _ in range(max(1, n["actions"] // 4))
            ]
        )
        TacAction.objects.bulk_create(
            [
                TacAction(
                    tac=tacs[i % len(tacs)],
                    description="Benchmark action",
                    owner=staff[i % team_size],
                    due_on=late,
                    created_by=lead,
                )
                for i in range(n["actions"])
            ]
        )
    return {"viewer": lead.username, "sections": n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=5000, help="open items for the team")
    parser.add_argument("--noise", type=int, default=20000, help="other referrals in the area")
    parser.add_argument("--team", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="GETs of each page")
    args = parser.parse_args()
    vendor = django_setup()
    say(f"building {args.items:,} open items for a team of {args.team} on {vendor}")
    built = build(args.items, args.noise, args.team)

    from joinedup.access.attention import SECTIONS, attention_counts
    from joinedup.governance.models import StaffUser

    counts = attention_counts(StaffUser.objects.get(username=built["viewer"]))
    say(f"the viewer's sections: {counts}")
    rows = []
    with server() as port:
        client = Client(port)
        client.sign_in(built["viewer"], PASSWORD)
        pages = {"/worklist/attention/": "/worklist/attention/ (counts + first page)"}
        pages |= {
            f"/worklist/attention/?section={s}": f"… ?section={s} ({counts[s]:,})" for s in SECTIONS
        }
        pages |= {
            "/worklist/": "peer: /worklist/ (flags worklist)",
            "/healthz": "peer: GET /healthz",
        }
        for path in pages:
            timed(lambda _, p=path: client.get(p), 5, frozenset({200}))  # warm up
        for path, name in pages.items():
            say(f"timing {path}")
            samples = timed(lambda _, p=path: client.get(p), args.requests, frozenset({200}))
            rows.append(row(name, samples))
    print(f"\n## Attention worklist: a team of {args.team}, {sum(counts.values()):,} open items\n")
    print(machine(vendor))
    print()
    print(table(rows))
    worst = max(r["p95 ms"] for r in rows if r["request"].startswith(("/", "…")))
    print(
        f"\nTarget p95 <= 200 ms for every worklist page: {'met' if worst <= 200 else 'NOT met'} "
        f"(worst p95 {worst:.1f} ms); background: {args.noise:,} other referrals."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
