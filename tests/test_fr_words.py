"""The French word lists hold every list and map the English ones have: the Python code asks for them by name."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from eventwire.coding.rules import build, packaged_files
from eventwire.coding.syntax import lang_words

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


def test_french_word_files_and_role_rules_build() -> None:
    # the word lists and the role, factuality and post rules on their own (the trigger files are tested in
    # test_rules.py): every "@list" a role or post rule names must exist
    files = [f for f in packaged_files("fr") if "/triggers/" not in f[0]]
    rules = build(files, lang="fr")
    english_lists = {k for name in FILES for k in (_read("en", name).get("words") or {})}
    assert english_lists <= set(rules.words), sorted(english_lists - set(rules.words))
    en_roles = build([f for f in packaged_files("en") if "/triggers/" not in f[0]], lang="en")
    assert set(en_roles.roles) <= set(rules.roles) | {"fact.reported_conditional.v1"}
    assert set(en_roles.post) == set(rules.post)
    for rule in [*rules.roles.values(), *rules.post.values()]:
        params = rule.params if hasattr(rule, "params") else rule.when
        for value in params.values():
            if isinstance(value, str) and value.startswith("@"):
                assert value[1:] in rules.words, (rule.id, value)


def test_french_prepositions_in_every_written_form() -> None:
    words = lang_words("fr")
    # "de" written as du, des, d' and "à" as au, aux: a list that has one form has them all
    for key in ("partitive_preps", "material_object_preps", "kind_preps", "allegation_preps"):
        assert {"de", "du", "des", "d'"} <= words[key], key
    for key in ("receiver_preps", "stance_preps", "blame_on_preps", "other_noun_preps"):
        assert {"à", "au", "aux"} <= words[key], key
