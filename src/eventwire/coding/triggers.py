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
    xcomps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Trigger:
    """A matched trigger: the token that heads it, the event noun of a light verb, and the rule."""

    token: Token
    pattern: Pattern
    noun: Token | None = None
    words: tuple[Token, ...] = field(default_factory=tuple)
    target: Token | None = None

    @property
    def text(self) -> str:
        toks = sorted(self.words or (self.token,), key=lambda t: t.i)
        return " ".join(t.text for t in toks)


@dataclass
class PatternTable:
    verbs: dict[str, list[Pattern]]
    light: dict[tuple[str, str], Pattern]
    nouns: dict[str, Pattern]
    default_preps: tuple[str, ...]
    light_verbs: frozenset[str] = frozenset()


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
            frozenset(group.get("not_subjects") or ()), group.get("needs"), frozenset(group.get("xcomps") or ()),
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
        pat = Pattern("noun", group["type"], str(group["cameo"]), group.get("mode"),
                      preps=tuple(group.get("preps") or ()), needs=group.get("needs"))
        for lemma in group["lemmas"]:
            nouns.setdefault(lemma, pat)
    return PatternTable(verbs, light, nouns, tuple(raw.get("default_preps") or ()), frozenset(v for v, _ in light))


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def verb_lemma(tok: Token, table: PatternTable) -> str:
    """The verb's lemma, mending the small model's slips ("staged" -> "stag") from the inflected form."""
    lemma = _lemma(tok)
    if lemma in table.verbs or lemma in table.light_verbs:
        return lemma
    low = tok.lower_
    guesses = []
    if low.endswith("ied"):
        guesses.append(low[:-3] + "y")
    if low.endswith("ed"):
        guesses += [low[:-1], low[:-2], low[:-3]]
    if low.endswith("ing"):
        guesses += [low[:-3], low[:-3] + "e", low[:-4]]
    if low.endswith("es"):
        guesses += [low[:-1], low[:-2]]
    for g in guesses:
        if g in table.verbs or g in table.light_verbs:
            return g
    return lemma


MODIFIER_DEPS = ("compound", "amod", "nmod")
# nouns that only measure or part out the noun they govern: "part of a program", "days of war games"
PARTITIVE = {"part", "day", "week", "month", "year", "round", "series", "wave", "number", "lot", "kind", "type",
             "set", "batch", "string", "spate", "flurry", "volley", "hail", "barrage", "state", "host", "couple",
             "dozen", "hundred", "thousand", "ton", "tonne", "worth", "amount", "quantity", "shipment", "package",
             "most", "some", "all", "many", "several", "half", "majority", "bulk", "rest", "much", "hour", "minute",
             "activation", "dispatch", "first", "last", "remainder", "none", "each", "one", "dozens", "hundreds",
             "thousands", "millions", "kg", "kilogram", "kilo", "tons", "tonnes", "truckload", "consignment",
             "cargo", "planeload", "convoy"}


def object_lemmas(obj: Token) -> list[str]:
    """What a direct object names, most specific first: "hunger strike", "strike"; "state of emergency" also
    gives "emergency", "part of a programme" also gives "programme"; the head of a named person's title
    ("Prime Minister Hashimoto") gives "minister"."""
    head = _lemma(obj)
    mods = [c for c in obj.children if c.dep_ in MODIFIER_DEPS and c.i < obj.i]
    out = []
    if mods:
        out.append(" ".join([*(c.lower_ for c in mods), head]))
        if len(mods) > 1:
            out.append(f"{mods[-1].lower_} {head}")
    out.append(head)
    if obj.lower_ != head:
        out.append(obj.lower_)  # the small model's lemma slips ("doses" -> "dos")
    for c in obj.children:
        if c.dep_ == "prep" and c.lower_ == "of" and (head in PARTITIVE or obj.like_num or head == "state"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(object_lemmas(p))
    if obj.pos_ == "PROPN":
        out.extend(_lemma(c) for c in mods if c.pos_ in ("NOUN", "PROPN"))
        if obj.ent_type_ == "PERSON":
            out.append("@person")
    return out


def direct_object(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    # "ties were severed": the passive subject is the object
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return child
    # "the crimes committed by ...", "the prisoners released on Monday": a participle's noun is its object
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
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
    if verb.dep_ == "conj" and verb.head.i != verb.i and not any(c.dep_ == "auxpass" for c in verb.children):
        shared = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
        if shared is not None:
            return shared  # "was indicted by the court and will resign"
    if verb.dep_ in ("xcomp", "conj", "advcl", "acomp") and verb.head.i != verb.i:
        return _subject(verb.head)
    # "demonstrators protesting X", "rebels fighting the army": the noun a present participle qualifies
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head.head)  # "established ties with China after breaking off ties with Taiwan"
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _prep_objects(verb: Token, preps: tuple[str, ...]) -> list[Token]:
    out = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


COMMERCIAL_VERBS = {"buy", "acquire", "purchase", "sell", "merge", "invest", "license", "lease", "rent", "sponsor",
                    "list", "float", "refinance", "underwrite"}


PARTICLE_WORDS = {"out", "off", "back", "down", "up", "away", "over", "in", "on"}


def particle_of(verb: Token) -> Token | None:
    """The phrasal particle: "pulled out", and "pulled out of X" where the parser reads "out" as a preposition."""
    for c in verb.children:
        if c.dep_ == "prt":
            return c
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in ("away", "back", "down", "off", "out") and c.i == verb.i + 1:
            return c  # "backed away from"
        if c.dep_ == "prep" and c.lower_ in PARTICLE_WORDS and c.i == verb.i + 1 \
                and not any(g.dep_ == "pobj" for g in c.children) and any(g.dep_ == "prep" for g in c.children):
            return c
    return None


def complement_lemmas(verb: Token) -> list[str]:
    """What a verb says should happen: "ordered X to leave", "sent X home", "barred X from entering"."""
    out = []
    for c in verb.children:
        if c.dep_ in ("xcomp", "advmod", "oprd") or (
                c.dep_ == "ccomp" and _lemma(verb) in ("let", "make", "have", "allow")
                and not any(m.dep_ == "mark" for m in c.children)):  # "let the deadline expire"
            out.append(_lemma(c))
            out.append(c.lower_)
        elif c.dep_ == "prep":
            out.extend(_lemma(g) for g in c.children if g.dep_ == "pcomp")
    return out


SPEECH_COMPLEMENTS = {"say", "comment", "confirm", "elaborate", "discuss", "disclose", "reveal", "name", "answer",
                      "speculate", "deny", "specify", "identify"}
HOSTILE_TYPES = {"REJECT", "ASSAULT", "COERCE", "SANCTION", "THREATEN", "ACCUSE"}


VOW_PATTERN = Pattern("verb", "AGREE", "030")


def _hostile_act(verb: Token, table: PatternTable, types: set[str] = HOSTILE_TYPES, *, light: bool = True) -> bool:
    """Whether a verb is an act of one of these types: a verb rule applies to it, or (``light``) its light-verb
    noun is one ("impose sanctions")."""
    if any(p.event_type in types and _matches(p, verb, table) for p in table.verbs.get(_lemma(verb), ())):
        return True
    obj = direct_object(verb) if light else None
    pat = _light_pattern(verb, _lemma(verb), obj, table) if obj is not None else None
    return pat is not None and pat.event_type in types


def _hostile_clause(verb: Token, table: PatternTable) -> bool:
    """Whether what a vow promises is a blow: an xcomp or ccomp whose verb or light-verb noun is hostile."""
    return any(t.pos_ == "VERB" and _hostile_act(t, table)
               for c in verb.children if c.dep_ in ("xcomp", "ccomp")
               for t in (c, *c.conjuncts))  # the promised act itself, not every verb below it ("drought-hit")


def _hostile_complement(verb: Token, table: PatternTable) -> bool:
    return any(c.dep_ == "xcomp" and _hostile_act(c, table, light=False) for c in verb.children)


def _matches(pat: Pattern, verb: Token, table: PatternTable) -> int:
    """0 when the rule does not apply to this verb; higher is more specific."""
    score = 1
    prt = particle_of(verb)
    particle = prt.lower_ if prt is not None else None
    if pat.particle:
        if particle != pat.particle:
            return 0
        score += 3
    elif particle and particle not in ("in", "down", "off", "back", "on", "over", "away"):
        return 0
    obj = direct_object(verb)
    obj_lemma = _lemma(obj) if obj is not None else None
    obj_lemmas = object_lemmas(obj) if obj is not None else []
    for other in verb.children:  # "granted Ukraine the status of candidate": both objects count
        if other.dep_ == "dobj" and obj is not None and other.i != obj.i:
            obj_lemmas = obj_lemmas + object_lemmas(other)
        if obj is None and other.dep_ == "ccomp" and pat.xcomps:  # "let the deadline expire"
            obj_lemmas = obj_lemmas + [o for s in other.children if s.dep_ == "nsubj" for o in object_lemmas(s)]
    if pat.objects:
        if not any(o in pat.objects for o in obj_lemmas):
            # "fired rockets at": accept an object named in a prep too
            # "arrived on a visit", "cut back on aid": without a direct object, also the object of on / for
            preps = ("of", "with") if obj is not None else ("of", "on", "for", "by", "over", "with", "via")
            pobjs = [o for p in _prep_objects(verb, preps) for o in object_lemmas(p)]
            # "gave Tehran 60 days to accept": a bare noun phrase of time
            pobjs += [_lemma(c) for c in verb.children if c.dep_ == "npadvmod"]
            if not any(p in pat.objects for p in pobjs):
                return 0
        score += 3
    if obj_lemma and obj_lemma in pat.not_objects:
        return 0
    if pat.event_type == "ASSAULT" and obj_lemma in ("target", "goal") and any(c.dep_ == "poss" for c in obj.children):
        return 0  # "hit its growth target": a goal met, not a blow struck
    subj = _subject(verb)
    subj_lemma = _lemma(subj) if subj is not None else None
    if pat.subjects:
        if subj_lemma not in pat.subjects:
            return 0
        score += 2
    if subj_lemma and subj_lemma in pat.not_subjects:
        return 0
    if pat.xcomps and not (set(complement_lemmas(verb)) & pat.xcomps):
        return 0
    if pat.xcomps:
        score += 3
    if pat.event_type == "REJECT" and _hostile_complement(verb, table):
        return 0  # "declined to veto", "refused to attack": not doing a hostile act rejects no one
    if pat.event_type == "REJECT" and any(c.dep_ == "xcomp" and _lemma(c) in SPEECH_COMPLEMENTS for c in verb.children):
        return 0  # "declined to comment", "refused to say"
    if pat.needs == "object" and obj is None and not _prep_objects(verb, pat.preps or table.default_preps):
        return 0
    if pat.needs == "clause" and not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return 0
    if pat.needs == "infinitive" and not any(
            t.tag_ == "VB" and any(a.dep_ == "aux" and a.lower_ == "to" for a in t.children)
            for c in verb.children if c.dep_ in ("xcomp", "advcl", "dobj", "ccomp") for t in (c, *c.children)):
        return 0  # "gave Russia 50 days to agree"
    if pat.event_type == "AGREE" and any(c.dep_ == "xcomp" and _lemma(c) in COMMERCIAL_VERBS for c in verb.children):
        return 0  # "agreed to buy a steelmaker" is a business deal
    if pat.needs == "prep" and not _prep_objects(verb, pat.preps or table.default_preps):
        return 0
    if pat.needs == "negation":
        if not any(c.dep_ == "neg" for c in verb.children):
            return 0
        score += 6
    return score


def find_triggers(sent) -> list[Trigger]:
    """Every trigger in a sentence, in token order; a light-verb noun is not counted twice."""
    table = patterns()
    found: list[Trigger] = []
    used: set[int] = set()
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
            continue
        if tok.dep_ == "amod":
            continue  # a participle used as an adjective: "the defending champion", "the ruling party"
        lemma = verb_lemma(tok, table)
        obj = direct_object(tok)
        light = _light_pattern(tok, lemma, obj, table) if obj is not None else None
        if light is not None:
            found.append(Trigger(tok, light, obj, (tok, obj)))
            used.update((tok.i, obj.i))
            continue
        # "launched a new offensive against": also the noun of a prep-less light verb in passive
        best: tuple[int, Pattern] | None = None
        for pat in table.verbs.get(lemma, ()):
            score = _matches(pat, tok, table)
            if score and (best is None or score > best[0]):
                best = (score, pat)
        if best is not None and best[1].event_type == "THREATEN" and lemma in ("vow", "swear") \
                and not _hostile_clause(tok, table):
            best = (best[0], VOW_PATTERN)  # "vowed to put Africa at the top of his agenda": a promise
        if best is not None:
            prt = particle_of(tok)
            words = [tok] + ([prt] if prt is not None else [])
            found.append(Trigger(tok, best[1], None, tuple(words)))
            used.add(tok.i)
    for tok in sent:
        if tok.i in used or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        pat = _noun_pattern(tok, table)
        if pat is None:
            continue
        if pat.needs == "prep" and not (_prep_objects(tok, pat.preps) or (
                tok.dep_ == "nsubj" and _prep_objects(tok.head, pat.preps)) or any(
                c.dep_ == "poss" and c.ent_type_ in ("GPE", "NORP", "ORG") for c in tok.children)):
            continue  # "Israel's strikes", "strikes against Iran", but not "the strike" of workers
        head = tok.head
        owned = pat.needs == "actor" and _has_actor_modifier(tok)
        if pat.needs == "actor" and not owned:
            continue  # "a threat", "the demand": only "Russia's demand", "a Russian threat" name who made it
        # a noun that is the subject or object of a verb trigger is that event's participant
        if head.i in used and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr") and not owned:
            continue
        if tok.dep_ == "pobj" and head.lower_ in ("in", "during") and head.head.i in used \
                and pat.event_type in ("ASSAULT", "COERCE"):
            continue  # "arrested 53 activists in dawn raids", "killed in an air strike": one event
        if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.dep_ in ("dobj", "nsubjpass") \
                and head.head.head.i in used:
            continue  # "lifted most of its sanctions": part of the object of that event
        if tok.dep_ == "compound":
            continue
        words = tuple(sorted([*(c for c in tok.children if c.dep_ == "compound"), tok], key=lambda t: t.i))
        found.append(Trigger(tok, pat, tok, words))
        used.add(tok.i)
    found.extend(_demands(sent, used))
    found.extend(_readiness(sent, used, table))
    found.extend(_opposed(sent, used))
    return _drop_repeats(sorted(found, key=lambda t: t.token.i))


DEMAND_PATTERN = Pattern("verb", "REQUEST", "100", needs="target")
DEMAND_VERBS = {"say", "declare", "insist", "reiterate", "stress", "announce", "tell", "add", "conclude",
                "state", "write", "warn", "argue", "emphasise", "emphasize", "maintain", "repeat", "assert"}


def _demands(sent, used: set[int]) -> list[Trigger]:
    """"X said Y must do Z": a statement that another party must act is a demand of X on Y."""
    out = []
    for tok in sent:
        if tok.i in used or tok.pos_ != "VERB" or _lemma(tok) not in DEMAND_VERBS:
            continue
        for clause in tok.children:
            if clause.dep_ != "ccomp" or any(c.dep_ == "neg" for c in clause.children):
                continue
            if not any(c.dep_ == "aux" and c.lower_ == "must" for c in clause.children):
                continue
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or (subj.pos_ == "PRON" and subj.lower_ in ("we", "i", "you")):
                continue
            must = next(c for c in clause.children if c.dep_ == "aux" and c.lower_ == "must")
            out.append(Trigger(tok, DEMAND_PATTERN, None, (must, clause), subj))
            used.add(tok.i)
            break
    return out


READY_WORDS = {"ready", "willing", "prepared", "committed"}
READY_PATTERN = Pattern("verb", "AGREE", "030")
READY_THREAT_PATTERN = Pattern("verb", "THREATEN", "130")
THREAT_TYPES = {"ASSAULT", "COERCE", "SANCTION", "THREATEN"}


def _readiness(sent, used: set[int], table: PatternTable) -> list[Trigger]:
    """"X is ready to send troops", "is willing to forgive", "is committed to opening up": the subject
    declares its willingness (PLOVER AGREE); a readiness to use force or sanctions is a THREATEN."""
    out = []
    for tok in sent:
        if tok.i in used or tok.lower_ not in READY_WORDS:
            continue
        if not ((tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "ccomp"))
                or any(c.dep_ == "auxpass" for c in tok.children)):
            continue  # "the army prepared to resume shelling" is preparation, not an offer
        comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if comp is None:
            # "committed to opening up": the complement hangs off "to"
            comp = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
                         for g in c.children if g.dep_ == "pcomp" and g.pos_ == "VERB"), None)
        if comp is None or any(c.dep_ == "neg" for c in tok.children) or _lemma(comp) in COMMERCIAL_VERBS:
            continue  # "willing to buy the firm" is business
        hostile = _hostile_act(comp, table, THREAT_TYPES)
        out.append(Trigger(tok, READY_THREAT_PATTERN if hostile else READY_PATTERN, None, (tok, comp)))
        used.add(tok.i)
    return out


OPPOSED_PATTERN = Pattern("verb", "REJECT", "120")


def _opposed(sent, used: set[int]) -> list[Trigger]:
    """"Israel is opposed to French mediation": an adjective that rejects."""
    out = []
    for tok in sent:
        if tok.i in used or tok.lower_ != "opposed" or tok.dep_ not in ("acomp", "ROOT"):
            continue
        if any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children) \
                and not any(c.dep_ == "neg" for c in tok.children) and not any(c.dep_ == "neg" for c in tok.head.children):
            out.append(Trigger(tok, OPPOSED_PATTERN, None, (tok,)))
            used.add(tok.i)
    return out


BLOCKING_PARTICLES = {"off"}


def _light_pattern(verb: Token, lemma: str, obj: Token, table: PatternTable) -> Pattern | None:
    """The light-verb rule for this verb and object ("began a hunger strike", "declared a state of emergency")."""
    if any(c.dep_ == "prt" and c.lower_ in BLOCKING_PARTICLES for c in verb.children):
        return None  # "called off a strike"
    lemmas = object_lemmas(obj)
    for noun in lemmas:
        pat = table.light.get((lemma, noun))
        if pat is not None:
            return pat
        if noun != lemmas[-1] and " " in noun and noun in table.nouns:
            return None  # "escalated his hunger strike": the specific event noun, not "strike", decides
    return None


def _drop_repeats(found: list[Trigger]) -> list[Trigger]:
    """One happening, one event: "attacked the camp, killing 20", "killing or wounding 50" are the attack.

    A trigger verb that hangs off another trigger of the same type as a participle or conjunct, without a
    subject of its own, repeats that event.
    """
    by_token = {t.token.i: t for t in found}
    out = []
    for trig in found:
        tok = trig.token
        head = by_token.get(tok.head.i)
        if trig.pattern.cameo == "1712" and tok.dep_ in ("advcl", "conj") and tok.tag_ == "VBG" \
                and head is not None and head is not trig:
            continue  # "rallied outside the embassy, setting fire to its gate": a detail of that event
        if trig.pattern.cameo == "1712" and any(c.dep_ == "nsubj" and c.i in by_token for c in tok.children):
            continue  # "an air strike set fire to a tent camp": the strike's doing
        if head is not None and head is not trig and head.pattern.event_type == trig.pattern.event_type \
                and (trig.pattern.event_type == "ASSAULT" or head.pattern.cameo == trig.pattern.cameo) \
                and tok.dep_ in ("advcl", "conj") and tok.pos_ == "VERB" \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) \
                and (tok.dep_ == "conj" or tok.tag_ == "VBG"):
            continue
        out.append(trig)
    return out


def _has_actor_modifier(tok: Token) -> bool:
    """"Russia's demand", "a Russian demand", "his resignation": the noun says whose it is."""
    return any(c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG"))
               for c in tok.children)


def _noun_pattern(tok: Token, table: PatternTable) -> Pattern | None:
    compounds = [c for c in tok.children if c.dep_ == "compound"]
    for mod in (c for c in tok.children if c.dep_ == "amod"):
        phrase = f"{mod.lower_} {_lemma(tok)}"  # "military takeover"
        if phrase in table.nouns:
            return table.nouns[phrase]
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
