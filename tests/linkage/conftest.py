"""Shared linkage fixtures: a model trained once, on a synthetic background area."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import pytest

from joinedup.linkage import link_records


@pytest.fixture(scope="session")
def background() -> pd.DataFrame:
    from joinedup.demo.generator import generate_area

    area = generate_area(children=1500, seed=11)
    rows = [asdict(r) for r in area.records]
    frame = pd.DataFrame(rows).rename(columns={"agency_code": "agency"})
    return frame.drop(columns=["person_id", "attributes"])


@pytest.fixture(scope="session")
def trained(background: pd.DataFrame) -> str:
    return link_records(background).model_json
