"""The DuckDB engine bounds its memory, spills to its own scratch space and cleans it up."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.linkage.engine import MEMORY_LIMIT, DuckDBEngine


def _setting(engine: DuckDBEngine, name: str) -> object:
    return engine._con.execute("SELECT current_setting(?)", [name]).fetchall()[0][0]


def test_engine_limits_memory_and_removes_its_scratch_directory() -> None:
    engine = DuckDBEngine(memory_limit="512MB")
    scratch = Path(str(_setting(engine, "temp_directory")))
    assert scratch.is_dir() and scratch.name.startswith("joinedup-duckdb-")
    assert _setting(engine, "memory_limit") == "488.2 MiB"  # DuckDB reports 512 MB in MiB
    assert _setting(engine, "preserve_insertion_order") is False
    engine.close()
    assert not scratch.exists()


def test_default_limit_is_the_documented_one() -> None:
    engine = DuckDBEngine()
    try:
        assert MEMORY_LIMIT == "1GB"
        assert _setting(engine, "memory_limit") == "953.6 MiB"
    finally:
        engine.close()


@pytest.mark.parametrize("bad", ["lots", "1 GB; DROP TABLE x", "", "-1GB"])
def test_a_limit_that_is_not_a_size_is_refused_before_anything_is_made(
    bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    with pytest.raises(ValueError, match="is not a size"):
        DuckDBEngine(memory_limit=bad)
    assert list(tmp_path.iterdir()) == []
