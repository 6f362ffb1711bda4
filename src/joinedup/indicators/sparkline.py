"""A flag's trend as a small server-rendered SVG, with the same numbers as text.

The SVG is decorative support for the text alternative, never the only way to read the trend:
it has role="img" and a <title> holding every value, and pages print the values beside it.
No JavaScript and no inline style (the site's content security policy allows neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

WIDTH = 120
HEIGHT = 32
PAD = 3


@dataclass(frozen=True)
class SeriesPoint:
    end: date
    value: float


def series_from_evidence(evidence: dict[str, Any]) -> list[SeriesPoint]:
    """The evidence's `series` ([{"end": "YYYY-MM-DD", "value": number}, ...]), oldest first.

    Malformed entries are left out rather than drawn wrong."""
    points = []
    for item in evidence.get("series") or []:
        try:
            points.append(SeriesPoint(date.fromisoformat(str(item["end"])), float(item["value"])))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(points, key=lambda p: p.end)


def number_text(value: float | Decimal) -> str:
    """84.2, 90, 3: one decimal place at most, no trailing zeros."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def quantity_text(value: float | Decimal, unit: str) -> str:
    return f"{number_text(value)} {unit}".strip()


def sparkline_text(points: Sequence[SeriesPoint], unit: str) -> str:
    """'84.2 % to 14 Nov 2025' for each point, oldest first: the SVG's text alternative."""
    return "; ".join(f"{quantity_text(p.value, unit)} to {p.end.day} {p.end:%b %Y}" for p in points)


def _y(value: float, low: float, high: float) -> float:
    if high == low:
        return HEIGHT / 2
    return PAD + (high - value) / (high - low) * (HEIGHT - 2 * PAD)


def _x(index: int, count: int) -> float:
    if count == 1:
        return WIDTH / 2
    return PAD + index * (WIDTH - 2 * PAD) / (count - 1)


def sparkline_svg(
    points: Sequence[SeriesPoint], *, unit: str, threshold: float | None = None, label: str
) -> str:
    """An inline SVG polyline of the series, with a dashed line at the threshold.

    The vertical scale runs from the lowest to the highest of the values and the threshold, so
    the threshold line is always inside the picture. Returns "" for an empty series."""
    if not points:
        return ""
    values = [p.value for p in points]
    scale = values + ([threshold] if threshold is not None else [])
    low, high = min(scale), max(scale)
    coords = " ".join(
        f"{_x(i, len(values)):.1f},{_y(v, low, high):.1f}" for i, v in enumerate(values)
    )
    title = escape(f"{label}: {sparkline_text(points, unit)}")
    parts = [
        f'<svg class="app-sparkline" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" focusable="false">',
        f"<title>{title}</title>",
    ]
    if threshold is not None:
        ty = f"{_y(threshold, low, high):.1f}"
        parts.append(
            f'<line x1="0" y1="{ty}" x2="{WIDTH}" y2="{ty}" stroke="#505a5f" '
            'stroke-width="1" stroke-dasharray="3 2"/>'
        )
    if len(values) > 1:
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#0b0c0c" stroke-width="2"/>')
    last_x, last_y = coords.split(" ")[-1].split(",")
    parts.append(f'<circle cx="{last_x}" cy="{last_y}" r="3" fill="#0b0c0c"/>')
    parts.append("</svg>")
    return "".join(parts)
