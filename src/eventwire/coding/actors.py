"""Actors: the words that name who acts, coded as country (ISO-3 or IGO code) + sector.

Rules, in order: a dictionary entry in the noun phrase (person with a dated office, armed group,
IGO, seat of power, country, demonym) gives the country; the head word gives the sector
("troops" -> MIL, "officials" -> GOV), else a title ("Adm.", "President") or the entry's own sector.
Pronouns, surnames and definite descriptions ("the official") reach back to earlier actors in the
article: light coreference rules, since no coreference model is installable here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Token

from ..model import Actor
from .lexicon import KIND_RANK, Entry, EntryKind, Lexicon, Mention, lexicon
from .syntax import labels, lang_maps, quotation_bounds, span_text, tokens_text, words

# The words (pronouns, determiners, quantity heads, the prepositions of a noun phrase) are per-language data in
# ``rules/<lang>/words/actors.yaml``.

NP_DEPS = {"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "case", "flat", "nn", "npadvmod"}
REACH = 120
"""How many tokens back a pronoun or a definite description may find its antecedent (a few sentences)."""
BARE_COUNTRY_SECTOR = "GOV"
"""A country named as the doer of a political act ("Niger severed ties") is its government."""


@dataclass
class ActorContext:
    """What the actor rules know about one article."""

    doc: Doc
    published: date | None
    mentions: dict[int, Mention]
    history: list[tuple[int, Actor, str]] = field(default_factory=list)
    surnames: dict[str, Actor] = field(default_factory=dict)
    commentators: set[str] = field(default_factory=set)  # surnames of the analysts the article quotes
    lex: Lexicon | None = None
    sectors: dict[int, str | None] = field(default_factory=dict, repr=False)  # head token -> its sector, once

    @classmethod
    def build(cls, doc: Doc, published: date | None, *, dictionaries: tuple[str, ...] | None = None) -> ActorContext:
        """The actors of one article, from our dictionary plus ``dictionaries`` (user files; None reads
        ``EVENTWIRE_ACTORS``)."""
        lex = lexicon(doc.lang_, dictionaries)
        index: dict[int, Mention] = {}
        for m in lex.mentions(doc):
            for i in range(m.start, m.end):
                index[i] = m
        ctx = cls(doc, published, index, lex=lex)
        ctx._prepass()
        return ctx

    def _prepass(self) -> None:
        """Actors named anywhere (also outside events) become antecedents for later references."""
        for tok in self.doc:
            if tok.ent_type_ == "PERSON" and tok.dep_ not in ("compound", "flat") and _commentator(tok):
                self.commentators.add(tok.text)  # "security analyst Kabiru Adamu ... Adamu said"
            if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod", "poss", "flat"):
                continue
            actor = code_actor(tok, self, resolve_references=False)
            if actor is None or not (actor.country or actor.sector):
                continue
            # "the Senegalese peace plan" names no actor: a thing qualified by a demonym is no antecedent
            if actor.sector is None and tok.i not in self.mentions and not self._described_name(tok):
                continue
            self.remember(tok, actor)

    @cached_property
    def text(self) -> str:
        """The article's text, read once: spaCy joins the tokens again on every ``doc.text``."""
        return span_text(self.doc)

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, sliced from the text."""
        return tokens_text(self.doc, start, end)

    @cached_property
    def home_country(self) -> str | None:
        """The state the story is about, whose junta "la junte" is when nothing else says: the first one its opening
        sentence (or dateline, "NIAMEY (Niger), 3 mai —") names, else the one it names most."""
        counts: dict[str, int] = {}
        first: tuple[int, str] | None = None
        opening = next(iter(self.doc.sents), None)
        for m in {id(m): m for m in self.mentions.values()}.values():
            entry = m.best(self.published)
            if entry.country and entry.kind in (EntryKind.COUNTRY, EntryKind.DEMONYM, EntryKind.METONYM):
                counts[entry.country] = counts.get(entry.country, 0) + 1
                if opening is not None and m.start < opening.end and (first is None or m.start < first[0]):
                    first = (m.start, entry.country)
        if first is not None:
            return first[1]
        return max(counts, key=lambda c: counts[c]) if counts else None

    @cached_property
    def _named_before(self) -> list[int]:
        """How many tokens before each one a dictionary entry or the NER's PERSON names: a count per token."""
        named = [i in self.mentions for i in range(len(self.doc))]
        for i in _ent_type_indices(self.doc, "PERSON"):
            named[i] = True
        counts = [0]
        for hit in named:
            counts.append(counts[-1] + hit)
        return counts

    def sector_of_head(self, tok: Token) -> str | None:
        """``_sector_of_head`` of a token of this article, worked out once: the prepass and every event ask."""
        sectors = self.sectors
        if tok.i not in sectors:
            sectors[tok.i] = _sector_of_head(tok, self.lex)
        return sectors[tok.i]

    def names_within(self, tok: Token) -> bool:
        """Whether a word of the tokens the phrase under ``tok`` spans is a dictionary name or a person's."""
        counts = self._named_before
        return counts[tok.right_edge.i + 1] > counts[tok.left_edge.i]

    def _described_name(self, tok: Token) -> bool:
        """"presidential adviser Mesut Casin": a name after a noun that describes its bearer is a person's, even
        where the parser took it for a place."""
        return tok.pos_ == "PROPN" and tok.i not in self.mentions and any(
            c.dep_ == "compound" and c.pos_ == "NOUN" for c in tok.children)

    def remember(self, tok: Token, actor: Actor) -> None:
        self.history.append((tok.i, actor, tok.lemma_.lower()))
        described = self._described_name(tok)
        if tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and actor.sector) or described:
            # the name's own words only: "President Bernardo Arevalo about Zamora" makes no "Zamora" of him
            kind = tok.ent_type_ if described else "PERSON"
            name_tokens = sorted((t for t in (tok, *tok.children) if t.ent_type_ == kind
                                  and (t.i == tok.i or t.dep_ in ("compound", "flat"))), key=lambda t: t.i)
            if name_tokens and actor.country:
                self.surnames[name_tokens[-1].text] = actor

    def antecedent(self, tok: Token, *, lemma: str | None = None, sector: str | None = None,
                   person: bool | None = None) -> Actor | None:
        """The latest earlier actor (within a few sentences) that fits."""
        if person is None and tok.i == tok.sent.start and tok.dep_ in ("nsubj", "nsubjpass") and tok.sent.start > 0:
            # "Mali's junta expelled the ambassador. It gave him 72 hours": a sentence-opening "it" continues
            # the previous sentence's subject
            prev = self.doc[tok.sent.start - 1].sent
            for i, actor, _head in self.history:
                m = self.mentions.get(i)
                if prev.start <= i < prev.end and actor.country and self.doc[i].dep_ in ("nsubj", "nsubjpass") \
                        and (m.best(self.published).kind != EntryKind.PERSON if m is not None
                             else self.doc[i].ent_type_ != "PERSON"):
                    return actor
        country_nouns = words(tok, "country_nouns")
        own_subjects = _clause_subjects(tok)
        for i, actor, head in self._recent(tok):
            if i in own_subjects:
                continue  # "Russia condemned the government": an object is not its own clause's subject
            if not actor.country and not (person is True and actor.sector and self.doc[i].ent_type_ == "PERSON"):
                continue  # "President Laurent Gbagbo ... he": a titled person whose country the place will give
            if lemma is not None and head != lemma and (sector is None or actor.sector != sector):
                continue
            if lemma in country_nouns and actor.country in self.lex.igo_codes:
                continue  # "the country" is a country, not the bloc named last
            if person is True and not (actor.sector and self.doc[i].ent_type_ == "PERSON"):
                continue
            if person is False and self.doc[i].ent_type_ == "PERSON":
                continue
            return actor
        return None


    def _recent(self, tok: Token) -> Iterator[tuple[int, Actor, str]]:
        """The actors named before ``tok`` within reach of its sentence, the latest first."""
        limit_start = max(0, tok.sent.start - REACH)
        return ((i, actor, head) for i, actor, head in reversed(self.history) if limit_start <= i < tok.i)

    def kind_antecedent(self, tok: Token, kind: EntryKind) -> Actor | None:
        """The latest earlier actor named by a dictionary entry of this kind, within a few sentences."""
        return next((actor for i, actor, _head in self._recent(tok) if actor.country and i in self.mentions
                     and self.mentions[i].best(self.published).kind == kind), None)

    def group_antecedent(self, tok: Token) -> Actor | None:
        """The latest earlier actor of several countries ("Mali, Burkina Faso and Niger"), for "the three
        nations", "both countries"."""
        found = next((actor for _i, actor, _head in self._recent(tok)
                      if len({m.country for m in actor.members if m.country}) > 1), None)
        if found is not None or tok.sent.start == 0:
            return found
        # "Ankara had looked to repair relations with Israel. Both countries withdrew ambassadors in 2018": the two
        # states the sentence before named
        prev = self.doc[tok.sent.start - 1].sent
        named: list[Actor] = []
        for i, actor, _head in self._recent(tok):
            if prev.start <= i < prev.end and actor.country and not actor.members \
                    and actor.country not in self.lex.igo_codes and all(a.country != actor.country for a in named):
                named.append(actor)
        if len(named) != 2:
            return None
        later, earlier = named
        return replace(earlier, members=(earlier, later))


def _ent_type_indices(doc: Doc, label: str) -> list[int]:
    return [i for ent in doc.ents if ent.label_ == label for i in range(ent.start, ent.end)]


def noun_phrase(tok: Token) -> list[Token]:
    """The head and the words that qualify who it is ("Niger's military-led government")."""
    np_preps = words(tok, "noun_phrase_preps")
    title_nouns = words(tok, "title_of_nouns")
    out = [tok]
    stack = [tok]
    while stack:
        cur = stack.pop()
        for child in cur.children:
            if child.dep_ in NP_DEPS or (child.dep_ == "prep" and child.lower_ in np_preps and (cur.i == tok.i or (
                    # "les chefs d'État de la CEDEAO", "heads of state of ECOWAS": the of-phrase after a title's
                    cur.dep_ == "pobj" and cur.lemma_.lower() in title_nouns and cur.head.head.i == tok.i))) or (child.dep_ == "pobj" and cur.dep_ == "prep") or (child.dep_ == "cc" and cur.dep_ == "amod") or (child.dep_ == "conj" and cur.dep_ in ("amod", "compound")) \
                    or (child.dep_ in ("cc", "conj") and cur.dep_ == "pobj" and cur.head.head.i == tok.i) \
                    or (child.dep_ == "appos" and child.i > 0 and tok.doc[child.i - 1].text == "("):
                # "the Asia-Pacific Economic Cooperation (APEC) forum": the acronym in brackets names it too
                # "the presidents of Rwanda and Congo": both countries qualify the head
                out.append(child)
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _sector_of_head(tok: Token, lex: Lexicon) -> str | None:
    if tok.lower_ in words(tok, "quantity_heads"):
        # "hundreds of thousands of people", "a group of soldiers": the sector is in the of-phrase
        quantity_preps = words(tok, "quantity_preps")
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in quantity_preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return _sector_of_head(pobj, lex)
    compounds = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    if compounds:
        for k in range(len(compounds)):
            phrase = " ".join([*(c.lower_ for c in compounds[k:]), tok.lower_])
            sector = lex.sector_of(phrase) or lex.sector_of(" ".join([*(c.lower_ for c in compounds[k:]), tok.lemma_.lower()]))
            if sector:
                return sector
    # "hommes armés", "forces de sécurité", "forces de l'ordre": a language that qualifies its head after it
    for phrase in _post_phrases(tok):
        sector = lex.sector_of(phrase)
        if sector:
            return sector
    return lex.sector_of(tok.lower_) or lex.sector_of(tok.lemma_.lower())


def _post_phrases(tok: Token) -> list[str]:
    """The head with the adjective or de-phrase written right after it: "hommes armés", "forces de sécurité"."""
    out = []
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.head.i == tok.i and nxt.dep_ in ("amod", "acl") and nxt.pos_ in ("ADJ", "VERB"):
        out.append(f"{tok.lower_} {nxt.lower_}")
    for child in tok.children:
        if child.dep_ == "prep" and child.i == tok.i + 1:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.i - tok.i <= 3:
                out.append(tokens_text(tok.doc, tok.i, pobj.i + 1).lower())
    return out


_TITLE_FORMS: dict[int, tuple] = {}
"""id(lexicon) -> (its titles, the titles indexed by their first word): built once, not for every noun phrase."""


def _title_forms(lex: Lexicon) -> tuple[dict, dict]:
    """[(title, title + space, space + title, sector)] by the title's first piece (up to its first space), and
    [(lower-case title in spaces, sector)] of the titles of several words by their first word; each with its
    place in the list, which decides between titles."""
    hit = _TITLE_FORMS.get(id(lex))
    if hit is None or hit[0] is not lex.titles:
        exact: dict[str, list] = {}
        several: dict[str, list] = {}
        for k, (t, sector) in enumerate(lex.titles):
            exact.setdefault(t.split(" ")[0], []).append((k, t, f"{t} ", f" {t}", sector))
            if " " in t:
                several.setdefault(t.lower().split(" ")[0], []).append((k, f" {t.lower()} ", sector))
        hit = _TITLE_FORMS[id(lex)] = (lex.titles, exact, several)
    return hit[1], hit[2]


def _title_sector(text: str, lex: Lexicon) -> str | None:
    """The sector of the first title (in the lexicon's order) the text holds as words: "Defense Minister X"."""
    exact, several = _title_forms(lex)
    padded = f"{text} "
    chunks = text.split(" ")
    # a title starts the text or follows a space: its first piece opens one of the text's space-separated chunks
    found = sorted({c for chunk in chunks for j in range(len(chunk) + 1) for c in exact.get(chunk[:j], ())})
    for _k, title, title_space, space_title, sector in found:
        # a title followed by a space (or the end) is also in the text: the cheap test first
        if title in text and title_space in padded and (text.startswith(title) or space_title in text):
            return sector
    low = f" {text.lower()} "
    pieces = low.split(" ")
    for _k, title, sector in sorted({c for w in set(pieces) for c in several.get(w, ())}):
        if title in low:  # "former prime minister Andreas Papandreou"
            return sector
    return None


def actor_code(country: str | None, sector: str | None) -> str | None:
    """The CAMEO-style code: country + sector ("USAMIL"); an IGO is its own code ("NATO")."""
    if not country:
        return None
    if sector and sector != "IGO":
        return f"{country}{sector}"
    return country


def code_actor(tok: Token, ctx: ActorContext, *, resolve_references: bool = True,
               with_conjuncts: bool = True) -> Actor | None:
    """The actor named by the noun phrase headed by ``tok``, or None when it names no actor."""
    doc = ctx.doc
    low = tok.lower_
    thing_pronouns = words(tok, "thing_reference_pronouns")
    person_pronouns = words(tok, "person_reference_pronouns")
    if tok.pos_ == "PRON" or low in thing_pronouns or low in person_pronouns:
        if resolve_references and low in words(tok, "first_person_pronouns"):
            speaker = quote_speaker(tok, ctx)
            return replace(speaker, text=tok.text) if speaker is not None else None
        if resolve_references and low in words(tok, "relative_pronouns") and tok.dep_ in labels(tok).object \
                and tok.head.dep_ in labels(tok).relcl and tok.head.head.i < tok.i:
            # "Kigali, qu'il accuse de …": an object relative stands for the noun its clause hangs on
            return code_actor(tok.head.head, ctx, with_conjuncts=with_conjuncts)
        if not resolve_references or not (low in thing_pronouns or low in person_pronouns):
            return None
        bound = _bound_possessive(tok, ctx)
        if bound is not None:
            return replace(bound, text=tok.text)
        found = _relative_main_subject(tok, ctx) or _cataphor(tok, ctx, person=low in person_pronouns) \
            or ctx.antecedent(tok, person=low in person_pronouns or None)
        return replace(found, text=tok.text) if found else None
    own = ctx.mentions.get(tok.i)
    known = ctx.surnames.get(tok.text)
    if known is not None and own is not None and own.end - own.start == 1 \
            and all(e.kind == EntryKind.PERSON and e.name != tok.text for e in own.entries):
        # "Richard Bennett ... Bennett said": the surname is the person this article named
        return replace(known, text=tok.text)
    sector = ctx.sector_of_head(tok)
    if not resolve_references and sector is None and tok.pos_ != "PROPN" and not ctx.names_within(tok):
        return None  # most nouns: no name, no agent word, no person anywhere below them (what the test below says)
    np = noun_phrase(tok)
    np_idx = {t.i for t in np}
    entries: list[tuple[Mention, Entry]] = []
    seen: set[int] = set()
    for t in np:
        m = ctx.mentions.get(t.i)
        if m is not None and id(m) not in seen:
            seen.add(id(m))
            entries.append((m, m.best(ctx.published)))
    bound = words(tok, "bound_possessives")
    if entries and any(c.dep_ == "poss" and c.lower_ in bound for c in tok.children) and all(
            tok.doc[m.start].dep_ == "pobj" or tok.doc[m.end - 1].dep_ == "pobj" for m, _e in entries):
        # "retirer leurs soldats du Niger": whose they are is the possessive, the de-phrase says where from
        entries = []
    if not entries and sector is None and not resolve_references and not _person_phrase(tok, np):
        return None  # no name, no agent word, no person: most nouns, and nothing below would code them
    core = [t for t in np if t.dep_ != "det" or t.i == tok.i]
    left = min(t.i for t in core)
    right = max(t.i for t in core)
    text = ctx.span_text(left, right + 1)
    if entries:
        # "NATO-member Norway": the name the head word is part of decides
        entries.sort(key=lambda me: (not me[0].start <= tok.i < me[0].end, _rank(me[1]), abs(me[0].start - tok.i)))
        mention, entry = entries[0]
        country = entry.country
        head_in_entry = mention.start <= tok.i < mention.end
        if head_in_entry and entry.sector and entry.kind not in (EntryKind.COUNTRY, EntryKind.DEMONYM):
            # "the European Union", "the Syrian Democratic Forces": a name's last word is no agent word
            sector = entry.sector
        if sector is None:
            sector = entry.sector or _title_sector(text, ctx.lex)
        if sector is None and entry.kind == EntryKind.COUNTRY and head_in_entry:
            sector = BARE_COUNTRY_SECTOR
        name = entry.name
        members: tuple[Actor, ...] = ()
        nations = (EntryKind.COUNTRY, EntryKind.DEMONYM)
        others = [e for _m, e in entries if e.country and e.country != country and e.kind in nations]
        if others and entry.kind in nations and _coordinated(np):
            parties = []
            for e in [entry, *others]:
                if e.country not in [p.country for p in parties]:
                    parties.append(Actor(text=text, name=e.name, country=e.country, sector=sector,
                                         code=actor_code(e.country, sector)))
            members = tuple(parties)
        actor = Actor(text=text, name=name, country=country, sector=sector, code=actor_code(country, sector),
                      members=members)
    else:
        person = _person_phrase(tok, np)
        if person:
            known = ctx.surnames.get(tok.text)
            if known is not None:
                return replace(known, text=text)
            sector = _title_sector(text, ctx.lex) or sector
            if sector is None:
                # "Salaheddine Sidhoum, Algeria's leading human rights activist": the apposition says who
                for app in tok.children:
                    if app.dep_ == "appos":
                        found = code_actor(app, ctx, resolve_references=False, with_conjuncts=False)
                        # "Alinejad, a vocal critic of Tehran": only a word for who one is says so
                        # but "UNICEF's executive director", "a Hamas commander": whose office it is
                        office = app.lemma_.lower() in words(app, "office_nouns")
                        owner = office or any(c.dep_ in ("poss", "compound", "nmod") and c.i in ctx.mentions
                                              for c in app.children)
                        if office and (found is None or not found.country):
                            # "director of the Latin America bureau of Reporters Without Borders": the body
                            found = next((a for t in app.subtree if t.dep_ == "pobj" and t.i in ctx.mentions
                                          for a in [code_actor(t, ctx, resolve_references=False, with_conjuncts=False)]
                                          if a is not None and a.country), None)
                        if found is not None and found.country and (
                                _sector_of_head(app, ctx.lex) or app.i in ctx.mentions or owner):
                            return replace(found, text=text)
                described = _described_before(tok, ctx)
                if described is not None:
                    return replace(described, text=text)
                if not resolve_references or _commentator(tok) or tok.text in ctx.commentators:
                    return None  # "analyst Kabiru Adamu": analysis is no event
                # "Gachagua was impeached", "Zamora called the ruling arbitrary": a person the article does not
                # place yet; the place, the dateline or the article's country will (role.actor.article_country)
                return Actor(text=text, name=" ".join(t.text for t in np if t.ent_type_ == "PERSON") or tok.text)
            actor = Actor(text=text, name=" ".join(t.text for t in np if t.ent_type_ == "PERSON") or None,
                          sector=sector, code=None)
        elif sector is None:
            kind = lang_maps(tok.doc.lang_)["organisation_references"].get(tok.lemma_.lower())
            det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
            if resolve_references and kind is not None and det in words(tok, "definite_determiners"):
                found = ctx.kind_antecedent(tok, EntryKind(kind))  # "the group claimed the attack"
                return replace(found, text=text) if found is not None else None
            if resolve_references and tok.tag_ in ("NNS", "NNPS") and tok.lemma_.lower() in words(tok, "country_nouns"):
                found = ctx.group_antecedent(tok)  # "Turkey and Israel ... Both countries withdrew ambassadors"
                return replace(found, text=text) if found is not None else None
            return None
        else:
            actor = Actor(text=text, sector=sector)
            where = _place_of(tok, ctx)
            if where is not None:
                # "the junta in Niger", "police in Kenya": the country they are in is theirs
                return Actor(text=text, name=where.name, country=where.country, sector=sector,
                             code=actor_code(where.country, sector))
            # "its troops", "Berisha's opponents": whose they are
            owner = next((c for c in tok.children if c.dep_ == "poss" and (
                c.lower_ in thing_pronouns or c.text in ctx.surnames or c.pos_ == "PROPN")), None)
            owned = code_actor(owner, ctx) if owner is not None and resolve_references else None
            if owned is not None and owned.country:
                # "its troops", "their diplomats": whose they are
                actor = Actor(text=text, name=owned.name, country=owned.country, sector=sector,
                              code=actor_code(owned.country, sector))
            elif resolve_references:
                det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
                definite = words(tok, "definite_determiners")
                if det in definite or tok.tag_ in ("NN", "NNS"):
                    # "Top diplomats from the G7 ... the diplomats said": the same word first, then the same sector
                    found = ctx.antecedent(tok, lemma=tok.lemma_.lower()) or ctx.antecedent(
                        tok, lemma=tok.lemma_.lower(), sector=sector)
                    if tok.lemma_.lower() in words(tok, "home_government_nouns") and ctx.home_country and (
                            found is None or found.country != ctx.home_country):
                        # "la junte": the rulers of the country the story is about, not the last government named
                        found = Actor(text=text, name=ctx.home_country, country=ctx.home_country, sector=sector,
                                      code=actor_code(ctx.home_country, sector))
                    if found is not None and (det in definite or found.sector == sector):
                        actor = replace(found, text=text, sector=sector, code=actor_code(found.country, sector),
                                        members=())
    if with_conjuncts and tok.dep_ != "conj":
        conj_actors = [a for c in tok.conjuncts if c.i > tok.i and c.i not in np_idx
                       for a in [code_actor(c, ctx, resolve_references=resolve_references, with_conjuncts=False)]
                       if a is not None and a.country]
        if conj_actors and actor.country:
            left = min(left, *(c.i for c in tok.conjuncts))
            right = max(right, *(max(t.i for t in noun_phrase(c)) for c in tok.conjuncts))
            span = doc[min(t.i for t in core) : right + 1].text
            parties = [replace(actor, text=text, members=())] if not actor.members else list(actor.members)
            for a in conj_actors:
                parties.extend(a.members or (a,))
            actor = replace(actor, text=span, members=tuple(parties))
    return actor


def _person_phrase(tok: Token, np: list[Token]) -> bool:
    """Whether the noun phrase names a person: by the NER, or a name the tagger missed, with its office."""
    return tok.ent_type_ == "PERSON" or any(t.ent_type_ == "PERSON" for t in np if t.dep_ in ("compound", "flat")) \
        or (tok.pos_ == "PROPN" and any(c.dep_ == "appos" and c.lemma_.lower() in words(tok, "office_nouns")
                                        for c in tok.children))


def quote_speaker(tok: Token, ctx: ActorContext, *, with_country: bool = True) -> Actor | None:
    """"'We will not allow violence,' Netanyahu said": I and we in a quotation stand for whoever says it, the
    subject of the reporting verb just after the quotation's end, else just before its start."""
    bounds = quotation_bounds(tok)
    if bounds is None:
        return None
    open_at, close_at = bounds
    doc = ctx.doc
    lab = labels(tok)
    reporting = words(tok, "reporting_verbs")
    after = doc[close_at].sent
    before = doc[open_at].sent
    for span in (doc[close_at : after.end], doc[before.start : open_at]):
        for verb in span:
            if verb.lemma_.lower() not in reporting or verb.pos_ not in ("VERB", "AUX"):
                continue
            subj = next((c for c in verb.children if c.dep_ in lab.subject and not open_at <= c.i <= close_at), None)
            if subj is None or subj.lower_ in words(tok, "first_person_pronouns"):
                continue
            found = code_actor(subj, ctx)
            known = found is not None and (found.country or (not with_country and (
                found.sector or subj.ent_type_ == "PERSON")))
            return found if known else None
    return None


def _commentator(tok: Token) -> bool:
    """"Security analyst Kabiru Adamu", "Steven Pifer, a Brookings senior fellow": one who comments, not acts."""
    nouns = words(tok, "commentator_nouns")
    return any(t.lemma_.lower() in nouns for c in tok.children if c.dep_ in ("compound", "appos", "amod")
               for t in (c, *c.children))


def _described_before(tok: Token, ctx: ActorContext) -> Actor | None:
    """"The U.N.'s special envoy for Syria is calling for an end to violence. Geir Pedersen issued his appeal
    Friday": a name met as a subject right after a sentence whose subject described an office-holder without
    naming them is that office-holder."""
    lab = labels(tok)
    if tok.dep_ not in lab.subject | lab.passive_subject or tok.sent.start == 0:
        return None
    prev = ctx.doc[tok.sent.start - 1].sent
    subj = next((c for c in prev.root.children if c.dep_ in lab.subject | lab.passive_subject), None)
    if subj is None or subj.pos_ != "NOUN" or subj.tag_ in ("NNS", "NNPS") \
            or any(t.ent_type_ == "PERSON" for t in subj.subtree):
        return None
    found = code_actor(subj, ctx, resolve_references=False, with_conjuncts=False)
    return found if found is not None and found.country and found.sector else None


def _cataphor(tok: Token, ctx: ActorContext, *, person: bool) -> Actor | None:
    """"After weeks of denying it was planning to ..., Thailand turned them over": a pronoun in a clause put
    before the main clause's subject stands for that subject, when they agree in number and kind."""
    top = tok
    while top.head.i != top.i and top.head.head.i != top.head.i:
        top = top.head
    root = top.head
    if top.i == root.i or top.dep_ not in ("prep", "advcl"):
        return None
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.pos_ == "PRON" or max(t.i for t in top.subtree) >= subj.i:
        return None
    plural = tok.lower_ in words(tok, "plural_pronouns")
    if plural != (subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)):
        return None
    found = code_actor(subj, ctx, resolve_references=False)
    if found is None or not found.country:
        return None
    m = ctx.mentions.get(subj.i)
    is_person = subj.ent_type_ == "PERSON" or (m is not None and m.best(ctx.published).kind == EntryKind.PERSON)
    return found if is_person == person else None


def _relative_main_subject(tok: Token, ctx: ActorContext) -> Actor | None:
    """"Joe Biden s'est rendu à Kiev, où il a promis …", "Kinshasa a rompu avec Kigali, qu'il accuse de …": the
    subject pronoun of a relative clause opened by another relative word stands for the main clause's subject
    (the relative word takes the latest actor, which the nearest-antecedent rule would wrongly give the pronoun),
    when they agree in number and gender."""
    if tok.dep_ != "nsubj" or tok.lower_ not in words(tok, "relative_clause_subject_pronouns"):
        return None
    verb = tok.head
    openers = words(tok, "relative_clause_openers")
    opened = verb.dep_ in labels(tok).relcl or any(w.i < tok.i and w.pos_ == "PRON" and w.lower_ in openers
                                                    for c in verb.children if c.i < tok.i for w in (c, *c.children))
    if not opened or verb.head.i == verb.i:
        return None
    head = verb.head
    for _ in range(8):
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)
        if subj is not None:
            break
        if head.head.i == head.i:
            return None
        head = head.head
    if subj is None or subj.pos_ == "PRON":
        return None
    plural = tok.lower_ in words(tok, "plural_pronouns")
    if plural != (subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)):
        return None
    gender = subj.morph.get("Gender")
    if gender and ((gender[0] == "Masc" and tok.lower_ in words(tok, "feminine_pronouns"))
                   or (gender[0] == "Fem" and tok.lower_ in words(tok, "masculine_pronouns"))):
        return None
    found = code_actor(subj, ctx, resolve_references=False)
    return found if found is not None and found.country else None


def _clause_subjects(tok: Token) -> set[int]:
    """The subjects of the clause whose object (or prepositional object) ``tok`` is, unless it is reflexive."""
    if tok.lower_ in words(tok, "reflexive_pronouns"):
        return set()
    if tok.dep_ in ("dobj", "dative"):
        verb = tok.head
    elif tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent") and tok.head.head.pos_ in ("VERB", "AUX"):
        verb = tok.head.head
    else:
        return set()
    out: set[int] = set()
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subj in subjects:
            out |= {t.i for t in subj.subtree}
        if subjects or verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            break
        verb = verb.head
    return out


def _place_of(tok: Token, ctx: ActorContext) -> Entry | None:
    """The country named in a place phrase on the head ("the government in Kyiv"), if any."""
    place_preps = words(tok, "place_preps")
    for child in tok.children:
        if child.dep_ != "prep" or child.lower_ not in place_preps:
            continue
        for pobj in child.children:
            if pobj.dep_ != "pobj":
                continue
            m = ctx.mentions.get(pobj.i)
            if m is None:
                continue
            entry = m.best(ctx.published)
            if entry.kind in (EntryKind.COUNTRY, EntryKind.METONYM) and entry.country:
                return entry
    return None


def _bound_possessive(tok: Token, ctx: ActorContext) -> Actor | None:
    """"Washington agreed to withdraw its troops": a possessive on the object belongs to the clause's subject."""
    if tok.dep_ != "poss" or tok.lower_ not in words(tok, "bound_possessives") \
            or tok.head.dep_ not in ("dobj", "nsubjpass"):
        return None
    verb = tok.head.head
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            if subj.pos_ == "PRON":
                return None
            found = code_actor(subj, ctx, resolve_references=False)
            return found if found is not None and found.country else None
        if verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _rank(entry: Entry) -> int:
    return KIND_RANK[entry.kind]


def _coordinated(np: list[Token]) -> bool:
    return any(t.dep_ in ("cc", "conj") for t in np)


def with_country(actor: Actor | None, country: str | None) -> Actor | None:
    """An actor known only by sector ("police") takes the country where the event happened."""
    if actor is None or actor.country or not country:
        return actor
    return replace(actor, country=country, code=actor_code(country, actor.sector))
