"""Who may open these pages: deny by default, and a page a role may not use does not exist
for it (404, as for every other role-restricted page), whatever the method."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase

from joinedup.access.policy import Action, role_allows
from joinedup.web.context import staff

View = Callable[..., HttpResponseBase]


def for_role(
    action: Action, *, methods: tuple[str, ...] = ("GET", "POST")
) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not role_allows(staff(request).role, action):
                raise Http404()
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def errors_apply(form: Form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: each field's message on that field (renamed by
    `fields`), anything else at the top of the error summary."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        target = fields.get(name, name)
        form.add_error(target if target in form.fields else None, messages)
