"""Why an event was coded as it was: the rules tried on each sentence, those that fired and those suppressed.

``eventwire explain "SENTENCE"`` and ``eventwire extract --explain`` print what :func:`explain_doc`
returns; ``eventwire rules`` prints :func:`rule_rows`, with ``--on PATH`` the firing counts of
:func:`rule_counts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc

from .coding.events import DocExtractor
from .coding.rules import RuleSet
from .coding.triggers import Trace, find_triggers
from .model import Article, Event, Failure


@dataclass
class SentenceExplanation:
    """One sentence: the triggers found, the events made (with their rule and steps), what was suppressed."""

    text: str
    start: int
    candidates: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.text, "start": self.start, "candidates": self.candidates,
                "events": [e.to_dict() for e in self.events], "suppressed": self.suppressed}


def explain_doc(doc: Doc, doc_id: str, published: date | None, rules: RuleSet) -> list[SentenceExplanation]:
    """Every sentence that holds a candidate trigger, with what became of it."""
    dropped: list = []
    events = DocExtractor(doc, doc_id, published, rules, trace=dropped).run()
    out = []
    for sent in doc.sents:
        trace = Trace()
        triggers = find_triggers(sent, rules, trace)
        if not triggers and not trace.suppressed:
            continue
        exp = SentenceExplanation(sent.text.strip(), sent.start_char)
        for trig in triggers:
            rule = rules.rules[trig.rule]
            exp.candidates.append({"trigger": trig.text, "rule": trig.rule, "type": rule.type, "cameo": rule.cameo,
                                   "priority": rule.priority})
        exp.events = [e for e in events if sent.start_char <= e.evidence.trigger_start < sent.end_char]
        for tok, rule_id, why in trace.suppressed:
            exp.suppressed.append({"trigger": tok.text, "rule": rule_id, "why": _why(why)})
        for trig, why in dropped:
            if sent.start <= trig.token.i < sent.end:
                exp.suppressed.append({"trigger": trig.text, "rule": trig.rule, "why": why})
        out.append(exp)
    return out


def explain_articles(articles: Iterable[Article], rule_files: Sequence[str] | None = None,
                     ) -> Iterator[tuple[Article, list[SentenceExplanation] | Failure]]:
    """Each article's explanation, or why it has none (a language we do not code)."""
    from .coding.rules import load_rules
    from .language import is_coded
    from .pipeline import not_coded, parse_docs

    for article in articles:
        if not is_coded(article.lang):
            yield article, not_coded(article)
            continue
        rule_set = load_rules(article.lang, rule_files)
        doc = next(parse_docs(article.lang, [article.text], rule_set))
        yield article, explain_doc(doc, article.id, article.published, rule_set)


def _why(condition: str) -> str:
    """A failed condition in words: "the object is one of its not_object words"."""
    if condition.startswith("guard."):
        return f"vetoed by {condition}"
    if condition.startswith("not_"):
        return f"the {condition[4:]} is one of its {condition} words"
    if condition.startswith("needs "):
        return f"it {condition}"
    if " " in condition:
        return condition
    return f"the {condition} is none of its {condition} words"


def rule_rows(rules: RuleSet, counts: Counter | None = None) -> list[dict[str, Any]]:
    """Every rule as a row: id, kind, type, CAMEO, priority, file, examples (and firing count with ``counts``)."""
    rows = []
    for rid, rule in sorted(rules.rules.items()):
        row = {"id": rid, "kind": rule.kind, "type": rule.type, "cameo": rule.cameo, "mode": rule.mode,
               "priority": rule.priority, "words": rule.lemmas or [f"{v} + {n}" for v in rule.verbs[:3]
                                                                    for n in rule.nouns[:1]],
               "file": rules.files.get(rid), "examples": list(rule.examples),
               "counter_examples": list(rule.counter_examples)}
        if rule.deliberate:
            row["deliberate"] = rule.deliberate
        rows.append(row)
    for group, kind in ((rules.post, "post"), (rules.roles, "role")):
        for rid, rule in sorted(group.items()):
            rows.append({"id": rid, "kind": kind, "type": None, "cameo": None, "mode": None,
                         "priority": getattr(rule, "priority", None), "words": [], "file": rules.files.get(rid),
                         "examples": list(rule.examples), "counter_examples": list(rule.counter_examples),
                         "note": rule.note})
    for guard, _ in rules.guards:
        rows.append({"id": guard.id, "kind": "guard", "type": None, "cameo": None, "mode": None, "priority": None,
                     "words": list(guard.types), "file": rules.files.get(guard.id), "examples": list(guard.examples),
                     "counter_examples": list(guard.counter_examples), "note": guard.note})
    if counts is not None:
        for row in rows:
            row["fired"] = counts.get(row["id"], 0)
    return rows


def rule_counts(events: Iterable[Event]) -> Counter:
    """How often each rule made an event (trigger rules) or changed one (steps)."""
    counts: Counter = Counter()
    for event in events:
        if event.evidence.rule:
            counts[event.evidence.rule] += 1
        counts.update(event.evidence.steps)
    return counts
