"""The typed records that flow between stages, and their JSON form (the public event record).

Every record is a frozen dataclass with ``to_dict`` / ``from_dict``; the JSON field names are the
contract described in DESIGN.md, so tools outside the project can rely on them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
ASSERTED, NEGATED, HYPOTHETICAL = FACTUALITY = ("asserted", "negated", "hypothetical")
DATE_PRECISION = ("day", "month", "year", "published")
DAY, MONTH, YEAR, PUBLISHED = DATE_PRECISION
PLACE_FEATURES = ("facility", "city", "admin", "region", "disputed", "water", "country")
COUNTRY_LEVEL = "country"
"""The feature of a place that is a whole country (a less precise point than a city)."""

@dataclass(frozen=True)
class Article:
    """One news article: the text events are read from, with what we know about its publication."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    lang: str = "en"
    source_path: str | None = None

    @staticmethod
    def make_id(text: str) -> str:
        """A stable id from the content, so the same article read twice gets the same id."""
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        pub = d.get("published")
        return cls(
            id=d["id"], text=d["text"], title=d.get("title"),
            published=date.fromisoformat(pub) if isinstance(pub, str) and pub else pub or None,
            url=d.get("url"), outlet=d.get("outlet"), lang=d.get("lang") or "en",
            source_path=d.get("source_path"),
        )

STAGES: tuple[str, ...] = ("read", "language", "extract", "store", "fetch", "alert")
SEVERITIES: tuple[str, ...] = ("error", "warning", "skipped")


@dataclass(frozen=True)
class Failure:
    """What could not be done with one input, and why: ``stage`` says where it stopped (read, language, extract,
    store, fetch, alert); ``severity`` whether the input was lost (error), kept with a caveat (warning), or left out on
    purpose (skipped: a language we do not code). A batch records it and goes on."""

    input: str
    reason: str
    stage: str = "read"
    severity: str = "error"

    def __post_init__(self) -> None:
        if self.stage not in STAGES or self.severity not in SEVERITIES:
            raise ValueError(f"Failure stage {self.stage!r} / severity {self.severity!r} is not one we record")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def line(self) -> str:
        """One line for a person: 'FILE: reason (stage)'."""
        return f"{self.input}: {self.reason}" + (f" ({self.stage})" if self.stage != "read" else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted on: the words, and their coding (country ISO-3 or IGO code + sector)."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    members: tuple[Actor, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "name": self.name, "country": self.country, "sector": self.sector,
            "code": self.code, "members": [m.to_dict() for m in self.members],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Actor | None:
        if d is None:
            return None
        return cls(
            text=d["text"], name=d.get("name"), country=d.get("country"), sector=d.get("sector"),
            code=d.get("code"), members=tuple(cls.from_dict(m) for m in d.get("members") or ()),
        )

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country this actor stands for (all members of a compound actor)."""
        if self.members:
            return tuple(m.country for m in self.members if m.country)
        return (self.country,) if self.country else ()

@dataclass(frozen=True)
class Place:
    """Where an event happened, resolved against the gazetteer."""

    text: str
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Place | None:
        if d is None:
            return None
        return cls(**{f.name: d.get(f.name) for f in fields(cls)})

@dataclass(frozen=True)
class Quantity:
    """A number attached to an event: people killed, troops, money."""

    kind: str
    value: float
    unit: str | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quantity:
        return cls(kind=d["kind"], value=d["value"], unit=d.get("unit"), text=d.get("text", ""))

@dataclass(frozen=True)
class Evidence:
    """The exact words an event was read from: ``text[start:end] == sentence`` for the article text."""

    sentence: str
    start: int
    end: int
    trigger: str
    trigger_start: int | None = None
    trigger_end: int | None = None
    rule: str | None = None
    """The id of the trigger rule that made the event ("assault.shell.v1")."""
    steps: tuple[str, ...] = ()
    """The ids of the role, post- and factuality rules applied to it, in order."""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["steps"] = list(self.steps)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        values = {f.name: d.get(f.name) for f in fields(cls)}
        values["steps"] = tuple(values.get("steps") or ())
        return cls(**values)

@dataclass(frozen=True)
class Event:
    """One event: the public record every tool relies on (see DESIGN.md, 'The event record')."""

    event_id: str
    doc_id: str
    event_type: str
    cameo: str
    quad_class: int
    goldstein: float
    evidence: Evidence
    mode: str | None = None
    context: str | None = None
    source: Actor | None = None
    target: Actor | None = None
    date: str | None = None
    date_text: str | None = None
    date_precision: str | None = None
    location: Place | None = None
    factuality: str = "asserted"
    attribution: Actor | None = None
    quantities: tuple[Quantity, ...] = field(default_factory=tuple)
    lang: str = "en"
    confidence: float = 0.5

    FIELDS = (
        "event_id", "doc_id", "event_type", "mode", "context", "cameo", "quad_class", "goldstein",
        "source", "target", "date", "date_text", "date_precision", "location", "factuality",
        "attribution", "quantities", "evidence", "lang", "confidence",
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON record, with fields in the documented order."""
        out: dict[str, Any] = {}
        for name in self.FIELDS:
            value = getattr(self, name)
            if name == "quantities":
                value = [q.to_dict() for q in value]
            elif hasattr(value, "to_dict"):
                value = value.to_dict()
            out[name] = value
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            event_id=d["event_id"], doc_id=d["doc_id"], event_type=d["event_type"], cameo=d["cameo"],
            quad_class=int(d["quad_class"]), goldstein=float(d["goldstein"]),
            evidence=Evidence.from_dict(d["evidence"]), mode=d.get("mode"), context=d.get("context"),
            source=Actor.from_dict(d.get("source")), target=Actor.from_dict(d.get("target")),
            date=d.get("date"), date_text=d.get("date_text"), date_precision=d.get("date_precision"),
            location=Place.from_dict(d.get("location")), factuality=d.get("factuality", "asserted"),
            attribution=Actor.from_dict(d.get("attribution")),
            quantities=tuple(Quantity.from_dict(q) for q in d.get("quantities") or ()),
            lang=d.get("lang") or "en",
            confidence=float(d.get("confidence", 0.5)),
        )

    @classmethod
    def from_json(cls, line: str) -> Event:
        return cls.from_dict(json.loads(line))
