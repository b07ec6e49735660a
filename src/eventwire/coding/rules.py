"""The rule set: coding knowledge as validated data, loaded once per language and passed to the stages.

A rule file is YAML. Trigger rules (``rules:``) say which words are events of which PLOVER type and CAMEO
code, under which conditions on their roles (subject, object, oblique with preposition P, complement, what a
preposition's object names: ``oblique_object: {in: [custody, jail], from: [office]}``, the verb's ``voice``, ``participle: false``);
guards (``guards:``) veto a match for whole families of rules; post-rules (``post:``) recode a match; role
rules (``roles:``) say where the source, target and place of a family come from; word lists (``words:``)
are the vocabulary the rules and the primitives in ``syntax.py`` refer to by name (``"@commercial_verbs"``).
Every rule has an id with a version (``assault.shell.v1``), an explicit priority and examples in our own
words; the loader rejects what it cannot trust with one line: file, rule id, problem.

A user file (``--rules FILE`` or ``EVENTWIRE_RULES``) has the same format, plus ``disable: [ids]``.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import RuleError
from ..ontology import cameo_info

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
RULE_ID = re.compile(r"^[a-z][a-z0-9_\-]*(\.[a-z0-9_\-]+)+\.v[0-9]+$")
Words = list[str] | str  # a list of words, or "@name" of a word list
Needs = Literal["object", "clause", "infinitive", "prep", "negation", "actor", "target"]
Voice = Literal["active", "passive"]
ACTIVE, PASSIVE = get_args(Voice)
CONSTRUCTIONS = ("readiness", "stance", "must_clause", "quoted_judgement")
"""Trigger shapes that are not a verb with arguments: "is ready to", "is opposed to", "said X must"."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Conditions(_Strict):
    """What must hold around the trigger, in terms of roles, not of one parser's labels."""

    particle: str | None = None
    subject: Words | None = None
    not_subject: Words | None = None
    object: Words | None = None
    not_object: Words | None = None
    oblique: Words | None = Field(None, description="prepositions whose object is the target")
    complement: Words | None = Field(None, description="the verb's complement: 'ordered X to leave'")
    complement_types: list[str] | None = Field(None, description="the complement is an act of one of these types")
    not_complement: Words | None = None
    not_complement_types: list[str] | None = None
    complement_verb_types: list[str] | None = Field(None, description="the verb's infinitive is a verb rule of these types")
    owned_object: Words | None = Field(None, description="an object with a possessive: 'hit its target'")
    oblique_object: dict[str, Words] | None = Field(
        None, description="a preposition and what its object must name: {in: [custody, jail]} ('held in custody')")
    participle: bool | None = Field(None, description="false: not a participle on its noun ('prisoners held in Evin')")
    voice: Voice | None = Field(None, description="the verb's voice: 'designated X as', not 'is designated as'")
    needs: Needs | None = None

    @field_validator("complement_types", "not_complement_types", "complement_verb_types")
    @classmethod
    def _types(cls, value: list[str] | None) -> list[str] | None:
        for t in value or ():
            if t not in PLOVER_TYPES:
                raise ValueError(f"unknown PLOVER type {t!r}")
        return value


class TriggerRule(Conditions):
    """One trigger rule: a verb, a light verb + event noun, an event noun, or a construction."""

    id: str
    kind: Literal["verb", "light", "noun", "construction"]
    type: str
    cameo: str
    mode: str | None = None
    priority: int
    lemmas: list[str] = []
    verbs: list[str] = []
    nouns: list[str] = []
    construction: str | None = None
    examples: list[str] = []
    counter_examples: list[str] = []
    deliberate: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> TriggerRule:
        if self.type not in PLOVER_TYPES:
            raise ValueError(f"unknown PLOVER type {self.type!r}")
        if self.kind == "light" and not (self.verbs and self.nouns):
            raise ValueError("a light rule needs 'verbs' and 'nouns'")
        if self.kind in ("verb", "noun", "construction") and not self.lemmas:
            raise ValueError(f"a {self.kind} rule needs 'lemmas'")
        if self.kind == "construction" and self.construction not in CONSTRUCTIONS:
            raise ValueError(f"'construction' must be one of {', '.join(CONSTRUCTIONS)}")
        return self


class Guard(_Strict):
    """A veto over a family: a match of these types does not count when the conditions hold."""

    id: str
    types: list[str]
    when: Conditions
    examples: list[str] = []
    counter_examples: list[str] = []
    note: str | None = None


class PostRule(_Strict):
    """Recodes a match once its roles and truth are known; ``when`` names conditions the interpreter checks."""

    id: str
    at: Literal["truth", "source", "actors"]
    priority: int
    when: dict[str, Any]
    then: dict[str, Any]
    examples: list[str] = []
    counter_examples: list[str] = []
    note: str | None = None


class RoleRule(_Strict):
    """Where a family's source, target or place come from; ``types`` and ``params`` are the rule's data."""

    id: str
    role: Literal["source", "target", "place", "date", "drop", "factuality"]
    types: list[str] = []
    params: dict[str, Any] = {}
    examples: list[str] = []
    counter_examples: list[str] = []
    note: str | None = None


class RuleFile(_Strict):
    version: int = 1
    note: str | None = None
    rules: list[TriggerRule] = []
    guards: list[Guard] = []
    post: list[PostRule] = []
    roles: list[RoleRule] = []
    words: dict[str, list[str]] = {}
    maps: dict[str, dict[str, Any]] = {}
    type_groups: dict[str, list[str]] = {}
    disable: list[str] = []


# ---------------------------------------------------------------------------------------------------------
# the compiled form the matcher reads


@dataclass(frozen=True)
class Pattern:
    """A trigger rule compiled for matching: word lists resolved to frozensets."""

    id: str
    kind: str
    event_type: str
    cameo: str
    priority: int = 0
    mode: str | None = None
    particle: str | None = None
    preps: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()
    not_objects: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    not_subjects: frozenset[str] = frozenset()
    needs: str | None = None
    xcomps: frozenset[str] = frozenset()
    not_xcomps: frozenset[str] = frozenset()
    complement_types: frozenset[str] = frozenset()
    not_complement_types: frozenset[str] = frozenset()
    complement_verb_types: frozenset[str] = frozenset()
    owned_objects: frozenset[str] = frozenset()
    oblique_objects: tuple[tuple[str, frozenset[str]], ...] = ()
    voice: str | None = None
    participle: bool | None = None
    construction: str | None = None


@dataclass
class RuleSet:
    """Every rule of one language, compiled, plus the user's additions and removals."""

    lang: str
    rules: dict[str, TriggerRule]
    verbs: dict[str, list[Pattern]]
    light: dict[tuple[str, str], list[Pattern]]
    nouns: dict[str, list[Pattern]]
    constructions: dict[str, list[Pattern]]
    guards: list[tuple[Guard, Pattern]]
    post: dict[str, PostRule]
    roles: dict[str, RoleRule]
    words: dict[str, frozenset[str]]
    type_groups: dict[str, frozenset[str]]
    files: dict[str, str] = field(default_factory=dict)  # rule id -> file it came from
    light_verbs: frozenset[str] = frozenset()
    by_id: dict[str, Pattern] = field(default_factory=dict)
    _role_names: dict[str, RoleRule] | None = None
    _construction_words: dict[str, list[str]] | None = None
    _noun_words: frozenset[str] | None = None

    def noun_words(self) -> frozenset[str]:
        """Every word of every noun rule's names ("hunger", "strike", "coup", "d'état"): a noun none of whose own
        forms is one of them matches no noun rule."""
        if self._noun_words is None:
            self._noun_words = frozenset(w for name in self.nouns for w in name.split(" "))
        return self._noun_words

    def construction_words(self) -> dict[str, list[str]]:
        """Word -> the constructions whose rules name it, built once rather than for every sentence."""
        if self._construction_words is None:
            by_word: dict[str, list[str]] = {}
            for name, pats in self.constructions.items():
                for w in {w for p in pats for w in self.rules[p.id].lemmas}:
                    by_word.setdefault(w, []).append(name)
            self._construction_words = by_word
        return self._construction_words

    def word(self, name: str) -> frozenset[str]:
        """A named word list; a missing name is a programming error, not a user's."""
        return self.words[name]

    def role(self, name: str) -> RoleRule | None:
        """The enabled role rule of this name (its id without the version), the latest version; None when
        the user disabled it."""
        if self._role_names is None:
            self._role_names = {}
            for rid in self.roles:
                stem = rid.rpartition(".v")[0]
                self._role_names[stem] = self._latest(self.roles, stem)
        return self._role_names.get(name)

    def post_rules(self, stage: str) -> list[PostRule]:
        """The enabled post-rules of one stage, highest priority first."""
        return sorted((p for p in self.post.values() if p.at == stage), key=lambda p: -p.priority)

    def resolve(self, value: Any) -> Any:
        """A parameter as the interpreter reads it: "@name" and lists of words become word sets."""
        if isinstance(value, str) and value.startswith("@"):
            return self.words[value[1:]]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return frozenset(w for v in value for w in (self.words[v[1:]] if v.startswith("@") else (v,)))
        return value

    def param(self, rule: RoleRule | PostRule, key: str, default: Any = None) -> Any:
        params = rule.params if isinstance(rule, RoleRule) else rule.when
        return self.resolve(params[key]) if key in params else default

    @staticmethod
    def _latest(table: dict[str, Any], name: str) -> Any:
        best = None
        for rid, rule in table.items():
            stem, _, version = rid.rpartition(".v")
            if stem == name and (best is None or int(version) > best[0]):
                best = (int(version), rule)
        return best[1] if best else None

    def all_ids(self) -> list[str]:
        ids = [*self.rules, *(g.id for g, _ in self.guards), *self.post, *self.roles]
        return sorted(ids)

    def trigger_lemmas(self) -> frozenset[str]:
        """Every word that can start a trigger: for a cheap look before the full parse."""
        return frozenset([*self.verbs, *self.light_verbs, *(n.split()[-1] for n in self.nouns),
                          *(w for pats in self.constructions.values() for p in pats for w in self.rules[p.id].lemmas)])


def _resolve(value: Words | None, words: dict[str, frozenset[str]], where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        if not value.startswith("@"):
            return frozenset([value])
        name = value[1:]
        if name not in words:
            raise RuleError(f"{where}: unknown word list '{value}'")
        return words[name]
    out: set[str] = set()
    for item in value:
        out |= _resolve(item, words, where) if item.startswith("@") else {item}
    return frozenset(out)


def _compile(rule: TriggerRule | Conditions, words: dict[str, frozenset[str]], where: str, *,
             rid: str = "", kind: str = "guard", event_type: str = "", cameo: str = "", priority: int = 0,
             mode: str | None = None, construction: str | None = None) -> Pattern:
    r = rule
    return Pattern(
        id=rid, kind=kind, event_type=event_type, cameo=cameo, priority=priority, mode=mode,
        particle=r.particle, preps=tuple(sorted(_resolve(r.oblique, words, where))),
        objects=_resolve(r.object, words, where), not_objects=_resolve(r.not_object, words, where),
        subjects=_resolve(r.subject, words, where), not_subjects=_resolve(r.not_subject, words, where),
        needs=r.needs, xcomps=_resolve(r.complement, words, where), not_xcomps=_resolve(r.not_complement, words, where),
        complement_types=frozenset(r.complement_types or ()), not_complement_types=frozenset(r.not_complement_types or ()),
        complement_verb_types=frozenset(r.complement_verb_types or ()),
        owned_objects=_resolve(r.owned_object, words, where), construction=construction,
        oblique_objects=tuple((prep, _resolve(value, words, where)) for prep, value in sorted((r.oblique_object or {}).items())),
        voice=r.voice, participle=r.participle,
    )


def _fail(path: str, rule_id: str | None, problem: str) -> RuleError:
    return RuleError(f"{path}: {rule_id or '-'}: {problem}")


def _read(path: str, text: str) -> RuleFile:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise _fail(path, None, f"not valid YAML{line}") from None
    if not isinstance(raw, dict):
        raise _fail(path, None, "a rule file is a mapping with 'rules', 'post', 'roles', 'words' or 'disable'")
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        rule_id = None
        if len(loc) >= 2 and isinstance(loc[1], int):
            items = raw.get(loc[0]) or []
            if loc[1] < len(items) and isinstance(items[loc[1]], dict):
                rule_id = items[loc[1]].get("id") or f"{loc[0]}[{loc[1]}]"
        field_name = ".".join(str(x) for x in loc[2:]) or ".".join(str(x) for x in loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'"
        elif err["type"] == "missing":
            msg = f"missing key '{loc[-1]}'"
        else:
            msg = f"{field_name}: {msg}"
        raise _fail(path, rule_id, msg) from None


def packaged_files(lang: str) -> list[tuple[str, str]]:
    """(name, text) of every packaged rule file of a language, in a fixed order."""
    root = resources.files("eventwire").joinpath("rules", lang)
    out: list[tuple[str, str]] = []

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".yaml"):
                out.append((f"rules/{lang}/{prefix}{child.name}", child.read_text(encoding="utf-8")))

    walk(root, "")
    return out


def user_rule_files() -> list[str]:
    """Rule files named in ``EVENTWIRE_RULES`` (paths joined by the path separator)."""
    return [p for p in os.environ.get("EVENTWIRE_RULES", "").split(os.pathsep) if p]


def build(files: Sequence[tuple[str, str]], *, lang: str = "en", user: Sequence[tuple[str, str]] = (),
          require_examples: bool = True) -> RuleSet:
    """Validates and compiles rule files (``(name, text)`` pairs); user files may add rules and disable ids."""
    parsed = [(name, _read(name, text), False) for name, text in files]
    parsed += [(name, _read(name, text), True) for name, text in user]
    words: dict[str, frozenset[str]] = {}
    type_groups: dict[str, frozenset[str]] = {}
    for name, rf, is_user in parsed:
        for key, items in rf.words.items():
            if key in words and not is_user:
                raise _fail(name, None, f"word list '{key}' is defined twice")
            words[key] = words.get(key, frozenset()) | frozenset(items)
        for key, items in rf.type_groups.items():
            for t in items:
                if t not in PLOVER_TYPES:
                    raise _fail(name, None, f"type group '{key}': unknown PLOVER type {t!r}")
            type_groups[key] = frozenset(items)
    disabled: set[str] = set()
    seen: dict[str, str] = {}
    known = set()
    for _name, rf, _user in parsed:
        for item in (*rf.rules, *rf.guards, *rf.post, *rf.roles):
            known.add(item.id)
    for name, rf, _user in parsed:
        for rid in rf.disable:
            if rid not in known:
                raise _fail(name, rid, "cannot disable: no rule has this id")
            disabled.add(rid)
    rules: dict[str, TriggerRule] = {}
    guards: list[tuple[Guard, Pattern]] = []
    post: dict[str, PostRule] = {}
    roles: dict[str, RoleRule] = {}
    for name, rf, _user in parsed:
        for item in (*rf.rules, *rf.guards, *rf.post, *rf.roles):
            if not RULE_ID.match(item.id):
                raise _fail(name, item.id, "an id is lower-case words joined by dots, ending in a version: 'assault.shell.v1'")
            if item.id in seen:
                raise _fail(name, item.id, f"id already used in {seen[item.id]}")
            seen[item.id] = name
            if require_examples and not item.examples and not isinstance(item, Guard | RoleRule | PostRule):
                raise _fail(name, item.id, "no examples: give at least one sentence that must produce this rule")
        for r in rf.rules:
            _check_code(name, r)
            if r.id not in disabled:
                rules[r.id] = r
        for g in rf.guards:
            if g.id not in disabled:
                guards.append((g, _compile(g.when, words, f"{name}: {g.id}", rid=g.id)))
        for p in rf.post:
            if p.id not in disabled:
                post[p.id] = p
        for ro in rf.roles:
            if ro.id not in disabled:
                roles[ro.id] = ro
    verbs: dict[str, list[Pattern]] = defaultdict(list)
    light: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
    nouns: dict[str, list[Pattern]] = defaultdict(list)
    constructions: dict[str, list[Pattern]] = defaultdict(list)
    by_id: dict[str, Pattern] = {}
    for r in rules.values():
        where = f"{seen[r.id]}: {r.id}"
        pat = _compile(r, words, where, rid=r.id, kind=r.kind, event_type=r.type, cameo=r.cameo,
                       priority=r.priority, mode=r.mode, construction=r.construction)
        by_id[r.id] = pat
        if r.kind == "verb":
            for lemma in r.lemmas:
                verbs[lemma].append(pat)
        elif r.kind == "light":
            for verb in r.verbs:
                for noun in r.nouns:
                    light[(verb, noun)].append(pat)
        elif r.kind == "noun":
            for lemma in r.lemmas:
                nouns[lemma].append(pat)
        else:
            constructions[r.construction or ""].append(pat)
    for table, what in ((verbs, "lemma"), (light, "(verb, noun) pair"), (nouns, "noun"),
                        (constructions, "construction")):
        for key, pats in table.items():
            pats.sort(key=lambda p: -p.priority)
            for a, b in pairwise(pats):
                if a.priority == b.priority:
                    shown = " ".join(key) if isinstance(key, tuple) else key
                    raise _fail(seen[b.id], b.id, f"{what} '{shown}' is also claimed by {a.id} at priority "
                                                  f"{a.priority}: give one of them another priority")
    return RuleSet(
        lang=lang, rules=rules, verbs=dict(verbs), light=dict(light), nouns=dict(nouns),
        constructions=dict(constructions), guards=guards, post=post, roles=roles, words=words,
        type_groups=type_groups, files=seen, light_verbs=frozenset(v for v, _ in light), by_id=by_id,
    )


def _check_code(name: str, rule: TriggerRule) -> None:
    info = cameo_info(rule.cameo)
    if info.get("name") is None:
        raise _fail(name, rule.id, f"CAMEO code {rule.cameo!r} is not in data/ontology.json")
    expected = info.get("plover_type")
    if expected != rule.type and not rule.deliberate:
        raise _fail(name, rule.id, f"type {rule.type} differs from the ontology's {expected} for CAMEO {rule.cameo}: "
                                   "fix it or say why in 'deliberate: <reason>'")


def read_user_files(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    out = []
    for p in paths:
        path = Path(p)
        try:
            out.append((str(path), path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise RuleError(f"{path}: cannot read the rule file ({exc.strerror}): check the path given to "
                            "--rules or EVENTWIRE_RULES") from None
    return out


@cache
def _packaged(lang: str, user: tuple[str, ...]) -> RuleSet:
    return build(packaged_files(lang), lang=lang, user=read_user_files(user))


def load_rules(lang: str = "en", user_files: Sequence[str | Path] | None = None) -> RuleSet:
    """The packaged rules of a language with the user's files (default: ``EVENTWIRE_RULES``), compiled once."""
    names = tuple(str(p) for p in (user_files if user_files is not None else user_rule_files()))
    return _packaged(lang, names)
