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

from eventwire.model import Actor, Article, Event, Evidence, Place
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


# merging a mention into the events of its date window ------------------------------------------------------------

def _mention(n: int, date: str | None, *, source: str = "RUS", target: str | None = "UKR",
             place: str | None = None) -> Event:
    precision = None if date is None else {4: "year", 7: "month"}.get(len(date), "day")
    return Event(event_id=f"m{n:04d}", doc_id=f"d{n:04d}", event_type="ASSAULT", cameo="190", quad_class=4,
                 goldstein=-10.0, evidence=Evidence(sentence=f"Sentence {n}.", start=0, end=12, trigger="attacked"),
                 source=Actor(text=source, country=source, sector="MIL", code=source + "MIL"),
                 target=Actor(text=target, country=target, code=target) if target else None,
                 date=date, date_precision=precision, location=Place(text=place, name=place, country=place)
                 if place else None)


def _merged_without_window(store: Store, mention: Event) -> str | None:
    """The event the store merged a mention into before the date window: the first, in the order the rows are
    written, of every event of its type, source and factuality with a compatible target (no bound on the date)
    that ``same_happening`` takes; None: a new event."""
    from eventwire.resolve import same_happening
    from eventwire.store.db import _key

    tkey = _key(mention.target)
    rows = store.con.execute(
        "SELECT event_id, record FROM events WHERE event_type = ? AND source_key = ? AND factuality = ? "
        "AND (target_key = ? OR target_key = '' OR ? = '') ORDER BY rowid",
        [mention.event_type, _key(mention.source), mention.factuality, tkey, tkey]).fetchall()
    return next((i for i, r in rows if same_happening(Event.from_dict(json.loads(r)), mention)), None)


def test_merging_reads_the_date_window_and_merges_as_before(tmp_path: Path) -> None:
    """Mentions a day apart merge, two days apart do not; a month, a year or no date merges into the first event it
    may be, as when every event of the dyad was read (checked before each mention is added); an unusual date is
    compared with every event."""
    dates = ["2024-05-01", "2024-05-02", "2024-05-10", "2024-05-12", "2024-05-11", "2023-05-10", "2024-05",
             "2024-06", "2024", None, "2024-05-31", "2024-06-01", "2024-W22-5", "2025-01-01", "2024-12-31",
             "2024-05-01", "2024-05-03"]  # mention i is dated dates[i]
    mentions = [_mention(i, d) for i, d in enumerate(dates)]
    mentions += [_mention(50, "2024-05-02", target=None), _mention(51, "2024-05-02", place="FRA"),
                 _mention(52, None, source="USA"), _mention(53, "2024-05-02", source="USA")]
    with Store(tmp_path / "w.duckdb") as store:
        into = {}
        for m in mentions:
            expected = _merged_without_window(store, m)
            result = store.add_article(Article(id=m.doc_id, text="Sentence. " * 3, outlet="o"), [m])
            [(event_id,)] = store.con.execute("SELECT event_id FROM mentions WHERE doc_id = ?", [m.doc_id]).fetchall()
            assert (event_id == m.event_id) == (expected is None) and result.events_new == (expected is None), m.date
            assert expected is None or event_id == expected, (m.date, event_id, expected)
            into[m.event_id] = event_id
        counts = dict(store.con.execute("SELECT event_id, n_mentions FROM events").fetchall())
    # a day apart: one event (also across a year's end); two days apart: another; a year away: another
    assert into["m0001"] == "m0000" and into["m0014"] == "m0013" and into["m0015"] == "m0000"
    assert into["m0002"] == into["m0004"] == "m0002" and into["m0003"] == "m0003" and into["m0016"] == "m0016"
    assert into["m0005"] == "m0005" and into["m0010"] == "m0010"
    # a month, a year, no date: the first event they may be, in the order the rows are written (an event that
    # takes a mention is written again, last): May 2024 -> m0000, 2024 -> m0003, no date -> m0002
    assert into["m0006"] == "m0000" and into["m0007"] == "m0007" and into["m0008"] == "m0003"
    assert into["m0009"] == "m0002" and into["m0011"] == "m0007"
    # an ISO week date is a day to same_happening: compared with every event, it finds May 31
    assert into["m0012"] == "m0010"
    # no target merges (compatible targets), a place elsewhere merges with an event without one, another source never
    assert into["m0050"] == "m0000" and into["m0051"] == "m0016"
    assert into["m0052"] == into["m0053"] == "m0052"
    assert counts["m0000"] == 5 and sum(counts.values()) == len(mentions)


def test_date_keys_in_python_and_sql_agree() -> None:
    import duckdb

    from eventwire.resolve import date_key, window_keys
    from eventwire.store.schema import DATE_KEY_SQL

    texts = ["2024", "2024-05", "2024-13", "2024-00", "2024-05-03", "2024-02-29", "2023-02-29", "2024-02-30",
             "0000-01-01", "0000", "2024-5-3", "20240503", "2024-W12-1", "spring 2024", "", None, "2024-05-03T10:00",
             "１９９９", "2024-05-03 "]
    con = duckdb.connect()
    for text in texts:
        sql = con.execute(f"SELECT {DATE_KEY_SQL} FROM (SELECT ?::VARCHAR AS date)", [text]).fetchone()[0]
        assert sql == date_key(text), text
    assert window_keys("2024-03-01") == ["", "*", "2024", "2024-02-29", "2024-03", "2024-03-01", "2024-03-02"]
    assert len(window_keys("2024-02")) == 4 + 29 and len(window_keys("2024")) == 3 + 12 + 366
    assert window_keys(None) is None and window_keys("2024-W12-1") is None


def test_stores_from_before_the_merge_index_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written before migrations 0006-0007 gets its merge keys and indexes, and merges into its old events."""
    import duckdb

    from eventwire.resolve import date_key, merge_key
    from eventwire.store import schema

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:5])
    schema.migrate(con)
    monkeypatch.undo()
    old = [("e1", "ASSAULT", "RUS", "asserted", "2024-05-01"), ("e2", "ASSAULT", "RUS", "asserted", "2024"),
           ("e3", "CONSULT", "FRA,NER", "hypothetical", None), ("e4", "ASSAULT", "RUS", None, "2024-05-01"),
           ("e5", "PROTEST", "", "asserted", "2024-W12-1")]
    for event_id, kind, skey, fact, day in old:
        record = _mention(0, day).to_dict() | {"event_id": event_id, "event_type": kind, "factuality": fact}
        con.execute("INSERT INTO events (event_id, event_type, source_key, target_key, factuality, date, record, "
                    "n_mentions) VALUES (?, ?, ?, 'UKR', ?, ?, ?, 1)", [event_id, kind, skey, fact, day,
                                                                        json.dumps(record)])
    con.close()
    with Store(db) as store:
        keys = dict(store.con.execute("SELECT event_id, merge_key FROM events").fetchall())
        indexes = {r[0] for r in store.con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        store.add_article(Article(id="d9", text="Sentence. " * 3), [_mention(9, "2024-05-02")])
        [(into,)] = store.con.execute("SELECT event_id FROM mentions WHERE doc_id = 'd9'").fetchall()
    assert keys == {i: merge_key(k, f, s, date_key(d)) for i, k, s, f, d in old}
    assert keys["e1"] == "ASSAULT|asserted|RUS|2024-05-01" and keys["e4"] is None and keys["e5"].endswith("|*")
    assert {"events_merge_idx", "mentions_event_idx", "articles_band3"} <= indexes and into == "e1"


def test_parquet_export_leaves_out_the_merge_key(tmp_path: Path) -> None:
    import duckdb

    with Store(tmp_path / "p.duckdb") as store:
        store.add_article(Article(id="d1", text="Sentence. " * 3), [_mention(1, "2024-05-02")])
        assert store.export("parquet", tmp_path / "e.parquet") == 1
    columns = [r[0] for r in duckdb.connect().execute(
        f"DESCRIBE SELECT * FROM read_parquet('{tmp_path / 'e.parquet'}')").fetchall()]
    assert "record" in columns and "event_id" in columns and "merge_key" not in columns


def _contents(store: Store) -> tuple:
    return tuple(store.con.execute(f"SELECT * EXCLUDE ({skip}) FROM {table} ORDER BY ALL").fetchall()
                 for table, skip in (("events", "first_seen"), ("articles", "ingested_at"), ("mentions", "record"),
                                     ("actors", "code")))


@pytest.mark.parametrize("size", [2, 5, 100])
def test_batches_store_what_one_by_one_stores(tmp_path: Path, size: int) -> None:
    """Stored in batches (one transaction, a few statements), articles merge as stored one at a time, in order: into
    events of earlier batches and of the same batch, into the event last written when several may take them, with
    near-duplicate groups found within the batch too."""
    dates = ["2024-05-01", "2024-05-02", "2024-05", "2024", None, "2024-05-03", "2024-05-02", "2024-W18-4",
             "2024-05-01", "2024-06", "2024-05-02", None]
    mentions = [_mention(i, d, **({"target": None} if i % 4 == 3 else {})) for i, d in enumerate(dates)]
    items = [(Article(id=m.doc_id, text=f"Troops entered the base, officials said. Filed {i % 3}.", outlet=f"o{i % 2}"),
              [m]) for i, m in enumerate(mentions)]
    items.append((Article(id="two", text="Two mentions at once.", outlet="o1"), [_mention(40, "2024-05-02"),
                                                                                 _mention(41, "2024-05-02")]))
    with Store(tmp_path / "one.duckdb") as one, Store(tmp_path / "batch.duckdb") as batch:
        for article, found in items:
            one.add_article(article, found)
        results = [r for i in range(0, len(items), size) for r in batch.add_articles(items[i : i + size])]
        again = batch.add_articles(items[:3])
        assert _contents(batch) == _contents(one)
        merged = one.con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert all(r.added for r in results) and not any(r.added for r in again)
    assert merged < len(mentions) and sum(r.events_new for r in results) == merged


def test_a_bad_article_in_a_batch_fails_alone(tmp_path: Path) -> None:
    from dataclasses import replace

    bad = replace(_mention(7, "2024-05-02", source="FRA"), quad_class="not a number")  # DuckDB refuses it
    items = [(Article(id=f"d{i}", text=f"Sentence {i}. " * 3), [m])
             for i, m in enumerate([_mention(1, "2024-05-01"), bad, _mention(3, "2024-06-20")])]
    with Store(tmp_path / "b.duckdb") as store:
        results = store.add_articles(items)
        stored = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
    assert isinstance(results[1], Exception) and results[0].added and results[2].added
    assert stored == {"d0", "d2"}
