"""HTTP for untrusted sources: feeds and the pages they link to, and the webhooks alerts post to.

A feed is input someone else controls, so every request here is bounded: http(s) only (redirects too), a
timeout, a size limit read as the bytes come, a delay between two requests to one host, and retries with
backoff for the errors that pass (timeouts, refused connections, 429 and 5xx). Conditional GET (ETag /
Last-Modified) lets a feed that did not change answer 304 with no body.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_BYTES = 5 * 1024 * 1024
"""A download stops here (5 MiB): a news page or a feed is far smaller; anything larger is not one."""


@dataclass(frozen=True)
class Policy:
    """How politely and how patiently sources are read (the `watch` options set these)."""

    timeout_s: float = 10.0
    host_delay_s: float = 1.0
    retries: int = 2
    backoff_s: float = 2.0
    max_bytes: int = MAX_BYTES


class FetchError(Exception):
    """A request that gave nothing usable; ``transient`` when trying again later may work."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) address (never file:, ftp: or data:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_http_url(newurl):
            raise FetchError(f"redirected to '{newurl[:120]}', which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _user_agent() -> str:
    from . import __version__

    return f"eventwire/{__version__} (news event coder; polite: one request per host per second)"


class Fetcher:
    """GET and POST under a ``Policy``; one per watcher, shared by its sources (the per-host clock lives here)."""

    def __init__(self, policy: Policy | None = None, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy or Policy()
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_HttpOnlyRedirects())

    def _wait_for(self, host: str) -> None:
        with self._lock:
            due = self._last.get(host, 0.0) + self.policy.host_delay_s
            now = time.monotonic()
            self._last[host] = max(now, due)
        if due > now:
            self.sleep(due - now)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Response:
        """The answer to a GET of ``url``; 304 comes back as a Response with no body. Raises FetchError."""
        headers = {"User-Agent": _user_agent(), "Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._with_retries(url, lambda: urllib.request.Request(url, headers=headers))

    def post_json(self, url: str, payload: dict[str, Any]) -> Response:
        """POST ``payload`` as JSON (an alert's webhook); any 2xx is delivered."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"User-Agent": _user_agent(), "Content-Type": "application/json"}
        return self._with_retries(url, lambda: urllib.request.Request(url, data=body, headers=headers, method="POST"))

    def _with_retries(self, url: str, request: Callable[[], urllib.request.Request]) -> Response:
        if not is_http_url(url):
            raise FetchError(f"'{url[:120]}' is not an http(s) address; only those are followed")
        host = urlsplit(url).hostname or ""
        attempt = 0
        while True:
            self._wait_for(host)
            try:
                return self._once(url, request())
            except FetchError as exc:
                if not exc.transient or attempt >= self.policy.retries:
                    raise
            self.sleep(self.policy.backoff_s * (2 ** attempt))
            attempt += 1

    def _once(self, url: str, req: urllib.request.Request) -> Response:
        limit = self.policy.max_bytes
        try:
            with self._opener.open(req, timeout=self.policy.timeout_s) as answer:
                declared = answer.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"{int(declared):,} bytes is over the {limit:,}-byte limit")
                body = answer.read(limit + 1)
                if len(body) > limit:
                    raise FetchError(f"more than the {limit:,}-byte limit; the download was stopped")
                return Response(answer.geturl(), answer.status, body, answer.headers.get("Content-Type", ""),
                                answer.headers.get("ETag"), answer.headers.get("Last-Modified"))
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(url, 304, b"", "", exc.headers.get("ETag"), exc.headers.get("Last-Modified"))
            raise FetchError(f"HTTP {exc.code} {exc.reason}", transient=exc.code == 429 or exc.code >= 500) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, FetchError):
                raise reason from None
            text = "timed out" if isinstance(reason, TimeoutError) else str(reason)
            raise FetchError(f"cannot connect ({text})", transient=True) from None
        except TimeoutError:
            raise FetchError(f"timed out after {self.policy.timeout_s:g} s", transient=True) from None
        except (ConnectionError, OSError) as exc:
            raise FetchError(f"connection failed ({exc})", transient=True) from None
        except ValueError as exc:  # a malformed address urllib refuses
            raise FetchError(f"not a usable address ({exc})") from None
