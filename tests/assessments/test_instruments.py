"""Standardised measures: every SDQ band boundary from the reference table, the total rule,
SWEMWBS raw to metric, and Outcomes Star stages."""

from __future__ import annotations

import pytest

from joinedup.assessments.instruments import (
    DEFAULT_INSTRUMENTS_DIR,
    instrument_library,
    score_measure,
)

INSTRUMENTS = instrument_library([DEFAULT_INSTRUMENTS_DIR])

# ../shared/reference/uk-code-lists.md, "SDQ bands": (scale, lowest, highest, band) per band.
PARENT = [
    ("total", 0, 13, "Normal"),
    ("total", 14, 16, "Borderline"),
    ("total", 17, 40, "Abnormal"),
    ("emotional", 0, 3, "Normal"),
    ("emotional", 4, 4, "Borderline"),
    ("emotional", 5, 10, "Abnormal"),
    ("conduct", 0, 2, "Normal"),
    ("conduct", 3, 3, "Borderline"),
    ("conduct", 4, 10, "Abnormal"),
    ("hyperactivity", 0, 5, "Normal"),
    ("hyperactivity", 6, 6, "Borderline"),
    ("hyperactivity", 7, 10, "Abnormal"),
    ("peer", 0, 2, "Normal"),
    ("peer", 3, 3, "Borderline"),
    ("peer", 4, 10, "Abnormal"),
    # Prosocial is reversed: a high score is the typical one.
    ("prosocial", 8, 10, "Normal"),
    ("prosocial", 7, 7, "Borderline"),
    ("prosocial", 0, 6, "Abnormal"),
]
TEACHER = [
    ("total", 0, 11, "Close to average"),
    ("total", 12, 15, "Slightly raised"),
    ("total", 16, 18, "High"),
    ("total", 19, 40, "Very high"),
    ("emotional", 0, 3, "Close to average"),
    ("emotional", 4, 4, "Slightly raised"),
    ("emotional", 5, 5, "High"),
    ("emotional", 6, 10, "Very high"),
    ("conduct", 0, 2, "Close to average"),
    ("conduct", 3, 3, "Slightly raised"),
    ("conduct", 4, 4, "High"),
    ("conduct", 5, 10, "Very high"),
    ("hyperactivity", 0, 5, "Close to average"),
    ("hyperactivity", 6, 7, "Slightly raised"),
    ("hyperactivity", 8, 8, "High"),
    ("hyperactivity", 9, 10, "Very high"),
    ("peer", 0, 2, "Close to average"),
    ("peer", 3, 4, "Slightly raised"),
    ("peer", 5, 5, "High"),
    ("peer", 6, 10, "Very high"),
    ("prosocial", 6, 10, "Close to average"),
    ("prosocial", 5, 5, "Slightly lowered"),
    ("prosocial", 4, 4, "Low"),
    ("prosocial", 0, 3, "Very low"),
]


def _edges(table: list[tuple[str, int, int, str]]) -> list[tuple[str, int, str]]:
    return sorted({(s, v, band) for s, lo, hi, band in table for v in (lo, hi)})


@pytest.mark.parametrize(
    ("instrument", "table"),
    [("sdq-parent", PARENT), ("sdq-self", PARENT), ("sdq-teacher", TEACHER)],
)
def test_every_sdq_band_boundary(instrument: str, table: list[tuple[str, int, int, str]]) -> None:
    sdq = INSTRUMENTS[instrument]
    for scale_id, value, band in _edges(table):
        scale = sdq.scale(scale_id)
        assert scale is not None and scale.band(value) == band, (instrument, scale_id, value)


def _sdq(**kw: int) -> dict[str, int]:
    scores = {"emotional": 4, "conduct": 3, "hyperactivity": 6, "peer": 3, "prosocial": 7}
    scores.update(kw)
    scores.setdefault("total", sum(v for k, v in scores.items() if k != "prosocial"))
    return scores


def test_bands_are_worked_out_for_every_scale() -> None:
    scores, bands, errors = score_measure(INSTRUMENTS["sdq-parent"], _sdq())
    assert errors == {} and scores["total"] == 16
    assert bands == {
        "emotional": "Borderline",
        "conduct": "Borderline",
        "hyperactivity": "Borderline",
        "peer": "Borderline",
        "prosocial": "Borderline",
        "total": "Borderline",
    }


def test_total_difficulties_must_equal_the_sum_of_the_four() -> None:
    _, bands, errors = score_measure(INSTRUMENTS["sdq-teacher"], _sdq(total=17))
    assert bands == {}
    assert errors == {
        "total": "Total difficulties: 17 is not the sum of emotional symptoms, conduct problems, "
        "hyperactivity / inattention, peer relationship problems (16); check the scores"
    }


@pytest.mark.parametrize(
    ("scores", "key", "message"),
    [
        (
            _sdq(emotional=11, total=23),
            "emotional",
            "Emotional symptoms: must be a whole number from 0 to 10",
        ),
        ({**_sdq(), "peer": None}, "peer", "Peer relationship problems: enter the score"),
        ({**_sdq(), "impact": 3}, "impact", "'impact' is not a scale of SDQ (parent, 4-17)"),
        (
            {**_sdq(), "conduct": "2.5"},
            "conduct",
            "Conduct problems: must be a whole number from 0 to 10",
        ),
    ],
)
def test_score_errors_name_the_scale(scores: dict, key: str, message: str) -> None:
    _, _, errors = score_measure(INSTRUMENTS["sdq-parent"], scores)
    assert errors[key] == message


@pytest.mark.parametrize(
    ("raw", "metric", "band"),
    [
        (7, 7.0, "Low wellbeing"),
        (19, 17.98, "Low wellbeing"),
        (20, 18.59, "Below average wellbeing"),
        (23, 20.73, "Below average wellbeing"),
        (24, 21.54, "Average wellbeing"),
        (30, 27.03, "Average wellbeing"),
        (31, 28.13, "High wellbeing"),
        (35, 35.0, "High wellbeing"),
    ],
)
def test_swemwbs_raw_to_metric_and_band(raw: int, metric: float, band: str) -> None:
    scores, bands, errors = score_measure(INSTRUMENTS["swemwbs"], {"total": raw})
    assert errors == {} and scores == {"total": raw, "total_converted": metric}
    assert bands == {"total": band}


def test_swemwbs_raw_total_range() -> None:
    assert score_measure(INSTRUMENTS["swemwbs"], {"total": 6})[2] == {
        "total": "Raw total: must be a whole number from 7 to 35"
    }


def test_outcomes_star_areas_take_journey_stages() -> None:
    star = INSTRUMENTS["star-family-plus"]
    scores = {s.id: n for s, n in zip(star.scales, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], strict=True)}
    _, bands, errors = score_measure(star, scores)
    assert errors == {}
    assert [bands[s.id] for s in star.scales] == [
        "Stuck",
        "Stuck",
        "Accepting help",
        "Accepting help",
        "Trying",
        "Trying",
        "Finding what works",
        "Finding what works",
        "Effective parenting",
        "Effective parenting",
    ]
