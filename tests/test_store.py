"""The event store on a real DuckDB file: idempotent, resumable after SIGKILL, nothing lost."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventwire.store import Store
from eventwire.store.export import GDELT_COLUMNS

from .conftest import EXAMPLES
from .test_cli import ARTICLE

STORY = ("Russian troops have entered a military base in Niger that houses US troops, officials said on Thursday. "
         "Niger severed its military ties with the United States in March.")


BACKGROUND = ("The junta that seized power in Niamey in July 2023 has turned away from its former Western partners. "
              "Analysts in the region say the shift reflects a wider realignment across the Sahel, where military "
              "governments in Mali and Burkina Faso have also ended agreements with France and courted Moscow. "
              "Diplomats describe the coming months as a test of whether Washington can keep any foothold in the "
              "region, and of how far Russian instructors will replace the departing Western troops. ")


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n):
            text = (ARTICLE if i % 2 else STORY) + "\n\n" + BACKGROUND * 2 + f"\n\nFiled by desk {i}."
            f.write(json.dumps({"id": f"a{i}", "text": text, "published": "2024-05-03", "outlet": f"o{i % 3}"}) + "\n")
    return folder


def _snapshot(db: Path) -> tuple:
    with Store(db, read_only=True) as store:
        arts = store.con.execute("SELECT id FROM articles ORDER BY id").fetchall()
        evs = store.con.execute("SELECT event_id, n_mentions FROM events ORDER BY event_id").fetchall()
        ments = store.con.execute("SELECT mention_id FROM mentions ORDER BY mention_id").fetchall()
    return arts, evs, ments


def test_store_ingest_is_idempotent(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 6)
    db = tmp_path / "ew.duckdb"
    first = cli("ingest", str(corpus), "--db", str(db), "--workers", "1", "--quiet")
    assert first.returncode == 0, first.stderr
    before = _snapshot(db)
    again = cli("ingest", str(corpus), "--db", str(db), "--workers", "1", "--quiet")
    assert again.returncode == 0 and b"6 already stored" in again.stderr
    assert _snapshot(db) == before
    stats = json.loads(cli("stats", "--db", str(db), "--format", "json").stdout)
    assert stats["articles"] == 6 and stats["events"] >= 2 and stats["mentions"] >= stats["events"]
    assert stats["failures"] == 0


def test_store_merges_mentions_across_articles(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 6)
    db = tmp_path / "ew.duckdb"
    cli("ingest", str(corpus), "--db", str(db), "--quiet")
    with Store(db, read_only=True) as store:
        [(n_mentions, n_articles, n_outlets)] = store.con.execute(
            "SELECT n_mentions, n_articles, n_outlets FROM events WHERE event_type = 'MOBILIZE'").fetchall()
        groups = store.con.execute("SELECT count(DISTINCT group_id) FROM articles").fetchone()[0]
    assert (n_mentions, n_articles, n_outlets) == (3, 3, 3)
    assert groups == 2, "republished copies of one story are grouped as near-duplicates"


def test_store_survives_sigkill_mid_ingest(cli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 40)
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    assert cli("ingest", str(corpus), "--db", str(clean_db), "--workers", "1", "--quiet").returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db", str(killed_db),
                             "--workers", "1", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:  # kill once some articles are stored, mid-run
        time.sleep(0.2)
        if killed_db.exists() and killed_db.stat().st_size > 0 and proc.poll() is None:
            time.sleep(2.5)
            break
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the ingest was still running when it was killed"
    rerun = cli("ingest", str(corpus), "--db", str(killed_db), "--workers", "1", "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(killed_db) == _snapshot(clean_db)


def test_store_records_bad_inputs_and_goes_on(cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (folder / "latin1.txt").write_bytes(STORY.replace("Niger", "Nigér").encode("latin-1"))
    (folder / "lines.jsonl").write_text(f'{{"id": "ok1", "text": "{STORY}"}}\n{{broken\n{{"id": "no-text"}}\n',
                                        encoding="utf-8")
    db = tmp_path / "ew.duckdb"
    result = cli("ingest", str(folder), "--db", str(db), "--published", "2024-05-03", "--quiet")
    assert result.returncode == 3, result.stderr
    assert b"Traceback" not in result.stderr
    with Store(db, read_only=True) as store:
        failures = dict(store.con.execute("SELECT input, reason FROM failures").fetchall())
        severity = dict(store.con.execute("SELECT input, severity FROM failures").fetchall())
        stored = {r[0] for r in store.con.execute("SELECT source_path FROM articles").fetchall()}
    assert any("empty" in r for r in failures.values())
    assert any("binary" in r for r in failures.values())
    assert any("malformed JSON" in r for r in failures.values())
    assert any("no 'text'" in r for r in failures.values())
    assert any(sev == "warning" for i, sev in severity.items() if i.endswith("latin1.txt")), "kept, with a caveat"
    assert {Path(p).name for p in stored if p} >= {"good.txt", "latin1.txt"}


def test_store_exports_parse_back(cli, tmp_path: Path) -> None:
    db = tmp_path / "ew.duckdb"
    cli("ingest", str(_corpus(tmp_path / "in", 4)), "--db", str(db), "--quiet")
    gdelt = cli("export", "--db", str(db), "--format", "gdelt").stdout.decode()
    rows = list(csv.reader(io.StringIO(gdelt), delimiter="\t"))
    assert rows and all(len(r) == len(GDELT_COLUMNS) == 61 for r in rows)
    plover = [json.loads(x) for x in cli("export", "--db", str(db), "--format", "plover").stdout.splitlines()]
    assert plover and all({"id", "date", "actor", "event"} <= set(r) for r in plover)
    jsonl = [json.loads(x) for x in cli("export", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    assert len(jsonl) == len(plover) == len(rows)
    out = tmp_path / "events.parquet"
    assert cli("export", "--db", str(db), "--format", "parquet", "--output", str(out)).returncode == 0
    import duckdb

    assert duckdb.connect().execute(f"SELECT count(*) FROM '{out}'").fetchone()[0] == len(jsonl)


def test_store_query_filters(cli, tmp_path: Path) -> None:
    db = tmp_path / "ew.duckdb"
    cli("ingest", str(_corpus(tmp_path / "in", 4)), "--db", str(db), "--quiet")
    mob = cli("query", "--db", str(db), "--type", "MOBILIZE", "--format", "jsonl").stdout.splitlines()
    assert mob and all(json.loads(x)["event_type"] == "MOBILIZE" for x in mob)
    near = cli("query", "--db", str(db), "--near", "Niamey", "--km", "2000", "--format", "jsonl").stdout.splitlines()
    far = cli("query", "--db", str(db), "--near", "Tokyo", "--km", "100", "--format", "jsonl").stdout.splitlines()
    assert near and not far
    bad = cli("query", "--db", str(db), "--type", "PARTY")
    assert bad.returncode == 2 and b"unknown event type" in bad.stderr


def test_store_situation_view(cli, tmp_path: Path) -> None:
    db = tmp_path / "ew.duckdb"
    cli("ingest", str(_corpus(tmp_path / "in", 2)), "--db", str(db), "--quiet")
    view = json.loads(cli("situation", "Niger", "--db", str(db), "--format", "json").stdout)
    rus = [p for p in view["foreign_presence"] if p["country"] == "RUS"]
    assert rus and rus[0]["status"] == "present" and rus[0]["evidence"]
    assert "USA" in view["partners"]


def test_situation_follows_the_coverage_of_niger(cli, tmp_path: Path) -> None:
    """Seven reports on Niger, 2023-2024 (our own words about real events): France withdrawn since December
    2023, the United States withdrawing since April 2024, Russia present since April 2024, each with the
    sentence that last changed it."""
    db = tmp_path / "niger.duckdb"
    folder = tmp_path / "niger"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("niger-*.txt")):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert len(list(folder.iterdir())) >= 7
    assert cli("ingest", str(folder), "--db", str(db), "--quiet").returncode == 0
    view = json.loads(cli("situation", "NER", "--db", str(db), "--format", "json").stdout)
    status = {p["country"]: (p["status"], (p["since"] or "")[:7]) for p in view["foreign_presence"]}
    assert status["FRA"] == ("withdrawn", "2023-12"), status
    assert status["USA"] == ("withdrawing", "2024-04"), status
    assert status["RUS"] == ("present", "2024-04"), status
    latest = {p["country"]: p["latest_evidence"]["evidence"] for p in view["foreign_presence"]}
    assert "left" in latest["FRA"] and "withdraw" in latest["USA"]


@pytest.mark.parametrize("args", [["stats"], ["query"], ["situation", "NER"]])
def test_store_missing_db_is_one_line(cli, tmp_path: Path, args: list[str]) -> None:
    result = cli(*args, "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2 and b"no such store" in result.stderr and b"Traceback" not in result.stderr
