"""`Is this child known?`: real-time matching through the access layer, audited."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from joinedup.demo.generator import generate_area
from joinedup.governance.models import Agency, AgencyType, AuditEvent, Role
from joinedup.linkage.nicknames import NICKNAMES
from joinedup.linkage.pipeline import link_records
from joinedup.people.link_runs import RECORD_COLUMNS
from joinedup.people.matching import NoLinkModel, child_match
from joinedup.people.models import Child, LinkRun, SourceRecord
from tests import factories as f
from tests.people.area import area_records_load

pytestmark = pytest.mark.django_db


@dataclass
class Trained:
    area: Any
    result: Any  # LinkResult over the area's records


def train_area() -> Trained:
    """The area and its link result (no database): train once per module."""
    area = generate_area(children=600, seed=9, schools=3)
    records = pd.DataFrame(
        [
            {
                "agency": r.agency_code,
                "record_id": r.record_id,
                **{c: getattr(r, c) for c in RECORD_COLUMNS},
            }
            for r in area.records
        ]
    )
    return Trained(area, link_records(records))


@pytest.fixture(scope="module")
def trained() -> Trained:
    return train_area()


def load_records(area: Any) -> dict[str, Agency]:
    return area_records_load(area)


def load_linked(trained: Trained) -> dict[str, Child]:
    """The person index as `joinedup link` would leave it (from the module's trained result),
    so each test does not retrain. Returns person id -> child."""
    load_records(trained.area)
    clusters = trained.result.clusters
    first = {}
    for agency, record_id, cluster in clusters.itertuples(index=False):
        first.setdefault(cluster, (agency, record_id))
    rows = {(r.agency_code, r.record_id): r for r in trained.area.records}
    children = {}
    for cluster, key in first.items():
        r = rows[key]
        children[cluster] = Child(
            given_name=r.given_name[:100], family_name=r.family_name[:100], sex="U"
        )
    Child.objects.bulk_create(children.values())
    by_key = {
        (s.agency.code, s.record_id): s for s in SourceRecord.objects.select_related("agency")
    }
    for agency, record_id, cluster in clusters.itertuples(index=False):
        by_key[(agency, record_id)].child = children[cluster]
    SourceRecord.objects.bulk_update(by_key.values(), ["child"])
    LinkRun.objects.create(model=trained.result.model, model_json=trained.result.model_json)
    child_of_person = {}
    for r in trained.area.records:
        child_of_person.setdefault(r.person_id, by_key[(r.agency_code, r.record_id)].child)
    return child_of_person


def viewer_of(child: Child) -> Any:
    school = f.agency(AgencyType.SCHOOL, name="Matching School")
    f.involvement(child, school)
    return f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school)


def query_of(person: Any, **changes: str) -> dict[str, str]:
    q = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        "sex": person.sex,
    }
    q.update(changes)
    return q


def _child_people(trained: Trained) -> list[Any]:
    linked = {r.person_id for r in trained.area.records}
    return [p for p in trained.area.people if p.person_id in linked]


def test_link_saves_the_model_and_match_uses_it(trained: Trained) -> None:
    load_records(trained.area)
    call_command("link", stdout=io.StringIO())
    run = LinkRun.objects.get()
    assert json.loads(run.model_json)["comparisons"]
    person = _child_people(trained)[0]
    record = next(r for r in trained.area.records if r.person_id == person.person_id)
    child = SourceRecord.objects.get(record_id=record.record_id).child
    assert child is not None
    result = child_match(viewer=viewer_of(child), person=query_of(person), purpose="safeguarding")
    assert result.candidates[0].child_id == child.child_id


def test_noisy_details_find_the_child_first_with_evidence(trained: Trained) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[3]
    child = child_of[person.person_id]
    viewer = viewer_of(child)
    name = person.given_name
    noisy = name[0] + name[2] + name[1] + name[3:] if len(name) > 3 else name
    dob = person.date_of_birth
    result = child_match(
        viewer=viewer,
        person=query_of(person, given_name=noisy.lower(), date_of_birth=dob.strftime("%d/%m/%Y")),
        purpose="safeguarding",
    )
    assert result.candidates[0].child_id == child.child_id
    assert "same date of birth" in result.candidates[0].evidence
    assert "same family name" in result.candidates[0].evidence

    event = AuditEvent.objects.get(action="children.match")
    assert event.actor_id == viewer.pk
    assert event.detail["results"] == [c.child_id for c in result.candidates]
    assert event.detail["query"]["family_name"] == person.family_name


def test_an_identifier_is_decisive(trained: Trained) -> None:
    child_of = load_linked(trained)
    person = next(p for p in _child_people(trained) if p.nhs_number)
    child = child_of[person.person_id]
    result = child_match(
        viewer=viewer_of(child), person={"nhs_number": person.nhs_number}, purpose="safeguarding"
    )
    assert result.candidates[0].child_id == child.child_id
    assert result.candidates[0].probability == 1.0
    assert "same NHS number" in result.candidates[0].evidence


def test_a_child_you_cannot_see_is_only_counted(trained: Trained) -> None:
    child_of = load_linked(trained)
    people = _child_people(trained)
    visible = viewer_of(child_of[people[0].person_id])
    hidden = people[5]
    result = child_match(viewer=visible, person=query_of(hidden), purpose="safeguarding")
    shown = {c.child_id for c in result.candidates}
    assert child_of[hidden.person_id].child_id not in shown
    assert result.hidden_matches >= 1
    assert "safeguarding hub" in result.hidden_message
    event = AuditEvent.objects.get(action="children.match")
    assert child_of[hidden.person_id].child_id not in json.dumps(event.detail)
    assert event.detail["hidden_matches"] == result.hidden_matches


def test_a_nickname_still_matches(trained: Trained) -> None:
    child_of = load_linked(trained)
    variants: dict[str, list[str]] = {}
    for name, canons in NICKNAMES.items():
        for canon in canons:
            if name != canon and len(name) < len(canon) and name[:2] == canon[:2]:
                variants.setdefault(canon, []).append(name)
    person = next(p for p in _child_people(trained) if p.given_name.lower() in variants)
    nickname = min(variants[person.given_name.lower()], key=len)
    child = child_of[person.person_id]
    result = child_match(
        viewer=viewer_of(child),
        person=query_of(person, given_name=nickname.title()),
        purpose="safeguarding",
    )
    assert result.candidates[0].child_id == child.child_id
    assert "nickname of first name" in result.candidates[0].evidence


def test_a_twin_is_not_offered_as_the_other_twin(trained: Trained) -> None:
    child_of = load_linked(trained)
    people = {p.person_id: p for p in _child_people(trained)}
    twins = [
        (p, people[p.twin_of])
        for p in people.values()
        if p.twin_of in people
        and child_of[p.person_id] != child_of[p.twin_of]
        and p.given_name.lower() != people[p.twin_of].given_name.lower()
    ]
    assert twins, "the area should hold twins"
    for one, other in twins[:4]:
        viewer = viewer_of(child_of[other.person_id])  # can see only the other twin
        f.involvement(child_of[one.person_id], viewer.agency)
        result = child_match(viewer=viewer, person=query_of(one), purpose="safeguarding")
        assert result.candidates, one
        assert result.candidates[0].child_id == child_of[one.person_id].child_id
        if one.given_name[0] != other.given_name[0]:  # clearly different: the twin guard
            shown = {c.child_id for c in result.candidates}
            assert child_of[other.person_id].child_id not in shown


def test_every_call_is_audited_and_bad_queries_refused(trained: Trained) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[1]
    viewer = viewer_of(child_of[person.person_id])
    for _ in range(2):
        child_match(viewer=viewer, person=query_of(person), purpose="safeguarding")
    assert AuditEvent.objects.filter(action="children.match", actor=viewer).count() == 2
    with pytest.raises(ValueError, match="Unknown field"):
        child_match(viewer=viewer, person={"shoe_size": "4"}, purpose="safeguarding")
    with pytest.raises(ValueError, match="at least a name"):
        child_match(viewer=viewer, person={"sex": "F"}, purpose="safeguarding")


def test_no_model_yet_says_run_link_first() -> None:
    viewer = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency())
    with pytest.raises(NoLinkModel, match="joinedup link"):
        child_match(viewer=viewer, person={"given_name": "Ann"}, purpose="safeguarding")


def _run_match(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> dict:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("match", *args, stdout=out)
    return json.loads(out.getvalue())


def test_match_command_json_in_and_out(trained: Trained, monkeypatch: pytest.MonkeyPatch) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[2]
    viewer = viewer_of(child_of[person.person_id])
    out = _run_match(monkeypatch, json.dumps(query_of(person)), "--as", viewer.username)
    assert out["candidates"][0]["child_id"] == child_of[person.person_id].child_id
    assert out["candidates"][0]["evidence"]
    assert out["hidden_matches"] == 0

    for stdin, message in [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        ('{"given_name": "A", "shoe": "4"}', "Unknown field"),
        ('{"sex": "F"}', "at least a name"),
    ]:
        with pytest.raises(CommandError, match=message):
            _run_match(monkeypatch, stdin, "--as", viewer.username)
    with pytest.raises(CommandError, match="no active member of staff"):
        _run_match(monkeypatch, "{}", "--as", "nobody")
    with pytest.raises(CommandError, match="not one your role"):
        _run_match(monkeypatch, "{}", "--as", viewer.username, "--purpose", "marketing")


def test_roles_without_child_search_learn_nothing() -> None:
    from joinedup.governance.models import AuditEvent, Role
    from joinedup.people.matching import child_match
    from tests import factories as f

    analyst = f.staff(Role.DATA_ANALYST, f.agency())
    result = child_match(viewer=analyst, person={"family_name": "Anyone"}, purpose="safeguarding")
    assert result.candidates == [] and result.hidden_matches == 0
    assert AuditEvent.objects.get(action="children.match").outcome == "denied"


def test_the_index_is_kept_between_calls_and_rebuilt_after_a_link_run(trained: Trained) -> None:
    """Built once per process; a new link run (which may move records between children)
    makes the next match use the new person index."""
    from joinedup.people import matching

    child_of = load_linked(trained)
    person = _child_people(trained)[4]
    old = child_of[person.person_id]
    viewer = viewer_of(old)
    assert (
        child_match(viewer=viewer, person=query_of(person), purpose="safeguarding")
        .candidates[0]
        .child_id
        == old.child_id
    )
    built = matching._CACHE["index"][1]
    child_match(viewer=viewer, person=query_of(person), purpose="safeguarding")
    assert matching._CACHE["index"][1] is built  # not rebuilt

    new = Child.objects.create(given_name=old.given_name, family_name=old.family_name)
    SourceRecord.objects.filter(child=old).update(child=new)
    f.involvement(new, viewer.agency)
    run = LinkRun.objects.get()
    LinkRun.objects.create(model=run.model, model_json=run.model_json)
    result = child_match(viewer=viewer, person=query_of(person), purpose="safeguarding")
    assert matching._CACHE["index"][1] is not built
    assert result.candidates[0].child_id == new.child_id
    assert old.child_id not in {c.child_id for c in result.candidates}
