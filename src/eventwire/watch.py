"""``eventwire watch``: follow RSS/Atom feeds and folders, and ingest what is new, as it comes.

Each check of a source is one ingest run (``ingest.ingest``, the path the CLI and the server use). What makes a
restart after ``kill -9`` lose and double nothing: an item is marked taken only after its article is stored, an
item whose article id is already stored is marked without being fetched, and storing skips stored ids. A feed is
untrusted input: requests go through ``fetch.Fetcher`` (http(s) only, size limit, timeouts, per-host delay,
retries); a bad answer is a recorded failure of that source and the others go on.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EventwireError, InputError
from .fetch import Fetcher, FetchError, Policy, is_http_url
from .ingest import RunReport, ingest
from .model import Article, Event, Failure
from .reader import entry_date, entry_text, expand, make_article, read_html
from .store import Store
from .store.follow import ITEM_DONE
from .store.query import EventFilter

FULL_TEXT_CHARS = 600
"""A feed item whose own text is shorter than this carries a summary: its article page is fetched."""
ITEM_ATTEMPTS = 3
"""An item whose page failed this many times with passing errors is given up (recorded as failed)."""
SETTLE_S = 1.0
"""A file changed less than this long ago may still be being written: it is taken at the next check."""
FEED_TYPES = ("xml", "rss", "atom", "rdf")
PAGE_TYPES = ("text/html", "application/xhtml")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_every(text: str) -> float:
    """'15m', '30s', '2h', '1d' or plain seconds to seconds; a bad one raises EventwireError."""
    m = _DURATION.match(text or "")
    if not m or float(m.group(1)) <= 0:
        raise EventwireError(f"--every '{text}': give a duration such as 30s, 15m, 2h or 1d")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def source_kind(source: str) -> str:
    """'feed' for an http(s) URL, 'folder' for a folder; anything else raises EventwireError."""
    if is_http_url(source):
        return "feed"
    if "://" in source:
        raise EventwireError(f"{source}: only http(s) feeds are followed")
    if Path(source).is_dir():
        return "folder"
    raise EventwireError(f"{source}: not an http(s) feed URL nor a folder; give a feed's URL or a folder of articles")


@dataclass
class CheckResult:
    """One check of one source: what was new, what was stored, and what went wrong."""

    source: str
    kind: str
    items_new: int = 0
    unchanged: bool = False
    error: str | None = None
    report: RunReport | None = None
    failures: list[Failure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.report.articles_added if self.report else 0

    def line(self) -> str:
        """One line for a log: what the check found."""
        if self.error:
            return f"{self.source}: failed: {self.error}"
        if self.unchanged:
            return f"{self.source}: unchanged (304)"
        new = self.report.events_new if self.report else 0
        tail = f", {len(self.failures)} failure(s)" if self.failures else ""
        return f"{self.source}: {self.items_new} new item(s), {self.stored} article(s) stored, {new} new event(s){tail}"


def _item_key(entry: dict) -> str:
    key = entry.get("id") or entry.get("link")
    if key:
        return str(key)
    return "sha1:" + hashlib.sha1(f"{entry.get('title', '')}\n{entry.get('summary', '')}".encode()).hexdigest()


class Watcher:
    """Checks its sources in turn, and again every ``every`` seconds; the store is its one writer."""

    def __init__(self, store: Store, sources: Iterable[str], *, policy: Policy | None = None, lang: str = "auto",
                 workers: int = 1, rules: tuple[str, ...] | None = None,
                 on_check: Callable[[CheckResult], None] | None = None) -> None:
        self.store = store
        self.sources = [(s, source_kind(s)) for s in dict.fromkeys(sources)]
        self.fetcher = Fetcher(policy)
        self.lang, self.workers, self.rules = lang, workers, rules
        self.on_check = on_check or (lambda _r: None)
        for source, kind in self.sources:
            store.add_source(source, kind)

    # one check ----------------------------------------------------------------------------------

    def check(self, source: str, kind: str) -> CheckResult:
        """Check one source; never raises for what the source answers (that is the result's error)."""
        result = CheckResult(source, kind)
        try:
            if kind == "feed":
                self._check_feed(result)
            else:
                self._check_folder(result)
        except (FetchError, EventwireError) as exc:
            result.error = getattr(exc, "reason", None) or str(exc)
        except Exception as exc:  # a bug or a library's surprise on one source must not stop the others
            result.error = f"{type(exc).__name__}: {exc}"
        failures = result.report.failures if result.report else []
        for failure in result.failures:
            self.store.add_failure(failure, result.report.run_id if result.report else None)
        if result.error:
            self.store.add_failure(Failure(source, result.error, stage="fetch"))
        self.store.source_checked(
            source, error=result.error, items=result.items_new, stored=result.stored,
            events=result.report.events_new if result.report else 0,
            failures=len(result.failures) + sum(f.is_error for f in failures))
        self.on_check(result)
        return result

    def check_all(self) -> list[CheckResult]:
        return [self.check(source, kind) for source, kind in self.sources]

    def run(self, every_s: float, stop: threading.Event | None = None, *, once: bool = False) -> None:
        """Check every source, then again every ``every_s`` seconds until ``stop`` is set (or once)."""
        stop = stop or threading.Event()
        while not stop.is_set():
            started = time.monotonic()
            for source, kind in self.sources:
                if stop.is_set():
                    return
                self.check(source, kind)
            if once:
                return
            stop.wait(max(0.0, every_s - (time.monotonic() - started)))

    # feeds --------------------------------------------------------------------------------------

    def _check_feed(self, result: CheckResult) -> None:
        import feedparser

        etag, modified = self.store.validators(result.source)
        answer = self.fetcher.get(result.source, etag=etag, last_modified=modified,
                                  accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
        if answer.status == 304:
            result.unchanged = True
            return
        feed = feedparser.parse(answer.body)
        if not feed.get("version"):
            kind = answer.content_type.split(";")[0] or "no content type"
            raise FetchError(f"the answer ({kind}) is not an RSS or Atom feed")
        outlet = feed.feed.get("title")
        todo: list[tuple[str, Article]] = []
        for entry in feed.entries:
            item = _item_key(entry)
            state = self.store.item_state(result.source, item)
            if state is not None and state[0] in ITEM_DONE:
                continue
            result.items_new += 1
            article = self._article(result, entry, item, outlet, attempts=state[1] if state else 0)
            if article is not None:
                todo.append((item, article))
        self._store(result, todo)
        # the validators are kept only once the items they cover are stored
        if answer.etag or answer.last_modified:
            self.store.source_checked(result.source, etag=answer.etag, last_modified=answer.last_modified)

    def _article(self, result: CheckResult, entry: dict, item: str, outlet: str | None,
                 attempts: int) -> Article | None:
        """The article of a feed item (its page fetched when the feed carries a summary), or None when it is
        already stored, failed for good, or is to be tried again at the next check."""
        link = entry.get("link") or ""
        article_id = str(entry.get("id") or link or item)
        link = link if is_http_url(link) else ""  # only http(s) pages are followed (a bare guid is no link)
        if self.store.has_article(article_id):
            self.store.mark_item(result.source, item, "stored", article_id)
            return None
        kept = self.store.fetched_article(result.source, item)
        if kept is not None:
            return kept
        text = entry_text(entry)
        where = f"{result.source}#{item}"
        meta = {"published": entry_date(entry), "title": entry.get("title"), "url": link or None,
                "outlet": outlet, "lang": entry.get("language")}
        if len(text) < FULL_TEXT_CHARS and link:
            try:
                page = self._page(link, where, meta)
            except FetchError as exc:
                if exc.transient and attempts + 1 < ITEM_ATTEMPTS:
                    self.store.mark_item(result.source, item, "retry", article_id)
                    result.failures.append(Failure(link, f"{exc.reason}; tried again at the next check",
                                                   stage="fetch", severity="warning"))
                    return None
                if not text:
                    self.store.mark_item(result.source, item, "failed", article_id)
                    result.failures.append(Failure(link, exc.reason, stage="fetch"))
                    return None
                result.failures.append(Failure(link, f"{exc.reason}; the feed's summary was coded instead",
                                               stage="fetch", severity="warning"))
            else:
                article = Article(**{**page.__dict__, "id": article_id})
                self.store.mark_item(result.source, item, "fetched", article_id, article)
                return article
        try:
            return make_article(text, where, id=article_id, **meta)
        except InputError as exc:
            self.store.mark_item(result.source, item, "failed", article_id)
            result.failures.append(Failure(where, str(exc)))
            return None

    def _page(self, link: str, where: str, meta: dict) -> Article:
        answer = self.fetcher.get(link, accept="text/html, application/xhtml+xml;q=0.9")
        kind = answer.content_type.split(";")[0].strip().lower()
        if not kind.startswith(PAGE_TYPES):
            raise FetchError(f"the article page is {kind or 'of no content type'}, not HTML")
        html = answer.body.decode("utf-8", errors="replace")
        try:
            page = next(iter(read_html(html, where, meta["published"])))
        except (InputError, StopIteration):
            raise FetchError("no article text found on the page") from None
        return Article(**{**page.__dict__, "title": meta["title"] or page.title, "url": link,
                          "outlet": meta["outlet"] or page.outlet, "published": meta["published"] or page.published,
                          "lang": meta["lang"] or page.lang})

    def _store(self, result: CheckResult, todo: list[tuple[str, Article]]) -> None:
        if not todo:
            return
        result.report = ingest([a for _, a in todo], self.store, workers=self.workers, lang=self.lang,
                               rules=self.rules, label=[result.source])
        for item, article in todo:
            stored = self.store.has_article(article.id)
            self.store.mark_item(result.source, item, "stored" if stored else "failed", article.id)
        result.events = self.store.matching_events(EventFilter(), result.report.new_event_ids)

    # folders ------------------------------------------------------------------------------------

    def _check_folder(self, result: CheckResult) -> None:
        folder = Path(result.source)
        if not folder.is_dir():
            raise EventwireError(f"{folder}: the folder is gone")
        try:
            files = [Path(p) for p in expand([str(folder)])]
        except InputError:  # an empty folder is a quiet one
            files = []
        now = time.time()
        todo: list[tuple[str, Path]] = []
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            if now - st.st_mtime < SETTLE_S:
                continue
            item = f"{path.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}"
            if self.store.item_state(result.source, item) is None:
                todo.append((item, path))
        result.items_new = len(todo)
        if not todo:
            return
        result.report = ingest([p for _, p in todo], self.store, workers=self.workers, lang=self.lang,
                               rules=self.rules, label=[result.source])
        failed = {f.input for f in result.report.failures if f.is_error}
        for item, path in todo:
            self.store.mark_item(result.source, item, "failed" if str(path) in failed else "stored")
        result.events = self.store.matching_events(EventFilter(), result.report.new_event_ids)
