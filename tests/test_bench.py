"""``eventwire bench``: what it times is what it says it times."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from eventwire.bench import run_bench
from eventwire.cli import app
from eventwire.nlp import load
from eventwire.reader import iter_articles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _french() -> list:
    return [a for a in iter_articles([str(p) for p in sorted(EXAMPLES.glob("*-fr.txt"))][:2]) if a.lang == "fr"]


def test_bench_keeps_the_fastest_round_and_counts_the_events() -> None:
    articles = _french()
    assert articles, "the examples hold French articles"
    result = run_bench(articles, rounds=2)
    assert result["rounds"] == 2 and result["articles"] == len(articles)
    assert result["events"] > 0, "extraction ran and found the examples' events"
    assert 0 < result["ratio_to_parse"] < 2
    assert result["parse_seconds"] > 0 and result["extract_seconds"] > 0
    assert result["peak_memory_mb_per_worker"] > 100, "both models are loaded"


def test_the_bare_parse_is_the_model_as_shipped() -> None:
    """The ratio is measured against the model as shipped: none of our guards or bridge, spaCy's own attribute
    ruler and lemmatizer, every sentence parsed."""
    from spacy.pipeline import AttributeRuler

    from eventwire import bench
    from eventwire.nlp import load_bare
    from eventwire.speedups import ColumnAttributeRuler, ColumnLemmatizer

    bare = load_bare("fr")
    assert bare is not load("fr")
    assert not [n for n in bare.pipe_names if n.startswith("eventwire_")]
    assert type(bare.get_pipe("attribute_ruler")) is AttributeRuler
    assert not isinstance(bare.get_pipe("lemmatizer"), ColumnLemmatizer)
    assert isinstance(load("fr").get_pipe("attribute_ruler"), ColumnAttributeRuler)
    assert bench._parse_only(_french()[:1]) == 1


def test_bench_reports_the_share_selective_parsing_parsed() -> None:
    result = run_bench(_french()[:2])
    assert result["parse"] == "selective"
    assert 0 < result["parsed_token_share"] <= 1 and 0 < result["parsed_sentence_share"] <= 1


def test_bench_command_prints_json_with_rounds() -> None:
    path = str(sorted(EXAMPLES.glob("*-fr.txt"))[0])
    out = CliRunner().invoke(app, ["bench", path, "--rounds", "2", "--format", "json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout[out.stdout.index("{"):])
    assert result["rounds"] == 2 and result["languages"] == "en,fr"
    bad = CliRunner().invoke(app, ["bench", path, "--rounds", "0"])
    assert bad.exit_code == 2
