"""The area's assessment forms and measure instruments: the shipped definitions, then the
area's own (settings ASSESSMENT_FORMS_DIR / ASSESSMENT_INSTRUMENTS_DIR, optional; a file with
the same id replaces the shipped one). Loaded once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from joinedup.assessments.definitions import DEFAULT_FORMS_DIR, FormDefinition, form_library
from joinedup.assessments.instruments import (
    DEFAULT_INSTRUMENTS_DIR,
    Instrument,
    instrument_library,
)
from joinedup.needs.selectors import area_vocabulary


def _dirs(default: Path, setting: str) -> list[Path | str]:
    extra = getattr(settings, setting, "") or ""
    return [default, extra] if extra else [default]


@cache
def _forms(extra: str, vocabulary_sha: str) -> dict[str, FormDefinition]:
    return form_library(_dirs(DEFAULT_FORMS_DIR, "ASSESSMENT_FORMS_DIR"), area_vocabulary())


def assessment_forms() -> dict[str, FormDefinition]:
    return _forms(str(getattr(settings, "ASSESSMENT_FORMS_DIR", "")), area_vocabulary().sha256)


def assessment_form(form_id: str) -> FormDefinition | None:
    return assessment_forms().get(form_id)


@cache
def _instruments(extra: str) -> dict[str, Instrument]:
    return instrument_library(_dirs(DEFAULT_INSTRUMENTS_DIR, "ASSESSMENT_INSTRUMENTS_DIR"))


def measure_instruments() -> dict[str, Instrument]:
    return _instruments(str(getattr(settings, "ASSESSMENT_INSTRUMENTS_DIR", "")))


def measure_instrument(instrument_id: str) -> Instrument | None:
    return measure_instruments().get(instrument_id)
