"""The page URL map (joinedup/web/urls.py): no page path can take another's, whatever the order
the paths are listed in, and the id converters accept every id the code issues."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, get_resolver

from joinedup.people.models import CHILD_ID_ALPHABET, new_child_id
from joinedup.referrals.services import new_reference
from joinedup.tac.rules import new_tac_reference
from joinedup.web import urls as web_urls
from joinedup.web.converters import CONVERTERS
from joinedup.web.referrals.action_forms import ACTION_FORMS

# One value of each converter's shape, to fill a path's parameters in.
SAMPLES = {
    "int": "7",
    "slug": "any-agreement",
    "child_id": "C-23456789",
    "referral_ref": "R-23456789",
    "assessment_ref": "A-23456789",
    "tac_ref": "TAC-23456789",
    "referral_verb": "accept",
}


def _sample(pattern: URLPattern) -> str:
    return re.sub(r"<(\w+):\w+>", lambda m: SAMPLES[m[1]], str(pattern.pattern))


def _converter_matches(name: str, value: str) -> bool:
    return re.fullmatch(CONVERTERS[name].regex, value) is not None


@pytest.mark.parametrize("pattern", web_urls.urlpatterns, ids=lambda p: p.name)
def test_a_page_path_is_matched_by_its_own_pattern_only(pattern: URLPattern) -> None:
    path = _sample(pattern)
    matching = [p.name for p in web_urls.urlpatterns if p.pattern.match(path)]
    assert matching == [pattern.name], f"/{path} is matched by {matching}"


def test_the_pages_are_mounted_at_the_root_beside_the_api() -> None:
    mounted = [str(p.pattern) for p in get_resolver().url_patterns]
    assert mounted == ["", "api/"]
    assert not any(str(p.pattern).startswith("api/") for p in web_urls.urlpatterns)


def test_every_page_has_a_distinct_name() -> None:
    names = [p.name for p in web_urls.urlpatterns]
    assert len(names) == len(set(names))


def test_the_converters_accept_every_id_the_code_issues() -> None:
    for _ in range(200):
        assert _converter_matches("child_id", new_child_id())
        assert _converter_matches("referral_ref", new_reference())
        assert _converter_matches("tac_ref", new_tac_reference())
    for start in range(0, len(CHILD_ID_ALPHABET), 8):
        chunk = (CHILD_ID_ALPHABET * 2)[start : start + 8]
        assert _converter_matches("child_id", f"C-{chunk}")
        assert _converter_matches("assessment_ref", f"A-{chunk}")


def test_the_converters_leave_case_to_the_access_layer() -> None:
    # Lookups are exact, as before: a lower-case id reaches the page, which finds no such child.
    assert _converter_matches("child_id", "c-7q2x9k4m")
    assert CONVERTERS["child_id"]().to_python("c-7q2x9k4m") == "c-7q2x9k4m"
    assert not _converter_matches("child_id", "attention")
    assert not _converter_matches("referral_ref", "new")


def test_the_action_converter_names_every_referral_action() -> None:
    assert set(CONVERTERS["referral_verb"].regex.split("|")) == set(ACTION_FORMS)
