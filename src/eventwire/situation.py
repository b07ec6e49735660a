"""The situation in one country, as an analyst of the Airbase 101 report wants it: which foreign forces
are there (who, where, how many, since when, latest status) and, for each foreign partner, a dated
timeline of cooperation and conflict — every line traceable to a sentence."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from . import data
from .model import Event
from .store import Store

MILITARY = {"MIL"}
MOVEMENTS = ("MOBILIZE", "RETREAT")
EXPULSIONS = ("COERCE", "SANCTION")
EXPEL_MODES = ("expel", "discontinue")
EXPEL_CAMEOS = ("174", "166")


def _words() -> dict[str, Any]:
    return data.load("situation.yaml")


def _movement_status(event: Event) -> str:
    """present / planned for a deployment; withdrawn once a withdrawal is told as done, withdrawing while it is
    announced, agreed or under way (the words are in data/situation.yaml)."""
    table = _words()
    truth = "asserted" if event.factuality == "asserted" else "hypothetical"
    status = table["status"][event.event_type][truth]
    told = {w.lower() for w in event.evidence.trigger.split()}
    if event.event_type == "RETREAT" and truth == "asserted" and told & set(table["ongoing_words"]):
        status = table["status"]["RETREAT"]["hypothetical"]
    return status


def _countries(actor) -> set[str]:
    return set(actor.countries) if actor is not None else set()


def _is_military(actor) -> bool:
    return actor is not None and (actor.sector in MILITARY or any(m.sector in MILITARY for m in actor.members))


def _line(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id, "date": event.date, "date_precision": event.date_precision,
        "type": event.event_type, "mode": event.mode, "quad_class": event.quad_class,
        "direction": None, "source": event.source.code if event.source else None,
        "target": event.target.code if event.target else None, "factuality": event.factuality,
        "where": event.location.name if event.location else None,
        "evidence": event.evidence.sentence.strip(), "doc_id": event.doc_id,
    }


def presence_status(event: Event, country: str) -> tuple[str, str] | None:
    """(foreign country, status) when the event says something about foreign forces in ``country``."""
    src, tgt = _countries(event.source), _countries(event.target)
    loc = event.location.country if event.location else None
    if event.factuality == "negated":
        return None
    here = loc == country or country in tgt
    if (event.event_type in MOVEMENTS and here and _is_military(event.source)) or (
            event.event_type in MOVEMENTS and here and event.source and event.source.sector == "GOV"
            and event.event_type == "RETREAT"):
        foreign = sorted(src - {country})
        if foreign:
            return foreign[0], _movement_status(event)
    if event.event_type in EXPULSIONS and country in src and _is_military(event.target) and \
            (event.mode in EXPEL_MODES or event.cameo.startswith(EXPEL_CAMEOS)):
        foreign = sorted(tgt - {country})
        if foreign:
            return foreign[0], _words()["status"]["expelled"]
    return None


def build_situation(store: Store, country: str) -> dict[str, Any]:
    """The situation of ``country`` (ISO-3) from everything in the store.

    The store reads the values of the lines from the records (``Store.situation_rows``) and hands over a whole
    record only for an event that may tell of foreign forces (``presence_status``) or names troops, so a country
    with many events is read without building every event."""
    country = country.upper()
    total, rows = store.situation_rows(country, MOVEMENTS, EXPULSIONS, EXPEL_MODES, EXPEL_CAMEOS)
    presence: dict[str, dict[str, Any]] = {}
    timelines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    told: list[Event] = []
    for row in rows:
        if row[18] is not None:
            event = Event.from_dict(json.loads(row[18]))
            told.append(event)
            _follow(presence, event, country)
        src, tgt = _row_countries(*row[12:15]), _row_countries(*row[15:18])
        if country not in src and country not in tgt:
            continue
        for partner in sorted((src | tgt) - {country}):
            timelines[partner].append({
                "event_id": row[0], "date": row[1], "date_precision": row[2], "type": row[3], "mode": row[4],
                "quad_class": int(row[5]), "direction": f"{country}->{partner}" if country in src
                else f"{partner}->{country}", "source": row[6], "target": row[7], "factuality": row[8],
                "where": row[9], "evidence": row[10].strip(), "doc_id": row[11]})
    # troop numbers named in any mention of the country's foreign forces
    for event in told:
        for q in event.quantities:
            if q.kind == "troops":
                for foreign in presence:
                    if foreign in q.text or foreign in _countries(event.source):
                        presence[foreign]["troops"] = presence[foreign]["troops"] or int(q.value)
    return {
        "country": country,
        "events": total,
        "foreign_presence": sorted(presence.values(), key=lambda p: p["country"]),
        "partners": {p: lines for p, lines in sorted(timelines.items(), key=lambda kv: -len(kv[1]))},
    }


def _row_countries(n_members: int | None, members: str | None, own: str | None) -> set[str]:
    """``Actor.countries`` from what ``Store.situation_rows`` reads of an actor (its members' countries joined)."""
    if n_members:
        return {m for m in (members or "").split(",") if m}
    return {own} if own else set()


def _follow(presence: dict[str, dict[str, Any]], event: Event, country: str) -> None:
    """What one event (in date order) changes in the foreign forces of ``country``."""
    found = presence_status(event, country)
    if found is not None:
        foreign, status = found
        entry = presence.setdefault(foreign, {"country": foreign, "since": event.date, "status": status,
                                              "first_reported": event.date, "where": [], "troops": None,
                                              "evidence": []})
        # a plan or a promise does not overrule what was reported as done; "since" is when the status began
        if event.factuality == "asserted" or not entry.get("asserted"):
            if status != entry["status"]:
                entry["since"] = event.date
            entry["status"] = status
            entry["last_update"] = event.date
            entry["latest_evidence"] = _line(event)
        entry["asserted"] = entry.get("asserted") or event.factuality == "asserted"
        if event.location and event.location.name not in entry["where"] and event.location.feature != "country":
            entry["where"].append(event.location.name)
        entry["evidence"].append(_line(event))
    for q in event.quantities:
        if q.kind == "troops":
            for foreign in _countries(event.source) - {country}:
                if foreign in presence:
                    presence[foreign]["troops"] = int(q.value)
