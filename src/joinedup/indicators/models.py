"""Early-warning indicators: each run of the rules, the flags they raised, and the decisions
people recorded about them.

A flag is one rule firing for one child. It keeps everything needed to explain itself without
re-running anything: the rule's id and version, the value against the threshold, the window,
the source of the data and the date that data arrived. There is no score: a child has flags,
each readable on its own (DESIGN.md principle 5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from joinedup.indicators.choices import DecisionKind


class RunTrigger(models.TextChoices):
    NIGHTLY = "nightly", "Nightly"
    ON_DEMAND = "on_demand", "On demand"
    IMPORT = "import", "After an import"
    LINK = "link", "After a link run"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class IndicatorRun(models.Model):
    """One evaluation of a rule set over the whole area, as at a date."""

    rule_set_version = models.CharField(max_length=40)
    rule_set_sha256 = models.CharField(max_length=64)
    as_of = models.DateField()
    trigger = models.CharField(max_length=20, choices=RunTrigger.choices)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    children_evaluated = models.PositiveIntegerField(default=0)
    flags_raised = models.PositiveIntegerField(default=0)
    flags_cleared = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class FlagLevel(models.TextChoices):
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLEARED = "cleared", "Cleared"


class Flag(models.Model):
    """One rule firing for one child. While the rule keeps firing the same flag stays open and
    its latest values are updated; when the rule stops firing the flag is cleared (kept, with
    the run that cleared it)."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="flags")
    rule_id = models.CharField(max_length=60)
    rule_version = models.CharField(max_length=40)
    rule_name = models.CharField(max_length=200)
    domain = models.CharField(max_length=40)
    level = models.CharField(max_length=10, choices=FlagLevel.choices)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    # value vs threshold, in the rule's own unit (e.g. 84.2 % vs 90 %; 3 sessions vs 3)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    threshold = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=30)
    comparison = models.CharField(max_length=2)  # "<", "<=", ">", ">="
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    window_label = models.CharField(max_length=100)
    source = models.CharField(max_length=200)  # agency name(s) and format of the data read
    data_date = models.DateField(null=True, blank=True)  # when the data it read arrived
    clears_when = models.CharField(max_length=300)
    # rule-specific detail: the trend series for the sparkline, the events counted, etc.
    evidence = models.JSONField(default=dict, blank=True)
    is_new = models.BooleanField(default=True)  # first raised in the latest run
    is_rising = models.BooleanField(default=False)  # level went up since the last run
    is_escalation = models.BooleanField(default=False)
    first_raised_at = models.DateTimeField(default=timezone.now)
    first_run = models.ForeignKey(IndicatorRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(IndicatorRun, on_delete=models.PROTECT, related_name="+")
    cleared_run = models.ForeignKey(
        IndicatorRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child_id", "rule_id", "-first_raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule_id"],
                condition=models.Q(status="open"),
                name="one_open_flag_per_child_and_rule",
            )
        ]
        indexes = [models.Index(fields=["status", "level"])]


class FlagDecision(models.Model):
    """A person's decision about a child's open flags. Nothing is referred automatically:
    'refer' records that the person decided to make a referral."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    flags = models.ManyToManyField(Flag, related_name="decisions")
    decision = models.CharField(max_length=20, choices=DecisionKind.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)
    agency = models.ForeignKey("governance.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_at", "-id"]


class ReportSnapshot(models.Model):
    """The fairness report page's figures for one held-out term and outcome, built once and
    shown until rebuilt (nightly by `joinedup indicators report --save-page`, or from the page):
    building takes tens of seconds, longer than a page should. Aggregates only (the suppressed
    tables and charts as rendered HTML); no child is named."""

    term_key = models.CharField(max_length=40)
    term_name = models.CharField(max_length=80)
    outcome = models.CharField(max_length=40)
    latest = models.BooleanField(default=False)  # the latest term with marks when built
    terms = models.JSONField(default=list)  # [[key, name], ...] that could be held out then
    cohort = models.PositiveIntegerField(null=True, blank=True)  # None when suppressed
    built_at = models.DateTimeField(default=timezone.now)
    body_html = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term_key", "outcome"], name="one_snapshot_per_term")
        ]
