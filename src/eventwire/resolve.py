"""One event per happening: mentions of the same event are merged, and every mention is kept.

Exact-attribute de-duplication fails (GDELT counted one kidnapping 366 times), so mentions merge on
event type, dyad (source and target countries), factuality, a date window and a compatible place.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .model import Event

DATE_WINDOW_DAYS = 1
SPECIFICITY = {"facility": 4, "city": 3, "admin": 2, "region": 2, "disputed": 2, "water": 1, "country": 0}
PRECISION = {"day": 3, "month": 2, "year": 1, "published": 0, None: -1}


@dataclass
class Happening:
    """A merged event and the mentions (one per sentence that reported it) it was built from."""

    event: Event
    mentions: list[Event] = field(default_factory=list)


def _dyad(e: Event) -> tuple[frozenset[str], frozenset[str]]:
    src = frozenset(e.source.countries) if e.source else frozenset()
    tgt = frozenset(e.target.countries) if e.target else frozenset()
    return src, tgt


def _day(e: Event) -> date | None:
    if e.date and len(e.date) == 10:
        return date.fromisoformat(e.date)
    return None


def same_happening(a: Event, b: Event) -> bool:
    """Two mentions describe one happening: same type, dyad and factuality, close dates, same country."""
    if a.event_type != b.event_type or a.factuality != b.factuality:
        return False
    (sa, ta), (sb, tb) = _dyad(a), _dyad(b)
    if sa != sb or (ta and tb and ta != tb):
        return False
    # a date that fell back to the publication date still bounds the happening in time
    if a.date and b.date:
        da, db = _day(a), _day(b)
        if da and db:
            if abs((da - db).days) > DATE_WINDOW_DAYS:
                return False
        elif not (a.date.startswith(b.date) or b.date.startswith(a.date)):
            return False
    la, lb = a.location, b.location
    return not (la and lb and la.country and lb.country and la.country != lb.country)


_YEAR_OR_MONTH = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2]))?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_key(iso: str | None) -> str:
    """The bucket a stored date is looked up by: a valid YYYY, YYYY-MM or YYYY-MM-DD as it is, '' for no date, '*'
    for any other text (those are always looked at). ``store.schema.DATE_KEY_SQL`` computes the same in SQL."""
    if not iso:
        return ""
    if iso.startswith("0000"):
        return "*"
    if _YEAR_OR_MONTH.fullmatch(iso):
        return iso
    if _DAY.fullmatch(iso):
        try:
            date.fromisoformat(iso)
        except ValueError:
            return "*"
        return iso
    return "*"


def window_keys(iso: str | None) -> list[str] | None:
    """The date keys (``date_key``) of every date ``same_happening`` may take as the same time as ``iso``: the days
    within DATE_WINDOW_DAYS of a day, the month and year it falls in, every day and month of a month or a year, no
    date and the unusual ('*'). None when any date may (no date, or an unusual one)."""
    key = date_key(iso)
    if key in ("", "*"):
        return None
    keys = {"", "*", key[:4]}
    if len(key) == 10:
        day = date.fromisoformat(key)
        keys.add(key[:7])
        for offset in range(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1):
            with contextlib.suppress(OverflowError):  # before year 1 or after 9999
                keys.add((day + timedelta(days=offset)).isoformat())
        return sorted(keys)
    year = int(key[:4])
    months = [int(key[5:7])] if len(key) == 7 else range(1, 13)
    for month in months:
        keys.add(f"{year:04d}-{month:02d}")
        keys.update(f"{year:04d}-{month:02d}-{d:02d}" for d in range(1, calendar.monthrange(year, month)[1] + 1))
    return sorted(keys)


def merge_key(event_type: str | None, factuality: str | None, source_key: str | None, date_text: str) -> str | None:
    """What an event is looked up by when a mention may merge into it: type, factuality, source (as the store keys
    it) and a date key; None when one of them is missing (such an event is never merged into)."""
    if event_type is None or factuality is None or source_key is None:
        return None
    return f"{event_type}|{factuality}|{source_key}|{date_text}"


def merge_into(base: Event, other: Event) -> Event:
    """The better-known value of each field wins: the most precise date, the most specific place."""
    updates = {}
    if PRECISION[other.date_precision] > PRECISION[base.date_precision]:
        updates.update(date=other.date, date_text=other.date_text, date_precision=other.date_precision)
    if other.location and (base.location is None or SPECIFICITY.get(other.location.feature or "", 0)
                           > SPECIFICITY.get(base.location.feature or "", 0)):
        updates["location"] = other.location
    if base.target is None and other.target is not None:
        updates["target"] = other.target
    if base.attribution is None and other.attribution is not None:
        updates["attribution"] = other.attribution
    if other.quantities:
        known = set(base.quantities)
        updates["quantities"] = base.quantities + tuple(q for q in other.quantities if q not in known)
    updates["confidence"] = round(min(0.99, max(base.confidence, other.confidence) + 0.05), 2)
    return replace(base, **updates)


def merge_mentions(events: list[Event]) -> list[Happening]:
    """Group mentions (in article order) into happenings; the first mention keeps its id and evidence."""
    out: list[Happening] = []
    for event in events:
        for h in out:
            if same_happening(h.mentions[0], event):
                h.mentions.append(event)
                h.event = merge_into(h.event, event)
                break
        else:
            out.append(Happening(event, [event]))
    return out
