"""Who holds a store: DuckDB lets one process write a file, so a running server says so in a small JSON file
beside the store (``eventwire.duckdb.server.json``: its pid, its URL, whether it takes ingest). ``eventwire
ingest`` reads it to go through that server instead of failing on the file lock."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def holder_path(db: Path) -> Path:
    return db.with_name(db.name + ".server.json")


def claim(db: Path, url: str, *, ingest: bool) -> Path:
    """Say that this process serves ``db`` at ``url``; the file is replaced whole, never half written."""
    path = holder_path(db)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps({"pid": os.getpid(), "url": url, "ingest": ingest}), encoding="utf-8")
    part.replace(path)
    return path


def release(db: Path) -> None:
    """Remove this process's claim (another process's claim is left alone)."""
    found = holder(db)
    if found is not None and found["pid"] == os.getpid():
        holder_path(db).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(db: Path) -> dict[str, Any] | None:
    """The live server holding ``db`` ({pid, url, ingest}), or None (no file, a bad file, or a dead process)."""
    try:
        found = json.loads(holder_path(db).read_text(encoding="utf-8"))
        pid, url = int(found["pid"]), str(found["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {"pid": pid, "url": url, "ingest": bool(found.get("ingest"))} if _alive(pid) else None
