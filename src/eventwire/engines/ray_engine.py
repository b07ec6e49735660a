"""The same pipeline on Ray: Ray Data ``map_batches`` with one model per actor, writing Parquet shards
that the store loads. Run it against a cluster with ``--ray-address ray://HEAD:10001`` (or ``auto``
on a node of the cluster); without an address a local Ray is started on this machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model import Article, Event, Failure

BATCH_SIZE = 16


class _Extractor:
    """A Ray actor: loads the spaCy pipeline once, then extracts events batch after batch."""

    def __init__(self) -> None:
        from ..nlp import load

        load()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from ..pipeline import _extract_batch

        articles = [Article.from_dict(json.loads(a)) for a in batch["article"]]
        results = _extract_batch(articles)
        events, errors = [], []
        for _article, result in results:
            if isinstance(result, Failure):
                events.append("[]")
                errors.append(json.dumps(result.to_dict(), ensure_ascii=False))
            else:
                events.append(json.dumps([e.to_dict() for e in result], ensure_ascii=False))
                errors.append("")
        return {"order": batch["order"], "article": batch["article"], "events": events, "error": errors}


def _to_json(article: Article) -> str:
    d = article.to_dict()
    return json.dumps(d, ensure_ascii=False)


def run(articles: Iterable[Article], output_dir: Path, *, address: str | None = None,
        workers: int = 2) -> list[Path]:
    """Extract on Ray and write Parquet shards (one row per article) into ``output_dir``."""
    import ray

    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    items = [{"order": i, "article": _to_json(a)} for i, a in enumerate(articles)]
    output_dir.mkdir(parents=True, exist_ok=True)
    if not items:
        return []
    ds = ray.data.from_items(items)
    ds = ds.map_batches(_Extractor, batch_size=BATCH_SIZE, concurrency=max(1, workers), batch_format="numpy")
    ds.write_parquet(str(output_dir))
    return sorted(output_dir.glob("*.parquet"))


def read_shards(output_dir: Path) -> Iterator[tuple[Article, list[Event] | Failure]]:
    """(article, events) from the shards, in input order, as the local engine yields them."""
    import duckdb

    rows = duckdb.connect().execute(
        f"SELECT article, events, error FROM read_parquet('{str(output_dir).replace(chr(39), '')}/*.parquet') "
        "ORDER BY \"order\"").fetchall()
    for article_json, events_json, error in rows:
        article = Article.from_dict(json.loads(article_json))
        if error:
            yield article, Failure(**json.loads(error))
        else:
            yield article, [Event.from_dict(d) for d in json.loads(events_json)]


def extract_articles_ray(articles: Iterable[Article], work_dir: Path, *, address: str | None = None,
                         workers: int = 2) -> Iterator[tuple[Article, list[Event] | Failure]]:
    run(articles, work_dir, address=address, workers=workers)
    yield from read_shards(work_dir)
