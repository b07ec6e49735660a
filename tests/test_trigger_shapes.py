"""Conditions written in roles find their word where the small English parser actually attaches it."""

from __future__ import annotations

import pytest

from eventwire.coding.rules import load_rules
from eventwire.coding.syntax import direct_object
from eventwire.coding.triggers import find_triggers, for_clause_subjects, label_words
from eventwire.nlp import load


def _doc(text: str):
    return load()(text)


def _tok(doc, word: str):
    return next(t for t in doc if t.text == word)


def _rules_found(text: str) -> dict[str, str | None]:
    """Rule id -> the target word the interpreter named (None when it leaves the target to the event assembly)."""
    rules = load_rules("en")
    doc = _doc(text)
    return {t.rule: (t.target.text if t.target is not None else None)
            for sent in doc.sents for t in find_triggers(sent, rules)}


def test_for_infinitive_names_the_party_asked() -> None:
    # "for" read as the mark of an infinitive clause: the party asked is that clause's subject
    doc = _doc("The rapporteur called for the Taliban to reopen the schools.")
    assert [t.text for t in for_clause_subjects(_tok(doc, "called"), ("for",))] == ["Taliban"]
    assert _rules_found("The rapporteur called for the Taliban to reopen the schools.")["request.call.v1"] == "Taliban"


def test_blamed_on_names_the_party_blamed() -> None:
    assert _rules_found("Kyiv blamed the blast on Russia.")["accuse.accuse.v1"] == "Russia"
    assert _rules_found("Moscow blamed Ukraine for the blast.")["accuse.accuse.v1"] is None  # the object is the party


@pytest.mark.parametrize(("text", "verb", "label"), [
    ("Beijing described the sanctions as illegal.", "described", "illegal"),  # the word after "as"
    ("The minister called the charges politically motivated.", "called", "motivated"),  # a modifier after the object
    ("Ankara branded the leader a separatist.", "branded", "separatist"),  # an apposition to the object
    ("Tehran described the strike as an act of aggression.", "described", "aggression"),  # a kind-of phrase
])
def test_label_words_find_the_label(text: str, verb: str, label: str) -> None:
    v = _tok(_doc(text), verb)
    assert label in label_words(v, direct_object(v))


@pytest.mark.parametrize(("text", "rule"), [
    ("Moscow warned the United States of a nuclear response.", "threaten.warn_consequence.v1"),  # "of" on the object
    ("The senator says Washington needs to act.", "request.must_clause.v1"),  # a verb of obligation
    ("The foreign ministry said the new US sanctions were illegal.", "accuse.say_pejorative.v1"),
])
def test_shapes_give_the_rule(text: str, rule: str) -> None:
    assert rule in _rules_found(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("The doctor warned the patient of a painful recovery.", "threaten.warn_consequence.v1"),
    ("The foreign ministry said the new US sanctions were not illegal.", "accuse.say_pejorative.v1"),
    ("The minister described the talks as productive.", "accuse.call_names.v1"),
])
def test_shapes_leave_other_senses(text: str, rule: str) -> None:
    assert rule not in _rules_found(text)
