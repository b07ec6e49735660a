"""Same input, same events: one worker, several workers, and the Ray engine all store identical data."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_store import _corpus, _snapshot


def _full(db: Path) -> list:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT event_id, n_mentions, record FROM events ORDER BY event_id").fetchall()
    finally:
        con.close()


def test_engines_local_workers_store_identical_events(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 12)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    assert cli("ingest", str(corpus), "--db", str(one), "--workers", "1", "--quiet").returncode == 0
    assert cli("ingest", str(corpus), "--db", str(two), "--workers", "2", "--quiet").returncode == 0
    assert _full(one) == _full(two) and _snapshot(one) == _snapshot(two)


def test_engines_ray_matches_local(cli, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    corpus = _corpus(tmp_path / "in", 12)
    local, on_ray = tmp_path / "local.duckdb", tmp_path / "ray.duckdb"
    assert cli("ingest", str(corpus), "--db", str(local), "--workers", "2", "--quiet").returncode == 0
    result = cli("ingest", str(corpus), "--db", str(on_ray), "--engine", "ray", "--workers", "2",
                 "--shards", str(tmp_path / "shards"), "--quiet")
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert list((tmp_path / "shards").glob("*.parquet")), "the Ray engine writes Parquet shards"
    assert _full(local) == _full(on_ray)
    assert _snapshot(local) == _snapshot(on_ray)
