"""Filters over the store, shared by the CLI and the web service; values always travel as parameters."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import EventwireError
from ..model import EVENT_TYPES

EARTH_KM = 6371.0


class QueryError(EventwireError):
    """A filter value that cannot be used (unknown type, unknown place, bad date)."""


@dataclass
class EventFilter:
    """What a user can ask for: type, actor, country, dates, nearness to a place."""

    type: str | None = None
    actor: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    near: str | None = None
    km: float = 50.0
    factuality: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause with ``?`` placeholders and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.type:
            wanted = [t.strip().upper() for t in self.type.split(",") if t.strip()]
            unknown = [t for t in wanted if t not in EVENT_TYPES]
            if unknown:
                raise QueryError(f"unknown event type {', '.join(unknown)}; use one of {', '.join(EVENT_TYPES)}")
            clauses.append(f"event_type IN ({', '.join('?' for _ in wanted)})")
            params += wanted
        if self.country:
            code = self.country.strip().upper()
            clauses.append("(source_key LIKE ? OR target_key LIKE ? OR location_country = ?)")
            params += [f"%{code}%", f"%{code}%", code]
        if self.actor:
            needle = self.actor.strip()
            clauses.append("(source_code = ? OR target_code = ? OR event_id IN "
                           "(SELECT event_id FROM actors WHERE code = ? OR lower(text) LIKE ? OR lower(name) LIKE ?))")
            params += [needle.upper(), needle.upper(), needle.upper(), f"%{needle.lower()}%", f"%{needle.lower()}%"]
        if self.since:
            clauses.append("day >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("day <= ?")
            params.append(self.until)
        if self.factuality:
            clauses.append("factuality = ?")
            params.append(self.factuality)
        if self.near:
            lat, lon = resolve_point(self.near)
            # a point within km is within km / R radians of latitude (the distance is at least R times the
            # difference in latitude): that band is a cheap filter before the great-circle distance
            band = math.degrees(float(self.km) / EARTH_KM) + 1e-6
            clauses.append(
                "lat IS NOT NULL AND lat BETWEEN ? AND ? AND 2 * 6371 * asin(sqrt(pow(sin(radians(lat - ?) / 2), 2) + "
                "cos(radians(?)) * cos(radians(lat)) * pow(sin(radians(lon - ?) / 2), 2))) <= ?")
            params += [lat - band, lat + band, lat, lat, lon, float(self.km)]
        return (" AND ".join(clauses) or "TRUE"), params


def resolve_point(name: str) -> tuple[float, float]:
    """'Niamey', or 'lat,lon' -> coordinates; an unknown place is a ``QueryError`` saying so."""
    parts = name.split(",")
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            pass
    from ..coding.places import gazetteer

    gaz = gazetteer()
    cands = gaz.candidates(name.strip()) or gaz.candidates(name.strip().title())
    cands = [c for c in cands if c.place.lat is not None]
    if not cands:
        raise QueryError(f"--near: '{name}' is not in the gazetteer; give a city, country or 'lat,lon'")
    place = gaz.choose(cands, set())
    return place.lat, place.lon


def country_code(text: str) -> str:
    """'NER', 'ner' or 'Niger' -> 'NER' (an ISO-3 code, or a code our actor data uses such as XKX); anything else is a
    ``QueryError`` that says what to give."""
    from ..coding.lexicon import lexicon

    t = text.strip()
    names = lexicon().country_names
    known = set(names.values())
    if len(t) == 3 and t.isalpha():
        import pycountry

        code = t.upper()
        if code in known or pycountry.countries.get(alpha_3=code) is not None:
            return code
        raise QueryError(f"'{text}' is not an ISO-3 country code; give one such as NER, or a name such as Niger")
    code = names.get(t) or names.get(t.title())
    if code is None:
        raise QueryError(f"'{text}' is not a country we know; give its ISO-3 code, e.g. NER")
    return code
