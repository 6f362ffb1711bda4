from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


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
