"""Scoring extraction against a gold file: ``eventwire eval GOLD.jsonl``.

Gold lines: ``{"id", "published", "text", "gold": [{"types", "source", "target", "symmetric", "date",
"location"}], "forbid": [{"types", "source"}]}``. A prediction matches a gold event when its type is in
``types`` and its source country is in ``source`` (either direction if ``symmetric``; a source with no country
matches a ``null`` there). Negated
predictions never count; hypothetical ones may match but are never false positives. Gold events and predictions
are paired by an optimal assignment: most matches first, then asserted predictions, then agreeing targets, dates
and places. A forbidden event is an asserted prediction that pairs with no gold event and matches a ``forbid``
entry (a gold event of the same type and source is the one predicted, not the forbidden act).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .coding.lexicon import lexicon
from .coding.rules import RuleSet
from .errors import GoldFormatError
from .language import detect, normalize
from .model import Article, Event

LOCATION_TOLERANCE_KM = 50.0


@dataclass
class GoldItem:
    id: str
    published: date | None
    text: str
    gold: list[dict[str, Any]]
    forbid: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lang: str = "en"  # the line's "lang", else told from its text


VOA_CORPUS = Path("corpora") / "voa" / "voa_stories.jsonl"


def _voa_stories(gold_path: Path) -> dict[str, dict[str, Any]]:
    """The VOA corpus a gold file refers to by ``voa_id``: ``$EVENTWIRE_SHARED``, else a ``shared/`` folder
    beside the gold file or one of its parents (the story text stays there, never in the gold file)."""
    import os

    roots = [Path(os.environ["EVENTWIRE_SHARED"])] if os.environ.get("EVENTWIRE_SHARED") else []
    roots += [parent / "shared" for parent in gold_path.resolve().parents]
    for root in roots:
        corpus = root / VOA_CORPUS
        if corpus.is_file():
            return {str(row["id"]): row for row in map(json.loads, corpus.read_text(encoding="utf-8").splitlines())
                    if row}
    raise GoldFormatError(f"{gold_path}: its items name VOA stories (voa_id) but {VOA_CORPUS} was not found in "
                          "$EVENTWIRE_SHARED or a shared/ folder above the gold file")


def read_gold(path: Path) -> list[GoldItem]:
    """Gold items from a JSONL file; a malformed line is a ``GoldFormatError`` naming the line.

    An item either carries its ``text`` or names a VOA story by ``voa_id`` with character offsets ``start`` and
    ``end`` into the story's text (so that text under another licence stays in ``shared/``).
    """
    items = []
    stories: dict[str, dict[str, Any]] | None = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc.strerror})") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if "text" not in obj and "voa_id" in obj:
                stories = stories if stories is not None else _voa_stories(path)
                story = stories.get(str(obj["voa_id"]))
                if story is None:
                    raise ValueError(f"no VOA story {obj['voa_id']}")
                obj["text"] = story["text"][int(obj.get("start", 0)): int(obj["end"]) if "end" in obj else None]
                obj.setdefault("published", story["published"][:10])
            items.append(GoldItem(
                id=str(obj["id"]), published=date.fromisoformat(obj["published"]) if obj.get("published") else None,
                text=obj["text"], gold=list(obj.get("gold") or []), forbid=list(obj.get("forbid") or []),
                tags=list(obj.get("tags") or []),
                lang=normalize(obj.get("lang")) or detect(obj["text"]),
            ))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise GoldFormatError(f"{path}:{n}: not a gold line ({type(exc).__name__}: {exc})") from None
    if not items:
        raise GoldFormatError(f"{path}: no gold items")
    return items


def _countries(actor) -> set[str]:
    """The actor's countries, with the wider body of an organ ("UNSC" also counts as "UN") and, for gold sets
    that only say so, the generic "IGO" for any intergovernmental body and "NGO" for an international NGO."""
    if actor is None:
        return set()
    lex = lexicon()
    codes = set(actor.countries)
    return codes | {lex.part_of[c] for c in codes if c in lex.part_of} \
        | {"NGO" if c in lex.ngo_codes else "IGO" for c in codes if c in lex.igo_codes}


def matches(pred: Event, gold: dict[str, Any]) -> bool:
    if pred.event_type not in gold.get("types", []):
        return False
    src = _countries(pred.source)
    if src & set(gold.get("source") or []):
        return True
    if not src and pred.source is not None and None in (gold.get("source") or []):
        return True  # "gunmen killed ...": an actor with no country, where the gold allows one
    return bool(gold.get("symmetric")) and bool(src & set(gold.get("target") or []))


def forbidden(pred: Event, rule: dict[str, Any]) -> bool:
    return pred.event_type in rule.get("types", []) and bool(_countries(pred.source) & set(rule.get("source") or []))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def target_correct(pred: Event, gold: dict[str, Any]) -> bool:
    want = set(gold.get("target") or [])
    if gold.get("symmetric"):
        want |= set(gold.get("source") or [])
    if not gold.get("target"):
        return pred.target is None or not pred.target.country
    return bool(_countries(pred.target) & want)


def date_correct(pred: Event, gold: dict[str, Any], published: date | None) -> bool:
    want = gold.get("date")
    if not want:
        return pred.date_precision == "published" or (published is not None and pred.date == published.isoformat())
    return pred.date is not None and len(pred.date) >= len(want) and pred.date[: len(want)] == want


def location_correct(pred: Event, gold: dict[str, Any]) -> bool:
    want = gold.get("location")
    if not want:
        return pred.location is None
    loc = pred.location
    if loc is None:
        return False
    if want.get("country") and loc.country == want["country"]:
        return True  # a region-wide event: any place in its country is accepted
    if loc.lat is not None and want.get("lat") is not None:
        return _km(loc.lat, loc.lon, want["lat"], want["lon"]) <= LOCATION_TOLERANCE_KM
    return (loc.name or "").lower() == str(want.get("name", "")).lower()


@dataclass
class ItemResult:
    item: GoldItem
    predictions: list[Event]
    pairs: list[tuple[dict[str, Any], Event | None]]
    false_positives: list[Event]
    forbidden: list[Event]


def _pair_weight(item: GoldItem, pred: Event, gold: dict[str, Any]) -> int:
    """How well a matching prediction fits a gold event: a match first, then an asserted prediction (a
    hypothetical one left over is no false positive, an asserted one is), then target, date and place."""
    return (1000 + 100 * (pred.factuality == "asserted") + 8 * target_correct(pred, gold)
            + 4 * date_correct(pred, gold, item.published) + 2 * location_correct(pred, gold))


def _assignment(weights: list[list[int]]) -> list[int]:
    """Hungarian method on a square matrix of weights: for each row, the column that maximises the total."""
    n = len(weights)
    inf = float("inf")
    u, v, p, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    out = [0] * n
    for j in range(1, n + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def score_item(item: GoldItem, predictions: list[Event]) -> ItemResult:
    """Pairs gold events with predictions so that most gold events are matched, and among equal pairings the
    one whose targets, dates and places agree most (an optimal assignment, not first come first served)."""
    usable = [p for p in predictions if p.factuality != "negated"]
    n = max(len(item.gold), len(usable))
    weights = [[0] * n for _ in range(n)]
    for gi, gold in enumerate(item.gold):
        for pi, pred in enumerate(usable):
            if matches(pred, gold):
                weights[gi][pi] = _pair_weight(item, pred, gold)
    pick = _assignment(weights) if n else []
    taken: set[int] = set()
    pairs: list[tuple[dict[str, Any], Event | None]] = []
    for gi, gold in enumerate(item.gold):
        pi = pick[gi]
        if pi < len(usable) and weights[gi][pi] > 0:
            taken.add(pi)
            pairs.append((gold, usable[pi]))
        else:
            pairs.append((gold, None))
    fps = [p for i, p in enumerate(usable) if i not in taken and p.factuality == "asserted"]
    # a forbidden act is an asserted prediction that no gold event accounts for: "welcomed the ceasefire" paired
    # with its gold SUPPORT is not the forbidden "signed the minerals deal" of the same source
    bad = [p for p in fps if any(forbidden(p, r) for r in item.forbid)]
    return ItemResult(item, predictions, pairs, fps, bad)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _prf_table(counts: dict[str, Counter]) -> dict[str, dict[str, Any]]:
    table = {}
    for key in sorted(counts):
        c = counts[key]
        pp, rr, ff = _prf(c["tp"], c["fp"], c["fn"])
        table[key] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "precision": round(pp, 3), "recall": round(rr, 3),
                      "f1": round(ff, 3)}
    return table


def summarize(results: list[ItemResult]) -> dict[str, Any]:
    """The figures ``eventwire eval`` reports, as a plain dict."""
    tp = fn = fp = 0
    tgt = dat = loc = full = 0
    forbidden_n = 0
    per_type: dict[str, Counter] = defaultdict(Counter)
    per_tag: dict[str, Counter] = defaultdict(Counter)
    for res in results:
        published = res.item.published
        for tag in res.item.tags:
            per_tag[tag]["fp"] += len(res.false_positives)
            per_tag[tag]["fn"] += sum(1 for _g, p in res.pairs if p is None)
            per_tag[tag]["tp"] += sum(1 for _g, p in res.pairs if p is not None)
        for gold, pred in res.pairs:
            gtype = gold["types"][0]
            if pred is None:
                fn += 1
                per_type[gtype]["fn"] += 1
                continue
            tp += 1
            per_type[gtype]["tp"] += 1
            t, d, lc = target_correct(pred, gold), date_correct(pred, gold, published), location_correct(pred, gold)
            tgt += t
            dat += d
            loc += lc
            full += t and d and lc
        fp += len(res.false_positives)
        for p in res.false_positives:
            per_type[p.event_type]["fp"] += 1
        forbidden_n += len(res.forbidden)
    cameo_total = cameo_agree = 0
    for res in results:
        for gold, _pred in res.pairs:
            if not gold.get("cameo"):
                continue
            cameo_total += 1
            root = gold["cameo"][:2]
            cameo_agree += any(
                p.factuality != "negated" and p.cameo[:2] == root and _countries(p.source) & set(gold["source"])
                for p in res.predictions
            )
    p, r, f = _prf(tp, fp, fn)
    fp_full = fp + (tp - full)
    fn_full = fn + (tp - full)
    _, _, f_full = _prf(full, fp_full, fn_full)
    table, tags = _prf_table(per_type), _prf_table(per_tag)
    return {
        "items": len(results), "gold_events": tp + fn, "predicted": tp + fp,
        "tp": tp, "fp": fp, "fn": fn,
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
        "target_accuracy": round(tgt / tp, 4) if tp else 0.0,
        "date_accuracy": round(dat / tp, 4) if tp else 0.0,
        "location_accuracy": round(loc / tp, 4) if tp else 0.0,
        "full_match_f1": round(f_full, 4),
        "forbidden": forbidden_n,
        "per_type": table,
        **({"per_tag": tags} if tags else {}),
        **({"cameo_root_agreement": round(cameo_agree / cameo_total, 4), "cameo_gold_events": cameo_total}
           if cameo_total else {}),
    }


def predict(items: Iterable[GoldItem], *, workers: int = 1,
            rules: Sequence[str] | None = None) -> Iterator[tuple[GoldItem, list[Event]]]:
    from .pipeline import extract_articles

    items = list(items)
    by_id = {it.id: it for it in items}
    articles = [Article(id=it.id, text=it.text, published=it.published, lang=it.lang) for it in items]
    for article, events in extract_articles(articles, workers=workers, rules=rules):
        yield by_id[article.id], events if isinstance(events, list) else []


def evaluate(path: Path, *, workers: int = 1,
             rules: Sequence[str] | None = None) -> tuple[dict[str, Any], list[ItemResult]]:
    """Score the pipeline on a gold file: (summary figures, per-item results); ``rules``: user rule files."""
    items = read_gold(path)
    results = [score_item(item, preds) for item, preds in predict(items, workers=workers, rules=rules)]
    return summarize(results), results


def by_rule_figures(results: list[ItemResult], rules: RuleSet) -> dict[str, Any]:
    """Per trigger rule: the gold events its events matched (tp) and the false positives it made (fp); and the
    trigger rules that made no event at all on this gold set."""
    tp: Counter = Counter()
    fp: Counter = Counter()
    fired: set[str] = set()
    for res in results:
        for _gold, pred in res.pairs:
            if pred is not None:
                tp[pred.evidence.rule] += 1
        for pred in res.false_positives:
            fp[pred.evidence.rule] += 1
        fired.update(p.evidence.rule for p in res.predictions)
    table = {}
    for rid in sorted(set(tp) | set(fp), key=lambda r: (-(tp[r] + fp[r]), r)):
        rule = rules.rules.get(rid)
        table[rid] = {"type": rule.type if rule else None, "tp": tp[rid], "fp": fp[rid],
                      "precision": round(tp[rid] / (tp[rid] + fp[rid]), 3)}
    return {"rules": table, "never_fired": sorted(set(rules.rules) - fired)}
