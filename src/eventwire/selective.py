"""Selective parsing: the full parse only for the sentences that can hold an event.

Most sentences of a news story hold no event, and the tagger, parser and NER cost nearly all of our time. A cheap
first pass (the tokenizer, punctuation for the sentences, and a lemma lookup in the model's own lemmatizer tables;
no neural component) reads every sentence and keeps those in which a word can start a trigger rule together with
the other words that rule needs (``coding.triggers.sentence_needs``), plus what the coder reads around them: the
sentence before (pronouns, "the official", "the same day") and the headline and lead (the dateline, the country
the story is about). Runs of kept sentences get the full pipeline as the text they make; the others keep their
tokens, one flat sentence each with no tags, so that character offsets, the text-based date anchors and the
order of sentences stay those of the whole article.

A text of one sentence, or one whose sentences are all kept, is parsed whole, exactly as in a full parse.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, LEMMA, LOWER, MORPH, POS, SPACY, TAG
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .coding.rules import RuleSet
from .coding.triggers import Needs, lemma_guesses, sentence_needs

LEAD_SENTENCES = 2
"""The headline and the lead, always parsed: the dateline, the story's country, the first names."""
PIECE_BATCH = 64
"""Texts (runs of kept sentences, or whole articles) per ``nlp.pipe`` batch."""
PARSED = "eventwire.parsed"
"""``doc.user_data`` key: the (start, end) token ranges that had the full parse."""
LEMMA_POS = ("verb", "noun", "adj", "aux")
"""The parts of speech whose lemmas the first pass looks up for each word (it does not know which it is)."""
ANNOTATIONS = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE, ENT_KB_ID]
"""What the model's components write on a token, copied from each parsed run into the article's document."""
OUTSIDE = 2
"""``ENT_IOB`` of a token outside every entity."""

_SENTENCIZER = Sentencizer()


def sentence_starts(doc: Doc) -> list[int]:
    """Where the sentences of a tokenized text begin as its punctuation tells them (no parse); a blank line always
    begins one."""
    marked = _SENTENCIZER.predict([doc])[0]
    starts = [0]
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if (marked[i] and not doc[i].is_space) or (prev.is_space and prev.text.count("\n") >= 2):
            starts.append(i)
    # 'diversity. “The draft': a quote or bracket written apart from what is before it and against what follows
    # opens the next sentence (the sentencizer leaves it with the one before, the parser does not)
    for n, i in enumerate(starts):
        while i > 1 and (starts[n - 1] if n else 0) < i - 1 and _opens(doc, i - 1):
            i -= 1
        starts[n] = i
    return starts


def _opens(doc: Doc, i: int) -> bool:
    tok = doc[i]
    return (tok.is_left_punct or tok.is_quote) and not tok.whitespace_ and bool(doc[i - 1].whitespace_)


class LemmaLookup:
    """Every lemma a word may have whatever its part of speech, read from the language's own lemmatizer tables
    (exceptions, suffix rules, the lookup table) and the attribute ruler's lemma exceptions: a superset of what
    the lemmatizer can give it once tagged."""

    def __init__(self, nlp: Language) -> None:
        self.exceptions: list = []
        self.suffixes: list[tuple[str, str]] = []
        self.lookup = None
        self.extra: dict[str, set[str]] = {}
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups
            exc = lookups.get_table("lemma_exc", {})
            rules = lookups.get_table("lemma_rules", {})
            self.exceptions = [t for pos in LEMMA_POS if (t := exc.get(pos))]
            self.suffixes = sorted({(old, new) for pos in LEMMA_POS for old, new in rules.get(pos, [])})
            self.lookup = lookups.get_table("lemma_lookup") if lookups.has_table("lemma_lookup") else None
        if "attribute_ruler" in nlp.pipe_names:
            for pat in nlp.get_pipe("attribute_ruler").patterns:
                lemma = pat["attrs"].get("LEMMA")
                for tokens in pat["patterns"] if lemma else ():
                    low = tokens[pat.get("index", 0)].get("LOWER")
                    for form in ([low] if isinstance(low, str) else low.get("IN", []) if isinstance(low, dict) else []):
                        self.extra.setdefault(form, set()).add(lemma)
        self.cache: dict[int, frozenset[str]] = {}

    def forms(self, low: str) -> frozenset[str]:
        lemmas = {low, *lemma_guesses(low), *self.extra.get(low, ())}
        for table in self.exceptions:
            lemmas.update(table.get(low, ()))
        for old, new in self.suffixes:
            if low.endswith(old):
                lemmas.add(low[: len(low) - len(old)] + new)
        if self.lookup is not None:
            found = self.lookup.get(low)
            if found:
                lemmas.update(found if isinstance(found, list) else [found])
        return frozenset(x.lower() for x in lemmas)


@dataclass
class Selection:
    """What the first pass kept, counted over every article it read."""

    articles: int = 0
    sentences: int = 0
    parsed_sentences: int = 0
    tokens: int = 0
    parsed_tokens: int = 0

    @property
    def share_sentences(self) -> float:
        return self.parsed_sentences / self.sentences if self.sentences else 1.0

    @property
    def share_tokens(self) -> float:
        return self.parsed_tokens / self.tokens if self.tokens else 1.0


class Selector:
    """Decides, sentence by sentence, which parts of an article get the full parse."""

    def __init__(self, nlp: Language, rules: RuleSet) -> None:
        self.needs: Needs = sentence_needs(rules)
        self.lemmas = LemmaLookup(nlp)

    def words(self, doc: Doc, start: int, end: int, lows: list[int], spaces: list[int]) -> set[str]:
        """The forms and possible lemmas of a sentence's words, and the runs of tokens written together ("d'État",
        "cessez-le-feu"); ``lows`` and ``spaces`` are the document's LOWER and SPACY columns."""
        strings = doc.vocab.strings
        cache = self.lemmas.cache
        bag: set[str] = set()
        run: list[int] = []
        for i in range(start, end):
            key = lows[i]
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.lemmas.forms(strings[key])
            bag |= found
            run.append(key)
            if spaces[i] or i + 1 == end:
                if len(run) > 1:
                    bag.add("".join(strings[k] for k in run))
                run = []
        return bag

    def can_hold_event(self, bag: set[str]) -> bool:
        needs = self.needs
        for word in bag:
            for requirement in needs.get(word, ()):
                if all(any(phrase <= bag for phrase in group) for group in requirement):
                    return True
        return False

    def choose(self, doc: Doc, bounds: list[tuple[int, int]]) -> list[bool]:
        """Which sentences are parsed: those that can hold an event, the one before each, the headline and lead."""
        cols = doc.to_array([LOWER, SPACY]).tolist()
        lows = [c[0] for c in cols]
        spaces = [c[1] for c in cols]
        hits = [self.can_hold_event(self.words(doc, a, b, lows, spaces)) for a, b in bounds]
        keep = list(hits)
        for i, hit in enumerate(hits):
            if hit and i > 0:
                keep[i - 1] = True
        for i in range(min(LEAD_SENTENCES, len(keep))):
            keep[i] = True
        return keep


_SELECTORS: dict[tuple[int, int], Selector] = {}


def _selector(nlp: Language, rules: RuleSet) -> Selector:
    """One selector per pipeline and rule set in a process: its lemma cache grows with the words it has read."""
    key = (id(nlp), id(rules))
    if key not in _SELECTORS:
        _SELECTORS[key] = Selector(nlp, rules)
    return _SELECTORS[key]


@dataclass
class _Plan:
    text: str
    doc: Doc
    runs: list[tuple[int, int]] | None  # the kept token ranges; None: the whole text is parsed
    flat: list[tuple[int, int]] = field(default_factory=list)  # the sentences left out


def _assemble(plan: _Plan, parsed: list[Doc]) -> Doc | None:
    """The article's own document with the annotations of its parsed runs; a sentence left out is flat: every
    token under its first, no tags, outside every entity. None if a run was tokenized otherwise (never: runs are
    cut at white space)."""
    doc = plan.doc
    strings = doc.vocab.strings
    n = len(doc)
    arr = numpy.zeros((n, len(ANNOTATIONS)), dtype="uint64")
    ranges = plan.runs or []
    head, dep, iob = ANNOTATIONS.index(HEAD), ANNOTATIONS.index(DEP), ANNOTATIONS.index(ENT_IOB)
    arr[:, dep] = strings.add("dep")
    arr[:, iob] = OUTSIDE
    covered = numpy.zeros(n, dtype=bool)
    for (a, b), part in zip(ranges, parsed, strict=True):
        if len(part) != b - a:
            return None
        arr[a:b] = part.to_array(ANNOTATIONS)
        covered[a:b] = True
    root = strings.add("ROOT")
    for a, b in plan.flat:
        arr[a:b, head] = (a - numpy.arange(a, b, dtype="int64")).astype("uint64")
        arr[a, dep] = root
    doc.from_array(ANNOTATIONS, arr)
    lists = {k for p in parsed for k, v in p.user_data.items() if isinstance(v, list) and len(v) == len(p)}
    for key in lists:  # a per-token list a component keeps (the UD labels of the French bridge)
        column = [""] * n
        for (a, b), part in zip(ranges, parsed, strict=True):
            column[a:b] = part.user_data.get(key) or [""] * (b - a)
        doc.user_data[key] = column
    doc.user_data[PARSED] = ranges
    return doc


def _plan(nlp: Language, selector: Selector, text: str, stats: Selection | None) -> _Plan:
    """The first pass over one text: its tokens, its sentences, which of them the parser gets."""
    doc = nlp.make_doc(text)
    bounds = list(itertools.pairwise([*sentence_starts(doc), len(doc)])) if len(doc) else [(0, 0)]
    keep = selector.choose(doc, bounds) if len(bounds) > 1 else [True] * len(bounds)
    if stats is not None:
        stats.articles += 1
        stats.sentences += len(bounds)
        stats.parsed_sentences += sum(keep)
        stats.tokens += len(doc)
        stats.parsed_tokens += sum(b - a for (a, b), k in zip(bounds, keep, strict=True) if k)
    if all(keep):
        return _Plan(text, doc, None)
    runs: list[tuple[int, int]] = []
    flat: list[tuple[int, int]] = []
    for (a, b), k in zip(bounds, keep, strict=True):
        if not k:
            flat.append((a, b))
        elif runs and runs[-1][1] == a:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
    return _Plan(text, doc, runs, flat)


def first_pass(nlp: Language, texts: Iterable[str], rules: RuleSet, stats: Selection) -> Selection:
    """The first pass alone, counting what it would give the parser."""
    selector = _selector(nlp, rules)
    for text in texts:
        _plan(nlp, selector, text, stats)
    return stats


def parse(nlp: Language, texts: Iterable[str], rules: RuleSet, *, stats: Selection | None = None,
          batch_size: int = PIECE_BATCH) -> Iterator[Doc]:
    """The documents of ``texts``, in order, each fully parsed where it can hold an event."""
    selector = _selector(nlp, rules)
    plans = [_plan(nlp, selector, text, stats) for text in texts]
    todo: list[Doc] = []
    for plan in plans:
        if plan.runs is None:
            todo.append(plan.doc)
            continue
        doc, text = plan.doc, plan.text
        for a, b in plan.runs:
            end = doc[b].idx if b < len(doc) else len(text)
            todo.append(nlp.make_doc(text[doc[a].idx:end]))
    done = iter(nlp.pipe(todo, batch_size=batch_size))
    for plan in plans:
        if plan.runs is None:
            out = next(done)
            out.user_data[PARSED] = [(0, len(out))]
            yield out
            continue
        parsed = [next(done) for _ in plan.runs]
        out = _assemble(plan, parsed)
        if out is None:
            out = nlp(plan.text)
            out.user_data[PARSED] = [(0, len(out))]
        yield out
