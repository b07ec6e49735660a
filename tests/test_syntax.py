"""The syntactic primitives the rules are written in, on small sentences parsed by the real model."""

from __future__ import annotations

import pytest

from eventwire.coding.syntax import (
    LABEL_MAPS,
    complement_lemmas,
    direct_object,
    object_lemmas,
    particle_of,
    prep_objects,
    subject_of,
)
from eventwire.nlp import load


def _tok(text: str, word: str):
    doc = load()(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(("text", "verb", "subject"), [
    ("Russia shelled Kharkiv on Monday.", "shelled", "Russia"),
    ("Kharkiv was shelled by Russia.", "shelled", "Russia"),  # the by-agent of a passive
    ("Rebels fighting the army seized the town.", "fighting", "Rebels"),  # a participle's noun
    ("The army agreed to withdraw from the town.", "withdraw", "army"),  # an xcomp inherits the subject
])
def test_syntax_subject_of(text: str, verb: str, subject: str) -> None:
    assert subject_of(_tok(text, verb)).text == subject


def test_syntax_direct_object_and_passive_subject() -> None:
    assert direct_object(_tok("Niger expelled French forces.", "expelled")).text == "forces"
    assert direct_object(_tok("Ties were severed last year.", "severed")).text == "Ties"


def test_syntax_obliques_particles_and_complements() -> None:
    sanctions = _tok("The EU imposed sanctions on Russia in March.", "sanctions")
    assert [t.text for t in prep_objects(sanctions, ("on",))] == ["Russia"]
    assert prep_objects(sanctions, ("against",)) == []
    assert particle_of(_tok("France pulled out of Mali.", "pulled")).text == "out"
    assert "leave" in complement_lemmas(_tok("Niger ordered the ambassador to leave.", "ordered"))


def test_syntax_object_lemmas_look_through_partitives_and_modifiers() -> None:
    assert object_lemmas(_tok("She began a hunger strike.", "strike"))[:2] == ["hunger strike", "strike"]
    assert "sanction" in object_lemmas(_tok("The EU lifted most of its sanctions.", "most"))
    assert "emergency" in object_lemmas(_tok("The president declared a state of emergency.", "state"))


def test_syntax_label_maps_cover_every_role_for_both_languages() -> None:
    """French reaches the primitives through the UD bridge, in the English labels (tests/test_bridge.py)."""
    en, fr = LABEL_MAPS["en"], LABEL_MAPS["fr"]
    assert "nsubjpass" in en.passive_subject and "dobj" in en.object
    assert fr == en
    for role in en.__dataclass_fields__:
        assert getattr(en, role), role
