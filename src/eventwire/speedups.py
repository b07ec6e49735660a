"""The same annotations with less Python: spaCy's attribute ruler and rule lemmatizer, applied column-wise.

Both shipped components spend their time in a Python loop over tokens (a ``Span`` and a struct write per match of
the attribute ruler, a ``Token`` and a string write per word of the lemmatizer): about a sixth of the English
model's time. Here the ruler's matches are found by its own matcher and applied in its order (a later pattern wins),
and the lemmatizer's answers are remembered per (word, part of speech, morphology) and written at once, each
computed by the lemmatizer itself the first time. ``tests/test_selective.py`` checks that every token comes out as
the shipped components leave it.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

COLUMNS = (POS, TAG, MORPH, LEMMA)
"""What the attribute ruler writes that can be written as a column; anything else goes token by token."""


class ColumnAttributeRuler(AttributeRuler):
    """Most of the ruler's patterns are its tag map, one pattern per tag, all before the exceptions: those are read
    per distinct tag of the document; the matcher runs the exceptions only, applied after them in their order."""

    def _split(self) -> tuple[dict[int, dict[int, int]], Matcher] | None:
        if "_column_split" not in self.__dict__:
            by_tag: dict[int, dict[int, int]] = {}
            simple, rest = [], []
            for attr_id in range(len(self.attrs)):
                _on_match, patterns = self.matcher.get(str(attr_id))
                one = patterns[0][0] if len(patterns) == 1 and len(patterns[0]) == 1 else None
                if one is not None and set(one) == {"TAG"} and isinstance(one["TAG"], str) \
                        and self.indices[attr_id] in (0, -1):
                    simple.append(attr_id)
                    by_tag.setdefault(self.vocab.strings.add(one["TAG"]), {}).update(self.attrs[attr_id])
                else:
                    rest.append((attr_id, patterns))
            split = None
            if simple and (not rest or max(simple) < min(a for a, _ in rest)):
                matcher = Matcher(self.vocab, validate=False)
                for attr_id, patterns in rest:
                    matcher.add(str(attr_id), patterns)
                split = (by_tag, matcher)
            self.__dict__["_column_split"] = split
        return self.__dict__["_column_split"]

    def __call__(self, doc: Doc) -> Doc:
        split = self._split()
        columns: dict[int, dict[int, int]] = {attr: {} for attr in COLUMNS}
        if split is not None:
            by_tag, matcher = split
            tags = doc.to_array([TAG]).tolist()
            for i, tag in enumerate(tags):
                for attr, value in by_tag.get(tag, {}).items():
                    columns[attr][i] = value
            strings = self.vocab.strings
            matches = sorted((int(strings[m_id]), m_id, s, e)
                             for m_id, s, e in matcher(doc, allow_missing=True, as_spans=False))
        else:
            matches = self.match(doc)
        for attr_id, _match_id, start, end in matches:
            index = self.indices[attr_id]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:
                raise ValueError(f"attribute ruler pattern {attr_id}: index {index} outside its match")
            rest = None
            for attr, value in self.attrs[attr_id].items():
                if attr in columns:
                    columns[attr][i] = value
                else:
                    rest = rest or {}
                    rest[attr] = value
            if rest:
                set_token_attrs(doc[i], rest)
        used = [attr for attr in COLUMNS if columns[attr]]
        if used:
            arr = doc.to_array(used)
            if arr.ndim == 1:
                arr = arr.reshape(-1, 1)
            for j, attr in enumerate(used):
                for i, value in columns[attr].items():
                    arr[i, j] = value
            doc.from_array(used, arr)
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
