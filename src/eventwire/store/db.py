"""The event store: one DuckDB file, no server.

Ingest is idempotent (an article id already stored is skipped) and each article is written in one
transaction (its row, its mentions, the events they merge into), so a run killed at any moment can be
run again and stores every article exactly once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

import duckdb
import numpy

from ..errors import EventwireError
from ..model import Article, Event, Failure
from ..resolve import date_key, merge_into, merge_key, same_happening, window_keys
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
    """A 64-bit simhash of word 3-grams: near-identical texts get near-identical hashes. (Each bit is set where most
    of the grams' 64-bit blake2b digests set it; counted column-wise, as a Python loop over bits costs more than
    storing the article.)"""
    words = re.findall(r"\w+", text.lower())
    grams = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    digests = numpy.frombuffer(b"".join(hashlib.blake2b(g.encode(), digest_size=8).digest() for g in grams),
                               dtype=">u8").astype(numpy.uint64)
    set_counts = ((digests[:, None] >> _BITS) & numpy.uint64(1)).sum(axis=0)
    return sum(1 << bit for bit in range(64) if 2 * int(set_counts[bit]) > len(grams))


_BITS = numpy.arange(64, dtype=numpy.uint64)


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

    def add_article(self, article: Article, mentions: list[Event], run_id: str | None = None) -> ArticleResult:
        """Store one article and its event mentions in one transaction; a stored id is skipped."""
        result = self.add_articles([(article, mentions)], run_id)[0]
        if isinstance(result, Exception):
            raise result
        return result

    def add_articles(self, items: Sequence[tuple[Article, list[Event]]],
                     run_id: str | None = None) -> list[ArticleResult | Exception]:
        """Store articles and their event mentions, all in one transaction and a few statements (a statement costs
        DuckDB about as much as a mention, and a commit more); a stored id is skipped. Should the batch fail, each
        article is stored again in its own transaction, and one that still fails gets its error in its place: one
        bad article never costs the others."""
        with self.lock:
            con = self.con
            con.execute("BEGIN TRANSACTION")
            try:
                results: list[ArticleResult | Exception] = list(_Batch(self, run_id).write(items))
                con.execute("COMMIT")
                return results
            except Exception as exc:
                con.execute("ROLLBACK")
                if len(items) == 1:
                    return [exc]
        return [self.add_articles([item], run_id)[0] for item in items]

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
        if limit is None:
            sql = f"SELECT record FROM events WHERE {_by_rowid(where)} ORDER BY {order}"
        else:  # the page is chosen on the sort keys alone, then only its records are read
            sql = (f"SELECT record FROM events WHERE rowid IN (SELECT rowid FROM events WHERE {where} "
                   f"ORDER BY {order} LIMIT ? OFFSET ?) ORDER BY {order}")
            params = [*params, limit, offset]
        return [Event.from_dict(json.loads(r[0])) for r in self._rows(sql, params)]

    def count(self, flt: EventFilter | None = None) -> int:
        where, params = (flt or EventFilter()).sql()
        return self._rows(f"SELECT count(*) FROM events WHERE {where}", params)[0][0]

    def page(self, flt: EventFilter | None, limit: int, offset: int = 0) -> tuple[list[Event], int]:
        """One page of events, newest first, and how many match in all."""
        where, params = (flt or EventFilter()).sql()
        with self.lock:
            if where == "TRUE":
                return self.events(flt, limit=limit, offset=offset, newest_first=True), self.count(flt)
            # one pass of the filter gives the total and the page (chosen on the sort keys, then its records read)
            order = "day DESC NULLS LAST, event_id"
            [(total, records)] = self._rows(
                f"WITH m AS MATERIALIZED (SELECT rowid AS r, day, event_id FROM events WHERE {where}), "
                f"p AS (SELECT r FROM m ORDER BY {order} LIMIT ? OFFSET ?) "
                f"SELECT (SELECT count(*) FROM m), (SELECT list(record ORDER BY {order}) FROM events "
                "WHERE rowid IN (SELECT r FROM p))", [*params, limit, offset])
        return [Event.from_dict(json.loads(r)) for r in records or ()], total

    def top_dyads(self, flt: EventFilter | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """The dyads (source and target as the store keys them: their countries, or their sector) with the most
        events matching ``flt``, most first, with how many of those are conflict (QuadClass 3 and 4)."""
        where, params = (flt or EventFilter()).sql()
        rows = self._rows(
            "SELECT source_key, target_key, count(*), count(*) FILTER (WHERE quad_class >= 3) FROM events "
            f"WHERE source_key <> '' AND target_key <> '' AND {where} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
            [*params, limit])
        return [{"source": s, "target": t, "events": n, "conflict": c} for s, t, n, c in rows]

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

    def situation_rows(self, country: str, presence_types: tuple[str, ...], expel_types: tuple[str, ...],
                       expel_modes: tuple[str, ...], expel_cameos: tuple[str, ...]) -> tuple[int, list[tuple]]:
        """How many events ``country`` has (``EventFilter(country=...)``), and those the situation view reads, in
        its order (date, no date last, then id): the events with the country among their actors' countries, or that
        may tell of foreign forces there (a movement placed in the country or aimed at it, an expulsion by it) or
        name troops. Each as (event_id, date, date_precision, type, mode, quad_class, source code, target code,
        factuality, place name, evidence sentence, doc_id, source members, source members' countries joined by
        commas, source country, the same three of the target, record). The columns hold the record's values (both
        are written together); the sentence, doc_id and actors are read from the record by DuckDB, and the record
        itself is handed over only for the events that may tell of foreign forces or name troops."""
        flt = EventFilter(country=country)
        where, params = flt.sql()

        def has(actor: int) -> str:  # ``country`` is among Actor.countries: its members' countries, or its own
            return f"(CASE WHEN coalesce(n{actor}, 0) > 0 THEN list_contains(m{actor}, ?) ELSE c{actor} = ? END)"

        def among(values: tuple[str, ...]) -> str:
            return "(" + ", ".join("?" for _ in values) + ")"

        sql = (
            "WITH v AS (SELECT *, json_extract_string(record, ['$.evidence.sentence', '$.doc_id', '$.source', "
            f"'$.target']) AS j FROM events WHERE {_by_rowid(where)}), "
            "w AS (SELECT *, json_array_length(j[3], '$.members') AS n1, "
            "json_extract_string(j[3], '$.members[*].country') AS m1, json_extract_string(j[3], '$.country') AS c1, "
            "json_array_length(j[4], '$.members') AS n2, json_extract_string(j[4], '$.members[*].country') AS m2, "
            "json_extract_string(j[4], '$.country') AS c2 FROM v), "
            "x AS (SELECT *, (factuality IS DISTINCT FROM 'negated' AND ("
            f"(event_type IN {among(presence_types)} AND (location_country = ? OR {has(2)})) OR "
            f"(event_type IN {among(expel_types)} AND {has(1)} AND (mode IN {among(expel_modes)} OR "
            f"{' OR '.join('starts_with(cameo, ?)' for _ in expel_cameos)})))) "
            "OR contains(record, '\"troops\"') AS told FROM w) "
            "SELECT event_id, date, date_precision, event_type, mode, quad_class, source_code, target_code, "
            "factuality, location_name, j[1], j[2], n1, array_to_string(m1, ','), c1, n2, array_to_string(m2, ','), "
            f"c2, CASE WHEN told THEN record END FROM x WHERE told OR {has(1)} OR {has(2)} "
            "ORDER BY coalesce(nullif(date, ''), '9999'), event_id")
        rows = self._rows(sql, [*params, *presence_types, country, country, country, *expel_types, country, country,
                                *expel_modes, *expel_cameos, *[country] * 4])
        return self.count(flt), rows

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
            f"ORDER BY m.mention_id LIMIT 1) FROM events WHERE {_by_rowid(where)} ORDER BY day NULLS LAST, event_id",
            params)
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



@dataclass
class _Candidate:
    """An event a mention may merge into, as this batch knows it: its row's place in the table (written order), the
    columns the merge reads, and its record (read from its JSON when first asked: most candidates are never)."""

    order: tuple[int, int]  # (0, rowid) for a stored event, (1, n) for the n-th new one of the batch
    event_id: str
    event_type: str | None
    source_key: str | None
    factuality: str | None
    target_key: str | None
    merge_key: str | None
    record: Event | str
    new: bool = False

    @property
    def event(self) -> Event:
        if isinstance(self.record, str):
            self.record = Event.from_dict(json.loads(self.record))
        return self.record


class _Batch:
    """The writes of a batch of articles, read and written in bulk: which ids are stored, the near-duplicate groups,
    the events each mention may merge into (one look-up by merge key for the whole batch); then one insert per table
    and one update per stored event a mention merged into. The merge decisions are those of storing the articles
    one by one, in order: the batch's own new and merged events are the ones later mentions see."""

    def __init__(self, store: Store, run_id: str | None) -> None:
        self.store, self.con, self.run_id = store, store.con, run_id
        self.touched: dict[str, _Candidate] = {}  # events new or merged into in this batch, in written order
        self.written = 0
        self.prefetched: dict[str, list[_Candidate]] = {}  # merge key -> stored events, as read before the batch
        self.mention_rows: list[list[Any]] = []
        self.mention_ids: set[str] = set()
        self.actor_rows: list[list[Any]] = []

    def write(self, items: Sequence[tuple[Article, list[Event]]]) -> list[ArticleResult]:
        ids = list(dict.fromkeys(a.id for a, _ in items))
        stored = {r[0] for r in self.con.execute(
            f"SELECT id FROM articles WHERE id IN ({_marks(len(ids))})", ids).fetchall()}
        results = [ArticleResult(False) for _ in items]  # a stored id (or one twice in the batch) is skipped
        fresh: list[tuple[int, Article, list[Event], int]] = []
        for n, (article, mentions) in enumerate(items):
            if article.id not in stored:
                stored.add(article.id)
                fresh.append((n, article, mentions, simhash(article.text)))
        if not fresh:
            return results
        groups = self._groups([(a.id, h) for _n, a, _m, h in fresh])
        self._insert("INSERT INTO articles VALUES ", f"({_marks(16)}, now())", [
            (article.id, article.title, article.published, article.url, article.outlet, article.lang,
             article.source_path, article.text, len(article.text), h, *_bands(h), group, self.run_id)
            for (_n, article, _m, h), group in zip(fresh, groups, strict=True)])
        self._prefetch([m for _n, _a, mentions, _h in fresh for m in mentions])
        for (n, article, mentions, _h), group in zip(fresh, groups, strict=True):
            new = [event_id for mention in mentions if (event_id := self._add_mention(article, mention))]
            results[n] = ArticleResult(True, len(new), len(mentions), group, tuple(new))
        self._flush()
        return results

    def _groups(self, fresh: list[tuple[str, int]]) -> list[str]:
        """The group of each new article: that of the first article written before it (stored, or earlier in the
        batch) within NEAR_DUPLICATE_BITS; the stored candidates share one of its four 16-bit bands (indexed)."""
        hashes = [h for _id, h in fresh]
        bands = [_bands(h) for h in hashes]
        sql = " UNION ALL ".join(
            f"SELECT rowid AS r, simhash, group_id FROM articles WHERE band{i} IN ({_marks(len(hashes))})"
            for i in range(4))
        rows = self.con.execute(f"SELECT DISTINCT r, simhash, group_id FROM ({sql}) ORDER BY r",
                                [b[i] for i in range(4) for b in bands]).fetchall()
        known = [(int(other), group) for _r, other, group in rows]
        out: list[str] = []
        for (article_id, h), own in zip(fresh, bands, strict=True):
            group = next((g for other, g in known if bin(other ^ h).count("1") <= NEAR_DUPLICATE_BITS
                          and any(a == b for a, b in zip(_bands(other), own, strict=True))), article_id)
            out.append(group)
            known.append((h, group))  # written after every stored one
        return out

    def _prefetch(self, mentions: list[Event]) -> None:
        """The stored events of every date window the batch's mentions fall in, by merge key (indexed)."""
        keys = sorted({base + k for m in mentions if (ks := window_keys(m.date)) is not None
                       and (base := merge_key(m.event_type, m.factuality, _key(m.source), "")) is not None
                       for k in ks})
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            for row in self.con.execute(
                    "SELECT rowid, event_id, event_type, source_key, factuality, target_key, merge_key, record "
                    f"FROM events WHERE merge_key IN ({_marks(len(part))})", part).fetchall():
                rowid, event_id, kind, source, fact, target, key, record = row
                self.prefetched.setdefault(key, []).append(_Candidate(
                    (0, rowid), event_id, kind, source, fact, target, key, record))

    def _candidates(self, mention: Event, skey: str, tkey: str) -> list[_Candidate]:
        keys = window_keys(mention.date)
        base = merge_key(mention.event_type, mention.factuality, skey, "")
        if base is None:
            return []
        if keys is None:
            # an unusual or missing date: every event of its type, source and factuality
            stored = [_Candidate((0, rowid), event_id, mention.event_type, skey, mention.factuality, target, key,
                                 record)
                      for rowid, event_id, target, key, record in self.con.execute(
                          "SELECT rowid, event_id, target_key, merge_key, record FROM events WHERE event_type = ? "
                          "AND source_key = ? AND factuality = ?",
                          [mention.event_type, skey, mention.factuality]).fetchall()]
            mine = [c for c in self.touched.values() if (c.event_type, c.source_key, c.factuality)
                    == (mention.event_type, skey, mention.factuality)]
        else:
            wanted = {base + k for k in keys}
            stored = [c for key in wanted for c in self.prefetched.get(key, ())]
            mine = [c for c in self.touched.values() if c.merge_key in wanted]
        found = {c.event_id: c for c in stored if c.event_id not in self.touched}
        found.update((c.event_id, c) for c in mine)
        return sorted((c for c in found.values() if c.event_type == mention.event_type and c.source_key == skey
                       and c.factuality == mention.factuality
                       and (c.target_key == tkey or c.target_key == "" or tkey == "")), key=lambda c: c.order)

    def _next(self) -> tuple[int, int]:
        self.written += 1
        return (1, self.written)

    def _add_mention(self, article: Article, mention: Event) -> str | None:
        """One mention, merged into the event of the same happening (the first, in written order, of the same type,
        source and factuality with a compatible target, that ``same_happening`` takes for it); the id of the event
        if it is new."""
        skey, tkey = _key(mention.source), _key(mention.target)
        into = next((c for c in self._candidates(mention, skey, tkey) if same_happening(c.event, mention)), None)
        new = None
        if into is None:
            event_id = mention.event_id
            if event_id in self.touched:  # as a stored one, its row will refuse it
                raise EventwireError(f"event {event_id} is written twice")
            self.touched[event_id] = _Candidate(self._next(), event_id, mention.event_type, skey,
                                                mention.factuality, tkey, _merge_key(mention, skey), mention,
                                                new=True)
            new = event_id
        else:
            # a row DuckDB updates is written anew, after every other: it moves to the end of the written order
            event_id = into.event_id
            event = merge_into(into.event, mention)
            self.touched.pop(event_id, None)
            self.touched[event_id] = replace(into, order=self._next(), record=event,
                                             target_key=_key(event.target) or tkey, merge_key=_merge_key(event, skey))
        mention_id = f"{article.id}:{mention.event_id}"
        if mention_id not in self.mention_ids:
            self.mention_ids.add(mention_id)
            self.mention_rows.append([mention_id, event_id, article.id, article.outlet, mention.evidence.sentence,
                                      mention.evidence.start, mention.evidence.end, mention.evidence.trigger,
                                      json.dumps(mention.to_dict(), ensure_ascii=False)])
        for actor in (mention.source, mention.target):
            if actor is not None:
                self.actor_rows.extend([party.code, party.country, party.sector, party.name, party.text, article.id,
                                        event_id] for party in actor.members or (actor,))
        return new

    def _flush(self) -> None:
        """The batch's rows, in the order the events were touched: new events, mentions and actors, and each stored
        event a mention merged into, with its fields and its counts (those of its stored mentions, read once for the
        batch, plus the batch's: a count per update cost more than the update)."""
        counts: dict[str, tuple[set[str], set[str], set[str]]] = {}
        for row in self.mention_rows:
            seen = counts.setdefault(row[1], (set(), set(), set()))
            seen[0].add(row[0])
            seen[1].add(row[2])
            if row[3] is not None:
                seen[2].add(row[3])
        stored = [c.event_id for c in self.touched.values() if not c.new]
        before: dict[str, tuple[int, int, set[str]]] = {}  # a stored event's mentions, articles and outlets so far
        for i in range(0, len(stored), 500):
            part = stored[i : i + 500]
            for event_id, n, docs, outlets in self.con.execute(
                    "SELECT event_id, count(*), count(DISTINCT doc_id), list(DISTINCT outlet) FILTER "
                    f"(outlet IS NOT NULL) FROM mentions WHERE event_id IN ({_marks(len(part))}) GROUP BY event_id",
                    part).fetchall():
                before[event_id] = (n, docs, set(outlets or ()))
        self._insert("INSERT INTO mentions VALUES ", f"({_marks(9)})", self.mention_rows)
        self._insert("INSERT INTO actors VALUES ", f"({_marks(7)})", self.actor_rows)
        store = self.store
        for is_new, group in itertools.groupby(self.touched.values(), key=lambda c: c.new):  # in the order touched
            part = list(group)
            if is_new:
                self._insert(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, first_seen) VALUES ",
                             f"({_marks(len(EVENT_COLUMNS))}, now())", [
                                 (c.event_id, *store._event_columns(c.event, c.source_key or "", c.target_key or ""),
                                  *(len(s) for s in counts.get(c.event_id, (set(), set(), set()))),
                                  json.dumps(c.event.to_dict(), ensure_ascii=False), c.event.lang, c.merge_key)
                                 for c in part])
            else:
                for c in part:  # the batch's mentions and articles are new ones
                    n, docs, outlets = before.get(c.event_id, (0, 0, set()))
                    mine = counts.get(c.event_id, (set(), set(), set()))
                    self._update_event(c, (n + len(mine[0]), docs + len(mine[1]), len(outlets | mine[2])))

    def _insert(self, head: str, row: str, rows: Sequence[Sequence[Any]], chunk: int = 200) -> None:
        """``rows`` written with ``head`` and one ``row`` of placeholders each, a few hundred per statement."""
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            self.con.execute(head + ", ".join([row] * len(part)), [v for r in part for v in r])

    def _update_event(self, c: _Candidate, counts: tuple[int, int, int]) -> None:
        self.con.execute(
            "UPDATE events SET date = ?, date_precision = ?, day = ?, location_name = ?, location_country = ?, "
            "lat = ?, lon = ?, confidence = ?, target_key = ?, target_code = ?, target_country = ?, "
            "record = ?, merge_key = ?, n_mentions = ?, n_articles = ?, n_outlets = ? WHERE event_id = ?",
            [*self.store._mutable_columns(c.event, c.target_key or ""),
             json.dumps(c.event.to_dict(), ensure_ascii=False), c.merge_key, *counts, c.event_id])


EVENT_COLUMNS = ("event_id", "event_type", "mode", "cameo", "quad_class", "goldstein", "source_key", "target_key",
                 "source_code", "target_code", "source_country", "target_country", "date", "date_precision", "day",
                 "location_name", "location_country", "lat", "lon", "factuality", "confidence", "n_mentions",
                 "n_articles", "n_outlets", "record", "lang", "merge_key")
"""The columns of a new event row (with first_seen, the time it is written)."""


def _marks(n: int) -> str:
    """``n`` SQL placeholders."""
    return ", ".join("?" * n)


def _by_rowid(where: str) -> str:
    """``where`` as a filter on rowids: DuckDB then reads the records (large) of the matching rows only, where an OR
    of conditions over the small columns would have it read every record before filtering."""
    if where == "TRUE":
        return where
    return f"rowid IN (SELECT rowid FROM events WHERE {where})"


def _merge_key(e: Event, skey: str) -> str | None:
    return merge_key(e.event_type, e.factuality, skey, date_key(e.date))


def _first_day(iso: str | None):
    if not iso:
        return None
    parts = [*iso.split("-"), "01", "01"]
    try:
        return datetime(int(parts[0]), int(parts[1]), int(parts[2])).date()
    except ValueError:
        return None
