#!/usr/bin/env python3
"""Build src/eventwire/data/ontology.json from the CAMEO and PLOVER reference tables.

    python scripts/build_ontology.py [REFERENCE_DIR] [--plover PLOVER_YAML] [--out ONTOLOGY_JSON]

REFERENCE_DIR (default: ../shared/reference beside the repository) must hold
  cameo_codes.csv           CAMEO codes: `code`, `name`, `goldstein`, `root_code`
  cameo_goldstein_gdelt.txt GDELT's Goldstein table, used where the CSV has no value
  cameo2plover_2021.txt     the official CAMEO -> PLOVER table, lines `CODE: TYPE, mode, context # comment`

For every CAMEO code in cameo_codes.csv the output gives a short name (the CSV's label, sentence-cased),
its two-digit root, Goldstein value, GDELT QuadClass (from the root) and the PLOVER type, mode and context.
A code the PLOVER table does not list takes the mapping of its nearest listed parent ("0211" -> "021" ->
"02"); a code with no listed parent (the dropped 01 and 02 roots) gets plover_type null.

The official table predates PLOVER 2.0 in places, so its values are brought to the 2.0 names of
plover.yaml: old type names (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT) are renamed, modes that 2.0 dropped
or renamed go through MODE_RENAMES, a context name written in the mode column is moved to the context,
and two context names go through CONTEXT_RENAMES. Anything else that is not a 2.0 name stops the build,
so a changed table cannot slip unknown values into the ontology. Several contexts are joined with ";".

Output is deterministic: sorted keys, indent 1, trailing newline. Needs only the standard library and PyYAML.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_PLOVER = REPO / "src" / "eventwire" / "data" / "plover.yaml"
DEFAULT_OUT = REPO / "src" / "eventwire" / "data" / "ontology.json"

SOURCE = "built by scripts/build_ontology.py from CAMEO and PLOVER reference tables"

# GDELT QuadClass by CAMEO root.
ROOT_QUAD = {f"{r:02d}": 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4 for r in range(1, 21)}

# Type names of earlier PLOVER drafts.
TYPE_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}

# (type, mode in the 2021 table) -> PLOVER 2.0 mode, or None where 2.0 has no counterpart.
MODE_RENAMES: dict[tuple[str, str], str | None] = {
    ("RETREAT", "return"): None,  # dropped from 2.0 (property returned)
    ("RETREAT", "ease"): None,  # the table itself notes "ease" is no longer a mode
    ("THREATEN", "ban"): "restrict",  # 2.0 restrict covers bans on parties and politicians
    ("THREATEN", "political"): "restrict",  # threatened limits on political freedoms
    ("COERCE", "ban"): "restrict",
    ("ASSAULT", "seize"): "destroy",  # 1712 destroy property
    ("ASSAULT", "assassinate"): "targeted",
    ("ASSAULT", "massacre"): "targeted",
    ("ASSAULT", "cleansing"): None,  # dropped from 2.0
}

# Context names of the 2021 table -> PLOVER 2.0 context.
CONTEXT_RENAMES = {"democracy": "pro_democracy", "humanitarian": "human_security"}


def sentence_case(name: str) -> str:
    """'MAKE PUBLIC STATEMENT' -> 'Make public statement'; 'fight with ...' -> 'Fight with ...'."""
    name = " ".join(name.split())
    if name.isupper():
        name = name.lower()
    return name[:1].upper() + name[1:]


def read_cameo(path: Path) -> dict[str, dict[str, Any]]:
    """code -> {name, root, goldstein (float or None)} from cameo_codes.csv."""
    out: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            if not code.isdigit():
                continue
            value = (row.get("goldstein") or "").strip()
            try:
                goldstein = float(value)
            except ValueError:
                goldstein = None
            out[code] = {"name": sentence_case(row["name"]), "root": code[:2], "goldstein": goldstein}
    return out


def read_gdelt_goldstein(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            out[parts[0]] = float(parts[1])
    return out


def read_plover(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_mapping(path: Path, plover: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """code -> {type, mode, context} from the CAMEO->PLOVER table, in PLOVER 2.0 names.

    The first line for a code wins (the table lists root "08" twice, first as CONCEDE).
    """
    types = plover["types"]
    contexts = {c["name"] for c in plover["contexts"]}
    out: dict[str, dict[str, str | None]] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        code, _, rest = line.partition(":")
        code = code.strip()
        if not code.isdigit():
            continue
        fields = [f.strip() for f in rest.split(",")] + ["", ""]
        ptype = TYPE_RENAMES.get(fields[0].upper(), fields[0].upper())
        if ptype not in types:
            raise ValueError(f"{path.name}:{lineno}: unknown PLOVER type {fields[0]!r}")
        mode: str | None = fields[1].lower() or None
        ctx = [c.strip().lower() for c in fields[2].split(";") if c.strip()]
        valid_modes = {m["name"] for m in types[ptype]["modes"]}
        if mode is not None and mode not in valid_modes:
            if (ptype, mode) in MODE_RENAMES:
                mode = MODE_RENAMES[(ptype, mode)]
            elif mode in contexts or mode in CONTEXT_RENAMES:
                ctx.insert(0, mode)
                mode = None
            else:
                raise ValueError(f"{path.name}:{lineno}: {ptype} has no mode {mode!r}")
        ctx = [CONTEXT_RENAMES.get(c, c) for c in ctx]
        for c in ctx:
            if c not in contexts:
                raise ValueError(f"{path.name}:{lineno}: unknown PLOVER context {c!r}")
        ctx = list(dict.fromkeys(ctx))
        out.setdefault(code, {"type": ptype, "mode": mode, "context": ";".join(ctx) or None})
    return out


def build(reference: Path, plover_path: Path = DEFAULT_PLOVER) -> dict[str, Any]:
    plover = read_plover(plover_path)
    cameo = read_cameo(reference / "cameo_codes.csv")
    gdelt = read_gdelt_goldstein(reference / "cameo_goldstein_gdelt.txt")
    mapping = read_mapping(reference / "cameo2plover_2021.txt", plover)

    table: dict[str, dict[str, Any]] = {}
    for code, info in cameo.items():
        goldstein = info["goldstein"] if info["goldstein"] is not None else gdelt.get(code)
        if goldstein is None:
            raise ValueError(f"no Goldstein value for CAMEO {code}")
        probe = code
        while probe and probe not in mapping:
            probe = probe[:-1]
        plover_map = mapping.get(probe, {"type": None, "mode": None, "context": None})
        table[code] = {
            "name": info["name"],
            "root": info["root"],
            "goldstein": float(goldstein),
            "quad_class": ROOT_QUAD[info["root"]],
            "plover_type": plover_map["type"],
            "plover_mode": plover_map["mode"],
            "plover_context": plover_map["context"],
        }

    defaults: dict[str, str] = {}
    for ptype, spec in plover["types"].items():
        code = str(spec["default_cameo"])
        if table.get(code, {}).get("plover_type") != ptype:
            raise ValueError(f"default_cameo {code} of {ptype} does not map back to {ptype}")
        defaults[ptype] = code

    return {"version": 1, "source": SOURCE, "cameo": table, "plover_default_cameo": defaults}


def render(ontology: dict[str, Any]) -> str:
    return json.dumps(ontology, sort_keys=True, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE,
                        help="folder with the CAMEO/PLOVER reference tables (default: %(default)s)")
    parser.add_argument("--plover", type=Path, default=DEFAULT_PLOVER,
                        help="plover.yaml (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="ontology.json to write (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.reference.is_dir():
        print(f"reference folder not found: {args.reference}", file=sys.stderr)
        return 2
    ontology = build(args.reference, args.plover)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(render(ontology))
    typed = sum(1 for v in ontology["cameo"].values() if v["plover_type"])
    print(f"wrote {args.out}: {len(ontology['cameo'])} CAMEO codes, {typed} with a PLOVER type",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
