"""The command line: thin commands over the library. Errors become one line on stderr, never a traceback.

Exit codes: 0 everything done; 2 usage error or no input could be read; 3 some inputs failed
(the rest was processed, and each failure was reported on stderr or recorded in the store's failures
table); 4 an `eval --floors` figure is below its floor.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from .errors import EventwireError
from .output import FORMATS, write_events
from .reader import Failure, iter_articles, parse_date

if TYPE_CHECKING:  # imported late at run time, so that the CLI starts fast
    from .store import Store
    from .watch import CheckResult, Watcher

EXIT_USAGE = 2
EXIT_PARTIAL = 3

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="eventwire: news in, event data out (PLOVER + CAMEO, with evidence).")
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", soft_wrap=True)
    return typer.Exit(code)


def _table_or_json(format: str) -> None:
    """The --format of the commands that print a table for people or JSON for programs."""
    if format not in ("table", "json"):
        raise fail(f"--format '{format}' is not known; use table or json")


@app.callback()
def _root() -> None:
    """eventwire turns news into event data: who did what to whom, when and where."""


RulesOption = Annotated[list[Path] | None, typer.Option(
    "--rules", help="A rule file of your own, added to ours (repeatable; default: $EVENTWIRE_RULES)")]


def _rule_files(rules: list[Path] | None) -> tuple[str, ...] | None:
    """The user's rule files, validated now so that a bad one is one line before any work starts."""
    from .coding.rules import load_rules

    files = tuple(str(p) for p in rules) if rules else None
    load_rules("en", files)
    return files


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin (.txt .html .jsonl .csv .rss .gz)")],
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs without one")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (default: 1; 0 = all cores)")] = 1,
    stdin_format: Annotated[str, typer.Option(help="Format of stdin input: txt, html, jsonl, csv")] = "txt",
    mentions: Annotated[bool, typer.Option("--mentions", help="Print every mention, not one event per happening")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Print, per sentence, the rules tried, fired and suppressed")] = False,
    rules: RulesOption = None,
    lang: LangOption = "auto",
) -> None:
    """Extract events from news articles and print them (one per happening in each article)."""
    from .ingest import extract_sources

    rule_files = _rule_files(rules)
    mode = _lang_mode(lang)
    if stdin_format.lstrip(".") not in STDIN_FORMATS:
        raise fail(f"--stdin-format '{stdin_format}' is not known; use one of {', '.join(STDIN_FORMATS)}")
    if explain:
        _explain_articles(paths, parse_date(published), "." + stdin_format.lstrip("."), rule_files, mode)
        return
    if format not in FORMATS:
        raise fail(f"--format '{format}' is not known; use one of {', '.join(FORMATS)}")
    if workers < 0:
        raise fail("--workers must be 0 (all cores) or more")
    if output is not None:
        _writable(output)
    events, report, seen = extract_sources(paths, workers=workers, published=parse_date(published), lang=mode,
                                           rules=rule_files, stdin_format="." + stdin_format.lstrip("."),
                                           mentions=mentions)
    lost = [f for f in report.failures if f.severity != "skipped"]
    if seen == 0:
        if lost:
            more = f" (and {len(lost) - 1} more input(s) failed)" if len(lost) > 1 else ""
            raise fail(f"{lost[0].input}: {lost[0].reason}{more}")
        raise fail("no article could be read from the input")
    for failure in report.failures:
        word = {"error": "failed", "warning": "warning", "skipped": "skipped"}[failure.severity]
        err.print(f"[yellow]{word}[/yellow] {failure.line()}", soft_wrap=True)
    if output is not None:
        try:
            with output.open("w", encoding="utf-8", newline="") as stream:
                write_events(events, format, stream)
        except OSError as exc:
            raise fail(f"{output}: cannot write ({exc.strerror})") from None
    else:
        console = Console(width=max(Console().width, 160)) if format == "table" else None
        write_events(events, format, sys.stdout, console=console)
    if format == "table" or output is not None or report.skipped_language:
        err.print(
            f"{len(events)} events from {seen} article{'s' if seen != 1 else ''}"
            f" in {report.seconds:.1f}s" + (f"; {report.errors} input(s) failed" if report.errors else "")
            + (f"; {_skipped_summary(report.skipped_language)}" if report.skipped_language else "")
        )
    if report.errors:
        raise typer.Exit(EXIT_PARTIAL)


def _writable(output: Path) -> None:
    """An output file must go to a folder that exists, and must not be a folder."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise fail(f"--output {output}: the folder {folder} does not exist; create it or write elsewhere")
    if output.is_dir():
        raise fail(f"--output {output} is a folder; give a file name")


LangOption = Annotated[str, typer.Option(
    "--lang", help="Language of the articles: auto (told from each text or its lang field), en or fr")]


def _lang_mode(lang: str) -> str:
    from .language import MODES

    if lang not in MODES:
        raise fail(f"--lang '{lang}' is not known; use one of {', '.join(MODES)}")
    return lang


def _skipped_summary(skipped: dict[str, int]) -> str:
    """"2 skipped for their language (es 1, ar 1)": articles in a language eventwire does not code."""
    if not skipped:
        return ""
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(skipped.items(), key=lambda kv: -kv[1]))
    return f"{sum(skipped.values())} skipped for their language ({langs})"


DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB store (default: $EVENTWIRE_DB or eventwire.duckdb)")]


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin")],
    db: DbOption = None,
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs without one")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = all cores)")] = 0,
    stdin_format: Annotated[str, typer.Option(help="Format of stdin input: txt, html, jsonl, csv")] = "txt",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
    engine: Annotated[str, typer.Option(help="local (worker processes) or ray")] = "local",
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster address (default: a local Ray)")] = None,
    shards: Annotated[Path | None, typer.Option(help="Folder for the Ray engine's Parquet shards")] = None,
    rules: RulesOption = None,
    lang: LangOption = "auto",
    via: Annotated[str | None, typer.Option(
        "--via", help="A running `eventwire serve --allow-ingest` to store through (token in $EVENTWIRE_TOKEN)")] = None,
) -> None:
    """Extract events from articles into the store; already stored articles are skipped.

    While a server holds the store, ingest goes through that server when it takes ingest (``--via URL``, or found
    from the file it keeps beside the store); otherwise it says what to do."""
    from .ingest import ENGINES
    from .ingest import ingest as run_ingest
    from .server.holder import holder
    from .store import Store, StoreError, default_path

    pub = parse_date(published)
    rule_files = _rule_files(rules)
    mode = _lang_mode(lang)
    if engine not in ENGINES:
        raise fail(f"--engine '{engine}' is not known; use one of {', '.join(ENGINES)}")
    if workers < 0:
        raise fail(f"--workers {workers}: give 0 (every core) or a positive number")
    if stdin_format.lstrip(".") not in STDIN_FORMATS:
        raise fail(f"--stdin-format '{stdin_format}' is not known; use one of {', '.join(STDIN_FORMATS)}")
    fmt = "." + stdin_format.lstrip(".")
    if via is not None:
        return _ingest_via(via, paths, pub, mode, fmt)
    path = db or default_path()
    held = holder(path)
    if held is not None:
        if held["ingest"] and os.environ.get("EVENTWIRE_TOKEN"):
            err.print(f"the store is held by the server at {held['url']} (pid {held['pid']}): ingesting through it")
            return _ingest_via(held["url"], paths, pub, mode, fmt)
        raise fail(f"{path} is held by a running eventwire server (pid {held['pid']}, {held['url']}); stop it, or "
                   "serve it with --allow-ingest and run ingest again with $EVENTWIRE_TOKEN set")
    try:
        opened = Store(path)
    except StoreError as exc:
        if "lock" in str(exc).lower():
            raise fail(f"{path} is open in another process (a server or an ingest); wait for it to finish, or "
                       "serve the store with --allow-ingest and ingest with --via URL") from None
        raise
    with opened as store, _ProgressBar("ingest", disabled=quiet) as bar:
        report = run_ingest(paths, store, engine=engine, workers=workers, progress=bar.update, published=pub,
                            lang=mode, rules=rule_files, stdin_format="." + stdin_format.lstrip("."),
                            ray_address=ray_address, shards=shards)
        totals = store.stats()
    if quiet:
        for failure in report.failures:
            if failure.is_error:
                err.print(f"[yellow]failed[/yellow] {failure.line()}", soft_wrap=True)
    err.print(f"{report.summary()}. Store: {totals['articles']} articles, {totals['events']} events, "
              f"{totals['mentions']} mentions ({store.path})")
    if report.errors:
        raise typer.Exit(EXIT_PARTIAL)


STDIN_FORMATS = ("txt", "html", "jsonl", "csv")


def _ingest_via(url: str, paths: list[str], published, lang: str, stdin_format: str) -> None:
    from .client import ingest_via

    token = os.environ.get("EVENTWIRE_TOKEN", "")
    if not token:
        raise fail("ingest through a server needs its bearer token in $EVENTWIRE_TOKEN")
    total = ingest_via(url, token, paths, published=published, lang=lang, stdin_format=stdin_format)
    for failure in total["failures"]:
        if failure.get("severity", "error") == "error":
            err.print(f"[yellow]failed[/yellow] {failure['input']}: {failure['reason']}", soft_wrap=True)
    err.print(f"stored {total['stored']} article(s) through {url} -> {total['new_events']} new event(s); "
              f"{total['already_stored']} already stored, {total['errors']} failed, {total['warnings']} warning(s)")
    if total["errors"]:
        raise typer.Exit(EXIT_PARTIAL)


class _ProgressBar:
    """A rich bar with rate and ETA, fed by ``update(done, total)``; it shows only when there is work."""

    def __init__(self, what: str, *, disabled: bool = False) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn(f"[bold]{what}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]:.1f} articles/s"), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=err, disable=disabled, transient=False)
        self.task = None
        self.started = time.perf_counter()

    def __enter__(self) -> _ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if total == 0:
            return
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("run", total=total, rate=0.0)
        rate = done / max(1e-9, time.perf_counter() - self.started)
        self.progress.update(self.task, completed=done, total=total, rate=rate)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


@app.command()
def stats(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Counts of what the store holds: articles, events, mentions, failures."""
    import json

    from rich.table import Table

    from .store import Store

    _table_or_json(format)
    with Store(db, read_only=True) as store:
        figures = store.stats()
    if format == "json":
        print(json.dumps(figures, indent=2))
        return
    table = Table(title=f"eventwire store {db or ''}".strip())
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("articles", "article_groups", "events", "mentions", "failures", "runs"):
        table.add_row(key, f"{figures[key]:,}")
    for etype, n in figures["by_type"].items():
        table.add_row(f"  {etype}", f"{n:,}")
    Console().print(table)


@app.command()
def query(
    db: DbOption = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor code (USAMIL) or words in its name")] = None,
    country: Annotated[str | None, typer.Option(help="ISO-3 country as source, target or place")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD)")] = None,
    near: Annotated[str | None, typer.Option(help="A place name or 'lat,lon'")] = None,
    km: Annotated[float, typer.Option(help="Radius for --near")] = 50.0,
    limit: Annotated[int, typer.Option(help="At most this many events")] = 50,
    format: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv")] = "table",
) -> None:
    """Events from the store that match the filters (one per happening)."""
    from .store import Store
    from .store.query import EventFilter

    if format not in ("table", "jsonl", "csv"):
        raise fail(f"--format '{format}' is not known; use table, jsonl or csv")
    if limit < 1:
        raise fail("--limit must be at least 1")
    if not km > 0:
        raise fail(f"--km {km}: give a radius above 0")
    flt = EventFilter(type=type, actor=actor, country=country, since=parse_date(since, what="--since"),
                      until=parse_date(until, what="--until"), near=near, km=km)
    flt.sql()  # a bad type or place is one line before the store is opened
    with Store(db, read_only=True) as store:
        events = store.events(flt, limit=limit)
    console = Console(width=max(Console().width, 160)) if format == "table" else None
    write_events(events, format, sys.stdout, console=console)
    if format == "table":
        err.print(f"{len(events)} event(s)")


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, parquet, gdelt or plover")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (required for parquet)")] = None,
) -> None:
    """Export every event: our JSONL/CSV, Parquet, the 61-column GDELT 2.0 layout, or PLOVER JSON."""
    from .store import Store
    from .store.export import FORMATS as EXPORT_FORMATS

    if format not in EXPORT_FORMATS:
        raise fail(f"--format '{format}' is not known; use one of {', '.join(EXPORT_FORMATS)}")
    if format == "parquet" and output is None:
        raise fail("--format parquet needs --output FILE")
    if output is not None:
        _writable(output)
    with Store(db, read_only=True) as store:
        n = store.export(format, output, sys.stdout)
    if output is not None:
        err.print(f"{n} events written to {output}")


@app.command()
def situation(
    country: Annotated[str, typer.Argument(help="ISO-3 code or country name, e.g. NER or Niger")],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Foreign military presence in a country and each partner's timeline of cooperation and conflict."""
    import json

    from .store import Store

    _table_or_json(format)
    code = _country_code(country)
    with Store(db, read_only=True) as store:
        view = store.situation(code)
    if format == "json":
        print(json.dumps(view, indent=2, ensure_ascii=False))
        return
    _print_situation(view)


def _country_code(text: str) -> str:
    from .store.query import QueryError, country_code

    try:
        return country_code(text)
    except QueryError as exc:
        raise fail(str(exc)) from None


def _print_situation(view: dict) -> None:
    from rich.table import Table

    out = Console(width=max(Console().width, 140))
    pres = Table(title=f"Foreign military presence in {view['country']} ({view['events']} events in the store)")
    for col in ("who", "status", "since", "last update", "where", "troops", "latest evidence"):
        pres.add_column(col, overflow="fold")
    for p in view["foreign_presence"]:
        ev = p["evidence"][-1]["evidence"] if p["evidence"] else ""
        pres.add_row(p["country"], p["status"], p["since"] or "", p.get("last_update") or "", ", ".join(p["where"]),
                     f"{p['troops']:,}" if p["troops"] else "", ev[:160])
    out.print(pres)
    for partner, lines in list(view["partners"].items())[:6]:
        table = Table(title=f"{view['country']} and {partner}: {len(lines)} event(s)")
        for col in ("date", "direction", "type", "", "evidence"):
            table.add_column(col, overflow="fold")
        for line in lines:
            tone = "[green]coop[/green]" if line["quad_class"] in (1, 2) else "[red]conflict[/red]"
            fact = "" if line["factuality"] == "asserted" else f" [dim]({line['factuality']})[/dim]"
            table.add_row(line["date"] or "", line["direction"], f"{line['type']}{fact}", tone,
                          line["evidence"][:150])
        out.print(table)


@app.command()
def bench(
    paths: Annotated[list[str], typer.Argument(help="Files or folders of articles")],
    workers: Annotated[int, typer.Option(help="Worker processes (0 = all cores)")] = 1,
    limit: Annotated[int | None, typer.Option(help="Use at most this many articles")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date for .txt inputs")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    lang: LangOption = "auto",
    rounds: Annotated[int, typer.Option(min=1, max=20, help="Time parse and extraction this many times in turn "
                                        "and keep the fastest of each (a shared machine's slow spells drop out)")] = 1,
) -> None:
    """Throughput (articles/s, words/s), peak memory per worker, and the ratio to the bare parse."""
    import json

    from rich.table import Table

    from .bench import run_bench
    from .language import is_coded
    from .pipeline import default_workers

    pub = parse_date(published)
    articles = [a for a in iter_articles(paths, pub, strict=False, lang=_lang_mode(lang))
                if not isinstance(a, Failure) and is_coded(a.lang)]
    if limit:
        articles = articles[:limit]
    if not articles:
        raise fail("no article could be read from the input")
    n = default_workers() if workers == 0 else max(1, workers)
    result = run_bench(articles, workers=n, rounds=rounds, progress=lambda m: err.print(f"[dim]{m}…[/dim]"))
    if format == "json":
        print(json.dumps(result, indent=2))
        return
    table = Table(title=f"eventwire bench: {result['articles']} articles, {result['words']:,} words, {n} worker(s)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    Console().print(table)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (1-65535)")] = 8000,
    allow_ingest: Annotated[bool, typer.Option("--allow-ingest", help="Enable POST /api/ingest (needs EVENTWIRE_TOKEN)")] = False,
    watch: Annotated[list[str] | None, typer.Option(
        "--watch", help="Follow this feed URL or folder from inside the server (repeatable)")] = None,
    every: EveryOption = "15m",
    alert: AlertOption = None,
    lang: LangOption = "auto",
) -> None:
    """Serve the API and the web page (event table, evidence, map, timeline, situation) over the store.

    With --watch the server also follows feeds and folders: one process writes the store (the watcher, and the API's
    ingest), the page and the API read it while news comes in."""
    import socket
    import threading

    import uvicorn

    from .server.app import TOKEN_ENV, create_app
    from .server.holder import claim, release

    if not 1 <= port <= 65535:
        raise fail(f"--port {port}: give a port from 1 to 65535")
    if allow_ingest and not os.environ.get(TOKEN_ENV):
        raise fail(f"--allow-ingest needs a bearer token in ${TOKEN_ENV}")
    try:  # a port in use or an address not of this machine is one line, before the store is opened
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, OverflowError) as exc:
        raise fail(f"cannot listen on {host}:{port} ({getattr(exc, 'strerror', None) or exc}); "
                   "choose another --port or --host") from None
    stop = threading.Event()
    thread = None
    if watch:
        from .watch import parse_every, source_kind

        seconds = parse_every(every)
        mode = _lang_mode(lang)
        for source in watch:
            source_kind(source)
        store = _open_for_writing(db or _default_db())
        watcher = _watcher(store, watch, timeout=10.0, delay=1.0, lang=mode, rules=None, alerts=alert,
                           on_check=lambda r: err.print(f"watch: {r.line()}", soft_wrap=True, markup=False))
        thread = threading.Thread(target=watcher.run, args=(seconds, stop), name="eventwire-watch", daemon=True)
        app_ = create_app(store=store, allow_ingest=allow_ingest)
    else:
        app_ = create_app(db, allow_ingest=allow_ingest)
    store_path = app_.state.store.path
    url = f"http://{host}:{port}"
    claim(store_path, url, ingest=allow_ingest)
    followed = f", following {len(watch)} source(s) every {every}" if watch else ""
    err.print(f"eventwire serving {store_path} on {url}/ (API docs at /docs){followed}; Ctrl-C stops")
    if thread is not None:
        thread.start()
    try:
        uvicorn.run(app_, host=host, port=port, log_level="warning")
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=30)
        release(store_path)


EveryOption = Annotated[str, typer.Option("--every", help="How often to check the sources: 30s, 15m, 2h, 1d")]
AlertOption = Annotated[list[str] | None, typer.Option(
    "--alert", help='Keep a filter as an alert: "type=ASSAULT country=NER to=FILE.jsonl|URL" (repeatable)')]


def _watcher(store: Store, sources: list[str], *, timeout: float, delay: float, lang: str,
             rules: tuple[str, ...] | None, alerts: list[str] | None,
             on_check: Callable[[CheckResult], None] | None = None) -> Watcher:
    """A Watcher over ``store``, its alerts kept first; a bad source or alert is one line before anything runs."""
    from .alerts import keep
    from .fetch import Policy
    from .watch import Watcher

    if timeout <= 0 or delay < 0:
        raise fail("--timeout must be above 0 and --delay 0 or more (seconds)")
    for spec in alerts or []:
        keep(store, spec)
    return Watcher(store, sources, policy=Policy(timeout_s=timeout, host_delay_s=delay), lang=lang, rules=rules,
                   on_check=on_check)


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs (http or https) and folders of articles")],
    db: DbOption = None,
    every: EveryOption = "15m",
    once: Annotated[bool, typer.Option("--once", help="Check every source once, then stop")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for one answer")] = 10.0,
    delay: Annotated[float, typer.Option(help="Seconds between two requests to one host")] = 1.0,
    alert: AlertOption = None,
    lang: LangOption = "auto",
    rules: RulesOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="One line per check instead of the live display")] = False,
) -> None:
    """Follow feeds and folders: check them every --every, fetch new items (a feed's summary-only items from their
    article page), and ingest them. Seen items are never fetched or stored twice, across restarts too."""
    import threading

    from .live import WatchView
    from .server.holder import holder
    from .store import default_path
    from .watch import parse_every, source_kind

    seconds = parse_every(every)
    mode = _lang_mode(lang)
    rule_files = _rule_files(rules)
    kinds = [(s, source_kind(s)) for s in dict.fromkeys(sources)]
    path = db or default_path()
    held = holder(path)
    if held is not None:
        raise fail(f"{path} is held by a running eventwire server (pid {held['pid']}, {held['url']}); watch from "
                   f"that server instead: eventwire serve --db {path} --watch SOURCE...")
    view = WatchView(err, kinds, live=not quiet and err.is_terminal)
    stop = threading.Event()
    with _open_for_writing(path) as store, view:
        watcher = _watcher(store, [s for s, _ in kinds], timeout=timeout, delay=delay, lang=mode, rules=rule_files,
                           alerts=alert, on_check=view.update)
        try:
            watcher.run(seconds, stop, once=once)
        except KeyboardInterrupt:
            stop.set()
        health = store.sources()
    failing = [h for h in health if h.source in dict(kinds) and h.health == "failing"]
    if once and failing:
        raise typer.Exit(EXIT_PARTIAL)


def _open_for_writing(path: Path) -> Store:
    from .store import Store, StoreError

    try:
        return Store(path)
    except StoreError as exc:
        if "lock" in str(exc).lower():
            raise fail(f"{path} is open in another process (a server, an ingest or a watch); wait for it to finish, "
                       "or follow the news from the server: eventwire serve --watch SOURCE...") from None
        raise


@app.command("sources")
def sources_command(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Every source `watch` follows, with its health: last check, last success, last error, items and events."""
    import json

    from rich.table import Table

    from .store import Store

    _table_or_json(format)
    with Store(db, read_only=True) as store:
        rows = store.sources()
    if format == "json":
        print(json.dumps([r.to_dict() for r in rows], indent=2))
        return
    if not rows:
        err.print("no sources yet; follow some with `eventwire watch URL|FOLDER`")
        return
    table = Table(title="sources")
    for col in ("source", "kind", "health", "checked", "last ok", "items", "stored", "events", "failures",
                "last error"):
        table.add_column(col, overflow="fold", no_wrap=col in ("checked", "last ok"))
    stamp = lambda t: t.strftime("%m-%d %H:%M") if t else "-"  # noqa: E731 - the JSON format has the full time
    for r in rows:
        health = {"ok": "[green]ok[/green]", "failing": "[red]failing[/red]"}.get(r.health, r.health)
        table.add_row(escape(r.source), r.kind, health, stamp(r.last_checked), stamp(r.last_success),
                      str(r.items_seen), str(r.articles_stored), str(r.events_new), str(r.failures),
                      escape(r.last_error or "") if r.health == "failing" else "")
    Console().print(table)


@app.command("alerts")
def alerts_command(
    db: DbOption = None,
    add: AlertOption = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="Drop the alert with this id")] = None,
) -> None:
    """List the alerts kept in the store; --add keeps one, --remove drops one. Every ingest (CLI, server,
    watcher) sends each new matching event to each alert once."""
    from rich.table import Table

    from .alerts import keep
    from .store import Store

    if add or remove:
        with _open_for_writing(db or _default_db()) as store:
            for spec in add or []:
                err.print(f"alert {keep(store, spec)} kept: {spec}")
            for alert_id in remove or []:
                if not store.drop_alert(alert_id):
                    raise fail(f"no alert with id '{alert_id}'; `eventwire alerts` lists them")
                err.print(f"alert {alert_id} dropped")
    with Store(db, read_only=True) as store:
        rows = store.alerts()
    table = Table(title="alerts")
    for col in ("id", "filter", "to", "kept", "sent", "pending"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["alert_id"], escape(r["spec"] or "(every event)"), escape(r["target"]), r["created"],
                      str(r["sent"]), str(r["pending"]))
    Console().print(table)


def _default_db() -> Path:
    from .store import default_path

    return default_path()


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold file (JSONL; see docs in README, 'eventwire eval')")],
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious events")] = False,
    floors: Annotated[Path | None, typer.Option(help="JSON of minimum figures; exit 4 when one is not met")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    by_rule: Annotated[bool, typer.Option("--by-rule", help="Per rule: true and false positives; rules never fired")] = False,
    rules: RulesOption = None,
    record: Annotated[bool, typer.Option("--record", help="With --floors: raise this gold file's floors to "
                                         "today's figures")] = False,
    allow_regression: Annotated[bool, typer.Option("--allow-regression", help="With --floors: accept floors "
                                                   "lower than the committed ones")] = False,
) -> None:
    """Score extraction against a gold file: precision, recall, F1, target/date/location accuracy."""
    import json

    from .coding.rules import load_rules
    from .evaluate import by_rule_figures, evaluate

    _table_or_json(format)
    if not gold.is_file():
        raise fail(f"{gold}: no such gold file")
    rule_files = _rule_files(rules)
    summary, results = evaluate(gold, workers=max(1, workers), rules=rule_files)
    per_rule = by_rule_figures(results, load_rules("en", rule_files)) if by_rule else None
    if format == "json":
        print(json.dumps({**summary, **({"by_rule": per_rule} if per_rule is not None else {})}, indent=2))
    else:
        _print_eval(summary, gold)
        if per_rule is not None:
            _print_by_rule(per_rule)
    if errors:
        _print_errors(results)
    if floors is not None:
        _check_floors(floors, gold, summary, record=record, allow_regression=allow_regression)
    elif record or allow_regression:
        raise fail("--record and --allow-regression need --floors FILE")


@app.command("gold")
def gold_command(
    kind: Annotated[str, typer.Argument(help="plover-gsr or petr2")],
    source: Annotated[Path, typer.Argument(help="The public gold file")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the JSONL here")] = None,
) -> None:
    """Convert a public gold set (PLOVER GSR JSON, PETRARCH-2 validation XML) to eval's JSONL."""

    from .goldsets import convert, to_jsonl

    if not source.is_file():
        raise fail(f"{source}: no such file")
    items = convert(kind, source)
    lines = to_jsonl(items)
    if output is None:
        sys.stdout.write(lines)
    else:
        output.write_text(lines, encoding="utf-8")
        err.print(f"{len(items)} gold items written to {output}")


@app.command("import-dictionary")
def import_dictionary(
    files: Annotated[list[Path], typer.Argument(help="Phoenix/PETRARCH .actors.txt files")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Our YAML dictionary to write")],
) -> None:
    """Import Phoenix/PETRARCH actor dictionaries (with their date ranges) into an eventwire dictionary.

    Use it with EVENTWIRE_ACTORS=FILE (several joined by ':') so extraction reads it beside ours.
    """
    import yaml

    from .phoenix import read_actor_file, to_actor_yaml

    actors = []
    for f in files:
        if not f.is_file():
            raise fail(f"{f}: no such file")
        actors.extend(read_actor_file(f))
    doc = to_actor_yaml(actors)
    output.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    err.print(f"{len(actors)} entries, {len(doc['people'])} dated roles written to {output}")


def _check_floors(path: Path, gold: Path, summary: dict, *, record: bool, allow_regression: bool) -> None:
    """Exit 4 when a figure is below this gold file's floor or the floors were lowered without leave."""
    from .floors import FloorError, below, committed, read_floors, regressions, section_for
    from .floors import record as record_floors

    try:
        data = read_floors(path)
        before = committed(path)
        lowered = regressions(before, data) if before is not None else []
        if lowered and not allow_regression:
            raise FloorError(f"{path}: floors lower than the committed ones ({'; '.join(lowered)}); "
                             "pass --allow-regression to accept a regression")
        found = section_for(data, gold)
        if record:
            name = found[0] if found is not None else gold.stem
            record_floors(path, data, name, gold, summary, allow_regression=allow_regression)
            err.print(f"floors of {name} recorded in {path}")
            return
        if found is None:
            raise FloorError(f"{path}: no floors for {gold} as it is now (its SHA-256 matches no section); "
                             "if the gold file changed on purpose, measure again with --record")
    except FloorError as exc:
        raise fail(str(exc), 4) from None
    missed = below(summary, found[1]["floors"])
    for line in missed:
        err.print(f"[bold red]below floor:[/bold red] {line}")
    if missed:
        raise typer.Exit(4)


def _print_eval(summary: dict, gold: Path) -> None:
    from rich.table import Table

    out = Console()
    head = Table(title=f"eventwire eval {gold.name}: {summary['items']} items, {summary['gold_events']} gold events")
    for col in ("precision", "recall", "F1", "target acc.", "date acc.", "location acc.", "full-match F1",
                "forbidden"):
        head.add_column(col, justify="right")
    head.add_row(*(f"{summary[k]:.3f}" for k in ("precision", "recall", "f1", "target_accuracy", "date_accuracy",
                                                   "location_accuracy", "full_match_f1")),
                 str(summary["forbidden"]))
    out.print(head)
    out.print(_prf_table("per type (gold type for tp/fn, predicted type for fp)", "type", summary["per_type"]))
    if summary.get("per_tag"):
        out.print(_prf_table("per tag of the gold items (all events of a tagged item)", "tag", summary["per_tag"]))


def _prf_table(title: str, label: str, rows: dict):
    """One table of tp, fp, fn, precision, recall and F1 per key (a type, a tag)."""
    from rich.table import Table

    table = Table(title=title)
    for col in (label, "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != label else "left")
    for key, row in rows.items():
        table.add_row(key, str(row["tp"]), str(row["fp"]), str(row["fn"]), f"{row['precision']:.2f}",
                      f"{row['recall']:.2f}", f"{row['f1']:.2f}")
    return table


def _print_errors(results) -> None:
    from .output import actor_label

    out = Console()
    for res in results:
        misses = [g for g, p in res.pairs if p is None]
        if not (misses or res.false_positives or res.forbidden):
            continue
        out.print(f"[bold]{res.item.id}[/bold] {res.item.text}", soft_wrap=True)
        for g in misses:
            out.print(f"  [red]missed[/red] {'/'.join(g['types'])} {g.get('source')} -> {g.get('target')}")
        for p in res.false_positives:
            out.print(f"  [yellow]spurious[/yellow] {p.event_type} {actor_label(p.source)} -> "
                      f"{actor_label(p.target)} ({p.evidence.trigger}; {p.evidence.rule})")
        for p in res.forbidden:
            out.print(f"  [magenta]forbidden[/magenta] {p.event_type} {actor_label(p.source)}")
        for p in res.predictions:
            out.print(f"    [dim]pred {p.event_type} {actor_label(p.source)} -> {actor_label(p.target)} "
                      f"{p.factuality} '{p.evidence.trigger}' {p.evidence.rule} {' '.join(p.evidence.steps)}[/dim]")


def _print_by_rule(per_rule: dict) -> None:
    from rich.table import Table

    out = Console()
    table = Table(title="per rule (matched gold events and false positives each rule made)")
    for col in ("rule", "type", "tp", "fp", "precision"):
        table.add_column(col, justify="left" if col in ("rule", "type") else "right")
    for rid, row in per_rule["rules"].items():
        table.add_row(rid, row["type"] or "", str(row["tp"]), str(row["fp"]), f"{row['precision']:.2f}")
    out.print(table)
    never = per_rule["never_fired"]
    out.print(f"{len(never)} trigger rules never fired on this gold set" + (f": {', '.join(never)}" if never else ""),
              soft_wrap=True)


@app.command("rules")
def rules_command(
    on: Annotated[list[str] | None, typer.Option("--on", help="Count how often each rule fires on these articles")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    published: Annotated[str | None, typer.Option(help="Publication date for --on inputs without one")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes for --on (0 = all cores)")] = 1,
    rules: RulesOption = None,
) -> None:
    """List every coding rule: id, type, CAMEO, examples; with --on, how often each fires on a corpus."""
    import json

    from rich.table import Table

    from .coding.rules import load_rules
    from .explain import rule_counts, rule_rows
    from .ingest import extract_sources

    _table_or_json(format)
    rule_files = _rule_files(rules)
    rule_set = load_rules("en", rule_files)
    counts = None
    n_articles = 0
    if on:
        if workers < 0:
            raise fail("--workers must be 0 (all cores) or more")
        events, _report, n_articles = extract_sources(on, workers=workers, published=parse_date(published),
                                                      rules=rule_files, mentions=True, strict=False)
        if not n_articles:
            raise fail("--on: no article could be read from the input")
        counts = rule_counts(events)
    rows = rule_rows(rule_set, counts)
    if format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"eventwire rules: {len(rows)} rules" + (f", fired on {n_articles} articles" if on else ""))
    for col in ("id", "kind", "type", "cameo", "priority", "words", "example", *(("fired",) if on else ())):
        table.add_column(col, justify="right" if col in ("priority", "fired") else "left", overflow="fold")
    for row in rows:
        words = ", ".join(row["words"][:4]) + (" …" if len(row["words"]) > 4 else "")
        table.add_row(row["id"], row["kind"], row["type"] or "", row["cameo"] or "", str(row["priority"] or ""),
                      words, (row["examples"] or [""])[0], *((str(row["fired"]),) if on else ()))
    Console(width=max(Console().width, 160)).print(table)


@app.command("explain")
def explain_command(
    sentence: Annotated[str, typer.Argument(help="A sentence or a short text to explain")],
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) the dates are read against")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    rules: RulesOption = None,
    lang: LangOption = "auto",
) -> None:
    """Why a sentence was coded as it was: the candidates found, the rules that fired, those suppressed and why."""
    from .language import assign
    from .model import Article

    if format not in ("text", "json"):
        raise fail(f"--format '{format}' is not known; use text or json")
    if not sentence.strip():
        raise fail("nothing to explain: give a sentence, e.g. eventwire explain \"Russia shelled Kharkiv.\"")
    article = Article(id=Article.make_id(sentence), text=sentence, published=parse_date(published), lang="")
    _explain([assign(article, _lang_mode(lang))], _rule_files(rules), as_json=format == "json")


def _explain_articles(paths: list[str], published, stdin_format: str, rule_files, lang: str = "auto") -> None:
    items = list(iter_articles(paths, published, strict=True, stdin_format=stdin_format, lang=lang))
    for failure in (i for i in items if isinstance(i, Failure)):
        err.print(f"[yellow]skipped[/yellow] {failure.line()}", soft_wrap=True)
    articles = [i for i in items if not isinstance(i, Failure)]
    if not articles:
        raise fail("no article could be read from the input")
    _explain(articles, rule_files)


def _explain(articles, rule_files, *, as_json: bool = False) -> None:
    import json

    from rich.markup import escape

    from .explain import explain_articles
    from .output import actor_label

    out = Console(highlight=False)
    for article, explained in explain_articles(articles, rule_files):
        if isinstance(explained, Failure):
            err.print(f"[yellow]skipped[/yellow] {explained.line()}", soft_wrap=True)
            continue
        if as_json:
            print(json.dumps({"doc_id": article.id, "sentences": [s.to_dict() for s in explained]},
                             ensure_ascii=False, indent=2))
            continue
        if len(articles) > 1:
            out.print(f"[bold]{article.source_path or article.id}[/bold]")
        if not explained:
            out.print("no candidate trigger in this text")
        for sent in explained:
            out.print(f"[bold]sentence[/bold] @{sent.start}: {escape(sent.text)}", soft_wrap=True)
            for c in sent.candidates:
                out.print(f"  candidate '{escape(c['trigger'])}' -> {c['rule']} ({c['type']} {c['cameo']}, priority {c['priority']})")
            for e in sent.events:
                steps = f"; steps: {', '.join(e.evidence.steps)}" if e.evidence.steps else ""
                out.print(f"  [green]event[/green] {e.event_type} {e.cameo} {actor_label(e.source)} -> "
                          f"{actor_label(e.target)} {e.factuality}, {e.date or '-'} "
                          f"'{escape(e.evidence.trigger)}' rule {e.evidence.rule}{steps}", soft_wrap=True)
            for s_ in sent.suppressed:
                out.print(f"  [yellow]suppressed[/yellow] '{escape(s_['trigger'])}' {s_['rule']}: {escape(s_['why'])}", soft_wrap=True)


def main() -> None:
    """Entry point: runs the app, turning eventwire errors and bad command lines into one line and exit code 2."""
    try:  # newer typer carries its own copy of click
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover - typer that uses click itself
        from click import exceptions as click

    try:
        code = typer.main.get_command(app).main(args=sys.argv[1:], prog_name="eventwire", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else "", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except click.UsageError as exc:
        command = f"eventwire {exc.ctx.info_name} --help" if exc.ctx and exc.ctx.parent else "eventwire --help"
        message = " ".join(exc.format_message().split())
        err.print(f"[bold red]error:[/bold red] {escape(message)} (see `{command}`)", soft_wrap=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        err.print(f"[bold red]error:[/bold red] {escape(' '.join(exc.format_message().split()))}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("interrupted")
        sys.exit(130)
    except EventwireError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", soft_wrap=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
