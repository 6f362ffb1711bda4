"""`joinedup area apply` checks everything first: each error names the file, the entry and the
field and says why; all errors come together; nothing is written while any exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError

from joinedup.governance.models import Agency, AuditEvent, SharingAgreement, StaffUser
from tests.governance.area_helpers import SMALL, run, write

pytestmark = pytest.mark.django_db


def _replace(old: str, new: str) -> str:
    assert old in SMALL, old
    return SMALL.replace(old, new, 1)


BAD = [
    # (what is wrong, the file's text, the entry, the field, words of the message)
    (
        "unknown role",
        _replace('role = "dsl"', 'role = "dls"'),
        "staff[2]",
        "role",
        "valid roles: dsl, teacher",
    ),
    (
        "bad email",
        _replace('"priya@example.org"', '"priya-at-example"'),
        "staff[2]",
        "email",
        "not an email address",
    ),
    (
        "URN not 6 digits",
        _replace('urn = "100123"', 'urn = "10012"'),
        'agencies "school-100123"',
        "urn",
        "6 digits",
    ),
    (
        "school without URN",
        _replace('urn = "100123"', ""),
        'agencies "school-100123"',
        "urn",
        "required",
    ),
    (
        "ODS code format",
        _replace('type = "social_care"', 'type = "social_care"\nods_code = "r-1"'),
        'agencies "council"',
        "ods_code",
        "NHS ODS code",
    ),
    (
        "team of another agency",
        _replace('agency = "council"\nteam', 'agency = "school-100123"\nteam'),
        "staff[1]",
        "team",
        "it is a team of council",
    ),
    (
        "review before start",
        _replace("review = 2027-03-31", "review = 2025-01-01"),
        'agreements "safeguarding"',
        "review",
        "before the start",
    ),
    (
        "special category without Art. 9",
        _replace('["referral"]', '["health_contact"]'),
        'agreements "safeguarding"',
        "article_9_condition",
        "special-category",
    ),
    (
        "unknown key (typo)",
        _replace('title = "Safeguarding"', 'titel = "Safeguarding"'),
        'agreements "safeguarding"',
        "titel",
        'did you mean "title"',
    ),
    (
        "wrong type",
        _replace('urn = "100123"', "urn = 100123"),
        'agencies "school-100123"',
        "urn",
        "must be text",
    ),
    (
        "huge string",
        _replace('name = "Council"', f'name = "{"x" * 5000}"'),
        'agencies "council"',
        "name",
        "5000 characters",
    ),
    (
        "control character",
        _replace('last_name = "Nair"', 'last_name = "Na\\u0007ir"'),
        "staff[2]",
        "last_name",
        "control character",
    ),
    (
        "unknown agency type",
        _replace('type = "social_care"', 'type = "council"'),
        'agencies "council"',
        "type",
        "social_care",
    ),
    (
        "unknown party",
        _replace('"council"]', '"nobody"]'),
        'agreements "safeguarding"',
        "parties",
        'no agency "nobody"',
    ),
    (
        "unknown party type",
        _replace('"type:school"', '"type:schools"'),
        'agreements "safeguarding"',
        "parties",
        "type:school",
    ),
    (
        "unknown purpose",
        _replace('["safeguarding"]', '["snooping"]'),
        'agreements "safeguarding"',
        "purposes",
        "snooping",
    ),
    (
        "date as text",
        _replace("starts = 2025-04-01", 'starts = "2025-04-01"'),
        'agreements "safeguarding"',
        "starts",
        "without quotes",
    ),
    (
        "datetime without offset",
        _replace("starts = 2025-04-01", "starts = 2025-04-01T09:00:00"),
        'agreements "safeguarding"',
        "starts",
        "offset",
    ),
    (
        "bad code",
        _replace('code = "council"', 'code = "The Council"'),
        'agencies "The Council"',
        "code",
        "not a code",
    ),
    (
        "duplicate code",
        SMALL + '\n[[agencies]]\ncode = "council"\nname = "Again"\ntype = "police"\n',
        'agencies "council"',
        "code",
        "declared twice",
    ),
    ("missing field", _replace('last_name = "Okafor"\n', ""), "staff[1]", "last_name", "required"),
    ("unknown section", SMALL + "\n[[schools]]\ncode = 'x'\n", "schools", "", "unknown section"),
]


@pytest.mark.parametrize(("what", "text", "entry", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_each_error_names_file_entry_and_field(
    tmp_path: Path, what: str, text: str, entry: str, field: str, words: str
) -> None:
    path = write(tmp_path, "area.toml", text)
    with pytest.raises(CommandError) as raised:
        run("area", "apply", path)
    message = str(raised.value)
    expected = f"{path}: {entry}: {field}: " if field else f"{path}: {entry}: "
    assert expected in message, message
    assert words in message, message
    assert not Agency.objects.exists() and not StaffUser.objects.exists()
    assert not SharingAgreement.objects.exists() and not AuditEvent.objects.exists()


def test_all_errors_are_reported_together(tmp_path: Path) -> None:
    text = _replace('role = "dsl"', 'role = "dls"').replace('urn = "100123"', 'urn = "1"')
    with pytest.raises(CommandError) as raised:
        run("area", "apply", write(tmp_path, "area.toml", text))
    assert "2 error(s); nothing was changed" in str(raised.value)
    assert "role" in str(raised.value) and "urn" in str(raised.value)


def test_a_file_not_utf8_or_not_toml_is_named_with_its_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[[agencies]]\nname = "Caf\xe9"\n')
    broken = write(tmp_path, "broken.toml", '[[agencies]]\ncode = "a"\nname = \n')
    with pytest.raises(CommandError) as raised:
        run("area", "apply", latin, broken)
    message = str(raised.value)
    assert f"{latin}: line 2: is not UTF-8 (byte 0xe9)" in message
    assert f"{broken}: is not valid TOML" in message and "line 3" in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nope.toml: cannot be read"):
        run("area", "apply", tmp_path / "nope.toml")
