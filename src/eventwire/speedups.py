"""The same annotations with less Python: spaCy's attribute ruler and rule lemmatizer, applied column-wise.

Both shipped components spend their time in a Python loop over tokens (a ``Span`` and a struct write per match of
the attribute ruler, a ``Token`` and a string write per word of the lemmatizer) and in the ruler's ``Matcher``
(a state machine stepped over every token for every pattern): about a sixth of the English model's time. Here the
ruler's leading one-attribute patterns (a tag map) are read per distinct value, the others are compiled into plain
tests looked up by one of their values (``_compile``), and the lemmatizer's answers are remembered per (word, part
of speech, morphology) and written at once, each computed by the lemmatizer itself the first time.
``tests/test_selective.py`` checks that every token comes out as the shipped components leave it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import DEP, IDS, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

COLUMNS = (POS, TAG, MORPH, LEMMA)
"""What the attribute ruler writes that can be written as a column; anything else goes token by token."""

STRING_ATTRS = frozenset(IDS[name] for name in ("ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LEMMA", "POS",
                                                "TAG", "DEP", "ENT_TYPE"))
"""Attributes whose value is a string id, read by ``REGEX`` through the string store as the matcher does."""
TEST_ATTRS = STRING_ATTRS | {IDS[name] for name in ("MORPH", "LENGTH", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER",
                                                    "IS_TITLE", "IS_PUNCT", "IS_SPACE", "LIKE_NUM")}
"""Attributes read the same by ``Doc.to_array`` and the matcher (``SENT_START`` and ``ENT_IOB`` are not)."""
ANCHOR_ORDER = (ORTH, LOWER, NORM, LEMMA, DEP, TAG, MORPH, POS)
"""Which value of a pattern to look it up by: the rarest kinds of value first."""

Test = tuple[int, str, Any]
"""(column, operator, operand): ``==`` an id, ``in`` / ``not in`` a frozenset of ids, ``re`` a ``_Regex``."""
Pattern = tuple[tuple[Test, ...], ...]
"""The tests of each token of a pattern, all of which must hold (no operators: one token each)."""
Check = tuple[int, int, str, Any]
"""A test of a pattern with the offset of its token: (offset, column, operator, operand)."""
Entry = tuple[int, int, int, tuple[Check, ...]]
"""A compiled pattern: (key, offset of the token it is looked up by, length, the tests left to check)."""


class _Regex:
    """A ``REGEX`` test on the string of an id, as the matcher's ``_RegexPredicate``; remembered per id (an id
    always names the same string)."""

    def __init__(self, pattern: str, vocab: Vocab) -> None:
        self.regex = re.compile(pattern)
        self.strings = vocab.strings
        self.memo: dict[int, bool] = {}

    def __call__(self, value: int) -> bool:
        found = self.memo.get(value)
        if found is None:
            found = self.memo[value] = bool(self.regex.search(self.strings[value]))
        return found

    def passing(self, values: set[int]) -> list[int]:
        """The values whose string matches."""
        for value in values - self.memo.keys():
            self(value)
        return [value for value in values if self.memo[value]]


def _attr(name: Any) -> int | None:
    """A pattern key as the matcher reads it (``TEXT`` is ``ORTH``), if we evaluate it ourselves."""
    if not isinstance(name, str):
        return None
    name = name.upper()
    attr = IDS.get("ORTH" if name == "TEXT" else name)
    return attr if attr in TEST_ATTRS else None


def _value(attr: int, value: Any, vocab: Vocab) -> int | None:
    """The id a plain pattern value stands for, as the matcher's ``_get_attr_values`` computes it."""
    if isinstance(value, str):
        return vocab.strings.add(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return None


def _spec_tests(spec: Any, vocab: Vocab, column: Callable[[int], int]) -> tuple[Test, ...] | None:
    """The tests of one token's spec, or None when the spec needs the matcher (operators, extensions, other
    predicates or attributes)."""
    if not isinstance(spec, dict):
        return None
    tests: list[Test] = []
    for name, value in spec.items():
        attr = _attr(name)
        if attr is None:
            return None
        if not isinstance(value, dict):
            found = _value(attr, value, vocab)
            if found is None:
                return None
            tests.append((column(attr), "==", found))
            continue
        for kind, operand in value.items():
            kind = kind.upper() if isinstance(kind, str) else kind
            if kind in ("IN", "NOT_IN") and not isinstance(operand, dict):
                if attr == MORPH:  # the matcher normalizes morphology strings
                    ids = frozenset(vocab.morphology.add(v) for v in operand)
                else:
                    ids = frozenset(get_string_id(v) for v in operand)
                tests.append((column(attr), "in" if kind == "IN" else "not in", ids))
            elif kind == "REGEX" and isinstance(operand, str) and attr in STRING_ATTRS:
                tests.append((column(attr), "re", _Regex(operand, vocab)))
            else:
                return None
    return tuple(tests)


def _passes(op: str, operand: Any, value: int) -> bool:
    if op == "==":
        return value == operand
    if op == "in":
        return value in operand
    if op == "not in":
        return value not in operand
    return operand(value)


def _checks(cols: list[list[int]], start: int, checks: tuple[Check, ...]) -> bool:
    """Whether every test holds at the tokens from ``start`` (the caller keeps the pattern inside the document)."""
    for k, c, op, operand in checks:
        value = cols[c][start + k]
        if op == "==":
            ok = value == operand
        elif op == "in":
            ok = value in operand
        elif op == "not in":
            ok = value not in operand
        else:
            ok = operand(value)
        if not ok:
            return False
    return True


def _lookup(keys: numpy.ndarray, values: numpy.ndarray) -> numpy.ndarray:
    """The row of each value in the sorted ``keys``, ``len(keys)`` where it is not one of them."""
    rows = numpy.minimum(numpy.searchsorted(keys, values), len(keys) - 1)
    return numpy.where(keys[rows] == values, rows, len(keys))


@dataclass
class _Plan:
    """How one ruler's patterns are applied, built once from its patterns (``_compile``)."""

    key: tuple[Matcher, int, int]
    attrs: list[int] = field(default_factory=list)
    """The attributes the patterns read, one column each."""
    map_column: int | None = None
    """The column the leading one-value patterns (a tag map) read; ``map_keys`` are their values, sorted."""
    map_keys: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0, numpy.uint64))
    map_writes: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = field(default_factory=dict)
    """Per attribute the map writes: (written, value) per row of ``map_keys``, one more row (not written) at the end."""
    map_entries: list[tuple[int, list[int]]] = field(default_factory=list)
    """The map's keys and their values, for ``match``."""
    anchors: list[tuple[int, numpy.ndarray, dict[int, list[Entry]]]] = field(default_factory=list)
    """Per column: the sorted values patterns are looked up by, and per value those patterns."""
    free: list[tuple[Entry, Check | None]] = field(default_factory=list)
    """Compiled patterns with no plain value to look them up by, and the test (if any) that finds where they may
    start, tried per distinct value of the document."""
    writes: list[tuple[int, tuple[tuple[int, int], ...], dict[int, int] | None]] = field(default_factory=list)
    """Per key: its index, its (column attribute, value) writes, the rest of its attributes (token by token)."""
    fallback: Matcher | None = None
    """The matcher over the patterns we do not compile, keyed as the ruler's."""


def _patterns(ruler: AttributeRuler, attr_id: int) -> list:
    """The matcher patterns of one key of the ruler (its index in ``attrs``)."""
    entry = ruler.matcher.get(str(attr_id))
    return list(entry[1]) if entry else []


def _map_entry(ruler: AttributeRuler, attr_id: int) -> tuple[int, list[int]] | None:
    """(attribute, values) when every pattern of a key is one token with one plain value of one attribute, and the
    key writes only columns to that token: an entry of a tag map."""
    if ruler.indices[attr_id] not in (0, -1) or not set(ruler.attrs[attr_id]) <= set(COLUMNS):
        return None
    attr, values = None, []
    for pattern in _patterns(ruler, attr_id):
        if len(pattern) != 1 or not isinstance(pattern[0], dict) or len(pattern[0]) != 1:
            return None
        ((name, value),) = pattern[0].items()
        this = _attr(name)
        found = None if this is None else _value(this, value, ruler.vocab)
        if found is None or attr not in (None, this):
            return None
        attr = this
        values.append(found)
    return (attr, values) if attr is not None else None


def _anchor(pattern: Pattern, attrs: list[int]) -> tuple[Check, frozenset[int]] | None:
    """The plain test to look a pattern up by, and its values: one of them must be there."""
    best: tuple[int, int, Check, frozenset[int]] | None = None
    for offset, tests in enumerate(pattern):
        for c, op, operand in tests:
            if op not in ("==", "in"):
                continue
            rank = ANCHOR_ORDER.index(attrs[c]) if attrs[c] in ANCHOR_ORDER else len(ANCHOR_ORDER)
            values = frozenset((operand,)) if op == "==" else operand
            if best is None or (rank, len(values)) < best[:2]:
                best = (rank, len(values), (offset, c, op, operand), values)
    return None if best is None else best[2:]


def _entry(attr_id: int, pattern: Pattern, skip: Check | None) -> Entry:
    """A compiled pattern, less the test it is found by (``skip``, known to hold where it is looked up)."""
    checks = [(k, *test) for k, tests in enumerate(pattern) for test in tests]
    if skip is not None:
        checks.remove(skip)
    return (attr_id, 0 if skip is None else skip[0], len(pattern), tuple(checks))


def _compile(ruler: AttributeRuler, key: tuple[Matcher, int, int]) -> _Plan:
    """The tag map at the head of the ruler's keys, then the other keys' patterns compiled where we can (one token
    each, plain values, ``IN``, ``NOT_IN``, ``REGEX``), the rest left to a matcher of their own."""
    plan = _Plan(key)
    columns: dict[int, int] = {}

    def column(attr: int) -> int:
        if attr not in columns:
            columns[attr] = len(plan.attrs)
            plan.attrs.append(attr)
        return columns[attr]

    n = len(ruler.attrs)
    first, map_attr = 0, None
    by_value: dict[int, dict[int, int]] = {}
    while first < n:
        entry = _map_entry(ruler, first)
        if entry is None or map_attr not in (None, entry[0]):
            break
        map_attr = entry[0]
        plan.map_entries.append((first, entry[1]))
        for value in entry[1]:
            by_value.setdefault(value, {}).update(ruler.attrs[first])  # a later key wins
        first += 1
    if map_attr is not None:
        plan.map_column = column(map_attr)
        keys = sorted(by_value)
        plan.map_keys = numpy.array(keys, dtype=numpy.uint64)
        for attr in COLUMNS:
            written = numpy.array([attr in by_value[k] for k in keys] + [False])
            values = numpy.array([by_value[k].get(attr, 0) for k in keys] + [0], dtype=numpy.uint64)
            if written.any():
                plan.map_writes[attr] = (written, values)
    tables: dict[int, dict[int, list[Entry]]] = {}
    unsupported: list[tuple[int, list]] = []
    for attr_id in range(first, n):
        patterns = _patterns(ruler, attr_id)
        compiled: list[Pattern] = []
        for pattern in patterns:
            tokens = [_spec_tests(spec, ruler.vocab, column) for spec in pattern]
            if not tokens or any(t is None for t in tokens):
                unsupported.append((attr_id, patterns))
                compiled = []
                break
            compiled.append(tuple(tokens))  # type: ignore[arg-type]
        for pattern in compiled:
            anchor = _anchor(pattern, plan.attrs)
            if anchor is None:
                where = next(((k, *test) for k, tests in enumerate(pattern) for test in tests), None)
                plan.free.append((_entry(attr_id, pattern, where), where))
                continue
            check, values = anchor
            table = tables.setdefault(check[1], {})
            for value in values:
                table.setdefault(value, []).append(_entry(attr_id, pattern, check))
    plan.anchors = [(c, numpy.array(sorted(table), dtype=numpy.uint64), table) for c, table in sorted(tables.items())]
    for attrs, index in zip(ruler.attrs, ruler.indices, strict=True):
        rest = {attr: value for attr, value in attrs.items() if attr not in COLUMNS}
        plan.writes.append((index, tuple((a, v) for a, v in attrs.items() if a in COLUMNS), rest or None))
    if unsupported:
        plan.fallback = Matcher(ruler.vocab, validate=False)
        for attr_id, patterns in unsupported:
            plan.fallback.add(str(attr_id), patterns)
    return plan


class ColumnAttributeRuler(AttributeRuler):
    """The shipped ruler's matches, found without its matcher where the patterns allow (``_compile``), applied in
    its order: by key, a later key's value winning, columns written at once."""

    def _plan(self) -> _Plan:
        key = (self.matcher, len(self.matcher), len(self.attrs))  # patterns added or cleared: compile again
        plan = self.__dict__.get("_column_plan")
        if plan is None or plan.key != key:
            plan = self.__dict__["_column_plan"] = _compile(self, key)
        return plan

    def _matches(self, doc: Doc, plan: _Plan, arr: numpy.ndarray, cols: list[list[int]]) -> list[tuple[int, int, int]]:
        """(key, start, end) of every match after the tag map, sorted as the shipped ruler sorts them."""
        found: set[tuple[int, int, int]] = set()
        n = len(doc)
        for c, keys, table in plan.anchors:
            col = cols[c]
            for i in numpy.flatnonzero(_lookup(keys, arr[:, c]) < len(keys)).tolist():
                for attr_id, offset, length, checks in table[col[i]]:
                    start = i - offset
                    if start >= 0 and start + length <= n and _checks(cols, start, checks):
                        found.add((attr_id, start, start + length))
        for (attr_id, _offset, length, checks), first in plan.free:
            if first is None:
                starts: Iterable[int] = range(n - length + 1)
            else:
                k, c, op, operand = first
                values = set(cols[c])
                ok = operand.passing(values) if op == "re" else [v for v in values if _passes(op, operand, v)]
                hits = numpy.flatnonzero(numpy.isin(arr[:, c], numpy.array(ok, dtype=numpy.uint64))).tolist()
                starts = [i - k for i in hits if k <= i <= n - length + k]
            for start in starts:
                if _checks(cols, start, checks):
                    found.add((attr_id, start, start + length))
        if plan.fallback is not None:
            strings = self.vocab.strings
            found.update((int(strings[m_id]), s, e)
                         for m_id, s, e in plan.fallback(doc, allow_missing=True, as_spans=False))
        return sorted(found)

    @staticmethod
    def _columns(doc: Doc, plan: _Plan) -> numpy.ndarray:
        if not plan.attrs:
            return numpy.zeros((len(doc), 0), numpy.uint64)
        return doc.to_array(plan.attrs).reshape(len(doc), len(plan.attrs))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The shipped ruler's matches, the same list (the tag map's one by one): not used by ``__call__``."""
        plan = self._plan()
        arr = self._columns(doc, plan)
        found = set(self._matches(doc, plan, arr, arr.T.tolist()))
        for attr_id, values in plan.map_entries:
            hits = numpy.isin(arr[:, plan.map_column], numpy.array(values, dtype=numpy.uint64))
            found.update((attr_id, i, i + 1) for i in numpy.flatnonzero(hits).tolist())
        strings = self.vocab.strings
        return sorted((attr_id, strings[str(attr_id)], start, end) for attr_id, start, end in found)

    def __call__(self, doc: Doc) -> Doc:
        plan = self._plan()
        n = len(doc)
        arr = self._columns(doc, plan)
        writes: dict[int, dict[int, int]] = {attr: {} for attr in COLUMNS}
        for attr_id, start, end in self._matches(doc, plan, arr, arr.T.tolist()):
            index, columns, rest = plan.writes[attr_id]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:
                raise ValueError(f"attribute ruler pattern {attr_id}: index {index} outside its match")
            for attr, value in columns:
                writes[attr][i] = value
            if rest:
                set_token_attrs(doc[i], rest)
        mapped: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = {}
        if plan.map_column is not None:
            rows = _lookup(plan.map_keys, arr[:, plan.map_column])
            for attr, (written, values) in plan.map_writes.items():
                if written[rows].any():
                    mapped[attr] = (written[rows], values[rows])
        used = [attr for attr in COLUMNS if writes[attr] or attr in mapped]
        if used:
            out = doc.to_array(used).reshape(n, len(used))
            for j, attr in enumerate(used):
                if attr in mapped:  # the map's keys all come before the other patterns' keys
                    written, values = mapped[attr]
                    out[:, j] = numpy.where(written, values, out[:, j])
                for i, value in writes[attr].items():
                    out[i, j] = value
            doc.from_array(used, out)
        return doc


class ColumnLemmatizer(Lemmatizer):
    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        memo: dict[tuple[int, int, int], int] = self.__dict__.setdefault("_column_memo", {})
        strings = doc.vocab.strings
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        overwrite = self.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = strings.add(self.lemmatize(doc[i])[0])
                if pos:  # without a part of speech the lemmatizer does not remember its answer either
                    memo[key] = found
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)
        return doc


def speed_up(nlp: Language) -> Language:
    """Swap the shipped attribute ruler and rule lemmatizer of a pipeline for their column-wise twins, in place."""
    for _name, proc in nlp.pipeline:
        if type(proc) is AttributeRuler:
            proc.__class__ = ColumnAttributeRuler
        elif isinstance(proc, Lemmatizer) and proc.mode == "rule" and type(proc).__call__ is Lemmatizer.__call__:
            proc.__class__ = type(f"Column{type(proc).__name__}", (ColumnLemmatizer, type(proc)), {})
    return nlp

