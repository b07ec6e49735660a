"""Readers: files, folders and stdin in, ``Article`` records out.

A reader never stops a batch: an input that cannot be read becomes a ``Failure`` with the reason,
and the caller decides what to do with it (the CLI prints one line, the store records it).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from .errors import BadDateError, InputError
from .model import Article, Failure

__all__ = ["Failure", "article_from_record", "iter_articles", "parse_date", "read_path"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
MAX_ARTICLE_CHARS = 1_000_000
"""Longer documents are not news articles (a book, a dump): they are recorded as failures."""


def parse_date(value: str | date | None, *, what: str = "--published") -> date | None:
    """An ISO date (YYYY-MM-DD), or None; anything else is a ``BadDateError`` that says what to do."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BadDateError(f"{what}: '{value}' is not a date; use YYYY-MM-DD, e.g. 2024-05-03") from None


def decode(data: bytes, where: str, *, strict: bool) -> tuple[str, bool]:
    """UTF-8 text (a BOM is dropped); ``strict`` refuses bad bytes, otherwise they are replaced."""
    if b"\x00" in data[:4096]:
        raise InputError(f"{where}: binary data, not text; give a .txt, .html, .jsonl or .csv file")
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError as exc:
        if strict:
            raise InputError(
                f"{where}: not valid UTF-8 (byte {exc.start}); convert it with `iconv -t utf-8`"
            ) from None
        return data.decode("utf-8-sig", errors="replace"), True


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Optional ``---``-delimited ``key: value`` header (title, published, url, outlet) on a text file."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            body = "\n".join(lines[i + 1 :]).lstrip("\n")
            return meta, body
        key, sep, value = line.partition(":")
        if not sep:
            return {}, text
        meta[key.strip().lower()] = value.strip()
    return {}, text


def make_article(
    text: str, where: str, *, id: str | None = None, published: date | None = None,
    title: str | None = None, url: str | None = None, outlet: str | None = None, lang: str | None = None,
) -> Article:
    if not text or not text.strip():
        raise InputError(f"{where}: no text; the article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{where}: {len(text):,} characters is over the {MAX_ARTICLE_CHARS:,} limit for one article; "
            "split it into articles"
        )
    return Article(
        id=str(id) if id not in (None, "") else Article.make_id(text), text=text, title=title or None,
        published=published, url=url or None, outlet=outlet or None, source_path=where,
        lang=str(lang or ""),  # empty: told from the text by language.assign
    )


def _suffix(path: Path) -> tuple[str, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def read_text_file(text: str, where: str, published: date | None) -> Iterator[Article]:
    meta, body = split_front_matter(text)
    pub = parse_date(meta["published"], what=f"{where}: published") if meta.get("published") else published
    yield make_article(body, where, published=pub, title=meta.get("title"), url=meta.get("url"),
                   outlet=meta.get("outlet"), id=meta.get("id"), lang=meta.get("lang"))


def read_html(text: str, where: str, published: date | None) -> Iterator[Article]:
    import trafilatura

    body = trafilatura.extract(text, include_comments=False, include_tables=False, favor_precision=True)
    if not body:
        raise InputError(f"{where}: no article text found in the HTML")
    # trafilatura gives one paragraph (or the headline) a line; a blank line between them keeps a headline
    # without a full stop from running into the first sentence
    body = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
    meta = trafilatura.extract_metadata(text)
    pub = published
    if pub is None and meta is not None and meta.date:
        try:
            pub = parse_date(meta.date)
        except BadDateError:
            pub = None
    yield make_article(body, where, published=pub, title=meta.title if meta else None,
                   url=meta.url if meta else None, outlet=meta.sitename if meta else None,
                   lang=getattr(meta, "language", None) if meta else None)


def article_from_record(obj: object, where: str, published: date | None) -> Article:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected an object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: no 'text' field")
    pub = parse_date(obj.get("published"), what=f"{where}: published") if obj.get("published") else published
    return make_article(text, where, id=obj.get("id"), published=pub, title=obj.get("title"),
                    url=obj.get("url"), outlet=obj.get("outlet"),
                    lang=obj.get("lang") if isinstance(obj.get("lang"), str) else None)


def read_jsonl(text: str, where: str, published: date | None) -> Iterator[Article | Failure]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(here, f"malformed JSON ({exc.msg})")
            continue
        try:
            yield article_from_record(obj, here, published)
        except (InputError, BadDateError) as exc:
            yield Failure(here, _reason(exc, here))


def read_json(text: str, where: str, published: date | None) -> Iterator[Article | Failure]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: malformed JSON ({exc.msg} at line {exc.lineno})") from None
    items = obj if isinstance(obj, list) else [obj]
    yield from _records(((f"{where}[{i}]", item) for i, item in enumerate(items)), published)


def read_csv(text: str, where: str, published: date | None) -> Iterator[Article | Failure]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise InputError(f"{where}: a CSV needs a header with a 'text' column (and id, published)")
    yield from _records(((f"{where}:{rowno}", row) for rowno, row in enumerate(reader, start=2)), published)


def _records(items: Iterable[tuple[str, object]], published: date | None) -> Iterator[Article | Failure]:
    """Records (with where each came from) to articles; a bad record is a Failure and the rest goes on."""
    for here, item in items:
        try:
            yield article_from_record(item, here, published)
        except (InputError, BadDateError) as exc:
            yield Failure(here, _reason(exc, here))


def read_feed(text: str, where: str, published: date | None) -> Iterator[Article | Failure]:
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries:
        raise InputError(f"{where}: not an RSS/Atom feed, or a feed with no entries")
    for i, entry in enumerate(feed.entries):
        here = f"{where}#{i + 1}"
        body = entry_text(entry)
        pub = entry_date(entry) or published
        try:
            yield make_article(body, here, id=entry.get("id"), published=pub, title=entry.get("title"),
                           url=entry.get("link"), outlet=feed.feed.get("title"),
                           lang=entry.get("language") or feed.feed.get("language"))
        except InputError as exc:
            yield Failure(here, _reason(exc, here))


def entry_text(entry: dict) -> str:
    """A feed entry's own text: its full content when it has one, else its summary, without tags."""
    html = entry["content"][0].get("value", "") if entry.get("content") else ""
    return _strip_tags(html or entry.get("summary", ""))


def entry_date(entry: dict) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def _strip_tags(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    try:
        return lxml.html.fromstring(html).text_content().strip()
    except Exception:  # lxml raises several types on fragments; plain text is the safe answer
        return html


def _reason(exc: Exception, where: str) -> str:
    msg = str(exc)
    prefix = f"{where}: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg


READERS = {
    **dict.fromkeys(TEXT_SUFFIXES, read_text_file),
    **dict.fromkeys(HTML_SUFFIXES, read_html),
    **dict.fromkeys(JSONL_SUFFIXES, read_jsonl),
    ".json": read_json,
    **dict.fromkeys(CSV_SUFFIXES, read_csv),
    **dict.fromkeys(FEED_SUFFIXES, read_feed),
}


def read_bytes(data: bytes, where: str, suffix: str, published: date | None,
               *, strict: bool = True) -> Iterator[Article | Failure]:
    """Articles from the bytes of one input of the given format (suffix such as '.jsonl')."""
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(
            f"{where}: unknown format '{suffix or '(no suffix)'}'; "
            "use .txt, .html, .jsonl, .json, .csv, .rss/.atom or a folder of them"
        )
    if not data.strip():
        raise InputError(f"{where}: empty input")
    text, replaced = decode(data, where, strict=strict)
    if replaced:
        yield Failure(where, "bytes that are not UTF-8 were replaced", severity="warning")
    yield from reader(text, where, published)


def read_path(path: Path, published: date | None, *, strict: bool = True) -> Iterator[Article | Failure]:
    """Articles from one file (``.gz`` of any format included)."""
    where = str(path)
    suffix, gz = _suffix(path)
    if suffix not in READERS:
        raise InputError(
            f"{where}: unknown format '{suffix or '(no suffix)'}'; "
            "use .txt, .html, .jsonl, .json, .csv, .rss/.atom (optionally .gz) or a folder of them"
        )
    try:
        data = path.read_bytes()
        if gz:
            data = gzip.decompress(data)
    except OSError as exc:
        raise InputError(f"{where}: cannot read ({exc.strerror or exc})") from None
    except (EOFError, gzip.BadGzipFile):
        raise InputError(f"{where}: not a valid gzip file") from None
    yield from read_bytes(data, where, suffix, published, strict=strict)


def expand(paths: Iterable[str]) -> list[str | Path]:
    """Files to read, in a stable order: folders are walked recursively for known formats.

    A path that does not exist raises ``InputError`` at once: it is a typing mistake, not bad data.
    """
    out: list[str | Path] = []
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and _suffix(p)[0] in READERS and not p.name.startswith(".")
                and p.name.lower() != "readme.md"
            )
            if not found:
                raise InputError(f"{raw}: the folder holds no .txt, .html, .jsonl, .csv or feed files")
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder")
    return out


def iter_articles(
    paths: Iterable[str], published: date | None = None, *, strict: bool = True,
    stdin_format: str = ".txt", lang: str = "auto",
) -> Iterator[Article | Failure]:
    """Every article from every input, with its language (``lang``: auto, or the one to take for all);
    unreadable inputs come out as ``Failure`` and the rest goes on."""
    from .language import assign

    for item in expand(paths):
        try:
            if item == "-":
                data = sys.stdin.buffer.read()
                found = read_bytes(data, "<stdin>", stdin_format, published, strict=strict)
            else:
                found = read_path(Path(item), published, strict=strict)
            for got in found:
                yield got if isinstance(got, Failure) else assign(got, lang)
        except (InputError, BadDateError) as exc:
            where = "<stdin>" if item == "-" else str(item)
            yield Failure(where, _reason(exc, where))
