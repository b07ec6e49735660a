"""The command line as a user meets it: real processes, real exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from eventwire.model import Event

ARTICLE = ("Kenyan police fired tear gas at protesters in Nairobi on Tuesday, a day after demonstrators "
           "stormed parliament.\n\nThe government of Kenya condemned the violence.\n")


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    f = tmp_path / "kenya.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    return f


def _one_line_error(result, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    err = result.stderr.decode()
    assert "Traceback" not in err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]


def test_cli_missing_file(cli) -> None:
    _one_line_error(cli("extract", "/no/such/article.txt", "--published", "2024-06-26"), "no such file")


def test_cli_empty_input(cli, tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("")
    _one_line_error(cli("extract", str(f), "--published", "2024-06-26"), "empty")


def test_cli_undecodable_bytes(cli, tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("Protesters marched in Bogotá.".encode("latin-1"))
    _one_line_error(cli("extract", str(f), "--published", "2024-06-26"), "UTF-8")


def test_cli_unknown_format(cli, tmp_path: Path) -> None:
    f = tmp_path / "sheet.xlsx"
    f.write_bytes(b"PK\x03\x04")
    _one_line_error(cli("extract", str(f)), "unknown format")


def test_cli_unknown_output_format(cli, article: Path) -> None:
    _one_line_error(cli("extract", str(article), "--format", "xml"), "--format")


@pytest.mark.parametrize("bad", ["2024-02-30", "June 26", "26/06/2024"])
def test_cli_bad_published_date(cli, article: Path, bad: str) -> None:
    _one_line_error(cli("extract", str(article), "--published", bad), "YYYY-MM-DD")


def test_cli_formats_agree(cli, article: Path, tmp_path: Path) -> None:
    jsonl = cli("extract", str(article), "--published", "2024-06-26")
    assert jsonl.returncode == 0, jsonl.stderr
    events = [Event.from_json(line) for line in jsonl.stdout.decode().splitlines()]
    assert events, "the Kenya article yields events"
    as_json = cli("extract", str(article), "--published", "2024-06-26", "--format", "json")
    assert [e["event_id"] for e in json.loads(as_json.stdout)] == [e.event_id for e in events]
    out = tmp_path / "events.csv"
    as_csv = cli("extract", str(article), "--published", "2024-06-26", "--format", "csv", "--output", str(out))
    assert as_csv.returncode == 0 and as_csv.stdout == b""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["event_id"] for r in rows] == [e.event_id for e in events]
    table = cli("extract", str(article), "--published", "2024-06-26", "--format", "table")
    assert events[0].event_type in table.stdout.decode()
    assert "events from 1 article" in table.stderr.decode()


def test_cli_stdin_and_jsonl_doc_ids(cli) -> None:
    piped = cli("extract", "-", "--published", "2024-06-26", stdin=ARTICLE.encode())
    assert piped.returncode == 0 and piped.stdout.strip()
    line = json.dumps({"id": "wire-42", "text": ARTICLE, "published": "2024-06-26"})
    as_jsonl = cli("extract", "-", "--stdin-format", "jsonl", stdin=line.encode())
    docs = {json.loads(x)["doc_id"] for x in as_jsonl.stdout.decode().splitlines()}
    assert docs == {"wire-42"}


def test_cli_partial_failure_goes_on(cli, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    result = cli("extract", str(tmp_path), "--published", "2024-06-26")
    assert result.returncode == 3
    assert result.stdout.strip(), "events of the good article are still printed"
    assert "bad.txt" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_cli_workers_give_the_same_events(cli, tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"a{i}.txt").write_text(ARTICLE.replace("Tuesday", ["Monday", "Tuesday", "Friday"][i % 3]),
                                            encoding="utf-8")
    one = cli("extract", str(tmp_path), "--published", "2024-06-26", "--workers", "1")
    two = cli("extract", str(tmp_path), "--published", "2024-06-26", "--workers", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and one.stdout.strip()


def test_cli_help_lists_commands(cli) -> None:
    result = cli("--help")
    assert result.returncode == 0 and b"extract" in result.stdout
