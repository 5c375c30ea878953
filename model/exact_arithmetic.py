"""Floating-point arithmetic in the order and types of scikit-learn's and SciPy's C loops.

The compiled scorer (`model.scorer`) must give the pipeline's probabilities bit for bit, so
every sum is taken in the order a C loop takes it and every float operation is rounded where
the C code rounds it. These are the few tools it needs for that:

- `sequential_sum`: a double sum from 0.0, term by term;
- `rounding`/`packer`: doubles rounded to float32 as a C cast rounds them (a float operation
  done in double and rounded gives the float operation's own result, for +, *, / and sqrt);
- `ordered_row_sums`/`ordered_product`: per-row sums of a CSR matrix and SciPy's csr_matvecs
  (y += value * coefficient, entry by entry), for many rows at once.
"""

import struct
import sys
from collections.abc import Callable
from functools import reduce
from operator import add

import numpy as np

PADDED_ENTRIES = 300_000  # rows x longest row: the padded arrays of ordered sums at most


def plain_sum(values: list[float]) -> float:
    return reduce(add, values, 0.0)


# A double sum from 0.0, term by term, as the C loops sum. Python 3.12's sum() compensates
# rounding errors (a different result); 3.11's adds plainly and is four times faster than reduce.
sequential_sum = sum if sys.version_info < (3, 12) else plain_sum


def packer(dtype: np.dtype) -> Callable[[list[float]], np.ndarray]:
    """An array of `dtype` from doubles, each rounded as a C cast to float rounds it."""
    code = "f" if dtype == np.float32 else "d"
    packers: dict[int, struct.Struct] = {}

    def pack(values: list[float]) -> np.ndarray:
        layout = packers.get(len(values))
        if layout is None:
            if len(packers) > 1024:
                packers.clear()
            layout = packers[len(values)] = struct.Struct(f"{len(values)}{code}")
        return np.frombuffer(layout.pack(*values), dtype=dtype)

    return pack


def rounding(dtype: np.dtype) -> Callable[[list[float]], list[float]]:
    """Rounds doubles to `dtype`'s values (none for float64), as a C cast to float does."""
    if dtype == np.float64:
        return lambda values: values
    pack = packer(dtype)
    return lambda values: pack(values).tolist()


def _padded(values: np.ndarray, indptr: np.ndarray) -> np.ndarray | None:
    """The CSR rows' entries left-aligned in a zero-filled (rows, longest row, ...) array; None
    when that would be large (then the entries are summed one position at a time)."""
    lengths = np.diff(indptr)
    width = int(lengths.max(initial=0))
    if width == 0 or lengths.size * width > PADDED_ENTRIES:
        return None
    padded = np.zeros((lengths.size, width) + values.shape[1:], dtype=values.dtype)
    rows = np.repeat(np.arange(lengths.size), lengths)
    padded[rows, np.arange(rows.size) - indptr[:-1][rows]] = values
    return padded


def _by_position(indptr: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Rows longest first, their starts, and how many rows have more than k entries, for each k."""
    lengths = np.diff(indptr)
    order = np.argsort(-lengths, kind="stable")
    longer = np.bincount(lengths, minlength=1)[::-1].cumsum()[::-1]  # rows with >= k entries
    return order, indptr[:-1][order], longer[1:].tolist()


def ordered_row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each CSR row's sum, added entry by entry in order from zero, as a C loop would.

    cumsum along the rows of the padded entries adds in that order; the zeros after a row's
    last entry leave its sum as it is (up to the sign of a zero)."""
    padded = _padded(values, indptr)
    if padded is not None:
        return padded.cumsum(axis=1)[:, -1]
    sums = np.zeros(indptr.size - 1, dtype=values.dtype)
    order, starts, longer = _by_position(indptr)
    for k, rows in enumerate(longer):
        sums[order[:rows]] += values[starts[:rows] + k]
    return sums


def ordered_product(data: np.ndarray, columns: np.ndarray, indptr: np.ndarray, coef_t: np.ndarray) -> np.ndarray:
    """SciPy's csr_matvecs: for each row, y += value * coef_t[column], entry by entry."""
    terms = data[:, None].astype(coef_t.dtype) * coef_t[columns]
    padded = _padded(terms, indptr)
    if padded is not None:
        return padded.cumsum(axis=1)[:, -1]
    out = np.zeros((indptr.size - 1, coef_t.shape[1]), dtype=coef_t.dtype)
    order, starts, longer = _by_position(indptr)
    for k, rows in enumerate(longer):
        at = starts[:rows] + k
        out[order[:rows]] += terms[at]
    return out
