"""Assembles events: trigger -> type and code, then roles, date, place, factuality, attribution.

Type first, then roles (the NGEC lesson): each trigger found in a sentence is given its source and
target along the dependency paths from it, then the date, the place, what is known of its truth and
who reported it. An event with no actor that can be coded is dropped: it tells an analyst nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Event, Evidence, Place
from ..ontology import cameo_info
from .actors import ActorContext, code_actor, noun_phrase, with_country
from .dates import ResolvedDate, date_for_event, find_expressions, resolve_expression
from .factuality import according_to, announced_future, citing, factuality, reporting_clause
from .lexicon import lexicon
from .places import agency_place, dateline_place, event_location, resolve_places
from .quantities import sentence_quantities
from .rules import Pattern, RuleSet, load_rules
from .syntax import direct_object, prep_objects, subject_of
from .triggers import Trigger, find_triggers

SPORT_WORDS = {
    "match", "goal", "striker", "midfielder", "defender", "goalkeeper", "coach", "season", "league", "cup",
    "championship", "tournament", "squad", "fixture", "club", "referee", "stadium", "wicket", "innings",
    "rugby", "football", "tennis", "golf", "athletics", "olympics", "olympic", "medal", "semi-final",
    "quarter-final", "final", "premiership", "champion", "champions", "title", "race", "sprint", "score",
    "scored", "scorer", "penalty", "test", "try", "tries", "game", "games", "player", "players", "team",
    "win", "victory", "defeat", "draw", "seed", "set", "lap", "grand", "prix", "manager", "boss", "fans",
    "bowler", "batsman", "captain", "ball", "pitch", "kick", "winger", "forward", "half-time",
    "opener", "runner", "marathon", "record", "podium", "slam", "open",
    "sevens", "scrum", "scrum-half", "fly-half", "tackle", "skipper", "hat-trick", "semi-finals", "quarter-finals",
    "finals", "fixtures", "midfield", "sprinter", "sprinters", "athlete", "athletes", "iaaf", "fifa", "uefa",
    "wimbledon", "forehand", "backhand", "relay", "hurdles", "teammate", "team-mate", "playmaker", "cricket",
    "boxing", "snooker", "cycling", "rowing", "swimming", "doping", "seeds", "wing", "lions",
}
# words that are sport only in one reading ("set", "open", "record", "team"): they count as half a sport
# word, and only as nouns
WEAK_SPORT_WORDS = {
    "set", "open", "forward", "record", "test", "try", "match", "draw", "title", "team", "game", "games", "final",
    "victory", "win", "defeat", "score", "seed", "manager", "boss", "fans", "captain", "ball", "pitch", "kick",
    "runner", "opener", "race", "sprint", "player", "players", "grand", "league", "season", "lap", "wing", "lions",
    "seeds", "relay", "tackle",
}
POLITICAL_SECTORS = {"GOV", "MIL", "REB", "COP", "IGO", "JUD", "LEG", "SPY", "OPP", "NGO", "REF", "CVL", "MED"}
CLAUSE_TARGET_TYPES = {"REQUEST", "ACCUSE"}
# PLOVER: cooperation, a retreat or a concession announced for the future is AGREE (CAMEO 03x "express intent
# to ..."), a blow announced for the future is THREATEN ("the coder returns the single category that fits")
FUTURE_TYPES = {
    "CONSULT": ("AGREE", "036"), "SUPPORT": ("AGREE", "032"), "COOPERATE": ("AGREE", "031"),
    "AID": ("AGREE", "033"), "RETREAT": ("AGREE", "0356"), "CONCEDE": ("AGREE", "035"), "ASSAULT": ("THREATEN", "138"),
    "COERCE": ("THREATEN", "130"), "SANCTION": ("THREATEN", "130"),
}
ANNOUNCED_CAMEOS = {cameo for _type, cameo in FUTURE_TYPES.values()}
MUTUAL_TYPES = {"AGREE", "CONSULT", "COOPERATE"}
MUTUAL_VERBS = {"fight", "clash", "battle", "skirmish", "meet", "talk", "negotiate", "trade", "exchange", "swap"}
MATERIAL_TARGET_TYPES = {"ASSAULT", "MOBILIZE", "COERCE"}
# acts a government does at home: with no named target, the country where it happens is on the receiving end
DOMESTIC_TYPES = {"COERCE", "CONCEDE", "PROTEST"}
TRANSFER_TYPES = {"AID", "COOPERATE"}
STATIVE_PASSIVES = {"oppose", "commit", "determine", "dedicate", "devote", "resolve"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tonight",
            "yesterday", "weekend", "morning", "evening", "night", "afternoon", "week", "month", "year"}
WEAPON_WORDS = {"bomb", "bombing", "explosion", "blast", "device", "mine", "ied", "landmine", "shell", "rocket",
                "mortar", "grenade", "attack", "ambush", "explosive", "bomber", "gunfire", "shelling", "airstrike"}
LABOUR_SECTORS = {"LAB", "HLH", "EDU", "CVL", "AGR", "BUS", "OPP", "MED"}
PROTEST_NOUNS = {"protest", "demonstration", "riot", "rioting", "unrest", "rally", "strike"}
JOINT_WORDS = {"joint", "combined", "bilateral", "trilateral", "multinational", "allied"}
IMPLICIT_TARGET_TYPES = {"RETREAT", "SANCTION", "AGREE", "MOBILIZE"}
MATERIAL_TYPES = {"ASSAULT", "MOBILIZE", "COERCE", "RETREAT", "AID", "PROTEST", "COOPERATE", "CONSULT"}
SPORT_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "their", "its"}
HEADLINE_LOWER = {"with", "from", "into", "over", "after", "amid", "upon", "than", "that", "this", "onto"}
SPORT_NAMES = {"world", "fa", "davis", "ryder", "australian", "french", "us", "premier", "champions", "europa"}
SPECIFICITY = {"facility": 4, "city": 3, "admin": 2, "region": 2, "disputed": 2, "water": 1, "country": 0}


def _event_id(doc_id: str, trigger_start: int, event_type: str) -> str:
    return hashlib.sha1(f"{doc_id}:{trigger_start}:{event_type}".encode()).hexdigest()[:16]


class DocExtractor:
    """Runs the extraction rules over one parsed article."""

    def __init__(self, doc: Doc, doc_id: str, published: date | None, rules: RuleSet | None = None) -> None:
        self.doc = doc
        self.rules = rules or load_rules(doc.lang_)
        self.doc_id = doc_id
        self.published = published
        self.actors = ActorContext.build(doc, published)
        actor_tokens = {i for i, m in self.actors.mentions.items() if m.best(published).kind in ("person", "group", "igo")}
        countries = Counter(a.country for _, a, _ in self.actors.history if a.country)
        self.salience = countries
        self.places = resolve_places(doc, actor_tokens, set(countries))
        self.dateline = dateline_place(doc, set(countries))
        self.previous_date: date | None = None
        self.sport_article = self._sport_density(doc) > 0.02
        # coding a noun phrase depends only on the token and the article: each is coded once
        self._actors: dict[int, Actor | None] = {}
        self._targets: dict[int, Actor | None] = {}

    @staticmethod
    def _sport_density(doc: Doc | Span) -> float:
        """Sport words per word; 0 when fewer than one clear sport word (a lone "set" or "team" is not sport)."""
        words = [t for t in doc if t.is_alpha]
        if not words:
            return 0.0
        strong = weak = 0
        for t in words:
            low = t.lower_
            if low not in SPORT_WORDS:
                continue
            if t.i > 0 and t.doc[t.i - 1].text == "-":
                continue  # "right-winger", "open-ended"
            if low in WEAK_SPORT_WORDS:
                if t.pos_ == "NOUN" or (t.pos_ == "PROPN" and low in ("open", "grand", "league")
                                        and t.i > 0 and t.doc[t.i - 1].lower_ in SPORT_NAMES):
                    weak += 1
                continue
            strong += 1
        if strong == 0 and weak < 2:
            return 0.0
        return (strong + weak) / len(words)

    def run(self) -> list[Event]:
        events: list[Event] = []
        before: list[Event] = []  # the previous sentence's events
        for sent in self.doc.sents:
            if _headline_case(sent):
                continue
            sport_sentence: bool | None = True if self.sport_article else None  # worked out when first needed
            seen: list[Event] = []
            for trig in find_triggers(sent, self.rules):
                event = self.build(sent, trig)
                if event is None:
                    continue
                if not _politically_coded(event.source):
                    if sport_sentence is None:
                        sport_sentence = self._sport_density(sent) > 0.06
                    if sport_sentence:
                        continue
                if any(_same_happening(event, other) for other in seen):
                    continue  # "putting forces on standby and sending ships": one mobilisation
                if any(_told_again(event, other) for other in before):
                    continue  # "Zelensky arrived in Washington ... He then met Biden": one visit
                seen.append(event)
                events.append(event)
                if event.event_type != trig.pattern.event_type and event.cameo in ANNOUNCED_CAMEOS:
                    # the announcement is the event (AGREE, THREATEN); the announced act stays on record
                    # as what it is, a hypothetical event of its own type
                    act = self.build(sent, trig, future=False)
                    if act is not None:
                        events.append(act)
                if event.date_precision == "day" and event.date:
                    self.previous_date = date.fromisoformat(event.date)
            if seen:
                before = seen
            self._note_dates(sent)
        return events

    def _note_dates(self, sent: Span) -> None:
        """A date named in a sentence anchors 'the following week' in the next ones."""
        if self.published is None:
            return
        for _s, _e, kind, m in find_expressions(sent.text):
            if kind in ("following", "year", "month", "relative_period"):
                continue
            rd = resolve_expression(kind, m, self.published, "past", self.previous_date)
            if rd is not None and rd.precision == "day":
                self.previous_date = rd.as_date

    # roles -----------------------------------------------------------------------------------

    def roles(self, trig: Trigger) -> tuple[Token | None, Token | None]:
        tok = trig.token
        if trig.target is not None:
            return subject_of(tok), trig.target
        if trig.pattern.kind == "noun":
            src = None
            for child in tok.children:
                if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                    src = next((c for c in child.children if c.dep_ == "pobj"), src)
            hosts = [tok] + ([tok.head] if tok.dep_ == "nsubj" else [])  # "fighting broke out ... between"
            between = [c for h in hosts for p in h.children if p.dep_ == "prep" and p.lower_ == "between"
                       for c in p.children if c.dep_ == "pobj"]
            if src is None and between:
                # "fighting between Sudan's army and the RSF", "between the army and opposition forces"
                pair = next(([t, t.conjuncts[0]] for t in between[0].subtree if t.conjuncts and t.dep_ != "conj"), None)
                if pair is not None:
                    return pair[0], pair[1]
            if src is None:
                for child in tok.children:
                    if child.dep_ in ("poss", "amod", "compound", "nmod") and child not in trig.words and (
                            self.actors.mentions.get(child.i) or code_actor(child, self.actors) is not None):
                        src = child
                        break
            if src is None and tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in ("at", "during", "in") \
                    and tok.head.head.pos_ in ("VERB", "AUX"):
                # "agreed at their first direct talks", "pledged aid during a visit to Kyiv": the verb's subject
                src = subject_of(tok.head.head)
            preps = trig.pattern.preps or self.rules.word("default_target_preps")
            material = trig.pattern.event_type in ("ASSAULT", "COERCE")
            extra = ("of", "in") if material else ("to",)  # "an invasion of Ukraine", "a visit to Kyiv"
            candidates = prep_objects(tok, (*preps, *extra))
            for comp in tok.children:  # "his threat to expel the ambassadors of the US"
                if comp.dep_ in ("acl", "xcomp") and comp.pos_ == "VERB":
                    candidates += [o for o in [direct_object(comp)] if o is not None]
            tgt = self._pick_target(candidates)
            if (tgt is None or self._target_actor(tgt) is None) and trig.pattern.needs == "actor" \
                    and tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB":
                # "NATO turned down Ukraine's appeal": the appeal was made to whoever turned it down
                tgt = subject_of(tok.head) or tgt
            return src, tgt
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        if passive:
            src = None
            for child in tok.children:
                if child.dep_ == "agent":
                    src = next((c for c in child.children if c.dep_ == "pobj"), None)
            tgt = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if trig.noun is not None and tgt is not None and tgt.i == trig.noun.i:
                tgt = None
            if src is None and tok.lemma_.lower() in STATIVE_PASSIVES:
                # "Israel is opposed to French mediation": a stance, its holder is the subject
                src = tgt or next((c for h in (tok, *(a for a in tok.children if a.dep_ == "auxpass"))
                                   for c in h.children if c.dep_ == "nsubj"), None)
                tgt = next(iter(prep_objects(tok, ("to",))), None)
        else:
            src = subject_of(tok)
            tgt = direct_object(tok)
            if trig.noun is not None and tgt is not None and tgt.i == trig.noun.i:
                tgt = None
        candidates = [tgt] if tgt is not None else []
        for child in tok.children:
            if child.dep_ == "dative":
                candidates.append(next((c for c in child.children if c.dep_ == "pobj"), child))
        preps = trig.pattern.preps or self.rules.word("default_target_preps")
        if trig.pattern.event_type in TRANSFER_TYPES:
            # "delivered missiles to Russia", "extradited X to the US": the receiver, not the thing handed over
            candidates = prep_objects(tok, ("to", "into")) + candidates
        candidates += prep_objects(tok, preps)
        if trig.noun is not None:
            extra = ("of",) if trig.pattern.event_type in ("ASSAULT", "COERCE") else ()
            candidates += prep_objects(trig.noun, (*preps, *extra, "to", "for", "into"))
        tgt = self._pick_target(candidates, visit=trig.pattern.cameo in ("042", "043"))
        if tgt is None and trig.pattern.event_type in CLAUSE_TARGET_TYPES:
            # "demanded that the government resign": the one asked to act is the clause's subject
            for child in tok.children:
                if child.dep_ == "ccomp":
                    tgt = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    if tgt is not None and tgt.pos_ == "PRON" and tgt.lower_ not in ("it", "they", "he", "she"):
                        tgt = None
                    break
        return src, tgt

    def _pick_target(self, candidates: list[Token], *, visit: bool = False) -> Token | None:
        """The first candidate that names an actor or a place; else the first that is not a date."""
        candidates = [c for c in candidates if c.ent_type_ not in ("DATE", "TIME") and c.lower_ not in WEEKDAYS
                      # "freed them at Ankara airport", "signed at the White House": a venue, not a party;
                      # but the place of a visit is its host ("arrived in Amman")
                      and (visit or not (c.dep_ == "pobj" and c.head.lower_ in ("at", "in") and c.i in self.places))]
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
        if actor is not None and actor.country and tok.lower_ not in ("it", "they", "them"):
            # "recalled its ambassadors to the US", "ordered its envoys in Ireland home": where they are
            own = any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her") for c in tok.children)
            if own:
                for obj in prep_objects(tok, ("to", "in", "from")):
                    inner = self._actor(obj)
                    if inner is not None and inner.country and inner.country != actor.country:
                        return inner
        if actor is not None:
            # "their Nigerien counterparts", "ties with the US": the qualifier decides
            if actor.country is None:
                for obj in prep_objects(tok, ("with", "of", "to", "in")):
                    inner = self._actor(obj)
                    if inner is not None and inner.country:
                        return inner
            return actor
        for obj in prep_objects(tok, ("with", "between", "to", "from")):
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
        words = tuple(trig.words) + ((trig.noun,) if trig.noun is not None else ())
        if trig.pattern.kind == "noun" and trig.token.dep_ == "nsubj" and trig.token.head.pos_ == "VERB":
            words += (trig.token.head,)  # "fighting erupted in Khartoum": the place hangs off the verb
        report = reporting_clause(trig.token)
        if report is not None:
            # the attachment rules never reach into the reporting clause; what it excludes beyond that is
            # the clause the event may take its place from ("..., killing 45 people, officials said")
            reporter = {t.i for c in report.children if c.dep_ in ("nsubj", "nsubjpass", "agent") for t in c.subtree}
            exclude = exclude - ({t.i for t in report.subtree} - reporter)
        place = event_location(self.doc, self.places, trig.token, words, trig.pattern.event_type, exclude)
        if place is not None and place.feature == "country" and self.dateline is not None \
                and self.dateline.country == place.country and self.dateline.feature != "country":
            return self.dateline  # "a base in Niger", datelined NIAMEY: the dateline city is the closer guess
        if place is not None:
            return place
        return agency_place(self.doc, self.places, exclude & {t.i for t in sent}) or self.dateline

    # the event -------------------------------------------------------------------------------

    def build(self, sent: Span, trig: Trigger, *, future: bool = True) -> Event | None:
        pat = trig.pattern
        steps: list[str] = []
        src_tok, tgt_tok = self.roles(trig)
        source = self._actor(src_tok)
        target = self._target_actor(tgt_tok)
        tok = trig.token
        truth = factuality(tok, trig.noun)
        if pat.needs == "negation" and truth == "negated":
            truth = "asserted"  # "will not accept": the refusal itself is the event
        if pat.needs == "target" and (target is None or not target.country):
            return None
        announced = False
        if future and truth == "hypothetical" and pat.event_type in CONDITIONAL_THREAT_TYPES and _ultimatum(tok):
            pat = replace(pat, event_type="THREATEN", cameo="130", mode=None)
            truth, announced = "asserted", True
        elif future and truth == "hypothetical" and pat.event_type in FUTURE_TYPES and announced_future(tok):
            new_type, new_cameo = FUTURE_TYPES[pat.event_type]
            pat = replace(pat, event_type=new_type, cameo=new_cameo, mode=None)
            truth, announced = "asserted", True
        report = reporting_clause(tok)
        attribution = self._attribution(tok, report)
        if source is None and report is not None and trig.pattern.kind == "noun":
            return None
        if source is None and src_tok is None and pat.event_type == "COERCE" and pat.mode == "arrest" \
                and any(c.dep_ == "auxpass" for c in tok.children):
            source = Actor(text="", sector="COP")  # "was arrested at the airport": by the police of that country
        if source is None and src_tok is not None:
            # "rocket launchers supplied by the United States have arrived": the supplier
            agent = next((p for c in src_tok.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"
                          for p in a.children if p.dep_ == "pobj"), None)
            source = self._actor(agent) if agent is not None else None
        if pat.event_type == "ASSAULT" and (source is None or not source.country):
            # "... in an attack claimed by Yemen's Houthi movement", "X claimed responsibility"
            source = self._claimant(sent) or source
        if source is None and pat.event_type == "ASSAULT" and self._unclaimed_attack(tok, src_tok):
            source = Actor(text="", sector="UAF")  # "a roadside bomb killed three soldiers": unidentified attackers
        if source is None and src_tok is None and pat.event_type == "PROTEST" and pat.kind == "noun" \
                and tok.lemma_.lower() in PROTEST_NOUNS:
            source = Actor(text="", sector="CVL")  # "as protests spread": people of that country
        if source is None:
            return None
        if pat.event_type == "THREATEN" and tok.lemma_.lower() in ("warn", "caution", "predict") \
                and (self._warns_of_other(tok, source) or not _menacing(tok)):
            # "Israel may strike Iran, US officials warned": a forecast about another party, no threat;
            # "warned the party was the real challenge": a remark, no threat
            return None
        if pat.event_type == "ASSAULT" and trig.noun is not None and trig.noun.lemma_.lower() == "strike" \
                and source.sector in LABOUR_SECTORS:
            pat = replace(pat, event_type="PROTEST", cameo="143", mode="strike")  # nurses staged a strike
        exclude: set[int] = set()
        if src_tok is not None:
            exclude |= {t.i for t in noun_phrase(src_tok)}
            for c in src_tok.conjuncts:
                exclude |= {t.i for t in noun_phrase(c)}
        if tgt_tok is not None and target is not None and self._actor(tgt_tok) is not None \
                and not _mutual(pat, tok, source) and (
                pat.event_type not in MATERIAL_TYPES or pat.event_type in TRANSFER_TYPES):
            # a target or a receiving country is not where it happens ("delivered missiles to Russia")
            exclude |= {t.i for t in noun_phrase(tgt_tok)}
        if report is not None:
            exclude |= {t.i for t in report.subtree if not any(t.i == x.i for x in tok.subtree)}
        # an announced act ("will meet Putin in Alaska") happens later, somewhere else than the announcement
        place = self.dateline if announced else self.location(trig, sent, exclude)
        if pat.event_type in TRANSFER_TYPES and place is not None and place.feature == "country" \
                and place is not self.dateline:
            # "tanks have arrived in Ukraine": the country is the receiver, not a place
            if target is None and place.country and place.country not in source.countries:
                target = _place_actor(place)
            place = self.dateline
        # actors known only by sector ("police", "protesters") belong to the country where this happens,
        # or, failing a place for the event, to the first place the sentence names
        here = place.country if place is not None else next(
            (self.places[t.i].country for t in sent if t.i in self.places and t.i not in exclude), None)
        if not here and not (source.country and (target is None or target.country)):
            here = self._sentence_country(sent)
        if here:
            source = with_country(source, here)
            target = with_country(target, here)
        if not source.country and (not source.sector or not source.text):
            return None  # an implied actor ("was arrested") needs a country to be anyone
        if pat.event_type == "MOBILIZE" and pat.cameo == "152" and trig.noun is not None and (
                len(source.members) > 1 or any(t.lower_ in JOINT_WORDS for t in trig.noun.subtree)):
            # "Russian and Belarusian troops launched joint drills": exercises together are military cooperation
            pat = replace(pat, event_type="COOPERATE", cameo="062", mode=None)
        implicit = False
        if trig.pattern.event_type in ("MOBILIZE", "RETREAT") and target is not None and (
                target.countries == source.countries or (not target.country and target.sector == "MIL")):
            target = None  # "put its nuclear forces on alert", "pulled its troops out": the forces are the actor's own
        if target is None and pat.event_type == "THREATEN":
            target = self._clause_party(tok, source)
        if target is None and pat.event_type in ("REJECT", "AGREE", "THREATEN", "REQUEST"):
            target = self._complement_target(tok, source)
        from_place = tgt_tok is not None and self._actor(tgt_tok) is None
        if (target is None or from_place) and _mutual(pat, tok, source):  # again: joint drills are now COOPERATE
            # "Saudi Arabia and Iran agreed", "Russian and Georgian forces fought": each party is the other's target
            others = source.members[1:]
            target = others[0] if len(others) == 1 else replace(others[0], members=tuple(others))
        if target is None and pat.event_type in MATERIAL_TARGET_TYPES and place is not None and place.country \
                and (place.country not in source.countries or tgt_tok is not None or pat.kind == "noun"):
            # "warplanes bombed a camp in Pakistan": the country where force is used is on the receiving end
            target = _place_actor(place)
        if target is None and pat.event_type in DOMESTIC_TYPES and source.country and len(source.members) <= 1 \
                and (tgt_tok is not None or pat.event_type == "PROTEST" or trig.noun is not None):
            # "pardoned 110 politicians", "protesters rallied in Tbilisi", "declared a state of emergency":
            # the country where it happens, else the actor's own
            country = place.country if place is not None and place.country else source.country
            target = Actor(text="", name=None, country=country, sector="GOV" if pat.event_type == "PROTEST" else None,
                           code=country + ("GOV" if pat.event_type == "PROTEST" else ""))
        if target is None and pat.event_type in IMPLICIT_TARGET_TYPES and source.country:
            # forces arriving or leaving: the country where it happens; otherwise the article's other party
            here = place.country if place is not None and pat.event_type in ("MOBILIZE", "RETREAT") else None
            other = here if here and here not in source.countries else self._salient_other(set(source.countries))
            if other and pat.mode != "resign":
                target = Actor(text="", name=None, country=other, sector=None, code=other)
                implicit = True
        if target is not None and source.country and target.countries == source.countries \
                and target.text == source.text:
            target = None
        also = [report] if report is not None else []
        resolved = date_for_event(sent, tok, self.published, self.previous_date, also)
        if resolved is None and self.published is not None:
            resolved = ResolvedDate(self.published.isoformat(), "", "published")
        info = cameo_info(pat.cameo)
        trigger_words = sorted(trig.words or (tok,), key=lambda t: t.i)
        sentence = sent.text.rstrip()  # the blank line after a paragraph is not part of the evidence
        evidence = Evidence(
            sentence=sentence, start=sent.start_char, end=sent.start_char + len(sentence),
            trigger=" ".join(t.text for t in trigger_words),
            trigger_start=trigger_words[0].idx, trigger_end=trigger_words[-1].idx + len(trigger_words[-1].text),
            rule=trig.pattern.id, steps=tuple(steps),
        )
        confidence = 0.45
        confidence += 0.2 if source.country else 0.0
        confidence += 0.15 if target is not None and target.country and not implicit else 0.0
        confidence += 0.1 if pat.kind != "noun" else 0.0
        confidence += 0.05 if resolved is not None and resolved.precision != "published" else 0.0
        confidence -= 0.1 if implicit else 0.0
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
            location=place,
            factuality=truth,
            attribution=attribution,
            quantities=tuple(sentence_quantities(sent)),
            evidence=evidence,
            confidence=round(min(confidence, 0.95), 2),
        )

    def _claimant(self, sent: Span) -> Actor | None:
        for t in sent:
            if t.lemma_.lower() != "claim":
                continue
            agent = next((p for a in t.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"), None)
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if agent is None and subj is not None and any(c.dep_ == "dobj" and c.lemma_.lower() == "responsibility"
                                                          for c in t.children):
                agent = subj
            actor = self._actor(agent) if agent is not None else None
            if actor is not None and actor.country:
                return actor
        return None

    @staticmethod
    def _unclaimed_attack(tok: Token, src_tok: Token | None) -> bool:
        """"A roadside bombing killed...", "were killed by an explosive device", "killed in a car bomb explosion":
        an attack nobody is named for, by whoever holds the ground where it happened."""
        if src_tok is not None:
            return src_tok.lemma_.lower() in WEAPON_WORDS
        if not any(c.dep_ == "auxpass" for c in tok.children):
            return False
        return any(prep.dep_ in ("prep", "agent") and prep.lower_ in ("in", "by")
                   and any(p.dep_ == "pobj" and p.lemma_.lower() in WEAPON_WORDS for p in prep.children)
                   for prep in tok.children)

    def _warns_of_other(self, tok: Token, source: Actor) -> bool:
        """Whether the warned clause has an agent of its own, another party than the one warning."""
        for child in tok.children:
            if child.dep_ != "ccomp":
                continue
            subj = next((c for c in child.children if c.dep_ == "nsubj"), None)
            actor = self._actor(subj) if subj is not None else None
            if actor is not None and actor.sector and actor.country and actor.country not in source.countries \
                    and subj.lower_ not in ("it", "they", "he", "she", "we"):
                return True
        return False

    def _clause_party(self, tok: Token, source: Actor) -> Actor | None:
        """"warned that any move towards Taiwan independence means war": the other party the warning names."""
        for child in tok.children:
            if child.dep_ not in ("ccomp", "xcomp"):
                continue
            for t in child.subtree:
                actor = self.actors.mentions.get(t.i)
                if actor is None:
                    continue
                entry = actor.best(self.published)
                if entry.country and entry.country not in source.countries:
                    return Actor(text=t.text, name=entry.name, country=entry.country, sector=entry.sector,
                                 code=entry.country + (entry.sector or "") if entry.kind != "igo" else entry.country)
        return None

    def _complement_target(self, tok: Token, source: Actor) -> Actor | None:
        """"refused to hand over bin Laden to the United States": the party the refused act was for."""
        for child in tok.children:
            if child.dep_ != "xcomp":
                continue
            for obj in [*prep_objects(child, ("to", "with", "on", "against", "from")), direct_object(child)]:
                if obj is None:
                    continue
                actor = self._target_actor(obj)
                if actor is not None and actor.country and actor.country not in source.countries:
                    return actor
        return None

    def _sentence_country(self, sent: Span) -> str | None:
        """The one country the sentence's actors belong to ("Kenyan President Ruto ... protesters"), if only one."""
        countries = {e.country for i, m in self.actors.mentions.items() if sent.start <= i < sent.end
                     for e in [m.best(self.published)] if e.country and e.kind != "igo"}
        return next(iter(countries)) if len(countries) == 1 else None

    def _salient_other(self, exclude: set[str]) -> str | None:
        for country, _n in self.salience.most_common():
            if country not in exclude:
                return country
        return None

    def _attribution(self, tok: Token, report: Token | None) -> Actor | None:
        who = None
        if report is not None:
            who = next((c for c in report.children if c.dep_ == "nsubj"), None)
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


def _place_actor(place: Place) -> Actor:
    """The country a place stands for, as a party ("a camp in Pakistan" -> PAK)."""
    return Actor(text=place.text, name=place.name, country=place.country, code=place.country)


def _mutual(pat: Pattern, tok: Token, source: Actor) -> bool:
    """Parties acting together are each other's target ("Saudi Arabia and Iran agreed", "X and Y signed")."""
    return len(source.members) > 1 and (
        pat.event_type in MUTUAL_TYPES or tok.lemma_.lower() in MUTUAL_VERBS or pat.mode == "ceasefire"
        or pat.cameo == "057")


def _same_happening(a: Event, b: Event) -> bool:
    """Two triggers of one sentence that tell the same act by the same actor to the same party."""
    if a.event_type != b.event_type or a.factuality != b.factuality or a.source.countries != b.source.countries:
        return False
    ta = a.target.countries if a.target is not None else ()
    tb = b.target.countries if b.target is not None else ()
    return ta == tb or not ta or not tb


CONSEQUENCE_WORDS = {"war", "force", "consequence", "consequences", "retaliation", "retaliate", "response",
                     "respond", "action", "measure", "measures", "sanction", "sanctions", "price", "fire", "fury",
                     "strike", "attack", "means", "option", "options", "escalation", "cost", "costs"}


def _menacing(warn: Token) -> bool:
    """Whether a warning carries a threat: something that will or would follow, or a consequence named."""
    if any(c.dep_ == "dobj" for c in warn.children):
        return True  # "warned Hezbollah that ...", "warned the West"
    for clause in (c for c in warn.children if c.dep_ in ("ccomp", "xcomp", "prep")):
        for t in clause.subtree:
            if (t.dep_ in ("aux", "auxpass") and t.lower_ in ("will", "would", "could", "might", "may", "'ll", "wo")) \
                    or t.lemma_.lower() in CONSEQUENCE_WORDS or t.lower_ in CONSEQUENCE_WORDS:
                return True
    return False


def _told_again(a: Event, b: Event) -> bool:
    """A meeting or visit the next sentence tells again: same day, same parties, either way round."""
    if a.event_type != "CONSULT" or b.event_type != "CONSULT" or a.target is None \
            or (a.date != b.date and a.date_precision != "published") \
            or b.target is None or a.factuality != "asserted" or b.factuality != "asserted":
        return False
    pa, pb = set(a.source.countries) | set(a.target.countries), set(b.source.countries) | set(b.target.countries)
    return pa == pb


CONDITIONAL_THREAT_TYPES = {"RETREAT", "SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "REJECT"}


def _ultimatum(tok: Token) -> bool:
    """"will withdraw its force unless X holds elections": an act announced on a condition the other side must meet."""
    if not any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("will", "would", "'ll", "shall") for c in tok.children):
        return False
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in tok.children)


def _headline_case(sent: Span) -> bool:
    """A Title Case Headline parses badly and repeats the lead sentence: it is not read for events.

    A sentence crowded with names ("Chinese President Xi Jinping welcomed Russian President Vladimir Putin")
    is not a headline: a headline capitalises its verbs and common nouns too.
    """
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    if len(words) < 4 or sum(1 for t in words if t.text[0].isupper()) / len(words) < 0.7:
        return False
    lower = [t for t in words if t.text[0].islower() and t.lower_ not in HEADLINE_LOWER]
    return len(lower) == 0


def _politically_coded(actor: Actor | None) -> bool:
    """In sport copy only actors named by an agent word, title, group or IGO count, not a bare country."""
    if actor is None or actor.sector not in POLITICAL_SECTORS:
        return False
    if actor.text.lower() in SPORT_PRONOUNS:
        return False  # "they", "he": whoever the rules reached back to, in sport copy it is a team or a player
    text = actor.text.removesuffix("'s").removesuffix("’s").strip()
    return text not in lexicon().country_names and actor.sector != "CVL"


def extract_doc(doc: Doc, doc_id: str, published: date | None, rules: RuleSet | None = None) -> list[Event]:
    """All events of one parsed article."""
    return DocExtractor(doc, doc_id, published, rules).run()


