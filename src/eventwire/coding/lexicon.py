"""The actor dictionary as lookup tables: surface words -> who they stand for.

Built once per process from ``data/actors.yaml`` (and any Phoenix dictionaries a user imports).
Lookups work on token n-grams of the spaCy Doc with exact case, because case carries meaning
in news ("US" the country, "us" the pronoun).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span

from .. import data
from ..errors import InputError

MAX_NGRAM = 7


@dataclass(frozen=True)
class Entry:
    """What a dictionary surface form stands for."""

    kind: str  # country, demonym, metonym, igo, group, person
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


KIND_RANK = {"person": 0, "group": 1, "igo": 2, "metonym": 3, "country": 4, "demonym": 5}
IGO_SECTOR = "IGO"


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
        self.sector_words: dict[str, str] = {}
        self.titles: list[tuple[str, str]] = []
        self.country_names: dict[str, str] = {}
        self.part_of: dict[str, str] = {}  # "UNSC" -> "UN": the wider body an organ belongs to
        self.igo_codes: set[str] = set()

    def add(self, surface: str, entry: Entry) -> None:
        surface = surface.strip()
        if not surface:
            return
        if entry not in self.forms[surface]:
            self.forms[surface].append(entry)
        self.first_tokens.add(surface.split()[0] if " " in surface else _first_token(surface))

    def mentions(self, doc: Doc | Span) -> list[Mention]:
        """Longest-first, non-overlapping dictionary hits in document order."""
        out: list[Mention] = []
        tokens = doc if isinstance(doc, Doc) else doc.doc[doc.start : doc.end]
        offset = 0 if isinstance(doc, Doc) else doc.start
        n = len(tokens)
        i = 0
        base = tokens.doc if isinstance(tokens, Span) else tokens
        while i < n:
            tok = base[offset + i]
            if tok.text not in self.first_tokens and _first_token(tok.text) not in self.first_tokens:
                i += 1
                continue
            hit = None
            for size in range(min(MAX_NGRAM, n - i), 0, -1):
                text = base[offset + i : offset + i + size].text
                entries = self.forms.get(text)
                if entries:
                    hit = Mention(offset + i, offset + i + size, tuple(entries))
                    break
            if hit is None:
                i += 1
                continue
            out.append(hit)
            i = hit.end - offset
        return out

    def sector_of(self, words: str) -> str | None:
        return self.sector_words.get(words.lower())


def _first_token(surface: str) -> str:
    for sep in ("-", "'", "’"):
        if sep in surface:
            return surface.split(sep)[0] or surface
    return surface


def extra_dictionaries() -> list[dict]:
    """User dictionaries named in EVENTWIRE_ACTORS (paths joined by the path separator)."""
    out = []
    for name in filter(None, os.environ.get("EVENTWIRE_ACTORS", "").split(os.pathsep)):
        try:
            out.append(yaml.safe_load(Path(name).read_text(encoding="utf-8")) or {})
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"EVENTWIRE_ACTORS: {name}: cannot read the dictionary ({exc})") from None
    return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged dictionary plus any user dictionaries (cached for the process)."""
    lex = Lexicon()
    _add_dictionary(lex, data.load("actors.yaml"))
    for extra in extra_dictionaries():
        _add_dictionary(lex, extra)
    return lex


def _add_dictionary(lex: Lexicon, raw: dict) -> None:
    for code, info in (raw.get("countries") or {}).items():
        names = info.get("names") or []
        canonical = names[0] if names else code
        for name in names:
            lex.add(name, Entry("country", code, None, canonical))
            lex.country_names[name] = code
            if name.startswith("the "):
                lex.add(name[4:], Entry("country", code, None, canonical))
        for demonym in info.get("demonyms") or []:
            lex.add(demonym, Entry("demonym", code, None, canonical))
        for met in info.get("metonyms") or []:
            text = met["text"] if isinstance(met, dict) else str(met)
            sector = met.get("sector", "GOV") if isinstance(met, dict) else "GOV"
            lex.add(text, Entry("metonym", code, sector, text))
    for code, info in (raw.get("igos") or {}).items():
        names = info.get("names") or [code]
        lex.igo_codes.add(code)
        if info.get("part_of"):
            lex.part_of[code] = info["part_of"]
        for name in names:
            lex.add(name, Entry("igo", code, info.get("sector") or IGO_SECTOR, names[0]))
    for group in raw.get("groups") or []:
        names = group.get("names") or []
        for name in names:
            lex.add(name, Entry("group", group.get("country"), group.get("sector"), names[0]))
    for person in raw.get("people") or []:
        country = person.get("country") or person.get("igo")
        entry = Entry(
            "person", country, person.get("sector"), person["name"],
            _date(person.get("from")), _date(person.get("to")),
        )
        lex.add(person["name"], entry)
        for alias in person.get("aliases") or []:
            lex.add(alias, entry)
    for sector, words in (raw.get("sectors") or {}).items():
        for word in words or []:
            lex.sector_words.setdefault(str(word).lower(), sector)
    titles = [(str(t), sector) for sector, ts in (raw.get("titles") or {}).items() for t in ts or []]
    lex.titles = sorted([*lex.titles, *titles], key=lambda ts: -len(ts[0]))
