"""The Ray engine against the local engine on the BBC corpus beside the project (not a test).

    nice -n 19 python benchmarks/ray_vs_local.py [--shared ../shared] [--limit 600] [--workers 2] [--small 32]

Ingests the first N BBC articles (``corpora/bbc/news``, ``--published 2005-06-01``, the order `eventwire bench
--limit N` takes) into fresh DuckDB files with ``eventwire ingest --engine local --workers W`` and ``--engine ray
--workers W``, each a subprocess of ``python -m eventwire.cli`` timed from start to exit (Ray's start-up
included). Each engine also ingests the first ``--small`` articles alone, so that the fixed cost of a run
(interpreter, models, for Ray also the local cluster and its actors) is told apart from the steady rate:
steady articles/s = (N - small) / (t_N - t_small), start-up = t_small - small / steady rate. A bare
``ray.init()`` + ``ray.shutdown()`` is timed too, and a Ray run is split in three by the time stamps of Ray's
log lines: until Ray Data starts, Ray Data's execution, and reading the shards into the store. Peak resident
memory of the driver and of the largest worker process (local: a forked worker; Ray: an actor) is sampled
from /proc (Linux only), and the load average is recorded (the figures are only comparable on a quiet machine).

Checks that both stores hold the same events (``eventwire stats --format json``, and the sorted event ids and
records of ``eventwire export --format jsonl``), then prints one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

CLI = [sys.executable, "-m", "eventwire.cli"]
PUBLISHED = "2005-06-01"


def say(message: str) -> None:
    print(f"[ray_vs_local {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class MemorySampler(threading.Thread):
    """Peak RSS (MB) of a process tree, read from /proc every ``every`` seconds: the root process, and the
    largest of its descendants that ``is_worker`` picks (by command line)."""

    def __init__(self, root: int, is_worker, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.root, self.is_worker, self.every = root, is_worker, every
        self.driver_mb = 0.0
        self.worker_mb = 0.0
        self.workers_seen: set[int] = set()
        self.stop = threading.Event()

    @staticmethod
    def _rss_mb(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            for child in children.get(pid, []):
                out.append(child)
                todo.append(child)
        return out

    def run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self.stop.is_set():
            self.driver_mb = max(self.driver_mb, self._rss_mb(self.root))
            for pid in self._tree():
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                if self.is_worker(cmdline):
                    self.workers_seen.add(pid)
                    self.worker_mb = max(self.worker_mb, self._rss_mb(pid))
            self.stop.wait(self.every)


def is_local_worker(cmdline: str) -> bool:
    return "eventwire.cli" in cmdline  # forked pool workers keep the parent's command line


def is_ray_actor(cmdline: str) -> bool:
    return "_Extractor" in cmdline or "MapWorker" in cmdline


RAY_LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\s+INFO .*?-- (.*)$")


def ray_phases(stderr: str, started: float, seconds: float) -> dict:
    """Where a Ray run's time went, from the time stamps of Ray's own log lines: until Ray Data starts (Python,
    reading the articles, ray.init), Ray Data's execution (actors start and load the models, extraction, Parquet
    writes), and after it (reading the shards, storing into DuckDB, Ray's shutdown)."""
    init_done = exec_start = None
    exec_seconds = None
    for line in stderr.splitlines():
        m = RAY_LOG_TIME.match(line)
        if not m:
            continue
        when = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
        text = m.group(2)
        if text.startswith("Started a local Ray instance") or text.startswith("Connected to Ray cluster"):
            init_done = init_done or when
        elif text.startswith("Starting execution of Dataset"):
            exec_start = exec_start or when
        elif "execution finished in" in text:
            found = re.search(r"execution finished in ([\d.]+) seconds", text)
            exec_seconds = float(found.group(1)) if found else None
    if exec_start is None or exec_seconds is None:
        return {}
    out = {"until_ray_up_seconds": round(init_done - started, 2)} if init_done else {}
    out["until_ray_data_seconds"] = round(exec_start - started, 2)
    out["ray_data_seconds"] = round(exec_seconds, 2)
    out["after_ray_data_seconds"] = round(seconds - (exec_start - started) - exec_seconds, 2)
    return out


def ingest(engine: str, files: list[str], db: Path, workers: int, shards: Path) -> dict:
    """One timed ``eventwire ingest`` subprocess; its wall time and sampled peak memory."""
    args = [*CLI, "ingest", *files, "--db", str(db), "--published", PUBLISHED, "--workers", str(workers),
            "--engine", engine, "--quiet"]
    if engine == "ray":
        args += ["--shards", str(shards)]
    wall_start = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(proc.pid, is_ray_actor if engine == "ray" else is_local_worker)
    sampler.start()
    _out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.stderr.write(err[-4000:])
        raise SystemExit(f"eventwire ingest --engine {engine} failed with exit code {proc.returncode}")
    lines = err.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("stored ")), len(lines))
    summary = " ".join(line.strip() for line in lines[first:])  # the console wraps the summary line
    return {"seconds": round(seconds, 2), "articles_per_s": round(len(files) / seconds, 2),
            "peak_rss_mb_driver": round(sampler.driver_mb), "peak_rss_mb_largest_worker": round(sampler.worker_mb),
            "worker_processes_seen": len(sampler.workers_seen), "load_average_1min_after": load_average(),
            "summary": summary,
            **(ray_phases(err, wall_start, seconds) if engine == "ray" else {})}


def load_average() -> float | None:
    """The machine's 1-minute load average: above the core count, other work shared the cores with this run."""
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def cli_out(*args: str) -> str:
    return subprocess.run([*CLI, *args], capture_output=True, check=True, text=True).stdout


def bare_ray_start(workers: int) -> dict:
    code = ("import time; t0 = time.perf_counter(); import ray; t1 = time.perf_counter(); "
            f"ray.init(num_cpus={workers}, include_dashboard=False, log_to_driver=False); t2 = time.perf_counter(); "
            "ray.shutdown(); t3 = time.perf_counter(); "
            "print(round(t1 - t0, 2), round(t2 - t1, 2), round(t3 - t2, 2))")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True).stdout.split()
    return {"process_seconds": round(time.perf_counter() - started, 2), "import_ray_seconds": float(out[0]),
            "ray_init_seconds": float(out[1]), "ray_shutdown_seconds": float(out[2])}


def steady(n: int, t_n: float, small: int, t_small: float) -> dict:
    if small <= 0 or small >= n or t_n <= t_small:
        return {}
    rate = (n - small) / (t_n - t_small)
    return {"steady_articles_per_s": round(rate, 2), "startup_seconds": round(t_small - small / rate, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, default=600, help="articles to ingest (default 600)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes = Ray actors (default 2)")
    parser.add_argument("--small", type=int, default=32,
                        help="articles of the short runs that measure start-up (default 32; 0: no short runs)")
    opts = parser.parse_args()
    import eventwire
    from eventwire.reader import expand

    corpus = Path(opts.shared) / "corpora" / "bbc" / "news"
    files = [str(p) for p in expand([str(corpus)])][: opts.limit]
    words = sum(len(Path(f).read_text(encoding="utf-8", errors="replace").split()) for f in files)
    input_mb = round(sum(Path(f).stat().st_size for f in files) / 2**20, 2)
    small = min(opts.small, len(files))
    result: dict = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {platform.platform(terse=True)}",
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "articles": len(files), "words": words, "input_mb": input_mb, "workers": opts.workers, "small_articles": small,
        "command": f"nice -n 19 python benchmarks/ray_vs_local.py --limit {opts.limit} --workers {opts.workers} "
                   f"--small {opts.small}",
        "date": time.strftime("%Y-%m-%d"), "eventwire": str(Path(eventwire.__file__).parent),
    }
    result["load_average_1min_before"] = load_average()
    say(f"{len(files)} articles, {words:,} words, {opts.workers} worker(s); load average {load_average()}")
    say("bare ray.init + shutdown")
    result["bare_ray_start"] = bare_ray_start(opts.workers)
    say(f"  {result['bare_ray_start']}")
    with tempfile.TemporaryDirectory(prefix="ray-vs-local-") as tmp:
        root = Path(tmp)
        runs: dict[str, dict] = {}
        plan = ([(e, "small") for e in ("local", "ray")] if small and small < len(files) else [])
        plan += [(e, "full") for e in ("local", "ray")]
        for engine, kind in plan:
            subset = files[:small] if kind == "small" else files
            say(f"ingest --engine {engine} --workers {opts.workers}: {len(subset)} articles")
            run = ingest(engine, subset, root / f"{engine}-{kind}.duckdb", opts.workers, root / f"shards-{kind}")
            say(f"  {run['seconds']} s, {run['articles_per_s']} articles/s; {run['summary']}")
            if engine == "ray":
                run["shard_files"] = len(list((root / f"shards-{kind}").glob("*.parquet")))
                run["shard_mb"] = round(sum(p.stat().st_size for p in (root / f"shards-{kind}").glob("*.parquet"))
                                        / 2**20, 2)
            runs[f"{engine}_{kind}"] = run
        for engine in ("local", "ray"):
            full = runs[f"{engine}_full"]
            entry = {k: full[k] for k in ("seconds", "articles_per_s", "peak_rss_mb_driver",
                                          "peak_rss_mb_largest_worker", "worker_processes_seen",
                                          "load_average_1min_after")}
            if f"{engine}_small" in runs:
                entry["small_run_seconds"] = runs[f"{engine}_small"]["seconds"]
                entry.update(steady(len(files), full["seconds"], small, runs[f"{engine}_small"]["seconds"]))
            for key in ("shard_files", "shard_mb", "until_ray_up_seconds", "until_ray_data_seconds",
                        "ray_data_seconds", "after_ray_data_seconds"):
                if key in full:
                    entry[key] = full[key]
            entry["summary"] = full["summary"]
            result[engine] = entry
        say("comparing the stores")
        stats = {e: json.loads(cli_out("stats", "--db", str(root / f"{e}-full.duckdb"), "--format", "json"))
                 for e in ("local", "ray")}
        exported = {e: sorted(cli_out("export", "--db", str(root / f"{e}-full.duckdb"), "--format", "jsonl")
                              .splitlines()) for e in ("local", "ray")}
        ids = {e: sorted(json.loads(line)["event_id"] for line in lines) for e, lines in exported.items()}
    counts = {k: v for k, v in stats["local"].items() if k != "runs"}
    result["stats"] = counts
    result["same_stats"] = counts == {k: v for k, v in stats["ray"].items() if k != "runs"}
    result["same_event_ids"] = ids["local"] == ids["ray"]
    result["same_records"] = exported["local"] == exported["ray"]
    result["same_events"] = result["same_stats"] and result["same_event_ids"] and result["same_records"]
    result["ratio_ray_local_seconds"] = round(result["ray"]["seconds"] / result["local"]["seconds"], 2)
    result["ratio_ray_local_articles_per_s"] = round(result["ray"]["articles_per_s"] / result["local"]["articles_per_s"], 2)
    if "steady_articles_per_s" in result["ray"] and "steady_articles_per_s" in result["local"]:
        result["ratio_ray_local_steady"] = round(
            result["ray"]["steady_articles_per_s"] / result["local"]["steady_articles_per_s"], 2)
    say(f"done: ray/local time {result['ratio_ray_local_seconds']}, same events {result['same_events']}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
