"""eventwire: news in, event data out — who did what to whom, when and where, in PLOVER and CAMEO,
each event carrying the sentence and character span it was read from."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .model import Actor, Article, Event, Evidence, Place, Quantity
from .pipeline import extract, extract_article, extract_articles

try:
    __version__ = version("eventwire")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

__all__ = [
    "Actor", "Article", "Event", "Evidence", "Place", "Quantity", "__version__", "extract", "extract_article",
    "extract_articles",
]
