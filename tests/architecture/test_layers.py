"""The layers stay where issue 12 put them, checked from the code itself rather than from lists a
reviewer must remember: every model module holding child data is out of reach of the pages and
the API (import-linter) and its managers are banned outside the domain (ruff); domain apps hold
no pages or API; no source file grows past what a reader takes in at one sitting."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from joinedup.people.models import Child

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "joinedup"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAX_LINES = 500
DOMAIN_APPS = [
    p.name
    for p in SRC.iterdir()
    if (p / "apps.py").exists() and p.name not in {"web", "api", "config"}
]


def child_data_models() -> list[type[models.Model]]:
    """Child, and every model that refers (by a foreign key, one-to-one or many-to-many) to a
    model that does, however many steps away."""
    found: set[type[models.Model]] = {Child}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found or not model.__module__.startswith("joinedup."):
                continue
            for f in model._meta.get_fields():
                if f.concrete and f.is_relation and f.related_model in found:
                    found.add(model)
                    grew = True
                    break
    return sorted(found, key=lambda m: (m.__module__, m.__name__))


def _contract(starting: str) -> dict:
    (contract,) = [
        c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["name"].startswith(starting)
    ]
    return contract


def test_the_pages_and_api_contract_names_every_model_module_with_child_data() -> None:
    contract = _contract("pages and the API import no model module that holds child data")
    assert set(contract["source_modules"]) == {"joinedup.web", "joinedup.api"}
    missing = {m.__module__ for m in child_data_models()} - set(contract["forbidden_modules"])
    assert not missing, f"add to the contract's forbidden_modules: {sorted(missing)}"


def test_every_child_data_manager_is_a_banned_api() -> None:
    banned = PYPROJECT["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]
    missing = [
        f"{m.__module__}.{m.__name__}.objects"
        for m in child_data_models()
        if f"{m.__module__}.{m.__name__}.objects" not in banned
    ]
    assert not missing, f"add to ruff's banned-api: {missing}"


def test_child_data_models_are_found_through_chains_of_references() -> None:
    names = {m.__name__ for m in child_data_models()}
    # Directly on a child, and through a referral / a team around the child.
    assert {"Child", "Event", "Referral", "ReferralTransition", "TacAction"} <= names
    assert "StaffUser" not in names and "Agency" not in names


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_apps_hold_no_pages_or_api(app: str) -> None:
    folder = SRC / app
    interface = [
        p.relative_to(SRC)
        for pattern in ("views.py", "*_views.py", "forms.py", "*_forms.py", "urls.py", "api.py")
        for p in folder.rglob(pattern)
    ]
    interface += [p.relative_to(SRC) for p in folder.rglob("templates") if p.is_dir()]
    interface += [p.relative_to(SRC) for p in folder.rglob("templatetags") if p.is_dir()]
    assert not interface, f"pages go in joinedup/web, API routes in joinedup/api: {interface}"


def test_no_source_file_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these into smaller modules (a package if need be): {long}"


# Child.objects and Event.objects: the access layer, and these only (the (*) files in
# pyproject.toml's per-file-ignores). Everything else reads children and events through access.
CHILD_AND_EVENT_MANAGERS_ALLOWED = {
    "people/selectors.py",
    "people/linking.py",
    "indicators/area.py",
    "demo/loader.py",
    "demo/through_import.py",
}


def test_child_and_event_managers_are_used_in_access_and_the_listed_modules_only() -> None:
    # A line that says why it may (`# noqa: TID251 - reason`) is allowed anywhere.
    pattern = re.compile(r"\b(?:Child|Event)\.objects\b(?!.*noqa: TID251)")
    used = {
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts and pattern.search(p.read_text(encoding="utf-8"))
    }
    outside = {u for u in used if not u.startswith("access/")} - CHILD_AND_EVENT_MANAGERS_ALLOWED
    assert not outside, f"read children and events through joinedup.access: {sorted(outside)}"
