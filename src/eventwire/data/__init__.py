"""Versioned data files (ontology, trigger patterns, actor dictionaries, places) read by the stages."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str) -> Any:
    """One packaged data file, parsed (YAML or JSON by its suffix), cached for the process."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


def for_language(name: str, lang: str, default_lang: str = "en") -> dict | None:
    """A language's own version of data file ``name`` (``actors.yaml`` -> ``actors.<lang>.yaml``: its names for
    actors and places), parsed; None for the default language and for a language that has none."""
    if lang == default_lang:
        return None
    stem, _, suffix = name.rpartition(".")
    try:
        return load(f"{stem}.{lang}.{suffix}") or {}
    except FileNotFoundError:
        return None
