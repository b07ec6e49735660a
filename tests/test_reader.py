"""Every input format becomes the same Article records; bad inputs become Failures, never exceptions."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from eventwire.errors import BadDateError, InputError
from eventwire.reader import Failure, iter_articles, parse_date, split_front_matter

BODY = "Kenyan police fired tear gas at protesters in Nairobi on Tuesday."


def articles(paths, published=None):
    return [a for a in iter_articles([str(p) for p in paths], published) if not isinstance(a, Failure)]


def failures(paths, published=None):
    return [a for a in iter_articles([str(p) for p in paths], published) if isinstance(a, Failure)]


def test_ingest_txt_with_front_matter(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f"---\ntitle: Clashes\npublished: 2024-06-26\noutlet: Wire\n---\n{BODY}\n", encoding="utf-8")
    [a] = articles([f])
    assert a.text.strip() == BODY and a.title == "Clashes" and a.outlet == "Wire"
    assert a.published == date(2024, 6, 26)


def test_ingest_txt_takes_published_option(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(BODY, encoding="utf-8")
    [a] = articles([f], date(2024, 6, 26))
    assert a.published == date(2024, 6, 26) and a.text == BODY and len(a.id) == 16


def test_ingest_jsonl_keeps_ids_and_records_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "k1", "text": BODY, "published": "2024-06-26", "url": "http://x", "outlet": "W"}),
        "{not json",
        json.dumps({"id": "k2", "published": "2024-06-26"}),
        json.dumps({"id": "k3", "text": BODY, "published": "26/06/2024"}),
        json.dumps({"id": "k4", "text": BODY}),
    ]), encoding="utf-8")
    got = list(iter_articles([str(f)], date(2024, 1, 1)))
    ok = [a for a in got if not isinstance(a, Failure)]
    bad = [a for a in got if isinstance(a, Failure)]
    assert [a.id for a in ok] == ["k1", "k4"]
    assert ok[0].url == "http://x" and ok[1].published == date(2024, 1, 1)
    assert [b.input for b in bad] == [f"{f}:2", f"{f}:3", f"{f}:4"]
    assert "malformed JSON" in bad[0].reason and "text" in bad[1].reason and "YYYY-MM-DD" in bad[2].reason


def test_ingest_csv_and_json(tmp_path: Path) -> None:
    c = tmp_path / "a.csv"
    c.write_text(f'id,text,published,title\nc1,"{BODY}",2024-06-26,T\n', encoding="utf-8")
    j = tmp_path / "b.json"
    j.write_text(json.dumps([{"id": "j1", "text": BODY, "published": "2024-06-26"}]), encoding="utf-8")
    got = articles([c, j])
    assert [a.id for a in got] == ["c1", "j1"] and got[0].title == "T"


def test_ingest_html_extracts_article_text(tmp_path: Path) -> None:
    f = tmp_path / "a.html"
    paragraphs = "".join(f"<p>{BODY} Paragraph {i} adds more detail about the day.</p>" for i in range(4))
    f.write_text(f"<html><head><title>Clashes</title></head><body><nav>Home | World</nav>"
                 f"<article><h1>Clashes in Nairobi</h1>{paragraphs}</article><footer>(c) 2024</footer></body></html>",
                 encoding="utf-8")
    [a] = articles([f], date(2024, 6, 26))
    assert BODY in a.text and "Home | World" not in a.text


def test_ingest_feed_entries(tmp_path: Path) -> None:
    f = tmp_path / "feed.rss"
    f.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><link>http://x/1</link><guid>g1</guid><pubDate>Wed, 26 Jun 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{BODY}&lt;/p&gt;</description></item></channel></rss>""", encoding="utf-8")
    [a] = articles([f])
    assert a.id == "g1" and a.text == BODY and a.published == date(2024, 6, 26) and a.outlet == "Wire"


def test_ingest_gzip_and_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "g", "text": BODY}).encode()))
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"ignored")
    got = articles([tmp_path], date(2024, 6, 26))
    assert "g" in {a.id for a in got} and len(got) == 2


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("latin1.txt", "Bogotá".encode("latin-1"), "UTF-8"),
    ("binary.txt", b"\x00\x01\x02binary", "binary"),
    ("data.xlsx", b"PK\x03\x04", "unknown format"),
])
def test_ingest_bad_input_is_a_failure_with_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    [bad] = failures([f], date(2024, 1, 1))
    assert reason in bad.reason


def test_ingest_missing_path_raises_input_error() -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_articles(["/nonexistent/file.txt"]))


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "03/05/2024", "2024"])
def test_ingest_bad_published_date(value: str) -> None:
    with pytest.raises(BadDateError, match="YYYY-MM-DD"):
        parse_date(value)


def test_ingest_front_matter_absent_or_unterminated() -> None:
    assert split_front_matter("plain text") == ({}, "plain text")
    assert split_front_matter("---\ntitle: x\nno end") == ({}, "---\ntitle: x\nno end")
