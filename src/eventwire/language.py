"""The language of an article, told from its text by py3langid (its model ships inside the wheel).

A feed or folder may mix English and French; each article goes to its own language's pipeline, and an
article in a language eventwire does not code is recorded as skipped with its language, never coded with
another language's rules. News headlines are short and full of names ("Tiani reçoit Lavrov à Niamey"),
where character n-grams hesitate between close languages; so a language we code that is nearly as likely as
the best guess is preferred (``PREFERENCE``). ``benchmarks/langid.py`` measures the accuracy on short news
texts.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from .model import Article
from .nlp import LANGUAGES

MODES = ("auto", *LANGUAGES)
"""``--lang``: ``auto`` tells each article's language from its text (or its ``lang`` field); ``en``/``fr``
take every article as that language."""
SAMPLE_CHARS = 2_000
PREFERENCE = 0.05
"""A coded language wins when its probability is at least this share of the best guess's."""


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """The ISO 639-1 code of the language of ``text`` (the first ``SAMPLE_CHARS`` characters)."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return LANGUAGES[0]
    ranked = _identifier().rank(sample)
    best, p_best = ranked[0]
    if best in LANGUAGES:
        return best
    coded = next(((lang, p) for lang, p in ranked if lang in LANGUAGES), None)
    if coded is not None and coded[1] >= PREFERENCE * p_best:
        return coded[0]
    return best


def assign(article: Article, mode: str = "auto") -> Article:
    """The article with its language: forced by ``mode``, else the one its input gave (a ``lang`` field or
    front-matter line; readers leave it empty when there is none), else told from its text."""
    if mode != "auto":
        lang = mode
    else:
        lang = normalize(article.lang) or detect(f"{article.title or ''}\n{article.text}")
    return article if article.lang == lang else replace(article, lang=lang)


def normalize(lang: str | None) -> str:
    """'fr', 'FR', 'fr-FR', 'fr_CA' -> 'fr'; '' when none is given."""
    return (lang or "").strip().lower().replace("_", "-").split("-")[0]


def is_coded(lang: str) -> bool:
    return lang in LANGUAGES
