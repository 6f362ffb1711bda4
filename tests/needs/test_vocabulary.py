"""The area vocabulary file: the shipped one loads; every error names file, entry and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from joinedup.needs.vocabulary import (
    DEFAULT_VOCABULARY_FILE,
    VocabularyError,
    load_vocabulary,
)

GOOD = """
version = "test.1"
[[levels]]
level = 1
label = "Universal"
[[levels]]
level = 2
label = "Early help"
[[levels]]
level = 3
label = "Targeted"
[[levels]]
level = 4
label = "Specialist"

[acknowledge_within]
default = 3
social_care = 1

[[schemes]]
id = "eha"
label = "Early Help Assessment domain"

[[needs]]
code = "eha.health"
scheme = "eha"
label = "Health"

[[needs]]
code = "eha.education"
scheme = "eha"
label = "Education"

[[terms]]
agency_type = "youth_service"
term = "At risk"
level = 3

[[terms]]
agency = "youth-north"
term = "At risk"
level = 2
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "area.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_vocabulary_loads() -> None:
    vocabulary = load_vocabulary(DEFAULT_VOCABULARY_FILE)
    assert [lv.level for lv in vocabulary.levels] == [1, 2, 3, 4]
    assert set(vocabulary.schemes) == {"eha", "cin", "sf"}
    assert vocabulary.need("eha.health") is not None
    assert vocabulary.term_level(agency_code="x", agency_type="police", term="immediate need") == 4
    assert vocabulary.acknowledge_working_days("social_care") == 1


def test_good_file_reads_levels_needs_terms_and_acknowledgement(tmp_path: Path) -> None:
    v = load_vocabulary(_write(tmp_path, GOOD))
    assert v.version == "test.1" and len(v.sha256) == 64
    assert v.level_label(2) == "Early help" and v.level_label(None) == ""
    assert v.unknown_needs(["eha.health", "nope"]) == ["nope"]
    # an agency's own word wins over its type's
    assert v.term_level(agency_code="youth-north", agency_type="youth_service", term="at risk") == 2
    assert v.term_level(agency_code="other", agency_type="youth_service", term=" AT RISK ") == 3
    assert v.term_level(agency_code="other", agency_type="police", term="at risk") is None
    assert v.acknowledge_working_days("health") == 3


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary(_write(tmp_path, text))
    return str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'level = 4\nlabel = "Specialist"',
            'level = 5\nlabel = "Specialist"',
            "area.toml: levels entry 4: field 'level' must be one of 1, 2, 3 or 4, not 5",
        ),
        (
            'level = 4\nlabel = "Specialist"',
            'level = 3\nlabel = "Specialist"',
            "area.toml: levels: there must be exactly four levels, numbered 1 to 4",
        ),
        (
            'code = "eha.education"\nscheme = "eha"',
            'code = "eha.education"\nscheme = "cin"',
            "area.toml: needs entry 2 (eha.education): field 'scheme': unknown scheme 'cin'",
        ),
        (
            'code = "eha.education"',
            'code = "eha.health"',
            "area.toml: needs entry 2 (eha.health): field 'code': 'eha.health' is listed twice",
        ),
        (
            'agency = "youth-north"',
            'agency = "youth-north"\nagency_type = "youth_service"',
            "area.toml: terms entry 2 ('At risk'): give exactly one of 'agency_type' or 'agency'",
        ),
        (
            'agency = "youth-north"',
            "",
            "area.toml: terms entry 2 ('At risk'): give exactly one of 'agency_type' or 'agency'",
        ),
        (
            'agency = "youth-north"\nterm = "At risk"\nlevel = 2',
            'agency_type = "youth_service"\nterm = "at risk"\nlevel = 2',
            "area.toml: terms entry 2 ('at risk'): field 'term': 'at risk' is mapped twice",
        ),
        (
            'agency = "youth-north"\nterm = "At risk"\nlevel = 2',
            'agency = "youth-north"\nterm = "At risk"\nlevel = "high"',
            "area.toml: terms entry 2 ('At risk'): field 'level' must be one of 1, 2, 3 or 4, "
            "not 'high'",
        ),
        ("default = 3\n", "", "area.toml: acknowledge_within: give 'default' (working days)"),
        ("social_care = 1", "social_care = 0", "acknowledge_within.social_care: must be 1 to 20"),
        (
            'label = "Health"',
            'label = ""',
            "area.toml: needs entry 1 (eha.health): field 'label' is missing or blank",
        ),
        (
            'label = "Health"',
            "label = 7",
            "area.toml: needs entry 1 (eha.health): field 'label' must be text, not int",
        ),
        (
            'id = "eha"\nlabel = "Early Help Assessment domain"',
            'id = "eha"\nlabel = "EHA"\n[[schemes]]\nid = "eha"\nlabel = "Again"',
            "area.toml: schemes entry 2: field 'id': 'eha' is listed twice",
        ),
    ],
)
def test_each_error_names_file_entry_and_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    assert expected in _error(tmp_path, GOOD.replace(old, new, 1))


def test_not_toml(tmp_path: Path) -> None:
    message = _error(tmp_path, "levels = [[[")
    assert message.startswith("area.toml: not valid TOML")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "area.toml"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(VocabularyError, match="area.toml: not valid TOML"):
        load_vocabulary(path)


def test_missing_file_and_missing_sections(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match=r"cannot be read"):
        load_vocabulary(tmp_path / "nope.toml")
    no_needs = re.sub(r"\[\[needs\]\][^\[]*", "", GOOD)
    assert "area.toml: needs: the file must list [[needs]]" in _error(tmp_path, no_needs)


def test_entries_that_are_not_tables(tmp_path: Path) -> None:
    text = GOOD.replace("[[terms]]", "[[terms_]]").replace("version", "terms = [1, 2]\nversion")
    assert "area.toml: terms entry 1: must be a [[terms]] table" in _error(tmp_path, text)
