"""Every rule's own examples are its tests: each example must produce the rule, no counter-example may.

A trigger rule is produced when an event's ``evidence.rule`` is its id; a post-, role or factuality rule
when its id is in an event's ``evidence.steps``. Each language's rules are tried on their own language's
examples, through that language's pipeline; the sentences are parsed once for the whole session.
"""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.coding.events import extract_doc
from eventwire.coding.rules import RuleSet, load_rules
from eventwire.nlp import LANGUAGES, load

PUBLISHED = date(2024, 6, 3)
RULES: dict[str, RuleSet] = {lang: load_rules(lang, user_files=[]) for lang in LANGUAGES}
CASES = []
for _lang, _rules in RULES.items():
    for _rid in _rules.all_ids():
        _rule = _rules.rules.get(_rid) or _rules.post.get(_rid) or _rules.roles.get(_rid) \
            or next((g for g, _ in _rules.guards if g.id == _rid), None)
        for _n, _text in enumerate(_rule.examples):
            CASES.append(pytest.param(_lang, _rid, _text, True, id=f"{_lang}-{_rid}-example{_n}"))
        for _n, _text in enumerate(_rule.counter_examples):
            CASES.append(pytest.param(_lang, _rid, _text, False, id=f"{_lang}-{_rid}-counter{_n}"))


@pytest.fixture(scope="session")
def produced() -> dict[tuple[str, str], set[str]]:
    """(language, sentence) -> every rule id it produced (trigger rules and steps)."""
    out: dict[tuple[str, str], set[str]] = {}
    for lang, rules in RULES.items():
        texts = sorted({c.values[2] for c in CASES if c.values[0] == lang})
        for text, doc in zip(texts, load(lang).pipe(texts), strict=True):
            ids: set[str] = set()
            for event in extract_doc(doc, "example", PUBLISHED, rules):
                ids.add(event.evidence.rule or "")
                ids.update(event.evidence.steps)
            out[lang, text] = ids
    return out


@pytest.mark.parametrize(("lang", "rule_id", "text", "expected"), CASES)
def test_rule_example(produced: dict[tuple[str, str], set[str]], lang: str, rule_id: str, text: str,
                      expected: bool) -> None:
    got = rule_id in produced[lang, text]
    assert got == expected, (
        f"{rule_id}: {'example does not produce it' if expected else 'counter-example produces it'}: {text!r}; "
        f"rules produced: {sorted(produced[lang, text]) or 'none'}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rules_every_trigger_rule_has_an_example(lang: str) -> None:
    missing = [rid for rid, rule in RULES[lang].rules.items() if not rule.examples]
    assert not missing, f"{len(missing)} trigger rules without examples: {missing[:20]}"
