"""The command line: thin commands over the library. Errors become one line on stderr, never a traceback.

Exit codes: 0 everything done; 2 usage error or no input could be read; 3 some inputs failed
(the rest was processed, and each failure was reported on stderr).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import EventwireError
from .ingest import Failure, iter_articles, parse_date
from .output import FORMATS, write_events

EXIT_USAGE = 2
EXIT_PARTIAL = 3

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="eventwire: news in, event data out (PLOVER + CAMEO, with evidence).")
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", soft_wrap=True)
    return typer.Exit(code)


@app.callback()
def _root() -> None:
    """eventwire turns news into event data: who did what to whom, when and where."""


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin (.txt .html .jsonl .csv .rss .gz)")],
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs without one")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (default: 1; 0 = all cores)")] = 1,
    stdin_format: Annotated[str, typer.Option(help="Format of stdin input: txt, html, jsonl, csv")] = "txt",
) -> None:
    """Extract events from news articles and print them."""
    from .pipeline import default_workers, extract_articles

    if format not in FORMATS:
        raise fail(f"--format '{format}' is not known; use one of {', '.join(FORMATS)}")
    if workers < 0:
        raise fail("--workers must be 0 (all cores) or more")
    pub = parse_date(published)
    failures: list[Failure] = []
    articles_seen = 0

    def articles():
        nonlocal articles_seen
        for item in iter_articles(paths, pub, strict=True, stdin_format="." + stdin_format.lstrip(".")):
            if isinstance(item, Failure):
                failures.append(item)
                err.print(f"[yellow]skipped[/yellow] {item.input}: {item.reason}", soft_wrap=True)
                continue
            articles_seen += 1
            yield item

    started = time.perf_counter()
    events = []
    n_workers = default_workers() if workers == 0 else workers
    for article, result in extract_articles(articles(), workers=n_workers):
        if isinstance(result, str):
            failures.append(Failure(article.source_path or article.id, result))
            err.print(f"[yellow]failed[/yellow] {article.source_path or article.id}: {result}", soft_wrap=True)
            continue
        events.extend(result)
    elapsed = time.perf_counter() - started
    if articles_seen == 0:
        raise fail("no article could be read from the input" + (f" ({failures[0].reason})" if failures else ""))
    if output is not None:
        try:
            with output.open("w", encoding="utf-8", newline="") as stream:
                write_events(events, format, stream)
        except OSError as exc:
            raise fail(f"{output}: cannot write ({exc.strerror})") from None
    else:
        console = Console(width=max(Console().width, 160)) if format == "table" else None
        write_events(events, format, sys.stdout, console=console)
    if format == "table" or output is not None:
        err.print(
            f"{len(events)} events from {articles_seen} article{'s' if articles_seen != 1 else ''}"
            f" in {elapsed:.1f}s" + (f"; {len(failures)} input(s) failed" if failures else "")
        )
    if failures:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold file (JSONL; see docs in README, 'eventwire eval')")],
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious events")] = False,
    floors: Annotated[Path | None, typer.Option(help="JSON of minimum figures; exit 4 when one is not met")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Score extraction against a gold file: precision, recall, F1, target/date/location accuracy."""
    import json

    from .evaluate import evaluate

    if format not in ("table", "json"):
        raise fail(f"--format '{format}' is not known; use table or json")
    if not gold.is_file():
        raise fail(f"{gold}: no such gold file")
    summary, results = evaluate(gold, workers=max(1, workers))
    if format == "json":
        print(json.dumps(summary, indent=2))
    else:
        _print_eval(summary, gold)
    if errors:
        _print_errors(results)
    if floors is not None:
        try:
            wanted = json.loads(floors.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise fail(f"{floors}: not a JSON file of floors ({exc})") from None
        below = _below_floors(summary, wanted)
        for line in below:
            err.print(f"[bold red]below floor:[/bold red] {line}")
        if below:
            raise typer.Exit(4)


def _below_floors(summary: dict, wanted: dict) -> list[str]:
    out = []
    for key, floor in wanted.items():
        if key.startswith("_"):
            continue
        value = summary.get(key)
        if key == "forbidden":
            if value is None or value > floor:
                out.append(f"{key} = {value}, at most {floor} allowed")
        elif value is None or value < floor:
            out.append(f"{key} = {value}, floor {floor}")
    return out


def _print_eval(summary: dict, gold: Path) -> None:
    from rich.table import Table

    out = Console()
    head = Table(title=f"eventwire eval {gold.name}: {summary['items']} items, {summary['gold_events']} gold events")
    for col in ("precision", "recall", "F1", "target acc.", "date acc.", "location acc.", "full-match F1",
                "forbidden"):
        head.add_column(col, justify="right")
    head.add_row(*(f"{summary[k]:.3f}" for k in ("precision", "recall", "f1", "target_accuracy", "date_accuracy",
                                                   "location_accuracy", "full_match_f1")),
                 str(summary["forbidden"]))
    out.print(head)
    per = Table(title="per type (gold type for tp/fn, predicted type for fp)")
    for col in ("type", "tp", "fp", "fn", "precision", "recall", "F1"):
        per.add_column(col, justify="right" if col != "type" else "left")
    for etype, row in summary["per_type"].items():
        per.add_row(etype, str(row["tp"]), str(row["fp"]), str(row["fn"]), f"{row['precision']:.2f}",
                    f"{row['recall']:.2f}", f"{row['f1']:.2f}")
    out.print(per)


def _print_errors(results) -> None:
    from .output import actor_label

    out = Console()
    for res in results:
        misses = [g for g, p in res.pairs if p is None]
        if not (misses or res.false_positives or res.forbidden):
            continue
        out.print(f"[bold]{res.item.id}[/bold] {res.item.text}", soft_wrap=True)
        for g in misses:
            out.print(f"  [red]missed[/red] {'/'.join(g['types'])} {g.get('source')} -> {g.get('target')}")
        for p in res.false_positives:
            out.print(f"  [yellow]spurious[/yellow] {p.event_type} {actor_label(p.source)} -> "
                      f"{actor_label(p.target)} ({p.evidence.trigger})")
        for p in res.forbidden:
            out.print(f"  [magenta]forbidden[/magenta] {p.event_type} {actor_label(p.source)}")
        for p in res.predictions:
            out.print(f"    [dim]pred {p.event_type} {actor_label(p.source)} -> {actor_label(p.target)} "
                      f"{p.factuality} '{p.evidence.trigger}'[/dim]")


def main() -> None:
    """Entry point: runs the app, turning eventwire errors into one line and exit code 2."""
    try:
        app()
    except EventwireError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", soft_wrap=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
