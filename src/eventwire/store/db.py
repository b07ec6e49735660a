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
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from ..errors import EventwireError
from ..model import Article, Event
from ..resolve import merge_into, same_happening
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


class Store:
    """A DuckDB event store (read-only when ``read_only``)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
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
        self.con.execute("INSERT INTO runs (run_id, started, inputs, version) VALUES (?, now(), ?, ?)",
                         [run_id, json.dumps(inputs), __version__])
        return run_id

    def finish_run(self, run_id: str, *, articles: int, events: int, mentions: int, failures: int) -> None:
        self.con.execute(
            "UPDATE runs SET finished = now(), articles_added = ?, events_added = ?, mentions_added = ?, "
            "failures = ? WHERE run_id = ?", [articles, events, mentions, failures, run_id])

    def add_failure(self, input: str, reason: str, run_id: str | None = None) -> None:
        self.con.execute("INSERT INTO failures VALUES (?, ?, now(), ?)", [input, reason, run_id])

    def known_ids(self) -> set[str]:
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
            new = 0
            for mention in mentions:
                new += self._add_mention(article, mention)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return ArticleResult(True, new, len(mentions), group)

    def _add_mention(self, article: Article, mention: Event) -> int:
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
        new = 0
        if target_event is None:
            event = mention
            event_id = mention.event_id
            con.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, now(), ?, ?)",
                [event_id, *self._event_columns(event, skey, tkey), 1 if article.outlet else 0,
                 json.dumps(event.to_dict(), ensure_ascii=False), event.lang])
            new = 1
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

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "article_groups": one("SELECT count(DISTINCT group_id) FROM articles"),
            "events": one("SELECT count(*) FROM events"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "failures": one("SELECT count(*) FROM failures"),
            "runs": one("SELECT count(*) FROM runs"),
            "by_type": dict(self.con.execute(
                "SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall()),
        }

    def events(self, where: str = "TRUE", params: list[Any] | None = None, *, limit: int | None = None,
               offset: int = 0, order: str = "day NULLS LAST, event_id") -> Iterator[Event]:
        sql = f"SELECT record FROM events WHERE {where} ORDER BY {order}"
        args = list(params or [])
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        for (record,) in self.con.execute(sql, args).fetchall():
            yield Event.from_dict(json.loads(record))


def _first_day(iso: str | None):
    if not iso:
        return None
    parts = [*iso.split("-"), "01", "01"]
    try:
        return datetime(int(parts[0]), int(parts[1]), int(parts[2])).date()
    except ValueError:
        return None
