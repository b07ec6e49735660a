"""Exports: JSONL, CSV, Parquet, the GDELT 2.0 event layout and PLOVER JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from ..model import Actor, Event
from ..output import CSV_COLUMNS, csv_row

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover")
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                             "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    *(f"Actor2{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                             "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
GDELT_GEO_TYPE = {"country": 1, "admin": 2, "region": 2, "disputed": 2, "city": 4, "facility": 4, "water": 4}
IGO_GDELT = {"UN": "IGOUNO", "NATO": "IGONAT", "EU": "IGOEUREEC", "AU": "IGOAFRAFU", "ECOWAS": "IGOWAFWAS"}


def _actor_cols(actor: Actor | None) -> list[Any]:
    if actor is None:
        return [""] * 10
    country = actor.country or ""
    code = IGO_GDELT.get(country, country) + (actor.sector or "" if actor.sector != "IGO" else "")
    return [code, (actor.name or actor.text or "").upper(), country if len(country) == 3 else "", "", "", "", "",
            actor.sector or "", "", ""]


def gdelt_row(event: Event, counts: dict[str, int], numeric_id: int, url: str = "") -> list[Any]:
    date = (event.date or "").replace("-", "")
    day = (date + "0101")[:8] if date else ""
    year = day[:4]
    frac = ""
    if day:
        frac = f"{int(year) + (int(day[4:6]) - 1) / 12 + (int(day[6:8]) - 1) / 365:.4f}"
    loc = event.location
    geo = [""] * 8
    if loc is not None:
        geo = [GDELT_GEO_TYPE.get(loc.feature or "", 4), loc.name, loc.country or "", loc.admin1 or "", "",
               loc.lat if loc.lat is not None else "", loc.lon if loc.lon is not None else "",
               loc.geonames_id or ""]
    return [
        numeric_id, day, day[:6], year, frac,
        *_actor_cols(event.source), *_actor_cols(event.target),
        1, event.cameo, event.cameo[:3], event.cameo[:2], event.quad_class, event.goldstein,
        counts.get("n_mentions", 1), counts.get("n_outlets", 1), counts.get("n_articles", 1), "",
        *([""] * 8), *([""] * 8), *geo,
        day + "000000" if day else "", url,
    ]


def _entity(actor: Actor | None) -> list[dict[str, Any]]:
    if actor is None:
        return []
    return [{"text": p.text, "name": p.name, "country": p.country, "sector": p.sector, "code": p.code}
            for p in (actor.members or (actor,))]


def plover_record(event: Event) -> dict[str, Any]:
    """The PLOVER 2.0 JSON record, with our fields kept under their own names where PLOVER has none."""
    loc = event.location
    return {
        "id": event.event_id,
        "date": event.date,
        "actor": _entity(event.source),
        "recipient": _entity(event.target),
        "event": [event.event_type],
        "event_loc": None if loc is None else {
            "name": loc.name, "lat": loc.lat, "lon": loc.lon, "geonameid": loc.geonames_id,
            "country_code": loc.country, "admin1_code": loc.admin1, "feature_class": loc.feature},
        "event_text": [event.evidence.trigger],
        "quad_code": event.quad_class,
        "event_scale": event.goldstein,
        "mode": [event.mode] if event.mode else [],
        "context": [event.context] if event.context else [],
        "text": event.evidence.sentence,
        "text_info": {"doc_id": event.doc_id, "start": event.evidence.start, "end": event.evidence.end},
        "coder": "eventwire",
        "factuality": event.factuality,
        "cameo": event.cameo,
    }


def write_export(rows: Iterable[tuple[Event, dict[str, int], str]], fmt: str, stream: IO[str]) -> int:
    """Write events (with their mention counts and a source URL) as ``fmt`` to a text stream."""
    n = 0
    if fmt == "jsonl":
        for event, _counts, _url in rows:
            stream.write(event.to_json() + "\n")
            n += 1
    elif fmt == "plover":
        for event, _counts, _url in rows:
            stream.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for event, _counts, _url in rows:
            writer.writerow(csv_row(event))
            n += 1
    elif fmt == "gdelt":
        writer = csv.writer(stream, delimiter="\t", lineterminator="\n")
        for event, counts, url in rows:
            n += 1
            writer.writerow(gdelt_row(event, counts, n, url))
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return n


def export_parquet(con, where: str, params: list[Any], path: Path) -> int:
    """Parquet straight from DuckDB (flat columns plus the full record as JSON; not the store's lookup key)."""
    internal = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = "
                                          "'events' AND column_name IN ('merge_key')").fetchall()]
    columns = f"* EXCLUDE ({', '.join(internal)})" if internal else "*"
    con.execute(
        f"COPY (SELECT {columns} FROM events WHERE {where} ORDER BY day NULLS LAST, event_id) TO '{_sql_path(path)}' "
        "(FORMAT parquet)", params)
    return con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
