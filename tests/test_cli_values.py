"""Every command, driven with bad values of each of its options (hypothesis over the CLI's own option list): the
answer is an exit code and at most a few lines, never a traceback. Runs the real entry point in-process."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire import cli

COMMAND = typer.main.get_command(cli.app)
# serving and watching run until stopped: their bad values are tested in test_live.py and test_watch.py
LONG_RUNNING = {"serve", "watch"}
COMMANDS = sorted(name for name in COMMAND.commands if name not in LONG_RUNNING)
EXIT_CODES = {0, cli.EXIT_USAGE, cli.EXIT_PARTIAL, 4}

BAD_VALUES = st.one_of(
    st.sampled_from(["", " ", "-1", "0", "99999", "-99999999999", "nan", "inf", "1e309", "abc", "2024-13-45",
                     "2024-02-30", "/nonexistent/dir/x.csv", "../", ".", "XXX", "Atlantis", "type=", "%", "'; --",
                     "ray", "1,2,3", "http://", "é"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
MISSING = ["/nonexistent/in", "no-such-file.txt", "Atlantis", "XXX"]


def _invoke(argv: list[str]) -> tuple[int, str]:
    """Run ``eventwire ARGV`` as the console script does; (exit code, stderr)."""
    err = io.StringIO()
    old_argv = sys.argv
    sys.argv = ["eventwire", *argv]
    code = 0
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old_argv
    return code, err.getvalue()


@st.composite
def _argv(draw, name: str) -> list[str]:
    command = COMMAND.commands[name]
    argv = [name]
    for param in command.params:
        if param.param_type_name == "argument":
            n = 1 if param.nargs in (1, -1) else param.nargs
            argv += [draw(st.sampled_from(MISSING)) for _ in range(n)]
            continue
        if param.param_type_name != "option" or param.name == "help" or not draw(st.booleans()):
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            argv.append(flag)
        else:
            argv += [flag, draw(BAD_VALUES)]
    return argv


@pytest.fixture()
def in_tmp(tmp_path: Path):
    here = Path.cwd()
    os.chdir(tmp_path)
    os.environ.pop("EVENTWIRE_TOKEN", None)
    try:
        yield tmp_path
    finally:
        os.chdir(here)


@pytest.mark.parametrize("name", COMMANDS)
def test_bad_values_give_one_line_not_a_traceback(name: str, in_tmp: Path) -> None:
    @given(argv=_argv(name))
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(argv: list[str]) -> None:
        code, err = _invoke(argv)
        assert "Traceback" not in err, (argv, err)
        assert code in EXIT_CODES, (argv, code, err)

    check()


@pytest.mark.parametrize(("argv", "says"), [
    (["export", "--output", "/nonexistent/dir/x.csv", "--format", "csv"], "does not exist"),
    (["situation", "XXX"], "not an ISO-3 country code"),
    (["situation", "Atlantis"], "not a country we know"),
    (["query", "--type", "PARTY"], "unknown event type"),
    (["query", "--km", "-3"], "--km"),
    (["ingest", "x.txt", "--engine", "spark"], "--engine"),
    (["ingest", "x.txt", "--workers", "-2"], "--workers"),
    (["extract", "x.txt", "--stdin-format", "pdf"], "--stdin-format"),
])
def test_named_bad_values_say_what_to_do(argv: list[str], says: str, in_tmp: Path) -> None:
    code, err = _invoke(argv)
    assert code == cli.EXIT_USAGE and says in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2
