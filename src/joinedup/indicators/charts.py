"""Server-rendered SVG bar charts with confidence-interval whiskers, for the fairness report.

Accessible: each chart is `role="img"` named by its <title> and described by its <desc>; the
page puts the same figures in a table beside it, so nothing is only in the picture. Series are
told apart by a legend and a dash pattern on the whiskers as well as by colour. A suppressed
figure is written as "fewer than 10" where its bar would be. Every text is escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from joinedup.indicators.fairness import Cell

COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92")  # GOV.UK blue, orange, green, purple
LABEL_WIDTH = 190
PLOT_WIDTH = 340
VALUE_WIDTH = 110
BAR_HEIGHT = 16
GROUP_GAP = 10
TOP = 34
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    cells: Sequence[Cell]  # one per category, in order


def _fmt(value: float, percent: bool) -> str:
    return f"{100 * value:.0f}%" if percent else f"{value:.2f}"


def bar_chart(
    *,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    maximum: float = 1.0,
    percent: bool = True,
    reference_line: float | None = None,
) -> str:
    """Horizontal grouped bars: one group per category, one bar per series, each with its
    interval as a whisker. `reference_line` draws a dashed line (e.g. the area's base rate)."""
    n = next(_ids)
    title_id, desc_id = f"chart-{n}-title", f"chart-{n}-desc"
    group_height = len(series) * BAR_HEIGHT + GROUP_GAP
    legend_height = 18 * len(series)
    height = TOP + len(categories) * group_height + legend_height + 10
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    top_value = max(
        [maximum]
        + [c.high or c.value or 0.0 for s in series for c in s.cells if not c.suppressed]
        + [reference_line or 0.0]
    )

    def x(value: float) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * max(0.0, min(value, top_value)) / (top_value or 1.0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="jd-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{title_id} {desc_id}" style="max-width:100%;height:auto">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#0b0c0c">{escape(title)}'
        "</text>",
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 6}" x2="{LABEL_WIDTH}" '
        f'y2="{TOP + len(categories) * group_height}" stroke="#0b0c0c"/>',
    ]
    for i, category in enumerate(categories):
        y0 = TOP + i * group_height
        mid = y0 + len(series) * BAR_HEIGHT / 2 + 4
        out.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{mid:.1f}" font-size="12" text-anchor="end" '
            f'fill="#0b0c0c">{escape(category)}</text>'
        )
        for j, s in enumerate(series):
            out.extend(
                _bar(s.cells[i], y0 + j * BAR_HEIGHT, COLOURS[j % len(COLOURS)], j, x, percent)
            )
    if reference_line is not None:
        rx = x(reference_line)
        out.append(
            f'<line x1="{rx:.1f}" y1="{TOP - 6}" x2="{rx:.1f}" '
            f'y2="{TOP + len(categories) * group_height}" stroke="#505a5f" stroke-dasharray="4 3"/>'
        )
    ly = TOP + len(categories) * group_height + 6
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{ly + 18 * j}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + 18}" y="{ly + 18 * j + 11}" font-size="12" '
            f'fill="#0b0c0c">{escape(s.name)}</text>'
        )
    if reference_line is not None:
        out.append(
            f'<text x="{LABEL_WIDTH + PLOT_WIDTH}" y="{ly + 11}" font-size="12" text-anchor="end" '
            f'fill="#505a5f">dashed line: {_fmt(reference_line, percent)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _bar(
    cell: Cell, y: float, colour: str, j: int, x: Callable[[float], float], percent: bool
) -> list[str]:
    text_x = LABEL_WIDTH + PLOT_WIDTH + 6
    if cell.suppressed or cell.value is None:
        label = cell.text() if cell.suppressed else "no data"
        return [
            f'<text x="{LABEL_WIDTH + 4}" y="{y + 12}" font-size="11" fill="#505a5f">{label}</text>'
        ]
    end = x(cell.value)
    parts = [
        f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{end - LABEL_WIDTH:.1f}" '
        f'height="{BAR_HEIGHT - 4}" fill="{colour}"/>'
    ]
    if cell.low is not None and cell.high is not None:
        lo, hi, wy = x(cell.low), x(cell.high), y + BAR_HEIGHT / 2
        dash = ' stroke-dasharray="3 2"' if j % 2 else ""
        parts.append(
            f'<path d="M{lo:.1f} {wy - 4:.1f}v8M{lo:.1f} {wy:.1f}H{hi:.1f}M{hi:.1f} '
            f'{wy - 4:.1f}v8" stroke="#0b0c0c" stroke-width="1.5" fill="none"{dash}/>'
        )
    label = _fmt(cell.value, percent)
    if cell.low is not None and cell.high is not None:
        label += f" ({_fmt(cell.low, percent)}-{_fmt(cell.high, percent)})"
    parts.append(f'<text x="{text_x}" y="{y + 12}" font-size="11" fill="#0b0c0c">{label}</text>')
    return parts
