"""The actor dictionary as lookup tables: surface words -> who they stand for.

Built once per process and language from ``data/actors.yaml``, the language's own forms in
``data/actors.<lang>.yaml`` where there is one ("le Niger", "nigériennes", "la CEDEAO"), and any Phoenix
dictionaries a user imports. Lookups work on token n-grams of the spaCy Doc with exact case, because case carries meaning
in news ("US" the country, "us" the pronoun).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum, auto
from functools import cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span

from .. import data
from ..errors import InputError
from .syntax import lang_words, span_text, token_texts

MAX_NGRAM = 7
LANGUAGE_MAX_NGRAM = 12
"""French names run longer in tokens ("Communauté économique des États de l'Afrique de l'Ouest" is 11)."""
APOSTROPHES = ("'", "’")
# the language of the words the dictionary is read with ("the Gambia" is also "Gambia") when none is named
DEFAULT_LANG = "en"


class EntryKind(StrEnum):
    """What a dictionary entry names, the most specific first (a person before a country)."""

    PERSON = auto()
    GROUP = auto()
    IGO = auto()
    METONYM = auto()
    COUNTRY = auto()
    DEMONYM = auto()


KIND_RANK = {kind: rank for rank, kind in enumerate(EntryKind)}


@dataclass(frozen=True)
class Entry:
    """What a dictionary surface form stands for."""

    kind: EntryKind
    country: str | None
    sector: str | None
    name: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day >= self.valid_to)


@dataclass(frozen=True)
class Mention:
    """A dictionary hit in a Doc: tokens [start, end) and the entries it may stand for."""

    start: int
    end: int
    entries: tuple[Entry, ...]

    def best(self, day: date | None) -> Entry:
        """The entry valid on ``day`` (office holders change), preferring the most specific kind."""
        valid = [e for e in self.entries if e.valid_on(day)] or list(self.entries)
        return sorted(valid, key=lambda e: KIND_RANK[e.kind])[0]


IGO_SECTOR = "IGO"
NGO_SECTOR = "NGO"


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class Lexicon:
    """Surface form -> entries, agent words -> sectors, titles -> sectors."""

    def __init__(self) -> None:
        self.forms: dict[str, list[Entry]] = defaultdict(list)
        self.first_tokens: set[str] = set()
        self.longest: dict[str, int] = {}  # first token -> the longest surface (in characters) that starts with it
        self.regions: set[str] = set()  # "Latin America": a name that holds a country's name but names no actor
        self.sector_words: dict[str, str] = {}
        self.titles: list[tuple[str, str]] = []
        self.country_names: dict[str, str] = {}
        self.part_of: dict[str, str] = {}  # "UNSC" -> "UN": the wider body an organ belongs to
        self.igo_codes: set[str] = set()
        self.ngo_codes: set[str] = set()  # the international NGOs among them (Amnesty, MSF)
        self.max_ngram = MAX_NGRAM
        self.title_words: set[str] = set()
        """one-word titles of a language's own file ("Général", "Président"): no given name before a surname"""
        self.canonical: dict[tuple[EntryKind, str], str] = {}
        """(kind, code) -> the name the first dictionary gave it: "le Niger" is coded with the name "Niger"."""

    def add(self, surface: str, entry: Entry) -> None:
        surface = surface.strip()
        if not surface:
            return
        if entry not in self.forms[surface]:
            self.forms[surface].append(entry)
        self.note_first(surface.split()[0] if " " in surface else _first_token(surface), surface)

    def note_first(self, first: str, surface: str) -> None:
        self.first_tokens.add(first)
        self.longest[first] = max(self.longest.get(first, 0), len(surface))

    def mentions(self, doc: Doc | Span) -> list[Mention]:
        """Longest-first, non-overlapping dictionary hits in document order."""
        out: list[Mention] = []
        offset = 0 if isinstance(doc, Doc) else doc.start
        base = doc if isinstance(doc, Doc) else doc.doc
        n = len(doc)
        # the words, their offsets and the text read once: a span's text is a slice of the text
        full = span_text(base)
        all_texts, _lowers, all_starts = token_texts(base)
        texts, starts = all_texts[offset : offset + n], all_starts[offset : offset + n]
        first_tokens, longest, regions, forms = self.first_tokens, self.longest, self.regions, self.forms
        i = 0
        while i < n:
            word = texts[i]
            first = _first_token(word)
            if word not in first_tokens and first not in first_tokens:
                i += 1
                continue
            hit = None
            skip = 0
            # no surface starting with this word is longer than this many characters
            limit = max(longest.get(word, 0), longest.get(first, 0))
            begin = starts[i]
            for size in range(min(self.max_ngram, n - i), 0, -1):
                end = starts[i + size - 1] + len(texts[i + size - 1])
                if end - begin > limit:
                    continue
                text = full[begin:end]
                if text in regions:
                    skip = size
                    break
                entries = forms.get(text)
                if entries:
                    hit = Mention(offset + i, offset + i + size, tuple(entries))
                    break
            if skip:
                i += skip
                continue
            if hit is None or _other_person(hit, base, self.title_words) or _inside_other_name(hit, base):
                i += 1
                continue
            out.append(hit)
            i = hit.end - offset
        return out

    def sector_of(self, words: str) -> str | None:
        return self.sector_words.get(words.lower())


def _other_person(hit: Mention, doc: Doc, title_words: set[str] = frozenset()) -> bool:
    """"Richard Bennett" is not Naftali Bennett: a surname alias after a given name the entry's name lacks."""
    if hit.start == 0 or any(e.kind != EntryKind.PERSON for e in hit.entries):
        return False
    prev, first = doc[hit.start - 1], doc[hit.start]
    if first.ent_type_ != "PERSON" or prev.ent_type_ != "PERSON" or first.ent_iob_ != "I" or not prev.is_alpha:
        return False  # "Donald J. Trump": an initial is no other given name
    if not prev.text[:1].isupper() or prev.text in title_words:
        return False  # "le général Tiani" (the French model puts the title in the name): a title is no given name
    text = doc[hit.start : hit.end].text
    return all(text != e.name and prev.text not in e.name.split() for e in hit.entries)


def _inside_other_name(hit: Mention, doc: Doc) -> bool:
    """"Sudan's National Congress Party" is not the U.S. Congress: an organisation's name that continues a proper
    name begun before it is a word of that other name."""
    if hit.start == 0:
        return False
    prev, first = doc[hit.start - 1], doc[hit.start]
    inside = prev.pos_ == "PROPN" and prev.is_title and first.ent_iob_ == "I" and prev.ent_type_ == first.ent_type_
    if all(e.kind == EntryKind.GROUP for e in hit.entries):
        return inside
    # "Air France", "Royal Air Maroc": a company named after a country is not that country
    return inside and first.ent_type_ == "ORG" and all(e.kind in (EntryKind.COUNTRY, EntryKind.METONYM)
                                                      for e in hit.entries)


def _first_token(surface: str) -> str:
    for sep in ("-", "'", "’"):
        if sep in surface:
            return surface.split(sep)[0] or surface
    return surface


def user_dictionary_files() -> tuple[str, ...]:
    """User dictionaries named in EVENTWIRE_ACTORS (paths joined by the path separator)."""
    return tuple(filter(None, os.environ.get("EVENTWIRE_ACTORS", "").split(os.pathsep)))


def extra_dictionaries(files: tuple[str, ...] | None = None) -> list[dict]:
    """The user dictionaries ``files`` (default: EVENTWIRE_ACTORS), parsed."""
    out = []
    for name in files if files is not None else user_dictionary_files():
        try:
            out.append(yaml.safe_load(Path(name).read_text(encoding="utf-8")) or {})
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"EVENTWIRE_ACTORS: {name}: cannot read the dictionary ({exc})") from None
    return out


def lexicon(lang: str = DEFAULT_LANG, dictionaries: tuple[str, ...] | None = None) -> Lexicon:
    """The packaged dictionary plus the user's ``dictionaries`` (default: EVENTWIRE_ACTORS), built once per
    language and set of files."""
    files = tuple(dictionaries) if dictionaries is not None else user_dictionary_files()
    return _lexicon(lang, files)


@cache
def _lexicon(lang: str, files: tuple[str, ...]) -> Lexicon:
    lex = Lexicon()
    _add_dictionary(lex, data.load("actors.yaml"), lang)
    own = language_dictionary(lang)
    if own is not None:
        lex.max_ngram = LANGUAGE_MAX_NGRAM
        _add_dictionary(lex, own, lang, own_language=True)
    for extra in extra_dictionaries(files):
        _add_dictionary(lex, extra, lang)
    return lex


def language_dictionary(lang: str) -> dict | None:
    """The packaged forms of a language other than English (``data/actors.<lang>.yaml``), if there are any."""
    return data.for_language("actors.yaml", lang, DEFAULT_LANG)


def _spellings(surface: str, both_apostrophes: bool) -> list[str]:
    """"Côte d'Ivoire" is also written "Côte d’Ivoire"."""
    if not both_apostrophes or not any(a in surface for a in APOSTROPHES):
        return [surface]
    straight, curly = surface.replace("’", "'"), surface.replace("'", "’")
    return [surface, *(s for s in (straight, curly) if s != surface)]


def _without_article(name: str, articles: list[str]) -> str | None:
    """"the Gambia" -> "Gambia", "le Niger" -> "Niger", "l'Égypte" -> "Égypte": the name an article may be dropped
    from (an elided article is written without the space)."""
    for article in articles:
        if article.endswith(APOSTROPHES):
            if name.startswith(article) and len(name) > len(article) and name[len(article)] != " ":
                return name[len(article) :]
        elif name.startswith(f"{article} "):
            return name[len(article) + 1 :]
    return None


def _add_dictionary(lex: Lexicon, raw: dict, lang: str = DEFAULT_LANG, *, own_language: bool = False) -> None:
    """Add one dictionary. The language's own file (``own_language``) names the same codes in that language: its
    entries keep the names the first file gave the codes, a surface form it lists stands for what it says there
    (French "RSF" is Reporters sans frontières, whatever English makes of the string), its sector words win over
    English ones written the same ("militants" are activists in French), and a form with an apostrophe is found
    with either apostrophe."""
    articles = sorted(lang_words(lang)["country_name_articles"])
    replaced: set[str] = set()

    def add(surface: str, entry: Entry) -> None:
        for form in _spellings(surface.strip(), own_language):
            if own_language and form not in replaced:
                replaced.add(form)
                lex.forms.pop(form, None)
            lex.add(form, entry)

    def canonical(kind: EntryKind, code: str | None, name: str) -> str:
        if code is None:
            return name
        return lex.canonical.setdefault((kind, code), name)

    for code, info in (raw.get("countries") or {}).items():
        names = info.get("names") or []
        name0 = canonical(EntryKind.COUNTRY, code, names[0] if names else code)
        for name in names:
            bare = _without_article(name, articles)  # "the Gambia" is also "Gambia"
            for form in (name, bare) if bare else (name,):
                add(form, Entry(EntryKind.COUNTRY, code, None, name0))
                for spelled in _spellings(form, own_language):
                    lex.country_names[spelled] = code
        for demonym in info.get("demonyms") or []:
            add(demonym, Entry(EntryKind.DEMONYM, code, None, name0))
        for met in info.get("metonyms") or []:
            text = met["text"] if isinstance(met, dict) else str(met)
            sector = met.get("sector", "GOV") if isinstance(met, dict) else "GOV"
            add(text, Entry(EntryKind.METONYM, code, sector, text))
    for code, info in (raw.get("igos") or {}).items():
        names = info.get("names") or [code]
        name0 = canonical(EntryKind.IGO, code, names[0])
        lex.igo_codes.add(code)
        if info.get("sector") == NGO_SECTOR:
            lex.ngo_codes.add(code)
        if info.get("part_of"):
            lex.part_of[code] = info["part_of"]
        for name in names:
            add(name, Entry(EntryKind.IGO, code, info.get("sector") or IGO_SECTOR, name0))
    for group in raw.get("groups") or []:
        names = group.get("names") or []
        for name in names:
            add(name, Entry(EntryKind.GROUP, group.get("country"), group.get("sector"), names[0]))
    for person in raw.get("people") or []:
        country = person.get("country") or person.get("igo")
        entry = Entry(
            EntryKind.PERSON, country, person.get("sector"), person["name"],
            _date(person.get("from")), _date(person.get("to")),
        )
        add(person["name"], entry)
        for alias in person.get("aliases") or []:
            add(alias, entry)
    for name in raw.get("regions") or []:
        for form in _spellings(str(name), own_language):
            lex.regions.add(form)
            lex.note_first(form.split()[0], form)
    for sector, words in (raw.get("sectors") or {}).items():
        for word in words or []:
            if own_language:
                lex.sector_words[str(word).lower()] = sector
            else:
                lex.sector_words.setdefault(str(word).lower(), sector)
    titles = [(str(t), sector) for sector, ts in (raw.get("titles") or {}).items() for t in ts or []]
    if own_language:
        lex.title_words |= {t for t, _sector in titles if " " not in t}
    lex.titles = sorted([*lex.titles, *titles], key=lambda ts: -len(ts[0]))
