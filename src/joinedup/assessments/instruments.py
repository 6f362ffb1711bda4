"""Standardised measures as scores and bands: instrument definitions and scoring.
Pure Python (no Django).

An instrument file (`instruments/*.toml`) names its scales (subscales, totals or star areas),
each with a whole-number range and bands that cover the range with no gap or overlap. A scale
with `sum_of` must equal the sum of those scales; one with `conversion` also gets a converted
score (SWEMWBS raw -> metric). A star file gives `stages` once for every area. Only scores
and bands: an instrument's questions are licensed material and never appear here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.assessments.definitions import DefinitionError

__all__ = [
    "DEFAULT_INSTRUMENTS_DIR",
    "Band",
    "Instrument",
    "Scale",
    "instrument_library",
    "load_instrument",
    "score_measure",
]

DEFAULT_INSTRUMENTS_DIR = Path(__file__).with_name("instruments")


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    min: int
    max: int
    bands: tuple[Band, ...]
    sum_of: tuple[str, ...] = ()
    higher_is_better: bool = False
    conversion: dict[int, float] | None = None
    converted_label: str = ""

    def band(self, score: int) -> str:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band.label
        return ""


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    family: str  # "sdq" | "swemwbs" | "star"
    description: str
    source: str
    scales: tuple[Scale, ...]

    def scale(self, scale_id: str) -> Scale | None:
        return next((s for s in self.scales if s.id == scale_id), None)


def _fail(path: Path, where: str, message: str) -> DefinitionError:
    return DefinitionError(f"{path.name}: {where}: {message}")


def _int(path: Path, where: str, raw: dict[str, Any], name: str) -> int:
    value = raw.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(path, where, f"field '{name}' must be a whole number, not {value!r}")
    return value


def _str(path: Path, where: str, raw: dict[str, Any], name: str, required: bool = True) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(path, where, f"field '{name}' must be non-blank text")
    return value.strip()


def _bands(path: Path, where: str, raw: Any, lo: int, hi: int) -> tuple[Band, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise _fail(path, where, "field 'bands' must list {from, to, label}")
    bands = []
    for i, b in enumerate(raw, start=1):
        if not isinstance(b, dict):
            raise _fail(path, f"{where}, band {i}", "must be {from, to, label}")
        bands.append(
            Band(
                _int(path, f"{where}, band {i}", b, "from"),
                _int(path, f"{where}, band {i}", b, "to"),
                _str(path, f"{where}, band {i}", b, "label"),
            )
        )
    bands.sort(key=lambda b: b.low)
    expected = lo
    for b in bands:
        if b.low != expected or b.high < b.low:
            raise _fail(
                path,
                where,
                f"bands must cover {lo} to {hi} in order with no gap or overlap "
                f"(band '{b.label}' starts at {b.low}, expected {expected})",
            )
        expected = b.high + 1
    if expected != hi + 1:
        raise _fail(path, where, f"bands stop at {expected - 1}, not at the maximum {hi}")
    return tuple(bands)


def _conversion(path: Path, where: str, raw: Any, lo: int, hi: int) -> dict[int, float] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(path, where, "field 'conversion' must map each raw score to a number")
    table = {}
    for key, value in raw.items():
        if not str(key).isdigit() or not isinstance(value, int | float):
            raise _fail(path, where, f"conversion entry {key!r} = {value!r} is not a number")
        table[int(key)] = float(value)
    if sorted(table) != list(range(lo, hi + 1)):
        raise _fail(path, where, f"field 'conversion' must give every raw score {lo} to {hi}")
    return table


def load_instrument(path: Path | str) -> Instrument:
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"{path.name}: not valid TOML: {exc}") from exc
    iid = _str(path, "instrument", doc, "id")
    if not re.match(r"^[a-z][a-z0-9-]{0,39}$", iid):
        raise _fail(path, "instrument", "field 'id' must be lower-case letters, digits and -")
    family = _str(path, "instrument", doc, "family")
    if family not in {"sdq", "swemwbs", "star"}:
        raise _fail(path, "instrument", f"field 'family': '{family}' is not sdq, swemwbs or star")
    raw_scales = doc.get("scales")
    if not isinstance(raw_scales, list) or not raw_scales:
        raise _fail(path, "instrument", "the file must list [[scales]]")
    stages = doc.get("stages")
    scales: list[Scale] = []
    for i, raw in enumerate(raw_scales, start=1):
        where = f"scale {i}" + (f" ({raw['id']})" if isinstance(raw.get("id"), str) else "")
        sid = _str(path, where, raw, "id")
        lo, hi = _int(path, where, raw, "min"), _int(path, where, raw, "max")
        if lo >= hi:
            raise _fail(path, where, "'min' must be less than 'max'")
        sum_of = tuple(raw.get("sum_of", ()))
        known = {s.id for s in scales}
        if any(s not in known for s in sum_of):
            raise _fail(path, where, "'sum_of' may only name scales listed before it")
        scales.append(
            Scale(
                id=sid,
                label=_str(path, where, raw, "label"),
                min=lo,
                max=hi,
                bands=_bands(path, where, raw.get("bands", stages), lo, hi),
                sum_of=sum_of,
                higher_is_better=bool(raw.get("higher_is_better", False)),
                conversion=_conversion(path, where, raw.get("conversion"), lo, hi),
                converted_label=_str(path, where, raw, "converted_label", required=False),
            )
        )
    if len({s.id for s in scales}) != len(scales):
        raise _fail(path, "instrument", "two scales have the same id")
    return Instrument(
        id=iid,
        version=str(doc.get("version", "")).strip() or "1",
        title=_str(path, "instrument", doc, "title"),
        family=family,
        description=_str(path, "instrument", doc, "description", required=False),
        source=_str(path, "instrument", doc, "source"),
        scales=tuple(scales),
    )


def instrument_library(dirs: list[Path | str]) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for directory in dirs:
        for path in sorted(Path(directory).glob("*.toml")):
            instrument = load_instrument(path)
            instruments[instrument.id] = instrument
    return instruments


def score_measure(
    instrument: Instrument, raw: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """(scores, bands, errors). Every scale is required; bands are worked out here only."""
    errors: dict[str, str] = {}
    if not isinstance(raw, dict):
        return {}, {}, {"scores": "Scores must be an object keyed by scale id"}
    for key in raw:
        if instrument.scale(str(key)) is None:
            errors[str(key)] = f"'{key}' is not a scale of {instrument.title}"
    scores: dict[str, Any] = {}
    for scale in instrument.scales:
        value = raw.get(scale.id)
        text = "" if value is None or isinstance(value, bool) else str(value).strip()
        if text == "":
            errors[scale.id] = f"{scale.label}: enter the score"
        elif not text.isdigit() or not scale.min <= int(text) <= scale.max:
            errors[scale.id] = (
                f"{scale.label}: must be a whole number from {scale.min} to {scale.max}"
            )
        else:
            scores[scale.id] = int(text)
    for scale in instrument.scales:
        parts = [scores.get(p) for p in scale.sum_of]
        if scale.sum_of and scale.id in scores and None not in parts:
            total = sum(p for p in parts if p is not None)
            if scores[scale.id] != total:
                names = ", ".join(
                    s.label.lower() for s in instrument.scales if s.id in scale.sum_of
                )
                errors[scale.id] = (
                    f"{scale.label}: {scores[scale.id]} is not the sum of {names} ({total}); "
                    "check the scores"
                )
    if errors:
        return {}, {}, errors
    bands = {s.id: s.band(scores[s.id]) for s in instrument.scales if s.bands}
    for s in instrument.scales:
        if s.conversion is not None:
            scores[f"{s.id}_converted"] = s.conversion[scores[s.id]]
    return scores, bands, {}
