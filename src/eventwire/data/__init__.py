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
