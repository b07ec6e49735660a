"""Floors pinned to a gold file's hash, that only move up: `eventwire eval GOLD --floors FILE [--record]`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from eventwire.floors import FloorError, file_hash, measured_floors, read_floors, record, regressions, section_for

GOLD_LINE = {"id": "g1", "published": "2024-06-03", "text": "Russian forces shelled Kharkiv on Sunday.",
             "gold": [{"types": ["ASSAULT"], "source": ["RUS"], "target": ["UKR"], "date": "2024-06-02",
                       "location": None}]}


@pytest.fixture()
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text(json.dumps(GOLD_LINE) + "\n", encoding="utf-8")
    return path


def _floors(path: Path, gold: Path, **figures: float) -> Path:
    path.write_text(json.dumps({"tiny": {"sha256": file_hash(gold), "floors": figures}}), encoding="utf-8")
    return path


def test_a_section_is_found_by_the_gold_files_hash_and_not_after_it_changed(tmp_path: Path, gold: Path) -> None:
    data = read_floors(_floors(tmp_path / "f.json", gold, recall=0.5))
    assert section_for(data, gold)[0] == "tiny"
    gold.write_text(gold.read_text(encoding="utf-8").replace("Sunday", "Monday"), encoding="utf-8")
    assert section_for(data, gold) is None


def test_recording_raises_floors_and_refuses_to_lower_them(tmp_path: Path, gold: Path) -> None:
    path = _floors(tmp_path / "f.json", gold, precision=0.5, recall=0.5, forbidden=1)
    data = record(path, read_floors(path), "tiny", gold, {"precision": 0.876, "recall": 0.5, "forbidden": 0})
    assert data["tiny"]["floors"] == {"precision": 0.87, "recall": 0.5, "forbidden": 0}
    assert json.loads(path.read_text(encoding="utf-8")) == data
    with pytest.raises(FloorError, match=r"tiny\.precision lowered from 0\.87 to 0\.8.*--allow-regression"):
        record(path, data, "tiny", gold, {"precision": 0.8, "recall": 0.5, "forbidden": 0})
    lowered = record(path, data, "tiny", gold, {"precision": 0.8, "recall": 0.5, "forbidden": 2},
                     allow_regression=True)
    assert lowered["tiny"]["floors"]["precision"] == 0.8
    assert regressions(data, lowered) == ["tiny.precision lowered from 0.87 to 0.8", "tiny.forbidden lowered from 0 to 2"]


def test_measured_floors_never_exceed_the_figures() -> None:
    assert measured_floors({"f1": 0.6789, "forbidden": 3, "recall": 0.7}, ["f1", "forbidden", "recall"]) == {
        "f1": 0.67, "forbidden": 3, "recall": 0.7}


def test_eval_meets_fails_and_refuses_floors_as_a_user_runs_it(cli, tmp_path: Path, gold: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    floors = _floors(repo / "floors.json", gold, recall=1.0, forbidden=0)
    ok = cli("eval", str(gold), "--floors", str(floors))
    assert ok.returncode == 0, ok.stderr.decode()

    _floors(floors, gold, precision=1.01)
    below = cli("eval", str(gold), "--floors", str(floors))
    assert below.returncode == 4
    assert b"below floor" in below.stderr and b"precision" in below.stderr

    # the committed floors are the gate: lowering one in the file is refused unless asked for
    _floors(floors, gold, recall=1.0)
    for args in (["init", "-q"], ["add", "floors.json"],
                 ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "floors"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    _floors(floors, gold, recall=0.5)
    refused = cli("eval", str(gold), "--floors", str(floors))
    assert refused.returncode == 4
    assert b"lower than the committed" in refused.stderr and b"--allow-regression" in refused.stderr
    assert b"Traceback" not in refused.stderr
    allowed = cli("eval", str(gold), "--floors", str(floors), "--allow-regression")
    assert allowed.returncode == 0, allowed.stderr.decode()

    gold.write_text(gold.read_text(encoding="utf-8").replace("Sunday", "Saturday"), encoding="utf-8")
    changed = cli("eval", str(gold), "--floors", str(floors), "--allow-regression")
    assert changed.returncode == 4 and b"no floors for" in changed.stderr and b"--record" in changed.stderr
