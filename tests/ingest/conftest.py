from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.governance.models import Agency, AgencyType
from tests import factories


@pytest.fixture(autouse=True)
def _archive_in_tmp(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    # Archived extracts go under VAR_DIR: keep the tests' copies out of the real var/.
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]


@pytest.fixture
def agency(db: None) -> Agency:
    return factories.agency(AgencyType.EARLY_HELP, code="early-help")
