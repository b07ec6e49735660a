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
from spacy.tokens import Doc

from .coding import components as _components  # noqa: F401  (registers the spaCy factories)
from .coding import extract_doc
from .coding.rules import RuleSet, load_rules
from .errors import InputError
from .language import assign, detect, is_coded
from .model import Article, Event, Failure
from .nlp import LANGUAGES, load
from .reader import parse_date
from .selective import parse as selective_parse

BATCH_SIZE = 16
PARSE_MODES = ("selective", "full")
"""'selective': the full parse only for the sentences that can hold an event (``selective.py``); 'full': every
sentence (``EVENTWIRE_PARSE=full``), the reference the selective runs are measured against."""


def parse_mode() -> str:
    mode = os.environ.get("EVENTWIRE_PARSE", "selective")
    if mode not in PARSE_MODES:
        raise InputError(f"EVENTWIRE_PARSE is '{mode}': set it to one of {', '.join(PARSE_MODES)}")
    return mode


def parse_docs(lang: str, texts: Iterable[str], rule_set: RuleSet, *, mode: str | None = None,
               batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """The parsed documents of texts in one language, in order: selectively, or in full."""
    nlp = load(lang)
    if (mode or parse_mode()) == "full":
        return iter(nlp.pipe(texts, batch_size=batch_size))
    return selective_parse(nlp, texts, rule_set)

RuleFiles = Sequence[str] | None
"""User rule files (``--rules``); None reads ``EVENTWIRE_RULES``."""


def extract(text: str, published: date | str | None = None, *, doc_id: str | None = None,
            nlp: Language | None = None, rules: RuleSet | RuleFiles = None, lang: str = "auto") -> list[Event]:
    """Events in one text, dates resolved against ``published`` (a date or 'YYYY-MM-DD').

    ``lang``: 'auto' (told from the text), 'en' or 'fr'; ``nlp`` is a spaCy pipeline of your own (default:
    ours for the language); ``rules`` a compiled rule set or a list of user rule files added to the packaged
    ones.
    """
    pub = parse_date(published, what="published")
    if nlp is None:
        lang = detect(text) if lang == "auto" else lang
        if not is_coded(lang):
            raise InputError(f"the text is in '{lang}', a language eventwire does not code "
                             f"(it codes {', '.join(LANGUAGES)}); pass lang='en' or 'fr' to force one")
    if nlp is not None:
        doc = nlp(text)
        return extract_doc(doc, doc_id or Article.make_id(text), pub, _rule_set(doc.lang_, rules))
    rule_set = _rule_set(lang, rules)
    doc = next(parse_docs(lang, [text], rule_set))
    return extract_doc(doc, doc_id or Article.make_id(text), pub, rule_set)


def _rule_set(lang: str, rules: RuleSet | RuleFiles) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else load_rules(lang, rules)


def not_coded(article: Article) -> Failure:
    """An article in a language eventwire does not code: left out on purpose, with its language."""
    return Failure(article.source_path or article.id,
                   f"language '{article.lang}' is not coded (eventwire codes {', '.join(LANGUAGES)})",
                   stage="language", severity="skipped")


def extract_article(article: Article, *, rules: RuleFiles = None) -> list[Event]:
    if not is_coded(article.lang):
        raise InputError(f"{article.source_path or article.id}: {not_coded(article).reason}")
    rule_set = load_rules(article.lang, rules)
    return extract_doc(next(parse_docs(article.lang, [article.text], rule_set)), article.id, article.published,
                       rule_set)


Result = list[Event] | Failure
"""What extraction gives for one article: its events, or why there are none."""


def _failed(article: Article, exc: Exception) -> Failure:
    return Failure(article.source_path or article.id, f"extraction failed: {type(exc).__name__}: {exc}",
                   stage="extract")


def _extract_one(article: Article, rule_set: RuleSet) -> Result:
    try:
        doc = next(parse_docs(article.lang, [article.text], rule_set))
        return extract_doc(doc, article.id, article.published, rule_set)
    except Exception as exc:  # one bad article must never stop a batch; it is reported instead
        return _failed(article, exc)


def _extract_batch(articles: list[Article], rules: RuleFiles = None) -> list[tuple[Article, Result]]:
    """Each language's articles go through that language's pipeline (loaded when its first article comes);
    the results keep the input order. When the parser itself fails inside a batch, the batch's articles are
    parsed again one by one, so that only the article that breaks it fails."""
    results: dict[int, Result] = {}
    by_lang: dict[str, list[int]] = {}
    articles = [a if a.lang else assign(a) for a in articles]  # a reader left it to be told from the text
    for i, article in enumerate(articles):
        if is_coded(article.lang):
            by_lang.setdefault(article.lang, []).append(i)
        else:
            results[i] = not_coded(article)
    for lang, idx in by_lang.items():
        rule_set = load_rules(lang, rules)
        try:
            docs = list(parse_docs(lang, [articles[i].text for i in idx], rule_set))
        except Exception:  # the parser broke on one of them: find which, alone
            for i in idx:
                results[i] = _extract_one(articles[i], rule_set)
            continue
        for i, doc in zip(idx, docs, strict=True):
            try:
                results[i] = extract_doc(doc, articles[i].id, articles[i].published, rule_set)
            except Exception as exc:  # one bad article must never stop a batch; it is reported instead
                results[i] = _failed(articles[i], exc)
    return [(article, results[i]) for i, article in enumerate(articles)]


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
    load()  # French loads in a worker when its first French article comes


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def extract_articles(articles: Iterable[Article], *, workers: int = 1, batch_size: int = BATCH_SIZE,
                     rules: RuleFiles = None) -> Iterator[tuple[Article, Result]]:
    """(article, events) for each article in input order; a failed article yields its ``Failure`` instead.

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
