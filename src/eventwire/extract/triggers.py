"""Event triggers: which words in a sentence are events, of which PLOVER type and CAMEO code.

The patterns are data (``data/triggers.yaml``); this module compiles them once into lookup tables
and matches them against the dependency parse: verbs, phrasal verbs, light verb + event noun, and
event nouns standing alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Token

from .. import data


@dataclass(frozen=True)
class Pattern:
    """One trigger rule from the pattern file."""

    kind: str  # verb, light, noun
    event_type: str
    cameo: str
    mode: str | None = None
    particle: str | None = None
    preps: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()
    not_objects: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    not_subjects: frozenset[str] = frozenset()
    needs: str | None = None


@dataclass(frozen=True)
class Trigger:
    """A matched trigger: the token that heads it, the event noun of a light verb, and the rule."""

    token: Token
    pattern: Pattern
    noun: Token | None = None
    words: tuple[Token, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        toks = sorted(self.words or (self.token,), key=lambda t: t.i)
        return " ".join(t.text for t in toks)


@dataclass
class PatternTable:
    verbs: dict[str, list[Pattern]]
    light: dict[tuple[str, str], Pattern]
    light_nouns: set[str]
    nouns: dict[str, Pattern]
    default_preps: tuple[str, ...]


@lru_cache(maxsize=1)
def patterns() -> PatternTable:
    """The compiled pattern file (cached for the process)."""
    raw = data.load("triggers.yaml")
    verbs: dict[str, list[Pattern]] = {}
    for group in raw.get("verbs") or []:
        pat = Pattern(
            "verb", group["type"], str(group["cameo"]), group.get("mode"), group.get("particle"),
            tuple(group.get("preps") or ()), frozenset(group.get("objects") or ()),
            frozenset(group.get("not_objects") or ()), frozenset(group.get("subjects") or ()),
            frozenset(group.get("not_subjects") or ()), group.get("needs"),
        )
        for lemma in group["lemmas"]:
            verbs.setdefault(lemma, []).append(pat)
    light: dict[tuple[str, str], Pattern] = {}
    for group in raw.get("light") or []:
        pat = Pattern("light", group["type"], str(group["cameo"]), group.get("mode"))
        for verb in group["verbs"]:
            for noun in group["nouns"]:
                light.setdefault((verb, noun), pat)
    nouns: dict[str, Pattern] = {}
    for group in raw.get("nouns") or []:
        pat = Pattern("noun", group["type"], str(group["cameo"]), group.get("mode"))
        for lemma in group["lemmas"]:
            nouns.setdefault(lemma, pat)
    return PatternTable(verbs, light, {n for _, n in light}, nouns, tuple(raw.get("default_preps") or ()))


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def direct_object(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    # "ties were severed": the passive subject is the object
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return child
    return None


RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose"}


def _governing_verb(tok: Token) -> Token | None:
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def _subject(verb: Token) -> Token | None:
    """Who does it: the subject, the by-agent of a passive, or the subject the clause inherits."""
    # "a coup that ousted X and has expelled Y": a conjunct with its own auxiliary belongs to the main
    # clause, a common attachment error of the small parser
    if verb.dep_ == "conj" and verb.head.dep_ == "relcl" and not any(c.dep_ == "nsubj" for c in verb.children) \
            and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP", "VBD") for c in verb.children):
        main = _governing_verb(verb.head.head)
        if main is not None:
            return _subject(main)
    for child in verb.children:
        if child.dep_ in ("nsubj",):
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
        return _subject(verb.head)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _prep_objects(verb: Token, preps: tuple[str, ...]) -> list[Token]:
    out = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _matches(pat: Pattern, verb: Token, table: PatternTable) -> int:
    """0 when the rule does not apply to this verb; higher is more specific."""
    score = 1
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    if pat.particle:
        if particle != pat.particle:
            return 0
        score += 3
    elif particle and particle not in ("in", "down", "off", "back", "on", "over", "away"):
        return 0
    obj = direct_object(verb)
    obj_lemma = _lemma(obj) if obj is not None else None
    if pat.objects:
        if obj_lemma not in pat.objects:
            # "fired rockets at": accept an object named in a prep too
            pobjs = [_lemma(p) for p in _prep_objects(verb, ("of",))]
            if not any(p in pat.objects for p in pobjs):
                return 0
        score += 3
    if obj_lemma and obj_lemma in pat.not_objects:
        return 0
    subj = _subject(verb)
    subj_lemma = _lemma(subj) if subj is not None else None
    if pat.subjects:
        if subj_lemma not in pat.subjects:
            return 0
        score += 2
    if subj_lemma and subj_lemma in pat.not_subjects:
        return 0
    if pat.needs == "object" and obj is None and not _prep_objects(verb, pat.preps or table.default_preps):
        return 0
    if pat.needs == "clause" and not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return 0
    return score


def find_triggers(sent) -> list[Trigger]:
    """Every trigger in a sentence, in token order; a light-verb noun is not counted twice."""
    table = patterns()
    found: list[Trigger] = []
    used: set[int] = set()
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
            continue
        lemma = _lemma(tok)
        obj = direct_object(tok)
        if obj is not None and (lemma, _lemma(obj)) in table.light:
            found.append(Trigger(tok, table.light[(lemma, _lemma(obj))], obj, (tok, obj)))
            used.update((tok.i, obj.i))
            continue
        # "launched a new offensive against": also the noun of a prep-less light verb in passive
        best: tuple[int, Pattern] | None = None
        for pat in table.verbs.get(lemma, ()):
            score = _matches(pat, tok, table)
            if score and (best is None or score > best[0]):
                best = (score, pat)
        if best is not None:
            words = [tok] + [c for c in tok.children if c.dep_ == "prt"]
            found.append(Trigger(tok, best[1], None, tuple(words)))
            used.add(tok.i)
    for tok in sent:
        if tok.i in used or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        pat = _noun_pattern(tok, table)
        if pat is None:
            continue
        head = tok.head
        # a noun that is the subject or object of a verb trigger is that event's participant
        if head.i in used and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr"):
            continue
        if tok.dep_ == "compound":
            continue
        words = tuple(sorted([*(c for c in tok.children if c.dep_ == "compound"), tok], key=lambda t: t.i))
        found.append(Trigger(tok, pat, tok, words))
        used.add(tok.i)
    return sorted(found, key=lambda t: t.token.i)


def _noun_pattern(tok: Token, table: PatternTable) -> Pattern | None:
    compounds = [c for c in tok.children if c.dep_ == "compound"]
    if compounds:
        phrase = " ".join([*(c.lower_ for c in compounds), _lemma(tok)])
        if phrase in table.nouns:
            return table.nouns[phrase]
        phrase = " ".join([*(c.lower_ for c in compounds), tok.lower_])
        if phrase in table.nouns:
            return table.nouns[phrase]
    return table.nouns.get(tok.lower_) or table.nouns.get(_lemma(tok))


subject_of = _subject
prep_objects = _prep_objects
