"""``eventwire bench``: extraction throughput against the bare spaCy parse of the same texts.

Both are measured in the same run on the same articles, so the ratio says what our stages cost beyond the parse,
or (with selective parsing, the default) how much of the parse they save, whatever the machine. The bare parse is
the model exactly as shipped (``nlp.load_bare``), every component on every sentence.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable
from typing import Any

from .coding.rules import load_rules
from .model import Article
from .nlp import load, load_bare
from .pipeline import BATCH_SIZE, _chunks, _extract_batch, extract_articles, parse_mode
from .selective import Selection, first_pass


def _parse_only(articles: list[Article]) -> int:
    """The bare spaCy parse of each language's articles: the shipped model's own components, every sentence. Ours
    (the paragraph and sentence guards before the parser, the UD bridge after it) are our cost, counted in
    extraction."""
    n = 0
    for lang in sorted({a.lang for a in articles}):
        for _doc in load_bare(lang).pipe((a.text for a in articles if a.lang == lang), batch_size=BATCH_SIZE):
            n += 1
    return n


def _load_languages(langs: tuple[str, ...]) -> None:
    for lang in langs:
        load(lang)


def _selection(articles: list[Article]) -> Selection:
    """How much of the text selective parsing gives the full parse (the first pass alone, over every article)."""
    stats = Selection()
    for lang in sorted({a.lang for a in articles}):
        first_pass(load(lang), [a.text for a in articles if a.lang == lang], load_rules(lang), stats)
    return stats


def _worker_memory(langs: tuple[str, ...], articles: list[Article]) -> float:
    """Peak memory of a worker that holds every language's pipeline and extracted a sample: a process forked
    before the bare models are loaded, so that only what a worker of ``extract_articles`` holds is counted."""
    with mp.get_context("fork").Pool(1, initializer=_load_languages, initargs=(langs,)) as pool:
        list(pool.imap(_extract_batch, _chunks(articles[: min(len(articles), 64)], BATCH_SIZE)))
        return pool.apply(_worker_peak, (0,))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _worker_peak(_: int) -> float:
    return _peak_rss_mb()


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run_bench(articles: list[Article], *, workers: int = 1, rounds: int = 1,
              progress: Callable[[str], None] | None = None) -> dict:
    """Articles/s and words/s for the bare parse and for extraction, with ``workers`` processes. With ``rounds``
    > 1 both are timed that many times, in turn, and the fastest time of each is kept."""
    words = sum(len(a.text.split()) for a in articles)
    say = progress or (lambda _msg: None)
    langs = tuple(sorted({"en", *(a.lang for a in articles)}))
    _load_languages(langs)  # every language's model, as a worker holds them once both kinds of article came
    say("measuring a worker's memory")
    peak = _worker_memory(langs, articles)
    for lang in sorted({a.lang for a in articles}):
        load_bare(lang)
    # warm the lexicon, gazetteer and patterns outside the timed runs
    list(extract_articles(articles[:2], workers=1))
    n_events = 0

    def parse_all() -> None:
        if workers <= 1:
            _parse_only(articles)
            return
        with mp.get_context("fork").Pool(workers) as pool:
            sum(pool.imap(_parse_only, _chunks(articles, BATCH_SIZE)))

    def extract_all() -> None:
        nonlocal n_events
        n_events = 0
        for _a, result in extract_articles(articles, workers=workers):
            if isinstance(result, list):
                n_events += len(result)

    parse_s = extract_s = float("inf")
    for k in range(rounds):
        tag = f" (round {k + 1} of {rounds})" if rounds > 1 else ""
        say(f"parsing (bare spaCy){tag}")
        parse_s = min(parse_s, _timed(parse_all))
        say(f"extracting events{tag}")
        extract_s = min(extract_s, _timed(extract_all))
    mode = parse_mode()
    selection = _selection(articles) if mode == "selective" else None
    return {
        "articles": len(articles), "words": words, "workers": workers, "rounds": rounds,
        "languages": ",".join(langs),
        "events": n_events,
        "parse_seconds": round(parse_s, 2), "extract_seconds": round(extract_s, 2),
        "parse_articles_per_s": round(len(articles) / parse_s, 2),
        "extract_articles_per_s": round(len(articles) / extract_s, 2),
        "extract_words_per_s": round(words / extract_s, 1),
        "ratio_to_parse": round(parse_s / extract_s, 3),
        "peak_memory_mb_per_worker": round(peak, 1),
        "parse": mode,
        "parsed_sentence_share": round(selection.share_sentences, 3) if selection else 1.0,
        "parsed_token_share": round(selection.share_tokens, 3) if selection else 1.0,
    }
