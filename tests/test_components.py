"""The layers as spaCy components: registered under versioned names, each declaring what it requires and
assigns, taking its resources as config; a spaCy user's own pipeline gets the same events as ``extract``."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

import eventwire
from eventwire.coding.components import FACTORIES
from eventwire.errors import BadDateError
from eventwire.nlp import load

REGISTRATIONS = Path(__file__).with_name("factory_registrations.json")
TEXT = ("NIAMEY, May 3 — Russian troops have moved into Airbase 101 in Niamey, a US official told Reuters on "
        "Thursday. Niger expelled French forces in 2023.")


def test_components_registered_names_do_not_disappear() -> None:
    golden = json.loads(REGISTRATIONS.read_text())
    registered = {name for name in Language.factories if name.startswith("eventwire")}
    assert sorted(registered) == golden


@pytest.fixture(scope="module")
def spacy_user_nlp():
    import importlib

    from eventwire.nlp import model_name

    nlp = importlib.import_module(model_name()).load()
    nlp.add_pipe("eventwire_paragraphs", before="parser")  # datelines and blank lines end sentences, as in ours
    for name in FACTORIES:
        nlp.add_pipe(name)
    return nlp


def test_components_declare_requires_and_assigns() -> None:
    meta = {name: Language.get_factory_meta(name) for name in FACTORIES}
    assert meta["eventwire_events_v1"].requires == ["doc._.actors", "doc._.places", "doc._.triggers"]
    assert meta["eventwire_places_v1"].assigns == ["doc._.places", "doc._.dateline"]
    assert all(m.assigns for m in meta.values())


def test_components_give_the_same_events_as_extract(spacy_user_nlp) -> None:
    doc = spacy_user_nlp.make_doc(TEXT)
    doc._.published = "2024-05-03"  # an ISO string, as a spaCy user would set it
    doc._.doc_id = "seed"
    doc = spacy_user_nlp(doc)
    assert doc._.published == date(2024, 5, 3)
    ours = eventwire.extract(TEXT, "2024-05-03", doc_id="seed")
    assert [e.to_dict() for e in doc._.events] == [e.to_dict() for e in ours]
    assert {e.event_type for e in ours} >= {"MOBILIZE", "COERCE"}
    assert doc._.triggers and doc._.places


def test_components_bad_published_date_is_a_clear_error(spacy_user_nlp) -> None:
    doc = spacy_user_nlp.make_doc(TEXT)
    with pytest.raises(BadDateError, match=re.escape("doc._.published: 'last Tuesday' is not a date")):
        doc._.published = "last Tuesday"


def test_components_take_rule_files_as_config(tmp_path: Path) -> None:
    import importlib

    from eventwire.nlp import model_name

    rules = tmp_path / "mine.yaml"
    rules.write_text("version: 1\ndisable: [coerce.deport.v1]\n")
    nlp = importlib.import_module(model_name()).load()
    nlp.add_pipe("eventwire_actors_v1")
    nlp.add_pipe("eventwire_places_v1")
    nlp.add_pipe("eventwire_triggers_v1", config={"rules": [str(rules)]})
    nlp.add_pipe("eventwire_events_v1", config={"rules": [str(rules)]})
    doc = nlp("Niger expelled French forces in 2023.")
    assert [e.evidence.rule for e in doc._.events] == []
    assert [e.evidence.rule for e in eventwire.extract("Niger expelled French forces in 2023.")] == ["coerce.deport.v1"]


def test_extract_takes_a_pipeline_and_a_rule_set() -> None:
    from eventwire.coding.rules import load_rules

    events = eventwire.extract(TEXT, date(2024, 5, 3), nlp=load(), rules=load_rules("en", user_files=[]))
    assert events and all(e.evidence.rule for e in events)


def test_stage_modules_import_by_name() -> None:
    import importlib

    for stage in ("events", "triggers", "rules", "syntax", "actors", "places", "dates", "factuality", "components"):
        importlib.import_module(f"eventwire.coding.{stage}")
    assert callable(eventwire.extract)
