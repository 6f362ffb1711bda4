"""Let imports started from the upload page (a `joinedup import` process) reach the test
database and the test's VAR_DIR: the child process reads both from its environment."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from joinedup.ingest.jobs import ImportJob, JobState, import_job_get


def database_url(settings_dict: dict[str, Any]) -> str:
    """The DATABASE_URL of the database this test process is connected to."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def point_imports_here(monkeypatch: pytest.MonkeyPatch, var_dir: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url(connection.settings_dict))
    monkeypatch.setenv("JOINEDUP_VAR_DIR", str(var_dir))
    monkeypatch.setenv("JOINEDUP_ENV", "test")


def wait_for(key: str, *, until: frozenset[str] = JobState.FINAL, timeout: float = 90) -> ImportJob:
    """The job once its state is one of `until` (default: finished, refused or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = import_job_get(key)
        assert job is not None, f"no import job {key}"
        if job.state in until:
            return job
        time.sleep(0.05)
    raise AssertionError(f"import job {key} did not reach {sorted(until)} in {timeout}s")
