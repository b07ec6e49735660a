"""Validate eventwire_gold.jsonl and print its counts per type and per tag.

Usage: python tests/gold/check_gold.py [path]   (exit status 1 when a line is invalid)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pycountry

TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
IGOS = {"UN", "NATO", "EU", "AU", "ECOWAS", "IAEA", "ICC", "IMF", "WB", "OPEC", "ASEAN", "AES", "GCC", "ARL"}
TAGS = {
    "passive",
    "coordination",
    "negation",
    "hypothetical",
    "reported_speech",
    "multi_event",
    "sport",
    "business",
    "nominal",
    "light_verb",
    "metonym",
    "demonym",
    "title_person",
    "igo",
    "armed_group",
    "coreference",
    "date_relative",
    "location",
    "niger",
    # French gold set (fr_gold.jsonl)
    "sahel",
    "conditional",
    "denial",
    "pronominal",
    "dateline",
    "exonym",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# the same days in French, index for index (fr_gold.jsonl)
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ISO3 = {c.alpha_3 for c in pycountry.countries}


def _code_ok(code: str) -> bool:
    return code in ISO3 or code in IGOS


def _date_errors(value: str | None, published: date) -> list[str]:
    if value is None:
        return []
    if not DATE_RE.match(value):
        return [f"bad date {value!r}"]
    parts = [int(p) for p in value.split("-")]
    try:
        start = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return [f"impossible date {value!r}"]
    if start > published:
        return [f"date {value} after published {published}"]
    return []


def _location_errors(loc: object) -> list[str]:
    if loc is None:
        return []
    if not isinstance(loc, dict) or not loc.get("name"):
        return ["location needs a name"]
    lat, lon = loc.get("lat"), loc.get("lon")
    if (lat is None) != (lon is None):
        return ["lat and lon must both be set or both be null"]
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return [f"coordinates out of range {lat},{lon}"]
    return []


def _weekday_warnings(item: dict, published: date) -> list[str]:
    """A weekday word in the text should be the weekday of some full gold date within the week before publication."""
    words = {WEEKDAYS[i] for i in range(7) for w in (WEEKDAYS[i], WEEKDAYS_FR[i])
             if re.search(rf"\b{w}\b", item["text"], re.IGNORECASE)}
    days = []
    for ev in item["gold"]:
        d = ev.get("date")
        if d and len(d) == 10:
            days.append(date.fromisoformat(d))
    out = []
    for d in days:
        if (published - d).days > 7:
            out.append(f"{d} is more than a week before {published}")
        if words and WEEKDAYS[d.weekday()] not in words and d != published:
            out.append(f"{d} is a {WEEKDAYS[d.weekday()]}, text names {sorted(words)}")
    return out


def check(path: Path) -> tuple[list[str], list[str], list[dict]]:
    errors, warnings, items = [], [], []
    seen = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        items.append(item)
        where = f"line {n} ({item.get('id')})"
        if item.get("id") in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(item.get("id"))
        try:
            published = date.fromisoformat(item["published"])
        except (KeyError, TypeError, ValueError):
            errors.append(f"{where}: bad published")
            continue
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            errors.append(f"{where}: empty text")
        for tag in item.get("tags", []):
            if tag not in TAGS:
                errors.append(f"{where}: unknown tag {tag}")
        for ev in item.get("gold", []):
            for t in ev.get("types", []):
                if t not in TYPES:
                    errors.append(f"{where}: unknown type {t}")
            if not ev.get("types") or not ev.get("source"):
                errors.append(f"{where}: gold event needs types and source")
            for code in (ev.get("source") or []) + (ev.get("target") or []):
                if not _code_ok(code):
                    errors.append(f"{where}: unknown country code {code}")
            if not isinstance(ev.get("symmetric"), bool):
                errors.append(f"{where}: symmetric must be true or false")
            errors += [f"{where}: {e}" for e in _date_errors(ev.get("date"), published)]
            errors += [f"{where}: {e}" for e in _location_errors(ev.get("location"))]
        for rule in item.get("forbid", []):
            for t in rule.get("types", []):
                if t not in TYPES:
                    errors.append(f"{where}: unknown forbid type {t}")
            for code in rule.get("source") or []:
                if not _code_ok(code):
                    errors.append(f"{where}: unknown forbid code {code}")
        warnings += [f"{where}: {w}" for w in _weekday_warnings(item, published)]
    return errors, warnings, items


def counts(items: list[dict]) -> tuple[Counter, Counter, Counter, Counter]:
    """Gold events per listed type (an event with two types counts under each), per first-listed type,
    items per tag, and other figures."""
    per_type, first_type, per_tag, other = Counter(), Counter(), Counter(), Counter()
    for item in items:
        tags = set(item.get("tags", []))
        other["items"] += 1
        other["gold_events"] += len(item["gold"])
        if not item["gold"]:
            other["items_without_events"] += 1
            for group in ("negation", "hypothetical"):
                if group in tags:
                    other[f"{group}_items_without_events"] += 1
            if tags & {"sport", "business"}:
                other["sport_or_business_items_without_events"] += 1
        for ev in item["gold"]:
            per_type.update(ev["types"])
            first_type[ev["types"][0]] += 1
            if len(ev["types"]) > 1:
                other["events_with_two_types"] += 1
            if ev.get("date"):
                other["events_with_date"] += 1
            if ev.get("location"):
                other["events_with_location"] += 1
        per_tag.update(tags)
    return per_type, first_type, per_tag, other


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("eventwire_gold.jsonl")
    errors, warnings, items = check(path)
    for e in errors:
        print("ERROR", e)
    for w in warnings:
        print("WARN ", w)
    per_type, first_type, per_tag, other = counts(items)
    print("\n| figure | count |\n|---|---|")
    for k, v in other.items():
        print(f"| {k} | {v} |")
    print("\n| type | gold events listing it | first-listed type |\n|---|---|---|")
    for t in sorted(TYPES, key=lambda t: (-per_type[t], t)):
        print(f"| {t} | {per_type[t]} | {first_type[t]} |")
    print("\n| tag | items |\n|---|---|")
    for t, v in per_tag.most_common():
        print(f"| {t} | {v} |")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
