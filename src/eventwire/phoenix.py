"""Importer for Phoenix / PETRARCH (TABARI-format) actor dictionaries.

Event-data users keep their actor lists in this format; importing it keeps their work, including
the date ranges of each role (office holders change: "President X" codes differently in other years).

Format: an entry line ``NAME_ [CODE]`` or ``NAME_`` followed by ``+SYNONYM_`` lines and indented
``[CODE from-to]`` lines; ``_`` stands for a space; dates are ``YYMMDD`` or ``YYYYMMDD``, with ``>D``
(from D on), ``<D`` (until D) or ``D1-D2``; ``#`` starts a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pycountry

from .errors import InputError

CODE_RE = re.compile(r"\[([^\]]+)\]")
IGO_CODES = {"IGOUNO": "UN", "IGOEUREEC": "EU", "IGOEUR": "EU", "IGONAT": "NATO", "IGOAFRAFU": "AU",
             "IGOWAFWAS": "ECOWAS", "IGOARBARL": "ARL", "IGOUNOIAE": "IAEA", "IGOUNOHLHWHO": "WHO",
             "IGOUNOKID": "UNICEF", "IGOUNODEVWBK": "WB", "IGOUNODEVIMF": "IMF"}
SECTORS = {"GOV", "MIL", "REB", "OPP", "CVL", "MED", "JUD", "LEG", "BUS", "COP", "SPY", "ELI", "NGO", "IGO",
           "REF", "CRM", "LAB", "EDU", "HLH", "REL", "AGR", "ENV", "MNC", "UAF", "INS", "SEP", "RAD", "PTY"}


@dataclass(frozen=True)
class Role:
    """One coded role of an actor, valid from/to (open-ended when None)."""

    code: str
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def country(self) -> str | None:
        for prefix, igo in sorted(IGO_CODES.items(), key=lambda kv: -len(kv[0])):
            if self.code.startswith(prefix):
                return igo
        head = self.code[:3]
        if head == "IGO":
            return "IGO"
        return head if pycountry.countries.get(alpha_3=head) else None

    @property
    def sector(self) -> str | None:
        rest = self.code[3:] if self.country not in IGO_CODES.values() else ""
        for i in range(0, len(rest), 3):
            if rest[i : i + 3] in SECTORS:
                return rest[i : i + 3]
        return "IGO" if self.country in IGO_CODES.values() else None


@dataclass
class PhoenixActor:
    """A dictionary entry: its names and its dated roles."""

    names: list[str]
    roles: list[Role] = field(default_factory=list)


def _name(raw: str) -> str:
    text = raw.strip().strip("+").replace("_", " ").strip()
    return " ".join(w if any(c.islower() for c in w) else w.title() if len(w) > 3 or "." not in w else w
                    for w in text.split())


def _parse_date(raw: str) -> date | None:
    raw = raw.strip()
    try:
        if len(raw) == 6:
            yy = int(raw[:2])
            return date(1900 + yy if yy > 40 else 2000 + yy, int(raw[2:4]), int(raw[4:6]))
        if len(raw) == 8:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        return None
    return None


def parse_role(text: str) -> Role | None:
    parts = text.split()
    if not parts:
        return None
    code = parts[0].upper()
    if not re.fullmatch(r"[A-Z]{3,15}", code):
        return None
    if len(parts) == 1:
        return Role(code)
    span = parts[1]
    if span.startswith(">"):
        return Role(code, _parse_date(span[1:]), None)
    if span.startswith("<"):
        return Role(code, None, _parse_date(span[1:]))
    if "-" in span:
        a, b = span.split("-", 1)
        return Role(code, _parse_date(a), _parse_date(b))
    return Role(code)


def read_actor_file(path: Path) -> list[PhoenixActor]:
    """Every entry of a Phoenix actor dictionary, in file order."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    actors: list[PhoenixActor] = []
    current: PhoenixActor | None = None
    for line in lines:
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        codes = [r for r in (parse_role(c) for c in CODE_RE.findall(body)) if r is not None]
        head = CODE_RE.sub("", body)
        if body[0] in " \t" and not head.strip():
            if current is not None:
                current.roles.extend(codes)
            continue
        if head.lstrip().startswith("+"):
            if current is not None and _name(head):
                current.names.append(_name(head))
                current.roles.extend(codes)
            continue
        name = _name(head)
        if not name:
            continue
        current = PhoenixActor([name], list(codes))
        actors.append(current)
    return [a for a in actors if a.roles]


def to_actor_yaml(actors: list[PhoenixActor]) -> dict:
    """Our dictionary format (``people`` with dated roles) for imported entries."""
    people = []
    for actor in actors:
        for role in actor.roles:
            country = role.country
            if country is None or country == "IGO":
                continue
            people.append({
                "name": actor.names[0], "aliases": actor.names[1:], "country": country, "sector": role.sector,
                "from": role.valid_from.isoformat() if role.valid_from else None,
                "to": role.valid_to.isoformat() if role.valid_to else None,
            })
    return {"version": 1, "source": "imported from Phoenix/PETRARCH actor dictionaries", "people": people}
