"""API latency while news is ingested (not a test): the page's requests against a server that is writing.

    python benchmarks/api_latency.py [--shared ../shared] [--articles 200] [--batch 10]

Starts `eventwire serve --allow-ingest` on loopback over a fresh store, times the page's requests (events,
a filtered page, timeline, stats, updates) while idle, then again while VOA stories are posted to
/api/ingest in batches (the server's one writer codes and stores them). Prints one JSON line: p50/p95 in
seconds for each phase, and the ingest rate.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

PATHS = ["/api/events?limit=50", "/api/events?type=ASSAULT&limit=50", "/api/timeline", "/api/stats",
         "/api/updates?limit=50"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as answer:
        answer.read()
    return time.perf_counter() - t


def _percentiles(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=20)
    return {"p50_s": round(statistics.median(times), 4), "p95_s": round(q[18], 4), "requests": len(times)}


def _read_while(url: str, busy: threading.Event | None, seconds: float) -> list[float]:
    times: list[float] = []
    end = time.time() + seconds
    i = 0
    while (busy.is_set() if busy is not None else time.time() < end):
        times.append(_get(url + PATHS[i % len(PATHS)]))
        i += 1
        time.sleep(0.05)  # a page polls, it does not hammer
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    stories = []
    with open(Path(args.shared) / "corpora/voa/voa_stories.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            stories.append({"id": f"voa-{d['id']}", "text": d["text"], "title": d.get("title"),
                            "published": (d.get("published") or "")[:10] or None, "url": d.get("url")})
            if len(stories) >= args.articles:
                break
    token = secrets.token_hex(8)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "latency.duckdb"
        env = {**os.environ, "EVENTWIRE_TOKEN": token}
        subprocess.run([sys.executable, "-m", "eventwire.cli", "ingest", "examples", "--db", str(db), "-q"],
                       check=True, env=env, capture_output=True)
        proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", str(db), "--port", str(port),
                                 "--allow-ingest"], env=env, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    _get(url + "/api/stats")
                    break
                except OSError:
                    time.sleep(0.1)
            idle = _read_while(url, None, 10.0)
            busy = threading.Event()
            busy.set()
            stored = 0

            def post_all() -> None:
                nonlocal stored
                try:
                    for i in range(0, len(stories), args.batch):
                        body = json.dumps({"articles": stories[i:i + args.batch]}).encode()
                        req = urllib.request.Request(url + "/api/ingest", data=body, method="POST", headers={
                            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                        with urllib.request.urlopen(req, timeout=600) as answer:
                            stored += json.loads(answer.read())["stored"]
                finally:
                    busy.clear()

            started = time.perf_counter()
            writer = threading.Thread(target=post_all)
            writer.start()
            during = _read_while(url, busy, 0)
            writer.join()
            seconds = time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(json.dumps({"idle": _percentiles(idle), "while_ingesting": _percentiles(during),
                      "articles_ingested": stored, "ingest_articles_per_s": round(stored / seconds, 2),
                      "batch": args.batch, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
