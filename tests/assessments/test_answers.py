"""Turning submitted answers into clean answers: one clear message per question id."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from joinedup.assessments.answers import answers_from_post, clean_answers
from joinedup.assessments.definitions import DEFAULT_FORMS_DIR, form_library
from joinedup.needs.vocabulary import load_vocabulary
from tests.assessments.factories import ap_answers

VOCABULARY = load_vocabulary()
FORMS = form_library([DEFAULT_FORMS_DIR], VOCABULARY)
AP, EHA = FORMS["ap-profile"], FORMS["eha-360"]


def _errors(form: Any, raw: dict[str, Any], complete: bool = False) -> dict[str, str]:
    return clean_answers(form, raw, vocabulary=VOCABULARY, complete=complete)[1]


def test_a_draft_may_be_partial_but_completion_names_each_missing_answer() -> None:
    assert _errors(AP, {"interests": "Music"}) == {}
    errors = _errors(AP, {"interests": "Music"}, complete=True)
    assert errors["strategies_that_work"] == (
        "Strategies that work: enter what works, or say none found yet"
    )
    assert errors["risk_to_self_or_others"] == (
        "Is there a risk of harm to self or others?: select an answer"
    )
    assert "interests" not in errors and "risk_detail" not in errors


def test_complete_answers_are_clean() -> None:
    clean, errors = clean_answers(AP, ap_answers(), vocabulary=VOCABULARY, complete=True)
    assert errors == {}
    assert clean["risks"][0]["likelihood"] == "medium"


def test_detail_is_required_only_when_the_risk_answer_is_yes() -> None:
    errors = _errors(AP, ap_answers(risk_to_self_or_others="yes"), complete=True)
    assert errors == {
        "risk_detail": "Risk of harm to self or others: detail: "
        "describe the risk, because you answered yes"
    }


@pytest.mark.parametrize(
    ("form", "raw", "key", "message"),
    [
        (
            EHA,
            {"eha_health_now": 11},
            "eha_health_now",
            "Health: how things are now: must be a whole number from 1 to 10",
        ),
        (EHA, {"eha_health_now": "six"}, "eha_health_now", "from 1 to 10"),
        (EHA, {"level": 5}, "level", "Level of need found: must be a whole number from 1 to 4"),
        (
            EHA,
            {"assessment_date": "2026-02-30"},
            "assessment_date",
            "Date of the assessment: must be a real date",
        ),
        (
            EHA,
            {"assessment_date": {"day": "31", "month": "4", "year": "2026"}},
            "assessment_date",
            "must be a real date",
        ),
        (
            EHA,
            {"assessment_date": {"day": "1", "month": "", "year": "2026"}},
            "assessment_date",
            "must include a day, month and year",
        ),
        (
            EHA,
            {"needs_identified": ["eha.nope"]},
            "needs_identified",
            "Needs identified: 'eha.nope' is not one of the options",
        ),
        (
            AP,
            {"risk_to_self_or_others": "maybe"},
            "risk_to_self_or_others",
            "choose one of Yes, No",
        ),
        (
            AP,
            {"sen_needs": ["semh", "dyslexia"]},
            "sen_needs",
            "Special educational needs: 'dyslexia' is not one of the options",
        ),
        (AP, {"interests": 7}, "interests", "Interests: must be text"),
        (AP, {"interests": "x" * 5001}, "interests", "Interests: must be 5000 characters or fewer"),
        (
            AP,
            {"risks": [{"risk": "Absconds", "likelihood": "certain"}]},
            "risks-0-likelihood",
            "Risks, row 1: likelihood must be one of Low, Medium, High",
        ),
        (
            AP,
            {"risks": [{"risk": "Absconds", "likelihood": "low"}]},
            "risks-0-controls",
            "Risks, row 1: enter control measures",
        ),
        (AP, {"risks": "lots"}, "risks", "Risks: must be a list of rows"),
        (
            AP,
            {"favourite_colour": "blue"},
            "favourite_colour",
            "'favourite_colour' is not a question of Alternative provision profile (version 1)",
        ),
    ],
)
def test_each_type_says_what_is_wrong(
    form: Any, raw: dict[str, Any], key: str, message: str
) -> None:
    assert message in _errors(form, raw)[key]


def test_blank_risk_rows_are_dropped() -> None:
    clean, errors = clean_answers(
        AP, {"risks": [{"risk": ""}, {}]}, vocabulary=VOCABULARY, complete=False
    )
    assert errors == {} and "risks" not in clean


def test_a_page_post_becomes_raw_answers() -> None:
    post = QueryDict(mutable=True)
    post.update({"strategies_that_work": "Routine", "risk_to_self_or_others": "no"})
    post.setlist("sen_needs", ["semh", "sensory_physical"])
    post.update({"risks-0-risk": "Leaves site", "risks-0-likelihood": "high", "risks-1-risk": ""})
    raw = answers_from_post(AP, post)
    assert raw["sen_needs"] == ["semh", "sensory_physical"]
    assert raw["risks"][0]["likelihood"] == "high" and len(raw["risks"]) == 2
    post = QueryDict(mutable=True)
    post.update(
        {"assessment_date-day": "2", "assessment_date-month": "3", "assessment_date-year": "2026"}
    )
    clean, errors = clean_answers(
        EHA, answers_from_post(EHA, post), vocabulary=VOCABULARY, complete=False
    )
    assert errors == {} and clean == {"assessment_date": "2026-03-02"}
