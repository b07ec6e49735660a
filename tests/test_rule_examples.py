"""Every rule's own examples are its tests: each example must produce the rule, no counter-example may.

A trigger rule is produced when an event's ``evidence.rule`` is its id; a post-, role or factuality rule
when its id is in an event's ``evidence.steps``. The sentences are parsed once for the whole session.
"""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.coding.events import extract_doc
from eventwire.coding.rules import load_rules
from eventwire.nlp import load

PUBLISHED = date(2024, 6, 3)
RULES = load_rules("en", user_files=[])
CASES = []
for _rid in RULES.all_ids():
    _rule = RULES.rules.get(_rid) or RULES.post.get(_rid) or RULES.roles.get(_rid) \
        or next((g for g, _ in RULES.guards if g.id == _rid), None)
    for _n, _text in enumerate(_rule.examples):
        CASES.append(pytest.param(_rid, _text, True, id=f"{_rid}-example{_n}"))
    for _n, _text in enumerate(_rule.counter_examples):
        CASES.append(pytest.param(_rid, _text, False, id=f"{_rid}-counter{_n}"))


@pytest.fixture(scope="session")
def produced() -> dict[str, set[str]]:
    """Sentence -> every rule id it produced (trigger rules and steps)."""
    texts = sorted({c.values[1] for c in CASES})
    out: dict[str, set[str]] = {}
    for text, doc in zip(texts, load().pipe(texts), strict=True):
        ids: set[str] = set()
        for event in extract_doc(doc, "example", PUBLISHED, RULES):
            ids.add(event.evidence.rule or "")
            ids.update(event.evidence.steps)
        out[text] = ids
    return out


@pytest.mark.parametrize(("rule_id", "text", "expected"), CASES)
def test_rule_example(produced: dict[str, set[str]], rule_id: str, text: str, expected: bool) -> None:
    got = rule_id in produced[text]
    assert got == expected, (
        f"{rule_id}: {'example does not produce it' if expected else 'counter-example produces it'}: {text!r}; "
        f"rules produced: {sorted(produced[text]) or 'none'}"
    )


def test_rules_every_trigger_rule_has_an_example() -> None:
    missing = [rid for rid, rule in RULES.rules.items() if not rule.examples]
    assert not missing, f"{len(missing)} trigger rules without examples: {missing[:20]}"
