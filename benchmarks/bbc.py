"""Reproducible speed measurements on the BBC corpus beside the project (not a test).

    python benchmarks/bbc.py [--shared ../shared] [--limit N] [--rounds N]

Runs `eventwire bench` with one and with two workers (extraction vs the bare spaCy parse of the same
texts, peak memory per worker, the share selective parsing parsed), then times a full `eventwire ingest` of
the corpus on two workers into a fresh DuckDB file. Prints one JSON object; the README's table comes from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_json(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, check=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, default=None, help="articles for the bench runs (default: all)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of each bench run (the fastest is kept)")
    opts = parser.parse_args()
    corpus = Path(opts.shared) / "corpora" / "bbc" / "news"
    limit = ["--limit", str(opts.limit)] if opts.limit else []
    limit += ["--rounds", str(opts.rounds)]
    result: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    for workers in (1, 2):
        result[f"bench_{workers}_worker"] = run_json(
            ["bench", str(corpus), "--published", "2005-06-01", "--workers", str(workers), "--format", "json", *limit])
    one = result["bench_1_worker"]["extract_articles_per_s"]
    two = result["bench_2_worker"]["extract_articles_per_s"]
    result["speedup_2_vs_1"] = round(two / one, 2)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bbc.duckdb"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--published", "2005-06-01",
                        "--db", str(db), "--workers", "2", "--quiet"], check=True)
        result["ingest_seconds"] = round(time.perf_counter() - started, 1)
        result["ingest_stats"] = run_json(["stats", "--db", str(db), "--format", "json"])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
