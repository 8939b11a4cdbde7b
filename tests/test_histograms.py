"""histogram_bin_edges, histogram2d, histogramdd of DistArrays against NumPy."""

import warnings

import numpy as np
import pytest

import distarray

from checks import made, nothing_sent

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (2, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (4, "2d-nb"), (2, "3d-cbc")]


def equal(got, expected):
    """NumPy results (arrays or sequences of arrays) with equal values and dtypes."""
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected)
        for g, e in zip(got, expected):
            equal(g, e)
        return
    assert isinstance(got, np.ndarray) and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("nworkers,name", CASES)
def test_histogram_bin_edges(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    for bins, range_ in ((10, None), (3, (-2, 30)), ([-5, 0, 1.5, 40], None), ("auto", None),
                         ("fd", None), ("doane", (0, 8)), ("scott", None), ("rice", None),
                         ("sturges", (-4.5, 10)), ("sqrt", None)):
        equal(np.histogram_bin_edges(d, bins, range_), np.histogram_bin_edges(x, bins, range_))
    equal(distarray.histogram_bin_edges(d, 4, weights=d), np.histogram_bin_edges(x, 4))
    for bins, range_ in (("auto", None), ("sturges", (-1, 12))):
        equal(np.histogram(d, bins, range_), np.histogram(x, bins, range_))


@pytest.mark.parametrize("dtype", [np.int16, np.uint8, np.float32, np.bool_])
def test_histogram_bin_edges_dtypes(contexts, dtype):
    d, x = made(contexts, 3, "2d-default", dtype)
    for function in (np.histogram_bin_edges, np.histogram):
        for bins in (7, "auto", [0, 2, 3]):
            with warnings.catch_warnings(record=True) as expected_warnings:
                warnings.simplefilter("always")
                expected = function(x, bins)
            with warnings.catch_warnings(record=True) as got_warnings:
                warnings.simplefilter("always")
                equal(function(d, bins), expected)
            assert [str(w.message) for w in got_warnings] == [
                str(w.message) for w in expected_warnings]


@pytest.mark.parametrize("nworkers,name", [(1, "1d-default-odd"), (2, "1d-cyclic"),
                                           (3, "1d-empty"), (4, "1d-irregular"),
                                           (4, "1d-unstructured")])
def test_histogram2d(contexts, nworkers, name):
    ctx = contexts[nworkers]
    dx, x = made(contexts, nworkers, name)
    y = np.sin(x) * 5
    dy = ctx.fromarray(y, dist="c")
    for bins, range_ in ((10, None), ((3, 5), None), ([[-8, 0, 20], [-5, 1, 5]], None),
                         (4, [[-3, 3], [-1, 1]]), ([-9, -1, 0, 30], None)):
        equal(np.histogram2d(dx, dy, bins, range_), np.histogram2d(x, y, bins, range_))
    equal(np.histogram2d(dx, y, 3, weights=dy), np.histogram2d(x, y, 3, weights=y))
    with np.errstate(invalid="ignore"):
        equal(np.histogram2d(x, dy, (2, 4), density=True, weights=np.abs(x)),
              np.histogram2d(x, y, (2, 4), density=True, weights=np.abs(x)))


@pytest.mark.parametrize("nworkers,name", [(1, "2d-bn"), (2, "2d-nb"), (3, "2d-cc"),
                                           (4, "2d-empty-rows"), (4, "2d-bb")])
def test_histogramdd(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    bins = [2, 1, 4, 2, 3, 1, 2, 2, 2][:x.shape[1]]
    equal(np.histogramdd(d, bins), np.histogramdd(x, bins))
    with np.errstate(invalid="ignore"):
        equal(np.histogramdd(d, 3, density=True), np.histogramdd(x, 3, density=True))
    columns = [d[:, i] for i in range(x.shape[1])]
    weights = np.arange(x.shape[0]) % 3
    equal(np.histogramdd(columns, 2, weights=weights), np.histogramdd(x, 2, weights=weights))


def test_histogramdd_of_vectors(ctx):
    x = np.array([2.5, -1, 4, 4, 0])
    d = ctx.fromarray(x, dist="c")
    equal(np.histogramdd(d, 3), np.histogramdd(x, 3))
    equal(np.histogramdd(d[1], 2), np.histogramdd(x[1], 2))
    equal(np.histogramdd([d, x[::-1]], 2, weights=d), np.histogramdd([x, x[::-1]], 2, weights=x))
    sample = np.stack([x, -x], axis=1)
    equal(np.histogramdd(sample, (2, 3), weights=d), np.histogramdd(sample, (2, 3), weights=x))
    equal(np.histogram2d(x, -x, 2, weights=d), np.histogram2d(x, -x, 2, weights=x))
    equal(np.histogram_bin_edges(x, 3, weights=d), np.histogram_bin_edges(x, 3))


def test_histogram_errors(ctx):
    d = ctx.fromarray(np.arange(7.0))
    e = ctx.fromarray(np.arange(5.0))
    nan = ctx.fromarray(np.array([1, np.nan, 2]))
    nothing_sent(ctx, ValueError, lambda: np.histogram_bin_edges(d, "nope"))
    nothing_sent(ctx, TypeError, lambda: np.histogram_bin_edges(d, "auto", weights=d))
    nothing_sent(ctx, ValueError, lambda: np.histogram_bin_edges(d, -1))
    nothing_sent(ctx, ValueError, lambda: np.histogram_bin_edges(d, [3, 1]))
    nothing_sent(ctx, ValueError, lambda: np.histogram_bin_edges(d, 3, weights=e))
    nothing_sent(ctx, ValueError, lambda: np.histogram2d(d, e), match="same length")
    nothing_sent(ctx, ValueError, lambda: np.histogramdd([d, e]))
    nothing_sent(ctx, ValueError, lambda: np.histogram2d(d, d, weights=e))
    nothing_sent(ctx, ValueError, lambda: np.histogramdd([d, d], bins=(2, 3, 4)))
    nothing_sent(ctx, ValueError, lambda: np.histogramdd(d, range=[(0, 1), (0, 1)]))
    nothing_sent(ctx, NotImplementedError, lambda: np.histogram_bin_edges(d, "stone"))
    with pytest.raises(ValueError, match="not finite"):
        np.histogram_bin_edges(nan)
    with pytest.raises(ValueError, match="not finite"):
        np.histogram2d(nan, nan)
