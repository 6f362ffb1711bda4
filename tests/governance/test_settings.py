"""Production settings refuse to start without secrets, and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys

PRODUCTION_ENV = {
    "JOINEDUP_ENV": "production",
    "JOINEDUP_SECRET_KEY": "x7!Kq2#pL9zR4vW8mN3bT6yH1cF5gJ0dS2aE7uI9oP4lZ8kX3wQ6",
    "JOINEDUP_ALLOWED_HOSTS": "joinedup.example.org",
    "JOINEDUP_AUDIT_KEY": "another-long-secret-kept-outside-the-database",
}


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JOINEDUP_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "-m", "joinedup", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_has_no_warnings() -> None:
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "JOINEDUP_SECRET_KEY"}
    result = _run("check", env=env)
    assert result.returncode != 0
    assert "JOINEDUP_SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "JOINEDUP_ALLOWED_HOSTS"}
    result = _run("check", env=env)
    assert result.returncode != 0
    assert "JOINEDUP_ALLOWED_HOSTS is required" in result.stderr


def test_cli_help_is_for_newcomers() -> None:
    result = _run("--help", env={})
    assert result.returncode == 0
    for command in ("serve", "demo-data generate", "demo-data load", "audit verify"):
        assert command in result.stdout
