"""Extraction stages, one module each: lexicon/actors, triggers, dates, places, factuality, quantities;
``events`` assembles them into event records."""

from .events import extract_doc

__all__ = ["extract_doc"]
