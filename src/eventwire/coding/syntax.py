"""The syntactic primitives every rule is written in: subject of, objects of, obliques, complement, particle.

Rules speak of roles, not of one parser's labels; a label map per language says which dependency labels
play each role (the ClearNLP labels of the spaCy English models; a Universal Dependencies parse, French, is
rewritten in that style by the UD bridge, ``bridge.py``).
The function words the primitives need (partitives, particles, relative pronouns) are per-language data in
``rules/<lang>/words/syntax.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from spacy.attrs import IDX, LOWER, ORTH
from spacy.tokens import Doc, Span, Token

from .rules import packaged_files


@dataclass(frozen=True)
class Labels:
    """Which dependency labels play each role in one language's parser."""

    subject: frozenset[str]
    passive_subject: frozenset[str]
    object: frozenset[str]
    second_object: frozenset[str]
    agent: frozenset[str]
    oblique: frozenset[str]  # the preposition (English) or the nominal (UD obl) of an oblique
    oblique_object: frozenset[str]
    complement: frozenset[str]  # an infinitive or small clause the verb needs
    clause: frozenset[str]  # a finite clause complement
    particle: frozenset[str]
    adverb: frozenset[str]
    passive_aux: frozenset[str]
    aux: frozenset[str]
    modifier: frozenset[str]  # compound and adjectival modifiers inside a noun phrase
    conj: frozenset[str]
    relcl: frozenset[str]
    participle: frozenset[str]  # a clause modifying a noun ("the crimes committed by")
    adverbial: frozenset[str]
    prep_complement: frozenset[str]
    dative: frozenset[str]
    negation: frozenset[str]
    mark: frozenset[str]
    npadvmod: frozenset[str]
    oprd: frozenset[str]
    acomp: frozenset[str]


def _f(*labels: str) -> frozenset[str]:
    return frozenset(labels)


LABEL_MAPS: dict[str, Labels] = {
    "en": Labels(
        subject=_f("nsubj"), passive_subject=_f("nsubjpass"), object=_f("dobj", "obj"), second_object=_f("dobj"),
        agent=_f("agent"), oblique=_f("prep"), oblique_object=_f("pobj"), complement=_f("xcomp"), clause=_f("ccomp"),
        particle=_f("prt"), adverb=_f("advmod"), passive_aux=_f("auxpass"), aux=_f("aux"),
        modifier=_f("compound", "amod", "nmod"), conj=_f("conj"), relcl=_f("relcl"), participle=_f("acl"),
        adverbial=_f("advcl"), prep_complement=_f("pcomp"), dative=_f("dative"), negation=_f("neg"),
        mark=_f("mark"), npadvmod=_f("npadvmod"), oprd=_f("oprd"), acomp=_f("acomp"),
    ),
}


# A Universal Dependencies parse (French) reaches the coder rewritten in the English style by the UD bridge
# (bridge.py), so it is read with the same labels.
LABEL_MAPS["fr"] = LABEL_MAPS["en"]


_VOCAB_LANGS: dict[int, tuple[object, str]] = {}
"""id(vocab) -> (vocab, language): ``doc.lang_`` is slow to read, and the primitives ask it on every call."""


def token_lang(tok: Token) -> str:
    """The language of the token's document (``tok.doc.lang_``), remembered per vocabulary."""
    vocab = tok.vocab
    hit = _VOCAB_LANGS.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    if len(_VOCAB_LANGS) > 32:  # many throwaway pipelines (tests): keep no vocabulary alive for long
        _VOCAB_LANGS.clear()
    lang = tok.doc.lang_
    _VOCAB_LANGS[id(vocab)] = (vocab, lang)
    return lang


def labels(tok: Token) -> Labels:
    return LABEL_MAPS.get(token_lang(tok), LABEL_MAPS["en"])


@cache
def _word_files(lang: str) -> tuple[dict, ...]:
    """The packaged word files of a language (``rules/<lang>/words/*.yaml``), parsed once."""
    return tuple(yaml.safe_load(text) or {} for name, text in packaged_files(lang) if "/words/" in name)


@cache
def lang_words(lang: str) -> dict[str, frozenset[str]]:
    """The packaged word lists of a language, merged."""
    return {key: frozenset(items) for raw in _word_files(lang) for key, items in (raw.get("words") or {}).items()}


@cache
def lang_maps(lang: str) -> dict[str, dict]:
    """The packaged word maps of a language (``maps:`` in the word files): month numbers, ranks."""
    return {key: value for raw in _word_files(lang) for key, value in (raw.get("maps") or {}).items()}


def words(tok: Token, name: str) -> frozenset[str]:
    """A named word list of the token's language."""
    return lang_words(token_lang(tok))[name]


_MORPH: dict[tuple[int, str], tuple[str, ...]] = {}


def morph_get(tok: Token, feature: str) -> tuple[str, ...]:
    """``tok.morph.get(feature)``, remembered by morphology hash: spaCy parses the feature string on every call."""
    key = (tok.morph.key, feature)
    values = _MORPH.get(key)
    if values is None:
        values = _MORPH[key] = tuple(tok.morph.get(feature))
    return values


_TEXTS: list[tuple[Doc | None, dict]] = [(None, {})]
"""[(the document last asked about, {(start, end): text, and its length and words})]: a sentence's text is asked for many times while its
events are built, and spaCy joins its tokens again each time. Only one document is remembered (by identity); the
pair is replaced whole, so threads coding other documents never read each other's texts."""


_LENGTH, _TOKENS = (-1, -1), (-2, -2)  # the keys of a document's length and of its words beside the spans' texts


def _texts_of(doc: Doc) -> dict:
    entry = _TEXTS[0]
    if entry[0] is not doc or entry[1].get(_LENGTH) != len(doc):
        entry = (doc, {_LENGTH: len(doc)})
        _TEXTS[0] = entry
    return entry[1]


def span_text(span: Span | Doc) -> str:
    """``span.text`` (or the document's), joined once per document and span."""
    doc = span if isinstance(span, Doc) else span.doc
    texts = _texts_of(doc)
    key = (0, -1) if isinstance(span, Doc) else (span.start, span.end)
    text = texts.get(key)
    if text is None:
        text = texts[key] = span.text
    return text


def token_texts(doc: Doc) -> tuple[list[str], list[str], list[int]]:
    """Every token's text, lower-case form and character offset, read once per document."""
    texts = _texts_of(doc)
    found = texts.get(_TOKENS)
    if found is None:
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, LOWER, IDX]).tolist()
        found = texts[_TOKENS] = ([strings[r[0]] for r in rows], [strings[r[1]] for r in rows], [r[2] for r in rows])
    return found


def tokens_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text``, sliced from the document's text rather than joined again."""
    texts, _lowers, offsets = token_texts(doc)
    return span_text(doc)[offsets[start] : offsets[end - 1] + len(texts[end - 1])]


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def prep_text(tok: Token) -> str:
    """A preposition with the words fixed to it: "d'après", "lors de", "auprès de" (French), "according to"."""
    fixed = [c for c in tok.children if c.dep_ == "fixed"]
    if not fixed:
        return tok.lower_
    sep = "" if tok.lower_.endswith(("'", "’")) else " "
    return tok.lower_ + sep + " ".join(c.lower_ for c in fixed)


def direct_object(verb: Token) -> Token | None:
    """The thing acted on: the direct object, the subject of a passive, or the noun a participle qualifies."""
    lab = labels(verb)
    for child in verb.children:
        if child.dep_ in lab.object:
            return child
    # "ties were severed": the passive subject is the object
    for child in verb.children:
        if child.dep_ in lab.passive_subject:
            return child
    if stative_passive(verb):
        return next((c for c in verb.head.children if c.dep_ in lab.subject), None)
    # "the crimes committed by ...", "the prisoners released on Monday": a participle's noun is its object
    if verb.dep_ in lab.participle and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN") \
            and not _misread_main_verb(verb):
        return verb.head
    return None


def _purpose_holder(verb: Token) -> Token | None:
    """"in an effort to pressure the U.S.", "who led the effort to remove Bashir": an infinitive on a purpose noun
    is done by the subject of the verb the noun is the object of, or hangs on."""
    lab = labels(verb)
    noun = verb.head
    if verb.dep_ not in lab.participle or noun.lemma_.lower() not in words(verb, "purpose_nouns") \
            or not any(c.dep_ in lab.aux and c.lower_ in words(verb, "infinitive_marks") for c in verb.children):
        return None
    if noun.dep_ in lab.oblique_object and noun.head.dep_ in lab.oblique and noun.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head.head)
    if noun.dep_ in lab.object and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head)
    return None


def _misread_main_verb(verb: Token) -> bool:
    """"Leavitt called Ford's comments 'egregious'", parsed as a name qualified by a participle: a past form with
    an object of its own, on the sentence's root name, is the sentence's verb and the name its subject."""
    lab = labels(verb)
    return verb.dep_ in lab.participle and verb.tag_ in ("VBD", "VBN") and verb.head.dep_ == "ROOT" \
        and verb.head.pos_ == "PROPN" and any(c.dep_ in lab.object for c in verb.children)


def governing_verb(tok: Token, steps: int = 6) -> Token | None:
    """The first verb among the token's ancestors (up to ``steps`` up), if any."""
    cur = tok
    for _ in range(steps):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def stative_passive(verb: Token) -> bool:
    """"Lai stands accused of sedition": a past participle after "stand" or "remain" is a passive; the subject of
    that verb is the one acted on, not the doer."""
    return verb.tag_ == "VBN" and verb.dep_ in labels(verb).acomp and verb.head.i != verb.i \
        and lemma(verb.head) in words(verb, "stative_passive_verbs")


def subject_of(verb: Token) -> Token | None:
    """Who does it: the subject, the by-agent of a passive, or the subject the clause inherits."""
    lab = labels(verb)
    if stative_passive(verb):
        return None
    # "a coup that ousted X and has expelled Y": a conjunct with its own auxiliary belongs to the main
    # clause, a common attachment error of the small parser
    if verb.dep_ in lab.conj and verb.head.dep_ in lab.relcl and not any(c.dep_ in lab.subject for c in verb.children) \
            and any(c.dep_ in lab.aux and c.tag_ in ("VBZ", "VBP", "VBD") for c in verb.children):
        main = governing_verb(verb.head.head)
        if main is not None:
            return subject_of(main)
    for child in verb.children:
        if child.dep_ in lab.subject:
            if child.lower_ in words(verb, "relative_pronouns") and verb.dep_ in lab.relcl:
                return verb.head
            return child
    for child in verb.children:
        if child.dep_ in lab.agent:
            for pobj in child.children:
                if pobj.dep_ in lab.oblique_object:
                    return pobj
    if verb.dep_ in lab.complement and verb.head.i != verb.i:
        # "were supposed to sign a deal", "was asked to leave": a passive's subject is its complement's
        raised = next((c for c in verb.head.children if c.dep_ in lab.passive_subject), None)
        if raised is not None:
            return raised
    purpose = _purpose_holder(verb)
    if purpose is not None:
        return purpose
    if verb.dep_ in lab.conj and verb.head.i != verb.i and not any(c.dep_ in lab.passive_aux for c in verb.children):
        shared = next((c for c in verb.head.children if c.dep_ in lab.passive_subject), None)
        if shared is not None:
            return shared  # "was indicted by the court and will resign"
    if (verb.dep_ in lab.complement or verb.dep_ in lab.conj or verb.dep_ in lab.adverbial
            or verb.dep_ in lab.acomp) and verb.head.i != verb.i:
        return subject_of(verb.head)
    # "demonstrators protesting X", "rebels fighting the army": the noun a present participle qualifies
    if verb.dep_ in lab.participle and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if _misread_main_verb(verb):
        return verb.head
    if verb.dep_ in lab.prep_complement and verb.head.dep_ in lab.oblique and verb.head.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head.head)  # "established ties with China after breaking off ties with Taiwan"
    if verb.dep_ in lab.relcl:
        return verb.head
    return None


def prep_objects(head: Token, preps: tuple[str, ...] | frozenset[str]) -> list[Token]:
    """The objects of the head's obliques with one of these prepositions ("sanctions against X")."""
    lab = labels(head)
    out = []
    for child in head.children:
        if child.dep_ in lab.oblique and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in lab.oblique_object)
    return out


def particle_of(verb: Token) -> Token | None:
    """The phrasal particle: "pulled out", and "pulled out of X" where the parser reads "out" as a preposition."""
    lab = labels(verb)
    for c in verb.children:
        if c.dep_ in lab.particle:
            return c
    for c in verb.children:
        if c.dep_ in lab.adverb and c.lower_ in words(verb, "adverb_particles") and c.i == verb.i + 1:
            return c  # "backed away from"
        if c.dep_ in lab.oblique and c.lower_ in words(verb, "particle_words") and c.i == verb.i + 1 \
                and not any(g.dep_ in lab.oblique_object for g in c.children) \
                and any(g.dep_ in lab.oblique for g in c.children):
            return c
    return None


def complement_lemmas(verb: Token) -> list[str]:
    """What a verb says should happen: "ordered X to leave", "sent X home", "barred X from entering"."""
    lab = labels(verb)
    out = []
    for c in verb.children:
        if c.dep_ in lab.complement or c.dep_ in lab.adverb or c.dep_ in lab.oprd or (
                c.dep_ in lab.clause and lemma(verb) in words(verb, "causative_verbs")
                and not any(m.dep_ in lab.mark for m in c.children)):  # "let the deadline expire"
            out.append(lemma(c))
            out.append(c.lower_)
        elif c.dep_ in lab.oblique:
            out.extend(lemma(g) for g in c.children if g.dep_ in lab.prep_complement)
    return out


def named_complements(tok: Token) -> list[str]:
    """The noun with the of-phrase that completes its name, as written and with the head's lemma: "grève de la
    faim", "coup d'état", "state of emergency"."""
    out = []
    preps = words(tok, "complement_name_preps")
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.i != tok.i + 1 or prep.lower_ not in preps:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and pobj.i - tok.i <= 3:
                rest = tok.doc[prep.i : pobj.i + 1].text.lower()
                out += [f"{tok.lower_} {rest}", f"{lemma(tok)} {rest}"]
    return out


def object_lemmas(obj: Token) -> list[str]:
    """What a direct object names, most specific first: "hunger strike", "strike"; "state of emergency" also
    gives "emergency", "part of a programme" also gives "programme"; the head of a named person's title
    ("Prime Minister Hashimoto") gives "minister"."""
    lab = labels(obj)
    head = lemma(obj)
    mods = [c for c in obj.children if c.dep_ in lab.modifier and c.i < obj.i]
    out = named_complements(obj)
    after = [c for c in obj.children if c.dep_ in lab.modifier and c.i > obj.i and c.pos_ == "ADJ"]
    if mods:
        out.append(" ".join([*(c.lower_ for c in mods), head]))
        if len(mods) > 1:
            out.append(f"{mods[-1].lower_} {head}")
    if after:  # "une opération conjointe", "l'union douanière": the adjective follows in French
        out.append(f"{head} {after[0].lower_}")
    out.append(head)
    if obj.lower_ != head:
        out.append(obj.lower_)  # the small model's lemma slips ("doses" -> "dos")
    for c in obj.children:
        if c.dep_ in lab.oblique and c.lower_ in words(obj, "partitive_preps") and (
                head in words(obj, "partitive_nouns") or obj.like_num or head in words(obj, "state_nouns")):
            for p in c.children:
                if p.dep_ in lab.oblique_object:
                    out.extend(object_lemmas(p))
    if obj.pos_ == "PROPN":
        out.extend(lemma(c) for c in mods if c.pos_ in ("NOUN", "PROPN"))
        if obj.ent_type_ == "PERSON":
            out.append(f"ent:{obj.ent_type_}")
    return out


def has_negation(tok: Token) -> bool:
    """A negation on the word, or on a semi-auxiliary of the future it is the infinitive of: "will not bend", and
    "is not going to bend", "is not about to give in" (the "not" hangs on "going" or the copula of "about"). A
    verb of wanting, needing or obligation keeps its negation: "does not want to bow", "does not have to back
    down" deny the wish or the need, not the act."""
    lab = labels(tok)
    if any(c.dep_ in lab.negation for c in tok.children):
        return True
    head = tok.head
    if tok.dep_ not in lab.complement or head.i == tok.i or head.lower_ not in words(tok, "negation_raising_heads") \
            or not any(a.dep_ in lab.aux and a.lower_ in words(tok, "infinitive_marks") for a in tok.children):
        return False
    if any(c.dep_ in lab.negation for c in head.children):
        return True
    # "are not about to give in": "about" is the copula's complement, the negation the copula's
    return head.dep_ in lab.acomp and head.head.i != head.i and any(c.dep_ in lab.negation for c in head.head.children)


def passive_voice(verb: Token) -> bool:
    """"was designated", "is held", "stands accused", and a participle on its noun ("a group designated a terrorist
    organization") are passive."""
    return is_passive(verb) or (verb.dep_ in labels(verb).participle and verb.tag_ == "VBN")


def oblique_lemmas(verb: Token, prep: str) -> list[str]:
    """What the verb's prepositional phrases with this preposition name, each conjunct too ("held in jail or in
    prison"): the object lemmas of "in solitary confinement" are "solitary confinement" and "confinement". A phrase
    the parser hangs on the direct object after it counts as the verb's ("designated the group as a terrorist
    organization")."""
    lab = labels(verb)
    heads = [verb]
    heads += [c for c in verb.children if c.dep_ in lab.object and c.i > verb.i]
    out: list[str] = []
    for h in heads:
        for p in prep_objects(h, (prep,)):
            for o in (p, *p.conjuncts):
                out += object_lemmas(o)
    return out


def covering_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering these characters, widened to whole tokens."""
    return doc.char_span(start, end, alignment_mode="expand")


def quotation_bounds(tok: Token) -> tuple[int, int] | None:
    """The token span of the quotation ``tok`` is in (within a few sentences either side), or None."""
    doc = tok.doc
    opening, closing = words(tok, "opening_quotes"), words(tok, "closing_quotes")
    straight = words(tok, "straight_quotes")
    start = doc[max(0, tok.sent.start - 1)].sent.start
    start = doc[max(0, start - 1)].sent.start
    open_at = None
    for t in doc[start : tok.i]:
        if t.text in opening or (t.text in straight and open_at is None):
            open_at = t.i
        elif t.text in closing or t.text in straight:
            open_at = None
    if open_at is None:
        return None
    end = min(len(doc), tok.sent.end + 200)
    close_at = next((t.i for t in doc[tok.i : end] if t.text in closing or t.text in straight), None)
    return (open_at, close_at) if close_at is not None else None


def has_infinitive(verb: Token) -> bool:
    """"gave Russia 50 days to agree": an infinitive hangs below the verb."""
    lab = labels(verb)
    marks = words(verb, "infinitive_marks")
    return any(t.tag_ == "VB" and any(a.dep_ in lab.aux and a.lower_ in marks for a in t.children)
               for c in verb.children if c.dep_ in lab.complement | lab.adverbial | lab.object | lab.clause
               for t in (c, *c.children))


def is_passive(verb: Token) -> bool:
    lab = labels(verb)
    return any(c.dep_ in lab.passive_subject or c.dep_ in lab.passive_aux for c in verb.children) or stative_passive(verb)
