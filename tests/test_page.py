"""The page in a real browser: it follows the store (a new event shows up, marked new, without a reload), the timeline
has a time axis and a brush, a click on a country filters by it, and it stays fast over 10,000 events."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from eventwire.model import Actor, Article, Event, Evidence, Place
from eventwire.server.app import STATIC
from eventwire.store import Store

from .test_live import OTHER, _env, _serving
from .test_server import in_thread

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true",
                                    reason="Debian's chromium is not installed (.ci/run installs it)")
BIG = 10_000
GAP_YEAR = 2019
"""The big store has no event in this year: the timeline must leave it empty, not close it up."""

# (type, cameo, quad, goldstein, source, target, place): a spread of dyads and places over the world
SEEDS = [
    ("ASSAULT", "190", 4, -10.0, ("RUS", "RUSMIL", "Russian forces"), ("UKR", "UKR", "Ukraine"),
     ("Kharkiv", "UKR", 49.98, 36.25)),
    ("MOBILIZE", "154", 4, -7.2, ("RUS", "RUSMIL", "Russian troops"), ("NER", "NER", "Niger"),
     ("Niamey", "NER", 13.51, 2.11)),
    ("PROTEST", "140", 3, -6.5, ("KEN", "KENCVL", "protesters"), ("KEN", "KENGOV", "the government"),
     ("Nairobi", "KEN", -1.29, 36.82)),
    ("AGREE", "057", 1, 8.0, ("USA", "USAGOV", "Washington"), ("JPN", "JPNGOV", "Tokyo"),
     ("Tokyo", "JPN", 35.69, 139.69)),
    ("AID", "070", 2, 7.0, ("BRA", "BRAGOV", "Brazil"), ("ARG", "ARG", "Argentina"),
     ("Buenos Aires", "ARG", -34.6, -58.38)),
    ("CONSULT", "040", 1, 1.0, ("FRA", "FRAGOV", "Paris"), ("DEU", "DEUGOV", "Berlin"),
     ("Berlin", "DEU", 52.52, 13.4)),
    ("ACCUSE", "112", 3, -2.0, ("IND", "INDGOV", "New Delhi"), ("PAK", "PAK", "Pakistan"),
     ("Islamabad", "PAK", 33.69, 73.06)),
    ("SANCTION", "163", 3, -8.0, ("USA", "USAGOV", "the US Treasury"), ("IRN", "IRN", "Iran"),
     ("Tehran", "IRN", 35.69, 51.39)),
    ("COOPERATE", "050", 2, 3.5, ("AUS", "AUSMIL", "Australian troops"), ("IDN", "IDNMIL", "Indonesian forces"),
     ("Jakarta", "IDN", -6.2, 106.85)),
    ("COERCE", "170", 4, -7.0, ("NGA", "NGAPOL", "Nigerian police"), ("NGA", "NGACVL", "students"),
     ("Lagos", "NGA", 6.52, 3.38)),
]


def _event(i: int, seed: tuple, day: date) -> Event:
    etype, cameo, quad, goldstein, (sc, scode, stext), (tc, tcode, ttext), (pname, pc, lat, lon) = seed
    sentence = f"{stext} and {ttext} in {pname}, report {i}."
    return Event(
        event_id=f"{i:016x}", doc_id=f"seed{i}", event_type=etype, cameo=cameo, quad_class=quad,
        goldstein=goldstein, evidence=Evidence(sentence, 0, len(sentence), "and", len(stext) + 1, len(stext) + 4),
        source=Actor(stext, name=sc, country=sc, code=scode, sector=scode[3:] or None),
        target=Actor(ttext, name=tc, country=tc, code=tcode, sector=tcode[3:] or None),
        date=day.isoformat(), date_precision="day", location=Place(pname, pname, pc, lat=lat, lon=lon, feature="city"))


def _seed_store(db: Path, n: int, first: date) -> None:
    """``n`` events, one article each, a week apart from ``first`` (no NLP: the events are made here)."""
    with Store(db) as store:
        for i in range(n):
            event = _event(i, SEEDS[i % len(SEEDS)], first + timedelta(days=7 * i))
            article = Article(id=f"seed{i}", text=event.evidence.sentence, title=f"Seed {i}",
                              published=first + timedelta(days=7 * i), outlet="Wire")
            store.add_article(article, [event])


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """10,000 events over 2015-2023 with 2019 left empty: 40 made as above, the rest copied from them by SQL
    (new ids and days; their mentions copied too, so any event's detail answers)."""
    db = tmp_path_factory.mktemp("page") / "big.duckdb"
    seeds = 40
    _seed_store(db, seeds, date(2015, 1, 5))
    with Store(db) as store:
        con = store.con
        con.execute("CREATE TEMP TABLE seed_ix AS SELECT event_id, row_number() OVER (ORDER BY event_id) - 1 AS k "
                    "FROM events")
        con.execute("CREATE TEMP TABLE plan AS SELECT g, DATE '2015-01-01' + CAST((g * 7919) % 3285 AS INTEGER) AS d "
                    "FROM range(?, ?) t(g)", [seeds, BIG])
        con.execute("UPDATE plan SET d = d + INTERVAL 1 YEAR WHERE year(d) = ?", [GAP_YEAR])
        con.execute("CREATE TEMP TABLE copies AS SELECT s.event_id AS src, p.g, substr(md5(s.event_id || '-' || "
                    "p.g::VARCHAR), 1, 16) AS new_id, CAST(p.d AS DATE) AS d FROM seed_ix s JOIN plan p ON p.g % ? = s.k",
                    [seeds])
        con.execute("INSERT INTO events SELECT e.* REPLACE (c.new_id AS event_id, strftime(c.d, '%Y-%m-%d') AS date, "
                    "c.d AS day, json_merge_patch(e.record, json_object('event_id', c.new_id, 'date', "
                    "strftime(c.d, '%Y-%m-%d'))) AS record) FROM events e JOIN copies c ON c.src = e.event_id")
        con.execute("INSERT INTO mentions SELECT m.* REPLACE (m.mention_id || ':' || c.g::VARCHAR AS mention_id, "
                    "c.new_id AS event_id) FROM mentions m JOIN copies c ON c.src = m.event_id")
        assert store.count() == BIG
    return db


@pytest.fixture(scope="module")
def big_server(big_db: Path):
    with in_thread(big_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium must be installed in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    return page


def _total(page) -> int:
    return int(page.locator("#total").inner_text().split()[0])


def test_page_country_codes_table_matches_pycountry() -> None:
    """iso-numeric.json (made once with pycountry) gives every shape of the bundled map its ISO-3 code."""
    import pycountry

    codes = json.loads((STATIC / "iso-numeric.json").read_text())
    topo = json.loads((STATIC / "countries-110m.json").read_text())
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id"):
            assert codes[g["id"]] == pycountry.countries.get(numeric=g["id"]).alpha_3
        else:
            assert len(codes[g["properties"]["name"]]) == 3, g["properties"]


def test_page_api_is_fast_over_10000_events(big_server: str) -> None:
    paths = ["/api/events", "/api/events?offset=9975&limit=25", "/api/events?country=NER&type=MOBILIZE",
             "/api/events?actor=RUSMIL&since=2020-01-01", "/api/timeline?interval=month",
             "/api/timeline?interval=day&country=UKR", "/api/stats", "/api/updates?limit=1"]
    with httpx.Client(base_url=big_server, timeout=10) as http:
        assert http.get("/api/events").json()["total"] == BIG
        for path in paths:
            start = time.perf_counter()
            assert http.get(path).status_code == 200, path
            assert time.perf_counter() - start < 1.5, f"{path} is slow over {BIG} events"
        months = {b["period"][:4] for b in http.get("/api/timeline?interval=month").json()["buckets"]}
        assert str(GAP_YEAR) not in months and {"2018", "2020"} <= months


@needs_chromium
def test_page_is_ready_fast_and_reads_well_over_10000_events(browser, big_server: str) -> None:
    start = time.perf_counter()
    page = _open(browser, big_server + "/")
    ready = time.perf_counter() - start
    assert ready < 10, f"the page took {ready:.1f}s to be ready over {BIG} events"
    assert page.locator("#events tbody tr").count() == 25, "one page of events, not all of them"
    assert _total(page) == BIG
    assert page.locator("#map circle").count() <= 25
    # actor names beside codes: "RUSMIL · Russian forces"
    cells = page.locator("#events tbody td:nth-child(3)").all_inner_texts()
    assert any("·" in c and c.split("·")[0].strip().isupper() for c in cells), cells
    # a time axis: years labelled; the empty year is a gap as wide as the year, not squeezed
    labels = page.locator("#timeline text.tick").all_text_contents()
    assert "2016" in labels or "2018" in labels, labels
    x = lambda period: float(page.locator(f"#timeline g[data-period='{period}'] rect").first.get_attribute("x"))  # noqa: E731
    month = x("2018-12-01") - x("2018-11-01")
    assert month > 0 and x("2020-01-01") - x("2018-12-01") > 12 * month * 0.95, "2019 is left empty"
    page.close()


def _click_inside(page, selector: str) -> None:
    """A real click on a point of the shape where nothing lies over it (the map's points are on top)."""
    point = page.evaluate("""(sel) => {
        const el = document.querySelector(sel), r = el.getBoundingClientRect(), m = document.querySelector('#map').getBoundingClientRect();
        for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
            const x = r.left + r.width * i / 12, y = r.top + r.height * j / 12;
            if (x > m.left && x < m.right && y > m.top && y < m.bottom && document.elementFromPoint(x, y) === el) return [x, y];
        }
        return null; }""", selector)
    assert point, f"no free point of {selector} on the map"
    page.mouse.click(*point)


@needs_chromium
def test_page_clicking_a_country_filters_by_it(browser, big_server: str) -> None:
    page = _open(browser, big_server + "/")
    expected = httpx.get(big_server + "/api/events", params={"country": "NER", "limit": 1}).json()["total"]
    assert 0 < expected < BIG
    _click_inside(page, "#map path[data-iso='NER']")
    page.wait_for_function("document.querySelector('#f-country').value === 'NER'")
    page.wait_for_function(f"document.querySelector('#total').textContent.startsWith('{expected} ')")
    assert page.locator("#map path.on").count() == 1
    assert page.locator("#map path.on").get_attribute("data-iso") == "NER"
    # a second click on it lifts the filter
    _click_inside(page, "#map path[data-iso='NER']")
    page.wait_for_function(f"document.querySelector('#total').textContent.startsWith('{BIG} ')")
    assert page.locator("#f-country").input_value() == "" and page.locator("#map path.on").count() == 0
    page.close()


@needs_chromium
def test_page_timeline_brush_picks_a_period(browser, big_server: str) -> None:
    page = _open(browser, big_server + "/")
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] * 0.4
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=4)
    page.mouse.up()
    page.wait_for_function("document.querySelector('#f-since').value && document.querySelector('#f-until').value")
    since, until = page.locator("#f-since").input_value(), page.locator("#f-until").input_value()
    assert "2015-01-01" < since < until < "2024-01-01"
    assert 300 < (date.fromisoformat(until) - date.fromisoformat(since)).days < 1500, (since, until)
    expected = httpx.get(big_server + "/api/events", params={"since": since, "until": until, "limit": 1}).json()
    page.wait_for_function(f"document.querySelector('#total').textContent.startsWith('{expected['total']} ')")
    assert page.locator("#brush").is_visible() and page.locator("#tl-clear").is_visible()
    assert all(since <= d <= until for d in page.locator("#events tbody td:first-child").all_inner_texts())
    # double-click clears the period
    page.locator("#timeline").dblclick(position={"x": box["width"] * 0.8, "y": box["height"] * 0.4})
    page.wait_for_function(f"document.querySelector('#total').textContent.startsWith('{BIG} ')")
    assert page.locator("#f-since").input_value() == "" and page.locator("#f-until").input_value() == ""
    page.wait_for_selector("#tl-clear", state="hidden", timeout=5000)  # hidden once the timeline is drawn again
    page.close()


@needs_chromium
def test_page_shows_a_new_event_without_a_reload(browser, tmp_path: Path) -> None:
    """A real `serve --allow-ingest`; an article POSTed to it while the page is open shows up on it, marked new."""
    db = tmp_path / "live.duckdb"
    _seed_store(db, 6, date(2024, 5, 1))
    env = _env(EVENTWIRE_TOKEN="s3cret")
    with _serving(db, "--allow-ingest", env=env) as url:
        page = _open(browser, url + "/?poll=300")
        other = _open(browser, url + "/?poll=300")  # a page filtered to something else sees no new row
        other.select_option("#f-type", "PROTEST")
        other.click("#f-apply")
        other.wait_for_function("document.querySelector('#total').textContent.startsWith('1 ')")
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.evaluate("window.samePage = true")
        before_total, before_dots = _total(page), page.locator("#map circle").count()
        assert page.locator("#events tbody tr.new").count() == 0 and not page.locator("#new-count").is_visible()

        body = {"articles": [{"id": "ryazan", "text": OTHER, "published": "2024-06-03", "title": "Refinery hit"}]}
        done = httpx.post(url + "/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"}, timeout=120)
        assert done.status_code == 200 and done.json()["stored"] == 1, done.text

        page.wait_for_selector("#events tbody tr.new", timeout=30000)
        row = page.locator("#events tbody tr").first
        assert "new" in (row.get_attribute("class") or "") and row.locator(".badge").inner_text() == "new"
        assert "ASSAULT" in row.inner_text() and "Ukrainian drones" in row.inner_text()
        assert page.locator("#new-count").inner_text() == "1 new"
        assert page.locator("#map circle.new").count() == 1 and page.locator("#map circle").count() == before_dots + 1
        page.wait_for_function(f"document.querySelector('#total').textContent.startsWith('{before_total + 1} ')")
        page.wait_for_function("document.querySelector('#stats').textContent.startsWith('7 articles')")
        assert page.evaluate("window.samePage") is True and navigations == [], "no reload"

        other.wait_for_function("document.querySelector('#stats').textContent.startsWith('7 articles')")
        assert other.locator("#events tbody tr.new").count() == 0 and not other.locator("#new-count").is_visible()
        assert _total(other) == 1
        # the counter, clicked on the first page, marks the new events seen
        page.click("#new-count")
        assert page.locator("#events tbody tr.new").count() == 0 and not page.locator("#new-count").is_visible()
        page.close()
        other.close()
