"""The API contract is pinned: a change to the OpenAPI document must be deliberate.

To accept a deliberate change: `UPDATE_OPENAPI_SNAPSHOT=1 make test`, then review the diff
of tests/api/openapi.snapshot.json in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from joinedup.api import api

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


def test_openapi_matches_snapshot() -> None:
    current = json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(current)
    assert SNAPSHOT.exists(), "No snapshot yet: run with UPDATE_OPENAPI_SNAPSHOT=1"
    assert current == SNAPSHOT.read_text(), (
        "The OpenAPI document changed. If deliberate, run with UPDATE_OPENAPI_SNAPSHOT=1 "
        "and commit the new snapshot."
    )
