"""The web service over a real DuckDB store: API, OpenAPI-driven fuzzing, a real browser, a small load."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error

from eventwire.model import Article
from eventwire.pipeline import extract_articles
from eventwire.server.app import create_app
from eventwire.store import Store

from .test_store import BACKGROUND, STORY

ARTICLES = [
    ("s1", STORY, "2024-05-03", "Wire A"),
    ("s2", STORY + " " + BACKGROUND, "2024-05-03", "Wire B"),
    ("k1", "Kenyan police fired tear gas at protesters in Nairobi on Tuesday. Kenya's president condemned "
           "the violence.", "2024-06-26", "Wire A"),
    ("u1", "Russian forces shelled Kharkiv on Monday, Ukrainian officials said.", "2024-05-21", "Wire C"),
]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("server") / "demo.duckdb"
    articles = [Article(id=i, text=t, published=__import__("datetime").date.fromisoformat(p), outlet=o,
                        title=f"Story {i}") for i, t, p, o in ARTICLES]
    with Store(db) as store:
        for article, events in extract_articles(articles):
            store.add_article(article, events)
    return db


@pytest.fixture(scope="session")
def client(demo_db: Path) -> TestClient:
    return TestClient(create_app(demo_db))


def test_server_events_listing_and_filters(client: TestClient) -> None:
    data = client.get("/api/events").json()
    assert data["total"] == len(data["events"]) > 0
    mob = client.get("/api/events", params={"type": "MOBILIZE"}).json()
    assert mob["events"] and {e["event_type"] for e in mob["events"]} == {"MOBILIZE"}
    assert client.get("/api/events", params={"country": "NER"}).json()["total"] >= 1
    page = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert len(page["events"]) == 1 and page["events"][0]["event_id"] == data["events"][1]["event_id"]


def test_server_event_detail_has_every_mention(client: TestClient) -> None:
    mob = client.get("/api/events", params={"type": "MOBILIZE"}).json()["events"][0]
    detail = client.get(f"/api/events/{mob['event_id']}").json()
    assert detail["event"]["n_mentions"] == len(detail["mentions"]) == 2
    assert {m["article"]["outlet"] for m in detail["mentions"]} == {"Wire A", "Wire B"}
    assert all(m["evidence"]["sentence"] for m in detail["mentions"])


@pytest.mark.parametrize(("path", "status"), [
    ("/api/events/does-not-exist", 404),
    ("/api/events?type=PARTY", 400),
    ("/api/events?limit=0", 422),
    ("/api/events?limit=100000", 422),
    ("/api/events?since=yesterday", 422),
    ("/api/events?country=N'; DROP TABLE events; --", 422),
    ("/api/events?near=Xyzzyville", 400),
    ("/api/situation/XXX", 400),
    ("/api/situation/Atlantis", 400),
    ("/api/updates?after=0|", 400),
    ("/api/timeline?interval=century", 422),
])
def test_server_bad_requests_are_4xx(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert "detail" in response.json()


def test_server_stats_timeline_situation(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["articles"] == len(ARTICLES) and stats["events"] > 0
    buckets = client.get("/api/timeline", params={"interval": "month"}).json()["buckets"]
    assert sum(b["cooperation"] + b["conflict"] for b in buckets) > 0
    total = lambda bs: sum(b["cooperation"] + b["conflict"] for b in bs)  # noqa: E731
    by_actor = client.get("/api/timeline", params={"actor": "RUSMIL"}).json()["buckets"]
    matching = client.get("/api/events", params={"actor": "RUSMIL"}).json()["total"]
    assert 0 < total(by_actor) == matching < total(buckets), "the timeline takes the actor filter of the table"
    sit = client.get("/api/situation/NER").json()
    assert any(p["country"] == "RUS" for p in sit["foreign_presence"])
    assert client.get("/api/situation/Niger").json() == sit, "a country's name works as its code does"


def test_server_ingest_needs_flag_and_token(demo_db: Path, tmp_path: Path, monkeypatch) -> None:
    body = {"articles": [{"id": "n1", "text": "French troops withdrew from Niger on Friday.", "published": "2023-12-22"}]}
    assert TestClient(create_app(demo_db)).post("/api/ingest", json=body).status_code == 404
    db = tmp_path / "rw.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("EVENTWIRE_TOKEN", "s3cret")
    rw = TestClient(create_app(db, allow_ingest=True))
    assert rw.post("/api/ingest", json=body).status_code == 401
    assert rw.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = rw.post("/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["stored"] == 1
    again = rw.post("/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert again.json()["stored"] == 0


def test_server_openapi_fuzz_finds_no_5xx(demo_db: Path) -> None:
    """Property-based requests generated from our own OpenAPI spec; none may answer 5xx."""
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(demo_db))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        check()


@contextmanager
def in_thread(db: Path) -> Iterator[str]:
    """The app over ``db`` served by uvicorn in a thread on a free loopback port; yields its URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(url + "/api/stats").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(demo_db: Path) -> Iterator[str]:
    with in_thread(demo_db) as url:
        yield url


def test_server_load_on_loopback(live_server: str) -> None:
    paths = ["/api/events", "/api/stats", "/api/timeline", "/api/events?type=MOBILIZE", "/api/situation/NER", "/"]
    with httpx.Client(base_url=live_server, timeout=10) as http, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: http.get(paths[i % len(paths)]).status_code, range(240)))
    assert statuses.count(200) == 240


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true",
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_server_page_in_a_real_browser(live_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium must be installed in CI"
    shot = Path(os.environ.get("EVENTWIRE_SCREENSHOT", tmp_path / "page.png"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(live_server + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        assert page.locator("#events tbody tr").count() > 1
        assert page.locator("#map path").count() > 100, "country boundaries are drawn from bundled data"
        page.select_option("#f-type", "MOBILIZE")
        page.click("#f-apply")
        page.wait_for_function("document.querySelectorAll('#events tbody tr').length === 1")
        page.click("#events tbody tr")
        page.wait_for_selector("#detail mark.trigger")
        assert "entered" in page.locator("#detail mark.trigger").first.inner_text()
        assert page.locator("#map circle").count() >= 1
        page.fill("#sit-country", "NER")
        page.click("#sit-form button")
        page.wait_for_selector("#situation table")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 10_000
