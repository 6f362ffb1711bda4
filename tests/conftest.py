from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

# ------------------------------------------------------------------ the clock, moved on purpose
# `pytest --clock 2027-12-25` (or JOINEDUP_TEST_CLOCK) runs the session with the clock moved to
# that day (09:30 UTC, ticking), through time-machine, so that every `date.today()`,
# `timezone.now()` and `time.time()` in the code and the tests reads that day. CI runs the
# date-sensitive tests this way on a weekend, a bank holiday, the last day of a term and a year
# ahead (scripts/test_clocks.py chooses the days): the suite must pass on any day.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        default=os.environ.get("JOINEDUP_TEST_CLOCK", ""),
        help="run with the clock moved to this day (YYYY-MM-DD), e.g. a bank holiday",
    )


def pytest_configure(config: pytest.Config) -> None:
    day = config.getoption("--clock")
    if not day:
        return
    import time_machine

    try:
        moved = datetime.combine(date.fromisoformat(day), time(9, 30), tzinfo=UTC)
    except ValueError:
        raise pytest.UsageError(f"--clock {day!r} is not a date (YYYY-MM-DD)") from None
    traveller = time_machine.travel(moved, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    day = config.getoption("--clock")
    return f"clock moved to {day} (a {date.fromisoformat(day):%A})" if day else None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


# ------------------------------------------------------- linkage engines (DuckDB and Spark)
# Tests that depend on where the model runs take the `engine` fixture and so run on both
# engines. Spark starts once per test session (a JVM, ~10 s), in local[2] mode, and stops at
# the end; each test gets fresh engines on it.


class EngineMaker:
    """Makes fresh linkage engines of one kind (`name`); closes them when the test ends."""

    def __init__(self, name: str, work_dir: Path) -> None:
        self.name = name
        self.work_dir = work_dir
        self.made: list[Any] = []

    def __call__(self) -> Any:
        from joinedup.linkage.engine import engine_create

        made = engine_create(self.name, work_dir=self.work_dir)
        self.made.append(made)
        return made

    def close(self) -> None:
        for made in self.made:
            made.close()


@pytest.fixture(scope="session")
def spark_work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="session")
def spark_session(spark_work_dir: Path) -> Iterator[Any]:
    from joinedup.linkage.engine import SparkEngine

    engine = SparkEngine(work_dir=spark_work_dir)  # starts the session
    engine.close()
    yield engine.spark
    engine.spark.stop()


@pytest.fixture(params=["duckdb", "spark"])
def engine(request: pytest.FixtureRequest, spark_work_dir: Path) -> Iterator[EngineMaker]:
    if request.param == "spark":
        request.getfixturevalue("spark_session")
    maker = EngineMaker(request.param, spark_work_dir)
    yield maker
    maker.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that run on Spark (`-m "not spark"` leaves them out). They touch no
    database, so CI runs them once, in the SQLite pass, not again on PostgreSQL."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_spark = callspec is not None and callspec.params.get("engine") == "spark"
        if on_spark or "spark_session" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.spark)
