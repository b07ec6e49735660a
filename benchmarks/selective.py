"""What selective parsing parses, and what it changes: a reproducible measurement (not a test).

    python benchmarks/selective.py [--shared ../shared] [--no-gold]

Prints one JSON object: for the BBC and VOA corpora, the share of sentences and of tokens the first pass gives
the full parse; for every gold set (ours in tests/gold and the VOA dev set in ../shared), the figures of
`eventwire eval` with a full parse of every sentence and with selective parsing, and the difference in F1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from rich.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ("f1", "precision", "recall", "target_accuracy", "date_accuracy", "location_accuracy", "forbidden")


def shares(shared: Path) -> dict:
    from eventwire.coding.rules import load_rules
    from eventwire.nlp import load
    from eventwire.selective import Selection, first_pass

    corpora = {
        "bbc": [p.read_text(encoding="utf-8", errors="replace")
                for p in sorted((shared / "corpora" / "bbc" / "news").glob("*/*.txt"))],
        "voa": [json.loads(line)["text"] for line in
                (shared / "corpora" / "voa" / "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()],
    }
    out = {}
    nlp, rules = load("en"), load_rules("en")
    for name, texts in corpora.items():
        stats = first_pass(nlp, texts, rules, Selection())
        out[name] = {"articles": stats.articles, "sentences": stats.sentences,
                     "parsed_sentence_share": round(stats.share_sentences, 3),
                     "parsed_token_share": round(stats.share_tokens, 3)}
    return out


def evaluate(gold: Path, mode: str) -> dict:
    env = {**os.environ, "EVENTWIRE_PARSE": mode}
    out = subprocess.run([sys.executable, "-m", "eventwire.cli", "eval", str(gold), "--format", "json"],
                         capture_output=True, text=True, env=env, check=True)
    figures = json.loads(out.stdout)
    return {k: figures.get(k) for k in FIGURES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--no-gold", action="store_true", help="only the shares, no gold-set runs")
    opts = parser.parse_args()
    shared = Path(opts.shared)
    result: dict = {"shares": shares(shared)}
    if not opts.no_gold:
        golds = [*sorted((ROOT / "tests" / "gold").glob("*.jsonl")), shared / "gold" / "voa_dev.jsonl"]
        result["gold"] = {}
        with Progress(transient=True) as progress:
            task = progress.add_task("gold sets, full and selective", total=2 * len(golds))
            for gold in golds:
                full = evaluate(gold, "full")
                progress.advance(task)
                selective = evaluate(gold, "selective")
                progress.advance(task)
                result["gold"][gold.stem] = {"full": full, "selective": selective,
                                             "f1_change": round(selective["f1"] - full["f1"], 4)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
