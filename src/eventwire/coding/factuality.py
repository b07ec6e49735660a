"""Factuality (asserted, negated, hypothetical) and attribution (who reported or claimed it).

Reporting verbs are not events: "X said Y attacked Z" is one ASSAULT (Y -> Z) with attribution X.
The words (modals, intention and reporting verbs) are the language's word lists in
``rules/<lang>/words/factuality.yaml``.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

from ..model import ASSERTED, HYPOTHETICAL, NEGATED
from .dates import Tense, form_tense
from .syntax import lang_words, morph_get, prep_text


def announced_future(tok: Token) -> bool:
    """Whether the event is announced as the subject's future act ("will visit", "is ready to send troops",
    "said it would impose sanctions"), not a wish, a condition or another party's request."""
    w = lang_words(tok.doc.lang_)
    if _negated_here(tok, w["negation_words"]):
        return False
    possibility = w["possibility_modals"]
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in possibility for c in tok.children):
        return False
    conditional = w["conditional_marks"]
    if any(c.dep_ == "mark" and c.lower_ in conditional for c in tok.children):
        return False
    future_aux = w["future_auxiliaries"]
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in future_aux for c in tok.children) or future_tense(tok) \
            or (conditional_mood(tok) and not reported_conditional(tok)):
        return True
    if _shares_head_aux(tok, future_aux):
        return True
    own_event, future_heads = w["own_event_heads"], w["future_heads"]
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        head = cur.head
        lemma = head.lemma_.lower()
        if cur.dep_ == "xcomp":
            if lemma in own_event or _negated_here(head, w["negation_words"]):
                return False
            if lemma in future_heads:
                return True
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in future_aux for c in head.children):
                return lemma not in own_event
            return False
        cur = head
    return False


def _morph(tok: Token, feature: str, value: str) -> bool:
    """A feature of the verb or of its auxiliary: French tells the future and the conditional by inflection
    ("attaquera", "sera déployé", "aurait tué"); the English models never set these features."""
    return value in morph_get(tok, feature) or any(
        c.dep_ in ("aux", "auxpass") and value in morph_get(c, feature) for c in tok.children)


def future_tense(tok: Token) -> bool:
    return _morph(tok, "Tense", "Fut")


def conditional_mood(tok: Token) -> bool:
    """"quitteraient", "imposerait": the conditional, read like English "would"; the tagger confuses it with the
    imparfait ("menaçait"), so a simple form is judged by its ending (``dates.form_tense``)."""
    if any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return _morph(tok, "Mood", "Cnd")
    by_form = form_tense(tok)
    if by_form is not None:
        return by_form == Tense.PRESENT
    return "Cnd" in morph_get(tok, "Mood")


def reported_conditional(tok: Token) -> bool:
    """"aurait tué", "auraient été enlevés": the past conditional of a report not confirmed (the journalistic
    conditional), not a supposition."""
    return tok.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and "Cnd" in morph_get(c, "Mood")
                                     for c in tok.children)


def _shares_head_aux(tok: Token, auxiliaries: Collection[str]) -> bool:
    """A conjunct with no auxiliary or subject of its own shares its head's: "would bring X and withdraw Y"."""
    return tok.dep_ == "conj" and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in tok.children) \
        and any(c.dep_ in ("aux", "auxpass") and c.lower_ in auxiliaries for c in tok.head.children)


def _negated_here(tok: Token, negation_words: Collection[str]) -> bool:
    return bool(any(c.dep_ == "neg" or (c.lower_ in negation_words and c.dep_ in ("neg", "advmod", "det"))
                    for c in tok.children))


def factuality(tok: Token, noun: Token | None = None) -> str:
    """'negated', 'hypothetical' or 'asserted' for the event headed by ``tok``."""
    return factuality_cue(tok, noun)[0]


def factuality_cue(tok: Token, noun: Token | None = None) -> tuple[str, str | None]:
    """The factuality and the name of the factuality rule that decided it (``rules/<lang>/factuality.yaml``):
    None when nothing made the event anything but asserted."""
    w = lang_words(tok.doc.lang_)
    negation = w["negation_words"]
    if _negated_here(tok, negation) or (noun is not None and noun.i != tok.i and _negated_here(noun, negation)):
        if _under_condition(tok, w):
            # "if the Russians cannot abide by the ceasefire": a refusal only supposed, not one that happened
            return HYPOTHETICAL, "fact.conditional"
        if tok.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_.lower() in w["perfect_auxiliaries"] and c.tag_ in ("VBZ", "VBP")
                                     for c in tok.children):
            # "Russia has not agreed to the ceasefire": not (yet) done, a state of affairs, not a refusal
            return HYPOTHETICAL, "fact.not_yet"
        return NEGATED, "fact.negation"
    if noun is not None and noun.i == tok.i:
        # an event noun: "no attack", "a plan for an offensive", "the threat of sanctions"
        head = tok.head
        if head.dep_ == "prep" and head.head.pos_ == "NOUN" and head.head.lemma_.lower() in w["hypothetical_nouns"]:
            return HYPOTHETICAL, "fact.hypothetical_noun"
        if tok.dep_ in ("dobj", "pobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            verdict = factuality_cue(head)
            if verdict[0] != ASSERTED:
                return verdict
    if reported_conditional(tok):
        # an unconfirmed report: asserted, with its attribution and a lower confidence (rules/fr/factuality.yaml)
        return ASSERTED, "fact.reported_conditional"
    modals = w["modal_auxiliaries"]
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in modals for c in tok.children) or future_tense(tok) \
            or conditional_mood(tok):
        return HYPOTHETICAL, "fact.modal"
    if _shares_head_aux(tok, modals):
        return HYPOTHETICAL, "fact.modal"  # "would bring its ambassador home and withdraw its troops"
    going = w["going_auxiliaries"]
    if any(c.dep_ == "aux" and c.lower_ in going for c in tok.children):
        return HYPOTHETICAL, "fact.modal"
    if tok.tag_ == "VB" and tok.dep_ == "ccomp" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children) \
            and any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in tok.children):
        # "demanded that Israel ease restrictions": a base form with a singular subject is a subjunctive, what
        # someone wants done, not what was done
        return HYPOTHETICAL, "fact.subjunctive"
    infinitive = w["infinitive_marks"]
    # "to withdraw", and the passive "to be deployed"
    bare = tok.tag_ == "VB" or any(c.dep_ == "auxpass" and c.tag_ == "VB" for c in tok.children)
    if bare and any(c.dep_ == "aux" and c.lower_ in infinitive for c in tok.children) \
            and (tok.head.lemma_.lower() not in w["realis_heads"] or tok.dep_ in ("advcl", "acl", "relcl")):
        # an infinitive ("to get the US to withdraw") names a goal, not something that happened
        return HYPOTHETICAL, "fact.infinitive"
    conditional, pending = w["conditional_marks"], w["pending_marks"]
    negating, intent, alleging = w["negating_heads"], w["intent_heads"], w["alleging_heads"]
    allegation_preps, hypothetical_nouns = w["allegation_preps"], w["hypothetical_nouns"]
    clause_heads, reporting = w["hypothetical_clause_heads"], w["reporting_verbs"]
    cur = tok
    for _ in range(6):
        if cur.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in conditional for c in cur.children):
            return HYPOTHETICAL, "fact.conditional"
        if cur.dep_ == "advcl" and _present_tense(cur) and \
                any(c.dep_ == "mark" and c.lower_ in pending for c in cur.children):
            return HYPOTHETICAL, "fact.conditional"  # "must agree to changes before they demobilize"
        if cur.dep_ == "advcl" and cur.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in infinitive
                                                            for c in cur.children):
            return HYPOTHETICAL, "fact.infinitive"  # a purpose: "offered troops to help him oust X"
        head = cur.head
        if head.i == cur.i:
            break
        lemma = head.lemma_.lower()
        if cur.dep_ == "pcomp" and cur.tag_ == "VBG" and head.lower_ in pending and head.head.i != head.i \
                and (_present_tense(head.head) or head.head.lemma_.lower() in intent
                     or factuality_cue(head.head)[0] != ASSERTED):
            # "must halt the strikes before allowing aid convoys in", "demanded a truce before allowing convoys"
            return HYPOTHETICAL, "fact.conditional"
        if cur.dep_ in ("xcomp", "ccomp", "advcl", "acl", "pcomp") and lemma in negating:
            return NEGATED, "fact.negating_head"
        if cur.dep_ == "xcomp" and lemma in intent:
            return HYPOTHETICAL, "fact.intent_head"
        if cur.dep_ == "pcomp" and head.lower_ in allegation_preps and head.head.lemma_.lower() in alleging:
            return HYPOTHETICAL, "fact.alleged"  # "accused Qatar of supporting terrorism": alleged, not established
        if cur.dep_ in ("acl", "pcomp", "ccomp") and head.pos_ == "NOUN" and lemma in hypothetical_nouns:
            return HYPOTHETICAL, "fact.hypothetical_noun"
        if cur.dep_ in ("acl", "pcomp") and lemma in hypothetical_nouns:
            return HYPOTHETICAL, "fact.hypothetical_noun"
        if cur.dep_ == "ccomp" and lemma in clause_heads:
            return HYPOTHETICAL, "fact.intent_head"
        if cur.dep_ == "ccomp" and lemma in reporting:
            # "X said it would strike": the modal sits on the embedded verb, already checked; "did not say that
            # X attacked" does not negate the attack either: the event stays asserted
            break
        if cur.dep_ not in ("xcomp", "conj", "ccomp", "advcl", "acl", "pcomp", "prep", "pobj", "dobj"):
            break
        cur = head
    return ASSERTED, None


def _present_tense(tok: Token) -> bool:
    """A present or base form, or a passive with a present auxiliary: "before they demobilize", "until the
    hostages are freed"."""
    return tok.tag_ in ("VB", "VBP", "VBZ") or (tok.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VB", "VBP", "VBZ") for c in tok.children))


def _under_condition(tok: Token, w: dict) -> bool:
    """Whether the clause of ``tok`` (or one it is part of) is under a condition: "if they cannot agree"."""
    conditional, pending = w["conditional_marks"], w["pending_marks"]
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in conditional for c in cur.children):
            return True
        if cur.dep_ == "advcl" and _present_tense(cur) and any(c.dep_ == "mark" and c.lower_ in pending
                                                                 for c in cur.children):
            return True
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def reporting_clause(tok: Token) -> Token | None:
    """The reporting verb that frames this event ("..., Reuters reported"), if any."""
    reporting = lang_words(tok.doc.lang_)["reporting_verbs"]
    cur = tok
    for _ in range(4):
        for child in cur.children:
            if child.dep_ in ("parataxis", "ccomp", "advcl") and child.lemma_.lower() in reporting \
                    and child.i > cur.i and any(c.dep_ == "nsubj" for c in child.children):
                return child
        head = cur.head
        if head.i == cur.i:
            return None
        if cur.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in reporting:
            return head
        if cur.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
            return None
        cur = head
    return None


def according_to(tok: Token) -> Token | None:
    """The object of an 'according to X' that frames the event."""
    according = lang_words(tok.doc.lang_)["according_words"]
    for anc in [tok, *tok.ancestors]:
        for child in anc.children:
            if child.lower_ in according or prep_text(child) in according:
                # "according to X" (English: a second preposition), "selon X", "d'après X" (one)
                for to in child.children:
                    if to.dep_ == "pobj":
                        return to
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            return pobj
        if anc.dep_ == "ROOT":
            break
    return None


def citing(verb: Token) -> Token | None:
    """'Reuters reported, citing a senior official': the cited source."""
    citing_verbs = lang_words(verb.doc.lang_)["citing_verbs"]
    for child in verb.subtree:
        if child.lemma_.lower() in citing_verbs and child.i > verb.i:
            for obj in child.children:
                if obj.dep_ in ("dobj", "obj"):
                    return obj
    return None
