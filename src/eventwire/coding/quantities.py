"""Numbers attached to events: people killed, injured, arrested, displaced; troops; money.

The words (spelled numbers, scales, currencies, the verbs and nouns of what was counted) are the language's
``rules/<lang>/words/quantities.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span, Token

from ..model import Quantity
from .syntax import lang_maps, lang_words

# the kinds of quantity that are not casualty kinds of the word file
MONEY = "money"
TROOPS = "troops"
# currency symbols stripped from a figure before its number is read, "us$" before "$"
_CURRENCY_SYMBOLS = ("us$", "$", "€", "£", "¥")


@cache
def _approximator(lang: str) -> re.Pattern[str]:
    """ "at least 41", "more than 1,100": the words before the number itself."""
    words = sorted(lang_words(lang)["approximators"], key=lambda w: (-len(w), w))
    return re.compile(r"^(" + "|".join(re.escape(w) for w in words) + r")\s+")


def parse_number(text: str, lang: str = "en") -> float | None:
    """'1,100' -> 1100, 'nine' -> 9, '$100 million' -> 1e8, 'at least 41' -> 41."""
    maps = lang_maps(lang)
    scales, number_words = maps["quantity_scales"], maps["quantity_number_words"]
    t = text.lower().replace(",", "").strip()
    t = _approximator(lang).sub("", t)
    for sym in _CURRENCY_SYMBOLS:
        t = t.replace(sym, "")
    m = re.match(r"(\d+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        value = float(m.group(1))
        if m.group(2) in scales:
            value *= scales[m.group(2)]
        return value
    words = t.split()
    if words and words[0] in number_words:
        value = float(number_words[words[0]])
        multipliers = maps["spelled_number_multipliers"]
        if len(words) > 1 and words[1] in scales:
            value *= scales[words[1]]
        elif len(words) > 1 and words[1] in multipliers:
            value *= multipliers[words[1]]
        return value
    return None


def sentence_quantities(sent: Span) -> list[Quantity]:
    """Every casualty, troop or money figure in a sentence."""
    lang = sent.doc.lang_
    out: list[Quantity] = []
    for ent in sent.ents:
        if ent.label_ == "MONEY":
            value = parse_number(ent.text, lang)
            if value is None:
                continue
            currencies = lang_maps(lang)["currency_codes"]
            unit = next((code for sym, code in currencies.items() if sym in ent.text), None)
            out.append(Quantity(MONEY, value, unit, ent.text))
        elif ent.label_ in ("CARDINAL", "QUANTITY"):
            value = parse_number(ent.text, lang)
            if value is None or (1900 <= value <= 2100 and ent.text.isdigit()):
                continue
            noun = ent.root.head if ent.root.dep_ in ("nummod", "quantmod", "amod") else ent.root
            kind = _kind(noun)
            if kind is None:
                continue
            out.append(Quantity(kind, value, None, sent.doc[ent.start : max(ent.end, noun.i + 1)].text))
    return out


def _kind(noun: Token) -> str | None:
    maps = lang_maps(noun.doc.lang_)
    by_noun, by_verb = maps["casualty_kind_by_noun"], maps["casualty_kind_by_verb"]
    low = noun.lower_
    if low in by_noun:
        return by_noun[low]
    if low in lang_words(noun.doc.lang_)["troop_nouns"]:
        verb = noun.head
        for _ in range(3):
            if verb.lemma_.lower() in by_verb:
                return by_verb[verb.lemma_.lower()]
            if verb.head.i == verb.i:
                break
            verb = verb.head
        return TROOPS
    verb = noun.head
    for _ in range(3):
        lemma = verb.lemma_.lower()
        if lemma in by_verb:
            return by_verb[lemma]
        for child in verb.children:
            if child.dep_ in ("acomp", "oprd", "xcomp") and child.lemma_.lower() in by_verb:
                return by_verb[child.lemma_.lower()]
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return None
