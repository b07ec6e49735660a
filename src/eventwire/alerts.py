"""Alerts: a filter kept in the store that sends each matching new event, once, to a JSONL file or a webhook.

An alert is written ``"type=ASSAULT country=NER to=alerts.jsonl"``: the filter keys of ``eventwire events``
(type, country, actor, since, until, near, km, factuality) and ``to=`` a file path or an http(s) URL. Every ingest
(CLI, server, watcher) hands its new events to ``fire``. A delivery is taken in the store before it is made and
marked sent after, so an event goes to an alert once; a delivery that fails (a webhook down) stays pending
and is tried again with the next new events. A file target is checked for the event before a pending
delivery is written again, so a process killed between writing and marking writes nothing twice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from .errors import EventwireError
from .fetch import Fetcher, FetchError, Policy, is_http_url
from .model import Event, Failure
from .store import Store
from .store.query import EventFilter, QueryError

KEYS = tuple(f.name for f in fields(EventFilter))


class AlertError(EventwireError):
    """An alert written in a way we cannot use."""


@dataclass(frozen=True)
class Alert:
    spec: str
    target: str
    filter: EventFilter

    @property
    def to_url(self) -> bool:
        return is_http_url(self.target)


def parse_alert(text: str) -> Alert:
    """``"type=ASSAULT country=NER to=FILE|URL"`` to an Alert; a bad one raises AlertError naming the part."""
    values: dict[str, str] = {}
    target = None
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise AlertError(f"alert '{text}': '{part}' is not key=value; write e.g. \"type=ASSAULT country=NER "
                             "to=alerts.jsonl\"")
        if key == "to":
            target = value
        elif key in KEYS:
            values[key] = value
        else:
            raise AlertError(f"alert '{text}': '{key}' is not a filter; use {', '.join(KEYS)} and to=")
    if not target:
        raise AlertError(f"alert '{text}': say where matches go with to=FILE.jsonl or to=http(s)://URL")
    if "://" in target and not is_http_url(target):
        raise AlertError(f"alert '{text}': to={target} is neither a file path nor an http(s) URL")
    try:
        kwargs: dict[str, object] = dict(values)
        for key in ("since", "until"):
            if key in values:
                kwargs[key] = date.fromisoformat(values[key])
        if "km" in values:
            kwargs["km"] = float(values["km"])
        flt = EventFilter(**kwargs)  # type: ignore[arg-type]
        flt.sql()  # an unknown type or place fails now, not at the first event
    except (ValueError, QueryError) as exc:
        raise AlertError(f"alert '{text}': {exc}") from None
    spec = " ".join(f"{k}={values[k]}" for k in sorted(values))
    if not is_http_url(target):
        target = str(Path(target).expanduser().resolve())
    return Alert(spec, target, flt)


def keep(store: Store, text: str) -> str:
    """Parse and keep an alert in ``store``; returns its id (the same alert kept twice is one)."""
    alert = parse_alert(text)
    return store.keep_alert(alert.spec, alert.target)


def _in_file(path: Path, event_id: str) -> bool:
    needle = f'"event_id": "{event_id}"'
    try:
        with path.open(encoding="utf-8") as fh:
            return any(needle in line for line in fh)
    except OSError:
        return False


def _deliver(alert: Alert, events: list[Event], fetcher: Fetcher, done: Callable[[Event], None]) -> None:
    """Send ``events`` to the alert's target, calling ``done`` for each one once it is there."""
    if alert.to_url:
        for e in events:
            fetcher.post_json(alert.target, {"alert": alert.spec, "event": e.to_dict()})
            done(e)
        return
    path = Path(alert.target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for e in events:
            fh.write(json.dumps({"alert": alert.spec, **e.to_dict()}, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    for e in events:
        done(e)


def _send(store: Store, alert_id: str, alert: Alert, events: list[Event], fetcher: Fetcher) -> tuple[int, str | None]:
    """Deliver and mark each event sent; on a failure the rest stay pending with the error."""
    delivered: list[str] = []

    def done(e: Event) -> None:
        store.finish_delivery(alert_id, e.event_id)
        delivered.append(e.event_id)

    try:
        _deliver(alert, events, fetcher, done)
    except (FetchError, OSError) as exc:
        for e in events[len(delivered):]:
            store.finish_delivery(alert_id, e.event_id, error=str(exc))
        return len(delivered), str(exc)
    return len(delivered), None


def fire(store: Store, new_event_ids: list[str], fetcher: Fetcher | None = None) -> tuple[int, list[Failure]]:
    """Send the new events that match each kept alert, and the deliveries left pending; returns how many were
    sent and a Failure for each alert that could not be reached (its deliveries stay pending)."""
    kept = store.alerts()
    if not kept:
        return 0, []
    fetcher = fetcher or Fetcher(Policy(timeout_s=5.0, host_delay_s=0.0, retries=1, backoff_s=0.5))
    sent = 0
    failures: list[Failure] = []
    for row in kept:
        try:
            alert = Alert(row["spec"], row["target"], parse_alert(f"{row['spec']} to={row['target']}").filter)
        except AlertError as exc:  # kept by an older version with other keys
            failures.append(Failure(f"alert {row['alert_id']}", str(exc), stage="alert", severity="warning"))
            continue
        pending = store.pending_deliveries(row["alert_id"])
        if pending and not alert.to_url:
            pending = [i for i in pending if not _in_file(Path(alert.target), i)]
            for done in set(store.pending_deliveries(row["alert_id"])) - set(pending):
                store.finish_delivery(row["alert_id"], done)
        fresh = [e for e in store.matching_events(alert.filter, new_event_ids)
                 if store.claim_delivery(row["alert_id"], e.event_id)]
        events = store.matching_events(EventFilter(), pending) + fresh
        if not events:
            continue
        n, error = _send(store, row["alert_id"], alert, events, fetcher)
        sent += n
        if error:
            failures.append(Failure(f"alert {row['alert_id']} ({alert.target})",
                                    f"could not deliver {len(events) - n} event(s): {error}; kept to send again",
                                    stage="alert", severity="warning"))
    return sent, failures
