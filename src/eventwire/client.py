"""Ingest through a running server (``eventwire ingest --via URL``): the articles are read here and sent to the
server's ``POST /api/ingest`` in batches, so the server stays the store's one writer while its page stays up."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from .errors import EventwireError
from .model import Article, Failure
from .reader import iter_articles

BATCH = 100
"""Articles per request (the server takes at most 1,000)."""
TIMEOUT_S = 600


def _batches(items: Iterable[Article | Failure], size: int) -> Iterator[tuple[list[Article], list[Failure]]]:
    articles: list[Article] = []
    failures: list[Failure] = []
    for item in items:
        (failures if isinstance(item, Failure) else articles).append(item)
        if len(articles) >= size:
            yield articles, failures
            articles, failures = [], []
    if articles or failures:
        yield articles, failures


def _post(url: str, token: str, articles: list[Article]) -> dict[str, Any]:
    body = json.dumps({"articles": [a.to_dict() for a in articles]}, ensure_ascii=False, default=str).encode()
    request = urllib.request.Request(url.rstrip("/") + "/api/ingest", data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:200]
        raise EventwireError(f"{url} refused the articles ({exc.code}: {detail}); "
                             "check $EVENTWIRE_TOKEN and that the server runs with --allow-ingest") from None
    except (urllib.error.URLError, OSError) as exc:
        raise EventwireError(f"{url}: no eventwire server answers there ({exc})") from None


def ingest_via(url: str, token: str, paths: list[str], *, published: date | None = None, lang: str = "auto",
               stdin_format: str = ".txt") -> dict[str, Any]:
    """Send the articles of ``paths`` to the server at ``url``; the summed report of its answers."""
    if not url.startswith(("http://", "https://")):
        raise EventwireError(f"--via {url}: give the server's http:// or https:// address")
    total: dict[str, Any] = {"stored": 0, "new_events": 0, "mentions": 0, "already_stored": 0, "errors": 0,
                             "warnings": 0, "failures": []}
    items = iter_articles(paths, published, strict=False, stdin_format=stdin_format, lang=lang)
    for articles, failures in _batches(items, BATCH):
        total["failures"] += [f.to_dict() for f in failures]
        total["errors"] += sum(f.is_error for f in failures)
        total["warnings"] += sum(f.severity == "warning" for f in failures)
        if not articles:
            continue
        answer = _post(url, token, articles)
        for key in ("stored", "new_events", "mentions", "already_stored", "errors", "warnings"):
            total[key] += int(answer.get(key, 0))
        total["failures"] += answer.get("failures", [])
    return total
