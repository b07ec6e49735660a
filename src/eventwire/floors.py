"""Accuracy floors: the figures a gold set must keep, pinned to that gold file by its hash, that only move up.

``tests/gold/floors.json`` holds one section per gold set: the file's SHA-256 and its floors. ``eventwire eval
GOLD --floors FILE`` finds the section by the gold file's hash (a gold file that changed has no floors until
they are measured again), fails when a figure is below its floor, and refuses a floors file whose floors are
lower than the committed ones; ``--record`` raises the floors to today's figures. A lower floor, in the file or
recorded, needs ``--allow-regression`` (the gate trafilatura keeps on its benchmark).
"""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
from pathlib import Path
from typing import Any

LOWER_IS_BETTER = frozenset({"forbidden", "max_asserted_events_per_article"})
"""Figures whose floor is a ceiling: they may only move down."""


class FloorError(Exception):
    """A floors file that cannot be used as it is; the message says what and what to do."""


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_floors(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FloorError(f"{path}: not a JSON file of floors ({exc})") from None
    if not isinstance(data, dict):
        raise FloorError(f"{path}: not a JSON object of floors")
    return data


def _sections(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in data.items() if not name.startswith("_") and isinstance(s, dict) and "floors" in s}


def section_for(data: dict[str, Any], gold: Path) -> tuple[str, dict[str, Any]] | None:
    """The section pinned to this gold file's content, or None; a flat file of figures is one section."""
    sections = _sections(data)
    if not sections:
        return ("floors", {"floors": {k: v for k, v in data.items() if not k.startswith("_")}})
    digest = file_hash(gold)
    return next(((name, s) for name, s in sections.items() if s.get("sha256") == digest), None)


def below(summary: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """Each figure that misses its floor, as a line."""
    out = []
    for key, floor in floors.items():
        value = summary.get(key)
        if key in LOWER_IS_BETTER:
            if value is None or value > floor:
                out.append(f"{key} = {value}, at most {floor} allowed")
        elif value is None or value < floor:
            out.append(f"{key} = {value}, floor {floor}")
    return out


def regressions(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Each floor of ``new`` that is lower (a ceiling that is higher) than in ``old``, as a line."""
    out = []
    for name, section in _sections(new).items():
        before = _sections(old).get(name)
        if before is None:
            continue
        for key, floor in section["floors"].items():
            was = before["floors"].get(key)
            if was is None:
                continue
            worse = floor > was if key in LOWER_IS_BETTER else floor < was
            if worse:
                out.append(f"{name}.{key} lowered from {was} to {floor}")
    return out


def committed(path: Path) -> dict[str, Any] | None:
    """The floors file as the last commit has it, when it lives in a git checkout; else None."""
    try:
        root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path.resolve().parent,
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        rel = path.resolve().relative_to(Path(root).resolve()).as_posix()
        shown = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=root, capture_output=True, text=True,
                               timeout=10, check=True).stdout
        return json.loads(shown)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def measured_floors(summary: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """Today's figures as floors: rounded down to two decimals (ceilings up), so a floor never exceeds them."""
    out: dict[str, Any] = {}
    for key in keys:
        value = summary.get(key)
        if value is None:
            continue
        if key in LOWER_IS_BETTER:
            out[key] = value if isinstance(value, int) else math.ceil(value * 100) / 100
        else:
            out[key] = math.floor(value * 100 + 1e-9) / 100
    return out


def record(path: Path, data: dict[str, Any], name: str, gold: Path, summary: dict[str, Any], *,
           allow_regression: bool = False) -> dict[str, Any]:
    """Sets section ``name`` to today's figures for this gold file and writes the file; refuses a lower floor
    unless ``allow_regression``."""
    section = _sections(data).get(name, {"floors": {}})
    keys = list(section["floors"]) or ["precision", "recall", "f1", "target_accuracy", "date_accuracy",
                                       "location_accuracy", "full_match_f1", "forbidden"]
    new = {**data, name: {**section, "sha256": file_hash(gold), "floors": measured_floors(summary, keys)}}
    lowered = regressions(data, new)
    if lowered and not allow_regression:
        raise FloorError(f"{path}: recording would lower floors ({'; '.join(lowered)}); "
                         "pass --allow-regression to accept a regression")
    path.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
    return new
