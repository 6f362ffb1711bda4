"""An area's own page text: an HTML file (a Django template fragment) named by a setting.

The file is the area's, trusted like its settings: it may use `{{ service_name }}`,
`{{ organisation }}`, `{{ help_contact.email }}` and the rest of what every page has. It is
checked when the service starts (`joinedup check`: web.checks) and read again on each visit,
so a corrected file shows without a restart.
"""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest
from django.template import TemplateSyntaxError, engines
from django.utils.safestring import SafeString, mark_safe

MAX_BYTES = 1024 * 1024


class AreaTextError(Exception):
    """The area's file cannot be shown; the message says which file and why."""


def area_text_source(path: str) -> str:
    """The file's text, or AreaTextError naming the file and what is wrong with it."""
    file = Path(path)
    if not file.is_file():
        raise AreaTextError(f"{path}: no such file")
    if file.stat().st_size > MAX_BYTES:
        raise AreaTextError(f"{path}: larger than {MAX_BYTES // 1024} KB")
    try:
        source = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AreaTextError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise AreaTextError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        engines["django"].from_string(source)
    except TemplateSyntaxError as exc:
        raise AreaTextError(f"{path}: not a valid Django template ({exc})") from None
    return source


def area_text(path: str, request: HttpRequest) -> SafeString | None:
    """The area's text rendered for this request; None when the area has none (path empty)."""
    if not path:
        return None
    template = engines["django"].from_string(area_text_source(path))
    return mark_safe(template.render({}, request))  # noqa: S308 - the area's own file, like its settings
