"""What the store keeps for following the news: each watched source's health and HTTP validators, the items
taken from it, the alerts kept as filters and each event delivered to each alert.

A mixin of ``Store`` (it uses the store's connection and lock), so that the watcher and the alerts hold no SQL.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from ..model import Article, Event
from .query import EventFilter

ITEM_DONE = ("stored", "failed")
"""An item in one of these states is never fetched again; 'retry' items are, up to the watcher's limit."""


@dataclass
class SourceHealth:
    """One row of `eventwire sources`."""

    source: str
    kind: str
    last_checked: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_errors: int
    items_seen: int
    articles_stored: int
    events_new: int
    failures: int

    @property
    def health(self) -> str:
        """ok (the last check worked), failing (the last check failed), or new (never checked)."""
        if self.last_checked is None:
            return "new"
        return "failing" if self.consecutive_errors else "ok"

    def to_dict(self) -> dict[str, Any]:
        out = {k: (v.isoformat(timespec="seconds") if isinstance(v, datetime) else v) for k, v in vars(self).items()}
        return {**out, "health": self.health}


class FollowMixin:
    """Source state, seen items, alerts and deliveries (see the module docstring)."""

    con: duckdb.DuckDBPyConnection
    lock: threading.RLock

    # sources ------------------------------------------------------------------------------------

    def add_source(self, source: str, kind: str) -> None:
        with self.lock:
            self.con.execute("INSERT INTO sources (source, kind, added) VALUES (?, ?, now()) ON CONFLICT DO NOTHING",
                             [source, kind])

    def validators(self, source: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified the source answered last, for a conditional GET."""
        with self.lock:
            row = self.con.execute("SELECT etag, last_modified FROM sources WHERE source = ?", [source]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def source_checked(self, source: str, *, error: str | None = None, etag: str | None = None,
                       last_modified: str | None = None, items: int = 0, stored: int = 0, events: int = 0,
                       failures: int = 0) -> None:
        """Record one check of ``source``: its counts, and its error (None: the check worked)."""
        with self.lock:
            if error is None:
                self.con.execute(
                    "UPDATE sources SET last_checked = now(), last_success = now(), consecutive_errors = 0, "
                    "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                    "items_seen = items_seen + ?, articles_stored = articles_stored + ?, events_new = events_new + ?, "
                    "failures = failures + ? WHERE source = ?",
                    [etag, last_modified, items, stored, events, failures, source])
            else:
                self.con.execute(
                    "UPDATE sources SET last_checked = now(), last_error = ?, last_error_at = now(), "
                    "consecutive_errors = consecutive_errors + 1, failures = failures + ? + 1 WHERE source = ?",
                    [error, failures, source])

    def sources(self) -> list[SourceHealth]:
        with self.lock:
            rows = self.con.execute(
                "SELECT source, kind, last_checked, last_success, last_error, last_error_at, consecutive_errors, "
                "items_seen, articles_stored, events_new, failures FROM sources ORDER BY added, source").fetchall()
        return [SourceHealth(*row) for row in rows]

    def item_state(self, source: str, item: str) -> tuple[str, int] | None:
        """(status, attempts) of an item of ``source``, or None when it was never taken."""
        with self.lock:
            row = self.con.execute("SELECT status, attempts FROM source_items WHERE source = ? AND item = ?",
                                   [source, item]).fetchone()
        return (row[0], row[1]) if row else None

    def mark_item(self, source: str, item: str, status: str, article_id: str | None = None,
                  article: Article | None = None) -> None:
        """Record what became of an item: fetched (its article kept here until it is stored), stored, failed (for
        good) or retry (a passing error). A stored or failed item lets its kept article go."""
        record = json.dumps(article.to_dict(), default=str) if article is not None else None
        with self.lock:
            self.con.execute(
                "INSERT INTO source_items VALUES (?, ?, ?, ?, 1, now(), ?) ON CONFLICT (source, item) DO UPDATE SET "
                "status = excluded.status, article_id = coalesce(excluded.article_id, source_items.article_id), "
                "attempts = source_items.attempts + 1, seen_at = now(), article = excluded.article",
                [source, item, article_id, status, record])

    def fetched_article(self, source: str, item: str) -> Article | None:
        """The article of an item fetched but not yet stored (a run stopped in between): no second download."""
        with self.lock:
            row = self.con.execute("SELECT article FROM source_items WHERE source = ? AND item = ? AND "
                                   "status = 'fetched'", [source, item]).fetchone()
        return Article.from_dict(json.loads(row[0])) if row and row[0] else None

    def has_article(self, article_id: str) -> bool:
        with self.lock:
            return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    # alerts -------------------------------------------------------------------------------------

    def keep_alert(self, spec: str, target: str) -> str:
        """Keep a filter as an alert (the same filter and target twice is one alert); returns its id."""
        alert_id = hashlib.sha1(json.dumps([spec, target]).encode()).hexdigest()[:10]
        with self.lock:
            self.con.execute("INSERT INTO alerts VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING",
                             [alert_id, spec, target])
        return alert_id

    def alerts(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.con.execute(
                "SELECT a.alert_id, a.spec, a.target, a.created, count(d.event_id) FILTER (WHERE d.status = 'sent'), "
                "count(d.event_id) FILTER (WHERE d.status = 'pending') FROM alerts a LEFT JOIN alert_deliveries d "
                "USING (alert_id) GROUP BY ALL ORDER BY a.created").fetchall()
        return [{"alert_id": r[0], "spec": r[1], "target": r[2], "created": r[3].isoformat(timespec="seconds"),
                 "sent": r[4], "pending": r[5]} for r in rows]

    def drop_alert(self, alert_id: str) -> bool:
        with self.lock:
            found = self.con.execute("SELECT 1 FROM alerts WHERE alert_id = ?", [alert_id]).fetchone()
            self.con.execute("DELETE FROM alerts WHERE alert_id = ?", [alert_id])
            self.con.execute("DELETE FROM alert_deliveries WHERE alert_id = ?", [alert_id])
        return found is not None

    def matching_events(self, flt: EventFilter, event_ids: list[str]) -> list[Event]:
        """The events among ``event_ids`` that match ``flt``, in the order they were stored."""
        if not event_ids:
            return []
        where, params = flt.sql()
        with self.lock:
            rows = self.con.execute(f"SELECT record FROM events WHERE event_id IN (SELECT unnest(?)) AND {where} "
                                    "ORDER BY first_seen, event_id", [event_ids, *params]).fetchall()
        return [Event.from_dict(json.loads(r[0])) for r in rows]

    def claim_delivery(self, alert_id: str, event_id: str) -> bool:
        """Take the delivery of an event to an alert: False when it was taken before (sent, or pending from a
        run that stopped; ``pending_deliveries`` gives those back)."""
        with self.lock:
            taken = self.con.execute("SELECT 1 FROM alert_deliveries WHERE alert_id = ? AND event_id = ?",
                                     [alert_id, event_id]).fetchone()
            if taken:
                return False
            self.con.execute("INSERT INTO alert_deliveries VALUES (?, ?, 'pending', NULL, NULL)", [alert_id, event_id])
        return True

    def finish_delivery(self, alert_id: str, event_id: str, error: str | None = None) -> None:
        """Mark a delivery sent, or keep it pending with its error (tried again with the next new events)."""
        with self.lock:
            self.con.execute("UPDATE alert_deliveries SET status = ?, delivered_at = now(), error = ? "
                             "WHERE alert_id = ? AND event_id = ?",
                             ["pending" if error else "sent", error, alert_id, event_id])

    def pending_deliveries(self, alert_id: str) -> list[str]:
        with self.lock:
            rows = self.con.execute("SELECT event_id FROM alert_deliveries WHERE alert_id = ? AND status = 'pending'",
                                    [alert_id]).fetchall()
        return [r[0] for r in rows]
