"""What share of extraction time goes to the gazetteer (place lookup and choice), on BBC articles.

    python benchmarks/gazetteer_share.py [--shared ../shared] [--limit 300]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from eventwire.coding import events as events_module
from eventwire.coding.places import gazetteer
from eventwire.pipeline import extract_articles
from eventwire.reader import Failure, iter_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--limit", type=int, default=300)
    opts = parser.parse_args()
    folder = Path(opts.shared) / "corpora" / "bbc" / "news"
    articles = [a for a in iter_articles([str(folder)], date(2005, 6, 1), strict=False)
                if not isinstance(a, Failure)][: opts.limit]
    started = time.perf_counter()
    gazetteer()
    build_s = time.perf_counter() - started
    spent = [0.0]
    for name in ("resolve_places", "dateline_place"):
        original = getattr(events_module, name)

        def timed(*args, _f=original, **kwargs):
            t = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t

        setattr(events_module, name, timed)
    list(extract_articles(articles[:4], workers=1))  # warm-up
    spent[0] = 0.0
    t = time.perf_counter()
    list(extract_articles(articles, workers=1))
    total = time.perf_counter() - t
    print(json.dumps({"articles": len(articles), "extract_seconds": round(total, 2),
                      "gazetteer_seconds": round(spent[0], 3), "gazetteer_share": round(spent[0] / total, 4),
                      "gazetteer_build_seconds_once_per_process": round(build_s, 2)}, indent=2))


if __name__ == "__main__":
    main()
