"""One event per happening: mentions of the same event are merged, and every mention is kept.

Exact-attribute de-duplication fails (GDELT counted one kidnapping 366 times), so mentions merge on
event type, dyad (source and target countries), factuality, a date window and a compatible place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

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
