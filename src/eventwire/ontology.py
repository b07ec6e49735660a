"""The PLOVER/CAMEO ontology: codes, QuadClass and Goldstein values, read from ``data/``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import data

MATERIAL_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "RETREAT", "AID", "PROTEST", "COOPERATE", "CONSULT"})
"""Types whose events happen somewhere and to someone on the ground (the place stage and the role rules
read this one table): a material act's target may stand where it happens."""

ROOT_QUAD = {**dict.fromkeys(("01", "02", "03", "04", "05"), 1), **dict.fromkeys(("06", "07", "08"), 2),
             **dict.fromkeys(("09", "10", "11", "12", "13"), 3),
             **dict.fromkeys(("14", "15", "16", "17", "18", "19", "20"), 4)}


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, dict[str, Any]]:
    """CAMEO code -> name, goldstein, quad_class, plover_type, plover_mode, plover_context."""
    return data.load("ontology.json")["cameo"]


def cameo_info(code: str) -> dict[str, Any]:
    """What the ontology says of a CAMEO code; an unknown code falls back to its nearest parent."""
    table = cameo_table()
    probe = code
    while probe:
        if probe in table:
            return table[probe]
        probe = probe[:-1]
    return {"name": None, "goldstein": 0.0, "quad_class": ROOT_QUAD.get(code[:2], 1),
            "plover_type": None, "plover_mode": None, "plover_context": None}
