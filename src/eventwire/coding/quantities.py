"""Numbers attached to events: people killed, injured, arrested, displaced; troops; money."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..model import Quantity

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9, "k": 1e3}
CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "dollars": "USD", "dollar": "USD",
              "euros": "EUR", "euro": "EUR", "pounds": "GBP", "rubles": "RUB", "roubles": "RUB", "yuan": "CNY"}
KIND_BY_VERB = {
    "kill": "killed", "die": "killed", "dead": "killed", "death": "killed", "massacre": "killed",
    "murder": "killed", "execute": "killed", "behead": "killed", "slay": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "injury": "injured",
    "arrest": "arrested", "detain": "arrested", "jail": "arrested", "imprison": "arrested",
    "abduct": "abducted", "kidnap": "abducted", "displace": "displaced", "flee": "displaced",
    "evacuate": "evacuated", "deport": "deported", "expel": "deported", "release": "released",
    "free": "released",
}
KIND_BY_NOUN = {"dead": "killed", "deaths": "killed", "casualties": "casualties", "fatalities": "killed",
                "wounded": "injured", "injured": "injured", "refugees": "displaced", "hostages": "hostages",
                "prisoners": "prisoners", "detainees": "arrested", "arrests": "arrested"}
TROOP_WORDS = {"troops", "troop", "soldiers", "personnel", "forces", "marines", "servicemen", "peacekeepers",
               "mercenaries", "fighters", "paratroopers", "instructors", "sailors", "reservists", "conscripts"}


def parse_number(text: str) -> float | None:
    """'1,100' -> 1100, 'nine' -> 9, '$100 million' -> 1e8, 'at least 41' -> 41."""
    t = text.lower().replace(",", "").strip()
    t = re.sub(r"^(at least|about|around|some|nearly|almost|more than|over|up to|roughly|approximately|"
               r"an estimated|as many as|fewer than|less than|at most|just over|just under)\s+", "", t)
    for sym in ("us$", "$", "€", "£", "¥"):
        t = t.replace(sym, "")
    m = re.match(r"(\d+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        value = float(m.group(1))
        if m.group(2) in SCALES:
            value *= SCALES[m.group(2)]
        return value
    words = t.split()
    if words and words[0] in NUMBER_WORDS:
        value = float(NUMBER_WORDS[words[0]])
        if len(words) > 1 and words[1] in SCALES:
            value *= SCALES[words[1]]
        elif len(words) > 1 and words[1] == "hundred":
            value *= 100
        return value
    return None


def sentence_quantities(sent: Span) -> list[Quantity]:
    """Every casualty, troop or money figure in a sentence."""
    out: list[Quantity] = []
    for ent in sent.ents:
        if ent.label_ == "MONEY":
            value = parse_number(ent.text)
            if value is None:
                continue
            unit = next((code for sym, code in CURRENCIES.items() if sym in ent.text), None)
            out.append(Quantity("money", value, unit, ent.text))
        elif ent.label_ in ("CARDINAL", "QUANTITY"):
            value = parse_number(ent.text)
            if value is None or (1900 <= value <= 2100 and ent.text.isdigit()):
                continue
            noun = ent.root.head if ent.root.dep_ in ("nummod", "quantmod", "amod") else ent.root
            kind = _kind(noun)
            if kind is None:
                continue
            out.append(Quantity(kind, value, None, sent.doc[ent.start : max(ent.end, noun.i + 1)].text))
    return out


def _kind(noun) -> str | None:
    low = noun.lower_
    if low in KIND_BY_NOUN:
        return KIND_BY_NOUN[low]
    if low in TROOP_WORDS:
        verb = noun.head
        for _ in range(3):
            if verb.lemma_.lower() in KIND_BY_VERB:
                return KIND_BY_VERB[verb.lemma_.lower()]
            if verb.head.i == verb.i:
                break
            verb = verb.head
        return "troops"
    verb = noun.head
    for _ in range(3):
        lemma = verb.lemma_.lower()
        if lemma in KIND_BY_VERB:
            return KIND_BY_VERB[lemma]
        for child in verb.children:
            if child.dep_ in ("acomp", "oprd", "xcomp") and child.lemma_.lower() in KIND_BY_VERB:
                return KIND_BY_VERB[child.lemma_.lower()]
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return None
