"""Writing events out: JSON lines, a JSON array, CSV, or a readable terminal table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .model import Actor, Event

FORMATS = ("jsonl", "json", "table", "csv")
CSV_COLUMNS = (
    "event_id", "doc_id", "event_type", "mode", "cameo", "quad_class", "goldstein",
    "source_code", "source_text", "target_code", "target_text", "date", "date_text", "date_precision",
    "location_name", "location_country", "lat", "lon", "factuality", "attribution",
    "sentence", "start", "end", "trigger", "lang", "confidence",
)


def actor_label(actor: Actor | None) -> str:
    if actor is None:
        return ""
    if actor.members:
        return "+".join(m.code or m.country or "?" for m in actor.members)
    return actor.code or actor.country or actor.sector or ""


def csv_row(event: Event) -> dict[str, object]:
    loc = event.location
    return {
        "event_id": event.event_id, "doc_id": event.doc_id, "event_type": event.event_type,
        "mode": event.mode, "cameo": event.cameo, "quad_class": event.quad_class, "goldstein": event.goldstein,
        "source_code": actor_label(event.source), "source_text": event.source.text if event.source else "",
        "target_code": actor_label(event.target), "target_text": event.target.text if event.target else "",
        "date": event.date, "date_text": event.date_text, "date_precision": event.date_precision,
        "location_name": loc.name if loc else "", "location_country": loc.country if loc else "",
        "lat": loc.lat if loc else "", "lon": loc.lon if loc else "", "factuality": event.factuality,
        "attribution": event.attribution.text if event.attribution else "",
        "sentence": event.evidence.sentence, "start": event.evidence.start, "end": event.evidence.end,
        "trigger": event.evidence.trigger, "lang": event.lang, "confidence": event.confidence,
    }


def write_events(events: Iterable[Event], fmt: str, stream: IO[str], *, console: Console | None = None) -> int:
    """Write events in ``fmt``; returns how many were written."""
    n = 0
    if fmt == "jsonl":
        for event in events:
            stream.write(event.to_json() + "\n")
            n += 1
    elif fmt == "json":
        items = [e.to_dict() for e in events]
        json.dump(items, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        n = len(items)
    elif fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for event in events:
            writer.writerow(csv_row(event))
            n += 1
    elif fmt == "table":
        items = list(events)
        (console or Console(file=stream)).print(events_table(items))
        n = len(items)
    else:  # the CLI validates first; this guards library callers
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return n


def _evidence(event: Event, width: int = 90) -> Text:
    ev = event.evidence
    sentence = ev.sentence.replace("\n", " ")
    text = Text()
    ts = (ev.trigger_start - ev.start) if ev.trigger_start is not None else -1
    te = (ev.trigger_end - ev.start) if ev.trigger_end is not None else -1
    if 0 <= ts < te <= len(sentence):
        lo = max(0, ts - width // 2)
        hi = min(len(sentence), lo + width)
        text.append(("…" if lo else "") + sentence[lo:ts])
        text.append(sentence[ts:te], style="bold yellow")
        text.append(sentence[te:hi] + ("…" if hi < len(sentence) else ""))
    else:
        text.append(sentence[:width] + ("…" if len(sentence) > width else ""))
    return text


def events_table(events: list[Event]) -> Table:
    table = Table(show_lines=False, header_style="bold", expand=False)
    for col in ("type", "source", "target", "date", "where", "fact.", "evidence"):
        table.add_column(col, overflow="fold")
    for e in events:
        src = f"{actor_label(e.source)}\n[dim]{e.source.text}[/dim]" if e.source else ""
        tgt = f"{actor_label(e.target)}\n[dim]{e.target.text}[/dim]" if e.target and e.target.text else actor_label(e.target)
        mode = f"\n[dim]{e.mode}[/dim]" if e.mode else ""
        when = e.date or ""
        if e.date_precision == "published":
            when = f"[dim]{when}*[/dim]"
        where = f"{e.location.name}, {e.location.country}" if e.location else ""
        fact = {"asserted": "", "negated": "[red]neg[/red]", "hypothetical": "[blue]hyp[/blue]"}[e.factuality]
        table.add_row(f"{e.event_type} {e.cameo}{mode}", src, tgt, when, where, fact, _evidence(e))
    return table
