"""The same pipeline on Ray: Ray Data ``map_batches`` with one model per actor, writing Parquet shards
that the store loads. Run it against a cluster with ``--ray-address ray://HEAD:10001`` (or ``auto``
on a node of the cluster); without an address a local Ray is started on this machine.

Settings (function arguments; when an argument is left at None, the environment variable, then the default):
batch size ``EVENTWIRE_RAY_BATCH_SIZE`` (16), memory reserved per actor ``EVENTWIRE_RAY_ACTOR_MEMORY_MB``
(none), object store of a local Ray ``EVENTWIRE_RAY_OBJECT_STORE_MB`` (Ray's default), Ray runtime environment
of the job ``EVENTWIRE_RAY_RUNTIME_ENV`` (JSON, none). The number of actors is ``workers``. See docs/cluster.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import EventwireError
from ..model import Article, Event, Failure

BATCH_SIZE = 16
"""Articles per batch: one ``nlp.pipe`` call in an actor, one row group of results."""

BATCH_SIZE_ENV = "EVENTWIRE_RAY_BATCH_SIZE"
ACTOR_MEMORY_ENV = "EVENTWIRE_RAY_ACTOR_MEMORY_MB"
OBJECT_STORE_ENV = "EVENTWIRE_RAY_OBJECT_STORE_MB"
RUNTIME_ENV_ENV = "EVENTWIRE_RAY_RUNTIME_ENV"
MB = 1024 * 1024


def _setting(value: int | None, name: str, env: str, default: int | None) -> int | None:
    """``value`` when given, else the environment variable ``env``, else ``default``; a positive integer."""
    if value is None:
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise EventwireError(f"${env} must be a whole number, not '{raw}'") from None
        where = f"${env}"
    else:
        where = name
    if value < 1:
        raise EventwireError(f"{where} must be 1 or more, not {value}")
    return value


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


def _runtime_env(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None:
        return value
    raw = os.environ.get(RUNTIME_ENV_ENV, "").strip()
    if not raw:
        return None
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise EventwireError(f"${RUNTIME_ENV_ENV} is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise EventwireError(f"${RUNTIME_ENV_ENV} must be a JSON object, e.g. {{\"pip\": [\"eventwire[ray]\"]}}")
    return parsed


def run(articles: Iterable[Article], output_dir: Path, *, address: str | None = None,
        workers: int = 2, batch_size: int | None = None, actor_memory_mb: int | None = None,
        object_store_memory_mb: int | None = None, runtime_env: dict[str, Any] | None = None) -> list[Path]:
    """Extract on Ray and write Parquet shards (one row per article) into ``output_dir``; the shards written.

    ``workers``: actors, each with one CPU and its own copy of the models. ``batch_size``: articles per batch.
    ``actor_memory_mb``: memory Ray reserves for each actor when it places them (None: no reservation).
    ``object_store_memory_mb``: object store of the Ray started here; ignored with ``address`` (a cluster's
    object store is set by ``ray start --object-store-memory``). ``runtime_env``: Ray's runtime environment for
    the job (packages, environment variables of the actors)."""
    import ray

    size = _setting(batch_size, "batch_size", BATCH_SIZE_ENV, BATCH_SIZE)
    actor_memory = _setting(actor_memory_mb, "actor_memory_mb", ACTOR_MEMORY_ENV, None)
    object_store = _setting(object_store_memory_mb, "object_store_memory_mb", OBJECT_STORE_ENV, None)
    env = _runtime_env(runtime_env)
    items = [{"order": i, "article": _to_json(a)} for i, a in enumerate(articles)]
    output_dir.mkdir(parents=True, exist_ok=True)
    if not items:  # everything already stored: no Ray to start
        return []
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False, runtime_env=env)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, runtime_env=env,
                     object_store_memory=object_store * MB if object_store else None)
    before = set(output_dir.glob("*.parquet"))
    extra: dict[str, Any] = {"memory": actor_memory * MB} if actor_memory else {}
    ds = ray.data.from_items(items)
    ds = ds.map_batches(_Extractor, batch_size=size, concurrency=max(1, workers), batch_format="numpy", **extra)
    ds.write_parquet(str(output_dir))
    return sorted(set(output_dir.glob("*.parquet")) - before)


def read_shards(output_dir: Path, files: list[Path] | None = None) -> Iterator[tuple[Article, list[Event] | Failure]]:
    """(article, events) from the shards (``files``, default every shard in ``output_dir``), in input order, as
    the local engine yields them."""
    import duckdb

    shards = sorted(output_dir.glob("*.parquet")) if files is None else files
    if not shards:
        return
    rows = duckdb.connect().execute("SELECT article, events, error FROM read_parquet(?) ORDER BY \"order\"",
                                    [[str(p) for p in shards]]).fetchall()
    for article_json, events_json, error in rows:
        article = Article.from_dict(json.loads(article_json))
        if error:
            yield article, Failure(**json.loads(error))
        else:
            yield article, [Event.from_dict(d) for d in json.loads(events_json)]


def extract_articles_ray(articles: Iterable[Article], work_dir: Path, *, address: str | None = None,
                         workers: int = 2, batch_size: int | None = None, actor_memory_mb: int | None = None,
                         object_store_memory_mb: int | None = None, runtime_env: dict[str, Any] | None = None,
                         ) -> Iterator[tuple[Article, list[Event] | Failure]]:
    """``run``, then the results of this run's shards, in input order. Every article must come back: shards
    written on a node whose disk this machine cannot read raise ``EventwireError`` before anything is stored."""
    articles = list(articles)
    files = run(articles, work_dir, address=address, workers=workers, batch_size=batch_size,
                actor_memory_mb=actor_memory_mb, object_store_memory_mb=object_store_memory_mb, runtime_env=runtime_env)
    if files:
        import duckdb

        rows = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [[str(p) for p in files]]).fetchone()[0]
    else:
        rows = 0
    if rows != len(articles):
        raise EventwireError(
            f"the Ray shards in {work_dir} hold {rows} of {len(articles)} articles: on a cluster of several nodes "
            "give --shards a folder on storage that every node and this machine share (see docs/cluster.md)")
    yield from read_shards(work_dir, files)
