"""The one ingest path (eventwire.ingest.ingest): typed failures, the run report, nothing lost or stored twice,
and a parser that breaks on one article failing that article only (real spaCy, a real DuckDB file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from eventwire.ingest import RunReport, extract_sources, ingest
from eventwire.model import Article, Failure
from eventwire.nlp import load
from eventwire.store import Store

STORY = ("Russian troops entered Airbase 101 in Niamey on Thursday, where US troops are based, "
         "a senior US defence official said.")
OTHER = "Ukrainian drones struck an oil refinery in Ryazan on Sunday, the regional governor said."


def test_failures_are_typed_and_the_run_is_recorded(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(OTHER.replace("Ryazan", "Ryazán").encode("latin-1"))
    (folder / "es.txt").write_text("Las tropas rusas entraron el jueves en la base aérea de Niamey, donde están "
                                   "las tropas estadounidenses, según un alto funcionario.", encoding="utf-8")
    with Store(tmp_path / "ew.duckdb") as store:
        report = ingest([folder], store, published=date(2024, 5, 3))
        assert isinstance(report, RunReport)
        assert report.articles_added == 2 and report.events_new >= 2
        kinds = {(Path(f.input).name, f.stage, f.severity) for f in report.failures}
        assert ("empty.txt", "read", "error") in kinds
        assert ("latin1.txt", "read", "warning") in kinds, "kept, with a caveat"
        assert ("es.txt", "language", "skipped") in kinds
        assert report.errors == 1 and report.skipped_language == {"es": 1}
        stored = {(Path(f.input).name, f.stage, f.severity) for f in store.failures(report.run_id)}
        assert stored == kinds, "every failure is in the store with its run"
        again = ingest([folder], store, published=date(2024, 5, 3))
        assert again.articles_added == 0 and again.already_stored == 2
        assert store.stats()["articles"] == 2 and store.stats()["runs"] == 2


def test_articles_and_failures_as_sources(tmp_path: Path) -> None:
    article = Article(id="feed-1", text=OTHER, published=date(2024, 6, 2), lang="")
    lost = Failure("https://example.org/x", "answered 500", stage="fetch")
    with Store(tmp_path / "ew.duckdb") as store:
        report = ingest([article, lost], store, label=["a feed"])
        assert report.articles_added == 1 and report.failures == [lost]
        assert report.new_event_ids and all(store.event_detail(i) for i in report.new_event_ids)
        assert store.failures()[0].stage == "fetch"


def test_bad_options_raise_before_anything_is_stored(tmp_path: Path) -> None:
    from eventwire.errors import EventwireError

    with Store(tmp_path / "ew.duckdb") as store:
        for bad in ({"engine": "spark"}, {"lang": "de"}, {"workers": -1}):
            with pytest.raises(EventwireError):
                ingest([], store, **bad)
        assert store.stats()["runs"] == 0


@Language.component("test_breaks_on_marker")
def _breaks_on_marker(doc):
    if "XYZZY-BREAK" in doc.text:
        raise RuntimeError("the parser broke")
    return doc


def test_a_parser_failure_fails_one_article_not_the_batch(tmp_path: Path) -> None:
    nlp = load("en")
    nlp.add_pipe("test_breaks_on_marker", first=True)
    try:
        articles = [Article(id=f"a{i}", text=t, published=date(2024, 5, 3), lang="en")
                    for i, t in enumerate([STORY, "XYZZY-BREAK " + OTHER, OTHER])]
        with Store(tmp_path / "ew.duckdb") as store:
            report = ingest(articles, store)
            assert report.articles_added == 2
            assert [(f.input, f.stage) for f in report.failures] == [("a1", "extract")]
            assert "the parser broke" in report.failures[0].reason
    finally:
        nlp.remove_pipe("test_breaks_on_marker")


def test_extract_sources_merges_mentions_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STORY + " " + STORY.replace("Thursday", "Thursday morning"), encoding="utf-8")
    merged, report, seen = extract_sources([path], published=date(2024, 5, 3))
    every, _, _ = extract_sources([path], published=date(2024, 5, 3), mentions=True)
    assert seen == 1 and not report.failures
    assert len(every) > len(merged) >= 1
