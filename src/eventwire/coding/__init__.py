"""The coding engine, one module per layer: ``syntax`` (the primitives rules are written in, label maps per
language), ``rules`` (schema, loader, user files), ``lexicon``/``actors``, ``places``, ``triggers`` (the
trigger-rule interpreter), ``dates``, ``factuality``, ``quantities``; ``events`` assembles them into event
records, and ``components`` offers each layer as a spaCy component. The rules themselves are data in
``eventwire/rules/<lang>/``."""

from .events import extract_doc

__all__ = ["extract_doc"]
