"""Following the news: `eventwire watch` against a real HTTP server on loopback whose feed changes between
checks, article pages, a host that times out, a 500, a 304, answers that are not feeds, and `kill -9`."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import duckdb
import pytest

from eventwire.alerts import AlertError, fire, keep, parse_alert
from eventwire.errors import EventwireError
from eventwire.fetch import Fetcher, FetchError, Policy
from eventwire.store import Store
from eventwire.watch import Watcher, parse_every, source_kind

# our own sentences about real happenings, one story per item
STORIES = [
    ("Drones hit refinery", "Ukrainian drones struck an oil refinery in Ryazan on Sunday, the regional governor said."),
    ("Troops leave Niger", "French troops withdrew from their last base in Niger on Friday, the army said."),
    ("Talks in Doha", "Qatar hosted talks between Israel and Hamas on a ceasefire in Doha on Monday."),
    ("Protest in Dakar", "Thousands of students protested in Dakar on Tuesday against the postponement of the vote."),
    ("Sanctions on Mali", "The European Union imposed sanctions on five Malian officials on Wednesday."),
    ("Envoy expelled", "Niger expelled the French ambassador on Thursday, the foreign ministry said."),
]
FILLER = ("Officials gave no figure for the damage. Residents said the night had been quiet until then, and "
          "the local authorities promised an inquiry within the week. ")
QUICK = Policy(timeout_s=2.0, host_delay_s=0.0, retries=1, backoff_s=0.05)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay_s: float = 0.0
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    """A loopback web server whose answers a test sets and changes, and which logs every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, str, dict[str, str]]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                site.log.append((self.command, self.path, {**dict(self.headers), "body": body.decode()}))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                time.sleep(route.delay_s)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up
                    self.wfile.write(route.body)

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def requests(self, path: str) -> int:
        return sum(1 for _m, p, _h in self.log if p == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def page(title: str, sentence: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>"
            f"<p>{sentence} {FILLER}</p><p>{FILLER}</p></article><footer>(c) Test Wire</footer></body></html>").encode()


def feed(site: Site, items: list[int], *, full: tuple[int, ...] = (), extra: str = "") -> bytes:
    """An RSS feed of the given stories: summaries linking to pages, or the full text (``full``)."""
    parts = []
    for i in items:
        title, sentence = STORIES[i]
        when = format_datetime(datetime(2024, 5, 5 + i, 9, 0, tzinfo=UTC))
        text = f"{sentence} {FILLER * 5}" if i in full else title + "."
        parts.append(f"<item><title>{title}</title><link>{site.url}/story/{i}</link><guid>story-{i}</guid>"
                     f"<pubDate>{when}</pubDate><description>{text}</description></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title><link>{site.url}/</link>'
            f"<description>news</description>{''.join(parts)}{extra}</channel></rss>").encode()


def publish(site: Site, items: list[int], **kw: object) -> None:
    site.routes["/feed"] = Route(body=feed(site, items, **kw), content_type="application/rss+xml",
                                 etag=f'"{len(items)}-{hash(tuple(items))}"')
    for i in items:
        site.routes[f"/story/{i}"] = Route(body=page(*STORIES[i]))


def test_feed_items_are_fetched_once_and_stored_once_as_the_feed_changes(site: Site, tmp_path: Path) -> None:
    publish(site, [0, 1], full=(1,))
    with Store(tmp_path / "w.duckdb") as store:
        watcher = Watcher(store, [site.url + "/feed"], policy=QUICK)
        first = watcher.check_all()[0]
        assert first.error is None and first.items_new == 2 and first.stored == 2
        assert site.requests("/story/0") == 1, "a summary-only item's page is fetched"
        assert site.requests("/story/1") == 0, "an item that carries its text is not"
        stored = {r[0]: r[1] for r in store.con.execute("SELECT id, text FROM articles").fetchall()}
        assert "Ryazan" in stored["story-0"] and "Home | World" not in stored["story-0"]
        assert {e.event_type for e in first.events} >= {"ASSAULT", "RETREAT"}
        # unchanged: the conditional GET answers 304 and nothing is read
        again = watcher.check_all()[0]
        assert again.unchanged and again.items_new == 0
        assert site.log[-1][2].get("If-None-Match")
        # the feed changes: only the new item is fetched
        publish(site, [0, 1, 2])
        third = watcher.check_all()[0]
        assert third.items_new == 1 and third.stored == 1
        assert site.requests("/story/0") == 1 and site.requests("/story/2") == 1
        assert store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        health = {h.source: h for h in store.sources()}[site.url + "/feed"]
        assert health.health == "ok" and health.items_seen == 3 and health.articles_stored == 3
        assert health.events_new == store.con.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_timeout_a_500_and_a_non_feed_are_recorded_and_the_other_sources_go_on(site: Site, tmp_path: Path) -> None:
    publish(site, [0])
    site.routes["/slow"] = Route(body=b"<rss/>", delay_s=3.0)
    site.routes["/broken"] = Route(status=500, body=b"oops")
    site.routes["/html"] = Route(body=b"<html><body>not a feed</body></html>")
    sources = [site.url + p for p in ("/slow", "/broken", "/html", "/feed")]
    with Store(tmp_path / "w.duckdb") as store:
        results = {r.source: r for r in Watcher(store, sources, policy=QUICK).check_all()}
        assert "timed out" in results[site.url + "/slow"].error
        assert "HTTP 500" in results[site.url + "/broken"].error
        assert site.requests("/broken") == 2, "a 500 is tried again (retries=1) before it is recorded"
        assert "not an RSS or Atom feed" in results[site.url + "/html"].error
        assert results[site.url + "/feed"].stored == 1, "a bad source never stops the others"
        health = {h.source: h.health for h in store.sources()}
        assert [health[s] for s in sources] == ["failing", "failing", "failing", "ok"]
        recorded = store.con.execute("SELECT input, stage FROM failures WHERE stage = 'fetch'").fetchall()
        assert {i for i, _ in recorded} == set(sources[:3])


def test_an_item_page_that_fails_in_passing_is_tried_again_then_given_up(site: Site, tmp_path: Path) -> None:
    publish(site, [0])
    site.routes["/story/0"] = Route(status=503, body=b"busy")
    with Store(tmp_path / "w.duckdb") as store:
        watcher = Watcher(store, [site.url + "/feed"], policy=QUICK)
        first = watcher.check_all()[0]
        assert first.stored == 0 and store.item_state(site.url + "/feed", "story-0") == ("retry", 1)
        site.routes["/feed"].etag = None  # so that the feed is read again
        site.routes["/story/0"] = Route(body=page(*STORIES[0]))
        assert watcher.check_all()[0].stored == 1
        assert store.item_state(site.url + "/feed", "story-0")[0] == "stored"


def test_untrusted_links_and_sizes(site: Site, tmp_path: Path) -> None:
    extra = ("<item><title>Local file</title><link>file:///etc/passwd</link><guid>local</guid>"
             "<description></description></item>"
             f"<item><title>Huge</title><link>{site.url}/huge</link><guid>huge</guid><description></description></item>"
             f"<item><title>Away</title><link>{site.url}/away</link><guid>away</guid><description></description></item>"
             f"<item><title>Image</title><link>{site.url}/img</link><guid>img</guid><description></description></item>")
    publish(site, [0], extra=extra)
    site.routes["/huge"] = Route(body=b"<html>" + b"x" * 20_000 + b"</html>")
    site.routes["/away"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    site.routes["/img"] = Route(body=b"\x89PNG....", content_type="image/png")
    policy = Policy(timeout_s=2.0, host_delay_s=0.0, retries=0, max_bytes=10_000)
    with Store(tmp_path / "w.duckdb") as store:
        result = Watcher(store, [site.url + "/feed"], policy=policy).check_all()[0]
        reasons = {f.input.rsplit("/", 1)[-1]: f.reason for f in result.failures}
        assert result.stored == 1
        assert "byte limit" in reasons["huge"]
        assert "file:///etc/passwd" in reasons["away"] and ("not allowed" in reasons["away"]
                                                             or "not an http(s)" in reasons["away"])
        assert "image/png" in reasons["img"]
        assert store.item_state(site.url + "/feed", "local")[0] == "failed"
        texts = " ".join(r[0] for r in store.con.execute("SELECT text FROM articles").fetchall())
        assert "root:" not in texts


def test_the_politeness_delay_spaces_requests_to_one_host(site: Site) -> None:
    site.routes["/x"] = Route(body=b"ok")
    slept: list[float] = []
    fetcher = Fetcher(Policy(host_delay_s=0.5), sleep=slept.append)
    fetcher.get(site.url + "/x")
    fetcher.get(site.url + "/x")
    assert slept and 0.3 < slept[0] <= 0.5
    with pytest.raises(FetchError, match="not an http"):
        fetcher.get("ftp://127.0.0.1/x")


def test_a_folder_is_followed_and_a_file_is_taken_once(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "one.txt").write_text(STORIES[1][1] + "\n")
    old = time.time() - 10
    os.utime(folder / "one.txt", (old, old))
    with Store(tmp_path / "w.duckdb") as store:
        watcher = Watcher(store, [str(folder)], policy=QUICK)
        assert watcher.check_all()[0].stored == 1
        assert watcher.check_all()[0].items_new == 0
        (folder / "two.txt").write_text(STORIES[5][1] + "\n")
        assert watcher.check_all()[0].items_new == 0, "a file still being written is left for the next check"
        os.utime(folder / "two.txt", (old, old))
        assert watcher.check_all()[0].stored == 1
        assert store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_alerts_fire_once_to_a_file_and_to_a_webhook_that_was_down(site: Site, tmp_path: Path) -> None:
    publish(site, [0, 1], full=(0, 1))
    site.routes["/hook"] = Route(status=500)
    out = tmp_path / "alerts.jsonl"
    with Store(tmp_path / "w.duckdb") as store:
        keep(store, f"type=ASSAULT to={out}")
        keep(store, f"type=RETREAT country=NER to={site.url}/hook")
        watcher = Watcher(store, [site.url + "/feed"], policy=QUICK)
        watcher.check_all()
        lines = [json.loads(x) for x in out.read_text().splitlines()]
        assert [x["event_type"] for x in lines] == ["ASSAULT"]
        assert {a["pending"] for a in store.alerts() if "hook" in a["target"]} == {1}
        site.routes["/hook"] = Route(status=204)
        sent, failures = fire(store, [])  # the next ingest sends what stayed pending
        assert sent == 1 and not failures
        posted = [json.loads(h["body"]) for m, p, h in site.log if m == "POST" and p == "/hook"]
        assert posted[-1]["event"]["event_type"] == "RETREAT"
        n_posts = len(posted)
        publish(site, [0, 1, 2], full=(0, 1, 2))
        watcher.check_all()
        fire(store, [])
        assert len(out.read_text().splitlines()) == 1, "an event goes to an alert once"
        assert sum(1 for m, p, _h in site.log if m == "POST" and p == "/hook") == n_posts


def test_bad_alerts_durations_and_sources_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(AlertError, match="to="):
        parse_alert("type=ASSAULT")
    with pytest.raises(AlertError, match="not a filter"):
        parse_alert("colour=red to=x.jsonl")
    with pytest.raises(AlertError, match="unknown event type"):
        parse_alert("type=BOMB to=x.jsonl")
    assert parse_alert("country=NER type=ASSAULT to=x.jsonl").spec == "country=NER type=ASSAULT"
    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("2h") == 7200
    for bad in ("", "0", "soon", "-5m"):
        with pytest.raises(EventwireError):
            parse_every(bad)
    assert source_kind("https://example.org/rss") == "feed" and source_kind(str(tmp_path)) == "folder"
    for bad in ("ftp://example.org/rss", str(tmp_path / "missing"), "file:///etc/passwd"):
        with pytest.raises(EventwireError):
            source_kind(bad)


def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_watch_cli_bad_values_are_one_line(tmp_path: Path) -> None:
    for args, needle in ((["watch", "ftp://x/feed"], "only http(s)"), (["watch", str(tmp_path), "--every", "soon"],
                                                                    "--every"),
                         (["watch", str(tmp_path), "--alert", "type=ASSAULT"], "to=")):
        done = _cli(*args, "--db", str(tmp_path / "w.duckdb"))
        assert done.returncode == 2 and needle in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_kill_minus_9_during_watch_then_a_restart_loses_and_doubles_nothing(site: Site, tmp_path: Path) -> None:
    items = list(range(len(STORIES)))
    publish(site, items)
    for i in items:
        site.routes[f"/story/{i}"].delay_s = 0.4
    db = tmp_path / "w.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "watch", site.url + "/feed", "--db", str(db),
                             "--every", "1s", "--delay", "0", "--quiet"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and site.requests("/story/2") == 0:
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert site.requests("/story/2") == 1, "killed in the middle of the check"
    done = _cli("watch", site.url + "/feed", "--db", str(db), "--once", "--delay", "0", "--quiet")
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (len(items), len(items))
    assert con.execute("SELECT count(*) FROM source_items WHERE status = 'stored'").fetchone()[0] == len(items)
    got = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    con.close()
    fetched = [site.requests(f"/story/{i}") for i in items]
    assert max(fetched) <= 2 and sum(fetched) <= len(items) + 1, "only a page in flight at the kill is fetched again"
    # the same feed read in one go gives the same mentions: nothing lost, nothing twice
    with Store(tmp_path / "clean.duckdb") as clean:
        Watcher(clean, [site.url + "/feed"], policy=QUICK).check_all()
        assert clean.con.execute("SELECT count(*) FROM mentions").fetchone()[0] == got


def test_serve_watch_reads_while_the_watcher_writes(site: Site, tmp_path: Path) -> None:
    """One process: the watcher writes the store, the API answers meanwhile and shows the new events."""
    import socket
    import urllib.request

    publish(site, [0, 1], full=(0, 1))
    db = tmp_path / "w.duckdb"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "alerts.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", str(db), "--port", str(port),
                             "--watch", site.url + "/feed", "--every", "1s", "--alert", f"type=RETREAT to={out}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"

    def get(path: str) -> dict:
        with urllib.request.urlopen(url + path, timeout=10) as answer:
            return json.loads(answer.read())

    try:
        deadline = time.time() + 180
        seen: list[dict] = []
        cursor = None
        while time.time() < deadline and len({e["event_type"] for e in seen} & {"ASSAULT", "RETREAT"}) < 2:
            try:
                got = get("/api/updates" + (f"?after={urllib.parse.quote(cursor)}" if cursor else ""))
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.2)
                continue
            seen += got["events"]
            cursor = got["cursor"] or cursor
            assert get("/api/stats")["events"] >= len(seen)
            time.sleep(0.3)
        assert {"ASSAULT", "RETREAT"} <= {e["event_type"] for e in seen}
        # a second writer is told what to do in one line
        done = _cli("ingest", str(tmp_path), "--db", str(db))
        assert done.returncode == 2 and "held by a running eventwire server" in done.stderr
        assert [json.loads(x)["event_type"] for x in out.read_text().splitlines()] == ["RETREAT"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    done = _cli("sources", "--db", str(db), "--format", "json")
    assert json.loads(done.stdout)[0]["health"] == "ok"
