"""The event store: one DuckDB file, no server.

Ingest is idempotent (an article id already stored is skipped) and each article is written in one
transaction (its row, its mentions, the events they merge into), so a run killed at any moment can be
run again and stores every article exactly once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

import duckdb

from ..errors import EventwireError
from ..model import Article, Event, Failure
from ..resolve import merge_into, same_happening
from .follow import FollowMixin
from .query import EventFilter
from .schema import migrate

DEFAULT_DB = "eventwire.duckdb"
NEAR_DUPLICATE_BITS = 3
"""Articles whose 64-bit simhash differs in at most this many bits are one story republished."""


class StoreError(EventwireError):
    """The database file cannot be opened or is not an eventwire store."""


def default_path() -> Path:
    return Path(os.environ.get("EVENTWIRE_DB") or DEFAULT_DB)


def simhash(text: str) -> int:
    """A 64-bit simhash of word 3-grams: near-identical texts get near-identical hashes."""
    words = re.findall(r"\w+", text.lower())
    grams = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    weights = [0] * 64
    for gram in grams:
        h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def _bands(h: int) -> list[int]:
    return [(h >> (16 * i)) & 0xFFFF for i in range(4)]


def _key(actor) -> str:
    if actor is None:
        return ""
    countries = sorted(set(actor.countries))
    return ",".join(countries) if countries else (actor.sector or "")


@dataclass
class ArticleResult:
    added: bool
    events_new: int = 0
    mentions: int = 0
    group_id: str | None = None
    new_event_ids: tuple[str, ...] = ()


Interval = Literal["day", "week", "month", "year"]
INTERVALS: tuple[str, ...] = ("day", "week", "month", "year")


class Store(FollowMixin):
    """A DuckDB event store (read-only when ``read_only``).

    Every method takes the store's lock, so one store can serve the page's readers and a writer (the watcher,
    the API's ingest) from threads of one process: DuckDB allows one process to write a file at a time.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = read_only
        self.lock = threading.RLock()
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store; run `eventwire ingest` first")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.IOException, duckdb.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the store ({str(exc).splitlines()[0]})") from None
        if not read_only:
            migrate(self.con)
        else:
            tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "events" not in tables:
                raise StoreError(f"{self.path}: not an eventwire store")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # runs and failures -----------------------------------------------------------------------

    def begin_run(self, inputs: list[str]) -> str:
        from .. import __version__

        run_id = uuid.uuid4().hex[:12]
        with self.lock:
            self.con.execute("INSERT INTO runs (run_id, started, inputs, version) VALUES (?, now(), ?, ?)",
                             [run_id, json.dumps(inputs), __version__])
        return run_id

    def finish_run(self, run_id: str, *, articles: int, events: int, mentions: int, failures: int) -> None:
        with self.lock:
            self.con.execute(
                "UPDATE runs SET finished = now(), articles_added = ?, events_added = ?, mentions_added = ?, "
                "failures = ? WHERE run_id = ?", [articles, events, mentions, failures, run_id])

    def add_failure(self, failure: Failure, run_id: str | None = None) -> None:
        with self.lock:
            self.con.execute("INSERT INTO failures (input, reason, failed_at, run_id, stage, severity) "
                             "VALUES (?, ?, now(), ?, ?, ?)",
                             [failure.input, failure.reason, run_id, failure.stage, failure.severity])

    def failures(self, run_id: str | None = None) -> list[Failure]:
        where, params = ("run_id = ?", [run_id]) if run_id else ("TRUE", [])
        with self.lock:
            rows = self.con.execute(f"SELECT input, reason, stage, severity FROM failures WHERE {where} "
                                    "ORDER BY failed_at", params).fetchall()
        return [Failure(i, r, stage or "read", sev or "error") for i, r, stage, sev in rows]

    def known_ids(self) -> set[str]:
        with self.lock:
            return {r[0] for r in self.con.execute("SELECT id FROM articles").fetchall()}

    # writing ---------------------------------------------------------------------------------

    def _group_of(self, h: int) -> str | None:
        bands = _bands(h)
        rows = self.con.execute(
            "SELECT simhash, group_id FROM articles WHERE band0 = ? OR band1 = ? OR band2 = ? OR band3 = ?",
            bands).fetchall()
        for other, group in rows:
            if bin(int(other) ^ h).count("1") <= NEAR_DUPLICATE_BITS:
                return group
        return None

    def add_article(self, article: Article, mentions: list[Event], run_id: str | None = None) -> ArticleResult:
        """Store one article and its event mentions in one transaction; a stored id is skipped."""
        with self.lock:
            return self._add_article(article, mentions, run_id)

    def _add_article(self, article: Article, mentions: list[Event], run_id: str | None) -> ArticleResult:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            if con.execute("SELECT 1 FROM articles WHERE id = ?", [article.id]).fetchone():
                con.execute("ROLLBACK")
                return ArticleResult(False)
            h = simhash(article.text)
            group = self._group_of(h) or article.id
            con.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
                [article.id, article.title, article.published, article.url, article.outlet, article.lang,
                 article.source_path, article.text, len(article.text), h, *_bands(h), group, run_id])
            new = [event_id for mention in mentions if (event_id := self._add_mention(article, mention))]
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return ArticleResult(True, len(new), len(mentions), group, tuple(new))

    def _add_mention(self, article: Article, mention: Event) -> str | None:
        """Store one mention, merged into the event of the same happening; the id of the event if it is new."""
        con = self.con
        skey, tkey = _key(mention.source), _key(mention.target)
        rows = con.execute(
            "SELECT event_id, record FROM events WHERE event_type = ? AND source_key = ? AND factuality = ? "
            "AND (target_key = ? OR target_key = '' OR ? = '')",
            [mention.event_type, skey, mention.factuality, tkey, tkey]).fetchall()
        target_event = None
        for event_id, record in rows:
            existing = Event.from_dict(json.loads(record))
            if same_happening(existing, mention):
                target_event = (event_id, existing)
                break
        new = None
        if target_event is None:
            event = mention
            event_id = mention.event_id
            con.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, now(), ?, ?)",
                [event_id, *self._event_columns(event, skey, tkey), 1 if article.outlet else 0,
                 json.dumps(event.to_dict(), ensure_ascii=False), event.lang])
            new = event_id
        else:
            event_id, existing = target_event
            event = merge_into(existing, mention)
            con.execute(
                "UPDATE events SET date = ?, date_precision = ?, day = ?, location_name = ?, location_country = ?, "
                "lat = ?, lon = ?, confidence = ?, target_key = ?, target_code = ?, target_country = ?, "
                "record = ? WHERE event_id = ?",
                [*self._mutable_columns(event, tkey), json.dumps(event.to_dict(), ensure_ascii=False), event_id])
        con.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [f"{article.id}:{mention.event_id}", event_id, article.id, article.outlet,
                     mention.evidence.sentence, mention.evidence.start, mention.evidence.end,
                     mention.evidence.trigger, json.dumps(mention.to_dict(), ensure_ascii=False)])
        con.execute(
            "UPDATE events SET n_mentions = (SELECT count(*) FROM mentions WHERE event_id = ?), "
            "n_articles = (SELECT count(DISTINCT doc_id) FROM mentions WHERE event_id = ?), "
            "n_outlets = (SELECT count(DISTINCT outlet) FROM mentions WHERE event_id = ?) WHERE event_id = ?",
            [event_id] * 4)
        for _role, actor in (("source", mention.source), ("target", mention.target)):
            if actor is not None:
                for party in actor.members or (actor,):
                    con.execute("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [party.code, party.country, party.sector, party.name, party.text, article.id,
                                 event_id])
        return new

    @staticmethod
    def _event_columns(e: Event, skey: str, tkey: str) -> list[Any]:
        loc = e.location
        return [e.event_type, e.mode, e.cameo, e.quad_class, e.goldstein, skey, tkey,
                e.source.code if e.source else None, e.target.code if e.target else None,
                e.source.country if e.source else None, e.target.country if e.target else None,
                e.date, e.date_precision, _first_day(e.date),
                loc.name if loc else None, loc.country if loc else None, loc.lat if loc else None,
                loc.lon if loc else None, e.factuality, e.confidence]

    @staticmethod
    def _mutable_columns(e: Event, tkey: str) -> list[Any]:
        loc = e.location
        return [e.date, e.date_precision, _first_day(e.date), loc.name if loc else None,
                loc.country if loc else None, loc.lat if loc else None, loc.lon if loc else None, e.confidence,
                _key(e.target) or tkey, e.target.code if e.target else None, e.target.country if e.target else None]

    # reading ---------------------------------------------------------------------------------

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        with self.lock:
            return self.con.execute(sql, params or []).fetchall()

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self._rows(sql)[0][0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "article_groups": one("SELECT count(DISTINCT group_id) FROM articles"),
            "events": one("SELECT count(*) FROM events"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "failures": one("SELECT count(*) FROM failures"),
            "runs": one("SELECT count(*) FROM runs"),
            "by_type": dict(self._rows("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC")),
        }

    def events(self, flt: EventFilter | None = None, *, limit: int | None = None, offset: int = 0,
               newest_first: bool = False) -> list[Event]:
        """The events that match ``flt`` (all without one), oldest first, or newest first."""
        where, params = (flt or EventFilter()).sql()
        order = "day DESC NULLS LAST, event_id" if newest_first else "day NULLS LAST, event_id"
        sql = f"SELECT record FROM events WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return [Event.from_dict(json.loads(r[0])) for r in self._rows(sql, params)]

    def count(self, flt: EventFilter | None = None) -> int:
        where, params = (flt or EventFilter()).sql()
        return self._rows(f"SELECT count(*) FROM events WHERE {where}", params)[0][0]

    def page(self, flt: EventFilter | None, limit: int, offset: int = 0) -> tuple[list[Event], int]:
        """One page of events, newest first, and how many match in all."""
        with self.lock:
            return self.events(flt, limit=limit, offset=offset, newest_first=True), self.count(flt)

    def timeline(self, flt: EventFilter | None = None, interval: Interval = "month") -> list[dict[str, Any]]:
        """Event counts per period by QuadClass, oldest period first; periods without events are left out."""
        if interval not in INTERVALS:
            raise EventwireError(f"interval '{interval}' is not known; use one of {', '.join(INTERVALS)}")
        where, params = (flt or EventFilter()).sql()
        rows = self._rows(f"SELECT date_trunc('{interval}', day) AS period, quad_class, count(*) FROM events "
                          f"WHERE day IS NOT NULL AND {where} GROUP BY 1, 2 ORDER BY 1", params)
        buckets: dict[str, dict[str, Any]] = {}
        for period, quad, n in rows:
            key = period.isoformat()[:10]
            b = buckets.setdefault(key, {"period": key, "quad_class": {"1": 0, "2": 0, "3": 0, "4": 0},
                                         "cooperation": 0, "conflict": 0})
            b["quad_class"][str(quad)] += n
            b["cooperation" if quad in (1, 2) else "conflict"] += n
        return list(buckets.values())

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """One event with its counts and every mention with the article it came from; None if unknown."""
        with self.lock:
            row = self._rows("SELECT record, n_mentions, n_articles, n_outlets FROM events WHERE event_id = ?",
                             [event_id])
            if not row:
                return None
            mentions = self._rows(
                "SELECT m.record, a.title, a.url, a.outlet, a.published FROM mentions m "
                "LEFT JOIN articles a ON a.id = m.doc_id WHERE m.event_id = ? ORDER BY m.mention_id", [event_id])
        record, n_mentions, n_articles, n_outlets = row[0]
        event = json.loads(record)
        event.update(n_mentions=n_mentions, n_articles=n_articles, n_outlets=n_outlets)
        return {"event": event, "mentions": [
            {**json.loads(m[0]), "article": {"title": m[1], "url": m[2], "outlet": m[3],
                                             "published": m[4].isoformat() if m[4] else None}}
            for m in mentions]}

    def new_events(self, after: str | None = None, limit: int = 200) -> tuple[list[dict[str, Any]], str | None]:
        """Events first stored after the cursor ``after`` (from an earlier call; None: the newest ``limit``), in
        the order they were stored, and the cursor to ask with next time. The page follows the store with it."""
        with self.lock:
            if after is None:
                rows = self._rows("SELECT record, strftime(first_seen, '%Y-%m-%dT%H:%M:%S.%f'), event_id "
                                  "FROM events ORDER BY first_seen DESC, event_id DESC LIMIT ?", [limit])[::-1]
            else:
                stamp, _, last_id = after.partition("|")
                try:
                    datetime.fromisoformat(stamp)
                except ValueError:
                    raise EventwireError(f"cursor '{after[:80]}' is not one this store gave; ask without one") from None
                rows = self._rows(
                    "SELECT record, strftime(first_seen, '%Y-%m-%dT%H:%M:%S.%f'), event_id FROM events "
                    "WHERE first_seen > CAST(? AS TIMESTAMP) OR (first_seen = CAST(? AS TIMESTAMP) AND event_id > ?) "
                    "ORDER BY first_seen, event_id LIMIT ?", [stamp, stamp, last_id, limit])
        cursor = f"{rows[-1][1]}|{rows[-1][2]}" if rows else after
        return [json.loads(r[0]) for r in rows], cursor

    def situation(self, country: str) -> dict[str, Any]:
        """Foreign military presence in ``country`` (ISO-3) and each partner's timeline (see situation.py)."""
        from ..situation import build_situation

        with self.lock:
            return build_situation(self, country)

    def export_rows(self, flt: EventFilter | None = None) -> Iterator[tuple[Event, dict[str, int], str]]:
        """(event, its counts, the URL of its first mention) for every event, oldest first."""
        where, params = (flt or EventFilter()).sql()
        rows = self._rows(
            "SELECT record, n_mentions, n_articles, n_outlets, "
            "(SELECT a.url FROM mentions m JOIN articles a ON a.id = m.doc_id WHERE m.event_id = events.event_id "
            f"ORDER BY m.mention_id LIMIT 1) FROM events WHERE {where} ORDER BY day NULLS LAST, event_id", params)
        for record, n_mentions, n_articles, n_outlets, url in rows:
            yield (Event.from_dict(json.loads(record)),
                   {"n_mentions": n_mentions, "n_articles": n_articles, "n_outlets": n_outlets}, url or "")

    def export(self, fmt: str, output: Path | None = None, stream: IO[str] | None = None,
               flt: EventFilter | None = None) -> int:
        """Write every event (matching ``flt``) as ``fmt`` to the file ``output`` or to ``stream``; the count.
        A file is written beside its final name and moved into place, so a failed export leaves no half file."""
        from .export import FORMATS, export_parquet, write_export

        if fmt not in FORMATS:
            raise EventwireError(f"export format '{fmt}' is not known; use one of {', '.join(FORMATS)}")
        if output is not None:
            folder = output.parent if str(output.parent) else Path(".")
            if not folder.is_dir():
                raise EventwireError(f"{output}: the folder {folder} does not exist; create it or write elsewhere")
            if output.is_dir():
                raise EventwireError(f"{output} is a folder; give a file name, e.g. {output / ('events.' + fmt)}")
        part = output.with_name(output.name + ".part") if output is not None else None
        try:
            if fmt == "parquet":
                if part is None:
                    raise EventwireError("the parquet format needs an output file")
                where, params = (flt or EventFilter()).sql()
                with self.lock:
                    n = export_parquet(self.con, where, params, part)
            elif part is not None:
                with part.open("w", encoding="utf-8", newline="") as out:
                    n = write_export(self.export_rows(flt), fmt, out)
            else:
                n = write_export(self.export_rows(flt), fmt, stream)
            if part is not None:
                part.replace(output)
        except OSError as exc:
            raise EventwireError(f"{output}: cannot write the export ({exc.strerror or exc})") from None
        finally:
            if part is not None and part.exists():
                part.unlink()
        return n


def _first_day(iso: str | None):
    if not iso:
        return None
    parts = [*iso.split("-"), "01", "01"]
    try:
        return datetime(int(parts[0]), int(parts[1]), int(parts[2])).date()
    except ValueError:
        return None
