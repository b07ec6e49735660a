"""The event record is a public contract: its JSON form must round-trip and keep its field names."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from eventwire.model import Actor, Article, Event, Evidence, Place, Quantity

CONTRACT_FIELDS = [
    "event_id", "doc_id", "event_type", "mode", "context", "cameo", "quad_class", "goldstein", "source",
    "target", "date", "date_text", "date_precision", "location", "factuality", "attribution", "quantities",
    "evidence", "lang", "confidence",
]
text = st.text(max_size=30)
maybe = lambda s: st.none() | s  # noqa: E731
codes = st.sampled_from(["USA", "NER", "RUS", "NATO", "UN", None])
sectors = st.sampled_from(["GOV", "MIL", "REB", "CVL", None])
actors = st.builds(Actor, text=text, name=maybe(text), country=codes, sector=sectors, code=maybe(text),
                   members=st.lists(st.builds(Actor, text=text, country=codes), max_size=3).map(tuple))
places = st.builds(Place, text=text, name=text, country=codes, admin1=maybe(text),
                   lat=maybe(st.floats(-90, 90)), lon=maybe(st.floats(-180, 180)),
                   geonames_id=maybe(st.integers(1, 10**8)), feature=maybe(st.sampled_from(["city", "country"])))
events = st.builds(
    Event, event_id=text, doc_id=text, event_type=st.sampled_from(["ASSAULT", "AGREE"]), cameo=text,
    quad_class=st.integers(1, 4), goldstein=st.floats(-10, 10),
    evidence=st.builds(Evidence, sentence=text, start=st.integers(0, 10**6), end=st.integers(0, 10**6),
                       trigger=text, trigger_start=maybe(st.integers(0, 10**6)), trigger_end=maybe(st.integers(0, 10**6))),
    mode=maybe(text), context=maybe(text), source=maybe(actors), target=maybe(actors), date=maybe(text),
    date_text=maybe(text), date_precision=st.sampled_from(["day", "month", "year", "published", None]),
    location=maybe(places), factuality=st.sampled_from(["asserted", "negated", "hypothetical"]),
    attribution=maybe(actors),
    quantities=st.lists(st.builds(Quantity, kind=text, value=st.floats(0, 1e9), unit=maybe(text), text=text),
                        max_size=3).map(tuple),
    lang=st.sampled_from(["en", "fr"]),
    confidence=st.floats(0, 1),
)


@given(events)
def test_model_event_json_round_trip(event: Event) -> None:
    assert Event.from_json(event.to_json()) == event


@given(events)
def test_model_event_json_has_contract_fields_in_order(event: Event) -> None:
    assert list(json.loads(event.to_json())) == CONTRACT_FIELDS


def test_model_compound_actor_lists_every_party() -> None:
    actor = Actor(text="the United States, Britain and France", country="USA",
                  members=(Actor("United States", country="USA"), Actor("Britain", country="GBR"),
                           Actor("France", country="FRA")))
    assert actor.countries == ("USA", "GBR", "FRA")
    assert Actor.from_dict(actor.to_dict()) == actor


def test_model_article_round_trip_and_stable_id() -> None:
    article = Article(id=Article.make_id("Some text."), text="Some text.", title="T")
    assert Article.from_dict(article.to_dict()) == article
    assert Article.make_id("Some text.") == article.id != Article.make_id("Other text.")
