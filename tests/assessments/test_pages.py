"""The assessment pages and the child's panel, over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from joinedup.access.assessments import assessment_list_for_child, measure_list_for_child
from joinedup.access.children import access_child_by_id
from joinedup.assessments.models import Assessment, MeasureScore
from joinedup.assessments.services import assessment_create, measure_record
from joinedup.governance.models import Purpose
from tests.assessments.factories import ap_answers, area

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(client: Client) -> dict[str, Any]:
    data = area()
    client.force_login(data["ehp"])
    data["new"] = f"/assessments/new/{data['child'].child_id}/"
    return data


def test_without_a_form_the_page_offers_the_forms(a: dict, client: Client) -> None:
    body = client.get(a["new"]).content.decode()
    assert "Early help assessment (360)" in body and "Alternative provision profile" in body
    assert "?form=eha-360" in body


def test_the_360_is_built_from_the_definition(a: dict, client: Client) -> None:
    body = client.get(a["new"] + "?form=eha-360").content.decode()
    assert "Parents and carers" in body and "Emotional warmth and stability" in body
    assert 'name="eha_health_now" type="radio" value="10"' in body
    assert 'data-module="govuk-character-count"' in body
    assert 'name="assessment_date-day"' in body


def test_completing_with_answers_missing_shows_each_error_and_keeps_what_was_typed(
    a: dict, client: Client
) -> None:
    response = client.post(
        a["new"] + "?form=ap-profile",
        {"action": "complete", "interests": "Music", "risks-0-risk": "Leaves site"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert (
        '<a href="#strategies_that_work">'
        "Strategies that work: enter what works, or say none found yet</a>" in body
    )
    assert '<a href="#risks-0-likelihood">Risks, row 1: enter likelihood</a>' in body
    assert ">Music</textarea>" in body and 'value="Leaves site"' in body
    assert not Assessment.objects.exists()


def test_save_draft_then_continue_then_complete(a: dict, client: Client) -> None:
    response = client.post(a["new"] + "?form=ap-profile", {"action": "draft", "interests": "Music"})
    draft = Assessment.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/assessments/{draft.reference}/"
    )
    body = client.get(response["Location"]).content.decode()
    assert "Continue the draft" in body and ">Music</textarea>" in body
    post = {k: v for k, v in ap_answers().items() if isinstance(v, str)}
    post.update(
        {
            "action": "complete",
            "sen_needs": ["semh"],
            "risks-0-risk": "Leaves site",
            "risks-0-likelihood": "low",
            "risks-0-impact": "Missing",
            "risks-0-controls": "Plan",
        }
    )
    response = client.post(f"/assessments/{draft.reference}/", post)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "completed" and draft.answers["risks"][0]["likelihood"] == "low"
    body = client.get(f"/assessments/{draft.reference}/").content.decode()
    assert "Completed" in body and "Strategies that work" in body
    assert "Start a review against this baseline" in body


def test_a_review_is_shown_beside_its_baseline(a: dict, client: Client) -> None:
    kw = {
        "actor": a["ehp"],
        "purpose": Purpose.EARLY_HELP,
        "child_id": a["child"].child_id,
        "form_id": "ap-profile",
    }
    base = assessment_create(**kw, answers=ap_answers(), complete=True)
    review = assessment_create(
        **kw,
        answers=ap_answers(aspirations="I want to be an engineer."),
        baseline_ref=base.reference,
        complete=True,
    )
    body = client.get(f"/assessments/{review.reference}/").content.decode()
    assert "Baseline and review side by side" in body
    assert "I want to be a mechanic." in body and "I want to be an engineer." in body


def test_a_teacher_gets_404_from_the_recording_pages(a: dict, client: Client) -> None:
    client.force_login(a["teacher"])
    assert client.get(a["new"]).status_code == 404
    assert client.get(f"/assessments/measures/new/{a['child'].child_id}/").status_code == 404


def test_recording_an_sdq_shows_the_bands_after_saving(a: dict, client: Client) -> None:
    url = f"/assessments/measures/new/{a['child'].child_id}/"
    assert "SDQ (teacher, 4-17)" in client.get(url).content.decode()
    post = {
        "administered_on-day": "2",
        "administered_on-month": "3",
        "administered_on-year": "2026",
        "score-emotional": "4",
        "score-conduct": "3",
        "score-hyperactivity": "6",
        "score-peer": "3",
        "score-prosocial": "7",
        "score-total": "17",
    }
    body = client.post(url + "?instrument=sdq-parent", post).content.decode()
    assert '<a href="#score-total">Total difficulties: 17 is not the sum' in body
    post["score-total"] = "16"
    response = client.post(url + "?instrument=sdq-parent", post)
    m = MeasureScore.objects.get()
    assert response.status_code == 302 and f"recorded={m.pk}" in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert "Total difficulties" in body and "Borderline" in body


def test_the_child_panel_lists_what_the_viewer_may_see(a: dict) -> None:
    done = assessment_create(
        actor=a["ehp"],
        purpose=Purpose.EARLY_HELP,
        child_id=a["child"].child_id,
        form_id="ap-profile",
        answers=ap_answers(),
        complete=True,
    )
    measure_record(
        actor=a["ehp"],
        purpose=Purpose.EARLY_HELP,
        child_id=a["child"].child_id,
        instrument_id="swemwbs",
        scores={"total": 21},
        administered_on="2026-03-01",
    )
    access = access_child_by_id(a["ehp"], a["child"].child_id, purpose=Purpose.EARLY_HELP)
    html = render_to_string(
        "assessments/child_panel.html",
        {
            "child": a["child"],
            "assessments": assessment_list_for_child(access=access),
            "measures": measure_list_for_child(access=access),
            "may_record_assessments": True,
        },
    )
    assert done.reference in html and "Alternative provision profile" in html
    assert "SWEMWBS (short wellbeing scale)" in html and "Below average wellbeing" in html
    assert "Start an assessment" in html
