"""Dates of events, resolved against the publication date and the tense of the verb.

News writes "on Thursday", "last month", "in March", "on April 19": each means a calendar date only
relative to when the article was published and whether the verb looks back or forward. dateparser
resolves weekdays wrongly for news (a "Thursday" written on a Thursday), so these rules decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum, auto
from functools import cache, lru_cache

import yaml
from spacy.tokens import Span, Token

from ..model import DAY, MONTH, YEAR
from .rules import packaged_files
from .syntax import covering_span, governing_verb, lang_maps, lang_words, span_text, words

# The words (month and weekday names, "last"/"next", "ago", units, tense auxiliaries) are per-language data in
# ``rules/<lang>/words/dates.yaml``; the patterns below are built from them once per language.

# the language of the date words when a caller names none (a bare text has no Doc to tell it)
DEFAULT_LANG = "en"


class Kind(StrEnum):
    """The kind of a date expression: which pattern found it, and so how it is resolved."""

    ISO = auto()
    NUMERIC = auto()
    MONTH_DAY_YEAR = auto()
    DAY_MONTH_YEAR = auto()
    MONTH_DAY = auto()
    DAY_MONTH = auto()
    MONTH_YEAR = auto()
    RELATIVE_WEEKDAY = auto()
    WEEKDAY = auto()
    YESTERDAY = auto()
    RELATIVE_PERIOD = auto()
    AGO = auto()
    FOLLOWING = auto()
    MONTH = auto()
    YEAR = auto()


class Tense(StrEnum):
    """Whether a verb looks back, at the present, or forward."""

    PAST = auto()
    PRESENT = auto()
    FUTURE = auto()


class Unit(StrEnum):
    """The calendar unit a distance is counted in (the values of ``calendar_units``)."""

    HOUR = auto()
    DAY = auto()
    WEEK = auto()
    MONTH = auto()
    YEAR = auto()


@dataclass(frozen=True)
class ResolvedDate:
    """An ISO date at some precision, and the words it came from."""

    iso: str
    text: str
    precision: str  # day, month, year, published

    @property
    def as_date(self) -> date:
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class DateWords:
    """The date words of one language and the patterns built from them."""

    months: dict[str, int]
    weekdays: dict[str, int]
    weekday_names: tuple[str, ...]  # by weekday number, capitalised: "Monday"
    weekday_steps: dict[str, int]
    period_steps: dict[str, int]
    day_offsets: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, Unit]
    clause_marks: dict[str, int]
    patterns: tuple[tuple[Kind, re.Pattern[str]], ...]
    deadline_before: re.Pattern[str]  # 'would leave by September 11': a deadline word just before the expression
    deadline_start: re.Pattern[str]  # 'until March': an expression that starts with one
    last_month: re.Pattern[str]  # 'last March'


@cache
def _ordered_words(lang: str) -> dict[str, tuple[str, ...]]:
    """The word lists of a language in file order: a pattern tries its alternatives in that order."""
    out: dict[str, tuple[str, ...]] = {}
    for name, text in packaged_files(lang):
        if "/words/" in name:
            for key, items in (yaml.safe_load(text).get("words") or {}).items():
                out[key] = tuple(items)
    return out


def _alt(items: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in items)


def _optional(lang: str, name: str) -> frozenset[str]:
    """A word list that only some languages have (French word order: 'mardi dernier', 'il y a trois jours');
    empty where the language has none, which turns the pattern or test built from it off."""
    return lang_words(lang).get(name, frozenset())


def _extra_patterns(w: dict[str, tuple[str, ...]], maps: dict[str, dict], month: str, weekday: str, counted: str,
                    plural: str, later_units: str) -> dict[Kind, list[re.Pattern[str]]]:
    """The patterns of languages that write a step after its noun ('mardi dernier', 'la semaine prochaine', 'mars
    dernier'), a count after the word that turns it into a time ago ('il y a trois jours'), a night by the day it
    starts ('dans la nuit de samedi à dimanche') or a span by its first day ('de mardi à jeudi', 'du 12 au 14 mars'):
    each has the groups of the pattern of its kind, in its order, or the same groups the other way round; a language
    with none of these lists gets none."""
    out: dict[Kind, list[re.Pattern[str]]] = {}
    after = w.get("steps_after_words", ())
    joiners = _alt(w.get("range_joiners", ()))
    if w.get("night_phrases"):
        out.setdefault(Kind.WEEKDAY, []).append(re.compile(
            rf"\b(?:{_alt(w['night_phrases'])})\s+({weekday})(?:\s+(?:{joiners})\s+(?:{weekday}))?\b", re.I))
    if w.get("range_starts") and joiners:
        # 'de mardi à jeudi', 'du 12 au 14 mars', 'du 3 au 5 mai 2024': a span is dated by its first day
        starts, ordinal = _alt(w["range_starts"]), _alt(w["ordinal_suffixes"])
        out.setdefault(Kind.WEEKDAY, []).append(re.compile(
            rf"\b(?:{starts})\s+({weekday})\s+(?:{joiners})\s+(?:{weekday})\b", re.I))
        first = rf"\b(?:{starts})\s+(\d{{1,2}})(?:{ordinal})?\s+(?:{joiners})\s+\d{{1,2}}(?:{ordinal})?\s+({month})"
        out.setdefault(Kind.DAY_MONTH_YEAR, []).append(re.compile(rf"{first}\.?,?\s+(\d{{4}})\b", re.I))
        out.setdefault(Kind.DAY_MONTH, []).append(re.compile(rf"{first}\b(?!\.?,?\s+\d{{4}})", re.I))
    weekday_after = [s for s in maps["weekday_steps"] if s in after]
    if weekday_after:
        out.setdefault(Kind.RELATIVE_WEEKDAY, []).append(
            re.compile(rf"\b({weekday})\s+({_alt(weekday_after)})\b", re.I))
    period_after = [s for s in maps["period_steps"] if s in after]
    if period_after:
        out.setdefault(Kind.RELATIVE_PERIOD, []).append(
            re.compile(rf"\b({_alt(w['period_units'])})\s+({_alt(period_after)})\b", re.I))
    if w.get("ago_prefixes"):
        numbers = _alt(maps["date_number_words"])
        out.setdefault(Kind.AGO, []).append(re.compile(
            rf"\b(?:{_alt(w['ago_prefixes'])})\s+({numbers}|\d+)\s+({counted})(?:{plural})?\b", re.I))
    if w.get("month_after_words"):
        out.setdefault(Kind.MONTH, []).append(re.compile(
            rf"\b(?:(?:{_alt(w['month_preps'])})\s*-?\s*)?({month})\s+({_alt(w['month_after_words'])})\b(?!\s+\d)",
            re.I))
    return out


@cache
def date_words(lang: str = DEFAULT_LANG) -> DateWords:
    """The date words and patterns of a language, built once."""
    w = _ordered_words(lang)
    maps = lang_maps(lang)
    months = dict(maps["month_numbers"])
    weekdays = dict(maps["weekday_numbers"])
    # longest names first, so that "sept" is tried before "sep" and "march" before "mar"
    month = _alt(sorted((m for m in months if len(m) > 2), key=len, reverse=True))
    weekday = _alt(weekdays)
    ordinal = _alt(w["ordinal_suffixes"])
    of = _alt(w["date_of_words"])
    plural = _alt(w["unit_plural_endings"])
    counted = _alt(w["counted_units"])
    later_units = _alt(w["later_units"])
    extra = _extra_patterns(w, maps, month, weekday, counted, plural, later_units)
    after = set(w.get("steps_after_words", ()))
    joiners = w.get("weekday_date_joiners", ())
    # 'le samedi 13 avril': the weekday before a day and month is part of that date, not a second one
    named = rf"(?:(?:{weekday})(?:{_alt(joiners)}))?" if joiners else ""
    patterns = (
        (Kind.ISO, re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
        (Kind.NUMERIC, re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")),
        (Kind.MONTH_DAY_YEAR, re.compile(
            rf"\b({month})\.?\s+(\d{{1,2}})(?:{ordinal})?,?\s+(\d{{4}})\b", re.I)),
        *((Kind.DAY_MONTH_YEAR, p) for p in extra.get(Kind.DAY_MONTH_YEAR, ())),
        (Kind.DAY_MONTH_YEAR, re.compile(
            rf"\b{named}(\d{{1,2}})(?:{ordinal})?\s+(?:(?:{of})\s+)?({month})\.?,?\s+(\d{{4}})\b", re.I)),
        (Kind.MONTH_DAY, re.compile(
            rf"\b({month})\.?\s+(\d{{1,2}})(?:{ordinal})?\b(?!\s*,?\s*\d{{4}})(?!\d)", re.I)),
        *((Kind.DAY_MONTH, p) for p in extra.get(Kind.DAY_MONTH, ())),
        (Kind.DAY_MONTH, re.compile(
            rf"\b{named}(\d{{1,2}})(?:{ordinal})?\s+(?:(?:{of})\s+)?({month})\b(?!\.?,?\s+\d{{4}})", re.I)),
        (Kind.MONTH_YEAR, re.compile(rf"\b({month})\.?,?\s+(?:(?:{of})\s+)?(\d{{4}})\b", re.I)),
        *((Kind.WEEKDAY, p) for p in extra.get(Kind.WEEKDAY, ())),  # 'dans la nuit de samedi à dimanche'
        *((Kind.RELATIVE_WEEKDAY, p) for p in extra.get(Kind.RELATIVE_WEEKDAY, ())),
        (Kind.RELATIVE_WEEKDAY, re.compile(
            rf"\b({_alt(s for s in maps['weekday_steps'] if s not in after)})\s+({weekday})\b", re.I)),
        (Kind.WEEKDAY, re.compile(rf"\b({weekday})\b", re.I)),
        (Kind.YESTERDAY, re.compile(rf"\b({_alt(maps['day_offsets'])})\b", re.I)),
        *((Kind.RELATIVE_PERIOD, p) for p in extra.get(Kind.RELATIVE_PERIOD, ())),
        (Kind.RELATIVE_PERIOD, re.compile(
            rf"\b({_alt(s for s in maps['period_steps'] if s not in after)})\s+({_alt(w['period_units'])})\b", re.I)),
        *(((Kind.AGO, re.compile(
            rf"\b({_alt(maps['date_number_words'])}|\d+)\s+({counted})(?:{plural})?\s+(?:{_alt(w['ago_words'])})\b",
            re.I)),) if w["ago_words"] else ()),
        *((Kind.AGO, p) for p in extra.get(Kind.AGO, ())),
        # groups: the whole, the unit after 'the following', the count, unit and plural ending before 'later',
        # the unit after 'the previous'
        (Kind.FOLLOWING, re.compile(
            rf"\b({_step_phrase(w['following_phrases'], w.get('following_after_words'), counted)}"
            rf"|({_alt(w['later_number_words'])}|\d+) ({later_units})((?:{plural})?) (?:{_alt(w['later_words'])})"
            rf"|(?:{_alt(w['day_after_phrases'])})|{_step_phrase(w['previous_phrases'], w.get('previous_after_words'), later_units)}"
            rf"{_days_from_other(maps)})\b", re.I)),
        *((Kind.MONTH, p) for p in extra.get(Kind.MONTH, ())),
        (Kind.MONTH, re.compile(rf"\b(?:{_alt(w['month_preps'])})\s*-?\s*({month})\b(?!\s+\d)", re.I)),
        (Kind.YEAR, re.compile(rf"\b(?:{_alt(w['year_preps'])})\s+((?:19|20)\d{{2}})\b"
                               rf"|\b((?:19|20)\d{{2}})\s+(?=(?:{_alt(w['year_event_nouns'])}))", re.I)),
    )
    deadline = _alt(w["deadline_words"])
    names = {number: name.capitalize() for name, number in weekdays.items()}
    return DateWords(
        months=months, weekdays=weekdays, weekday_names=tuple(names[i] for i in range(7)),
        weekday_steps=dict(maps["weekday_steps"]), period_steps=dict(maps["period_steps"]),
        day_offsets=dict(maps["day_offsets"]), numbers=dict(maps["date_number_words"]),
        units={word: Unit(unit) for word, unit in maps["calendar_units"].items()},
        clause_marks=dict(maps["relative_clause_marks"]), patterns=patterns,
        deadline_before=re.compile(rf"\b(?:{deadline})\s*$", re.I),
        deadline_start=re.compile(rf"(?:{deadline})\b", re.I),
        last_month=re.compile(rf"(?:{_alt(w['last_month_words'])})\b", re.I),
    )


def _step_phrase(before: tuple[str, ...], after: tuple[str, ...] | None, units: str) -> str:
    """'the following week', 'the previous day' (the step words ``before`` the unit) or 'la semaine suivante', 'la
    semaine précédente' (``after`` it): one group, the unit."""
    if before:
        return rf"(?:{_alt(before)}) ({units})"
    if after:
        return rf"({units}) (?:{_alt(after)})"
    return rf"(?!)({units})"


def _days_from_other(maps: dict[str, dict]) -> str:
    """'la veille', 'le surlendemain': a seventh group, a phrase that counts days from the sentence's other day."""
    phrases = maps.get("day_before_phrases")
    return rf"|({_alt(phrases)})" if phrases else ""


def _is_future(trigger: Token) -> bool:
    """An act still to come, by the verb's form: a future auxiliary ('will strike', 'va rencontrer'), a future in the
    morphology of the verb or of its auxiliary ('attaquera', 'sera reçu'), or the infinitive of an intention ('plans
    to withdraw', 'prévoit de se retirer', 'doit se rendre', 'va signer'; not in the past tense: 'threatened to')."""
    aux = [c for c in trigger.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in words(trigger, "future_tense_auxiliaries") for c in aux):
        return True
    future_forms = _optional(trigger.doc.lang_, "future_morphology")
    if future_forms and any(f in str(t.morph).split("|") for t in (trigger, *aux) for f in future_forms):
        return True
    if any(_future_form(t) for t in (trigger, *aux)):
        return True
    if trigger.dep_ == "xcomp" and not _simple_past(trigger.head):
        head = trigger.head.lemma_
        if any(c.lower_ in words(trigger, "infinitive_marks") for c in trigger.children):
            return head in words(trigger, "intention_verbs")
        return trigger.tag_ == "VB" and head in _optional(trigger.doc.lang_, "bare_intention_verbs")
    return False


def _future_form(tok: Token) -> bool:
    """A verb whose written form is its infinitive with a future ending ('signeront', 'se rendra', 'réunira'): the
    future the tagger can miss; a language lists the endings in ``future_endings`` (a past form never has them, since
    'déclara' is not 'déclarer' plus an ending); ``future_stem_drops``: the letters an infinitive loses first
    ('prendre': 'prendront')."""
    endings = _optional(tok.doc.lang_, "future_endings")
    if not endings or tok.pos_ not in ("VERB", "AUX"):
        return False
    base = re.split(r"[\s'’]", tok.lemma_.lower())[-1]  # 'se rendre', "s'ouvrir": the verb itself
    stems = {base} | {base[: -len(d)] for d in _optional(tok.doc.lang_, "future_stem_drops") if base.endswith(d)}
    return any(tok.lower_ == stem + ending for stem in stems for ending in endings)


def form_tense(tok: Token) -> Tense | None:
    """The tense a verb's written form tells where two tenses share their endings and the tagger confuses them:
    French 'menaçait', 'tiraient' (imparfait: past) and 'menacerait', 'quitteraient' (conditionnel: read like English
    'would', in the present). ``imperfect_endings`` are the shared endings; ``conditional_endings`` gives, by the end
    of the infinitive (the longest that fits, the empty one fitting any), the endings that carry the conditional's
    r. None for a form without the shared endings, and in a language without these lists."""
    lang = tok.doc.lang_
    endings = _optional(lang, "imperfect_endings")
    if not endings or tok.pos_ not in ("VERB", "AUX") or not any(tok.lower_.endswith(e) for e in endings):
        return None
    infinitive = re.split(r"[\s'’]", tok.lemma_.lower())[-1]
    conditional = lang_maps(lang).get("conditional_endings") or {}
    key = max((k for k in conditional if infinitive.endswith(k)), key=len, default=None)
    if key is None:
        return None
    return Tense.PRESENT if any(tok.lower_.endswith(e) for e in conditional[key]) else Tense.PAST


def tense_of(trigger: Token) -> Tense:
    """'past', 'future' or 'present' from the verb and its auxiliaries."""
    auxes = [c.lower_ for c in trigger.children if c.dep_ in ("aux", "auxpass")]
    if _is_future(trigger):
        return Tense.FUTURE
    if not auxes and (by_form := form_tense(trigger)) is not None:
        return by_form  # 'menaçait' tagged a conditional, 'quitteraient' an imparfait
    past_auxes = words(trigger, "past_tense_auxiliaries")
    if trigger.tag_ in ("VBD", "VBN") or any(a in past_auxes for a in auxes):
        return Tense.PAST
    return Tense.PRESENT


def reads_forward(verb: Token, kind: str, before: str = "") -> bool:
    """Whether a verb in the simple present tells a coming act on the day an expression of this kind names: French
    news writes 'le président se rend jeudi à Moscou', 'le sommet s'ouvre le 19 avril' (the kinds a language lists in
    ``present_forward_kinds``), but not the start of a running act ('manifestent depuis lundi': ``before`` is the
    text before the expression) nor a report ('affirme lundi'), nor a noun ('l'attaque de mardi')."""
    lang = verb.doc.lang_
    finite = verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VB" and any(c.dep_ == "nsubj" for c in verb.children)) \
        or form_tense(verb) == Tense.PRESENT  # 'rencontrerait mardi': a conditional the tagger read as a past
    if kind not in _optional(lang, "present_forward_kinds") or not finite \
            or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False  # (a present the tagger read as an infinitive still has its subject: 'le Conseil se réunit')
    if verb.lemma_.lower() in words(verb, "reporting_verbs"):
        return False
    running = _optional(lang, "running_start_preps")
    return not (running and re.search(rf"\b(?:{_alt(running)})\s+(?:\S+\s+)?$", before, re.I))


def _clamp_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _count(word: str, numbers: dict[str, int]) -> int:
    """'three' or '3' -> 3; a word that names no number counts one."""
    return int(word) if word.isdigit() else numbers.get(word.lower(), 1)


def resolve_expression(kind: str, m: re.Match[str], published: date, tense: str,
                       previous: date | None = None, *, lang: str = DEFAULT_LANG) -> ResolvedDate | None:
    """One matched expression -> a date, or None when it cannot be placed on the calendar."""
    cal = date_words(lang)
    text = m.group(0)
    g = m.groups()
    if kind == Kind.ISO:
        d = _clamp_day(int(g[0]), int(g[1]), int(g[2]))
        return ResolvedDate(d.isoformat(), text, DAY) if d else None
    if kind == Kind.NUMERIC:
        a, b, y = int(g[0]), int(g[1]), int(g[2])
        if _ordered_words(lang).get("numeric_date_order", (Unit.MONTH,))[0] == Unit.DAY:
            a, b = b, a  # '03/05/2024' is 3 May in French
        d = _clamp_day(y, a, b) if a <= 12 else _clamp_day(y, b, a)
        return ResolvedDate(d.isoformat(), text, DAY) if d else None
    if kind == Kind.MONTH_DAY_YEAR:
        d = _clamp_day(int(g[2]), cal.months[g[0].lower()], int(g[1]))
        return ResolvedDate(d.isoformat(), text, DAY) if d else None
    if kind == Kind.DAY_MONTH_YEAR:
        d = _clamp_day(int(g[2]), cal.months[g[1].lower()], int(g[0]))
        return ResolvedDate(d.isoformat(), text, DAY) if d else None
    if kind in (Kind.MONTH_DAY, Kind.DAY_MONTH):
        month_name, day = (g[0], g[1]) if kind == Kind.MONTH_DAY else (g[1], g[0])
        month = cal.months[month_name.lower()]
        d = _clamp_day(published.year, month, int(day))
        if d is None:
            return None
        if tense == Tense.FUTURE:
            if d < published:
                d = _clamp_day(published.year + 1, month, int(day)) or d
        elif d > published + timedelta(days=1):
            d = _clamp_day(published.year - 1, month, int(day)) or d
        return ResolvedDate(d.isoformat(), text, DAY)
    if kind == Kind.MONTH_YEAR:
        return ResolvedDate(f"{int(g[1]):04d}-{cal.months[g[0].lower()]:02d}", text, MONTH)
    if kind == Kind.RELATIVE_WEEKDAY:
        step_word, day_word = (g[0], g[1]) if g[0].lower() in cal.weekday_steps else (g[1], g[0])  # 'mardi dernier'
        step, target = cal.weekday_steps[step_word.lower()], cal.weekdays[day_word.lower()]
        if step > 0:  # 'next Tuesday'
            delta = (target - published.weekday()) % 7 or 7
            return ResolvedDate((published + timedelta(days=delta)).isoformat(), text, DAY)
        if step == 0:  # 'this Friday'
            return resolve_weekday(published, target, tense, text, lang=lang)
        delta = (published.weekday() - target) % 7 or 7  # 'last Friday'
        return ResolvedDate((published - timedelta(days=delta)).isoformat(), text, DAY)
    if kind == Kind.WEEKDAY:
        return resolve_weekday(published, cal.weekdays[g[0].lower()], tense, text, lang=lang)
    if kind == Kind.YESTERDAY:
        offset = cal.day_offsets[g[0].lower()]
        return ResolvedDate((published + timedelta(days=offset)).isoformat(), text, DAY)
    if kind == Kind.RELATIVE_PERIOD:
        step_word, unit_word = (g[0], g[1]) if g[0].lower() in cal.period_steps else (g[1], g[0])  # 'l'an dernier'
        step, unit = cal.period_steps[step_word.lower()], cal.units[unit_word.lower()]
        if unit == Unit.WEEK:
            d = published + timedelta(days=7 * step)
            return ResolvedDate(f"{d.year:04d}-{d.month:02d}", text, MONTH)
        if unit == Unit.MONTH:
            y, mth = published.year, published.month + step
            if mth < 1:
                y, mth = y - 1, 12
            elif mth > 12:
                y, mth = y + 1, 1
            return ResolvedDate(f"{y:04d}-{mth:02d}", text, MONTH)
        return ResolvedDate(f"{published.year + step:04d}", text, YEAR)
    if kind == Kind.AGO:
        n = _count(g[0], cal.numbers)
        unit = cal.units[g[1].lower()]
        if unit == Unit.DAY:
            return ResolvedDate((published - timedelta(days=n)).isoformat(), text, DAY)
        if unit == Unit.WEEK:
            d = published - timedelta(days=7 * n)
            return ResolvedDate(d.isoformat(), text, DAY) if n <= 1 else \
                ResolvedDate(f"{d.year:04d}-{d.month:02d}", text, MONTH)
        if unit == Unit.MONTH:
            y, mth = divmod(published.year * 12 + published.month - 1 - n, 12)
            return ResolvedDate(f"{y:04d}-{mth + 1:02d}", text, MONTH)
        return ResolvedDate(f"{published.year - n:04d}", text, YEAR)
    if kind == Kind.FOLLOWING:
        if previous is None:
            return None
        _whole, unit_following, count, unit_later, plural, unit_previous = g[:6]
        if len(g) > 6 and g[6]:  # 'la veille', 'le surlendemain': days from the other day
            days = lang_maps(lang)["day_before_phrases"][g[6].lower()]
            return ResolvedDate((previous + timedelta(days=days)).isoformat(), text, DAY)
        sign = -1 if unit_previous else 1
        unit_word = unit_following or unit_later or unit_previous
        unit = cal.units[unit_word.lower()] if unit_word else Unit.DAY  # 'the day after'
        n = _count(count, cal.numbers) if count else 1
        if unit == Unit.DAY and not plural:  # 'the next day', 'a day later', 'the previous day'
            return ResolvedDate((previous + timedelta(days=sign)).isoformat(), text, DAY)
        if unit == Unit.DAY:
            return ResolvedDate((previous + timedelta(days=sign * n)).isoformat(), text, DAY)
        if unit == Unit.WEEK:
            d = previous + timedelta(days=sign * 7 * n)
            return ResolvedDate(d.isoformat(), text, DAY)
        if unit == Unit.MONTH:
            y, mth = divmod(previous.year * 12 + previous.month - 1 + sign * n, 12)
            return ResolvedDate(f"{y:04d}-{mth + 1:02d}", text, MONTH)
        return ResolvedDate(f"{previous.year + sign:04d}", text, YEAR)
    if kind == Kind.MONTH and len(g) > 1:  # 'en mars dernier', 'en janvier prochain': the step word decides
        month = cal.months[g[0].lower()]
        if cal.period_steps.get(g[1].lower(), -1) > 0:
            year = published.year + (month <= published.month)
        else:
            year = published.year - (month >= published.month)
        return ResolvedDate(f"{year:04d}-{month:02d}", f"{g[0]} {g[1]}", MONTH)
    if kind == Kind.MONTH:
        month = cal.months[g[0].lower()]
        year = published.year
        if tense == Tense.FUTURE:
            if month < published.month:
                year += 1
        elif month > published.month:
            year -= 1
        if cal.last_month.match(text) and month >= published.month:
            year = published.year - 1
        return ResolvedDate(f"{year:04d}-{month:02d}", text.split()[-1] if " " in text else text, MONTH)
    if kind == Kind.YEAR:
        year = g[0] or g[1]
        return ResolvedDate(year, year, YEAR)
    return None


def resolve_weekday(published: date, weekday: int, tense: str, text: str = "", *,
                    lang: str = DEFAULT_LANG) -> ResolvedDate:
    """Past or present: the latest such day on or before publication; future: the next one after it."""
    if tense == Tense.FUTURE:
        delta = (weekday - published.weekday()) % 7 or 7
        d = published + timedelta(days=delta)
    else:
        d = published - timedelta(days=(published.weekday() - weekday) % 7)
    return ResolvedDate(d.isoformat(), text or date_words(lang).weekday_names[weekday], DAY)


def find_expressions(text: str, *, lang: str = DEFAULT_LANG) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every date expression in ``text`` as (start, end, kind, match), longest first where they overlap."""
    return list(_expressions(text, lang))


@lru_cache(maxsize=4096)
def _expressions(text: str, lang: str) -> tuple[tuple[int, int, str, re.Match[str]], ...]:
    """A sentence is searched once however many stages ask (its anchors, then each event's date)."""
    hits: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in date_words(lang).patterns:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(not (end <= s or start >= e) for s, e, _, _ in hits):
                continue
            hits.append((start, end, kind, m))
    return tuple(sorted(hits, key=lambda h: h[0]))


# 'Bamako, le 12 mars (Reuters) -', 'Ouagadougou, 3 mai 2024 -', 'NIAMEY (Niger), 3 mai —': a place (its country in
# brackets), a comma, the date, the agency in brackets, then a dash or the end of the line
DATELINE = re.compile(r"\s*[^\W\d_][\w .'’\-]{1,40}?(?:\s*\([^()\n]{1,30}\))?,\s*([^\n(),—–]{3,30}?)\s*(?:\([^()\n]{1,30}\)\s*)?"
                      r"(?:[—–]|-{1,2}\s|\n|$)")
FULL_DATES = (Kind.ISO, Kind.NUMERIC, Kind.MONTH_DAY_YEAR, Kind.DAY_MONTH_YEAR)


def dateline_date(text: str, published: date | None, *, lang: str = DEFAULT_LANG) -> ResolvedDate | None:
    """The day a dateline names ('Bamako, le 12 mars (Reuters) -', 'Ouagadougou, 3 mai 2024'), read as a day on or
    before publication; without a publication date only a date with its year is read. None where the article opens
    with no dated dateline ('NIAMEY (AFP) -' names a place only)."""
    m = DATELINE.match(text)
    if m is None:
        return None
    words_left = m.group(1)
    exprs = find_expressions(words_left, lang=lang)
    for start, end, _kind, _expr in exprs:
        words_left = words_left[:start] + " " * (end - start) + words_left[end:]
    if len(words_left.split()) > 1:
        return None  # 'Le président, lundi, a dit -': a sentence, not a dateline (an article, 'le', may stay)
    for _start, _end, kind, expr in sorted(exprs, key=lambda e: e[0] - e[1]):  # 'mardi 5 mars': the longest
        if published is None and kind not in FULL_DATES:
            continue
        resolved = resolve_expression(kind, expr, published or date.min, Tense.PAST, None, lang=lang)
        if resolved is not None and resolved.precision == DAY:
            return resolved
    return None


def _clause_verb(tok: Token) -> Token:
    """The verb of the clause a token belongs to: its first verb ancestor, else the sentence root."""
    return governing_verb(tok, steps=12) or tok.sent.root


def _ancestors_or_self(tok: Token) -> set[int]:
    return {tok.i, *(a.i for a in tok.ancestors)}


def _possessive_elsewhere(tok: Token, anchor: Token) -> bool:
    """'welcomed Tuesday's announcement': a date in the possessive dates its noun, not the verb that takes
    the noun as object ('Tuesday's attack killed' still dates 'killed', whose subject the noun is)."""
    if tok.dep_ != "poss":
        return False
    noun = tok.head
    if noun.i == anchor.i or noun.i in {a.i for a in anchor.ancestors}:
        return False  # 'Tuesday's announcement that Ukraine had agreed': the clause the noun governs
    return not (noun.head.i == anchor.i and noun.dep_ in ("nsubj", "nsubjpass"))


def _past_perfect(trigger: Token) -> bool:
    """'had been rescued', 'had killed': an act placed before a time the story has already named (not a relative
    clause's background: 'an official who had negotiated with Pyongyang'), or an act joined to one that shares its
    auxiliary ('had met with security officials and vowed to restore order')."""
    if trigger.dep_ == "conj" and trigger.tag_ in ("VBN", "VBD") and trigger.head.i != trigger.i \
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in trigger.children):
        return _past_perfect(trigger.head)
    if trigger.tag_ != "VBN" or any(c.tag_ in ("WP", "WDT") and c.dep_ in ("nsubj", "nsubjpass")
                                    for c in trigger.children):
        return False
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in words(trigger, "past_perfect_auxiliaries")
               for c in trigger.children)


def _present_perfect(trigger: Token) -> bool:
    """'has voiced concern', 'with both rivals accusing ... ' under 'has been deadlocked': a clause in the present
    perfect (the trigger's or the one it depends on), which names no day of its own."""
    for tok in [trigger, *trigger.ancestors]:
        if _has_perfect(tok):
            return True
        if tok.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "pobj", "prep", "dobj"):
            break
    return False


def _path_below(tok: Token, top: Token) -> list[Token]:
    """The tokens from ``tok`` up to ``top`` (not included); empty when ``top`` is not above ``tok``."""
    path: list[Token] = []
    cur = tok
    while cur.i != top.i:
        path.append(cur)
        if cur.head.i == cur.i:
            return []
        cur = cur.head
    return path


def _describes_noun(tok: Token) -> bool:
    """A clause that describes a noun: 'books banned by the Taliban', 'a pact the United States negotiated' (not
    a noun's content clause, 'the announcement that Ukraine had agreed', whose act is the noun's, nor an
    infinitive, 'the first official to visit Taiwan', which is the act the sentence tells)."""
    if _narrative_relative(tok):
        return False
    return tok.dep_ in ("acl", "relcl") and tok.tag_ != "VB" \
        and not any(c.dep_ == "mark" or c.tag_ == "TO" for c in tok.children)


def _narrative_relative(tok: Token) -> bool:
    """French "a rompu avec Kigali, qu'il accuse de …", "s'est entretenu jeudi avec Xi, qu'il a exhorté à …": a
    relative clause after a comma carries the story on, at the main clause's time (``narrative_relative_marks``)."""
    return tok.dep_ == "relcl" and tok.left_edge.i > 0 \
        and tok.doc[tok.left_edge.i - 1].text in words(tok, "narrative_relative_marks")


def _simple_present(trigger: Token) -> bool:
    """A verb in the simple present ('accuses'), or an infinitive that one governs ('uses laws to suppress')."""
    verb = trigger
    if verb.tag_ == "VB" and verb.dep_ in ("xcomp", "advcl") and any(c.tag_ == "TO" for c in verb.children):
        verb = verb.head
    return verb.tag_ in ("VBZ", "VBP") and not any(a.dep_ == "aux" for a in verb.children) \
        and form_tense(verb) != Tense.PAST  # ('menaçait', an imparfait the tagger read as a conditional)


def _has_perfect(tok: Token) -> bool:
    """'has been deadlocked', 'have accused': a verb in the present perfect."""
    auxes = words(tok, "present_perfect_auxiliaries")
    return tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in auxes for c in tok.children)


def _simple_past(tok: Token) -> bool:
    """The past tense of news: English 'denied' (not a conditional the tagger read as a past, 'quitteraient'), or, in
    a language with no present perfect of its own (no ``present_perfect_auxiliaries``), its compound past: French
    'a refusé', 'est entré'."""
    if tok.tag_ == "VBD":
        return form_tense(tok) != Tense.PRESENT
    return tok.tag_ == "VBN" and not words(tok, "present_perfect_auxiliaries") \
        and any(c.dep_ == "aux" and c.lower_ in words(tok, "past_tense_auxiliaries") for c in tok.children)


def _main_line_past(trigger: Token) -> bool:
    """A simple past act of a sentence's main clause ('Trump denied the request and asked instead for ...')."""
    if not _simple_past(trigger):
        return False
    verb = trigger
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _refers_back(trigger: Token, *, scene: bool = False) -> bool:
    """Whether the clause of a past act with no date of its own continues the time of the sentence before:
    'A court later sentenced him', 'There, Kim asked Trump for relief', 'Near the end of his appearance, he called
    the ruling arbitrary', 'At the time, ...'. With ``scene``, only a place or an occasion ('there', 'during the
    talks') counts, not an adverb that moves the time on ('later')."""
    if tense_of(trigger) != Tense.PAST:
        return False
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else _clause_verb(trigger)
    clause = [verb]
    while verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:  # 'was arrested and later sentenced'
        verb = verb.head
        clause.append(verb)
    adverbs = words(trigger, "back_reference_adverbs")
    conditional = any(t.dep_ == "mark" and t.lower_ in words(trigger, "condition_marks") for t in trigger.sent)
    consequents = words(trigger, "condition_consequents")
    preps, nouns = words(trigger, "occasion_preps"), words(trigger, "occasion_nouns")
    dets = words(trigger, "occasion_determiners")
    for v in clause:
        for c in v.children:
            if c.dep_ == "advmod" and c.lower_ in adverbs and not (conditional and c.lower_ in consequents) \
                    and (not scene or c.lower_ in words(trigger, "scene_adverbs")):
                return True
            if c.dep_ == "prep" and c.lower_ in preps and _names_occasion(c, nouns, dets):
                return True
    return False


def _reported_on_occasion(trigger: Token) -> bool:
    """Whether a past-perfect act is what a report made on an occasion already told says had happened ('During the
    hearing, the judge said he had been threatened'): the act came before that occasion, at no time the story names."""
    cur = trigger
    for _ in range(4):
        if cur.dep_ not in ("ccomp", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in words(trigger, "reporting_verbs"):
            return _refers_back(cur, scene=True)
    return False


def _names_occasion(prep: Token, nouns: frozenset[str], dets: frozenset[str]) -> bool:
    """'during the hearing', 'near the end of his appearance', 'at that time': a definite occasion."""
    for _ in range(3):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None:
            return False
        if obj.lemma_.lower() in nouns or obj.lower_ in nouns:
            return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in dets) for c in obj.children)
        prep = next((c for c in obj.children if c.dep_ == "prep"), None)  # 'the end of ...'
        if prep is None:
            return False
    return False


def _previous_sentence_date(sent: Span, published: date, depth: int = 3) -> ResolvedDate | None:
    """The last time the sentence before names: the one a back-referring clause continues (through a sentence that
    names none but itself refers back: 'They met in Hanoi in February. There, Kim asked for relief. Later, ...')."""
    if sent.start == 0 or depth == 0:
        return None
    prev = sent.doc[sent.start - 1].sent
    lang = sent.doc.lang_
    cal = date_words(lang)
    exprs = find_expressions(span_text(prev), lang=lang)
    for start, _end, kind, m in reversed(exprs):
        if cal.deadline_before.search(span_text(prev)[:start]) or cal.deadline_start.match(m.group(0)):
            continue
        resolved = resolve_expression(kind, m, published, Tense.PAST, None, lang=lang)
        if resolved is not None:
            return resolved
    if not exprs and _refers_back(prev.root):
        return _previous_sentence_date(prev, published, depth - 1)
    return None


def _after_publication(resolved: ResolvedDate, published: date) -> bool:
    """A date after the publication (a day's grace for time zones): the time of a planned act, not of a happening."""
    if resolved.precision == DAY:
        return resolved.as_date > published + timedelta(days=1)
    return resolved.iso > published.isoformat()[: len(resolved.iso)]


def _anniversary(sent: Span, trigger: Token, published: date, previous: date | None) -> ResolvedDate | None:
    """'issued his appeal Friday, the 14th anniversary of the start of the protests': an act whose anniversary
    falls on a day the sentence names was that many years before it."""
    nouns = words(trigger, "anniversary_nouns")
    cur, ann = trigger, None
    for _ in range(6):  # 'protests' <- of <- 'start' <- of <- 'anniversary'
        if cur.dep_ not in ("pobj", "prep") or cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.lemma_.lower() in nouns:
            ann = cur
            break
    if ann is None:
        return None
    ordinals = lang_maps(sent.doc.lang_)["ordinal_numbers"]
    suffixes = "|".join(re.escape(x) for x in _ordered_words(sent.doc.lang_)["ordinal_suffixes"])
    years = None
    for c in ann.children:
        m = re.fullmatch(rf"(\d+)(?:{suffixes})", c.lower_)
        if c.dep_ in ("amod", "nummod") and (m or c.lower_ in ordinals):
            years = int(m.group(1)) if m else ordinals[c.lower_]
    if years is None:
        return None
    base = None
    verb = _clause_verb(ann)
    lang = sent.doc.lang_
    named = {a.i for a in ann.ancestors if a.i != verb.i} | {verb.head.i}
    for start, end, kind, m in find_expressions(span_text(sent), lang=lang):
        span = covering_span(sent.doc, sent.start_char + start, sent.start_char + end)
        if span is not None and any(t.i in named for t in span):
            # 'Friday, which is the 14th anniversary', 'Friday, the 14th anniversary': the day it hangs from
            base = resolve_expression(kind, m, published, Tense.PAST, previous, lang=lang)
            break
    else:
        base = date_for_event(sent, verb, published, previous)  # 'Sunday marks the first anniversary'
    if base is None or base.precision not in (DAY, MONTH, YEAR):
        return None
    return ResolvedDate(f"{int(base.iso[:4]) - years:04d}{base.iso[4:]}", f"{ann.text} of", base.precision)


def _lone_date_applies(trigger: Token, tok: Token | None, anchors: list[Token]) -> bool:
    """Whether the only date of a sentence, attached to neither the trigger nor the report, dates the event."""
    if any(c.dep_ == "advmod" and c.lower_ in words(trigger, "sequence_adverbs") for c in trigger.children):
        return False  # 'arrested him in 2022 and later froze his assets': a time after the one named
    if tok is None:
        return True
    if any(_possessive_elsewhere(tok, a) for a in anchors):
        return False  # 'welcomed Tuesday's announcement'
    since = tok if tok.dep_ != "pobj" else tok.head  # 'since May' (one expression) or 'since' + 'February 1'
    if since.dep_ == "prep" and since.lower_ in words(trigger, "running_start_preps") \
            and any(t.pos_ in ("NOUN", "PROPN") for t in _path_below(trigger, _clause_verb(tok))[1:]):
        # 'have arrested 2,400 people for taking part in the protests since February 1': the start of a running act
        # dates that act (and its own state, 'had been in detention since May'), not an act told inside a noun
        return False
    verb = _clause_verb(tok)
    if any(verb.i in _ancestors_or_self(a) for a in anchors):
        # the date of the trigger's own clause or of one above it, unless the trigger is a clause that describes a
        # noun ('listed last year among books banned by the Taliban': a background act; a report's day still
        # dates it, 'jets supplied by Denmark, Zelensky said on Sunday') or a present perfect beside the dated
        # clause ('the process started last September, has been deadlocked, with both accusing the other')
        dated = _ancestors_or_self(tok) | {t.i for t in tok.subtree}
        if _describes_noun(trigger) and trigger.head.i not in dated \
                and verb.lemma_.lower() not in words(trigger, "reporting_verbs"):
            # ('the February 2020 pact the United States negotiated', 'in 2013, when both withdrew their envoys':
            # the date of the noun itself applies)
            return False
        path = _path_below(trigger, verb)
        return not (any(t.dep_ == "conj" and _has_perfect(t) for t in path) and not _has_perfect(verb))
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        # 'alleged in a statement marking the festival starting this week', 'the summit opening on Monday': the
        # date of a running clause that describes a noun is that noun's
        return False
    if any(c.dep_ == "mark" and c.lower_ in words(trigger, "other_time_marks") for c in verb.children):
        # 'pleading with civilians after 10,000 were displaced this week', 'has made trips since he took office in
        # 2022': the date of a clause set at another time, one that does not contain the trigger
        return False
    # 'has voiced concern, with Sullivan speaking by phone Sunday': a present perfect names no day, and the day
    # of a clause beside it is that clause's (a report's day, 'X has agreed, an official said on Friday', stays)
    return not _present_perfect(trigger) or verb.lemma_.lower() in words(trigger, "reporting_verbs")


def date_for_event(sent: Span, trigger: Token, published: date | None, previous: date | None,
                   also: list[Token] | None = None, *, _skip: frozenset[int] = frozenset()) -> ResolvedDate | None:
    """The date of the event whose trigger is ``trigger``: an expression attached to the trigger's
    clause wins, then one on the reporting verb (``also``), then the only one in the sentence unless it is
    plainly another clause's (``_lone_date_applies``). A sentence that names no time dates a past-perfect act
    ('had been rescued') by the day the story last named (``previous``), and a clause that refers back ('later',
    'there', 'during the hearing') by the time the sentence before names. A time after publication is that of a
    planned act ('will raise tariffs on April 2'), which is left undated: the report's day, if any, is taken."""
    if published is None:
        return None
    anniversary = _anniversary(sent, trigger, published, previous)
    if anniversary is not None:
        return anniversary
    beside = _beside_day_noun(sent, trigger, published, previous, also)
    if beside is not None:
        return beside
    lang = sent.doc.lang_
    exprs = [e for e in find_expressions(span_text(sent), lang=lang) if e[0] not in _skip]
    if not exprs:
        if _skip:
            return None
        if previous is not None and _past_perfect(trigger):
            if _reported_on_occasion(trigger):
                return None  # 'during the hearing, the judge said he had been threatened': before the hearing
            return ResolvedDate(previous.isoformat(), "", DAY)
        if _refers_back(trigger):
            return _previous_sentence_date(sent, published)
        if _main_line_past(trigger) and sent.start > 0:
            # 'There, Kim asked Trump for relief. Trump denied the request': the scene the sentence before set in an
            # earlier time goes on in the next act it tells
            prev = sent.doc[sent.start - 1].sent
            if not find_expressions(span_text(prev), lang=lang) and _refers_back(prev.root, scene=True):
                return _previous_sentence_date(prev, published)
        return None
    cal = date_words(lang)
    tense = tense_of(trigger)
    base = sent.start_char
    doc = sent.doc

    def head_token(start: int, end: int) -> Token | None:
        span = covering_span(doc, base + start, base + end)
        return span.root if span is not None else None

    def distance(tok: Token, anchor: Token) -> int | None:
        # steps up from tok to anchor, not crossing another verb
        if _possessive_elsewhere(tok, anchor):
            return None
        steps = 0
        cur = tok
        while cur.i != anchor.i:
            if cur.head.i == cur.i:
                return None
            if cur.i != tok.i and cur.pos_ in ("VERB", "AUX") and cur.i != anchor.i:
                return None
            cur = cur.head
            steps += 1
            if steps > 8:
                return None
        return steps

    anchors = [trigger, *(also or [])]
    best: tuple[int, tuple[int, int, str, re.Match[str]]] | None = None
    best_anchor = trigger
    for expr in exprs:
        tok = head_token(expr[0], expr[1])
        if tok is None or cal.deadline_before.search(span_text(sent)[: expr[0]]) or cal.deadline_start.match(expr[3].group(0)):
            continue  # 'would leave by September 11': a deadline, not when it happened
        for rank, anchor in enumerate(anchors):
            d = distance(tok, anchor)
            if d is not None:
                score = rank * 100 + d
                if best is None or score < best[0]:
                    best, best_anchor = (score, expr), anchor
    if best is None or best[0] >= 100:
        # 'a day after Caracas agreed', 'nearly a month after soldiers overthrew': counted from the main clause
        relative = _relative_to_main(sent, trigger, published, previous, also)
        if relative is not False:
            return relative
    if best is None and _simple_present(trigger) and not _narrative_relative(trigger):
        # 'whom Moscow accuses of spying', 'how China uses vague laws to suppress dissent': a present state, not
        # the day the sentence names
        return None
    # otherwise the only date in the sentence: news rarely names two times for one sentence's events
    chosen = best[1] if best else (exprs[0] if len(exprs) == 1 else None)
    if chosen is None:
        return None
    if best is None and chosen[2] == Kind.YEAR and chosen[3].group(2):
        return None  # 'resembling the 2014 abduction, it triggered calls for ...': the year of that noun only
    if best is None and not _lone_date_applies(trigger, head_token(chosen[0], chosen[1]), anchors):
        return None
    if chosen[2] == Kind.FOLLOWING:
        # 'said on Thursday it had detained him the previous day': counted from the sentence's other day
        for other in exprs:
            if other is chosen or other[2] in (Kind.FOLLOWING, Kind.YEAR, Kind.MONTH, Kind.RELATIVE_PERIOD):
                continue
            ref = resolve_expression(other[2], other[3], published, Tense.PAST, previous, lang=lang)
            if ref is not None and ref.precision == DAY:
                previous = ref.as_date
                break
    tensed = trigger
    if best is not None and best_anchor is not trigger:
        # "said on April 19 that it would withdraw": the date is the report's, read in the report's tense
        tensed = best_anchor
        tense = tense_of(best_anchor)
    elif best is None and (lone := head_token(chosen[0], chosen[1])) is not None:
        # "'I will raise tariffs', he declared on Wednesday": the only date is read in the tense of its own clause
        tensed = _clause_verb(lone)
        tense = tense_of(tensed)
    if tense == Tense.PRESENT and reads_forward(tensed, chosen[2], span_text(sent)[: chosen[0]]):
        tense = Tense.FUTURE  # 'le président se rend jeudi à Moscou'
    resolved = resolve_expression(chosen[2], chosen[3], published, tense, previous, lang=lang)
    if resolved is not None and _after_publication(resolved, published):
        # 'I will raise tariffs on April 2, Trump declared': a planned act's time; the sentence's other time
        return date_for_event(sent, trigger, published, previous, also, _skip=_skip | {chosen[0]})
    return resolved


def _beside_day_noun(sent: Span, trigger: Token, published: date, previous: date | None,
                     also: list[Token] | None) -> ResolvedDate | None:
    """'ont pilonné samedi le port, au lendemain d'une attaque qui a fait un mort': an act named in the complement of
    a noun of the day after or before (``day_relative_nouns``) was that many days from the date of the clause the
    noun belongs to. None where the trigger is in no such complement, or that clause has no day."""
    nouns = lang_maps(sent.doc.lang_).get("day_relative_nouns")
    if not nouns:
        return None
    cur = trigger
    for _ in range(8):
        head = cur.head
        if head.i == cur.i or (cur.i != trigger.i and cur.pos_ in ("VERB", "AUX")):
            return None
        if cur.dep_ == "prep" and head.lemma_.lower() in nouns:
            main = _clause_verb(head)
            if main.i == trigger.i or trigger.i in {t.i for t in head.ancestors}:
                return None
            base = date_for_event(sent, main, published, previous, also)
            if base is None or base.precision != DAY:
                return None
            day = base.as_date + timedelta(days=nouns[head.lemma_.lower()])
            return ResolvedDate(day.isoformat(), head.text, DAY)
        cur = head
    return None


UNIT_DAYS = {Unit.HOUR: 0, Unit.DAY: 1, Unit.WEEK: 7}


def _relative_to_main(sent: Span, trigger: Token, published: date, previous: date | None,
                      also: list[Token] | None) -> ResolvedDate | bool | None:
    """The date of an event in an 'N days after/before ...' clause, from the date of the clause it depends on;
    None when the distance is vague ('days after'), False when the trigger is in no such clause."""
    cal = date_words(sent.doc.lang_)
    marks = cal.clause_marks
    clause = trigger
    for _ in range(6):
        marker = next((c for c in clause.children if c.dep_ in ("mark", "prep") and c.lower_ in marks
                       and c.i < clause.i), None)
        if marker is not None or clause.dep_ not in ("conj", "xcomp", "ccomp", "dobj", "pobj", "pcomp"):
            break
        clause = clause.head
    else:
        return False
    if marker is None and clause.dep_ == "pcomp" and clause.head.lower_ in marks:
        marker, clause = clause.head, clause.head
    if marker is None or clause.head.i == clause.i:
        return False
    main = clause.head
    measure_units = words(trigger, "measure_units")
    measure = next((c for c in [*clause.children, *marker.children] if c.dep_ == "npadvmod"
                    and c.lemma_.lower() in measure_units), None)
    if measure is None:
        return False
    unit = cal.units[measure.lemma_.lower()]
    count = None
    for c in measure.children:
        word = c.lower_
        if c.dep_ in ("det", "nummod") and (word in cal.numbers or word.isdigit()):
            count = int(word) if word.isdigit() else cal.numbers[word]
    if count is None and unit == Unit.HOUR:
        count = 1
    if count is None:
        return None  # 'days after', 'weeks before': no calendar date
    base = date_for_event(sent, main, published, previous, also)
    if base is None or base.precision not in (DAY, MONTH):
        return None
    sign = marks[marker.lower_]
    if unit in UNIT_DAYS and base.precision == DAY:
        d = base.as_date + timedelta(days=sign * count * UNIT_DAYS[unit])
        return ResolvedDate(d.isoformat(), f"{measure.text} {marker.text}", DAY)
    if unit == Unit.MONTH or (unit in UNIT_DAYS and base.precision == MONTH):
        n = count if unit == Unit.MONTH else 0
        y, m = divmod(base.as_date.year * 12 + base.as_date.month - 1 + sign * n, 12)
        return ResolvedDate(f"{y:04d}-{m + 1:02d}", f"{measure.text} {marker.text}", MONTH)
    return ResolvedDate(f"{base.as_date.year + sign * count:04d}", f"{measure.text} {marker.text}", YEAR)
