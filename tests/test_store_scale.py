"""benchmarks/store_scale.py at a small size: it builds its synthetic store, times every query and ingests real
articles into it and into an empty store, and prints one JSON line of sane figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eventwire.store import Store

from .conftest import ROOT

TIMINGS = ("build_s", "top_dyads_s", "events_by_country_s", "events_by_type_s", "events_by_period_s", "count_all_s",
           "situation_s", "situation_ner_s", "api_events_p50_s", "api_events_p95_s", "api_events_max_s", "timeline_s", "ingest_big_s",
           "ingest_empty_s", "store_big_s", "store_empty_s")


def test_store_scale_benchmark_runs_small(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "scale.duckdb"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "store_scale.py"), "--events", "20000", "--real",
                          "5", "--workers", "1", "--shared", str(shared), "--db", str(db)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1, run.stdout[-2000:]
    out = json.loads(lines[0])
    for key in TIMINGS:
        assert isinstance(out[key], float) and 0 <= out[key] < 300, (key, out[key])
    assert out["events"] == 20000 and out["articles"] == 6000 and out["built"] is True
    assert 1.3 * 20000 < out["mentions"] < 1.7 * 20000
    assert out["events_total"] == 20000 and 0 < out["events_by_period_total"] < out["events_by_type_total"] < 20000
    assert out["top_dyad"] and out["situation_country"] and 0 < out["situation_events"] < 20000
    assert 0 < out["situation_ner_events"] < out["situation_events"]
    assert out["api_events_requests"] == 50 and out["api_events_p50_s"] <= out["api_events_p95_s"]
    assert out["ingest_real_articles"] == 5 and out["ingest_mentions"] > 0
    assert out["ingest_big_articles_per_s"] > 0 and out["ingest_empty_articles_per_s"] > 0
    assert 0 < out["ingest_ratio_to_empty"] < 10 and 0 < out["store_ratio_to_empty"] < 10
    # the store it kept reads back: the real articles beside the synthetic ones, every record a model Event
    with Store(db, read_only=True) as store:
        stats = store.stats()
        page, total = store.page(None, 5)
    assert stats["articles"] == 6005 and stats["events"] >= 20000 and total == stats["events"] and len(page) == 5
