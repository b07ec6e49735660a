"""The UD bridge: a Universal Dependencies parse rewritten in the English parse style the coder reads.

The primitives of ``coding/syntax.py`` and the stages after them were written against the spaCy English
models: Penn Treebank tags ("VBN", "NNS") and ClearNLP dependencies, where a preposition heads its noun
("attacked by rebels": by --agent--> attacked, rebels --pobj--> by). The French model speaks UD: the tag
slot only repeats the part of speech, the noun heads its preposition (rebels --obl:agent--> attacked,
by --case--> rebels) and tense and mood are morphology. Rather than teach every primitive two grammars,
this component rewrites the French parse once, after the parser, into the same shape:

- Penn tags from part of speech and morphology (``Tense``, ``VerbForm``, ``Mood``, ``Number``, ``Person``);
  futur and conditionnel keep their morphology, which factuality reads;
- labels renamed (obj -> dobj, nsubj:pass -> nsubjpass, aux:pass -> auxpass, acl:relcl -> relcl …);
- prepositions made heads of their nouns (``prep``/``agent`` + ``pobj``), the last word of a name its head;
- negation adverbs (ne … pas) labelled ``neg``; "de"/"à" before an infinitive an ``aux`` tagged TO;
- a pronominal verb's lemma carries its pronoun ("s'est entretenu" -> ``s'entretenir``), because the
  pronominal verb is another word ("se retirer" withdraws, "retirer" takes away);
- named-entity labels mapped to the English ones (PER -> PERSON).

The UD label of every token is kept in ``token._.ud_dep`` for explanations. The words it needs are the
language's ``rules/<lang>/words/bridge.yaml``.
"""

from __future__ import annotations

import numpy
from spacy.attrs import DEP, HEAD, IS_BRACKET, IS_QUOTE, IS_SPACE, LEMMA, MORPH, ORTH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from .coding.syntax import lang_words, morph_get

UD_DEPS = "eventwire_ud_deps"
"""``doc.user_data`` key of the UD labels as the parser gave them, one per token (read by ``token._.ud_dep``)."""


def _ud_dep(tok: Token) -> str | None:
    deps = tok.doc.user_data.get(UD_DEPS)
    return deps[tok.i] if deps is not None and tok.i < len(deps) else None


if not Token.has_extension("ud_dep"):
    Token.set_extension("ud_dep", getter=_ud_dep)

RENAMED = {
    "obj": "dobj", "nsubj:pass": "nsubjpass", "aux:pass": "auxpass", "aux:tense": "aux", "aux:caus": "aux",
    "acl:relcl": "relcl", "iobj": "dative", "expl:subj": "expl", "csubj:pass": "csubjpass",
    "nsubj:caus": "nsubj", "obl:tmod": "npadvmod",
}
OBLIQUES = ("obl", "obl:arg", "obl:mod", "obl:agent", "nmod")
PRONOMINAL = ("expl:comp", "expl:pv", "expl:pass")
ENTITY_LABELS = {"PER": "PERSON", "LOC": "GPE", "MISC": "NORP", "ORG": "ORG"}
VOWELS = "aeiouyhâàéèêëîïôûù"


def penn_tag(tok: Token) -> str:
    """The Penn Treebank tag an English tagger would give this word, read from UD part of speech and morphology."""
    pos, m = tok.pos_, tok.morph
    if pos in ("VERB", "AUX"):
        form, tense, mood = m.get("VerbForm"), m.get("Tense"), m.get("Mood")
        if "Inf" in form or "Sub" in mood or "Imp" in mood:
            return "VB"
        if "Part" in form or "Ger" in form:
            return "VBN" if "Past" in tense else "VBG"
        if "Past" in tense or "Imp" in tense:
            return "VBD"
        return "VBZ" if "3" in m.get("Person") and "Sing" in m.get("Number") else "VBP"
    plural = "Plur" in m.get("Number")
    if pos == "NOUN":
        return "NNS" if plural else "NN"
    if pos == "PROPN":
        return "NNPS" if plural else "NNP"
    if pos in ("DET", "PRON"):
        if "Rel" in m.get("PronType") or "Int" in m.get("PronType"):
            return "WDT" if pos == "DET" else "WP"
        if "Yes" in m.get("Poss"):
            return "PRP$"
        return "DT" if pos == "DET" else "PRP"
    return {"ADJ": "JJ", "ADV": "RB", "ADP": "IN", "NUM": "CD", "CCONJ": "CC", "SCONJ": "IN", "PART": "RP",
            "PUNCT": ".", "INTJ": "UH", "SYM": "SYM"}.get(pos, "FW")


_PENN_TAGS: dict[tuple[int, int], str] = {}
"""(part of speech, morphology hash) -> Penn tag: the tag depends on nothing else, and reading morphology is slow."""


def _penn_tag(tok: Token) -> str:
    key = (tok.pos, tok.morph.key)
    tag = _PENN_TAGS.get(key)
    if tag is None:
        tag = _PENN_TAGS[key] = penn_tag(tok)
    return tag


_LEMMA_LOWER: dict[int, str] = {}
"""lemma hash -> the lemma in lower case: the passes that look for words test each distinct lemma once."""

def _lemma_among(doc: Doc, wanted: frozenset[str]) -> list[Token]:
    """The tokens whose lemma, in lower case, is one of ``wanted``, in order: the candidates of a pass that starts
    with that test, found on the document's arrays so that only they are made."""
    lemmas = doc.to_array(LEMMA)
    strings = doc.vocab.strings
    keep = []
    for h in numpy.unique(lemmas).tolist():
        low = _LEMMA_LOWER.get(h)
        if low is None:
            if len(_LEMMA_LOWER) > 200_000:  # a long-running server keeps no unbounded vocabulary
                _LEMMA_LOWER.clear()
            low = _LEMMA_LOWER[h] = strings[h].lower()
        if low in wanted:
            keep.append(h)
    if not keep:
        return []
    return [doc[i] for i in numpy.flatnonzero(_among(lemmas, keep)).tolist()]


def _heads_of(doc: Doc, deps: tuple[str, ...], *, minimum: int = 1, right: bool = False) -> list[Token]:
    """The tokens with at least ``minimum`` children labelled one of ``deps`` (``right``: after them), in order."""
    found = doc.to_array([DEP, HEAD]).astype(numpy.int64)
    keys = numpy.array([doc.vocab.strings[d] for d in deps], dtype=numpy.uint64).astype(numpy.int64)
    idx = numpy.arange(len(doc))
    heads = idx + found[:, 1]
    hit = _among(found[:, 0], keys.tolist()) & (heads != idx)
    if right:
        hit &= idx > heads
    counts = numpy.bincount(heads[hit], minlength=len(doc))
    return [doc[int(i)] for i in numpy.flatnonzero(counts >= minimum)]


def _penn_tags(doc: Doc) -> None:
    """Every token's Penn tag (``_penn_tag``), read and written on the document's arrays."""
    found = doc.to_array([POS, MORPH])
    tags = numpy.empty(len(doc), dtype=numpy.uint64)
    strings = doc.vocab.strings
    ids: dict[str, int] = {}
    for i, (pos, morph) in enumerate(found.tolist()):
        tag = _PENN_TAGS.get((pos, morph))
        if tag is None:
            tag = _penn_tag(doc[i])
        tag_id = ids.get(tag)
        if tag_id is None:
            tag_id = ids[tag] = strings.add(tag)
        tags[i] = tag_id
    doc.from_array([TAG], tags)


def _having(doc: Doc, attr: int, values: tuple[str, ...]) -> list[Token]:
    """The tokens whose dependency label (``DEP``) or part of speech (``POS``) is now one of ``values``, in order.

    The test runs on the document's arrays, so only those tokens are made; a pass still tests each token it
    gets, so this is exact wherever no token of the pass gains the value while the pass runs."""
    keys = [POS_IDS[v] for v in values] if attr == POS else [doc.vocab.strings[v] for v in values]
    found = doc.to_array(attr)
    return [doc[i] for i in numpy.flatnonzero(_among(found, keys)).tolist()]


def _among(found: numpy.ndarray, keys: list[int]) -> numpy.ndarray:
    """``numpy.isin`` for the few keys a pass asks for, without its sorting."""
    hit = found == keys[0]
    for key in keys[1:]:
        hit |= found == key
    return hit


def _reattach(tok: Token, head: Token, dep: str) -> None:
    tok.head = head
    tok.dep_ = dep


def _names(doc: Doc) -> None:
    """"Emmanuel Macron": UD heads a name by its first word, English by its last."""
    for tok in _heads_of(doc, ("flat:name",), right=True):  # only a name's first word gains such children
        if tok.dep_ == "flat:name":
            continue
        flats = [c for c in tok.children if c.dep_ == "flat:name" and c.i > tok.i]
        if not flats:
            continue
        last = flats[-1]
        head_is_root = tok.head.i == tok.i
        old_head, old_dep = tok.head, tok.dep_
        for child in list(tok.children):
            if child.i != last.i:
                _reattach(child, last, "compound" if child in flats else child.dep_)
        _reattach(last, last if head_is_root else old_head, old_dep)
        _reattach(tok, last, "compound")


def _obliques(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """Prepositions head their nouns: "attaqué par des rebelles" -> par (agent) -> rebelles (pobj). A
    preposition of several words ("lors de", "auprès de", "d'après") is headed by its first word, the others
    stay ``fixed`` under it."""
    for tok in _having(doc, DEP, (*OBLIQUES, "appos", "dep")):
        dep = tok.dep_
        if dep in ("appos", "dep") and any(c.dep_ == "case" and c.pos_ == "ADP" for c in tok.lefts):
            # "des rebelles près de Tinzaouatène", "autour de Paris": a phrase with a preposition is a modifier
            dep = "nmod"
        if dep not in OBLIQUES or tok.head.i == tok.i:
            continue
        case = next((c for c in tok.lefts if c.dep_ == "case" and (c.pos_ == "ADP" or any(
            f.dep_ == "fixed" for f in c.children))), None)
        if case is None:
            verb = tok.head
            if _time(tok, w) and not any(c.dep_ == "det" for c in tok.children):
                tok.dep_ = "npadvmod"  # "s'est entretenu jeudi à Pékin": a bare day is a time, never an object
                continue
            # "n'ont pas attaqué le village", "a arrêté des manifestants": the small parser reads a bare object
            # as a modifier
            if dep in ("obl:mod", "obl", "obl:arg") and tok.pos_ in ("NOUN", "PROPN") \
                    and verb.pos_ in ("VERB", "AUX") and not _time(tok, w) \
                    and not any(c.dep_ in ("obj", "dobj") for c in verb.children) and tok.i > verb.i:
                tok.dep_ = "dobj"
                continue
            participle = tok.pos_ == "VERB" and tok.tag_ in ("VBN", "VBG") \
                and not any(c.dep_.startswith("nsubj") for c in tok.children)
            if participle and verb.pos_ in ("VERB", "AUX"):
                tok.dep_ = "advcl"  # "Réunis à Accra, les dirigeants ont exigé": a participle clause, no noun
            elif participle and verb.dep_ == "nsubj" and tok.i < verb.i and verb.head.pos_ in ("VERB", "AUX"):
                _reattach(tok, verb.head, "advcl")  # the same clause, hung on the subject it describes
            elif dep != "nmod":
                tok.dep_ = "npadvmod"
            continue
        head = tok.head
        if _time(head, w) and not _time(tok, w) and head.head.pos_ in ("VERB", "AUX") \
                and head.dep_ in (*OBLIQUES, "obl:tmod", "npadvmod", "obj") and head.i < tok.i:
            head = head.head  # "se sont emparées vendredi de la centrale": the phrase is the verb's, not the day's
        passive_by = case.lower_ in w["bridge_agent_preps"] and any(c.dep_ == "aux:pass" for c in head.children)
        _reattach(case, head, "agent" if dep == "obl:agent" or passive_by else "prep")
        _reattach(tok, case, "pobj")
    for tok in _having(doc, DEP, ("obj",)):
        if tok.dep_ == "obj" and _time(tok, w) and not any(c.dep_ == "det" for c in tok.children) \
                and tok.head.pos_ in ("VERB", "AUX"):
            tok.dep_ = "npadvmod"
    for tok in _having(doc, DEP, ("case",)):  # an article the parser read as a preposition: "des militaires"
        if tok.dep_ == "case" and tok.pos_ == "DET":
            tok.dep_ = "det"


def _adverbial_prepositions(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"près de Gao", "lors de combats": the small parser reads the adverb as a modifier (of the noun, or of the
    verb with "de" under it, or of the noun "de" also hangs on); like "auprès de", the adverb heads the preposition,
    "de" stays ``fixed`` under it,
    so that the place and the situation rules read "près" and "lors" as English reads "near" and "during"."""
    for adv in _having(doc, DEP, ("advmod", "dep", "amod")):
        if adv.pos_ != "ADV" or adv.lower_ not in w["bridge_adverbial_preps"] or adv.i + 1 >= len(doc):
            continue
        de = doc[adv.i + 1]
        if de.dep_ != "prep" or de.lower_ not in w["bridge_adverbial_prep_links"]:
            continue
        obj = next((c for c in de.children if c.dep_ == "pobj"), None)
        if obj is None:
            continue
        if de.head.i == adv.i:  # "tués lors de combats": lors -> de -> combats
            _reattach(adv, adv.head, "prep")
            for later in [c for c in adv.children if c.dep_ == "prep" and c.i > obj.i]:
                _reattach(later, obj, "prep")  # "lors de combats avec des rebelles": the fight's, not the adverb's
        elif adv.head.i == obj.i:  # "rebelles près de Tinzaouatène": de -> Tinzaouatène -> près
            _reattach(adv, de.head, "prep")
        elif adv.head.i == de.head.i:  # "des repas au-dessus de Gaza": both on the noun before
            adv.dep_ = "prep"
        else:
            continue
        _reattach(de, adv, "fixed")
        _reattach(obj, adv, "pobj")


def _time(tok: Token, w: dict[str, frozenset[str]]) -> bool:
    """A word that names a time ("mardi", "la semaine"); "fin", "début", "mi" only before one ("fin avril", not
    "mettre fin à")."""
    low = tok.lemma_.lower()
    if low not in w["bridge_temporal_nouns"]:
        return False
    if low not in w["bridge_time_edges"]:
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and (nxt.like_num or nxt.lemma_.lower() in w["bridge_temporal_nouns"])


def _second_subjects(doc: Doc) -> None:
    """"Des militaires ont arrêté mardi à Bamako le président": a noun after the verb that the parser calls a
    second subject, when the verb has its subject before it, is the object."""
    for verb in _heads_of(doc, ("nsubj",), minimum=2):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if len(subjects) < 2 or subjects[0].i > verb.i or any(c.dep_ in ("obj", "dobj") for c in verb.children):
            continue
        for late in subjects[1:]:
            if late.i > verb.i:
                late.dep_ = "dobj"
                break


def _infinitives_after_times(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"ont promis dimanche soir de riposter", "a décidé lundi de suspendre": the parser hangs the infinitive on the
    day; it is the verb's complement."""
    for tok in _lemma_among(doc, w["bridge_temporal_nouns"]):
        verb = tok.head
        if not _time(tok, w) or verb.pos_ not in ("VERB", "AUX") or tok.i < verb.i \
                or any(c.dep_ == "xcomp" for c in verb.children):
            continue
        for child in tok.rights:
            if child.pos_ == "VERB" and _infinitive(child) and any(
                    m.dep_ == "mark" and m.lower_ in w["bridge_infinitive_marks"] for m in child.children):
                _reattach(child, verb, "xcomp")
                if tok.dep_ == "punct":
                    tok.dep_ = "npadvmod"
                break


def _late_objects(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"a suspendu jeudi pour trois mois la diffusion de la BBC", "a remis lundi aux autorités la base", "a chassé
    l'an dernier les soldats": French puts the object after a time or a prepositional phrase, and the parser hangs
    it, without a comma, on the noun before; a verb with no object takes it back. A time noun the parser made
    the object gives its place."""
    for verb in _having(doc, POS, ("VERB", "AUX")):
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        objects = [c for c in verb.children if c.dep_ in ("obj", "dobj")]
        if len(objects) > 1 or (objects and not _time(objects[0], w)):
            continue
        for host in [c for c in verb.rights if c.dep_ in ("npadvmod", "pobj", "prep", "obj", "dobj")]:
            noun = next((p for p in host.children if p.dep_ == "pobj"), None) if host.dep_ == "prep" else host
            if noun is None:
                continue
            late = next((c for c in noun.rights if c.dep_ in ("nmod", "appos", "dep") and c.pos_ in ("NOUN", "PROPN")
                         and any(d.dep_ == "det" for d in c.children)
                         and not any(d.dep_ == "case" or d.is_punct for d in c.children)
                         and not doc[c.i - 1].is_punct), None)
            if late is None or (not _time(noun, w) and host.dep_ != "prep"):
                continue
            for old in objects:
                old.dep_ = "npadvmod"  # "l'an dernier": a time, not what was chased
            _reattach(late, verb, "dobj")
            break


def _partitive_objects(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"ont entamé mardi des manœuvres", "a demandé lundi des mandats d'arrêt": after a time, "des" is the article
    of the object, which the parser read as the preposition "de les"."""
    articles = w["bridge_partitive_articles"]
    if not any(t.i + 1 < len(doc) and doc[t.i + 1].lower_ in articles for t in _lemma_among(doc, w["bridge_temporal_nouns"])):
        return  # the article must follow a time: most documents have no such pair, and every verb is then left alone
    for verb in _having(doc, POS, ("VERB", "AUX")):
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.startswith(("se ", "s'")):
            continue
        objects = [c for c in verb.children if c.dep_ in ("obj", "dobj")]
        if objects and not all(_time(o, w) for o in objects):
            continue
        # "a lancé dans la nuit de jeudi à vendredi des frappes": the article may also hang on the day itself
        hosts = [verb, *(t for c in verb.rights for t in (c, *c.children) if _time(t, w))]
        prep = next((c for h in hosts for c in h.rights if c.dep_ == "prep" and c.lower_ in articles and c.i > 0
                     and _time(doc[c.i - 1], w)), None)
        noun = next((p for p in prep.children if p.dep_ == "pobj"), None) if prep is not None else None
        if noun is None:
            continue
        for old in objects:
            old.dep_ = "npadvmod"
        _reattach(noun, verb, "dobj")
        _reattach(prep, noun, "det")
        prep.tag_ = "DT"


def _objects_after_times(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"a accepté dimanche les revendications": the parser hangs the object on the day; it is the verb's."""
    for tok in _lemma_among(doc, w["bridge_temporal_nouns"]):
        verb = tok.head
        if not _time(tok, w) or verb.pos_ not in ("VERB", "AUX") or tok.i < verb.i \
                or any(c.dep_ in ("obj", "dobj") for c in verb.children):
            continue
        for child in tok.rights:
            if child.pos_ in ("NOUN", "PROPN") and child.dep_ in ("nmod", "appos", "obj", "dobj", "flat", "dep") \
                    and not any(c.dep_ == "case" for c in child.children) \
                    and not _time(child, w):
                _reattach(child, verb, "dobj")
                break


def _object_relatives(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"a rompu avec Kigali, qu'il accuse de soutenir …": the parser reads the object relative "qu'" after a comma
    as the conjunction of a complement clause of the main verb; it is the object of a relative clause on the noun
    before the comma."""
    for rel in _having(doc, DEP, ("mark",)):
        verb = rel.head
        if rel.dep_ != "mark" or rel.lower_ not in w["bridge_object_relatives"] or rel.i < 2 \
                or verb.pos_ != "VERB" or verb.i < rel.i or any(c.dep_ in ("obj", "dobj") for c in verb.children):
            continue
        if not ((rel.pos_ == "PRON" and verb.dep_ == "ccomp") or verb.dep_ == "acl:relcl"):
            continue
        comma, noun = doc[rel.i - 1], doc[rel.i - 2]
        if noun.pos_ == "ADJ" and noun.head.i < noun.i:
            noun = noun.head  # "la Cour pénale internationale, qu'ils …"
        if comma.text != "," or not (noun.pos_ in ("NOUN", "PROPN") or noun.ent_type_) or noun in verb.subtree:
            continue
        rel.dep_ = "obj"
        _reattach(verb, noun, "acl:relcl")


def _unaccusatives(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"des militaires sont entrés dans la base": être is the perfect auxiliary of verbs of motion and change
    (entrer, arriver, partir …), not a passive; the parser often reads it as one."""
    etre = w["bridge_etre_verbs"]
    for tok in _having(doc, DEP, ("aux:pass",)):
        if tok.dep_ != "aux:pass" or tok.head.lemma_.lower() not in etre or tok.lemma_.lower() not in w["bridge_etre"]:
            continue
        verb = tok.head
        if any(c.dep_ == "obl:agent" for c in verb.children):
            continue
        tok.dep_ = "aux:tense"
        for c in verb.children:
            if c.dep_ == "nsubj:pass":
                c.dep_ = "nsubj"


def _infinitive(verb: Token) -> bool:
    """"retirer", and the past infinitive "avoir bombardé", "s'être retiré"."""
    if "Inf" in morph_get(verb, "VerbForm"):
        return True
    return any(c.dep_ in ("aux", "aux:tense", "aux:pass", "auxpass") and "Inf" in morph_get(c, "VerbForm")
               for c in verb.children)


def _clauses(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    for tok in _having(doc, DEP, ("det", "mark", "case", "cc")):
        dep = tok.dep_
        if dep == "det" and tok.tag_ == "PRP$":
            tok.dep_ = "poss"  # "ses troupes": English reads a possessive as poss
        elif dep == "mark" and tok.lower_ in w["bridge_infinitive_marks"] and _infinitive(tok.head):
            tok.dep_, tok.tag_ = "aux", "TO"
        elif dep in ("mark", "case") and tok.lower_ in w["bridge_negating_marks"] and _infinitive(tok.head):
            tok.dep_ = "neg"  # "est repartie sans avoir obtenu d'accord": what did not happen
        elif dep == "cc" and tok.head.dep_ == "conj" and tok.head.head.i != tok.head.i:
            # English attaches "and" to the first conjunct
            _reattach(tok, tok.head.head, "cc")


def _between_subjects(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"La trêve entre la Russie et l'Ukraine est entrée en vigueur", "Washington et Séoul ont lancé": the parser joins
    the second party to the verb as its subject and the verb to the first noun as a conjunct; the noun is the
    subject, and the parties (the noun's between-phrase, else the noun and the second party) are conjuncts. Without
    a between-phrase the verb must be plural, as two subjects make it."""
    done, nouns = -1, _heads_of(doc, ("conj",))
    while nouns:
        noun = nouns.pop(0)
        if noun.i <= done or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        verb = next((c for c in noun.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            continue
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in w["bridge_between_preps"]), None)
        party = next((p for p in prep.children if p.dep_ == "pobj"), None) if prep is not None else None
        if party is None and not any("Plur" in t.morph.get("Number") for t in (verb, *verb.children)
                                     if t.dep_ == "aux" or t.i == verb.i):
            continue
        first = party if party is not None else noun
        if verb.i < first.i:
            continue
        second = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and first.i < c.i < verb.i), None)
        cc = next((c for c in (*noun.children, *first.children) if c.dep_ == "cc"
                   and first.i < c.i < (second.i if second else -1)), None)
        if second is None or cc is None or second.left_edge.i != cc.i + 1:
            continue
        _reattach(verb, verb if noun.head.i == noun.i else noun.head, noun.dep_)
        for late in [c for c in noun.children if c.i > verb.i]:
            _reattach(late, verb, late.dep_)
        _reattach(noun, verb, "nsubj")
        _reattach(second, first, "conj")
        _reattach(cc, first, "cc")
        done, nouns = noun.i, _heads_of(doc, ("conj",))  # the verb may now be a conjunct of a later noun


def _negation(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"n'a pas attaqué": ne and pas are negators; "n'a tué que deux soldats" (only) is not negated."""
    for tok in _having(doc, DEP, ("advmod",)):
        if tok.lemma_.lower() not in w["bridge_negation_particles"] or tok.dep_ != "advmod":
            continue
        head = tok.head
        if any(c.lower_ in w["bridge_restrictive_words"] for c in head.subtree) and not any(
                c.lemma_.lower() in w["bridge_negation_adverbs"] for c in head.children):
            continue
        tok.dep_ = "neg"
        for c in head.children:
            if c.dep_ == "advmod" and c.lemma_.lower() in w["bridge_negation_adverbs"]:
                c.dep_ = "neg"


def _pronominal(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"les troupes se sont retirées": a pronominal verb's être is its perfect and its subject a subject, not a
    passive's; the clitic may have been read as an object ("se sont mises d'accord")."""
    clitics = w["bridge_reflexive_clitics"]
    for tok in _having(doc, POS, ("VERB", "AUX")):
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        if any((c.dep_ in PRONOMINAL or (c.dep_ in ("dobj", "dative") and c.i < tok.i)) and c.lower_ in clitics
               for c in tok.children):
            base = tok.lemma_
            if not base.startswith(("se ", "s'")):
                tok.lemma_ = f"s'{base}" if base[:1].lower() in VOWELS else f"se {base}"
            for c in tok.children:
                if c.dep_ == "auxpass":
                    c.dep_ = "aux"
                elif c.dep_ == "nsubjpass":
                    c.dep_ = "nsubj"


def _participles_as_adjectives(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"a gelé l'aide", "ont violé le cessez-le-feu": a word with the perfect's auxiliary is a participle even when
    the tagger calls it an adjective (of the noun after it, which is then its object) or an adverb."""
    vocab = doc.vocab
    for tok in _having(doc, POS, ("ADJ", "ADV")):
        if tok.pos_ not in ("ADJ", "ADV") or not tok.lower_.endswith(("é", "ée", "és", "ées")):
            continue
        if not any(c.dep_ in ("aux", "aux:tense") and c.lemma_.lower() in w["bridge_perfect_auxiliaries"]
                   for c in tok.children):
            continue
        tok.pos_, tok.tag_ = "VERB", "VBN"
        stem = tok.lower_.rstrip("s").rstrip("e")[:-1]
        if stem and vocab.has_vector(stem + "er"):
            tok.lemma_ = stem + "er"
        noun = tok.head
        if tok.dep_ == "amod" and noun.i > tok.i and noun.pos_ in ("NOUN", "PROPN"):
            _reattach(tok, tok if noun.head.i == noun.i else noun.head, noun.dep_)
            _reattach(noun, tok, "dobj")


def _lemma_slips(doc: Doc) -> None:
    """The small model keeps some present forms as their own lemma ("réclame", "signent") and reads some
    participles as infinitives ("négocié"): the infinitive is the form's stem + -er when the vocabulary knows it."""
    vocab = doc.vocab
    for tok in _having(doc, POS, ("VERB",)):
        if tok.pos_ != "VERB":
            continue
        low = tok.lower_
        if tok.lemma_.lower() == low and not low.endswith(("er", "ir", "re")):
            for stem in (low[:-3] if low.endswith("ent") else None, low[:-1] if low.endswith("e") else None,
                         low[:-1] if low.endswith("s") and low[-2:-1] == "e" else None):
                if stem and vocab.has_vector(stem + "er"):
                    tok.lemma_ = stem + "er"
                    break
        if tok.tag_ == "VB" and low.endswith(("é", "ée", "és", "ées")):
            tok.tag_ = "VBN"


def _reporting_inversion(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """", a déclaré un responsable", "a rapporté RFI": after a quotation or a clause the reporter comes after its
    verb; the parser reads it as the object."""
    reporting = w["reporting_verbs"]
    for tok in _lemma_among(doc, reporting):
        if tok.lemma_.lower() not in reporting:
            continue
        stolen = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
        main = tok.head
        opening = next((c for c in tok.lefts if c.dep_ == "aux"), None)
        reporter = next((c for c in tok.rights if c.dep_ == "dobj" and (c.pos_ == "PROPN" or c.ent_type_)), None)
        if stolen is not None and opening is not None and reporter is not None and main.pos_ == "VERB" \
                and main.i < stolen.i and tok.dep_ in ("advcl", "parataxis") and doc[opening.i - 1].is_punct \
                and not any(c.dep_ == "dobj" for c in main.children):
            # "ont frappé dans la nuit les sites iraniens, a annoncé Donald Trump": the parser made the main verb's
            # object the reporter's subject
            _reattach(stolen, main, "dobj")
        elif stolen is not None or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        before = doc[tok.i - 1] if tok.i > 0 else None
        aux_first = next((c for c in tok.lefts if c.dep_ == "aux"), None)
        first = aux_first if aux_first is not None else tok
        prev = doc[first.i - 1] if first.i > 0 else before
        if prev is None or not (prev.is_punct or prev.is_quote):
            continue
        obj = next((c for c in tok.rights if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if obj is not None:
            obj.dep_ = "nsubj"


def _capitalised_nouns(doc: Doc) -> None:
    """"à Dakar", "à Port-au-Prince", "Ousmane Sonko": the small tagger reads some names as common nouns (and
    lower-cases their lemma); inside a sentence, a capitalised noun is a name, but for the common nouns French
    writes with a capital ("chef d'État", "ministre de la Défense")."""
    institutions = lang_words(doc.lang_)["bridge_capitalised_common_nouns"]
    for tok in _having(doc, POS, ("NOUN",)):
        if tok.pos_ != "NOUN" or not tok.text[:1].isupper() or tok.is_sent_start or tok.text.isupper() \
                or tok.text in institutions:
            continue
        prev = doc[tok.i - 1]
        if prev.is_quote or (prev.is_punct and prev.text in (":", "«", "—", "-", "(")):
            continue
        tok.pos_ = "PROPN"
        tok.lemma_ = tok.text


def _entities(doc: Doc) -> None:
    """English labels; a common noun alone is no name ("l'État", "la Défense" are read as places)."""
    doc.ents = [Span(doc, e.start, e.end, label=ENTITY_LABELS.get(e.label_, e.label_)) for e in doc.ents
                if any(t.pos_ == "PROPN" for t in e) or e.label_ == "MISC"]


def _person_names(doc: Doc) -> None:
    """"le président Emmanuel Macron", "des combattants de Boko Haram": the small parser often tears a name apart
    (one word an apposition, the next punctuation); a person's name the NER found, or any name of proper nouns,
    is one phrase headed by its last word, as in English."""
    for ent in doc.ents:
        if len(ent) < 2 or not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "X") for t in ent):
            continue
        if ent.label_ != "PER" and not all(t.pos_ == "PROPN" for t in ent):
            continue
        inside = range(ent.start, ent.end)
        top = min(ent, key=lambda t: _depth(t))
        last = ent[-1]
        head, dep = (top.head, top.dep_) if top.head.i not in inside else (last, "ROOT")
        if head.i == top.i:
            head = last
        for tok in ent:
            for child in list(tok.children):
                if child.i not in inside:
                    _reattach(child, last, child.dep_)
        _reattach(last, head if head.i != last.i else last, dep if dep != "flat:name" else "appos")
        for tok in ent[:-1]:
            _reattach(tok, last, "compound")
        before = doc[ent.start - 1] if ent.start > 0 else None
        if before is not None and before.pos_ == "NOUN" and before.head.i in inside:
            _reattach(before, last, "compound")  # "le général Tiani": the title is part of the name's phrase
        _title_before(doc, ent, last)


def _title_before(doc: Doc, ent: Span, last: Token) -> None:
    """"le président (nigérien) Mohamed Bazoum": a name right after its title is the head of the phrase and the
    title its compound, as "President Mohamed Bazoum" is in English; after a comma it stays an apposition."""
    i = ent.start - 1
    while i >= 0 and doc[i].pos_ == "ADJ":
        i -= 1
    title = doc[i] if i >= 0 else None
    if title is None or title.pos_ != "NOUN" or last.head.i != title.i or last.dep_ not in ("appos", "nmod", "flat:name"):
        return
    head, dep = title.head, title.dep_
    _reattach(last, last if head.i == title.i else head, dep)
    _reattach(title, last, "compound")
    for child in list(title.children):
        if child.i > last.i or child.dep_ == "case":
            # what followed the name qualified the whole phrase; "avec le président X": the preposition is X's
            _reattach(child, last, child.dep_)


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i and n < 100:
        tok, n = tok.head, n + 1
    return n


def convert(doc: Doc) -> Doc:
    """Rewrite a UD parse in place (see the module docstring)."""
    w = lang_words(doc.lang_)
    _capitalised_nouns(doc)
    strings = doc.vocab.strings
    doc.user_data[UD_DEPS] = [strings[h] for h in doc.to_array(DEP).tolist()]
    _penn_tags(doc)
    _person_names(doc)
    _names(doc)
    _unaccusatives(doc, w)
    _obliques(doc, w)
    _adverbial_prepositions(doc, w)
    _second_subjects(doc)
    _objects_after_times(doc, w)
    _infinitives_after_times(doc, w)
    _late_objects(doc, w)
    _partitive_objects(doc, w)
    _object_relatives(doc, w)
    for tok in _having(doc, DEP, tuple(RENAMED)):
        if tok.dep_ in RENAMED:
            tok.dep_ = RENAMED[tok.dep_]
    _clauses(doc, w)
    _between_subjects(doc, w)
    _negation(doc, w)
    _pronominal(doc, w)
    _participles_as_adjectives(doc, w)
    _lemma_slips(doc)
    _reporting_inversion(doc, w)
    _entities(doc)
    return doc


@Language.component("eventwire_ud_bridge")
def ud_bridge(doc: Doc) -> Doc:
    return convert(doc)


@Language.component("eventwire_sentence_guard")
def sentence_guard(doc: Doc) -> Doc:
    """Before the parser: a sentence may start only after a full stop, a question or exclamation mark, or where
    a blank line or dateline already started one. The small French parser otherwise ends sentences inside
    names ("Le général | Abdourahamane Tiani a reçu …"), which loses the subject of the verb."""
    enders = lang_words(doc.lang_)["bridge_sentence_enders"]
    found = doc.to_array([SENT_START, IS_SPACE, IS_QUOTE, IS_BRACKET, ORTH])
    starts = found[:, 0].astype(numpy.int64)
    skipped = (found[:, 1] | found[:, 2] | found[:, 3]).tolist()
    strings = doc.vocab.strings
    ends: dict[int, bool] = {}
    orths = found[:, 4].tolist()
    changed = False
    for i in range(1, len(doc)):
        if starts[i] == 1:
            continue
        prev = i - 1
        while prev > 0 and skipped[prev]:
            prev -= 1
        h = orths[prev]
        ender = ends.get(h)
        if ender is None:
            ender = ends[h] = strings[h][-1:] in enders
        if not ender:
            starts[i] = -1
            changed = True
    if changed:  # set on the array at once: each token's own setter checks the whole document again
        doc.from_array([SENT_START], starts.astype(numpy.uint64))
    return doc
