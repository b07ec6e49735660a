"""The rule set: what the loader rejects (one line: file, rule id, problem), user files, the golden list of ids,
and the commands that list and explain rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eventwire.coding.rules import build, load_rules, packaged_files
from eventwire.errors import RuleError
from eventwire.model import EVENT_TYPES
from eventwire.ontology import cameo_info

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "rule_ids.txt"
NEWSROOM = ROOT / "docs" / "newsroom"
WORD_LITERAL_CEILING = 120  # measured; lower it when words move to data, never raise it

GOOD = """
version: 1
rules:
  - id: assault.test.v1
    kind: verb
    type: ASSAULT
    cameo: "190"
    priority: 20
    lemmas: [zap]
    examples: ["Russia zapped Kharkiv."]
"""


def _build(text: str, *, name: str = "mine.yaml", base: bool = False):
    files = packaged_files("en") if base else [("words.yaml", "version: 1\nwords: {default_target_preps: [at]}\n")]
    return build(files, user=[(name, text)])


@pytest.mark.parametrize(("change", "message"), [
    (("priority: 20", "priority: 20\n    prioritty: 3"), "mine.yaml: assault.test.v1: unknown key 'prioritty'"),
    (("id: assault.test.v1", "id: assault test"), "mine.yaml: assault test: an id is lower-case words joined by dots"),
    (("id: assault.test.v1", "id: assault.test"), "ending in a version"),
    (('examples: ["Russia zapped Kharkiv."]', "examples: []"), "mine.yaml: assault.test.v1: no examples"),
    (('cameo: "190"', 'cameo: "999"'), "mine.yaml: assault.test.v1: CAMEO code '999' is not in data/ontology.json"),
    (('cameo: "190"', 'cameo: "173"'), "type ASSAULT differs from the ontology's COERCE for CAMEO 173"),
    (("type: ASSAULT", "type: ATTACK"), "unknown PLOVER type 'ATTACK'"),
    (("    priority: 20\n", ""), "mine.yaml: assault.test.v1: missing key 'priority'"),
    (("lemmas: [zap]", "lemmas: [zap]\n    object: '@no_such_list'"), "unknown word list '@no_such_list'"),
    (("kind: verb", "kind: light"), "a light rule needs 'verbs' and 'nouns'"),
    (("rules:", "rules: [\n"), "mine.yaml: -: not valid YAML"),
])
def test_rules_loader_rejects_with_one_line(change: tuple[str, str], message: str) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(RuleError) as exc:
        _build(text)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_rules_loader_accepts_a_good_rule_and_a_deliberate_type() -> None:
    rs = _build(GOOD.replace('cameo: "190"', 'cameo: "173"').replace("priority: 20", 'priority: 20\n    deliberate: "a test"'))
    assert rs.by_id["assault.test.v1"].cameo == "173"


def test_rules_loader_rejects_a_lemma_claimed_twice_at_one_priority() -> None:
    twice = GOOD + GOOD.split("rules:\n", 1)[1].replace("assault.test.v1", "assault.test_again.v1")
    with pytest.raises(RuleError, match=re.escape("lemma 'zap' is also claimed by assault.test")):
        _build(twice)
    ok = twice.replace("priority: 20", "priority: 30", 1)
    assert [p.id for p in _build(ok).verbs["zap"]] == ["assault.test.v1", "assault.test_again.v1"]


def test_rules_loader_rejects_a_light_pair_claimed_twice_at_one_priority() -> None:
    light = """
version: 1
rules:
  - {id: coerce.a.v1, kind: light, type: COERCE, cameo: "172", priority: 50, verbs: [slap], nouns: [levy],
     examples: ["x"]}
  - {id: coerce.b.v1, kind: light, type: COERCE, cameo: "172", priority: 50, verbs: [slap, put], nouns: [levy],
     examples: ["x"]}
"""
    with pytest.raises(RuleError, match=r"mine.yaml: coerce.b.v1: \(verb, noun\) pair 'slap levy' is also claimed"):
        _build(light)


def test_rules_loader_rejects_a_duplicate_id_and_an_unknown_disable() -> None:
    with pytest.raises(RuleError, match=re.escape("assault.attack.v1: id already used in rules/en/triggers/assault.yaml")):
        _build(GOOD.replace("assault.test.v1", "assault.attack.v1"), base=True)
    with pytest.raises(RuleError, match=re.escape("mine.yaml: assault.nothing.v1: cannot disable: no rule has this id")):
        _build(GOOD + "disable: [assault.nothing.v1]\n")


@pytest.mark.parametrize(("lang", "at_least"), [("en", 200), ("fr", 100)])
def test_rules_packaged_rules_are_valid_and_each_has_an_example(lang: str, at_least: int) -> None:
    rs = load_rules(lang, user_files=[])
    assert len(rs.rules) > at_least
    for rid, rule in rs.rules.items():
        assert rule.examples, rid
        assert rule.type in EVENT_TYPES
        info = cameo_info(rule.cameo)
        assert info["plover_type"] == rule.type or rule.deliberate, rid


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rules_no_rule_id_disappears_without_a_new_version(lang: str) -> None:
    """The golden list: a rule may get a new version (``.v2``), never vanish silently. Add new ids to
    tests/rule_ids.txt (French: tests/rule_ids_fr.txt) when you add rules."""
    rs = load_rules(lang, user_files=[])
    current = set(rs.all_ids())
    stems = {rid.rpartition(".v")[0] for rid in current}
    golden_file = GOLDEN if lang == "en" else GOLDEN.with_name(f"rule_ids_{lang}.txt")
    golden = [line.strip() for line in golden_file.read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    gone = [rid for rid in golden if rid not in current and rid.rpartition(".v")[0] not in stems]
    assert not gone, f"rules removed without a new version: {gone}"
    new = sorted(current - set(golden))
    assert not new, f"rules missing from {golden_file.name} (add them): {new}"


def test_rules_user_file_adds_rules_and_disables_one(cli, tmp_path: Path) -> None:
    text = "Lakurawa fighters rustled hundreds of cattle near Tangaza on Sunday. Nigerian police investigated the raid."
    src = tmp_path / "story.txt"
    src.write_text(text)
    env_file = NEWSROOM / "actors.yaml"
    import os
    import subprocess
    import sys

    def run(*extra: str) -> list[dict]:
        proc = subprocess.run([sys.executable, "-m", "eventwire.cli", "extract", str(src), "--published", "2024-06-03",
                               *extra], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "EVENTWIRE_ACTORS": str(env_file)})
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.splitlines()]

    plain = {e["evidence"]["rule"] for e in run()}
    assert "accuse.investigate.v1" in plain and "coerce.rustle.v1" not in plain
    mine = run("--rules", str(NEWSROOM / "rules.yaml"))
    rules = {e["evidence"]["rule"]: e for e in mine}
    assert set(rules) == {"coerce.rustle.v1"}
    assert rules["coerce.rustle.v1"]["source"]["code"] == "NGAREB"


def test_rules_bad_user_file_is_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("priority: 20", "priority: 20\n    objekt: [x]"))
    proc = cli("extract", "-", "--rules", str(bad), stdin=b"Russia shelled Kharkiv.")
    assert proc.returncode == 2
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "bad.yaml: assault.test.v1: unknown key 'objekt'" in lines[0]
    missing = cli("extract", "-", "--rules", str(tmp_path / "nope.yaml"), stdin=b"Russia shelled Kharkiv.")
    assert missing.returncode == 2 and "cannot read the rule file" in missing.stderr.decode()


def test_rules_command_lists_every_rule_as_json(cli) -> None:
    proc = cli("rules", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    triggers = [r for r in rows if r["kind"] in ("verb", "light", "noun", "construction")]
    assert len(triggers) == len(load_rules("en", user_files=[]).rules)
    for row in triggers:
        assert row["id"] and row["type"] in EVENT_TYPES and row["cameo"] and row["examples"], row["id"]


def test_rules_command_counts_firings_on_a_corpus(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Russian forces shelled Kharkiv on Monday. Russian forces shelled Sumy on Tuesday.")
    proc = cli("rules", "--on", str(tmp_path), "--published", "2024-06-03", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    fired = {r["id"]: r["fired"] for r in json.loads(proc.stdout)}
    assert fired["assault.shell.v1"] == 2
    assert fired["coerce.arrest.v1"] == 0


def test_explain_shows_the_rules_that_fired_and_those_suppressed(cli) -> None:
    proc = cli("explain", "Nurses staged a strike in Nairobi on Monday.", "--published", "2024-06-03")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "candidate 'staged strike' -> assault.launch_offensive.v1" in out
    assert "event PROTEST 143" in out and "post.labour_strike.v1" in out
    js = cli("explain", "Stocks hit a record high on Monday. Israeli jets hit Gaza on Tuesday.", "--format", "json")
    first, second = json.loads(js.stdout)["sentences"]
    assert first["events"] == [] and {"trigger": "hit", "rule": "assault.attack.v1",
                                       "why": "the object is one of its not_object words"} in first["suppressed"]
    assert [e["evidence"]["rule"] for e in second["events"]] == ["assault.attack.v1"]


def test_extract_explain_flag(cli, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Kenyan police arrested 40 protesters in Nairobi on Tuesday.")
    proc = cli("extract", str(src), "--published", "2024-06-03", "--explain")
    assert proc.returncode == 0, proc.stderr
    assert "rule coerce.arrest.v1" in proc.stdout.decode()


def test_every_extracted_event_names_its_rule(cli, shared: Path) -> None:
    proc = cli("extract", str(shared / "corpora" / "seed" / "niger-airbase-101.txt"), "--published", "2024-05-03")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert events
    ids = set(load_rules("en", user_files=[]).rules)
    for event in events:
        assert event["evidence"]["rule"] in ids
        assert isinstance(event["evidence"]["steps"], list)


def test_eval_by_rule_reports_rules_and_those_never_fired(cli) -> None:
    gold = ROOT / "tests" / "gold" / "eventwire_gold.jsonl"
    proc = cli("eval", str(gold), "--by-rule", "--format", "json", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)["by_rule"]
    assert sum(r["tp"] for r in data["rules"].values()) == json.loads(proc.stdout)["tp"]
    assert data["never_fired"] and all(rid not in data["rules"] for rid in data["never_fired"])


def test_engine_python_holds_few_word_literals() -> None:
    """Coding knowledge is data: the words left in the engine's Python only go down
    (``python benchmarks/word_literals.py --list`` shows them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("word_literals", ROOT / "benchmarks" / "word_literals.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    labels = module.parse_labels()
    total = sum(len(module.word_literals(path, labels)) for path in module.ENGINE)
    assert total <= WORD_LITERAL_CEILING, f"{total} word literals in src/eventwire/coding/*.py"
