"""Converters from public gold sets to the ``eventwire eval`` gold format.

- PLOVER GSR (``plover_gsr_cameo.json``): PLOVER-coded example sentences. Old type names are mapped
  (DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT).
- PETRARCH-2 GSR (``petr2_gsr_validation.xml``): CAMEO-coded news sentences; each CAMEO code is mapped
  to its PLOVER type through our ontology and kept as ``cameo`` so the root-code agreement is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import GoldFormatError
from .ontology import cameo_info

OLD_PLOVER_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
GENERIC_CODES = {"IGO", "NGO", "MNC", "UIS", "---"}
# a few gold records use old CAMEO country codes where ISO 3166 differs
CAMEO_COUNTRY = {"ITL": "ITA", "JAP": "JPN", "VTN": "VNM"}


def _named_in(words: str) -> str | None:
    """The code of the longest dictionary name inside an actor text ("U.N. Secretary-General Kofi Annan" -> UN)."""
    from .coding.lexicon import lexicon

    toks = words.replace("(", " ").replace(")", " ").split()
    for size in range(len(toks), 0, -1):
        for i in range(len(toks) - size + 1):
            entries = lexicon().forms.get(" ".join(toks[i : i + size])) or []
            code = next((e.country for e in entries if e.country), None)
            if code:
                return code
    return None


def _actor_codes(actors: list[dict[str, Any]] | None) -> list[str]:
    """Country or IGO codes for a list of gold actors; 'IGO' is resolved by its words where we can."""
    from .coding.lexicon import lexicon

    out: list[str] = []
    for actor in actors if isinstance(actors, list) else []:
        if not isinstance(actor, dict):  # a few records carry a stray string here
            continue
        code = str(actor.get("code") or "")[:3].upper()
        if code in GENERIC_CODES or not code:
            words = str(actor.get("actorText") or "")
            entries = lexicon().forms.get(words) or lexicon().forms.get(words.removeprefix("the ")) or []
            code = next((e.country for e in entries if e.country), None) or _named_in(words) or code
        code = CAMEO_COUNTRY.get(code, code)
        if code and code not in out:
            out.append(code)
    return out


def convert_plover_gsr(path: Path) -> Iterator[dict[str, Any]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{path}: not a PLOVER GSR JSON file ({exc})") from None
    for rec in records:
        if rec.get("event") == "DOCUMENT" or not rec.get("text"):
            continue
        etype = OLD_PLOVER_NAMES.get(rec["event"], rec["event"])
        source = _actor_codes(rec.get("source"))
        target = _actor_codes(rec.get("target")) or None
        if not source:
            continue
        yield {"id": rec["id"], "published": rec.get("date") or None, "text": rec["text"],
               "gold": [{"types": [etype], "source": source, "target": target, "symmetric": False,
                         "date": None, "location": None}],
               "forbid": [], "tags": ["plover_gsr"]}


def _petr_code(code: str) -> str:
    code = code.upper()
    return code[:3]


def convert_petr2(path: Path) -> Iterator[dict[str, Any]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc.strerror})") from None
    # the file is XML-like but not well formed (self-closed and open <Sentence> tags mixed, '#' banners),
    # so it is read as a sequence of tags
    tag_re = re.compile(r"<(Sentence|EventCoding)\b([^>]*)>|<Text>(.*?)</Text>", re.S)
    attr_re = re.compile(r'(\w+)="([^"]*)"')
    current: dict[str, str] | None = None
    codings: list[dict[str, str]] = []
    found = False
    for m in tag_re.finditer(raw):
        if m.group(1) == "Sentence":
            current, codings, found = dict(attr_re.findall(m.group(2))), [], True
        elif m.group(1) == "EventCoding" and current is not None:
            codings.append(dict(attr_re.findall(m.group(2))))
        elif m.group(3) is not None and current is not None:
            text = " ".join(m.group(3).split())
            d = current.get("date", "")
            published = f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else None
            gold = []
            for c in codings:
                if c.get("noevents") or not c.get("eventcode"):
                    continue
                cameo = c["eventcode"]
                ptype = cameo_info(cameo).get("plover_type")
                if not ptype:
                    continue
                target = c.get("targetcode")
                gold.append({"types": [ptype], "source": [_petr_code(c.get("sourcecode", ""))],
                             "target": [_petr_code(target)] if target else None, "symmetric": False,
                             "date": None, "location": None, "cameo": cameo})
            yield {"id": current.get("id"), "published": published, "text": text, "gold": gold,
                   "forbid": [], "tags": ["petr2_gsr"]}
            current = None
    if not found:
        raise GoldFormatError(f"{path}: no <Sentence> records; is this a PETRARCH validation file?")


CONVERTERS = {"plover-gsr": convert_plover_gsr, "petr2": convert_petr2}


def convert(kind: str, path: Path) -> list[dict[str, Any]]:
    if kind not in CONVERTERS:
        raise GoldFormatError(f"unknown gold set kind '{kind}'; use one of {', '.join(CONVERTERS)}")
    return list(CONVERTERS[kind](path))


def to_jsonl(items: list[dict]) -> str:
    """The JSONL ``eventwire gold`` writes, one item a line; the same bytes for the same items, so that the
    floors pinned to a converted gold set's hash hold wherever it is converted."""
    import json

    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
