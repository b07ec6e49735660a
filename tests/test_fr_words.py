"""The French word lists hold every list and map the English ones have: the Python code asks for them by name."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from eventwire.coding.rules import load_rules

FILES = ("syntax", "factuality", "speech", "events", "triggers", "material", "quantities")


def _read(lang: str, name: str) -> dict:
    path = resources.files("eventwire").joinpath("rules", lang, "words", f"{name}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("name", FILES)
def test_french_words_have_every_english_key(name: str) -> None:
    en, fr = _read("en", name), _read("fr", name)
    for section in ("words", "maps"):
        missing = sorted(set(en.get(section) or {}) - set(fr.get(section) or {}))
        assert not missing, f"rules/fr/words/{name}.yaml lacks {section}: {missing}"


@pytest.mark.parametrize("name", FILES)
def test_french_words_are_strings(name: str) -> None:
    # a bare `on`, `oui` or `non` in YAML may read as a boolean: every word must stay a string
    fr = _read("fr", name)
    for key, items in (fr.get("words") or {}).items():
        bad = [w for w in items if not isinstance(w, str)]
        assert not bad, f"rules/fr/words/{name}.yaml: {key} holds non-strings {bad}: quote them"
    for key, table in (fr.get("maps") or {}).items():
        bad = [k for k in table if not isinstance(k, str)]
        assert not bad, f"rules/fr/words/{name}.yaml: map {key} has non-string keys {bad}: quote them"


def test_french_rules_build_with_the_word_lists() -> None:
    rules = load_rules("fr", [])
    en = load_rules("en", [])
    english_lists = {k for name in FILES for k in (_read("en", name).get("words") or {})}
    assert english_lists <= set(rules.words), sorted(english_lists - set(rules.words))
    assert set(en.words) >= english_lists


def test_french_prepositions_in_every_written_form() -> None:
    rules = load_rules("fr", [])
    # "de" written as du, des, d' and "à" as au, aux: a list that has one form has them all
    for key in ("partitive_preps", "material_object_preps", "kind_preps", "allegation_preps"):
        assert {"de", "du", "des", "d'"} <= rules.words[key], key
    for key in ("receiver_preps", "stance_preps", "blame_on_preps", "other_noun_preps"):
        assert {"à", "au", "aux"} <= rules.words[key], key
