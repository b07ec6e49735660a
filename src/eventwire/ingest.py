"""Ingest: articles into the store as one recorded run, the one path the CLI, the web service and the watcher use.

Sources are paths (files, folders, ``-`` for stdin, read by ``reader``), ``Article`` records (from a feed, an API
body) or ``Failure`` records of inputs that could not be read. An article id already stored is skipped, each
article is written in one transaction, and every failure is recorded with the run, so a run that is killed can
be started again and stores everything exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import EventwireError
from .language import MODES, assign, is_coded
from .model import Article, Event, Failure
from .pipeline import RuleFiles, default_workers, extract_articles, not_coded
from .reader import iter_articles
from .store import Store

STORE_BATCH = 64
"""Articles stored per transaction: a commit and a statement cost DuckDB more than an article's rows."""
STORE_WAIT_S = 2.0
"""The longest an extracted article waits for its batch, so that a slow run still shows its events soon."""

Source = str | Path | Article | Failure
Progress = Callable[[int, int], None]
"""Called after each article with (articles done, articles to do)."""

ENGINES: tuple[str, ...] = ("local", "ray")


@dataclass
class RunReport:
    """What one run did: counts, the ids of the events it created, and every failure."""

    run_id: str
    articles_added: int = 0
    events_new: int = 0
    mentions: int = 0
    already_stored: int = 0
    skipped_language: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    new_event_ids: list[str] = field(default_factory=list)
    alerts_sent: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.failures)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.failures)

    def summary(self) -> str:
        """One line for the end of a run."""
        parts = [f"stored {self.articles_added} article(s), {self.mentions} mention(s) -> {self.events_new} new "
                 f"event(s) in {self.seconds:.1f}s", f"{self.already_stored} already stored",
                 f"{self.errors} failed", f"{self.warnings} warning(s)"]
        if self.alerts_sent:
            parts.append(f"{self.alerts_sent} alert(s) sent")
        if self.skipped_language:
            langs = ", ".join(f"{lang} {n}" for lang, n in sorted(self.skipped_language.items(), key=lambda kv: -kv[1]))
            parts.append(f"{sum(self.skipped_language.values())} skipped for their language ({langs})")
        return "; ".join(parts[:2]) + ", " + ", ".join(parts[2:])

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "stored": self.articles_added, "new_events": self.events_new,
                "mentions": self.mentions, "already_stored": self.already_stored,
                "skipped_language": self.skipped_language, "errors": self.errors, "warnings": self.warnings,
                "failures": [f.to_dict() for f in self.failures], "alerts_sent": self.alerts_sent,
                "seconds": round(self.seconds, 2)}


def _inputs(sources: Iterable[Source], published: date | None, lang: str, stdin_format: str,
            *, strict: bool = False) -> Iterator[Article | Failure]:
    paths: list[str] = []

    def flush() -> Iterator[Article | Failure]:
        if paths:
            yield from iter_articles(list(paths), published, strict=strict, stdin_format=stdin_format, lang=lang)
            paths.clear()

    for source in sources:
        if isinstance(source, (str, Path)):
            paths.append(str(source))
            continue
        yield from flush()
        if isinstance(source, Article):
            yield assign(source, lang)
        else:
            yield source
    yield from flush()


def _extract(engine: str, articles: list[Article], workers: int, rules: RuleFiles, ray_address: str | None,
             shards: Path | None) -> Iterator[tuple[Article, list[Event] | Failure]]:
    if engine == "local":
        return extract_articles(articles, workers=min(workers, max(1, len(articles))), rules=rules)
    if rules:
        raise EventwireError("--rules works with --engine local; on a Ray cluster set EVENTWIRE_RULES on every worker")
    import tempfile

    try:
        from .engines.ray_engine import extract_articles_ray
    except ImportError:
        raise EventwireError("--engine ray needs Ray: pip install 'eventwire[ray]'") from None
    folder = shards or Path(tempfile.mkdtemp(prefix="eventwire-shards-"))
    return extract_articles_ray(articles, folder, address=ray_address, workers=workers)


def extract_sources(sources: Iterable[Source], *, workers: int = 1, published: date | None = None,
                    lang: str = "auto", rules: RuleFiles = None, stdin_format: str = ".txt",
                    mentions: bool = False, strict: bool = True) -> tuple[list[Event], RunReport, int]:
    """Events of ``sources`` without a store (``eventwire extract``): one per happening in each article, or
    every mention with ``mentions``; the report of failures and skipped languages; how many articles were read.
    ``strict``: bytes that are not UTF-8 fail the input instead of being replaced."""
    from .resolve import merge_mentions

    if lang not in MODES:
        raise EventwireError(f"language '{lang}' is not known; use one of {', '.join(MODES)}")
    started = time.perf_counter()
    report = RunReport("")
    seen = 0
    todo: list[Article] = []
    for item in _inputs(sources, published, lang, stdin_format, strict=strict):
        if isinstance(item, Failure):
            report.failures.append(item)
            continue
        seen += 1
        if not is_coded(item.lang):
            report.skipped_language[item.lang] = report.skipped_language.get(item.lang, 0) + 1
            report.failures.append(not_coded(item))
        else:
            todo.append(item)
    events: list[Event] = []
    n_workers = default_workers() if workers == 0 else workers
    for _article, result in extract_articles(todo, workers=min(n_workers, max(1, len(todo))), rules=rules):
        if isinstance(result, Failure):
            report.failures.append(result)
        else:
            events.extend(result if mentions else [h.event for h in merge_mentions(result)])
    report.seconds = time.perf_counter() - started
    return events, report, seen


def ingest(sources: Iterable[Source], store: Store, *, engine: str = "local", workers: int = 1,
           progress: Progress | None = None, published: date | None = None, lang: str = "auto",
           rules: RuleFiles = None, stdin_format: str = ".txt", ray_address: str | None = None,
           shards: Path | None = None, label: list[str] | None = None, alerts: bool = True) -> RunReport:
    """Extract events from ``sources`` into ``store`` as one run, and report it.

    ``workers`` 0 uses every core; ``engine`` 'local' (worker processes) or 'ray'; ``lang`` 'auto', 'en' or 'fr';
    ``label`` names the run's inputs in the store (default: the paths given). Bad input never raises: it is a
    recorded ``Failure`` and the run goes on. A bad option raises ``EventwireError`` before anything is stored.
    The new events go to the alerts kept in the store (``alerts.fire``) unless ``alerts`` is False.
    """
    if engine not in ENGINES:
        raise EventwireError(f"engine '{engine}' is not known; use one of {', '.join(ENGINES)}")
    if lang not in MODES:
        raise EventwireError(f"language '{lang}' is not known; use one of {', '.join(MODES)}")
    if workers < 0:
        raise EventwireError(f"workers must be 0 (every core) or more, not {workers}")
    started = time.perf_counter()
    sources = list(sources)
    names = label if label is not None else [str(s) for s in sources if isinstance(s, (str, Path))]
    report = RunReport(store.begin_run(names))
    known = store.known_ids()
    todo: list[Article] = []

    def failed(failure: Failure) -> None:
        store.add_failure(failure, report.run_id)
        report.failures.append(failure)

    for item in _inputs(sources, published, lang, stdin_format):
        if isinstance(item, Failure):
            failed(item)
        elif item.id in known:
            report.already_stored += 1
        elif not is_coded(item.lang):
            # recorded with its language, never coded with another language's rules
            report.skipped_language[item.lang] = report.skipped_language.get(item.lang, 0) + 1
            failed(not_coded(item))
        else:
            known.add(item.id)
            todo.append(item)
    n_workers = default_workers() if workers == 0 else workers
    done = 0
    pending: list[tuple[Article, list[Event]]] = []
    since = time.perf_counter()

    def store_pending() -> None:
        if not pending:
            return
        results = store.add_articles(pending, report.run_id)
        for (article, _mentions), res in zip(pending, results, strict=True):
            if isinstance(res, Exception):  # a value DuckDB refuses fails that article alone
                failed(Failure(article.source_path or article.id, f"could not be stored: {res}", stage="store"))
            else:
                report.articles_added += res.added
                report.events_new += res.events_new
                report.mentions += res.mentions
                report.new_event_ids.extend(res.new_event_ids)
        pending.clear()

    if progress is not None:
        progress(0, len(todo))
    try:
        for article, result in _extract(engine, todo, n_workers, rules, ray_address, shards):
            if isinstance(result, Failure):
                failed(result)
            else:
                if not pending:
                    since = time.perf_counter()
                pending.append((article, result))
                if len(pending) >= STORE_BATCH or time.perf_counter() - since >= STORE_WAIT_S:
                    store_pending()
            done += 1
            if progress is not None:
                progress(done, len(todo))
        store_pending()
        if alerts:
            from .alerts import fire

            report.alerts_sent, alert_failures = fire(store, report.new_event_ids)
            for failure in alert_failures:
                failed(failure)
    finally:
        if pending:  # interrupted: what was extracted is kept
            store_pending()
        report.seconds = time.perf_counter() - started
        store.finish_run(report.run_id, articles=report.articles_added, events=report.events_new,
                         mentions=report.mentions, failures=report.errors)
    return report
