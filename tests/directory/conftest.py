from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _var_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]  # the archive goes here
