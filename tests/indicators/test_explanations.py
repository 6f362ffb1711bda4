"""Flag explanations on the child page, and the trend sparkline."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent
from joinedup.indicators.models import FlagStatus
from joinedup.indicators.sparkline import SeriesPoint, series_from_evidence, sparkline_svg
from tests import factories as f
from tests.indicators import worklist_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict[str, Any]:
    return worklist_area.build()


def test_child_page_explains_each_open_flag(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    page = client.get(f"/children/{area['a1'].child_id}/").content.decode()
    card = page[page.index(f'id="flag-{area["a1_att"].pk}"') :]
    card = card[: card.index("</dl>")]
    assert "Attendance over the last 6 school weeks" in card
    assert "84.2 % is below 90 %" in card
    assert "Last 30 school days (8 September 2025 to 17 October 2025)" in card
    assert "Test school attendance marks" in card
    assert "18 October 2025" in card  # data date
    assert "Attendance over the last 6 school weeks is 90 % or more." in card
    assert "<svg" in card and "96 % to 19 Sep 2025; 93.5 % to 3 Oct 2025; 84.2 % to 17 Oct" in card
    assert "govuk-tag--orange" in card
    police = page[page.index(f'id="flag-{area["a1_police"].pk}"') :]
    assert "1 notifications is at or above 1 notifications" in police
    assert "Notification received" in police
    assert "score" not in page.lower().replace("there is no overall score", "")
    entry = AuditEvent.objects.get(actor=area["dsl_a"], action="flags.list")
    assert entry.child_ref == area["a1"].child_id
    assert sorted(entry.detail["shown"]) == sorted([area["a1_att"].pk, area["a1_police"].pk])


def test_cleared_flags_are_history_in_a_collapsed_section(client: Client, area: dict) -> None:
    area["a1_att"].status = FlagStatus.CLEARED
    area["a1_att"].save()
    client.force_login(area["dsl_a"])
    page = client.get(f"/children/{area['a1'].child_id}/").content.decode()
    details = page[page.index('<details class="govuk-details" id="cleared-flags">') :]
    details = details[: details.index("</details>")]
    assert "Cleared flags (1)" in details and f'id="flag-{area["a1_att"].pk}"' in details


def test_withheld_flags_are_counted_not_shown(client: Client, area: dict) -> None:
    client.force_login(area["eh_worker"])
    page = client.get(f"/children/{area['a1'].child_id}/").content.decode()
    assert f'id="flag-{area["a1_police"].pk}"' not in page
    assert "Police domestic-abuse" not in page
    assert "1 open flag is based on information not shared with you" in page


def test_decisions_show_on_the_flag(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    client.post(
        f"/worklist/{area['a1'].child_id}/",
        {"decision": "monitor", "reason": "Weekly check-in with form tutor"},
    )
    page = client.get(f"/worklist/{area['a1'].child_id}/").content.decode()
    assert "Weekly check-in with form tutor" in page and "<strong>Monitor</strong>" in page


def test_sparkline_of_a_known_series() -> None:
    points = [
        SeriesPoint(date(2025, 9, 19), 100.0),
        SeriesPoint(date(2025, 10, 3), 90.0),
        SeriesPoint(date(2025, 10, 17), 80.0),
    ]
    svg = sparkline_svg(points, unit="%", threshold=90.0, label="Trend of attendance")
    # 120 x 32, 3 px padding: x = 3, 60, 117; y spans 3 (100 %) to 29 (80 %).
    assert re.search(r'<polyline points="([^"]+)"', svg).group(1) == "3.0,3.0 60.0,16.0 117.0,29.0"  # type: ignore[union-attr]
    assert '<line x1="0" y1="16.0" x2="120" y2="16.0"' in svg  # the threshold
    assert '<circle cx="117.0" cy="29.0"' in svg
    assert 'role="img"' in svg
    assert (
        "<title>Trend of attendance: 100 % to 19 Sep 2025; 90 % to 3 Oct 2025; "
        "80 % to 17 Oct 2025</title>" in svg
    )


def test_sparkline_threshold_outside_the_values_widens_the_scale() -> None:
    points = [SeriesPoint(date(2025, 9, 19), 50.0), SeriesPoint(date(2025, 10, 3), 60.0)]
    svg = sparkline_svg(points, unit="%", threshold=90.0, label="t")
    assert 'points="3.0,29.0 117.0,22.5"' in svg and 'y1="3.0"' in svg


def test_sparkline_escapes_text_and_handles_edge_cases() -> None:
    assert sparkline_svg([], unit="%", label="x") == ""
    one = sparkline_svg([SeriesPoint(date(2025, 1, 6), 5)], unit="<b>", label="a&b")
    assert "<polyline" not in one and '<circle cx="60.0" cy="16.0"' in one
    assert "a&amp;b" in one and "&lt;b&gt;" in one and "<b>" not in one


def test_series_from_evidence_sorts_and_skips_bad_entries() -> None:
    evidence = {
        "series": [
            {"end": "2025-10-17", "value": 80},
            {"end": "not a date", "value": 1},
            {"value": 3},
            {"end": "2025-09-19", "value": "95.5"},
        ]
    }
    assert series_from_evidence(evidence) == [
        SeriesPoint(date(2025, 9, 19), 95.5),
        SeriesPoint(date(2025, 10, 17), 80.0),
    ]


def test_a_child_without_flags_says_so(client: Client, area: dict) -> None:
    pupil = f.child()
    f.involvement(pupil, area["school_a"])
    client.force_login(area["dsl_a"])
    page = client.get(f"/children/{pupil.child_id}/").content.decode()
    assert "No open flags you can see." in page
