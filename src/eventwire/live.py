"""The live display of ``eventwire watch``: each source's health, and the newest events as they arrive."""

from __future__ import annotations

from collections import deque
from datetime import datetime

from rich.console import Console, Group
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from .model import Actor, Event
from .watch import CheckResult

SHOWN_EVENTS = 12


def _actor(a: Actor | None) -> str:
    if a is None:
        return "-"
    return a.code or a.text


class WatchView:
    """A rich Live panel on a terminal; one line per check otherwise (logs, pipes, ``--quiet``)."""

    def __init__(self, console: Console, sources: list[tuple[str, str]], *, live: bool) -> None:
        self.console = console
        self.rows: dict[str, dict] = {s: {"kind": k, "checked": "-", "health": "new", "new": 0, "stored": 0,
                                          "events": 0, "note": ""} for s, k in sources}
        self.events: deque[tuple[str, Event]] = deque(maxlen=SHOWN_EVENTS)
        self.live = Live(self._render(), console=console, refresh_per_second=2, transient=False) if live else None

    def __enter__(self) -> WatchView:
        if self.live:
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self.live.stop()

    def update(self, result: CheckResult) -> None:
        row = self.rows[result.source]
        row["checked"] = datetime.now().strftime("%H:%M:%S")
        row["health"] = "failing" if result.error else "ok"
        row["new"] += result.items_new
        row["stored"] += result.stored
        row["events"] += result.report.events_new if result.report else 0
        row["note"] = result.error or ("unchanged (304)" if result.unchanged else
                                       f"{len(result.failures)} failure(s)" if result.failures else "")
        for e in result.events:
            self.events.appendleft((result.source, e))
        if self.live:
            self.live.update(self._render())
            return
        self.console.print(result.line(), soft_wrap=True, markup=False)
        for e in result.events:
            self.console.print(f"  new {e.event_type} {_actor(e.source)} -> {_actor(e.target)} {e.date or '-'}: "
                               f"{e.evidence.sentence[:140]}", soft_wrap=True, markup=False)

    def _render(self) -> Group:
        sources = Table(title="sources", expand=True)
        for col in ("source", "kind", "checked", "health", "new items", "stored", "new events", "note"):
            sources.add_column(col, overflow="fold", justify="right" if col in ("new items", "stored", "new events")
                               else "left")
        for name, r in self.rows.items():
            health = {"ok": "[green]ok[/green]", "failing": "[red]failing[/red]"}.get(r["health"], r["health"])
            sources.add_row(escape(name), r["kind"], r["checked"], health, str(r["new"]), str(r["stored"]),
                            str(r["events"]), escape(r["note"]))
        events = Table(title="newest events", expand=True)
        for col in ("date", "type", "source", "target", "evidence"):
            events.add_column(col, overflow="ellipsis", no_wrap=col != "evidence")
        for _src, e in self.events:
            events.add_row(e.date or "-", e.event_type, escape(_actor(e.source)), escape(_actor(e.target)),
                           escape(e.evidence.sentence[:160]))
        return Group(sources, events)
