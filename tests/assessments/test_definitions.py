"""Form and instrument definitions: the shipped files load; a wrong file names where and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.assessments.definitions import (
    DEFAULT_FORMS_DIR,
    DefinitionError,
    form_library,
    load_form,
)
from joinedup.assessments.instruments import (
    DEFAULT_INSTRUMENTS_DIR,
    instrument_library,
    load_instrument,
)
from joinedup.needs.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()

GOOD = """
id = "mini"
version = "2"
title = "Mini"
[[sections]]
id = "one"
title = "One"
[[sections.questions]]
id = "q1"
label = "Question one"
type = "text"
"""


def _write(tmp_path: Path, text: str, name: str = "form.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_shipped_forms_load_and_the_360_covers_every_eha_domain() -> None:
    forms = form_library([DEFAULT_FORMS_DIR], VOCABULARY)
    assert set(forms) == {"eha-360", "ap-profile"}
    eha = forms["eha-360"]
    groups = [s.title for s in eha.sections]
    assert groups[1:4] == [
        "Child's developmental needs",
        "Parents and carers",
        "Family and environment",
    ]
    domains = {q.domain for q in eha.questions if q.domain}
    assert domains == {n.label for n in VOCABULARY.needs if n.scheme == "eha"}
    scale = eha.question("eha_health_now")
    assert scale is not None and (scale.min, scale.max, scale.required) == (1, 10, True)
    assert forms["ap-profile"].allows_baseline
    assert forms["ap-profile"].question("risks").rows == 5  # type: ignore[union-attr]


def test_an_area_file_with_the_same_id_replaces_the_shipped_one(tmp_path: Path) -> None:
    _write(tmp_path, GOOD.replace('"mini"', '"ap-profile"'))
    forms = form_library([DEFAULT_FORMS_DIR, tmp_path], VOCABULARY)
    assert forms["ap-profile"].title == "Mini" and "eha-360" in forms


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('type = "text"', 'type = "essay"'),
            "form.toml: section 1 (one), question 1, question 'q1': "
            "field 'type': 'essay' is not one of",
        ),
        (
            ('label = "Question one"', 'label = ""'),
            "question 'q1': field 'label' is missing or blank",
        ),
        (('id = "q1"', 'id = "Q 1"'), "field 'id' must be lower-case letters"),
        (
            ('type = "text"', 'type = "scale"\nmin = 5\nmax = 1'),
            "a scale needs whole-number 'min' < 'max'",
        ),
        (('type = "text"', 'type = "choice"'), "field 'options' must list at least one option"),
        (
            ('type = "text"', 'type = "need_codes"\nscheme = "nope"'),
            "'nope' is not a scheme of the vocabulary",
        ),
        (('type = "text"', 'type = "text"\nrequried = true'), "unknown field 'requried'"),
        (
            ('type = "text"', 'type = "text"\nrequired_if = { question = "q9", equals = "yes" }'),
            "required_if names an unknown question 'q9'",
        ),
        (('title = "Mini"', ""), "form.toml: form: field 'title' is missing or blank"),
    ],
)
def test_a_wrong_form_names_file_section_question_and_why(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(DefinitionError) as exc:
        load_form(path, VOCABULARY)
    assert message in str(exc.value)


def test_a_question_id_used_twice_is_refused(tmp_path: Path) -> None:
    twice = GOOD + '[[sections.questions]]\nid = "q1"\nlabel = "Again"\ntype = "text"\n'
    with pytest.raises(DefinitionError, match="question id 'q1' is used twice"):
        load_form(_write(tmp_path, twice), VOCABULARY)


def test_not_toml_says_so(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="form.toml: not valid TOML"):
        load_form(_write(tmp_path, "id = "), VOCABULARY)


def test_shipped_instruments_load() -> None:
    instruments = instrument_library([DEFAULT_INSTRUMENTS_DIR])
    assert set(instruments) == {
        "sdq-parent",
        "sdq-teacher",
        "sdq-self",
        "swemwbs",
        "star-youth",
        "star-family-plus",
    }
    star = instruments["star-family-plus"]
    assert len(star.scales) == 10 and star.scales[0].band(1) == "Stuck"
    assert instruments["star-youth"].scales[0].bands == ()  # stages left to the area
    swemwbs = instruments["swemwbs"].scale("total")
    assert swemwbs is not None and swemwbs.conversion is not None
    assert (swemwbs.conversion[7], swemwbs.conversion[21], swemwbs.conversion[35]) == (
        7.0,
        19.25,
        35.0,
    )


INSTRUMENT = """
id = "mini"
family = "sdq"
title = "Mini"
source = "test"
[[scales]]
id = "a"
label = "A"
min = 0
max = 10
bands = [{ from = 0, to = 4, label = "Low" }, { from = 5, to = 10, label = "High" }]
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("from = 5", "from = 6"),
            "scale 1 (a): bands must cover 0 to 10 in order with no gap or overlap "
            "(band 'High' starts at 6, expected 5)",
        ),
        (("to = 10, label", "to = 9, label"), "bands stop at 9, not at the maximum 10"),
        (('family = "sdq"', 'family = "iq"'), "'iq' is not sdq, swemwbs or star"),
        (("max = 10", "max = 0"), "'min' must be less than 'max'"),
    ],
)
def test_a_wrong_instrument_names_the_scale_and_why(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(DefinitionError) as exc:
        load_instrument(_write(tmp_path, INSTRUMENT.replace(*change), "mini.toml"))
    assert f"mini.toml: {message}" in str(exc.value) or message in str(exc.value)
