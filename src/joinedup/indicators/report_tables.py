"""The fairness report as text tables and charts: the same tables on the page and in the CLI.

Every figure is shown through `Cell.text`, so a suppressed one reads "fewer than 10" everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from joinedup.indicators import charts
from joinedup.indicators.cohort import DIMENSIONS
from joinedup.indicators.fairness import BAND, Cell, Row
from joinedup.indicators.report import FairnessReport

RATE_COLUMNS = (
    ("flag_rate", "Flag rate"),
    ("precision", "Precision"),
    ("recall", "Recall"),
    ("false_negative_rate", "False-negative rate"),
)


@dataclass(frozen=True)
class TextTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    marked: list[bool] = field(default_factory=list)  # rows with a disparity band breach


def rate_text(cell: Cell) -> str:
    text = cell.text("percent")
    if not cell.suppressed and cell.value is not None and cell.low is not None:
        text += f" ({100 * cell.low:.0f}-{100 * (cell.high or 0):.0f})"
    return text


def lead_text(cell: Cell) -> str:
    text = cell.text("days")
    if not cell.suppressed and cell.value is not None and cell.low is not None:
        text += f" ({cell.low:.0f}-{cell.high or 0:.0f})"
    return text


def _figures(row: Row) -> list[str]:
    return [
        row.counts["children"].text(),
        row.counts["flagged"].text(),
        *[rate_text(row.rates[key]) for key, _ in RATE_COLUMNS],
        lead_text(row.rates["lead_time_days"]),
    ]


FIGURE_HEADERS = [
    "Children",
    "Flagged",
    *[f"{name} (95% CI)" for _, name in RATE_COLUMNS],
    "Median lead time",
]


def _ratio(row: Row, key: str) -> str:
    cell = row.disparity.get(key, Cell(None))
    text = cell.text("ratio")
    if key in row.breaches:
        text += f" (outside {BAND[0]}-{BAND[1]})"
    return text


def report_tables(report: FairnessReport) -> list[TextTable]:
    tables = [
        TextTable(
            f"Default rule set against persistent absence alone: {report.outcome_name.lower()}",
            ["Rule set", *FIGURE_HEADERS],
            [[rs.name, *_figures(rs.overall)] for rs in report.rule_sets],
        ),
        TextTable(
            "Each rule on its own",
            ["Rule", *FIGURE_HEADERS],
            [[report.rule_names.get(r.label, r.label), *_figures(r)] for r in report.rules],
        ),
    ]
    for dim, title in DIMENSIONS.items():
        for rs in report.rule_sets:
            table = rs.by_group[dim]
            rows, marked = [], []
            for row in table.rows:
                label = row.label + (" (reference)" if row.is_reference else "")
                rows.append(
                    [
                        label,
                        *_figures(row),
                        _ratio(row, "flag_rate"),
                        _ratio(row, "precision"),
                        _ratio(row, "recall"),
                    ]
                )
                marked.append(bool(row.breaches))
            rows.append(["All children", *_figures(table.total), "", "", ""])
            marked.append(False)
            tables.append(
                TextTable(
                    f"{rs.name} by {title.lower()}",
                    [
                        title,
                        *FIGURE_HEADERS,
                        "Flag rate ratio",
                        "Precision ratio",
                        "Recall ratio",
                    ],
                    rows,
                    marked,
                )
            )
    return tables


def report_charts(report: FairnessReport) -> list[tuple[str, str]]:
    """(dimension title, SVG) for each characteristic: flag rate, precision and recall by group
    for the default rule set and the baseline."""
    out = []
    base = report.base_rates[report.outcome]
    for dim, title in DIMENSIONS.items():
        groups = [row.label for row in report.rule_sets[0].by_group[dim].rows]
        for key, name in RATE_COLUMNS[:3]:
            series = [
                charts.Series(rs.name, [row.rates[key] for row in rs.by_group[dim].rows])
                for rs in report.rule_sets
            ]
            line = base.value if key == "precision" and not base.suppressed else None
            desc = (
                f"{name} of each rule set by {title.lower()}, with 95% confidence intervals, "
                f"for {report.outcome_name.lower()} in {report.term.name}. The table beside "
                "gives the same figures."
            )
            if line is not None:
                desc += f" The dashed line is the area's base rate ({100 * line:.0f}%)."
            svg = charts.bar_chart(
                title=f"{name} by {title.lower()}",
                desc=desc,
                categories=groups,
                series=series,
                reference_line=line,
            )
            out.append((title, svg))
    return out


def format_text(table: TextTable) -> str:
    """A plain-text table for the terminal."""
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(table.headers, *table.rows, strict=True)
    ]
    lines = [table.caption, "-" * len(table.caption)]
    for cells in [table.headers, *table.rows]:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)))
    return "\n".join(lines)
