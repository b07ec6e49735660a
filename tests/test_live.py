"""Reading while writing: `eventwire serve` and `eventwire ingest` on one store at once (real processes, a real
DuckDB file, a real HTTP server on loopback). The server is the one writer; ingest goes through it, or says what to
do in one line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from eventwire.server.holder import holder

STORY = "French troops withdrew from their last base in Niger on Friday, the army said."
OTHER = "Ukrainian drones struck an oil refinery in Ryazan on Sunday, the regional governor said."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}
    env.update(extra)
    return env


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, timeout=300, env=env)


@contextmanager
def _serving(db: Path, *flags: str, env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", str(db), "--port", str(port),
                             *flags], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/api/stats", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


@pytest.fixture()
def store_with_one(tmp_path: Path) -> Path:
    db = tmp_path / "ew.duckdb"
    (tmp_path / "one.txt").write_text(STORY, encoding="utf-8")
    done = _run("ingest", str(tmp_path / "one.txt"), "--db", str(db), "--published", "2023-12-22", "-q", env=_env())
    assert done.returncode == 0, done.stderr.decode()
    return db


def test_ingest_goes_through_the_server_that_holds_the_store(store_with_one: Path, tmp_path: Path) -> None:
    db = store_with_one
    (tmp_path / "two.txt").write_text(OTHER, encoding="utf-8")
    env = _env(EVENTWIRE_TOKEN="s3cret")
    with _serving(db, "--allow-ingest", env=env) as url:
        assert holder(db) is not None and holder(db)["url"] == url
        done = _run("ingest", str(tmp_path / "two.txt"), "--db", str(db), "--published", "2024-06-02", env=env)
        assert done.returncode == 0, done.stderr.decode()
        assert b"through" in done.stderr and b"Traceback" not in done.stderr
        stats = urllib.request.urlopen(url + "/api/stats", timeout=5).read()
        assert b'"articles":2' in stats.replace(b" ", b""), "the page's server sees the new article at once"
        again = _run("ingest", str(tmp_path / "two.txt"), "--db", str(db), "--via", url, env=env)
        assert again.returncode == 0 and b"stored 0 article" in again.stderr, "nothing is stored twice"
    assert holder(db) is None, "the server takes its claim away when it stops"


def test_ingest_against_a_read_only_server_says_what_to_do(store_with_one: Path, tmp_path: Path) -> None:
    db = store_with_one
    (tmp_path / "two.txt").write_text(OTHER, encoding="utf-8")
    with _serving(db, env=_env()):
        done = _run("ingest", str(tmp_path / "two.txt"), "--db", str(db), env=_env())
        assert done.returncode == 2
        lines = done.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and "held by a running eventwire server" in lines[0] and "--allow-ingest" in lines[0]
        via = _run("ingest", str(tmp_path / "two.txt"), "--via", "http://127.0.0.1:9", env=_env(EVENTWIRE_TOKEN="x"))
        assert via.returncode == 2 and b"no eventwire server answers" in via.stderr and b"Traceback" not in via.stderr


def test_serve_bad_port_and_busy_port_are_one_line(tmp_path: Path) -> None:
    for port in ("99999", "0", "-5"):
        done = _run("serve", "--db", str(tmp_path / "x.duckdb"), "--port", port, env=_env())
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = _run("serve", "--db", str(tmp_path / "x.duckdb"), "--port", str(busy.getsockname()[1]), env=_env())
    assert done.returncode == 2 and b"cannot listen" in done.stderr
