"""Three conditions of the trigger rules: what a preposition's object names (``oblique_object``), the verb's
``voice``, and a negation carried by a semi-auxiliary of the future ("is not going to bend")."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.coding.events import extract_doc
from eventwire.coding.rules import build, load_rules, packaged_files
from eventwire.coding.syntax import has_negation
from eventwire.coding.triggers import find_triggers
from eventwire.errors import RuleError
from eventwire.nlp import load

RULES = load_rules("en", user_files=[])

MINE = """
version: 1
rules:
  - id: coerce.test_lock.v1
    kind: verb
    type: COERCE
    cameo: "173"
    priority: 20
    lemmas: [lock]
    oblique_object: {in: [cellar, "damp cellar"], inside: "@test_rooms"}
    examples: ["The gang locked the hostages in a damp cellar."]
  - id: sanction.test_tag.v1
    kind: verb
    type: SANCTION
    cameo: "163"
    deliberate: test
    priority: 20
    lemmas: [tag]
    voice: active
    examples: ["Canada tagged the militia."]
words:
  test_rooms: [attic]
"""


@pytest.fixture(scope="module")
def nlp():
    return load()


@pytest.fixture(scope="module")
def mine():
    return build(packaged_files("en"), user=[("mine.yaml", MINE)])


def _rules(nlp, text: str, rules=RULES) -> set[str]:
    doc = nlp(text)
    return {t.rule for s in doc.sents for t in find_triggers(s, rules)}


def _events(nlp, text: str) -> set[str]:
    return {e.evidence.rule for e in extract_doc(nlp(text), "t", date(2024, 6, 3), RULES)}


def test_oblique_object_compiles_each_preposition_with_its_words(mine) -> None:
    pat = mine.by_id["coerce.test_lock.v1"]
    assert dict(pat.oblique_objects) == {"in": frozenset({"cellar", "damp cellar"}), "inside": frozenset({"attic"})}


def test_oblique_object_needs_that_preposition_with_one_of_its_words(nlp, mine) -> None:
    assert "coerce.test_lock.v1" in _rules(nlp, "The gang locked the hostages in a damp cellar.", mine)
    assert "coerce.test_lock.v1" in _rules(nlp, "The gang locked the hostages inside an attic.", mine)
    assert "coerce.test_lock.v1" not in _rules(nlp, "The gang locked the hostages in a van.", mine)
    assert "coerce.test_lock.v1" not in _rules(nlp, "The gang locked the hostages near a cellar.", mine)


def test_oblique_object_rejects_an_unknown_word_list() -> None:
    with pytest.raises(RuleError, match="unknown word list '@no_rooms'"):
        build(packaged_files("en"), user=[("mine.yaml", MINE.replace('"@test_rooms"', '"@no_rooms"'))])


def test_voice_accepts_only_active_or_passive() -> None:
    with pytest.raises(RuleError, match="voice"):
        build(packaged_files("en"), user=[("mine.yaml", MINE.replace("voice: active", "voice: middle"))])


def test_voice_active_refuses_the_passive_and_the_participle(nlp, mine) -> None:
    assert "sanction.test_tag.v1" in _rules(nlp, "Canada tagged the militia last year.", mine)
    assert "sanction.test_tag.v1" not in _rules(nlp, "The militia was tagged by Canada last year.", mine)
    assert "sanction.test_tag.v1" not in _rules(nlp, "The militia, tagged by Canada last year, denied it.", mine)


@pytest.mark.parametrize(("text", "verb", "negated"), [
    ("We will not bend to their demands.", "bend", True),
    ("I'm not going to bend at all.", "bend", True),
    ("We are not about to give in to their demands.", "give", True),
    ("We are going to bend the rules.", "bend", False),
    ("We do not want to bow to pressure.", "bow", False),  # denies a wish, not the act
    ("The company does not have to back down.", "back", False),  # denies a need
    ("They did not go to the capital to negotiate.", "negotiate", False),
])
def test_negation_passes_through_going_to_but_not_through_want_or_have(nlp, text: str, verb: str, negated: bool) -> None:
    tok = next(t for t in nlp(text) if t.lower_ == verb)
    assert has_negation(tok) is negated


def test_rules_using_the_conditions(nlp) -> None:
    assert "coerce.hold_in_custody.v1" in _events(nlp, "The reporter has been held in solitary confinement in Tehran since 2021.")
    assert "coerce.remove_from_office.v1" in _events(nlp, "Kenyan lawmakers removed the governor from office on Friday.")
    assert "sanction.designate_terrorist.v1" in _events(nlp, "Japan designated the group as a terrorist organization.")
    assert "sanction.designate_terrorist.v1" not in _events(
        nlp, "The group is designated as a terrorist organization by Japan.")
    assert "reject.not_yield.v1" in _events(nlp, "\"We are not going to bend to Moscow's pressure,\" Zelenskyy said.")
    assert "reject.not_yield.v1" not in _events(nlp, "\"We do not want to bow to Moscow's pressure,\" Zelenskyy said.")
    assert "reject.not_give_in.v1" in _events(nlp, "Kyiv is not going to give in to Russian demands, the minister said.")


def test_participle_false_refuses_a_participle_on_its_noun(nlp) -> None:
    assert "coerce.hold_in_custody.v1" in _events(nlp, "Iran has held the two French teachers in Evin prison since 2022.")
    assert "coerce.hold_in_custody.v1" not in _events(
        nlp, "France demanded the release of the two teachers held in Evin prison.")
