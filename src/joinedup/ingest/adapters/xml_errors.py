"""lxml's parse and schema errors, said in plain words with the line and element they are at.

"Element 'PersonBirthDate': '2013-13-01' is not a valid value of the atomic type 'xs:date'."
becomes "line 42: <PersonBirthDate> '2013-13-01' is not a valid date (YYYY-MM-DD)".
"""

from __future__ import annotations

import re
from typing import Any

SHOWN_ERRORS = 10

_TYPES = {
    "xs:date": "a valid date (YYYY-MM-DD)",
    "xs:dateTime": "a valid date and time",
    "xs:gYear": "a valid year",
    "xs:positiveInteger": "a whole number above 0",
    "xs:integer": "a whole number",
}
_PLAIN: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"'(?P<v>.*)' is not a valid value of the atomic type '(?P<t>[^']+)'"),
        lambda m: f"{m['v']!r} is not {_TYPES.get(m['t'], 'a valid ' + m['t'])}",
    ),
    (
        re.compile(
            r"\[facet 'enumeration'\] The value '(?P<v>.*)' is not an element of the set "
            r"\{(?P<set>.*)\}"
        ),
        lambda m: (
            f"{m['v']!r} is not one of the allowed codes: "
            + ", ".join(c.strip(" '") for c in m["set"].split(","))
        ),
    ),
    (
        re.compile(r"\[facet 'pattern'\] The value '(?P<v>.*)' is not accepted by the pattern"),
        lambda m: f"{m['v']!r} is not in the form the census requires",
    ),
    (
        re.compile(r"\[facet 'minLength'\] The value has a length of '0'"),
        lambda m: "is empty",
    ),
    (
        re.compile(r"This element is not expected\. Expected is(?: one of)? \( (?P<e>.*) \)"),
        lambda m: f"is not expected here; expected {_names(m['e'])}",
    ),
    (re.compile(r"This element is not expected\."), lambda m: "is not expected here"),
    (
        re.compile(r"Missing child element\(s\)\. Expected is(?: one of)? \( (?P<e>.*) \)"),
        lambda m: f"is missing {_names(m['e'])}",
    ),
    (
        re.compile(r"No matching global declaration available for the validation root"),
        lambda m: "is not <Message>, the root element of a CIN census file",
    ),
]
_ELEMENT = re.compile(r"^Element '(?P<el>[^']+)'(?:, attribute '[^']+')?: ")


def _names(listed: str) -> str:
    return " or ".join(f"<{n.strip()}>" for n in listed.split(","))


def plain_error(message: str, line: int) -> str:
    """One libxml2 schema message in plain words: 'line N: <Element> why'."""
    text = message.strip()
    element = ""
    if match := _ELEMENT.match(text):
        element, text = f"<{match['el']}> ", text[match.end() :]
    for pattern, say in _PLAIN:
        if found := pattern.search(text):
            return f"line {line}: {element}{say(found)}"
    return f"line {line}: {element}{text.rstrip('.')}"


def schema_problems(name: str, error_log: Any) -> str:
    errors = [plain_error(e.message, e.line) for e in error_log]
    shown = "; ".join(errors[:SHOWN_ERRORS])
    more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
    return (
        f"{name} does not match the DfE CIN census schema, so none of it was imported "
        f"(a census file is checked as a whole): {shown}{more}"
    )


def syntax_problem(name: str, exc: Any) -> str:
    """A file lxml could not parse: not XML, cut short, or not in its declared encoding."""
    message = re.sub(r", line \d+, column \d+$", "", str(getattr(exc, "msg", exc)))
    line = getattr(exc, "lineno", None) or 1
    lowered = message.lower()
    if "document is empty" in lowered or "no element found" in lowered:
        return f"{name} is empty: it has no XML in it"
    if "encoding" in lowered or "utf-8" in lowered or "bytes:" in lowered:
        return (
            f"{name} is not in the text encoding its XML declaration states (line {line}: "
            f"{message}); save it as UTF-8"
        )
    if "start tag expected" in lowered or ("document" in lowered and line <= 1):
        return f"{name} is not an XML file (line {line}: {message})"
    if (
        "premature end" in lowered
        or "not properly terminated" in lowered
        or ("end" in lowered and "not found" in lowered)
    ):
        return (
            f"{name} ends before its XML is complete: the file looks cut short (truncated) "
            f"(line {line}: {message})"
        )
    if "entity" in lowered:
        return f"{name} uses an XML entity that is not allowed here (line {line}: {message})"
    return f"{name} is not well-formed XML (line {line}: {message})"
