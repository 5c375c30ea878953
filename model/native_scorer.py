"""The scorer's arithmetic in compiled code, where the extension was built.

`model._native_scorer` (C, built by `pip install` when a compiler is present; optional, so an
install without one still works) does for a group of texts what `CompiledScorer`'s chunk path
does with numpy after the texts' pieces are looked up: the n-grams' columns, their counts, tf,
idf and the l2 norm, and the sparse product with the coefficients. Python keeps the text
side (normalising, the piece cache, the cue counts) and the intercept and softmax (numpy's
float32 `exp`, so the probabilities stay scikit-learn's). On a busy server this takes the
prediction of a quote from tens of microseconds of small numpy calls to a few.

It takes one pipeline shape, the default model's: a word block without negation marking
(any n-gram range), optionally followed by the cue block, all float32, l2 or no norm, tf from
counts (sublinear or not, not binary) times idf. For any other, `NativeScorer.build` gives
None and the Python paths are used. Tests hold it to the pipeline's `predict_proba` on the
same texts as the Python paths.
"""

import struct
from collections.abc import Sequence
from operator import itemgetter

import numpy as np

try:
    from model import _native_scorer
except ImportError:  # not built (no compiler at install time): the Python paths serve
    _native_scorer = None

AVAILABLE = _native_scorer is not None


class NativeScorer:
    """Class scores (before the intercept) of texts' cached pieces, in C."""

    def __init__(self, word_block, word_slot: int, cue_block, cue_slot: int, coef_t: np.ndarray) -> None:
        self.word_slot = itemgetter(word_slot)
        self.cue_block, self.cue_slot = cue_block, cue_slot
        self.cue_width = cue_block.width if cue_block is not None else 0
        self.classes = coef_t.shape[1]
        self._zeros = bytes(4 * self.cue_width)
        tables = []
        for n in range(2, word_block.high + 1):
            keys, columns = word_block._sorted[n]
            tables.append((keys.astype(np.int64).tobytes(), columns.astype(np.int32).tobytes()))
        self._constants = (
            self.cue_width, tuple(tables), int(word_block.base), int(word_block.low),
            np.asarray(word_block._tf_list, dtype=np.float32).tobytes(),
            np.asarray(word_block.idf, dtype=np.float32).tobytes(),
            word_block.norm == "l2",
            np.ascontiguousarray(coef_t, dtype=np.float32).tobytes(),
            self.classes, int(word_block.width),
        )

    @classmethod
    def build(cls, blocks: list, slots: list[int], coef_t: np.ndarray) -> "NativeScorer | None":
        """The native scorer of these blocks, or None (not built, or another pipeline shape)."""
        from model.scorer import _CueBlock, _WordBlock  # the scorer imports this module

        if not AVAILABLE or not 1 <= len(blocks) <= 2 or coef_t.dtype != np.float32 or not 1 <= coef_t.shape[1] <= 16:
            return None
        word, cue = blocks[0], (blocks[1] if len(blocks) == 2 else None)
        if not (isinstance(word, _WordBlock) and not word.negation and word.dtype == np.float32
                and word.idf is not None and not word.binary and word.norm in ("l2", None) and word.high <= 9):
            return None
        if cue is not None and not (isinstance(cue, _CueBlock) and cue.dtype == np.float32):
            return None
        return cls(word, slots[0], cue, slots[1] if cue is not None else 0, coef_t)

    def scores(self, prepared: Sequence[tuple[str, list[str], list[tuple]]]) -> np.ndarray | None:
        """(texts, classes) float32 scores before the intercept, from each text's normalised
        form, pieces and piece infos; None when a count is beyond the tf table."""
        packed = [b"".join(map(self.word_slot, infos)) for _normalized, _pieces, infos in prepared]
        lengths = struct.pack(f"{len(packed)}i", *[len(p) // 8 for p in packed])
        cues = b"".join(map(self._cue_row, prepared)) if self.cue_block is not None else b""
        answer = _native_scorer.scores(b"".join(packed), lengths, cues, *self._constants)
        if answer is None:
            return None
        return np.frombuffer(answer, dtype=np.float32).reshape(len(prepared), self.classes).copy()

    def _cue_row(self, prepared: tuple[str, list[str], list[tuple]]) -> bytes:
        normalized, pieces, infos = prepared
        columns, values = self.cue_block.features(normalized, pieces, infos, self.cue_slot)
        if not columns:
            return self._zeros
        row = [0.0] * self.cue_width
        for column, value in zip(columns, values):
            row[column] = value
        return struct.pack(f"{self.cue_width}f", *row)

