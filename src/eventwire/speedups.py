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
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

COLUMNS = (POS, TAG, MORPH, LEMMA)
"""What the attribute ruler writes that can be written as a column; anything else goes token by token."""


class ColumnAttributeRuler(AttributeRuler):
    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        if not matches:
            return doc
        columns = {attr: {} for attr in COLUMNS}
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
    for name, proc in nlp.pipeline:
        if type(proc) is AttributeRuler:
            proc.__class__ = ColumnAttributeRuler
        elif isinstance(proc, Lemmatizer) and proc.mode == "rule" and type(proc).__call__ is Lemmatizer.__call__:
            proc.__class__ = type(f"Column{type(proc).__name__}", (ColumnLemmatizer, type(proc)), {})
        del name
    return nlp
