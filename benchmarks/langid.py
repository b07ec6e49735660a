"""Language identification on short news texts: how often ``eventwire.language.detect`` is right.

    python benchmarks/langid.py [benchmarks/langid_samples.jsonl] [--json]

The samples (written for eventwire) are headlines and single sentences, the hardest case: French, English and
ten languages we do not code. For an article in a language we do not code, what matters is that it is not
taken for English or French; it is counted right when it is told as any language but those two. The raw
py3langid guess (no preference for the languages we code) is shown beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire.language import _identifier, detect  # noqa: E402
from eventwire.nlp import LANGUAGES  # noqa: E402


def right(gold: str, guess: str) -> bool:
    return guess == gold if gold in LANGUAGES else guess not in LANGUAGES


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("samples", nargs="?", default=str(ROOT / "benchmarks" / "langid_samples.jsonl"))
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.samples).read_text(encoding="utf-8").splitlines() if line.strip()]
    ours, raw, total, misses = Counter(), Counter(), Counter(), []
    for row in rows:
        group = row["lang"] if row["lang"] in LANGUAGES else "other"
        total[group] += 1
        guess = detect(row["text"])
        ours[group] += right(row["lang"], guess)
        raw[group] += right(row["lang"], _identifier().classify(row["text"])[0])
        if not right(row["lang"], guess):
            misses.append((row["lang"], guess, row["text"]))
    figures = {"samples": len(rows), "accuracy": round(sum(ours.values()) / len(rows), 3),
               "raw_py3langid_accuracy": round(sum(raw.values()) / len(rows), 3),
               **{f"accuracy_{g}": round(ours[g] / total[g], 3) for g in sorted(total)},
               "mean_chars": round(sum(len(r["text"]) for r in rows) / len(rows), 1)}
    if args.json:
        print(json.dumps(figures))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"language identification on {len(rows)} short news texts "
                        f"(mean {figures['mean_chars']} characters)")
    for col in ("texts", "n", "eventwire", "py3langid alone"):
        table.add_column(col, justify="left" if col == "texts" else "right")
    for g in sorted(total):
        table.add_row(g, str(total[g]), f"{ours[g] / total[g]:.3f}", f"{raw[g] / total[g]:.3f}")
    table.add_row("all", str(len(rows)), f"{figures['accuracy']:.3f}", f"{figures['raw_py3langid_accuracy']:.3f}")
    console = Console()
    console.print(table)
    for gold, guess, text in misses:
        console.print(f"  [yellow]{gold} told as {guess}[/yellow]: {text}")


if __name__ == "__main__":
    main()
