"""`joinedup check` (and every start of the service) refuses an area page file it cannot show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from joinedup.web.public.texts import AreaTextError, area_text_source

AREA_FILES = {
    "ACCESSIBILITY_STATEMENT_FILE": "JOINEDUP_ACCESSIBILITY_STATEMENT",
    "PRIVACY_NOTICE_FILE": "JOINEDUP_PRIVACY_NOTICE",
}


@register()
def area_page_files(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for setting, variable in AREA_FILES.items():
        path = getattr(settings, setting, "")
        if not path:
            continue
        try:
            area_text_source(path)
        except AreaTextError as exc:
            problems.append(
                Error(
                    f"{variable} names a file that cannot be shown: {exc}.",
                    hint="Give the path of a UTF-8 HTML file (docs/operations.md).",
                    id="joinedup.E001",
                )
            )
    if settings.SESSION_TIMEOUT_WARNING_SECONDS >= settings.SESSION_COOKIE_AGE:
        problems.append(
            Error(
                "SESSION_TIMEOUT_WARNING_SECONDS must be shorter than SESSION_COOKIE_AGE.",
                id="joinedup.E002",
            )
        )
    return problems
