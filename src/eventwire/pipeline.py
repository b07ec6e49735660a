"""The extraction pipeline: articles in, events out, on one core or several.

A spaCy user adds the layers to a pipeline of their own with the components of ``coding/components.py``
(``eventwire_actors.v1`` … ``eventwire_events.v1``) and reads ``doc._.events``; the functions below are
what the CLI, the store and the evaluation use.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import partial

from spacy.language import Language

from .coding import components as _components  # noqa: F401  (registers the spaCy factories)
from .coding import extract_doc
from .coding.rules import RuleSet, load_rules
from .ingest import parse_date
from .model import Article, Event
from .nlp import load

BATCH_SIZE = 16

RuleFiles = Sequence[str] | None
"""User rule files (``--rules``); None reads ``EVENTWIRE_RULES``."""


def extract(text: str, published: date | str | None = None, *, doc_id: str | None = None,
            nlp: Language | None = None, rules: RuleSet | RuleFiles = None) -> list[Event]:
    """Events in one text, dates resolved against ``published`` (a date or 'YYYY-MM-DD').

    ``nlp`` is a spaCy pipeline of your own (default: ours); ``rules`` a compiled rule set or a list of user
    rule files added to the packaged ones.
    """
    pub = parse_date(published, what="published")
    doc = (nlp or load())(text)
    return extract_doc(doc, doc_id or Article.make_id(text), pub, _rule_set(doc.lang_, rules))


def _rule_set(lang: str, rules: RuleSet | RuleFiles) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else load_rules(lang, rules)


def extract_article(article: Article, *, rules: RuleFiles = None) -> list[Event]:
    return extract_doc(load()(article.text), article.id, article.published, load_rules(article.lang, rules))


def _extract_batch(articles: list[Article], rules: RuleFiles = None) -> list[tuple[Article, list[Event] | str]]:
    nlp = load()
    out: list[tuple[Article, list[Event] | str]] = []
    docs = nlp.pipe((a.text for a in articles), batch_size=BATCH_SIZE)
    for article, doc in zip(articles, docs, strict=True):
        try:
            out.append((article, extract_doc(doc, article.id, article.published, load_rules(doc.lang_, rules))))
        except Exception as exc:  # one bad article must never stop a batch; it is reported instead
            out.append((article, f"extraction failed: {type(exc).__name__}: {exc}"))
    return out


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _init_worker() -> None:
    load()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def extract_articles(articles: Iterable[Article], *, workers: int = 1, batch_size: int = BATCH_SIZE,
                     rules: RuleFiles = None) -> Iterator[tuple[Article, list[Event] | str]]:
    """(article, events) for each article in input order; a failed article yields its reason instead.

    ``workers`` > 1 runs worker processes, each loading the model and the rules once; results come back in
    order, so the same input gives the same events whatever the number of workers. ``rules``: user rule
    files added to the packaged rules (None: ``EVENTWIRE_RULES``).
    """
    rules = tuple(rules) if rules is not None else None
    load_rules("en", rules)  # a bad rule file fails here, once, not in every worker
    if workers <= 1:
        for chunk in _chunks(articles, batch_size):
            yield from _extract_batch(chunk, rules)
        return
    load()  # forked workers share the loaded model's memory pages
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        for result in pool.imap(partial(_extract_batch, rules=rules), _chunks(articles, batch_size)):
            yield from result
