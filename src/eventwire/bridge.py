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

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .coding.syntax import lang_words

if not Token.has_extension("ud_dep"):
    Token.set_extension("ud_dep", default=None)

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


def _reattach(tok: Token, head: Token, dep: str) -> None:
    tok.head = head
    tok.dep_ = dep


def _names(doc: Doc) -> None:
    """"Emmanuel Macron": UD heads a name by its first word, English by its last."""
    for tok in doc:
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


def _obliques(doc: Doc, temporal: frozenset[str]) -> None:
    """Prepositions head their nouns: "attaqué par des rebelles" -> par (agent) -> rebelles (pobj)."""
    for tok in doc:
        dep = tok.dep_
        if dep not in OBLIQUES or tok.head.i == tok.i:
            continue
        case = next((c for c in tok.lefts if c.dep_ == "case" and c.pos_ == "ADP"), None)
        if case is None:
            verb = tok.head
            # "n'ont pas attaqué le village": the small parser reads a bare object as a modifier
            if dep in ("obl:mod", "obl") and tok.pos_ in ("NOUN", "PROPN") and verb.pos_ in ("VERB", "AUX") \
                    and tok.lemma_.lower() not in temporal and not any(c.dep_ in ("obj", "dobj") for c in verb.children) \
                    and tok.i > verb.i:
                tok.dep_ = "dobj"
            elif dep != "nmod":
                tok.dep_ = "npadvmod"
            continue
        _reattach(case, tok.head, "agent" if dep == "obl:agent" else "prep")
        _reattach(tok, case, "pobj")
    for tok in doc:  # an article the parser read as a preposition: "des militaires"
        if tok.dep_ == "case" and tok.pos_ == "DET":
            tok.dep_ = "det"


def _unaccusatives(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"des militaires sont entrés dans la base": être is the perfect auxiliary of verbs of motion and change
    (entrer, arriver, partir …), not a passive; the parser often reads it as one."""
    etre = w["bridge_etre_verbs"]
    for tok in doc:
        if tok.dep_ != "aux:pass" or tok.head.lemma_.lower() not in etre or tok.lemma_.lower() not in w["bridge_etre"]:
            continue
        verb = tok.head
        if any(c.dep_ == "obl:agent" for c in verb.children):
            continue
        tok.dep_ = "aux:tense"
        for c in verb.children:
            if c.dep_ == "nsubj:pass":
                c.dep_ = "nsubj"


def _clauses(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    for tok in doc:
        dep = tok.dep_
        if dep == "mark" and tok.lower_ in w["bridge_infinitive_marks"] and tok.head.tag_ == "VB" \
                and "Inf" in tok.head.morph.get("VerbForm"):
            tok.dep_, tok.tag_ = "aux", "TO"
        elif dep == "cc" and tok.head.dep_ == "conj" and tok.head.head.i != tok.head.i:
            # English attaches "and" to the first conjunct
            _reattach(tok, tok.head.head, "cc")


def _negation(doc: Doc, w: dict[str, frozenset[str]]) -> None:
    """"n'a pas attaqué": ne and pas are negators; "n'a tué que deux soldats" (only) is not negated."""
    for tok in doc:
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
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ in PRONOMINAL and c.lower_ in w["bridge_reflexive_clitics"] for c in tok.children):
            base = tok.lemma_
            if not base.startswith(("se ", "s'")):
                tok.lemma_ = f"s'{base}" if base[:1].lower() in VOWELS else f"se {base}"


def _entities(doc: Doc) -> None:
    doc.ents = [Span(doc, e.start, e.end, label=ENTITY_LABELS.get(e.label_, e.label_)) for e in doc.ents]


def _person_names(doc: Doc) -> None:
    """"le président Emmanuel Macron": the small parser often tears a name apart (one word an apposition, the
    next punctuation); a person's name the NER found is one phrase headed by its last word, as in English."""
    for ent in doc.ents:
        if ent.label_ != "PER" or len(ent) < 2 or not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "X") for t in ent):
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


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i and n < 100:
        tok, n = tok.head, n + 1
    return n


def convert(doc: Doc) -> Doc:
    """Rewrite a UD parse in place (see the module docstring)."""
    w = lang_words(doc.lang_)
    for tok in doc:
        tok._.ud_dep = tok.dep_
        tok.tag_ = penn_tag(tok)
    _person_names(doc)
    _names(doc)
    _unaccusatives(doc, w)
    _obliques(doc, w["bridge_temporal_nouns"])
    for tok in doc:
        if tok.dep_ in RENAMED:
            tok.dep_ = RENAMED[tok.dep_]
    _clauses(doc, w)
    _negation(doc, w)
    _pronominal(doc, w)
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
    for tok in doc[1:]:
        if tok.is_sent_start:
            continue
        prev = doc[tok.i - 1]
        while prev.i > 0 and (prev.is_space or prev.is_quote or prev.is_bracket):
            prev = doc[prev.i - 1]
        if prev.text[-1:] not in enders:
            tok.is_sent_start = False
    return doc
