"""Directory factories: ORUK service dicts (as a feed would send them) and files of them."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_seq = itertools.count(1)


def oruk_service(*, today: date | None = None, **kw: Any) -> dict[str, Any]:
    """One service in ORUK v1 shape (eligibilitys, service_taxonomys, physical_addresses),
    reviewed a month before `today` (the day the reading code is told it is; by default the
    clock's day, for tests that import through services which read the clock)."""
    n = next(_seq)
    reviewed_on = (today or date.today()) - timedelta(days=30)
    service: dict[str, Any] = {
        "id": f"svc-{n}",
        "name": f"Service {n}",
        "description": "Support for families.",
        "url": "https://example.invalid/service",
        "email": "hello@example.invalid",
        "status": "active",
        "assured_date": reviewed_on.isoformat(),
        "organization": {"id": "org-1", "name": "Brightwater Family Trust", "url": ""},
        "eligibilitys": [{"id": f"el-{n}", "minimum_age": 5, "maximum_age": 16}],
        "service_taxonomys": [{"id": f"tx-{n}", "taxonomy": {"id": "t1", "name": "Parenting"}}],
        "service_at_locations": [
            {
                "id": f"sal-{n}",
                "location": {
                    "id": f"loc-{n}",
                    "name": "Eastbrook Family Hub",
                    "latitude": 53.1,
                    "longitude": -1.5,
                    "physical_addresses": [
                        {"address_1": "1 Mill Lane", "city": "Eastbrook", "postal_code": "JU1 2AB"}
                    ],
                },
            }
        ],
    }
    service.update(kw)
    return service


def oruk_file(tmp_path: Path, services: Any, name: str = "directory.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(services), encoding="utf-8")
    return path
