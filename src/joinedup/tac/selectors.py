"""Reads for the team around the child. Each takes proof of access (`TacAccess` from
`joinedup.access.tac.access_tac_by_id`, or `ChildAccess` for the child page), except the
overdue-actions filter, which the nightly reminders (notifications) apply per owner."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from joinedup.access.children import ChildAccess
from joinedup.access.policy import Action, role_allows
from joinedup.access.tac import TacAccess, tac_may_work, tacs_for_child
from joinedup.governance.models import Agency, Role, StaffUser
from joinedup.needs.selectors import area_vocabulary
from joinedup.tac.models import (
    ActionStatus,
    LevelChange,
    TacAction,
    TacMeeting,
    TacMember,
    TeamAroundChild,
)

__all__ = [
    "ActionRow",
    "LevelRow",
    "MemberChoices",
    "TacChildPanel",
    "TacPanelRow",
    "TacDetail",
    "level_choices",
    "tac_actions_overdue_q",
    "tac_child_panel",
    "tac_detail",
    "tac_member_choices",
    "tac_worker_exists",
]


def tac_actions_overdue_q(today: date) -> Q:
    """Over TacAction: open actions past their due date in a team that is still open."""
    return Q(status=ActionStatus.OPEN, due_on__lt=today, tac__closed_on__isnull=True)


def level_choices() -> list[tuple[int, str]]:
    return [(lv.level, f"{lv.level}: {lv.label}") for lv in area_vocabulary().levels]


@dataclass(frozen=True)
class ActionRow:
    action: TacAction
    is_overdue: bool
    may_update: bool


@dataclass(frozen=True)
class AgencyMembers:
    agency: Agency
    members: list[TacMember]


@dataclass(frozen=True)
class LevelRow:
    change: LevelChange
    from_label: str
    to_label: str


@dataclass
class TacDetail:
    tac: TeamAroundChild
    level_label: str
    members_by_agency: list[AgencyMembers]
    current_members: list[TacMember]
    former_members: list[TacMember]
    actions: list[ActionRow]
    meetings: list[TacMeeting]
    level_history: list[LevelRow]
    opened_level: int
    opened_level_label: str

    @property
    def open_actions(self) -> list[ActionRow]:
        return [a for a in self.actions if a.action.status == ActionStatus.OPEN]

    @property
    def overdue_count(self) -> int:
        return sum(1 for a in self.actions if a.is_overdue)

    @property
    def named_members(self) -> list[TacMember]:
        return [m for m in self.current_members if m.worker_id is not None]


def _group(members: Iterable[TacMember]) -> list[AgencyMembers]:
    groups: dict[int, AgencyMembers] = {}
    for m in members:
        groups.setdefault(m.agency_id, AgencyMembers(m.agency, [])).members.append(m)
    return sorted(groups.values(), key=lambda g: g.agency.name)


def tac_detail(*, access: TacAccess) -> TacDetail:
    """Everything on the team's page, for a viewer `access_tac_by_id` let in."""
    tac = access.tac
    viewer = access.viewer
    today = timezone.localdate()
    vocabulary = area_vocabulary()
    members = list(
        TacMember.objects.filter(tac=tac)
        .select_related("agency", "worker", "involvement")
        .order_by("joined_on", "id")
    )
    current = [m for m in members if m.left_on is None]
    actions = [
        ActionRow(
            action=a,
            is_overdue=a.status == ActionStatus.OPEN and a.due_on < today,
            may_update=tac.closed_on is None
            and viewer.pk in {a.owner_id, tac.lead_professional_id},
        )
        for a in TacAction.objects.filter(tac=tac).select_related("owner", "meeting")
    ]
    meetings = list(
        TacMeeting.objects.filter(tac=tac)
        .select_related("recorded_by")
        .prefetch_related("attendees", "actions__owner")
    )
    changes = list(LevelChange.objects.filter(tac=tac).select_related("changed_by", "referral"))
    label = vocabulary.level_label
    opened_level = changes[0].from_level if changes else tac.level
    return TacDetail(
        tac=tac,
        level_label=vocabulary.level_label(tac.level),
        members_by_agency=_group(current),
        current_members=current,
        former_members=[m for m in members if m.left_on is not None],
        actions=actions,
        meetings=meetings,
        level_history=[LevelRow(c, label(c.from_level), label(c.to_level)) for c in changes],
        opened_level=opened_level,
        opened_level_label=label(opened_level),
    )


WORKERS_SHOWN = 100


@dataclass(frozen=True)
class MemberChoices:
    """For the add-member page: every agency, and the staff of the chosen one who may work in
    a team around the child (whose names contain `name`, if given), at most WORKERS_SHOWN."""

    agencies: list[Agency]
    agency: Agency | None
    workers: list[StaffUser]
    more: bool  # more workers matched than are listed: narrow by name


def _tac_workers(viewer: StaffUser) -> Any:
    if not role_allows(viewer.role, Action.WORK_IN_TAC):
        return StaffUser.objects.none()
    allowed_roles = [r for r in Role.values if role_allows(r, Action.WORK_IN_TAC)]
    return StaffUser.objects.filter(is_active=True, role__in=allowed_roles, agency__isnull=False)


def tac_member_choices(
    *, viewer: StaffUser, agency_id: int | None = None, name: str = ""
) -> MemberChoices:
    """Staff names and agencies only: no child data."""
    if not role_allows(viewer.role, Action.WORK_IN_TAC):
        return MemberChoices([], None, [], more=False)
    agencies = list(Agency.objects.order_by("name"))
    agency = next((a for a in agencies if a.pk == agency_id), None)
    if agency is None:
        return MemberChoices(agencies, None, [], more=False)
    found = _tac_workers(viewer).filter(agency=agency)
    for word in name.split():
        found = found.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__iexact=word)
        )
    workers = list(
        found.select_related("agency").order_by("last_name", "first_name", "username")[
            : WORKERS_SHOWN + 1
        ]
    )
    return MemberChoices(
        agencies, agency, workers[:WORKERS_SHOWN], more=len(workers) > WORKERS_SHOWN
    )


def tac_worker_exists(*, viewer: StaffUser, worker_id: int) -> bool:
    """Is this an active member of staff (of any agency) who may work in a team? The service
    then checks they work for the agency chosen."""
    return bool(_tac_workers(viewer).filter(pk=worker_id).exists())


@dataclass(frozen=True)
class TacPanelRow:
    tac: TeamAroundChild
    level_label: str


@dataclass(frozen=True)
class TacChildPanel:
    child_id: str
    rows: list[TacPanelRow]
    may_open: bool  # the viewer may start a team (no open team they can see or not)
    open_elsewhere: bool  # an open team exists that the viewer is not part of


def tac_child_panel(*, access: ChildAccess) -> TacChildPanel:
    """The child page's "Team around the child" panel."""
    tacs = tacs_for_child(access=access)
    may_work = tac_may_work(access.viewer, access.purpose)
    open_exists = TeamAroundChild.objects.filter(
        child=access.child, closed_on__isnull=True
    ).exists()
    open_visible = any(t.closed_on is None for t in tacs)
    return TacChildPanel(
        child_id=access.child.child_id,
        rows=[TacPanelRow(t, area_vocabulary().level_label(t.level)) for t in tacs],
        may_open=may_work and not open_exists,
        open_elsewhere=may_work and open_exists and not open_visible,
    )
