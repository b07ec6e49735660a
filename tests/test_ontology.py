"""The packaged ontology: plover.yaml (our PLOVER 2.0 description) and ontology.json (built by a script)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "eventwire" / "data"
SCRIPT = ROOT / "scripts" / "build_ontology.py"
REFERENCE = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared")) / "reference"

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
ROOT_QUAD = {**dict.fromkeys(("01", "02", "03", "04", "05"), 1), **dict.fromkeys(("06", "07", "08"), 2),
             **dict.fromkeys(("09", "10", "11", "12", "13"), 3),
             **dict.fromkeys(("14", "15", "16", "17", "18", "19", "20"), 4)}


@pytest.fixture(scope="module")
def plover() -> dict:
    return yaml.safe_load((DATA / "plover.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ontology() -> dict:
    return json.loads((DATA / "ontology.json").read_text(encoding="utf-8"))


def test_ontology_json_is_what_the_script_builds(tmp_path: Path) -> None:
    """The committed file is exactly the build of the reference tables (no hand edits, no stale build)."""
    if not (REFERENCE / "cameo2plover_2021.txt").is_file():
        pytest.skip(f"reference tables not found at {REFERENCE}")
    out = tmp_path / "ontology.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), str(REFERENCE), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == (DATA / "ontology.json").read_bytes(), \
        "ontology.json is stale: run `python scripts/build_ontology.py`"


def test_ontology_header(ontology: dict) -> None:
    assert ontology["version"] == 1
    assert set(ontology) == {"version", "source", "cameo", "plover_default_cameo"}
    assert len(ontology["cameo"]) >= 300
    for code, info in ontology["cameo"].items():
        assert code.isdigit() and 2 <= len(code) <= 4
        assert set(info) == {"name", "root", "goldstein", "quad_class", "plover_type", "plover_mode",
                             "plover_context"}
        assert info["name"] and info["name"][0].isupper()
        assert -10.0 <= info["goldstein"] <= 10.0


def test_all_sixteen_types(plover: dict, ontology: dict) -> None:
    assert tuple(plover["types"]) == TYPES
    for ptype, spec in plover["types"].items():
        assert spec["quad_class"] in (1, 2, 3, 4), ptype
        assert spec["definition"].strip(), ptype
        code = spec["default_cameo"]
        assert isinstance(code, str) and code in ontology["cameo"], ptype
        assert ontology["cameo"][code]["plover_type"] == ptype, ptype
        assert ontology["plover_default_cameo"][ptype] == code
        names = [m["name"] for m in spec["modes"]]
        assert len(names) == len(set(names)), ptype
        for mode in spec["modes"]:
            assert mode["name"] == mode["name"].lower() and mode["definition"].strip(), (ptype, mode)
    assert set(ontology["plover_default_cameo"]) == set(TYPES)


@pytest.mark.parametrize(("ptype", "quad"), [
    ("AGREE", 1), ("CONSULT", 1), ("SUPPORT", 1), ("CONCEDE", 1), ("COOPERATE", 2), ("AID", 2),
    ("RETREAT", 2), ("REQUEST", 3), ("ACCUSE", 3), ("REJECT", 3), ("THREATEN", 3), ("PROTEST", 4),
    ("SANCTION", 4), ("MOBILIZE", 4), ("COERCE", 4), ("ASSAULT", 4),
])
def test_type_quad_class(plover: dict, ptype: str, quad: int) -> None:
    assert plover["types"][ptype]["quad_class"] == quad


def test_modes_and_contexts_are_plover_names(plover: dict, ontology: dict) -> None:
    """Every mode and context in ontology.json is one plover.yaml defines (for that type, for modes)."""
    contexts = {c["name"] for c in plover["contexts"]}
    assert len(contexts) == len(plover["contexts"]) >= 30
    for code, info in ontology["cameo"].items():
        ptype = info["plover_type"]
        if ptype is None:
            assert info["plover_mode"] is None and info["plover_context"] is None, code
            continue
        assert ptype in TYPES, code
        if info["plover_mode"] is not None:
            assert info["plover_mode"] in {m["name"] for m in plover["types"][ptype]["modes"]}, code
        if info["plover_context"] is not None:
            assert set(info["plover_context"].split(";")) <= contexts, code


def test_quad_class_follows_cameo_root(ontology: dict) -> None:
    for code, info in ontology["cameo"].items():
        assert info["root"] == code[:2], code
        assert info["quad_class"] == ROOT_QUAD[info["root"]], code


def test_dropped_roots_have_no_plover_type(ontology: dict) -> None:
    """PLOVER drops CAMEO 01 (statements) and 02 (appeals); every other root has a type."""
    for code, info in ontology["cameo"].items():
        assert (info["plover_type"] is None) == (info["root"] in ("01", "02")), code


@pytest.mark.parametrize(("code", "ptype", "mode", "context", "quad", "goldstein"), [
    ("195", "ASSAULT", "heavy-weapons", "military", 4, -10.0),
    ("190", "ASSAULT", None, "military", 4, -10.0),
    ("036", "AGREE", None, "diplomatic", 1, 4.0),
    ("042", "CONSULT", "visit", None, 1, 1.9),
    ("043", "CONSULT", "visit", None, 1, 2.8),
    ("161", "SANCTION", "withdraw", "diplomatic", 4, -4.0),
    ("163", "COERCE", "restrict", "diplomatic", 4, -8.0),  # the official table puts sanctions under COERCE
    ("172", "COERCE", "restrict", "executive", 4, -5.0),
    ("173", "COERCE", "arrest", "legal", 4, -5.0),
    ("0874", "RETREAT", "disarm", "military", 2, 10.0),
    ("080", "CONCEDE", None, None, 2, 5.0),
    ("070", "AID", None, None, 2, 7.0),
    ("112", "ACCUSE", "disapprove", None, 3, -2.0),
    ("091", "ACCUSE", "investigate", "crime;corruption", 3, -2.0),
    ("100", "REQUEST", None, None, 3, -5.0),
    ("138", "THREATEN", "violence", "military", 3, -7.0),
    ("141", "PROTEST", "demo", None, 4, -6.5),
    ("154", "MOBILIZE", "troops", "military", 4, -7.2),
    ("192", "COERCE", "seize", "military", 4, -9.5),
    ("204", "ASSAULT", "unconventional", "cbrn", 4, -10.0),
    ("010", None, None, None, 1, 0.0),
    ("020", None, None, None, 1, 3.0),
    ("016", None, None, None, 1, -5.0),  # cameo_codes.csv (-5) wins over GDELT's table (-2)
])
def test_spot_checks(ontology: dict, code: str, ptype: str | None, mode: str | None, context: str | None,
                     quad: int, goldstein: float) -> None:
    info = ontology["cameo"][code]
    assert (info["plover_type"], info["plover_mode"], info["plover_context"]) == (ptype, mode, context)
    assert info["quad_class"] == quad
    assert info["goldstein"] == goldstein


@pytest.mark.parametrize(("code", "mode", "context"), [
    ("186", "targeted", None),  # 2021 "assassinate" -> 2.0 "targeted"
    ("1712", "destroy", "human_security"),  # ASSAULT "seize" -> "destroy" (destroy property)
    ("1722", "restrict", "pro_autocracy"),  # COERCE "ban" -> "restrict"
    ("175", None, "pro_autocracy;military"),  # context written in the mode column
    ("073", None, "human_security"),  # "humanitarian" -> human_security
    ("0811", None, "pro_democracy"),  # "democracy" -> pro_democracy
])
def test_2021_table_values_brought_to_plover_2(ontology: dict, code: str, mode: str | None,
                                                context: str | None) -> None:
    info = ontology["cameo"][code]
    assert (info["plover_mode"], info["plover_context"]) == (mode, context)


def test_names_are_short_labels(ontology: dict) -> None:
    cameo = ontology["cameo"]
    assert cameo["01"]["name"] == "Make public statement"
    assert cameo["19"]["name"] == "Fight"
    assert cameo["193"]["name"] == "Fight with small arms and light weapons"
    assert cameo["1385"]["name"] == "Threaten attack with WMD"
    assert max(len(v["name"]) for v in cameo.values()) < 90
