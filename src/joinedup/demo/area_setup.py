"""Teams, demo logins and sharing agreements for the synthetic area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.hashers import make_password

from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import (
    Agency,
    AgreementStatus,
    Article6Basis,
    Purpose,
    Role,
    SharingAgreement,
    StaffUser,
    Team,
)

DEMO_PASSWORD = "synthetic-area-demo"  # noqa: S105 - demo logins over synthetic data only

# (agency type, team code, team name); the first team of a type is its default team.
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


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    agency_code: str
    team_code: str | None


def demo_logins(first_school: str, second_school: str, la_code: str) -> list[DemoLogin]:
    return [
        DemoLogin(
            "dsl", "Dana", "Shah", Role.DESIGNATED_SAFEGUARDING_LEAD, first_school, "pastoral"
        ),
        DemoLogin("teacher", "Tom", "Price", Role.TEACHER, first_school, "teaching"),
        DemoLogin(
            "dsl2", "Dev", "Lowe", Role.DESIGNATED_SAFEGUARDING_LEAD, second_school, "pastoral"
        ),
        DemoLogin("social.worker", "Sam", "Okoye", Role.SOCIAL_WORKER, "social-care", "assessment"),
        DemoLogin("team.manager", "Tara", "Mills", Role.TEAM_MANAGER, "social-care", "assessment"),
        DemoLogin(
            "cic.worker", "Cal", "Reid", Role.SOCIAL_WORKER, "social-care", "children-in-care"
        ),
        DemoLogin(
            "eh.practitioner",
            "Erin",
            "Hale",
            Role.EARLY_HELP_PRACTITIONER,
            "early-help",
            "family-support",
        ),
        # The early-help front door: triages "unknown to services" and the team's worklist.
        DemoLogin("eh.manager", "Elle", "Moss", Role.TEAM_MANAGER, "early-help", "family-support"),
        DemoLogin(
            "health.visitor", "Hana", "Vos", Role.HEALTH_VISITOR, "health", "health-visiting"
        ),
        DemoLogin("school.nurse", "Nia", "Rowe", Role.SCHOOL_NURSE, "health", "school-nursing"),
        DemoLogin(
            "police.officer", "Pat", "Odell", Role.POLICE_SAFEGUARDING_OFFICER, "police", "mash"
        ),
        DemoLogin(
            "youth.worker", "Yas", "Ward", Role.YOUTH_WORKER, "youth-service", "targeted-youth"
        ),
        DemoLogin("yj.officer", "Jo", "Kerr", Role.YOUTH_JUSTICE_OFFICER, "youth-justice", "yjs"),
        DemoLogin("analyst", "Ana", "Lytle", Role.DATA_ANALYST, la_code, None),
        DemoLogin("ig.officer", "Ivy", "Grant", Role.INFORMATION_GOVERNANCE_OFFICER, la_code, None),
        DemoLogin("admin", "Adi", "Minh", Role.ADMINISTRATOR, la_code, None),
    ]


def teams_create(agencies: list[Agency]) -> dict[tuple[str, str], Team]:
    teams: dict[tuple[str, str], Team] = {}
    for agency in agencies:
        for agency_type, code, name in TEAMS:
            if agency.agency_type == agency_type:
                team, _ = Team.objects.get_or_create(
                    agency=agency, code=code, defaults={"name": name}
                )
                teams[(agency.code, code)] = team
    return teams


def staff_create(
    logins: list[DemoLogin], agencies: dict[str, Agency], teams: dict[tuple[str, str], Team]
) -> list[StaffUser]:
    created = []
    # One hash for the shared demo password: hashing is deliberately slow.
    password_hash = make_password(DEMO_PASSWORD)
    for login in logins:
        agency = agencies[login.agency_code]
        user = StaffUser(
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@example.invalid",
            role=login.role,
            agency=agency,
            team=teams[(agency.code, login.team_code)] if login.team_code else None,
        )
        user.password = password_hash
        user.full_clean()
        user.save()
        created.append(user)
    return created


SAFEGUARDING_CONDITION = (
    "UK GDPR Art. 9(2)(g) and Art. 10; DPA 2018 Sch. 1 Part 2 para 18 "
    "(safeguarding of children and of individuals at risk)"
)


def agreements_create(agencies: list[Agency], reference: date) -> list[SharingAgreement]:
    by_type: dict[str, list[Agency]] = {}
    for agency in agencies:
        by_type.setdefault(agency.agency_type, []).append(agency)

    def of(*types: str) -> list[Agency]:
        return [a for t in types for a in by_type.get(t, [])]

    start = datetime(reference.year - 1, 9, 1, tzinfo=UTC)
    review = date(reference.year + 1, 3, 31)
    specs: list[dict[str, Any]] = [
        dict(
            code="safeguarding-partnership",
            title="Safeguarding partnership information sharing agreement",
            parties=agencies,
            purposes=[Purpose.SAFEGUARDING],
            article_6_basis=Article6Basis.PUBLIC_TASK,
            article_9_condition=SAFEGUARDING_CONDITION,
            event_types=list(EventType.values),
            fields=["summary", "payload"],
            retention="Until the child's 25th birthday, then reviewed",
        ),
        dict(
            code="education-attendance",
            title="Education, attendance and inclusion agreement",
            parties=of("school", "social_care", "early_help", "youth_service"),
            purposes=[Purpose.EDUCATION, Purpose.EARLY_HELP],
            article_6_basis=Article6Basis.PUBLIC_TASK,
            article_9_condition="",
            event_types=[
                EventType.ATTENDANCE_SUMMARY,
                EventType.SUSPENSION,
                EventType.PERMANENT_EXCLUSION,
                EventType.SCHOOL_ADMISSION,
                EventType.SCHOOL_LEAVING,
                EventType.SEN_SUPPORT,
            ],
            fields=["summary", "payload"],
            retention="6 years after the pupil leaves school",
        ),
        dict(
            code="early-help",
            title="Early help and family support agreement",
            parties=of(
                "early_help",
                "school",
                "health",
                "social_care",
                "youth_service",
                "housing",
                "voluntary",
            ),
            purposes=[Purpose.EARLY_HELP],
            article_6_basis=Article6Basis.PUBLIC_TASK,
            article_9_condition=(
                "UK GDPR Art. 9(2)(h); DPA 2018 Sch. 1 Part 1 para 2 (health or social care)"
            ),
            event_types=[
                EventType.EARLY_HELP_EPISODE,
                EventType.ASSESSMENT,
                EventType.PLAN,
                EventType.REFERRAL,
                EventType.HOUSING_CONTACT,
                EventType.YOUTH_SERVICE_CONTACT,
                EventType.HEALTH_CONTACT,
            ],
            # Health contacts are shared as a one-line summary only: no clinical detail.
            fields=["summary"],
            retention="3 years after the early help episode closes",
        ),
        dict(
            code="youth-support-pilot-2024",
            title="Youth support pilot agreement 2024-25 (ended)",
            parties=of("youth_service", "youth_justice", "school"),
            purposes=[Purpose.YOUTH_SUPPORT, Purpose.EDUCATION],
            article_6_basis=Article6Basis.PUBLIC_TASK,
            article_9_condition=SAFEGUARDING_CONDITION,
            event_types=[
                EventType.YOUTH_SERVICE_CONTACT,
                EventType.YOUTH_JUSTICE_CONTACT,
                EventType.ATTENDANCE_SUMMARY,
            ],
            fields=["summary"],
            retention="Until the young person's 21st birthday",
            starts_at=datetime(2024, 9, 1, tzinfo=UTC),
            ends_at=datetime(2025, 8, 31, tzinfo=UTC),
        ),
    ]
    created = []
    for spec in specs:
        parties = spec.pop("parties")
        spec.setdefault("starts_at", start)
        agreement = SharingAgreement(review_at=review, status=AgreementStatus.LIVE, **spec)
        agreement.full_clean()
        agreement.save()
        agreement.parties.set(parties)  # type: ignore[arg-type]
        created.append(agreement)
    return created
