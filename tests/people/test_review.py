"""The clerical review queue: analysts decide uncertain pairs; decisions change the index at
once, are audited, can be undone, show in the child's history and override the model."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.linkage.identifiers import nhs_check_digit
from joinedup.people.link_runs import RECORD_COLUMNS, person_link_decisions
from joinedup.people.linking import MERGE_PROPOSAL, SPLIT_PROPOSAL, person_index_apply
from joinedup.people.models import (
    Child,
    Involvement,
    LinkDecision,
    LinkRun,
    SourceRecord,
)
from tests import factories as f
from tests.people.area import area_records_load

pytestmark = pytest.mark.django_db

LEVELS = "first_name: different; family_name: exact; dob: exact; sex: exact; location: same address"
MODEL = {
    "comparisons": {
        "first_name": [
            {"label": "exact", "match_weight": 6.0},
            {"label": "different", "match_weight": -8.1},
        ],
        "family_name": [{"label": "exact", "match_weight": 4.2}],
        "dob": [{"label": "exact", "match_weight": 12.6}],
        "sex": [{"label": "exact", "match_weight": 0.01}],
        "location": [{"label": "same address", "match_weight": 7.5}],
    }
}


def _nhs(start: int) -> str:
    nine = next(
        f"999{n:06d}" for n in range(start, 9999) if nhs_check_digit(f"999{n:06d}") is not None
    )
    return nine + str(nhs_check_digit(nine))


@pytest.fixture
def area() -> dict[str, Any]:
    school = f.agency(AgencyType.SCHOOL, code="school", name="Brookfield Primary")
    health = f.agency(AgencyType.HEALTH, code="health", name="Community Health")
    return {
        "school": school,
        "health": health,
        "analyst": f.staff(Role.DATA_ANALYST, f.agency(AgencyType.SOCIAL_CARE)),
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
    }


def _record(agency, record_id: str, **kw: str) -> SourceRecord:  # type: ignore[no-untyped-def]
    fields = {
        "given_name": "Amelia",
        "family_name": "Hart",
        "date_of_birth": "2015-03-02",
        "sex": "F",
        "postcode": "JU1 2AB",
        "address": "4 Mill Lane",
    }
    fields.update(kw)
    return SourceRecord.objects.create(agency=agency, record_id=record_id, **fields)


def _link(clusters: dict[tuple[str, str], str]) -> LinkRun:
    run = LinkRun.objects.create(model=MODEL)
    person_index_apply(actor=None, run=run, clusters=clusters.items())
    return run


def _item(left: SourceRecord, right: SourceRecord, evidence: str = LEVELS, p: float | None = 0.8):  # type: ignore[no-untyped-def]
    return LinkDecision.objects.create(
        run=LinkRun.objects.order_by("-pk").first(),
        record_left=left,
        record_right=right,
        decision="review",
        decided_by="model",
        probability=p,
        evidence=evidence,
    )


def _child_of(record_id: str) -> Child:
    child = SourceRecord.objects.get(record_id=record_id).child
    assert child is not None
    return child


@pytest.fixture
def twins(area: dict) -> dict[str, Any]:
    """Two school records, one child each; a health record linked to the first."""
    s1 = _record(area["school"], "s1")
    s2 = _record(area["school"], "s2", given_name="Isla", nhs_number=_nhs(7))
    h1 = _record(area["health"], "h1", nhs_number=_nhs(20))
    _link({("school", "s1"): "a", ("health", "h1"): "a", ("school", "s2"): "b"})
    return {"s1": s1, "s2": s2, "h1": h1}


def _decide(
    client: Client, item: LinkDecision, outcome: str, reason: str = "Checked the school roll"
):  # type: ignore[no-untyped-def]
    return client.post(f"/linkage/review/{item.pk}/", {"outcome": outcome, "reason": reason})


def test_queue_puts_the_most_dangerous_first(client: Client, area: dict, twins: dict) -> None:
    extra = _record(area["health"], "h9", given_name="Amelie")
    _link({("health", "h9"): "c"})
    plain_low = _item(twins["s1"], extra, LEVELS, 0.55)
    plain_high = _item(twins["s2"], extra, LEVELS, 0.95)
    split = _item(twins["s1"], twins["h1"], SPLIT_PROPOSAL, None)
    refused = _item(
        twins["s1"], twins["s2"], "twin guard: same date of birth (" + LEVELS + ")", 0.0
    )
    merge = _item(twins["s2"], twins["h1"], MERGE_PROPOSAL, None)
    client.force_login(area["analyst"])
    page = client.get("/linkage/review/").content.decode()
    order = [
        page.index(f'href="/linkage/review/{i.pk}/"')
        for i in (refused, split, merge, plain_high, plain_low)
    ]
    assert order == sorted(order)
    assert "5 pairs to review" in page
    only_refused = client.get("/linkage/review/?kind=refused").content.decode()
    assert "1 pair to review" in only_refused and f"/linkage/review/{split.pk}/" not in only_refused
    listed = AuditEvent.objects.filter(action="link_review.list", actor=area["analyst"])
    assert listed.count() == 2


@pytest.mark.parametrize(
    "role",
    [
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        Role.TEACHER,
        Role.INFORMATION_GOVERNANCE_OFFICER,
        Role.ADMINISTRATOR,
    ],
)
def test_review_pages_are_for_analysts_only(
    client: Client, area: dict, twins: dict, role: str
) -> None:
    item = _item(twins["s1"], twins["s2"])
    client.force_login(f.staff(role, area["school"]))
    child_id = _child_of("s1").child_id
    for url in (
        "/linkage/review/",
        f"/linkage/review/{item.pk}/",
        f"/linkage/decisions/{item.pk}/",
        f"/linkage/children/{child_id}/",
    ):
        assert client.get(url).status_code == 404
    assert _decide(client, item, "match").status_code == 404
    assert Child.objects.get(pk=_child_of("s2").pk).merged_into is None
    assert AuditEvent.objects.filter(action__startswith="link_", outcome="denied").count() == 5


def test_item_shows_both_records_evidence_and_children(
    client: Client, area: dict, twins: dict
) -> None:
    item = _item(twins["s1"], twins["s2"], "twin guard: same date of birth (" + LEVELS + ")", 0.42)
    f.event(_child_of("s1"), area["school"], summary="Attendance concern raised")
    client.force_login(area["analyst"])
    page = client.get(f"/linkage/review/{item.pk}/").content.decode()
    assert "Amelia" in page and "Isla" in page and "Differs" in page
    assert "Date of birth: exact <strong>+12.6</strong>" in page
    assert "First name: different <strong>-8.1</strong>" in page
    assert "0.420" in page
    assert _child_of("s1").child_id in page and _child_of("s2").child_id in page
    assert "Community Health h1" in page  # the other record of the first child
    assert "Attendance concern" not in page  # identity only, never case detail
    views = AuditEvent.objects.filter(action="link_review.view", object_ref=str(item.pk))
    assert set(views.values_list("child_ref", flat=True)) == {
        _child_of("s1").child_id,
        _child_of("s2").child_id,
    }


def test_a_decision_needs_an_outcome_and_a_reason(client: Client, area: dict, twins: dict) -> None:
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    page = client.post(
        f"/linkage/review/{item.pk}/", {"outcome": "", "reason": "  "}
    ).content.decode()
    assert "There is a problem" in page
    assert "Select whether these are the same child" in page
    assert "Enter the reason for your decision" in page
    assert not LinkDecision.objects.filter(decided_by="person").exists()


def test_same_child_merges_the_younger_child_into_the_older(
    client: Client, area: dict, twins: dict
) -> None:
    older, younger = _child_of("s1"), _child_of("s2")
    Child.objects.filter(pk=younger.pk).update(created_at=older.created_at + timedelta(days=1))
    event = f.event(younger, area["health"], summary="Health visit")
    f.involvement(younger, area["health"])
    item = _item(twins["s2"], twins["s1"])
    client.force_login(area["analyst"])
    response = _decide(client, item, "match", "Same NHS number on the GP record")
    assert response.status_code == 302 and response["Location"] == "/linkage/review/"
    assert _child_of("s2") == older and _child_of("h1") == older
    assert Child.objects.get(pk=younger.pk).merged_into == older
    assert Event.objects.get(pk=event.pk).child == older
    assert Involvement.objects.filter(child=older, agency=area["health"]).exists()
    assert {i.value for i in older.identifiers.all()} == {_nhs(7), _nhs(20)}
    decision = LinkDecision.objects.get(decided_by="person")
    assert (decision.decision, decision.actor, decision.reason) == (
        "match",
        area["analyst"],
        "Same NHS number on the GP record",
    )
    assert not LinkDecision.objects.get(pk=item.pk).is_active
    audit = AuditEvent.objects.filter(action="link_review.decide")
    assert set(audit.values_list("child_ref", flat=True)) == {older.child_id, younger.child_id}
    assert audit.first().detail["outcome"] == "match"  # type: ignore[union-attr]
    assert (
        f'href="/linkage/review/{item.pk}/"' not in client.get("/linkage/review/").content.decode()
    )


def test_different_children_splits_a_record_off_to_a_new_child(
    client: Client, area: dict, twins: dict
) -> None:
    child = _child_of("s1")
    SourceRecord.objects.filter(record_id="h1").update(
        received_at=timezone.now() + timedelta(hours=1)
    )
    event = f.event(child, area["health"], summary="Visit", source_record=twins["h1"])
    f.involvement(child, area["health"])
    item = _item(twins["s1"], twins["h1"], SPLIT_PROPOSAL, None)
    client.force_login(area["analyst"])
    _decide(client, item, "non_match", "Different mother's name on the health record")
    new = _child_of("h1")
    assert new != child and _child_of("s1") == child  # the earlier record keeps the id
    assert Event.objects.get(pk=event.pk).child == new
    assert Involvement.objects.filter(child=new, agency=area["health"]).exists()
    assert [i.value for i in new.identifiers.all()] == [_nhs(20)]
    assert not child.identifiers.exists()
    assert LinkDecision.objects.get(decided_by="person").applied["new_child"] == new.child_id


def test_different_children_already_apart_changes_nothing(
    client: Client, area: dict, twins: dict
) -> None:
    before = dict(SourceRecord.objects.values_list("record_id", "child__child_id"))
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    _decide(client, item, "non_match", "Twins: the school confirms two pupils")
    assert dict(SourceRecord.objects.values_list("record_id", "child__child_id")) == before
    assert LinkDecision.objects.get(decided_by="person").decision == "non_match"


def test_cannot_tell_leaves_the_pair_in_the_queue(client: Client, area: dict, twins: dict) -> None:
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    _decide(client, item, "defer", "Asking the school for the pupil's middle name")
    open_item = LinkDecision.objects.get(is_active=True)
    assert open_item.decision == "review" and open_item.decided_by == "person"
    page = client.get("/linkage/review/").content.decode()
    assert f"/linkage/review/{open_item.pk}/" in page and "Left for later" in page
    detail = client.get(f"/linkage/review/{open_item.pk}/").content.decode()
    assert "Asking the school for the pupil&#x27;s middle name" in detail


def test_a_decided_item_cannot_be_decided_again(client: Client, area: dict, twins: dict) -> None:
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    _decide(client, item, "non_match")
    page = _decide(client, item, "match").content.decode()
    assert "already been decided" in page
    assert LinkDecision.objects.filter(decided_by="person").count() == 1


def test_undoing_a_merge_restores_both_children_and_reopens_the_pair(
    client: Client, area: dict, twins: dict
) -> None:
    older, younger = _child_of("s1"), _child_of("s2")
    event = f.event(younger, area["health"], summary="Health visit")
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    _decide(client, item, "match")
    decision = LinkDecision.objects.get(decided_by="person", is_active=True)
    later = f.event(
        older, area["school"], summary="Imported after the merge", source_record=twins["s2"]
    )
    page = client.get(f"/linkage/decisions/{decision.pk}/").content.decode()
    assert "Undo decision" in page
    missing = client.post(f"/linkage/decisions/{decision.pk}/", {"reason": ""}).content.decode()
    assert "Enter the reason for undoing the decision" in missing
    response = client.post(f"/linkage/decisions/{decision.pk}/", {"reason": "Wrong pair chosen"})
    assert response.status_code == 302
    assert _child_of("s2") == younger and _child_of("s1") == older
    assert Child.objects.get(pk=younger.pk).merged_into is None
    assert Event.objects.get(pk=event.pk).child == younger
    assert Event.objects.get(pk=later.pk).child == younger  # it came from a record going back
    assert [i.value for i in younger.identifiers.all()] == [_nhs(7)]
    undo = LinkDecision.objects.get(reverses=decision)
    assert undo.decision == "review" and undo.is_active and undo.reason == "Wrong pair chosen"
    assert not LinkDecision.objects.get(pk=decision.pk).is_active
    assert f"/linkage/review/{undo.pk}/" in client.get("/linkage/review/").content.decode()
    assert AuditEvent.objects.filter(action="link_decision.undo").count() == 2  # both children
    again = client.post(f"/linkage/decisions/{decision.pk}/", {"reason": "twice"}).content.decode()
    assert "Only the current" in again


def test_undoing_a_split_puts_the_record_back(client: Client, area: dict, twins: dict) -> None:
    child = _child_of("s1")
    name_before = child.given_name
    SourceRecord.objects.filter(record_id="s1").update(
        received_at=timezone.now() + timedelta(hours=1)
    )
    item = _item(twins["s1"], twins["h1"], SPLIT_PROPOSAL, None)
    client.force_login(area["analyst"])
    _decide(client, item, "non_match")
    new = _child_of("s1")
    assert new != child
    decision = LinkDecision.objects.get(decided_by="person", is_active=True)
    client.post(f"/linkage/decisions/{decision.pk}/", {"reason": "The health record was right"})
    assert _child_of("s1") == child and Child.objects.get(pk=child.pk).given_name == name_before
    assert Child.objects.get(pk=new.pk).merged_into == child  # the new id still resolves


def test_a_merged_id_leads_to_the_survivor_with_a_notice(
    client: Client, area: dict, twins: dict
) -> None:
    older, younger = _child_of("s1"), _child_of("s2")
    f.involvement(older, area["school"])
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    _decide(client, item, "match", "One pupil, registered twice")
    client.force_login(area["dsl"])
    response = client.get(f"/children/{younger.child_id}/")
    assert response.status_code == 302 and response["Location"] == f"/children/{older.child_id}/"
    page = client.get(response["Location"]).content.decode()
    assert f"{younger.child_id} was found to be the same child as {older.child_id}" in page
    assert AuditEvent.objects.filter(
        action="children.view", detail__merged_id=younger.child_id
    ).exists()


def test_the_child_page_shows_the_linkage_history(client: Client, area: dict, twins: dict) -> None:
    older, younger = _child_of("s1"), _child_of("s2")
    f.involvement(older, area["school"])
    item = _item(twins["s1"], twins["s2"])
    client.force_login(area["analyst"])
    _decide(client, item, "match", "One pupil, registered twice")
    client.force_login(area["dsl"])
    page = client.get(f"/children/{older.child_id}/").content.decode()
    assert "Record linkage history" in page
    assert f"Same child: merged {younger.child_id} into {older.child_id}" in page
    assert "One pupil, registered twice" in page and area["analyst"].display_name in page
    assert "Brookfield Primary record s1" in page
    assert "Community Health record h1" not in page  # another agency's record is not named
    history = client.get(f"/linkage/children/{older.child_id}/")
    assert history.status_code == 404  # the analyst page is not for practitioners
    client.force_login(area["analyst"])
    analyst_page = client.get(
        f"/linkage/children/{younger.child_id}/", follow=True
    ).content.decode()
    assert f"{younger.child_id} was merged into {older.child_id}" in analyst_page
    assert "Community Health h1" in analyst_page and "(can be undone)" in analyst_page
    assert AuditEvent.objects.filter(action="link_history.view", child_ref=older.child_id).exists()


@pytest.fixture(scope="module")
def small_area():  # type: ignore[no-untyped-def]
    from joinedup.demo.generator import generate_area

    return generate_area(children=300, seed=11, schools=2)


def _load_unlinked(small_area) -> None:  # type: ignore[no-untyped-def]
    area_records_load(small_area)


def test_person_decisions_override_the_model_across_a_rerun(client: Client, small_area) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd
    from django.core.management import call_command

    from joinedup.linkage.pipeline import link_records

    _load_unlinked(small_area)
    call_command("link")
    run = LinkRun.objects.get()
    records = list(SourceRecord.objects.select_related("agency", "child").order_by("pk"))
    by_child: dict[int, list[SourceRecord]] = {}
    for r in records:
        by_child.setdefault(r.child_id, []).append(r)  # type: ignore[arg-type]
    a, b = next(rs[:2] for rs in by_child.values() if len(rs) >= 2)  # the model links them
    c = next(rs[0] for pk, rs in by_child.items() if pk != a.child_id)
    d = next(rs[0] for pk, rs in by_child.items() if pk not in {a.child_id, c.child_id})
    analyst = f.staff(Role.DATA_ANALYST, f.agency(AgencyType.SOCIAL_CARE))
    client.force_login(analyst)
    _decide(client, _item(a, b), "non_match", "Two pupils: the school has both on roll")
    _decide(client, _item(c, d), "match", "Same child: confirmed with the health visitor")
    assert _child_of(a.record_id) != _child_of(b.record_id)
    assert _child_of(c.record_id) == _child_of(d.record_id)
    ids_after_review = dict(SourceRecord.objects.values_list("pk", "child__child_id"))

    call_command("link")
    assert dict(SourceRecord.objects.values_list("pk", "child__child_id")) == ids_after_review
    for left, right in ((a, b), (c, d)):
        assert (
            not LinkDecision.objects.filter(
                record_left__in=[left, right], record_right__in=[left, right], is_active=True
            )
            .exclude(decided_by="person")
            .exists()
        )

    # The model on its own says the opposite; the reviewed decisions win in link_records.
    frame = pd.DataFrame(
        SourceRecord.objects.values_list("agency__code", "record_id", *RECORD_COLUMNS),
        columns=["agency", "record_id", *RECORD_COLUMNS],
    )
    plain = link_records(frame, model_json=run.model_json)
    decided = link_records(frame, decisions=person_link_decisions(), model_json=run.model_json)

    def together(result, x: SourceRecord, y: SourceRecord) -> bool:  # type: ignore[no-untyped-def]
        cluster = result.clusters.set_index(["agency", "record_id"])["cluster_id"]
        return bool(cluster[(x.agency.code, x.record_id)] == cluster[(y.agency.code, y.record_id)])

    assert together(plain, a, b) and not together(decided, a, b)
    assert not together(plain, c, d) and together(decided, c, d)


def test_breaking_the_glass_on_a_merged_id_opens_the_survivor(
    client: Client, area: dict, twins: dict
) -> None:
    older, younger = _child_of("s1"), _child_of("s2")
    client.force_login(area["analyst"])
    _decide(client, _item(twins["s1"], twins["s2"]), "match", "One pupil, registered twice")
    stranger = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(AgencyType.SCHOOL))
    client.force_login(stranger)
    response = client.post(
        "/break-glass/",
        {
            "child_id": younger.child_id,
            "purpose": "safeguarding",
            "reason": "Child arrived at breakfast club with injuries this morning.",
        },
    )
    assert response["Location"] == f"/children/{older.child_id}/"
    assert client.get(response["Location"]).status_code == 200
