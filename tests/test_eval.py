"""Accuracy is measured, not asserted: our gold set and the public ones scored with `eventwire eval`,
against floors pinned in tests/gold/floors.json that may only move up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.evaluate import GoldItem, evaluate, score_item, summarize
from eventwire.floors import below, file_hash
from eventwire.goldsets import convert, to_jsonl
from eventwire.model import Actor, Event, Evidence

GOLD_DIR = Path(__file__).parent / "gold"
FLOORS = json.loads((GOLD_DIR / "floors.json").read_text(encoding="utf-8"))


def _check(summary: dict, section: dict, gold: Path | None = None) -> list[str]:
    """The figures below their floors; the section must be pinned to this gold file's content."""
    if gold is not None:
        assert file_hash(gold) == section["sha256"], (
            f"{gold} changed since its floors were measured: measure again with "
            f"`eventwire eval {gold} --floors tests/gold/floors.json --record`")
    for key, floor in section["floors"].items():
        print(f"{key}: {summary[key]} (floor {floor})")
    return below(summary, section["floors"])


def test_eval_own_gold_set_meets_floors() -> None:
    summary, _ = evaluate(GOLD_DIR / "eventwire_gold.jsonl", workers=2)
    print(json.dumps({k: v for k, v in summary.items() if k != "per_type"}))
    assert not _check(summary, FLOORS["eventwire_gold"], GOLD_DIR / "eventwire_gold.jsonl")


def test_eval_plover_gsr_meets_floors(shared: Path, tmp_path: Path) -> None:
    gold = tmp_path / "plover.jsonl"
    items = convert("plover-gsr", shared / "gold" / "plover_gsr_cameo.json")
    assert len(items) > 250
    gold.write_text(to_jsonl(items), encoding="utf-8")
    summary, _ = evaluate(gold, workers=2)
    print(json.dumps({k: v for k, v in summary.items() if k != "per_type"}))
    assert not _check(summary, FLOORS["plover_gsr"], gold)


def test_eval_petr2_gsr_meets_floors(shared: Path, tmp_path: Path) -> None:
    gold = tmp_path / "petr2.jsonl"
    items = convert("petr2", shared / "gold" / "petr2_gsr_validation.xml")
    assert len(items) >= 60
    gold.write_text(to_jsonl(items), encoding="utf-8")
    summary, _ = evaluate(gold, workers=2)
    print(json.dumps({k: v for k, v in summary.items() if k != "per_type"}))
    assert "cameo_root_agreement" in summary
    assert not _check(summary, FLOORS["petr2_gsr"], gold)


def _event(etype: str, src: str, tgt: str | None, factuality: str = "asserted") -> Event:
    return Event(event_id="e", doc_id="d", event_type=etype, cameo="190", quad_class=4, goldstein=-10.0,
                 evidence=Evidence("s", 0, 1, "t"), source=Actor("s", country=src),
                 target=Actor("t", country=tgt) if tgt else None, factuality=factuality,
                 date="2024-05-03", date_precision="published")


def test_eval_pairs_gold_and_predictions_optimally() -> None:
    """First come first served would pair the first gold event with the first prediction of its type and leave
    the second gold event unmatched, or pair events of different days; the scorer picks the best pairing."""
    from dataclasses import replace

    golds = [{"types": ["ASSAULT", "COERCE"], "source": ["RUS"], "target": ["UKR"], "date": "2024-05-01"},
             {"types": ["ASSAULT"], "source": ["RUS"], "target": ["UKR"], "date": "2024-05-02"}]
    coerce = replace(_event("COERCE", "RUS", "UKR"), date="2024-05-01", date_precision="day")
    assault = replace(_event("ASSAULT", "RUS", "UKR"), date="2024-05-02", date_precision="day")
    result = score_item(GoldItem("t", None, "x", golds), [assault, coerce])
    assert [p.event_type if p else None for _g, p in result.pairs] == ["COERCE", "ASSAULT"]
    assert not result.false_positives
    other_day = replace(assault, date="2024-05-01")
    result = score_item(GoldItem("t", None, "x", golds[1:] + golds[1:]), [other_day, assault])
    assert [p.date for _g, p in result.pairs] == ["2024-05-02", "2024-05-01"]


@pytest.mark.parametrize(("preds", "tp", "fp", "fn"), [
    ([_event("ASSAULT", "RUS", "UKR")], 1, 0, 0),
    ([_event("ASSAULT", "UKR", "RUS")], 0, 1, 1),
    ([_event("ASSAULT", "RUS", "UKR", "negated")], 0, 0, 1),
    ([_event("ASSAULT", "RUS", "UKR", "hypothetical")], 1, 0, 0),
    ([_event("MOBILIZE", "RUS", "UKR", "hypothetical")], 0, 0, 1),
    ([_event("ASSAULT", "RUS", "UKR"), _event("ASSAULT", "RUS", "UKR")], 1, 1, 0),
])
def test_eval_matching_rules(preds: list[Event], tp: int, fp: int, fn: int) -> None:
    item = GoldItem("x", None, "t", [{"types": ["ASSAULT"], "source": ["RUS"], "target": ["UKR"]}])
    s = summarize([score_item(item, preds)])
    assert (s["tp"], s["fp"], s["fn"]) == (tp, fp, fn)


def test_eval_symmetric_and_forbidden() -> None:
    item = GoldItem("x", None, "t", [{"types": ["CONSULT"], "source": ["SAU"], "target": ["IRN"], "symmetric": True}],
                    forbid=[{"types": ["ASSAULT"], "source": ["IRN"]}])
    s = summarize([score_item(item, [_event("CONSULT", "IRN", "SAU"), _event("ASSAULT", "IRN", None)])])
    assert (s["tp"], s["fp"], s["forbidden"], s["target_accuracy"]) == (1, 1, 1, 1.0)


def test_eval_a_prediction_that_matches_gold_is_not_forbidden() -> None:
    """Lawmakers welcomed a ceasefire (gold SUPPORT by the US) in a story whose forbid says no SUPPORT by the US (a
    deal that was never signed): the welcome is that gold event; a second US SUPPORT is the forbidden one."""
    item = GoldItem("x", None, "t", [{"types": ["SUPPORT"], "source": ["USA"], "target": ["UKR"]}],
                    forbid=[{"types": ["SUPPORT", "AGREE"], "source": ["USA"]}])
    one = summarize([score_item(item, [_event("SUPPORT", "USA", "UKR")])])
    two = summarize([score_item(item, [_event("SUPPORT", "USA", "UKR"), _event("SUPPORT", "USA", "UKR")])])
    assert (one["tp"], one["forbidden"]) == (1, 0)
    assert (two["tp"], two["fp"], two["forbidden"]) == (1, 1, 1)


def test_eval_bbc_sport_stays_quiet(shared: Path) -> None:
    """Sport copy is full of attacks, shots and defeats; it must not turn into political events."""
    from eventwire.pipeline import extract_articles
    from eventwire.reader import Failure, iter_articles

    folder = shared / "corpora" / "bbc" / "news" / "sport"
    articles = [a for a in iter_articles([str(folder)], __import__("datetime").date(2005, 6, 1), strict=False)
                if not isinstance(a, Failure)]
    assert len(articles) >= 500
    asserted = sum(1 for _a, events in extract_articles(articles, workers=2) if isinstance(events, list)
                   for e in events if e.factuality == "asserted")
    rate = asserted / len(articles)
    print(f"{asserted} asserted events in {len(articles)} sport articles = {rate:.3f} per article")
    assert rate <= FLOORS["bbc_sport"]["floors"]["max_asserted_events_per_article"]


def test_eval_gold_items_may_name_a_voa_story_by_offsets(shared: Path, tmp_path: Path, monkeypatch) -> None:
    """Real-news gold keeps the story's text in shared/: an item names the story and the span it codes."""
    from eventwire.errors import GoldFormatError
    from eventwire.evaluate import read_gold

    monkeypatch.setenv("EVENTWIRE_SHARED", str(shared))
    story = json.loads((shared / "corpora" / "voa" / "voa_stories.jsonl").read_text().splitlines()[0])
    gold = tmp_path / "shared-ref.jsonl"
    gold.write_text(json.dumps({"id": "r1", "voa_id": story["id"], "start": 0, "end": 120, "gold": []}) + "\n")
    (item,) = read_gold(gold)
    assert item.text == story["text"][:120]
    assert str(item.published) == story["published"][:10]
    missing = tmp_path / "missing.jsonl"
    missing.write_text(json.dumps({"id": "r2", "voa_id": "0", "end": 10, "gold": []}) + "\n")
    with pytest.raises(GoldFormatError, match=r"missing\.jsonl:1"):
        read_gold(missing)


def test_eval_reports_figures_per_tag() -> None:
    item = GoldItem("t", None, "x", [{"types": ["ASSAULT"], "source": ["RUS"]}], tags=["nominal"])
    summary = summarize([score_item(item, [])])
    assert summary["per_tag"]["nominal"] == {"tp": 0, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.0, "f1": 0.0}


def test_eval_voa_dev_meets_floors(shared: Path) -> None:
    """Real news is the measure: the VOA development set (31 stories) may only move up."""
    summary, _ = evaluate(shared / "gold" / "voa_dev.jsonl", workers=2)
    print(json.dumps({k: v for k, v in summary.items() if k not in ("per_type", "per_tag")}))
    assert not _check(summary, FLOORS["voa_dev"], shared / "gold" / "voa_dev.jsonl")


def test_eval_our_voa_gold_meets_floors(shared: Path) -> None:
    """Our own VOA gold (44 stories coded before tuning): reported beside the development set, never lower."""
    summary, _ = evaluate(GOLD_DIR / "voa_own.jsonl", workers=2)
    print(json.dumps({k: v for k, v in summary.items() if k not in ("per_type", "per_tag")}))
    assert not _check(summary, FLOORS["voa_own"], GOLD_DIR / "voa_own.jsonl")


@pytest.mark.parametrize("name", ["fr_gold", "fr_articles"])
def test_eval_french_gold_sets_meet_floors(name: str) -> None:
    """French, coded natively: our French sentences (235) and articles (14), in our own words, scored through the
    French pipeline (each line says ``"lang": "fr"``)."""
    summary, _ = evaluate(GOLD_DIR / f"{name}.jsonl", workers=2)
    print(json.dumps({k: v for k, v in summary.items() if k not in ("per_type", "per_tag")}))
    assert not _check(summary, FLOORS[name], GOLD_DIR / f"{name}.jsonl")
