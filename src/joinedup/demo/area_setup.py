"""The demo area's set-up as area files: `demo/area.toml` (the council, the non-school agencies,
their teams, the demo logins, the agreements) and a schools file made for each synthetic area
(its schools vary with size and seed). Both go through `joinedup area apply`'s service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from joinedup.demo.generator import Area

if TYPE_CHECKING:
    from joinedup.governance.models import StaffUser

DEMO_PASSWORD = "synthetic-area-demo"  # noqa: S105 - demo logins over synthetic data only
AREA_FILE = Path(__file__).with_name("area.toml")
SCHOOLS_FILE_NAME = "area-schools.toml"

# (agency type, team code, team name), as demo/area.toml declares them for the non-school
# agencies; the school teams are made for each school below.
TEAMS: list[tuple[str, str, str]] = [
    ("school", "pastoral", "Pastoral and safeguarding"),
    ("school", "teaching", "Teaching staff"),
    ("social_care", "assessment", "Assessment and intervention team"),
    ("social_care", "children-in-care", "Children in care team"),
    ("early_help", "family-support", "Family support team"),
    ("health", "health-visiting", "Health visiting team"),
    ("health", "school-nursing", "School nursing team"),
    ("police", "mash", "Multi-agency safeguarding hub"),
    ("youth_service", "targeted-youth", "Targeted youth support"),
    ("youth_justice", "yjs", "Youth justice service"),
    ("housing", "housing-options", "Housing options"),
    ("voluntary", "key-workers", "Key workers"),
]

# The school logins: (username, first name, last name, role, which school, team).
SCHOOL_LOGINS = [
    ("dsl", "Dana", "Shah", "dsl", 0, "pastoral"),
    ("teacher", "Tom", "Price", "teacher", 0, "teaching"),
    ("dsl2", "Dev", "Lowe", "dsl", 1, "pastoral"),
]


def schools_area_toml(area: Area) -> str:
    """The synthetic area's schools, their teams and the school logins, as an area file."""
    schools = [a for a in area.agencies if a.agency_type == "school"]
    parts = [
        "# The demo's schools (they vary with the area's size and seed), written by the demo\n"
        "# next to its extracts and applied with src/joinedup/demo/area.toml.\n"
    ]

    def table(name: str, entry: dict[str, str]) -> None:
        parts.append(f"[[{name}]]\n" + tomli_w.dumps(entry))

    for school in schools:
        table(
            "agencies",
            {"code": school.code, "name": school.name, "type": "school", "urn": school.urn},
        )
    for school in schools:
        for agency_type, code, name in TEAMS:
            if agency_type == "school":
                table("teams", {"agency": school.code, "code": code, "name": name})
    for username, first, last, role, which, team in SCHOOL_LOGINS:
        table(
            "staff",
            {
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.invalid",
                "username": username,
                "agency": schools[which].code,
                "team": team,
                "role": role,
            },
        )
    return "\n".join(parts)


def demo_setup(area: Area) -> list[StaffUser]:
    """Apply the demo's area files (as `joinedup area apply` would) and give its logins the demo
    password (demo only); the logins, in the files' order."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from joinedup.governance.area_file import AreaSource, area_apply
    from joinedup.governance.models import StaffUser

    schools = schools_area_toml(area).encode()
    result = area_apply(
        sources=[
            AreaSource(str(AREA_FILE.name), AREA_FILE.read_bytes()),
            AreaSource(SCHOOLS_FILE_NAME, schools),
        ],
        actor=None,
        today=timezone.localdate(),
        now=timezone.now(),
    )
    usernames = [c.ref for c in result.plan.changes if c.object_type == "staff"]
    logins = StaffUser.objects.in_bulk(usernames, field_name="username")
    # One hash for the shared demo password: hashing is deliberately slow.
    StaffUser.objects.filter(username__in=usernames).update(password=make_password(DEMO_PASSWORD))
    order = {name: i for i, name in enumerate(usernames)}
    return sorted(
        StaffUser.objects.filter(pk__in=[u.pk for u in logins.values()]).select_related(
            "agency", "team"
        ),
        key=lambda u: order[u.username],
    )
