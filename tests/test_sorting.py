"""Sorting and set operations against NumPy on gathered arrays."""

import numpy as np
import pytest

import distarray
from distarray.api import sorting
from distarray.plan.maps import BlockMap

from checks import nothing_sent, same
from layouts import layout, sample

#: The layouts of tests/layouts.py the sorts run over (every distribution type).
SORT_LAYOUTS = ["0d", "1d-default-odd", "1d-empty", "1d-block", "1d-cyclic", "1d-blockcyclic",
                "1d-undistributed", "1d-unstructured", "1d-irregular", "2d-bb", "2d-nb", "2d-cc",
                "2d-empty-rows", "3d-cbc"]


def make(ctx, data, dist=None, grid_shape=None):
    return distarray.fromarray(data, context=ctx, dist=dist, grid_shape=grid_shape)


def with_duplicates(shape, dtype=np.float64, seed=0):
    """Values with many repeats (and NaNs for inexact dtypes)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(-3, 4, size=shape)
    if np.dtype(dtype) == np.bool_:
        return values > 0
    values = values.astype(dtype)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.integers(0, 2, size=shape)
    if np.dtype(dtype).kind in "fc" and values.size > 2:
        flat = values.reshape(-1)
        flat[1::5] = np.nan
    return values


@pytest.mark.parametrize("case", SORT_LAYOUTS)
def test_sort_and_argsort_every_layout(ctx, case):
    shape, dist, grid = layout(ctx.nworkers, case)
    data = with_duplicates(shape)
    d = make(ctx, data, dist, grid)
    axes = [None] + list(range(len(shape)))
    for axis in axes:
        np.testing.assert_array_equal(distarray.sort(d, axis=axis).toarray(),
                                      np.sort(data, axis=axis))
        np.testing.assert_array_equal(distarray.argsort(d, axis=axis).toarray(),
                                      np.argsort(data, axis=axis, kind="stable"))
    if not shape:  # NumPy takes a 0-d array as 1-d (for arg-sorts only)
        for axis in (-1, 0):
            same(np.argsort(d, axis=axis), np.argsort(data, axis=axis))
            same(np.argpartition(d, 0, axis=axis), np.argpartition(data, 0, axis=axis))


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.float32, np.float64, np.complex128,
                                   np.bool_])
def test_sort_dtypes(contexts, dtype):
    data = with_duplicates((203,), dtype, seed=3)
    for n, dist in [(2, "b"), (3, "c"), (4, {"dist_type": "c", "block_size": 4})]:
        d = make(contexts[n], data, (dist,))
        result = np.sort(d)
        assert result.dtype == data.dtype
        np.testing.assert_array_equal(result.toarray(), np.sort(data))
        np.testing.assert_array_equal(np.argsort(d).toarray(), np.argsort(data, kind="stable"))


def test_sort_unstructured_and_irregular(ctx):
    rng = np.random.default_rng(5)
    data = rng.integers(0, 6, 31).astype(float)
    perm = rng.permutation(31)
    indices = [perm[r::ctx.nworkers] for r in range(ctx.nworkers)]
    for dist in [({"dist_type": "u", "indices": indices},),
                 ({"dist_type": "b", "bounds": [0] + [31] * ctx.nworkers},)]:
        d = make(ctx, data, dist)
        np.testing.assert_array_equal(distarray.sort(d).toarray(), np.sort(data))
        np.testing.assert_array_equal(distarray.argsort(d).toarray(),
                                      np.argsort(data, kind="stable"))


def test_sort_result_is_balanced(ctx):
    data = np.random.default_rng(1).normal(size=1001)
    result = distarray.sort(make(ctx, data, "c"))
    assert result.distribution.maps[0] == BlockMap(1001, ctx.nworkers)
    assert result.targets == tuple(range(ctx.nworkers))


def test_sort_unbalanced(ctx):
    data = with_duplicates((157,), seed=11)
    d = make(ctx, data, "c")
    result = distarray.sort(d, balance=False)
    assert isinstance(result.distribution.maps[0], BlockMap) or ctx.nworkers == 1
    np.testing.assert_array_equal(result.toarray(), np.sort(data))
    np.testing.assert_array_equal(distarray.argsort(d, axis=None, balance=False).toarray(),
                                  np.argsort(data, kind="stable"))


def test_sort_many_equal_values_spread(contexts):
    ctx = contexts[4]
    data = np.zeros(4000)
    data[:10] = 1
    for mode in ("sort", "argsort"):
        parts = sorting._sample_sort(make(ctx, data), mode, balanced=False)
        sizes = np.diff(parts.bounds)
        assert sizes.max() <= 2 * 4000 / 4, sizes
    np.testing.assert_array_equal(distarray.argsort(make(ctx, data, "c")).toarray(),
                                  np.argsort(data, kind="stable"))


def test_sort_larger_random(contexts):
    ctx = contexts[3]
    rng = np.random.default_rng(2)
    data = rng.normal(size=50_001)
    data[rng.integers(0, data.size, 500)] = np.nan
    d = make(ctx, data)
    np.testing.assert_array_equal(distarray.sort(d).toarray(), np.sort(data))
    np.testing.assert_array_equal(distarray.argsort(d).toarray(), np.argsort(data, kind="stable"))


def _cached_bytes():
    from distarray.local import memory
    return memory.held()


def test_sort_recycles_only_buffers_nothing_sees(contexts):
    """Big sorts hand their scratch buffers to the worker cache, never a result's."""
    ctx = contexts[2]
    data = np.random.default_rng(3).random(600_000)  # 2.4 MB per worker: cached sizes
    d = make(ctx, data)
    shifted = [d + shift for shift in range(4)]
    before = ctx.apply(_cached_bytes)
    results = [distarray.sort(x) for x in shifted]  # later sorts reuse buffers
    assert any(after > held for after, held in zip(ctx.apply(_cached_bytes), before))
    for shift, result in enumerate(results):
        np.testing.assert_array_equal(result.toarray(), np.sort(data + shift))


def test_sort_two_d_paths(contexts, monkeypatch):
    ctx = contexts[4]
    data = with_duplicates((3, 41))
    for dist, grid in [(("b", "b"), (2, 2)), (("n", "c"), None), (("b", "b"), (1, 4))]:
        d = make(ctx, data, dist, grid)
        for axis in (0, 1, -1):
            np.testing.assert_array_equal(distarray.sort(d, axis=axis).toarray(),
                                          np.sort(data, axis=axis))
            np.testing.assert_array_equal(distarray.argsort(d, axis).toarray(),
                                          np.argsort(data, axis=axis, kind="stable"))


def test_sort_errors(contexts):
    ctx = contexts[2]
    d = make(ctx, np.arange(5.0))
    zero_d = make(ctx, np.array(3.0))
    with pytest.raises(np.exceptions.AxisError):
        distarray.sort(d, axis=1)
    with pytest.raises(np.exceptions.AxisError):
        distarray.sort(zero_d)
    np.testing.assert_array_equal(distarray.argsort(zero_d).toarray(), [0])  # as NumPy
    with pytest.raises(np.exceptions.AxisError):
        distarray.argsort(zero_d, axis=1)  # NumPy takes 0-d as 1-d for argsort
    with pytest.raises(ValueError, match="no fields"):
        distarray.sort(d, order="x")
    with pytest.raises(ValueError):
        distarray.sort(d, kind="bogus")
    np.testing.assert_array_equal(distarray.sort(zero_d, axis=None).toarray(), [3.0])


# -- unique -----------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["1d-empty", "1d-cyclic", "1d-unstructured", "1d-irregular",
                                  "2d-bc", "3d-cbc"])
def test_unique_every_output(ctx, case):
    shape, dist, grid = layout(ctx.nworkers, case)
    data = with_duplicates(shape, seed=4)
    d = make(ctx, data, dist, grid)
    got = distarray.unique(d, return_index=True, return_inverse=True, return_counts=True)
    want = np.unique(data, return_index=True, return_inverse=True, return_counts=True)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.toarray(), w)
    np.testing.assert_array_equal(distarray.unique(d).toarray(), np.unique(data))


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex64, np.bool_])
def test_unique_dtypes(contexts, dtype):
    data = with_duplicates((97,), dtype, seed=6)
    for n, equal_nan in [(2, True), (3, False), (4, True)]:
        d = make(contexts[n], data, "c")
        got = np.unique(d, return_counts=True, equal_nan=equal_nan)
        want = np.unique(data, return_counts=True, equal_nan=equal_nan)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g.toarray(), w)


def test_unique_merges_nat_as_nan(contexts):
    dates = np.array(["NaT", "2020-01-01", "NaT", "2020-01-01", "NaT", "2019-01-01", "NaT"],
                     "datetime64[D]")
    for data in (dates, dates - np.datetime64("2019-01-01")):
        d = make(contexts[3], data, "c")
        for equal_nan in (True, False):
            same(list(np.unique(d, True, True, True, equal_nan=equal_nan)),
                 list(np.unique(data, True, True, True, equal_nan=equal_nan)))
        same(np.union1d(d, data[:2]), np.union1d(data, data[:2]))


def test_unique_long_runs_across_processes(contexts):
    ctx = contexts[4]
    data = np.repeat([2.0, 5.0, 7.0], [900, 5, 1100])[::-1].copy()
    d = make(ctx, data)
    got = distarray.unique(d, return_index=True, return_inverse=True, return_counts=True)
    want = np.unique(data, return_index=True, return_inverse=True, return_counts=True)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.toarray(), w)


@pytest.mark.parametrize("case", ["2d-bb", "2d-cc", "2d-empty-rows", "2d-empty-cols", "3d-cbc",
                                  "1d-unstructured"])
def test_unique_along_an_axis(ctx, case):
    shape, dist, grid = layout(ctx.nworkers, case)
    data = np.random.default_rng(2).integers(0, 2, shape).astype(float)
    if data.size > 4:
        data.reshape(-1)[::5] = np.nan  # rows holding NaN are each unique, as in NumPy
    d = make(ctx, data, dist, grid)
    for axis in range(-1, len(shape)):
        for flags in [(False, False, False), (True, True, True), (False, True, False)]:
            got = distarray.unique(d, *flags, axis=axis)
            want = np.unique(data, *flags, axis=axis)
            same(list(got) if isinstance(got, tuple) else [got],
                 list(want) if isinstance(want, tuple) else [want])


def test_unique_along_an_axis_dtypes_and_errors(contexts):
    ctx = contexts[3]
    for data in (np.array([[1, 2], [3, 4], [1, 2], [0, 9]], np.int8),
                 np.array([[True, False], [True, False]]),
                 np.array([[1 + 1j, 2], [1 + 1j, 2], [1j, 2]], np.complex64)):
        got = np.unique(make(ctx, data, ("c", "n")), return_counts=True, axis=0)
        same(list(got), list(np.unique(data, return_counts=True, axis=0)))
    d = make(ctx, np.zeros((3, 2)))
    nothing_sent(ctx, np.exceptions.AxisError, np.unique, d, False, False, False, 2)


# -- searchsorted -----------------------------------------------------------------------
@pytest.mark.parametrize("dist", ["b", "c", "n"])
def test_searchsorted(ctx, dist):
    rng = np.random.default_rng(7)
    a = np.sort(rng.integers(0, 20, 57).astype(float))
    a[-3:] = np.nan
    d = make(ctx, a, dist)
    v = np.array([-1, 0, 3, 3.5, 19, 25, np.nan, 7])
    for side in ("left", "right"):
        np.testing.assert_array_equal(distarray.searchsorted(d, v, side=side),
                                      np.searchsorted(a, v, side=side))
        dv = make(ctx, v, "c")
        got = np.searchsorted(d, dv, side=side)
        assert got.distribution == dv.distribution
        np.testing.assert_array_equal(got.toarray(), np.searchsorted(a, v, side=side))
    assert distarray.searchsorted(d, 3.0) == np.searchsorted(a, 3.0)
    empty = make(ctx, np.zeros(0), dist)
    np.testing.assert_array_equal(distarray.searchsorted(empty, make(ctx, v)).toarray(),
                                  np.zeros(len(v)))


def test_searchsorted_sorter_and_errors(contexts):
    ctx = contexts[3]
    a = np.array([5.0, 1.0, 3.0, 9.0, 7.0])
    sorter = np.argsort(a)
    d = make(ctx, a)
    np.testing.assert_array_equal(distarray.searchsorted(d, [4.0, 8.0], sorter=sorter),
                                  np.searchsorted(a, [4.0, 8.0], sorter=sorter))
    with pytest.raises(ValueError):
        distarray.searchsorted(d, 1.0, side="middle")
    # NumPy's ndarray methods
    np.testing.assert_array_equal(np.sort(d).searchsorted([4.0, 8.0], side="right"),
                                  np.sort(a).searchsorted([4.0, 8.0], side="right"))
    np.testing.assert_array_equal(d.argsort().toarray(), a.argsort())
    np.testing.assert_array_equal(d.argpartition(2).toarray()[2], a.argpartition(2)[2])
    with pytest.raises(ValueError):
        distarray.searchsorted(make(ctx, np.zeros((2, 2))), 1.0)


# -- quantiles --------------------------------------------------------------------------
@pytest.mark.parametrize("dist", ["b", "c", "n"])
def test_quantiles_over_all(ctx, dist):
    rng = np.random.default_rng(8)
    for data in (rng.normal(size=101), rng.integers(0, 9, 64), rng.normal(size=1)):
        d = make(ctx, data, dist)
        q = [0.0, 0.3, 1.0, 0.1, 0.5, 0.999]
        np.testing.assert_allclose(distarray.quantile(d, q), np.quantile(data, q))
        np.testing.assert_allclose(np.percentile(d, 25), np.percentile(data, 25))
        assert np.median(d) == np.median(data)
    with_nan = np.array([1.0, np.nan, 3.0, 4.0])
    d = make(ctx, with_nan, dist)
    assert np.isnan(distarray.median(d)) and np.isnan(distarray.percentile(d, 50))


def test_quantiles_along_axis(ctx):
    rng = np.random.default_rng(9)
    data = rng.normal(size=(7, 10))
    data[2, 3] = np.nan
    for dist in (("b", "b"), ("c", "n")):
        d = make(ctx, data, dist)
        for axis in (0, -1):
            np.testing.assert_allclose(np.median(d, axis=axis).toarray(),
                                       np.median(data, axis=axis))
            np.testing.assert_allclose(
                np.percentile(d, [10, 90], axis=axis, keepdims=True).toarray(),
                np.percentile(data, [10, 90], axis=axis, keepdims=True))
            np.testing.assert_allclose(
                distarray.quantile(d, 0.4, axis=axis, method="nearest").toarray(),
                np.quantile(data, 0.4, axis=axis, method="nearest"))
        np.testing.assert_allclose(np.median(d, axis=(0, 1)), np.median(data, axis=(0, 1)))


def test_quantile_errors(contexts):
    d = make(contexts[2], np.arange(6.0))
    with pytest.raises(ValueError):
        distarray.quantile(d, 1.5)
    with pytest.raises(ValueError):
        distarray.percentile(d, -1)
    with pytest.raises(TypeError):
        distarray.quantile(make(contexts[2], np.ones(3, complex)), 0.5)
    values = np.array([1 + 2j, 3, 2j, 1])
    assert distarray.median(make(contexts[2], values)) == np.median(values)
    with pytest.raises(IndexError):
        distarray.quantile(make(contexts[2], np.zeros(0)), 0.5)
    np.testing.assert_allclose(np.quantile(d, 0.2, keepdims=True),
                               np.quantile(np.arange(6.0), 0.2, keepdims=True))
    small = np.random.default_rng(12).normal(size=41).astype(np.float32) * 10
    for q in (0.35, [0.1, 0.77]):  # NumPy's dtypes and roundings, exactly
        got, want = distarray.quantile(make(contexts[3], small), q), np.quantile(small, q)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_array_equal(got, want)


# -- histogram, bincount ----------------------------------------------------------------
@pytest.mark.parametrize("case", ["1d-default-odd", "1d-cyclic", "2d-bc", "1d-empty"])
def test_histogram(ctx, case):
    shape, dist, grid = layout(ctx.nworkers, case)
    data = sample(shape)
    d = make(ctx, data, dist, grid)
    weights = np.linspace(0.5, 2.0, data.size).reshape(shape)
    for kwargs in ({}, {"bins": 4}, {"bins": [-10, -2, 0, 3.5, 40]}, {"range": (-5, 5)},
                   {"bins": 3, "density": True}, {"weights": weights},
                   {"weights": make(ctx, weights), "bins": 5}):
        expected = dict(kwargs)
        if isinstance(expected.get("weights"), distarray.DistArray):
            expected["weights"] = weights
        if data.size == 0 and kwargs.get("density"):
            continue
        got, edges = distarray.histogram(d, **kwargs)
        want, want_edges = np.histogram(data, **expected)
        np.testing.assert_allclose(got, want)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(edges, want_edges)


def test_histogram_errors(contexts):
    ctx = contexts[2]
    with pytest.raises(ValueError, match="autodetected range"):
        distarray.histogram(make(ctx, np.array([1.0, np.nan, 2.0])))
    with pytest.raises(ValueError):
        distarray.histogram(make(ctx, np.arange(4.0)), range=(3, 1))
    with pytest.raises(NotImplementedError):
        distarray.histogram(make(ctx, np.arange(4.0)), bins="stone")
    f32 = np.linspace(0, 1, 11, dtype=np.float32)
    np.testing.assert_array_equal(distarray.histogram(make(ctx, f32), bins=3)[1],
                                  np.histogram(f32, bins=3)[1])


def test_bincount(ctx):
    rng = np.random.default_rng(10)
    x = rng.integers(0, 12, 77)
    w = rng.normal(size=77)
    for dist in ("b", "c"):
        d = make(ctx, x, dist)
        np.testing.assert_array_equal(distarray.bincount(d), np.bincount(x))
        np.testing.assert_array_equal(np.bincount(d, minlength=20), np.bincount(x, minlength=20))
        np.testing.assert_allclose(distarray.bincount(d, weights=w), np.bincount(x, weights=w))
        np.testing.assert_allclose(distarray.bincount(d, weights=make(ctx, w, "b")),
                                   np.bincount(x, weights=w))
    np.testing.assert_array_equal(distarray.bincount(make(ctx, np.zeros(0, int)), minlength=3),
                                  np.bincount(np.zeros(0, int), minlength=3))


def test_bincount_errors(contexts):
    ctx = contexts[3]
    with pytest.raises(ValueError, match="negative"):
        distarray.bincount(make(ctx, np.array([1, -1, 2])))
    with pytest.raises(TypeError):
        distarray.bincount(make(ctx, np.array([1.0, 2.0])))
    with pytest.raises(ValueError):
        distarray.bincount(make(ctx, np.zeros((2, 2), int)))
    with pytest.raises(ValueError):
        distarray.bincount(make(ctx, np.arange(3)), weights=np.ones(4))
    with pytest.raises(ValueError):
        distarray.bincount(make(ctx, np.arange(3)), minlength=-1)


# -- errors: NumPy's, raised before anything is sent -------------------------------------
ERRORS = [
    lambda m: np.sort(m.a, axis=2),
    lambda m: np.argsort(m.a, kind="bogus"),
    lambda m: np.sort(m.v, order="x"),
    lambda m: np.searchsorted(m.a, 1.0),
    lambda m: np.searchsorted(m.v, 1.0, side="up"),
    lambda m: np.quantile(m.v, 2.0),
    lambda m: np.percentile(m.v, [50, 101]),
    lambda m: np.quantile(m.v, 0.5, method="sideways"),
    lambda m: np.quantile(m.a, 0.5, axis=3),
    lambda m: np.median(m.a, axis=(0, 0)),
    lambda m: np.histogram(m.v, bins=-1),
    lambda m: np.histogram(m.v, range=(2, 1)),
    lambda m: np.histogram(m.v, weights=np.ones(3)),
    lambda m: np.bincount(m.a),
    lambda m: np.bincount(m.v),
    lambda m: np.bincount(m.i, minlength=-2),
    lambda m: np.fft.fft(m.a, n=0),
    lambda m: np.fft.ifft(m.a, axis=-3),
    lambda m: np.fft.rfft(m.c),
    lambda m: np.fft.fftn(m.a, s=(2,), axes=(0, 1)),
    lambda m: np.fft.irfft(m.a, norm="sideways"),
]


class _Operands:
    def __init__(self, convert):
        self.a = convert(np.arange(12.0).reshape(3, 4))
        self.v = convert(np.linspace(0, 1, 7))
        self.i = convert(np.arange(5))
        self.c = convert(np.ones(4, complex))


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_numpy_and_are_raised_before_sending(contexts, monkeypatch, case):
    ctx = contexts[3]
    numpy_operands, operands = _Operands(np.asarray), _Operands(ctx.fromarray)
    with pytest.raises(Exception) as expected:
        ERRORS[case](numpy_operands)
    sent = []
    original = ctx.pool.start
    monkeypatch.setattr(ctx.pool, "start", lambda *a, **k: sent.append(a[0]) or original(*a, **k))
    with pytest.raises(expected.type) as raised:
        ERRORS[case](operands)
    assert not sent, sent
    if expected.type is not NotImplementedError:
        assert str(raised.value) == str(expected.value)
