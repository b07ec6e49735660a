"""Shared fixtures: paths to the reference data beside the project, and a runner for the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "corpora" / "seed" / "niger-airbase-101.txt"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (reference data) is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared: Path) -> str:
    return SEED.read_text(encoding="utf-8")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it (a real process, real exit code, real stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "eventwire.cli", *args], input=stdin, capture_output=True, cwd=cwd, timeout=300,
    )


@pytest.fixture()
def cli():
    return run_cli
