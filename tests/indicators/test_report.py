"""The fairness and hit-rate report: worked figures on a small school, the page (denied to
practitioners, audited, no child identifiers) and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from joinedup.governance.models import AuditEvent, Role
from joinedup.indicators import report_command
from joinedup.indicators.models import ReportSnapshot
from joinedup.indicators.outcomes import OUTCOMES
from joinedup.indicators.report import BASELINE_SET, DEFAULT_SET, ReportError, report_build
from tests import factories as f
from tests.indicators.report_area import ReportArea, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(settings: pytest.FixtureRequest, tmp_path: Path) -> ReportArea:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]
    return build(tmp_path)


def test_baseline_figures_match_the_hand_count(area: ReportArea) -> None:
    report = report_build(n_boot=200)
    assert report.term.name == "2025/26 spring" and report.previous.name == "2025/26 autumn"
    assert report.cohort.value == 120
    baseline = next(rs for rs in report.rule_sets if rs.name == BASELINE_SET).overall
    # Flagged in autumn: pupils 0-39. Persistently absent in spring: 0-29 and 40-51.
    assert baseline.counts["flagged"].value == 40
    assert baseline.counts["outcome"].value == 42
    assert baseline.counts["flagged_with_outcome"].value == 30
    assert baseline.rates["precision"].value == pytest.approx(30 / 40)
    assert baseline.rates["recall"].value == pytest.approx(30 / 42)
    assert baseline.rates["false_negative_rate"].value == pytest.approx(12 / 42)
    assert report.base_rates["persistent_absence"].value == pytest.approx(42 / 120)
    lead = baseline.rates["lead_time_days"].value
    assert lead is not None and 40 < lead < 80  # from a November checkpoint to January
    # The default rule set flags at least everyone the baseline does.
    default = next(rs for rs in report.rule_sets if rs.name == DEFAULT_SET).overall
    assert (default.counts["flagged"].value or 0) >= 40
    # Suspensions: pupils 0-9 only: fewer than 10 would be shown... 10 is shown.
    suspended = report_build(outcome="suspension", n_boot=50)
    assert suspended.base_rates["suspension"].value == pytest.approx(10 / 120)


def test_sex_table_partitions_the_cohort(area: ReportArea) -> None:
    report = report_build(n_boot=50)
    table = report.rule_sets[1].by_group["sex"]
    assert [r.label for r in table.rows] == ["Female", "Male"]
    assert sum(r.counts["children"].value or 0 for r in table.rows) == 120
    assert table.reference == "Male" or table.reference == "Female"


def test_an_unknown_term_is_named_in_the_error(area: ReportArea) -> None:
    with pytest.raises(ReportError, match=r"no school term '2019-20-autumn'.*2025-26-spring"):
        report_build(term="2019-20-autumn", n_boot=10)
    with pytest.raises(ReportError, match="first term with marks"):
        report_build(term="2025-26-autumn", n_boot=10)


@pytest.mark.parametrize(
    "role",
    [Role.TEACHER, Role.DESIGNATED_SAFEGUARDING_LEAD, Role.SOCIAL_WORKER, Role.HEALTH_VISITOR],
)
def test_the_page_is_404_for_practitioners(client: Client, role: str) -> None:
    client.force_login(f.staff(role, f.agency()))
    assert client.get("/indicators/report/").status_code == 404
    assert not AuditEvent.objects.filter(action="indicators.report.view").exists()


def test_the_page_shows_aggregates_only_and_is_audited(client: Client, area: ReportArea) -> None:
    analyst = f.staff(Role.DATA_ANALYST, f.agency())
    client.force_login(analyst)
    response = client.get("/indicators/report/", {"outcome": "persistent_absence"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fairness and hit-rate report" in html
    assert "Persistent absence alone" in html and "75.0%" in html  # baseline precision 30/40
    assert "<svg" in html and "<title id=" in html
    for child in area.children:
        assert child.child_id not in html
        assert child.family_name not in html
    entry = AuditEvent.objects.get(action="indicators.report.view")
    assert entry.actor_id == analyst.pk and entry.child_ref == ""
    assert entry.detail["aggregate"] is True and entry.detail["term"] == "2025/26 spring"


def test_a_team_manager_may_read_it_without_data(client: Client) -> None:
    client.force_login(f.staff(Role.TEAM_MANAGER, f.agency()))
    response = client.get("/indicators/report/")
    assert response.status_code == 200
    assert "at least two school terms" in response.content.decode()
    assert AuditEvent.objects.filter(action="indicators.report.view").count() == 1


def _run(**options: object) -> str:
    out = io.StringIO()
    defaults = {"term": None, "outcome": "persistent_absence", "format": "table"}
    report_command.handle({**defaults, "resamples": 50, "seed": 0, **options}, out)
    return out.getvalue()


def test_the_cli_prints_a_table(area: ReportArea) -> None:
    text = _run()
    assert "Default rule set against persistent absence alone" in text
    lines = [line for line in text.splitlines() if line.startswith(BASELINE_SET)]
    assert lines and "75.0%" in lines[0]
    rows = list(csv.DictReader(io.StringIO(_run(format="csv"))))
    precision = [
        r
        for r in rows
        if r["rule_set"] == BASELINE_SET and r["dimension"] == "all" and r["measure"] == "precision"
    ]
    assert float(precision[0]["value"]) == pytest.approx(0.75)
    data = json.loads(_run(format="json"))
    assert data["held_out_term"]["name"] == "2025/26 spring"
    assert data["cohort_children"] == 120
    assert AuditEvent.objects.filter(action="indicators.report.view").count() == 3


def test_joinedup_indicators_report_prints_the_table_and_json(area: ReportArea) -> None:
    out = io.StringIO()
    call_command("indicators", "report", "--resamples", "50", stdout=out)
    assert "Persistent absence alone" in out.getvalue()
    assert "Fairness and hit-rate report: flags at 2025-11-21" in out.getvalue()
    out = io.StringIO()
    call_command("indicators", "report", "--format", "json", "--resamples", "20", stdout=out)
    assert json.loads(out.getvalue())["outcome"] == "persistent_absence"
    out = io.StringIO()
    call_command(
        "indicators", "report", "--reference", "sex=Female", "--resamples", "20", stdout=out
    )
    assert "Female (reference)" in out.getvalue()
    with pytest.raises(CommandError, match="no sex group 'Other'.*Female, Male"):
        call_command("indicators", "report", "--reference", "sex=Other", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no school term 'summer-1999'"):
        call_command("indicators", "report", "--term", "summer-1999", stdout=io.StringIO())


def test_the_page_keeps_its_figures_and_works_them_out_again_on_request(
    client: Client, area: ReportArea, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = f.staff(Role.DATA_ANALYST, f.agency())
    client.force_login(analyst)
    first = client.get("/indicators/report/").content.decode()
    kept = ReportSnapshot.objects.get()
    assert (kept.term_name, kept.outcome, kept.latest, kept.cohort) == (
        "2025/26 spring",
        "persistent_absence",
        True,
        120,
    )
    assert "75.0%" in first and 'id="report-built"' in first

    # Shown again from the kept figures: nothing is worked out (a build would fail here).
    def no_build(**_: object) -> None:
        raise AssertionError("the report was built again")

    monkeypatch.setattr("joinedup.indicators.report_snapshots.report_build", no_build)
    again = client.get("/indicators/report/", {"term": kept.term_key}).content.decode()
    assert "75.0%" in again and "Persistent absence alone" in again
    monkeypatch.undo()

    # Working them out again needs the form's CSRF token, then replaces the kept figures.
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(analyst)
    assert guarded.post("/indicators/report/", {"outcome": "persistent_absence"}).status_code == 403
    rebuilt = client.post(
        "/indicators/report/", {"term": kept.term_key, "outcome": "persistent_absence"}
    )
    assert rebuilt.status_code == 302
    assert (
        rebuilt["Location"]
        == f"/indicators/report/?term={kept.term_key}&outcome=persistent_absence"
    )
    newer = ReportSnapshot.objects.get()
    assert newer.pk == kept.pk and newer.built_at > kept.built_at
    actions = list(
        AuditEvent.objects.filter(action__startswith="indicators.report").values_list(
            "action", flat=True
        )
    )
    assert actions == ["indicators.report.view"] * 2 + ["indicators.report.rebuild"]
    # A teacher may not work them out either.
    teacher = Client()
    teacher.force_login(f.staff(Role.TEACHER, f.agency()))
    assert teacher.post("/indicators/report/", {"outcome": "suspension"}).status_code == 404


def test_save_page_keeps_the_figures_for_every_outcome(area: ReportArea) -> None:
    out = io.StringIO()
    call_command("indicators", "report", "--save-page", stdout=out)
    assert set(ReportSnapshot.objects.values_list("outcome", flat=True)) == set(OUTCOMES)
    assert all(s.latest and s.term_name == "2025/26 spring" for s in ReportSnapshot.objects.all())
    assert out.getvalue().count("Kept the report page's figures for 2025/26 spring") == len(
        OUTCOMES
    )
    with pytest.raises(CommandError, match="leave out --rules and --reference"):
        call_command("indicators", "report", "--save-page", "--rules", "x.toml")
