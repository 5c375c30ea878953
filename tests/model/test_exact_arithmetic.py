"""The ordered sums and roundings give what a C loop over floats gives, on both of their layouts."""

import numpy as np
import pytest

from model import exact_arithmetic
from model.exact_arithmetic import ordered_product, ordered_row_sums, packer, rounding, sequential_sum


def c_loop_row_sums(values, indptr):
    out = []
    for start, end in zip(indptr[:-1], indptr[1:]):
        total = values.dtype.type(0)
        for value in values[start:end]:
            total = total + value  # numpy scalars: one rounding per addition, in the array's type
        out.append(total)
    return np.asarray(out, dtype=values.dtype)


@pytest.fixture
def csr():
    rng = np.random.default_rng(7)
    lengths = rng.integers(0, 40, size=60)
    lengths[5] = 0
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    values = (rng.standard_normal(indptr[-1]) * rng.choice([1e-6, 1.0, 1e4], indptr[-1])).astype(np.float32)
    columns = rng.integers(0, 50, size=indptr[-1])
    coef_t = rng.standard_normal((50, 3)).astype(np.float32)
    return values, columns, indptr, coef_t


@pytest.mark.parametrize("padded_limit", [300_000, 1])  # the padded layout, and one position at a time
def test_ordered_sums_follow_the_c_loop(csr, padded_limit, monkeypatch):
    monkeypatch.setattr(exact_arithmetic, "PADDED_ENTRIES", padded_limit)
    values, columns, indptr, coef_t = csr
    assert np.array_equal(ordered_row_sums(values, indptr), c_loop_row_sums(values, indptr))
    squares = (values * values).astype(np.float64)
    assert np.array_equal(ordered_row_sums(squares, indptr), c_loop_row_sums(squares, indptr))
    product = ordered_product(values, columns, indptr, coef_t)
    for k in range(3):
        terms = values * coef_t[columns, k]
        assert np.array_equal(product[:, k], c_loop_row_sums(terms, indptr))


def test_rounding_is_a_float_cast():
    rng = np.random.default_rng(3)
    doubles = (rng.standard_normal(5000) * rng.choice([1e-30, 1e-3, 1.0, 1e20], 5000)).tolist()
    assert rounding(np.dtype(np.float32))(doubles) == np.asarray(doubles).astype(np.float32).tolist()
    assert np.array_equal(packer(np.dtype(np.float32))(doubles), np.asarray(doubles).astype(np.float32))
    assert rounding(np.dtype(np.float64))(doubles) == doubles


def test_sequential_sum_adds_in_order_from_zero():
    values = [1e16, 1.0, -1e16, 1.0]  # (((0 + 1e16) + 1) - 1e16) + 1 = 1.0 in double; exactly, 2.0
    assert sequential_sum(values) == 1.0
    assert sequential_sum([]) == 0
