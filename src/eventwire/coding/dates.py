"""Dates of events, resolved against the publication date and the tense of the verb.

News writes "on Thursday", "last month", "in March", "on April 19": each means a calendar date only
relative to when the article was published and whether the verb looks back or forward. dateparser
resolves weekdays wrongly for news (a "Thursday" written on a Thursday), so these rules decide.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Span, Token

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted((m for m in MONTHS if len(m) > 2), key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)


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


PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("numeric", re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")),
    ("month_day_year", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
    ("day_month_year", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    ("month_day", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})(?!\d)", re.I)),
    ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b(?!\.?,?\s+\d{{4}})", re.I)),
    ("month_year", re.compile(rf"\b({_MONTH_RE})\.?,?\s+(?:of\s+)?(\d{{4}})\b", re.I)),
    ("relative_weekday", re.compile(rf"\b(last|this|next|past|coming)\s+({_WEEKDAY_RE})\b", re.I)),
    ("weekday", re.compile(rf"\b({_WEEKDAY_RE})\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|today|tomorrow|tonight|overnight|the day before yesterday)\b", re.I)),
    ("relative_period", re.compile(
        r"\b(last|this|next|past|previous|coming|earlier this|later this)\s+(week|month|year|weekend)\b", re.I)),
    ("ago", re.compile(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
                       r"(day|week|month|year)s?\s+ago\b", re.I)),
    ("following", re.compile(
        r"\b(the (?:following|next) (day|week|month|year)|(a|one|two|three|four|five|\d+) "
        r"(day|week|month)s? later|the day after|the previous (day|week|month))\b", re.I)),
    ("month", re.compile(rf"\b(?:in|since|during|by|until|from|early|late|mid|mid-|last|this|of)\s*-?\s*"
                         rf"({_MONTH_RE})\b(?!\s+\d)", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|by|until|of|from|early|late|mid-?)\s+((?:19|20)\d{2})\b"
                        r"|\b((?:19|20)\d{2})\s+(?=coup|election|war|invasion|agreement|deal|accord)", re.I)),
]
DEADLINE = re.compile(r"\b(?:by|until|till|before)\s*$", re.I)
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}


def tense_of(trigger: Token) -> str:
    """'past', 'future' or 'present' from the verb and its auxiliaries."""
    auxes = [c.lower_ for c in trigger.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("will", "shall", "'ll") for a in auxes):
        return "future"
    if trigger.dep_ == "xcomp" and any(c.lower_ == "to" for c in trigger.children):
        head = trigger.head
        if head.lemma_ in ("plan", "threaten", "intend", "vow", "promise", "aim", "want", "hope", "agree",
                           "prepare", "expect", "pledge", "seek", "propose") and head.tag_ != "VBD":
            return "future"
    if trigger.tag_ in ("VBD", "VBN") or any(a in ("had", "has", "have", "was", "were", "did") for a in auxes):
        return "past"
    return "present"


def _clamp_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_expression(kind: str, m: re.Match[str], published: date, tense: str,
                       previous: date | None = None) -> ResolvedDate | None:
    """One matched expression -> a date, or None when it cannot be placed on the calendar."""
    text = m.group(0)
    g = m.groups()
    if kind == "iso":
        d = _clamp_day(int(g[0]), int(g[1]), int(g[2]))
        return ResolvedDate(d.isoformat(), text, "day") if d else None
    if kind == "numeric":
        a, b, y = int(g[0]), int(g[1]), int(g[2])
        d = _clamp_day(y, a, b) if a <= 12 else _clamp_day(y, b, a)
        return ResolvedDate(d.isoformat(), text, "day") if d else None
    if kind == "month_day_year":
        d = _clamp_day(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
        return ResolvedDate(d.isoformat(), text, "day") if d else None
    if kind == "day_month_year":
        d = _clamp_day(int(g[2]), MONTHS[g[1].lower()], int(g[0]))
        return ResolvedDate(d.isoformat(), text, "day") if d else None
    if kind in ("month_day", "day_month"):
        month_name, day = (g[0], g[1]) if kind == "month_day" else (g[1], g[0])
        month = MONTHS[month_name.lower()]
        d = _clamp_day(published.year, month, int(day))
        if d is None:
            return None
        if tense == "future":
            if d < published:
                d = _clamp_day(published.year + 1, month, int(day)) or d
        elif d > published + timedelta(days=1):
            d = _clamp_day(published.year - 1, month, int(day)) or d
        return ResolvedDate(d.isoformat(), text, "day")
    if kind == "month_year":
        return ResolvedDate(f"{int(g[1]):04d}-{MONTHS[g[0].lower()]:02d}", text, "month")
    if kind == "relative_weekday":
        which, name = g[0].lower(), g[1].lower()
        target = WEEKDAYS[name]
        if which in ("next", "coming"):
            delta = (target - published.weekday()) % 7 or 7
            return ResolvedDate((published + timedelta(days=delta)).isoformat(), text, "day")
        if which == "this":
            return resolve_weekday(published, target, tense, text)
        delta = (published.weekday() - target) % 7 or 7
        return ResolvedDate((published - timedelta(days=delta)).isoformat(), text, "day")
    if kind == "weekday":
        return resolve_weekday(published, WEEKDAYS[g[0].lower()], tense, text)
    if kind == "yesterday":
        word = g[0].lower()
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "overnight": 0, "tomorrow": 1,
                  "the day before yesterday": -2}[word]
        return ResolvedDate((published + timedelta(days=offset)).isoformat(), text, "day")
    if kind == "relative_period":
        which, unit = g[0].lower(), g[1].lower()
        step = -1 if which in ("last", "past", "previous") else (1 if which in ("next", "coming") else 0)
        if unit in ("week", "weekend"):
            d = published + timedelta(days=7 * step)
            return ResolvedDate(f"{d.year:04d}-{d.month:02d}", text, "month")
        if unit == "month":
            y, mth = published.year, published.month + step
            if mth < 1:
                y, mth = y - 1, 12
            elif mth > 12:
                y, mth = y + 1, 1
            return ResolvedDate(f"{y:04d}-{mth:02d}", text, "month")
        return ResolvedDate(f"{published.year + step:04d}", text, "year")
    if kind == "ago":
        n = int(g[0]) if g[0].isdigit() else NUMBER_WORDS.get(g[0].lower(), 1)
        unit = g[1].lower()
        if unit == "day":
            return ResolvedDate((published - timedelta(days=n)).isoformat(), text, "day")
        if unit == "week":
            d = published - timedelta(days=7 * n)
            return ResolvedDate(d.isoformat(), text, "day") if n <= 1 else \
                ResolvedDate(f"{d.year:04d}-{d.month:02d}", text, "month")
        if unit == "month":
            y, mth = divmod(published.year * 12 + published.month - 1 - n, 12)
            return ResolvedDate(f"{y:04d}-{mth + 1:02d}", text, "month")
        return ResolvedDate(f"{published.year - n:04d}", text, "year")
    if kind == "following":
        if previous is None:
            return None
        low = text.lower()
        sign = -1 if "previous" in low else 1
        if "day" in low and "days" not in low:
            return ResolvedDate((previous + timedelta(days=sign)).isoformat(), text, "day")
        n = 1
        for word, value in NUMBER_WORDS.items():
            if low.startswith(word + " "):
                n = value
        digits = re.match(r"(\d+)", low)
        if digits:
            n = int(digits.group(1))
        if "days" in low:
            return ResolvedDate((previous + timedelta(days=sign * n)).isoformat(), text, "day")
        if "week" in low:
            d = previous + timedelta(days=sign * 7 * n)
            return ResolvedDate(d.isoformat(), text, "day")
        if "month" in low:
            y, mth = divmod(previous.year * 12 + previous.month - 1 + sign * n, 12)
            return ResolvedDate(f"{y:04d}-{mth + 1:02d}", text, "month")
        return ResolvedDate(f"{previous.year + sign:04d}", text, "year")
    if kind == "month":
        month = MONTHS[g[0].lower()]
        year = published.year
        if tense == "future":
            if month < published.month:
                year += 1
        elif month > published.month:
            year -= 1
        if re.match(r"(?i)last\b", text) and month >= published.month:
            year = published.year - 1
        return ResolvedDate(f"{year:04d}-{month:02d}", text.split()[-1] if " " in text else text, "month")
    if kind == "year":
        year = g[0] or g[1]
        return ResolvedDate(year, year, "year")
    return None


def resolve_weekday(published: date, weekday: int, tense: str, text: str = "") -> ResolvedDate:
    """Past or present: the latest such day on or before publication; future: the next one after it."""
    if tense == "future":
        delta = (weekday - published.weekday()) % 7 or 7
        d = published + timedelta(days=delta)
    else:
        d = published - timedelta(days=(published.weekday() - weekday) % 7)
    return ResolvedDate(d.isoformat(), text or calendar.day_name[weekday], "day")


def find_expressions(text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every date expression in ``text`` as (start, end, kind, match), longest first where they overlap."""
    hits: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(not (end <= s or start >= e) for s, e, _, _ in hits):
                continue
            hits.append((start, end, kind, m))
    return sorted(hits, key=lambda h: h[0])


def date_for_event(sent: Span, trigger: Token, published: date | None, previous: date | None,
                   also: list[Token] | None = None) -> ResolvedDate | None:
    """The date of the event whose trigger is ``trigger``: an expression attached to the trigger's
    clause wins, then one on the reporting verb (``also``), then the only one in the sentence."""
    if published is None:
        return None
    exprs = find_expressions(sent.text)
    if not exprs:
        return None
    tense = tense_of(trigger)
    base = sent.start_char
    doc = sent.doc

    def head_token(start: int, end: int) -> Token | None:
        span = doc.char_span(base + start, base + end, alignment_mode="expand")
        return span.root if span is not None else None

    def distance(tok: Token, anchor: Token) -> int | None:
        # steps up from tok to anchor, not crossing another verb
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
        if tok is None or DEADLINE.search(sent.text[: expr[0]]) or re.match(r"(?i)(?:by|until)\b", expr[3].group(0)):
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
    if best is None and trigger.tag_ in ("VBZ", "VBP") and not any(a.dep_ == "aux" for a in trigger.children):
        return None  # 'whom Moscow accuses of spying': a present state, not the day the sentence names
    # otherwise the only date in the sentence: news rarely names two times for one sentence's events
    chosen = best[1] if best else (exprs[0] if len(exprs) == 1 else None)
    if chosen is None:
        return None
    if chosen[2] == "following":
        # 'said on Thursday it had detained him the previous day': counted from the sentence's other day
        for other in exprs:
            if other is chosen or other[2] in ("following", "year", "month", "relative_period"):
                continue
            ref = resolve_expression(other[2], other[3], published, "past", previous)
            if ref is not None and ref.precision == "day":
                previous = ref.as_date
                break
    if best is not None and best_anchor is not trigger:
        # "said on April 19 that it would withdraw": the date is the report's, read in the report's tense
        tense = tense_of(best_anchor)
    return resolve_expression(chosen[2], chosen[3], published, tense, previous)


UNIT_DAYS = {"hour": 0, "day": 1, "week": 7}


def _relative_to_main(sent: Span, trigger: Token, published: date, previous: date | None,
                      also: list[Token] | None) -> ResolvedDate | bool | None:
    """The date of an event in an 'N days after/before ...' clause, from the date of the clause it depends on;
    None when the distance is vague ('days after'), False when the trigger is in no such clause."""
    clause = trigger
    for _ in range(6):
        marker = next((c for c in clause.children if c.dep_ in ("mark", "prep") and c.lower_ in ("after", "before")
                       and c.i < clause.i), None)
        if marker is not None or clause.dep_ not in ("conj", "xcomp", "ccomp", "dobj", "pobj", "pcomp"):
            break
        clause = clause.head
    else:
        return False
    if marker is None and clause.dep_ == "pcomp" and clause.head.lower_ in ("after", "before"):
        marker, clause = clause.head, clause.head
    if marker is None or clause.head.i == clause.i:
        return False
    main = clause.head
    measure = next((c for c in [*clause.children, *marker.children] if c.dep_ == "npadvmod"
                    and c.lemma_.lower() in ("hour", "day", "week", "month", "year")), None)
    if measure is None:
        return False
    unit = measure.lemma_.lower()
    count = None
    for c in measure.children:
        word = c.lower_
        if c.dep_ in ("det", "nummod") and (word in NUMBER_WORDS or word.isdigit()):
            count = int(word) if word.isdigit() else NUMBER_WORDS[word]
    if count is None and unit == "hour":
        count = 1
    if count is None:
        return None  # 'days after', 'weeks before': no calendar date
    base = date_for_event(sent, main, published, previous, also)
    if base is None or base.precision not in ("day", "month"):
        return None
    sign = 1 if marker.lower_ == "before" else -1
    if unit in UNIT_DAYS and base.precision == "day":
        d = base.as_date + timedelta(days=sign * count * UNIT_DAYS[unit])
        return ResolvedDate(d.isoformat(), f"{measure.text} {marker.text}", "day")
    if unit == "month" or (unit in UNIT_DAYS and base.precision == "month"):
        n = count if unit == "month" else 0
        y, m = divmod(base.as_date.year * 12 + base.as_date.month - 1 + sign * n, 12)
        return ResolvedDate(f"{y:04d}-{m + 1:02d}", f"{measure.text} {marker.text}", "month")
    return ResolvedDate(f"{base.as_date.year + sign * count:04d}", f"{measure.text} {marker.text}", "year")
