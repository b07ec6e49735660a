"""Assembles events: trigger -> type and code, then roles, date, place, factuality, attribution.

Type first, then roles (the NGEC lesson): each trigger found in a sentence is given its source and target
along the dependency paths from it, then its truth, the post-rules that recode it, who acted when the parse
names no one, the place, the target when the parse names none, and the date. Each of these is a named step
whose types and words are data (``rules/<lang>/roles.yaml``, ``post.yaml``, ``words/events.yaml``); every step
that changes the event adds its rule id to ``evidence.steps``. An event with no actor that can be coded is
dropped: it tells an analyst nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..model import ASSERTED, COUNTRY_LEVEL, DAY, PUBLISHED, Actor, Event, Evidence, Place
from ..ontology import MATERIAL_TYPES, cameo_info
from .actors import ActorContext, actor_code, code_actor, noun_phrase, quote_speaker, with_country
from .dates import Kind, ResolvedDate, Tense, date_for_event, find_expressions, resolve_expression
from .factuality import (
    according_to,
    announced_future,
    citing,
    conditional_mood,
    factuality_cue,
    future_tense,
    reporting_clause,
)
from .lexicon import EntryKind
from .places import SPECIFICITY, agency_place, dateline_place, event_location, resolve_places
from .quantities import sentence_quantities
from .rules import Pattern, PostRule, RoleRule, RuleSet, load_rules
from .syntax import (
    covering_span,
    direct_object,
    is_passive,
    labels,
    lemma,
    named_complements,
    prep_objects,
    span_text,
    stative_passive,
    subject_of,
)
from .triggers import Trigger, find_triggers

ACTOR_KINDS = (EntryKind.PERSON, EntryKind.GROUP, EntryKind.IGO)
"""Dictionary entries that name an actor, not a place: their tokens are never places."""
UNANCHORED_KINDS = (Kind.FOLLOWING, Kind.YEAR, Kind.MONTH, Kind.RELATIVE_PERIOD)
"""Date expressions that anchor no later 'the following week': they are not a day, or count from another."""


def _event_id(doc_id: str, trigger_start: int, event_type: str) -> str:
    return hashlib.sha1(f"{doc_id}:{trigger_start}:{event_type}".encode()).hexdigest()[:16]


@dataclass
class Draft:
    """An event being assembled: what each step reads and may change."""

    sent: Span
    trig: Trigger
    pat: Pattern
    src_tok: Token | None
    tgt_tok: Token | None
    source: Actor | None
    target: Actor | None
    truth: str
    steps: list[str] = field(default_factory=list)
    announced: bool = False
    keep_act: bool = False
    report: Token | None = None
    place: Place | None = None
    implicit: bool = False

    @property
    def tok(self) -> Token:
        return self.trig.token


@dataclass
class Layers:
    """What the earlier layers found (spaCy components fill it in); a layer left None is worked out here."""

    actors: ActorContext | None = None
    places: dict[int, Place] | None = None
    dateline: Place | None = None
    triggers: list[Trigger] | None = None


def actor_tokens(ctx: ActorContext, published: date | None) -> set[int]:
    """Tokens the dictionary names as a person, group or organisation: never places."""
    return {i for i, m in ctx.mentions.items() if m.best(published).kind in ACTOR_KINDS}


def article_countries(ctx: ActorContext) -> Counter:
    """How often each country is named as an actor in the article: its salience. A sentence selective parsing left
    unparsed (its words have no part of speech) names no actor, but its dictionary names still say what the
    article is about: each counts once."""
    counts = Counter(a.country for _, a, _ in ctx.history if a.country)
    doc = ctx.doc
    for m in {id(m): m for i, m in ctx.mentions.items() if not doc[i].pos_}.values():
        country = m.best(ctx.published).country
        if country:
            counts[country] += 1
    return counts


class DocExtractor:
    """Runs the extraction rules over one parsed article; the layers run once each, in order: actors, places,
    triggers, then events. None of them rewrites an earlier one's result."""

    def __init__(self, doc: Doc, doc_id: str, published: date | None, rules: RuleSet | None = None, *,
                 trace: list[tuple[Trigger, str]] | None = None, layers: Layers | None = None) -> None:
        layers = layers or Layers()
        self.doc = doc
        self.trace = trace  # (trigger, why it made no event), for ``eventwire explain``
        self.doc_id = doc_id
        self.published = published
        self.rules = rules or load_rules(doc.lang_)
        self.words = self.rules.words
        self._trigger_heads: set[int] = set()  # the trigger words of the sentence being coded
        self.actors = layers.actors or ActorContext.build(doc, published)
        countries = article_countries(self.actors)
        self.salience = countries
        self.places = layers.places if layers.places is not None else resolve_places(
            doc, actor_tokens(self.actors, published), set(countries))
        self.dateline = layers.dateline if layers.places is not None else dateline_place(doc, set(countries))
        self.triggers = layers.triggers
        self.previous_date: date | None = None
        sport = self.rules.role("filter.sport_copy")
        self.sport = sport
        self.sport_article = sport is not None and self._sport_density(doc) > sport.params["article_density"]
        # coding a noun phrase depends only on the token and the article: each is coded once
        self._actors: dict[int, Actor | None] = {}
        self._targets: dict[int, Actor | None] = {}

    def _sport_density(self, doc: Doc | Span) -> float:
        """Sport words per word; 0 when fewer than one clear sport word (a lone "set" or "team" is not sport)."""
        words_ = [t for t in doc if t.is_alpha]
        if not words_:
            return 0.0
        sport, weak_words = self.words["sport_words"], self.words["weak_sport_words"]
        proper, names = self.words["sport_proper_words"], self.words["sport_names"]
        strong = weak = 0
        for t in words_:
            low = t.lower_
            if low not in sport:
                continue
            if t.i > 0 and t.doc[t.i - 1].text == "-":
                continue  # "right-winger", "open-ended"
            if low in weak_words:
                # a word of a sentence selective parsing left untagged counts as the noun it mostly is in sport
                if t.pos_ == "NOUN" or not t.pos_ or (t.pos_ == "PROPN" and low in proper
                                                      and t.i > 0 and t.doc[t.i - 1].lower_ in names):
                    weak += 1
                continue
            strong += 1
        if strong == 0 and weak < 2:
            return 0.0
        return (strong + weak) / len(words_)

    def run(self) -> list[Event]:
        events: list[Event] = []
        before: list[Event] = []  # the previous sentence's events
        headline = self.rules.role("filter.headline")
        for sent in self.doc.sents:
            if headline is not None and self._headline_case(sent, headline):
                continue
            sport_sentence: bool | None = True if self.sport_article else None  # worked out when first needed
            seen: list[Event] = []
            found = find_triggers(sent, self.rules) if self.triggers is None else [
                t for t in self.triggers if sent.start <= t.token.i < sent.end]
            self._trigger_heads = {t.token.i for t in found} | {t.noun.i for t in found if t.noun is not None}
            for trig in found:
                event = self.build(sent, trig)
                if event is None:
                    continue
                if self.sport is not None and not self._politically_coded(event.source):
                    if sport_sentence is None:
                        sport_sentence = self._sport_density(sent) > self.sport.params["sentence_density"]
                    if sport_sentence:
                        self._drop(trig, f"{self.sport.id}: sport copy")
                        continue
                if any(_same_happening(event, other) for other in seen):
                    self._drop(trig, "the same happening as an earlier trigger of the sentence")
                    continue  # "putting forces on standby and sending ships": one mobilisation
                if any(_told_again(event, other) for other in before):
                    self._drop(trig, "a visit or meeting the previous sentence told")
                    continue  # "Zelensky arrived in Washington ... He then met Biden": one visit
                event = self._continued_statement(event, sent, before)
                seen.append(event)
                events.append(event)
                if event.event_type != trig.pattern.event_type and self._kept_act(event):
                    # the announcement is the event (AGREE, THREATEN); the announced act stays on record
                    # as what it is, a hypothetical event of its own type
                    act = self.build(sent, trig, future=False)
                    if act is not None:
                        events.append(act)
                if event.date_precision == DAY and event.date:
                    self.previous_date = date.fromisoformat(event.date)
            if seen:
                before = seen
            self._note_dates(sent)
        return events

    def _continued_statement(self, event: Event, sent: Span, before: list[Event]) -> Event:
        """"Netanyahu said Sunday Israel will maintain order. The Israeli leader told a cabinet meeting he had
        vowed to ...": a statement with no date of its own, by the speaker of a dated statement (or a dated act of
        the same actor) in the sentence just before, was made then (role.date.continued_statement)."""
        rule = self._applies("role.date.continued_statement", event.event_type)
        if rule is None or event.date_precision != PUBLISHED or event.source is None or not event.source.country \
                or sent.start == 0:
            return event
        prev = self.doc[sent.start - 1].sent  # only the sentence right before continues
        steps = (*event.evidence.steps, rule.id)
        earlier = next((e for e in before if e.evidence.start == prev.start_char and e.source is not None
                        and e.source.code == event.source.code and e.date_text and e.event_type in rule.types), None)
        if earlier is not None:
            return replace(event, date=earlier.date, date_text=earlier.date_text,
                           date_precision=earlier.date_precision, evidence=replace(event.evidence, steps=steps))
        for verb in prev:
            if lemma(verb) not in self.words["reporting_verbs"] or verb.pos_ != "VERB":
                continue
            speaker = self._speaker(verb)
            if speaker is None or speaker.code != event.source.code:
                continue
            said = date_for_event(prev, verb, self.published, None, [])
            if said is not None and said.precision not in (PUBLISHED, None) and self._dates_verb(prev, verb):
                return replace(event, date=said.iso, date_text=said.text, date_precision=said.precision,
                               evidence=replace(event.evidence, steps=steps))
        return event

    def _dates_verb(self, sent: Span, verb: Token) -> bool:
        """Whether a date expression of the sentence hangs on this verb ("said Sunday", "said on Sunday"), not on
        what it reports ("said it was formed in 1993")."""
        for start, end, _kind, _m in find_expressions(span_text(sent), lang=sent.doc.lang_):
            span = covering_span(self.doc, sent.start_char + start, sent.start_char + end)
            if span is not None and (span.root.head.i == verb.i or (span.root.head.head.i == verb.i
                                     and span.root.head.dep_ in labels(verb).oblique)):
                return True
        return False

    def _drop(self, trig: Trigger, why: str) -> None:
        if self.trace is not None:
            self.trace.append((trig, why))

    def _kept_act(self, event: Event) -> bool:
        return any(self.rules.post[s].then.get("keep_act") for s in event.evidence.steps if s in self.rules.post)

    def _note_dates(self, sent: Span) -> None:
        """A date named in a sentence anchors 'the following week' in the next ones."""
        if self.published is None:
            return
        lang = self.doc.lang_
        for _s, _e, kind, m in find_expressions(span_text(sent), lang=lang):
            if kind in UNANCHORED_KINDS:
                continue
            rd = resolve_expression(kind, m, self.published, Tense.PAST, self.previous_date, lang=lang)
            if rd is not None and rd.precision == DAY:
                self.previous_date = rd.as_date

    # steps ------------------------------------------------------------------------------------

    def _applies(self, name: str, event_type: str) -> RoleRule | None:
        """The role rule of this name when it is enabled and covers this type (a rule with no types covers all)."""
        rule = self.rules.role(name)
        if rule is None or (rule.types and event_type not in rule.types):
            return None
        return rule

    def _param(self, rule: RoleRule, key: str) -> Any:
        return self.rules.param(rule, key)

    # roles -----------------------------------------------------------------------------------

    def roles(self, trig: Trigger, steps: list[str]) -> tuple[Token | None, Token | None]:
        tok = trig.token
        pat = trig.pattern
        lab = labels(tok)
        default_preps = self.words["default_target_preps"]
        speaker = self._applies("role.source.quote_speaker", pat.event_type)
        if speaker is not None and pat.construction in self._param(speaker, "speaker_constructions"):
            return None, trig.target  # the quotation's speaker judges the clause's subject (_find_source)
        if trig.target is not None:
            return subject_of(tok), trig.target
        if pat.kind == "noun":
            src = None
            for child in tok.children:
                if child.dep_ in lab.agent or (child.dep_ in lab.oblique and child.lower_ in self.words["agent_preps"]):
                    src = next((c for c in child.children if c.dep_ in lab.oblique_object), src)
            between_rule = self._applies("role.source.between", pat.event_type)
            if src is None and between_rule is not None:
                # "fighting broke out ... between"
                pair = self._between_pair([tok] + ([tok.head] if tok.dep_ in lab.subject else []))
                if pair is not None:
                    steps.append(between_rule.id)
                    return pair
            partner_rule = self._applies("role.source.clash_partner", pat.event_type)
            if src is None and partner_rule is not None:
                partner = next(iter(prep_objects(tok, self._param(partner_rule, "partner_preps"))), None)
                if partner is not None and self._actor(partner) is not None:
                    # "tués lors d'affrontements avec les forces de l'ordre": the one fought, and the toll's dead
                    steps.append(partner_rule.id)
                    verb = tok.head.head if tok.dep_ in lab.oblique_object and tok.head.dep_ in lab.oblique else None
                    victims = next((c for c in verb.children if c.dep_ in lab.passive_subject), None) \
                        if verb is not None and verb.pos_ == "VERB" else None
                    return partner, victims
            forces = self._applies("role.source.forces_of", pat.event_type)
            if src is None and forces is not None:
                moved = next(iter(prep_objects(tok, self._param(forces, "of_preps"))), None)
                actor = self._actor(moved)
                if actor is not None and actor.country:
                    src = moved  # "the withdrawal of U.S. troops": whose troops
                    steps.append(forces.id)
            from_rule = self._applies("role.source.noun_from", pat.event_type)
            if src is None and from_rule is not None:
                src = next(iter(prep_objects(tok, self._param(from_rule, "from_preps"))), None)
                found = self._actor(src)
                if found is not None and (found.country or found.sector):
                    steps.append(from_rule.id)
                    if tok.dep_ in lab.oblique_object and tok.head.lower_ in self._param(from_rule, "under_preps") \
                            and tok.head.head.pos_ in ("VERB", "AUX"):
                        return src, subject_of(tok.head.head)  # "came under attack from X": the subject is hit
                else:
                    src = None
            if src is None:
                for child in tok.children:
                    if child.dep_ in ("poss", "amod", "compound", "nmod") and child not in trig.words and (
                            self.actors.mentions.get(child.i) or code_actor(child, self.actors) is not None):
                        src = child
                        break
            setting = self._applies("role.source.setting_subject", pat.event_type)
            if src is None and setting is not None and tok.dep_ in lab.oblique_object and tok.head.dep_ in lab.oblique \
                    and tok.head.lower_ in self._param(setting, "preps") and tok.head.head.pos_ in ("VERB", "AUX"):
                src = subject_of(tok.head.head)
                if src is not None:
                    steps.append(setting.id)
            preps = pat.preps or default_preps
            oblique = self._applies("role.target.noun_oblique", pat.event_type)
            if oblique is not None:
                extra = self._param(oblique, "preps")
            else:
                rule = self.rules.role("role.target.noun_oblique")
                extra = self._param(rule, "other_preps") if rule is not None else frozenset()
            candidates = prep_objects(tok, frozenset(preps) | extra)
            for comp in tok.children:  # "his threat to expel the ambassadors of the US"
                if comp.dep_ in lab.participle | lab.complement and comp.pos_ == "VERB":
                    candidates += [o for o in [direct_object(comp)] if o is not None]
            tgt = self._pick_target(candidates)
            if oblique is not None and tgt is not None and tgt.head.lower_ in extra and tgt.head.lower_ not in preps:
                steps.append(oblique.id)  # "the invasion of Ukraine"
            refuser = self.rules.role("role.target.appeal_refuser")
            if refuser is not None and (tgt is None or self._target_actor(tgt) is None) and pat.needs == "actor" \
                    and tok.dep_ in lab.object | lab.passive_subject and tok.head.pos_ == "VERB":
                new = subject_of(tok.head)
                if new is not None:
                    steps.append(refuser.id)
                tgt = new or tgt
            return src, tgt
        if is_passive(tok):
            src = None
            for child in tok.children:
                if child.dep_ in lab.agent:
                    src = next((c for c in child.children if c.dep_ in lab.oblique_object), None)
            tgt = next((c for c in tok.children if c.dep_ in lab.passive_subject), None)
            if trig.noun is not None and tgt is not None and tgt.i == trig.noun.i:
                tgt = None
            stance = self.rules.role("role.source.stance_holder")
            if src is None and stance is not None and lemma(tok) in self._param(stance, "verbs"):
                # "Israel is opposed to French mediation": a stance, its holder is the subject
                src = tgt or next((c for h in (tok, *(a for a in tok.children if a.dep_ in lab.passive_aux))
                                   for c in h.children if c.dep_ in lab.subject), None)
                tgt = next(iter(prep_objects(tok, self.words["stance_preps"])), None)
                steps.append(stance.id)
        else:
            src = subject_of(tok)
            tgt = direct_object(tok)
            if trig.noun is not None and tgt is not None and tgt.i == trig.noun.i:
                tgt = None
            between_rule = self._applies("role.source.between", pat.event_type)
            if between_rule is not None and src is not None and src.pos_ == "NOUN" and tgt is None \
                    and self._actor(src) is None:
                # "le cessez-le-feu entre Israël et le Hezbollah est entré en vigueur": a subject that names no party
                # names the parties in its between-phrase
                pair = self._between_pair([src])
                if pair is not None:
                    steps.append(between_rule.id)
                    return pair
        candidates = [tgt] if tgt is not None else []
        for child in tok.children:
            if child.dep_ in lab.dative:
                candidates.append(next((c for c in child.children if c.dep_ in lab.oblique_object), child))
        preps = pat.preps or default_preps
        receiver = self._applies("role.target.receiver", pat.event_type)
        received: list[Token] = []
        if receiver is not None:
            # "delivered missiles to Russia", "extradited X to the US": the receiver, not the thing handed over
            received = prep_objects(tok, self._param(receiver, "preps"))
            if received:
                steps.append(receiver.id)
            candidates = received + candidates
        candidates += prep_objects(tok, preps)
        if trig.noun is not None:
            oblique = self._applies("role.target.noun_oblique", pat.event_type)
            extra = self.words["material_object_preps"] if oblique is not None else frozenset()
            candidates += prep_objects(trig.noun, frozenset(preps) | extra | self.words["light_noun_preps"])
        elif tgt is not None and tgt.pos_ == "NOUN" and self._target_actor(tgt) is None:
            # "a annoncé l'expulsion de 35 diplomates russes", "a suspendu l'aide militaire à l'Ukraine": an object
            # that names an act, not a party, names its party in its own phrases
            candidates += prep_objects(tgt, self.words["act_object_preps"])
        tgt = self._pick_target(candidates, visit=pat.cameo in ("042", "043"), receivers=received)
        clause = self._applies("role.target.clause_subject", pat.event_type)
        if tgt is None and clause is not None:
            # "demanded that the government resign": the one asked to act is the clause's subject
            for child in tok.children:
                if child.dep_ in lab.clause:
                    tgt = next((c for c in child.children if c.dep_ in lab.subject | lab.passive_subject), None)
                    if tgt is not None and tgt.pos_ == "PRON" and tgt.lower_ not in self.words["askable_pronouns"]:
                        tgt = None
                    if tgt is not None:
                        steps.append(clause.id)
                    break
        return src, tgt

    def _between_pair(self, hosts: list[Token]) -> tuple[Token, Token] | None:
        """"fighting between Sudan's army and the RSF", "between the army and opposition forces": the two parties of
        a between-phrase on one of the hosts, the first as the source."""
        lab = labels(hosts[0])
        between = [c for h in hosts for p in h.children
                   if p.dep_ in lab.oblique and p.lower_ in self.words["between_preps"]
                   for c in p.children if c.dep_ in lab.oblique_object]
        if not between:
            return None
        return next(((t, t.conjuncts[0]) for t in between[0].subtree if t.conjuncts and t.dep_ not in lab.conj), None)

    def _pick_target(self, candidates: list[Token], *, visit: bool = False,
                     receivers: Sequence[Token] = ()) -> Token | None:
        """The first candidate that names an actor or a place; else the first that is not a date. A receiver
        ("a livré des chars à Kiev") is never a venue."""
        received = {t.i for t in receivers}
        times, venues = self.words["time_words"], self.words["venue_preps"]
        datives = self.words["dative_party_preps"]
        candidates = [c for c in candidates if c.ent_type_ not in ("DATE", "TIME") and c.lower_ not in times
                      # "freed them at Ankara airport", "signed at the White House": a venue, not a party;
                      # but the place of a visit is its host ("arrived in Amman"), and a country after a dative
                      # preposition on a noun is a party ("a imposé des sanctions au Niger", not "réunis au Nigeria")
                      and (visit or c.i in received
                           or not (c.dep_ == "pobj" and c.head.lower_ in venues and c.i in self.places)
                           or (c.head.lower_ in datives and c.head.head.pos_ == "NOUN"
                               and self.places[c.i].feature == COUNTRY_LEVEL))]
        for c in candidates:
            if self._target_actor(c) is not None:
                return c
        return candidates[0] if candidates else None

    def _actor(self, tok: Token | None) -> Actor | None:
        if tok is None:
            return None
        if tok.i not in self._actors:
            self._actors[tok.i] = code_actor(tok, self.actors)
        return self._actors[tok.i]

    def _target_actor(self, tok: Token | None) -> Actor | None:
        if tok is None:
            return None
        if tok.i not in self._targets:
            self._targets[tok.i] = self._code_target(tok)
        return self._targets[tok.i]

    def _code_target(self, tok: Token) -> Actor | None:
        actor = self._actor(tok)
        if actor is not None and actor.country and tok.lower_ not in self.words["thing_pronouns"]:
            # "recalled its ambassadors to the US", "ordered its envoys in Ireland home": where they are
            own = any(c.dep_ == "poss" and c.lower_ in self.words["own_possessives"] for c in tok.children)
            if own:
                for obj in prep_objects(tok, self.words["owned_object_preps"]):
                    inner = self._actor(obj)
                    if inner is not None and inner.country and inner.country != actor.country:
                        return inner
        if actor is not None:
            # "their Nigerien counterparts", "ties with the US": the qualifier decides
            if actor.country is None:
                for obj in prep_objects(tok, self.words["qualifier_preps"]):
                    inner = self._actor(obj)
                    if inner is not None and inner.country:
                        return inner
            return actor
        for obj in prep_objects(tok, self.words["party_preps"]):
            inner = self._actor(obj)
            if inner is not None:
                return inner
        place = self._place_in(noun_phrase(tok) + [t for t in tok.subtree], prefer_specific=False)
        return _place_actor(place) if place is not None and place.country else None

    # places ----------------------------------------------------------------------------------

    def _place_in(self, tokens, *, prefer_specific: bool = True) -> Place | None:
        found = []
        for t in tokens:
            place = self.places.get(t.i)
            if place is not None and place not in found:
                found.append(place)
        if not found:
            return None
        if prefer_specific:
            return max(found, key=lambda p: SPECIFICITY.get(p.feature or "", 0))
        return found[0]

    def location(self, trig: Trigger, sent: Span, exclude: set[int]) -> Place | None:
        # the rules of attachment live with the gazetteer (places.event_location); a place named elsewhere in
        # the sentence belongs to another clause. Failing one: the place of the police force that acted
        # ("Hong Kong police arrested ..."), then the dateline
        lab = labels(trig.token)
        words_ = tuple(trig.words) + ((trig.noun,) if trig.noun is not None else ())
        if trig.pattern.kind == "noun" and trig.token.dep_ in lab.subject and trig.token.head.pos_ == "VERB":
            words_ += (trig.token.head,)  # "fighting erupted in Khartoum": the place hangs off the verb
        report = reporting_clause(trig.token)
        if report is not None:
            # the attachment rules never reach into the reporting clause; what it excludes beyond that is
            # the clause the event may take its place from ("..., killing 45 people, officials said")
            reporter = {t.i for c in report.children if c.dep_ in lab.subject | lab.passive_subject | lab.agent
                        for t in c.subtree}
            exclude = exclude - ({t.i for t in report.subtree} - reporter)
        place = event_location(self.doc, self.places, trig.token, words_, trig.pattern.event_type, exclude)
        if place is not None and place.feature == COUNTRY_LEVEL and self.dateline is not None \
                and self.dateline.country == place.country and self.dateline.feature != COUNTRY_LEVEL:
            return self.dateline  # "a base in Niger", datelined NIAMEY: the dateline city is the closer guess
        if place is not None:
            return place
        return agency_place(self.doc, self.places, exclude & {t.i for t in sent}) or self.dateline

    # post-rules ------------------------------------------------------------------------------

    def _post(self, d: Draft, stage: str, future: bool) -> bool:
        """Applies the post-rules of one stage; False when one drops the event."""
        for rule in self.rules.post_rules(stage):
            if not future and rule.then.get("announced"):
                continue  # the announced act itself, rebuilt as what it is
            if not self._post_holds(rule, d):
                continue
            then = rule.then
            if then.get("drop"):
                d.steps.append(rule.id)
                return False
            pat = d.pat
            if "recode" in then:
                new_type, new_cameo = then["recode"][pat.event_type]
                pat = replace(pat, event_type=new_type, cameo=str(new_cameo), mode=None)
            if "type" in then:
                pat = replace(pat, event_type=then["type"], cameo=str(then["cameo"]), mode=then.get("mode"))
            d.pat = pat
            d.truth = then.get("factuality", d.truth)
            d.announced = d.announced or bool(then.get("announced"))
            d.steps.append(rule.id)
        return True

    def _post_holds(self, rule: PostRule, d: Draft) -> bool:
        when = rule.when
        pat, tok = d.pat, d.tok
        if "types" in when and pat.event_type not in when["types"]:
            return False
        if "cameos" in when and pat.cameo not in when["cameos"]:
            return False
        if "factuality" in when and d.truth != when["factuality"]:
            return False
        if "needs" in when and pat.needs != when["needs"]:
            return False
        if "has_noun" in when and (d.trig.noun is not None) != when["has_noun"]:
            return False
        if "trigger_lemmas" in when and lemma(tok) not in self.rules.param(rule, "trigger_lemmas"):
            return False
        if "noun_lemmas" in when and (d.trig.noun is None or lemma(d.trig.noun) not in self.rules.param(rule, "noun_lemmas")):
            return False
        if "source_sectors" in when and (d.source is None or d.source.sector not in when["source_sectors"]):
            return False
        predicate = when.get("predicate")
        return predicate is None or PREDICATES[predicate](self, d)

    def _ultimatum(self, d: Draft) -> bool:
        """"will withdraw its force unless X holds elections": an act announced on a condition the other side
        must meet."""
        lab = labels(d.tok)
        if not any(c.dep_ in lab.aux | lab.passive_aux and c.lower_ in self.words["ultimatum_modals"]
                   for c in d.tok.children) and not future_tense(d.tok):
            return False
        return any(c.dep_ in lab.adverbial and any(m.dep_ in lab.mark and m.lower_ in self.words["ultimatum_marks"]
                                                   for m in c.children)
                   for c in d.tok.children)

    def _joint(self, d: Draft) -> bool:
        """Exercises held together: several parties, or a "joint" word on the noun."""
        joint = self.words["joint_words"]
        return len(d.source.members) > 1 or any(t.lower_ in joint for t in d.trig.noun.subtree)

    def _or_face(self, d: Draft) -> bool:
        """"urged Russia to accept a ceasefire or face more sanctions": the demanded act has a penalty as its
        alternative."""
        lab = labels(d.tok)
        marks, penalties = self.words["alternative_marks"], self.words["penalty_verbs"]
        for act in (c for c in d.tok.children if c.dep_ in lab.complement | lab.clause):
            for alt in (c for c in act.children if c.dep_ in lab.conj and lemma(c) in penalties):
                if any(c.dep_ == "cc" and c.lower_ in marks for c in (*act.children, *alt.children)):
                    return True
        return False

    def _at_facility(self, d: Draft) -> bool:
        """The restriction is declared at a building ("at the government hospital"), not over a population."""
        facilities, preps = self.words["facility_nouns"], self.words["facility_preps"]
        return any(lemma(p) in facilities for h in (d.tok, d.trig.noun) if h is not None
                   for p in prep_objects(h, preps))

    def _idle_warning(self, d: Draft) -> bool:
        """A forecast about another party, or a warning that names no consequence."""
        return self._warns_of_other(d.tok, d.source) or not self._menacing(d.tok)

    # the event -------------------------------------------------------------------------------

    def build(self, sent: Span, trig: Trigger, *, future: bool = True) -> Event | None:
        steps: list[str] = []
        src_tok, tgt_tok = self.roles(trig, steps)
        truth, cue = factuality_cue(trig.token, trig.noun)
        if cue is not None:
            rule = self.rules.role(cue)
            if rule is None:
                truth = ASSERTED  # the user disabled the rule that made it negated or hypothetical
            else:
                steps.append(rule.id)
        d = Draft(sent, trig, trig.pattern, src_tok, tgt_tok, self._actor(src_tok), self._target_actor(tgt_tok),
                  truth, steps)
        if d.pat.needs == "target" and (d.target is None or not d.target.country):
            return self._drop(trig, "the rule needs a target with a country")
        if not self._post(d, "truth", future):
            return self._drop(trig, f"dropped by {d.steps[-1]}")
        d.report = reporting_clause(d.tok)
        attribution = self._attribution(d.tok, d.report)
        if not self._find_source(d):
            return self._drop(trig, "no source that can be coded")
        if not self._post(d, "source", future):
            return self._drop(trig, f"dropped by {d.steps[-1]}")
        self._find_place(d)
        self._find_scene(d)
        implied = self.rules.role("role.source.implied_agent")
        stateless = self._param(implied, "stateless_sectors") if implied is not None else frozenset()
        if not d.source.country and (not d.source.sector or not d.source.text) and d.source.sector not in stateless:
            return self._drop(trig, "an implied actor with no country")  # "was arrested" needs a country
        if not self._post(d, "actors", future):
            return self._drop(trig, f"dropped by {d.steps[-1]}")
        self._find_target(d)
        return self._event(d, attribution)

    def _find_source(self, d: Draft) -> bool:
        """Who acted, when the parse names no one; False when no one can be named."""
        pat, tok = d.pat, d.tok
        reported = self.rules.role("role.drop.reported_noun")
        if d.source is None and d.report is not None and d.trig.pattern.kind == "noun" and reported is not None:
            return False
        speaker = self._applies("role.source.quote_speaker", pat.event_type)
        if d.source is None and speaker is not None and pat.construction in self._param(speaker, "speaker_constructions"):
            d.source = quote_speaker(tok, self.actors, with_country=False)
            if d.source is not None:
                d.steps.append(speaker.id)
                if not d.source.country:  # the speaker is not where the quotation's words point
                    d.source = with_country(d.source, self._article_country())
        police = self._applies("role.source.implied_police", pat.event_type)
        if police is not None and d.source is None and d.src_tok is None and pat.mode in self._param(police, "modes") \
                and any(c.dep_ in labels(tok).passive_aux for c in tok.children):
            d.source = Actor(text="", sector=police.params["sector"])  # by the police of that country
            d.steps.append(police.id)
        speaker_up = self._applies("role.source.reporter_of_conjunct", pat.event_type)
        if d.source is None and speaker_up is not None and tok.dep_ in labels(tok).conj:
            d.source = self._reporter_above(tok)  # "said the plan aims to ... and urged his counterparts"
            if d.source is not None:
                d.steps.append(speaker_up.id)
        supplier = self.rules.role("role.source.supplier")
        if d.source is None and d.src_tok is not None and supplier is not None:
            # "rocket launchers supplied by the United States have arrived": the supplier
            lab = labels(tok)
            agent = next((p for c in d.src_tok.children if c.dep_ in lab.participle for a in c.children
                          if a.dep_ in lab.agent for p in a.children if p.dep_ in lab.oblique_object), None)
            d.source = self._actor(agent) if agent is not None else None
            if d.source is not None:
                d.steps.append(supplier.id)
        claimant = self._applies("role.source.claimant", pat.event_type)
        if claimant is not None and (d.source is None or not d.source.country):
            claimed = self._claimant(d.sent)
            if claimed is not None:
                d.source = claimed
                d.steps.append(claimant.id)
        unclaimed = self._applies("role.source.unclaimed_attack", pat.event_type)
        if d.source is None and unclaimed is not None and self._unclaimed_attack(tok, d.src_tok, unclaimed):
            d.source = Actor(text="", sector=unclaimed.params["sector"])  # unidentified attackers
            d.steps.append(unclaimed.id)
        implied = self._applies("role.source.implied_agent", pat.event_type)
        only = self._param(implied, "implied_lemmas").get(pat.event_type) if implied is not None else None
        if d.source is None and d.src_tok is None and implied is not None and self._agentless_passive(tok) and (
                pat.event_type not in self._param(implied, "patient_types")
                or self._actor(direct_object(tok)) is not None) and (only is None or lemma(tok) in only):
            sectors = self._param(implied, "implied_sectors")
            sector = sectors.get(lemma(tok)) or sectors[pat.event_type]
            lab = labels(tok)
            # "were deployed", "have been sent": a move told in a past auxiliary; "are deployed in the country" and
            # "soldiers deployed in Niger" tell where forces are
            told_move = any(c.dep_ in lab.passive_aux | lab.aux and c.tag_ in ("VBD", "VBN") for c in tok.children)
            moved = self._actor(direct_object(tok)) if pat.event_type in self._param(implied, "own_forces_types") \
                and lemma(tok) in self._param(implied, "own_forces_verbs") and told_move else None
            if moved is not None and moved.country and moved.sector in self._param(implied, "forces_sectors"):
                d.source = moved  # "the base where American troops are stationed": the US stations its troops
            else:
                d.source = Actor(text="", sector=sector)  # whoever arrests, convicts, kidnaps there
            d.steps.append(implied.id)
        coup_nouns = (self.rules.param(implied, "implied_noun_sectors") or {}) if implied is not None else {}
        if d.source is None and d.src_tok is None and pat.kind == "noun" and coup_nouns:
            # "le coup d'État au Niger", "après le putsch": soldiers of the country it happens in
            key = next((n for n in (*named_complements(tok), lemma(tok)) if n in coup_nouns), None)
            if key is not None:
                d.source = Actor(text="", sector=coup_nouns[key])
                d.steps.append(implied.id)
        crowd = self._applies("role.source.crowd", pat.event_type)
        if d.source is None and d.src_tok is None and crowd is not None and pat.kind == "noun" \
                and lemma(tok) in self._param(crowd, "nouns"):
            d.source = Actor(text="", sector=crowd.params["sector"])  # "as protests spread": people of that country
            d.steps.append(crowd.id)
        return d.source is not None

    def _find_place(self, d: Draft) -> None:
        """Where it happened, and the country that actors known only by sector belong to."""
        pat, sent = d.pat, d.sent
        exclude: set[int] = set()
        if d.src_tok is not None:
            exclude |= {t.i for t in noun_phrase(d.src_tok)}
            for c in d.src_tok.conjuncts:
                exclude |= {t.i for t in noun_phrase(c)}
        rule = self.rules.role("role.place.not_target")
        if rule is not None and d.tgt_tok is not None and d.target is not None and self._actor(d.tgt_tok) is not None \
                and not self._mutual(pat, d.tok, d.source) and (
                pat.event_type not in MATERIAL_TYPES or pat.event_type in rule.params["transfer_types"]):
            # a target or a receiving country is not where it happens ("delivered missiles to Russia")
            exclude |= {t.i for t in noun_phrase(d.tgt_tok)}
        if d.report is not None:
            exclude |= {t.i for t in d.report.subtree if not any(t.i == x.i for x in d.tok.subtree)}
        dateline_rule = self.rules.role("role.place.announced_at_dateline")
        if d.announced and dateline_rule is not None:
            d.place = self.dateline
            d.steps.append(dateline_rule.id)
        else:
            d.place = self.location(d.trig, sent, exclude)
        receiving = self._applies("role.target.receiving_country", pat.event_type)
        if receiving is not None and d.place is not None and d.place.feature == COUNTRY_LEVEL and d.place is not self.dateline:
            # "tanks have arrived in Ukraine": the country is the receiver, not a place
            if d.target is None and d.place.country and d.place.country not in d.source.countries:
                d.target = _place_actor(d.place)
                d.steps.append(receiving.id)
            d.place = self.dateline
        local = self.rules.role("role.actor.place_country")
        if local is None:
            return
        # actors known only by sector ("police", "protesters") belong to the country where this happens,
        # or, failing a place for the event, to the first place the sentence names
        here = d.place.country if d.place is not None else next(
            (self.places[t.i].country for t in sent if t.i in self.places and t.i not in exclude), None)
        if not here and not (d.source.country and (d.target is None or d.target.country)):
            here = self._sentence_country(sent)
        step = local.id
        article = self.rules.role("role.actor.article_country")
        if not here and article is not None and not (d.source.country and (d.target is None or d.target.country)):
            # failing a place or a country in the sentence: the dateline's country, else the article's main one
            here = self._article_country()
            step = article.id
        if here:
            source, target = with_country(d.source, here), with_country(d.target, here)
            if source != d.source or target != d.target:
                d.steps.append(step)
            d.source, d.target = source, target

    def _reporter_above(self, tok: Token) -> Actor | None:
        """The speaker of the reporting verb that a conjunct's clause hangs below, when the subject the conjunct
        inherits names no actor: the parser often joins "and urged X" to the reported clause, not to "said"."""
        for verb in tok.ancestors:
            if lemma(verb) in self.words["reporting_verbs"]:
                found = self._speaker(verb)
                return found if found is not None and found.country else None
        return None

    def _speaker(self, verb: Token) -> Actor | None:
        """The actor the subject of a reporting verb names."""
        subj = next((c for c in verb.children if c.dep_ in labels(verb).subject), None)
        return self._actor(subj) if subj is not None else None

    def _find_scene(self, d: Draft) -> None:
        """An act of force with no place of its own happens where the report just was (role.place.recent_scene);
        read after the parties have their countries, which it never changes."""
        scene = self._applies("role.place.recent_scene", d.pat.event_type)
        if scene is not None and (d.place is None or d.place is self.dateline):
            recent = self._recent_place(d.sent, d, int(self._param(scene, "sentences_back")))
            if recent is not None:
                d.place = recent
                d.steps.append(scene.id)

    def _recent_place(self, sent: Span, d: Draft, back: int) -> Place | None:
        """The last place named in the sentences just before, when it lies in the country of one of the
        event's parties: the scene the report goes on describing ("Rebels attacked villages near Bocaranga. ...
        Troops were deployed to the villages")."""
        countries = {c for a in (d.source, d.target) if a is not None for c in a.countries}
        start = sent.start
        for _ in range(back):
            if start == 0:
                break
            prev = self.doc[start - 1].sent
            named = [self.places[t.i] for t in prev if t.i in self.places]
            named = [p for p in named if p.feature != COUNTRY_LEVEL and p.country in countries]
            if named:
                return named[-1]
            start = prev.start
        return None

    def _article_country(self) -> str | None:
        """The dateline's country, else the article's most salient state (role.actor.article_country)."""
        return (self.dateline.country if self.dateline is not None else None) or self._top_state()

    def _top_state(self) -> str | None:
        """The state the article names most (an IGO is no one's country)."""
        return next((c for c, _n in self.salience.most_common() if c not in self.actors.lex.igo_codes), None)

    def _find_target(self, d: Draft) -> None:
        """The target, when the parse names none, in a fixed order of role rules."""
        pat, tok, source, place = d.pat, d.tok, d.source, d.place
        own = self._applies("role.target.own_forces", d.trig.pattern.event_type)
        if own is not None and d.target is not None and (
                d.target.countries == source.countries or (not d.target.country and d.target.sector == "MIL")):
            d.target = None  # "put its nuclear forces on alert", "pulled its troops out": the actor's own
            d.steps.append(own.id)
        for name, finder in (("role.target.clause_party", self._clause_party),
                             ("role.target.complement", self._complement_target)):
            rule = self._applies(name, pat.event_type)
            if d.target is None and rule is not None:
                d.target = finder(tok, source, rule)
                if d.target is not None:
                    d.steps.append(rule.id)
        from_place = d.tgt_tok is not None and self._actor(d.tgt_tok) is None
        mutual = self.rules.role("role.target.mutual")
        if (d.target is None or from_place) and mutual is not None and self._mutual(pat, tok, source):
            # "Saudi Arabia and Iran agreed", "Russian and Georgian forces fought": each party is the other's target
            others = source.members[1:]
            d.target = others[0] if len(others) == 1 else replace(others[0], members=tuple(others))
            d.steps.append(mutual.id)
        at_place = self._applies("role.target.place_country", pat.event_type)
        if d.target is None and at_place is not None and place is not None and place.country \
                and (place.country not in source.countries or d.tgt_tok is not None or pat.kind == "noun"):
            # "warplanes bombed a camp in Pakistan": the country where force is used is on the receiving end
            d.target = _place_actor(place)
            d.steps.append(at_place.id)
        domestic = self._applies("role.target.domestic", pat.event_type)
        if d.target is None and domestic is not None and source.country and len(source.members) <= 1 \
                and (d.tgt_tok is not None or pat.event_type in domestic.params["crowd_types"] or d.trig.noun is not None):
            # "pardoned 110 politicians", "protesters rallied in Tbilisi", "declared a state of emergency":
            # the country where it happens, else the actor's own
            country = place.country if place is not None and place.country else source.country
            crowd = pat.event_type in domestic.params["crowd_types"]
            sector = "GOV" if crowd else None
            d.target = Actor(text="", name=None, country=country, sector=sector, code=actor_code(country, sector))
            d.steps.append(domestic.id)
        other = self._applies("role.target.implicit_other", pat.event_type)
        if d.target is None and other is not None and source.country:
            # forces arriving or leaving: the country where it happens; otherwise the article's other party
            here = place.country if place is not None and pat.event_type in other.params["place_types"] else None
            party = here if here and here not in source.countries else self._salient_other(set(source.countries))
            if party and not here and self._domestic_story(source.country, party, other):
                party = source.country  # a Guatemalan court's critics in a Guatemalan story: Guatemala's own affair
            if party and not here and place is not None and party == place.country \
                    and source.country in self.actors.lex.igo_codes and pat.event_type in other.params["summit_types"]:
                # "réunis à Abuja, les dirigeants de la CEDEAO": the host of a summit is no party to it; the members
                # meet each other
                party = source.country
            if party and pat.mode not in self._param(other, "not_modes"):
                d.target = Actor(text="", name=None, country=party, sector=None, code=party)
                d.implicit = True
                d.steps.append(other.id)
        not_self = self.rules.role("role.target.not_self")
        if not_self is not None and d.target is not None and source.country \
                and d.target.countries == source.countries and d.target.text and d.target.text == source.text:
            d.target = None
            d.steps.append(not_self.id)

    def _event(self, d: Draft, attribution: Actor | None) -> Event:
        pat, tok, sent, source, target = d.pat, d.tok, d.sent, d.source, d.target
        also = [d.report] if d.report is not None else []
        resolved = date_for_event(sent, tok, self.published, self.previous_date, also)
        if resolved is None and self.published is not None:
            resolved = ResolvedDate(self.published.isoformat(), "", PUBLISHED)
        info = cameo_info(pat.cameo)
        trigger_words = sorted(d.trig.words or (tok,), key=lambda t: t.i)
        sentence = span_text(sent).rstrip()  # the blank line after a paragraph is not part of the evidence
        evidence = Evidence(
            sentence=sentence, start=sent.start_char, end=sent.start_char + len(sentence),
            trigger=" ".join(t.text for t in trigger_words),
            trigger_start=trigger_words[0].idx, trigger_end=trigger_words[-1].idx + len(trigger_words[-1].text),
            rule=d.trig.pattern.id, steps=tuple(d.steps),
        )
        confidence = 0.45
        confidence += 0.2 if source.country else 0.0
        confidence += 0.15 if target is not None and target.country and not d.implicit else 0.0
        confidence += 0.1 if pat.kind != "noun" else 0.0
        confidence += 0.05 if resolved is not None and resolved.precision != PUBLISHED else 0.0
        confidence -= 0.1 if d.implicit else 0.0
        confidence -= 0.2 if any(s.startswith("fact.reported_conditional.") for s in d.steps) else 0.0
        return Event(
            event_id=_event_id(self.doc_id, tok.idx, pat.event_type),
            doc_id=self.doc_id,
            event_type=pat.event_type,
            mode=pat.mode,
            context=info.get("plover_context"),
            cameo=pat.cameo,
            quad_class=int(info["quad_class"]),
            goldstein=float(info["goldstein"]),
            source=source,
            target=target,
            date=resolved.iso if resolved else None,
            date_text=(resolved.text or None) if resolved else None,
            date_precision=resolved.precision if resolved else None,
            location=self._reported_place(d),
            factuality=d.truth,
            attribution=attribution,
            quantities=tuple(sentence_quantities(sent)),
            evidence=evidence,
            lang=self.doc.lang_,
            confidence=round(min(confidence, 0.95), 2),
        )

    def _reported_place(self, d: Draft) -> Place | None:
        """The event's place as the record gives it: a place only where the text names one. The dateline stands
        in for a missing place while the parties are coded (whose police, which country), but is reported only
        for an announcement made there (role.place.announced_at_dateline): a story datelined KINSHASA does not
        put every act it tells in Kinshasa."""
        if d.place is not None and d.place is self.dateline and not any(
                s.startswith("role.place.announced_at_dateline.") for s in d.steps):
            return None
        return d.place

    def _claimant(self, sent: Span) -> Actor | None:
        claims, objects = self.words["claim_verbs"], self.words["claim_objects"]
        for t in sent:
            if lemma(t) not in claims:
                continue
            lab = labels(t)
            agent = next((p for a in t.children if a.dep_ in lab.agent for p in a.children
                          if p.dep_ in lab.oblique_object), None)
            subj = next((c for c in t.children if c.dep_ in lab.subject), None)
            if agent is None and subj is not None and any(c.dep_ in lab.object and lemma(c) in objects
                                                          for c in t.children):
                agent = subj
            actor = self._actor(agent) if agent is not None else None
            if actor is not None and actor.country:
                return actor
        return None

    def _agentless_passive(self, tok: Token) -> bool:
        """"was arrested", "the girls kidnapped from their school": a passive verb, or a participle that
        qualifies a noun, with no agent named."""
        lab = labels(tok)
        if tok.pos_ != "VERB" or any(c.dep_ in lab.agent for c in tok.children):
            return False
        rule = self.rules.role("role.source.implied_agent")
        cur = tok
        while cur.dep_ in lab.clause and cur.head.i != cur.i:
            cur = cur.head  # "raids in which it said 20 people were killed"
        if cur.dep_ in lab.relcl and cur.head.i in self._trigger_heads:
            return False  # "two air raids in which 20 people were killed": the raids' own toll, no act of its own
        tolls = self._param(rule, "toll_nouns")
        if any(p.dep_ in lab.oblique_object and (p.i in self._trigger_heads or lemma(p) in tolls or p.lower_ in tolls)
               for c in tok.children if c.dep_ in lab.oblique and c.lower_ in self._param(rule, "toll_preps")
               for p in c.children):
            return False  # "killed in the crash", "killed in ethnic riots": the toll of another happening
        if any(c.dep_ in lab.passive_aux for c in tok.children) or stative_passive(tok):
            return True
        # "a journalist arrested over his interviews"; not "the curfew imposed in Sudan", a thing's description
        return tok.dep_ in lab.participle and tok.tag_ == "VBN" and self._actor(tok.head) is not None \
            and not any(c.dep_ in lab.object for c in tok.children)  # an object: a misread active verb

    def _unclaimed_attack(self, tok: Token, src_tok: Token | None, rule: RoleRule) -> bool:
        """"A roadside bombing killed...", "were killed by an explosive device", "killed in a car bomb explosion":
        an attack nobody is named for, by whoever holds the ground where it happened."""
        weapons = self._param(rule, "weapons")
        if src_tok is not None:
            return lemma(src_tok) in weapons
        lab = labels(tok)
        if not any(c.dep_ in lab.passive_aux for c in tok.children):
            return False
        if any(c.dep_ in lab.passive_subject and lemma(c) in weapons for c in tok.children):
            return True  # "a grenade was hurled at a police station"
        means = self.words["attack_means_preps"]
        return any(prep.dep_ in lab.oblique | lab.agent and prep.lower_ in means
                   and any(p.dep_ in lab.oblique_object and lemma(p) in weapons for p in prep.children)
                   for prep in tok.children)

    def _warns_of_other(self, tok: Token, source: Actor) -> bool:
        """Whether the warned clause has an agent of its own, another party than the one warning."""
        lab = labels(tok)
        for child in tok.children:
            if child.dep_ not in lab.clause:
                continue
            subj = next((c for c in child.children if c.dep_ in lab.subject), None)
            actor = self._actor(subj) if subj is not None else None
            if actor is not None and actor.sector and actor.country and actor.country not in source.countries \
                    and subj.lower_ not in self.words["party_pronouns"]:
                return True
        return False

    def _menacing(self, warn: Token) -> bool:
        """Whether a warning carries a threat: something that will or would follow, or a consequence named."""
        lab = labels(warn)
        if any(c.dep_ in lab.object for c in warn.children):
            return True  # "warned Hezbollah that ...", "warned the West"
        modals, consequences = self.words["future_modals"], self.words["consequence_words"]
        for clause in (c for c in warn.children if c.dep_ in lab.clause | lab.complement | lab.oblique):
            for t in clause.subtree:
                if (t.dep_ in lab.aux | lab.passive_aux and t.lower_ in modals) \
                        or lemma(t) in consequences or t.lower_ in consequences:
                    return True
                if t.pos_ in ("VERB", "AUX") and (future_tense(t) or conditional_mood(t)):
                    return True  # "a averti que toute attaque signifierait la guerre": the inflection says would
        return False

    def _clause_party(self, tok: Token, source: Actor, rule: RoleRule) -> Actor | None:
        """"warned that any move towards Taiwan independence means war": the other party the warning names."""
        lab = labels(tok)
        for child in tok.children:
            if child.dep_ not in lab.clause | lab.complement:
                continue
            for t in child.subtree:
                actor = self.actors.mentions.get(t.i)
                if actor is None:
                    continue
                entry = actor.best(self.published)
                if entry.country and entry.country not in source.countries:
                    return Actor(text=t.text, name=entry.name, country=entry.country, sector=entry.sector,
                                 code=actor_code(entry.country, entry.sector))
        return None

    def _complement_target(self, tok: Token, source: Actor, rule: RoleRule) -> Actor | None:
        """"refused to hand over bin Laden to the United States": the party the refused act was for."""
        lab = labels(tok)
        for child in tok.children:
            if child.dep_ not in lab.complement:
                continue
            for obj in [*prep_objects(child, self._param(rule, "preps")), direct_object(child)]:
                if obj is None:
                    continue
                actor = self._target_actor(obj)
                if actor is not None and actor.country and actor.country not in source.countries:
                    return actor
        return None

    def _mutual(self, pat: Pattern, tok: Token, source: Actor) -> bool:
        """Parties acting together are each other's target ("Saudi Arabia and Iran agreed", "X and Y signed")."""
        rule = self.rules.role("role.target.mutual")
        if rule is None or len(source.members) <= 1:
            return False
        return pat.event_type in rule.types or lemma(tok) in self._param(rule, "verbs") \
            or pat.mode in rule.params["modes"] or pat.cameo in rule.params["cameos"]

    def _sentence_country(self, sent: Span) -> str | None:
        """The one country the sentence's actors belong to ("Kenyan President Ruto ... protesters"), if only one."""
        countries = {e.country for i, m in self.actors.mentions.items() if sent.start <= i < sent.end
                     for e in [m.best(self.published)] if e.country and e.kind != "igo"}
        return next(iter(countries)) if len(countries) == 1 else None

    def _domestic_story(self, own: str, other: str, rule: RoleRule) -> bool:
        """The article is about the source's own country: it is the most named, and the next one far behind."""
        counts = self.salience
        return self._top_state() == own and counts[other] < counts[own] * self._param(rule, "domestic_ratio")

    def _salient_other(self, exclude: set[str]) -> str | None:
        """The article's most-named country or IGO besides these; an NGO is no one's implied party."""
        for country, _n in self.salience.most_common():
            if country not in exclude and country not in self.actors.lex.ngo_codes:
                return country
        return None

    def _attribution(self, tok: Token, report: Token | None) -> Actor | None:
        who = None
        if report is not None:
            who = next((c for c in report.children if c.dep_ in labels(tok).subject), None)
        if who is None:
            who = according_to(tok)
        if who is None:
            return None
        actor = code_actor(who, self.actors)
        text = " ".join(t.text for t in noun_phrase(who)) if actor is None else actor.text
        cited = citing(report) if report is not None else None
        if cited is not None:
            cited_actor = code_actor(cited, self.actors)
            cited_text = self.doc[cited.left_edge.i : cited.i + 1].text
            base = actor or Actor(text=text)
            if cited_actor is not None and not base.country:
                return replace(cited_actor, text=f"{text}, citing {cited_text}")
            return replace(base, text=f"{text}, citing {cited_text}")
        return actor or Actor(text=text)

    def _headline_case(self, sent: Span, rule: RoleRule) -> bool:
        """A Title Case Headline parses badly and repeats the lead sentence: it is not read for events.

        A sentence crowded with names ("Chinese President Xi Jinping welcomed Russian President Vladimir Putin")
        is not a headline: a headline capitalises its verbs and common nouns too.
        """
        words_ = [t for t in sent if t.is_alpha and len(t) > 3]
        if len(words_) < rule.params["min_words"] \
                or sum(1 for t in words_ if t.text[0].isupper()) / len(words_) < rule.params["min_capitalised"]:
            return False
        small = self.words["headline_lower"]
        return not any(t.text[0].islower() and t.lower_ not in small for t in words_)

    def _politically_coded(self, actor: Actor | None) -> bool:
        """In sport copy only actors named by an agent word, title, group or IGO count, not a bare country."""
        if actor is None or actor.sector not in self.sport.params["political_sectors"] or not actor.text:
            return False  # an implied actor ("have been charged") is no political actor named in sport copy
        if actor.text.lower() in self.words["sport_pronouns"]:
            return False  # "they", "he": whoever the rules reached back to, in sport copy it is a team or a player
        text = actor.text.removesuffix("'s").removesuffix("’s").strip()
        return text not in self.actors.lex.country_names and actor.sector != "CVL"


PREDICATES = {
    "ultimatum": DocExtractor._ultimatum,
    "announced_future": lambda self, d: announced_future(d.tok),
    "joint": DocExtractor._joint,
    "idle_warning": DocExtractor._idle_warning,
    "at_facility": DocExtractor._at_facility,
    "or_face": DocExtractor._or_face,
}
"""The named tests post-rules may use in ``when: {predicate: NAME}``."""


def _place_actor(place: Place) -> Actor:
    """The country a place stands for, as a party ("a camp in Pakistan" -> PAK)."""
    return Actor(text=place.text, name=place.name, country=place.country, code=place.country)


def _same_happening(a: Event, b: Event) -> bool:
    """Two triggers of one sentence that tell the same act by the same actor to the same party."""
    if a.event_type != b.event_type or a.factuality != b.factuality or a.source.countries != b.source.countries:
        return False
    ta = a.target.countries if a.target is not None else ()
    tb = b.target.countries if b.target is not None else ()
    return ta == tb or not ta or not tb


def _told_again(a: Event, b: Event) -> bool:
    """A meeting or visit the next sentence tells again: same day, same parties, either way round."""
    if a.event_type != "CONSULT" or b.event_type != "CONSULT" or a.target is None \
            or (a.date != b.date and a.date_precision != PUBLISHED) \
            or b.target is None or a.factuality != ASSERTED or b.factuality != ASSERTED:
        return False
    pa, pb = set(a.source.countries) | set(a.target.countries), set(b.source.countries) | set(b.target.countries)
    return pa == pb


def extract_doc(doc: Doc, doc_id: str, published: date | None, rules: RuleSet | None = None) -> list[Event]:
    """All events of one parsed article."""
    return DocExtractor(doc, doc_id, published, rules).run()

