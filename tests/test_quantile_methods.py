"""Every quantile method (also percentile and the NaN-ignoring twins) over all axes vs NumPy."""

import functools
import re
import warnings

import numpy as np
import pytest

from distarray import DistArray, Distribution
from distarray.plan.quantiles import METHODS

from checks import nothing_sent
from layouts import layout

FRACTIONS = [0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 1.0]


def ties_sample(ctx, name, dtype=np.float64, seed=3):
    """``(DistArray, NumPy array)`` of layout ``name``: shuffled values with ties."""
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = np.random.default_rng(seed).integers(-20, 20, shape).astype(dtype)
    if np.issubdtype(dtype, np.floating):
        x = x * np.asarray(0.37, dtype)
    return ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)), x


def agree(function, d, x, *args, **kwargs):
    """``function`` of the DistArray ``d`` equals NumPy's of ``x``: values, dtype and type
    (or the exception type NumPy raises)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = function(x, *args, **{k: v.toarray() if isinstance(v, DistArray) else v
                                         for k, v in kwargs.items()})
        except Exception as exc:
            with pytest.raises(type(exc)):
                function(d, *args, **kwargs)
            return
        got = function(d, *args, **kwargs)
    if isinstance(got, DistArray):  # along an axis
        got = got.toarray()
    assert type(got) is type(want), (type(got), type(want))
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_every_numpy_method_is_planned():
    methods = np.lib._function_base_impl._QuantileMethods
    assert sorted(METHODS) == sorted(methods)


@pytest.mark.parametrize("name", ["1d-block", "1d-unstructured", "2d-bc", "3d-cbc"])
def test_every_method(ctx, name):
    d, x = ties_sample(ctx, name)
    for method in METHODS:
        agree(np.quantile, d, x, FRACTIONS, method=method)


@pytest.mark.parametrize("dtype", [np.int16, np.float32])
def test_dtypes_and_q_kinds(contexts, dtype):
    d, x = ties_sample(contexts[3], "2d-cc", dtype)
    for method in METHODS:
        agree(np.quantile, d, x, 0.3, method=method)  # weak Python float q
        agree(np.quantile, d, x, np.array([0.3, 1.0], np.float32), method=method)
        agree(np.quantile, d, x, [0, 1], method=method)  # integer q
        agree(np.percentile, d, x, [[5.0, 50], [95, 100]], method=method, keepdims=True)


def test_nan_propagates_or_is_ignored(contexts):
    ctx = contexts[3]
    for size in (9, 10):  # odd and even counts of non-NaN elements
        x = np.random.default_rng(size).normal(size=size + 3)
        x[[1, 4, 8]] = np.nan
        d = ctx.fromarray(x, dist="c")
        for method in METHODS:
            agree(np.quantile, d, x, FRACTIONS, method=method)
            agree(np.nanquantile, d, x, FRACTIONS, method=method)
            agree(np.nanpercentile, d, x, 62.5, method=method, keepdims=True)


def test_empty_all_nan_and_single(contexts):
    ctx = contexts[3]
    single = ctx.fromarray(np.array([2.5]))
    every_nan = ctx.fromarray(np.full(5, np.nan))
    for method in ("inverted_cdf", "hazen", "midpoint", "nearest"):
        agree(np.quantile, single, np.array([2.5]), FRACTIONS, method=method)
        agree(np.nanquantile, every_nan, np.full(5, np.nan), [0.5, 1.0], method=method)
        agree(np.quantile, every_nan, np.full(5, np.nan), 0.5, method=method)
        with pytest.raises(IndexError):
            np.quantile(ctx.zeros(0), 0.5, method=method)


@pytest.mark.parametrize("values", [np.array(2.5), np.array([True, False, True]),
                                    np.arange(7, dtype=np.float16) / 3,
                                    np.array([np.inf, -np.inf, 1.0, 2.0]),
                                    np.array([3, 2**62, -2**62, 5])],
                         ids=["0d", "bool", "float16", "inf", "int64-large"])
def test_other_inputs(contexts, values):
    d = contexts[2].fromarray(values)
    for method in METHODS:
        for keepdims in (False, True):
            agree(np.quantile, d, values, [0.0, 0.3, 1.0], method=method, keepdims=keepdims)
            agree(np.nanquantile, d, values, 0.5, method=method, keepdims=keepdims)


def test_errors_before_anything_is_sent(contexts):
    ctx = contexts[2]
    d = ctx.fromarray(np.arange(7.0))
    nothing_sent(ctx, ValueError, np.quantile, d, 0.5, None, None, False, "sideways")
    nothing_sent(ctx, ValueError, np.percentile, d, [50, 101], None, None, False, "hazen")
    nothing_sent(ctx, ValueError, np.nanquantile, d, -0.1, None, None, False, "weibull")


@pytest.mark.parametrize("nworkers", [1, 3])
def test_every_method_along_an_axis(contexts, nworkers):
    d, x = ties_sample(contexts[nworkers], "3d-cbc")
    x[1, 2, 0] = np.nan
    d = contexts[nworkers].fromarray(x, d.distribution)
    for method in METHODS:
        for function, axis in ((np.quantile, 1), (np.nanquantile, -1)):
            agree(function, d, x, [0.0, 0.4, 1.0], axis=axis, method=method)


@pytest.mark.parametrize("name", ["1d-unstructured", "3d-cbc"])
def test_weights(ctx, name):
    d, x = ties_sample(ctx, name)
    w = np.random.default_rng(4).integers(0, 4, x.shape).astype(np.float64)
    w.reshape(-1)[:2] = 0  # zero weights, also at the start of the sorted order
    dw = ctx.fromarray(w, dist="c" if w.ndim == 1 else None)
    for q in (0.5, FRACTIONS, np.array([0.3, 0.95], np.float32)):
        agree(np.quantile, d, x, q, method="inverted_cdf", weights=dw)
    agree(np.percentile, d, x, [20, 80], method="inverted_cdf", weights=w, keepdims=True)
    agree(np.quantile, x, x, 0.3, method="inverted_cdf", weights=dw)  # a NumPy a
    x.reshape(-1)[3] = np.nan
    d = ctx.fromarray(x, d.distribution)
    agree(np.quantile, d, x, FRACTIONS, method="inverted_cdf", weights=dw)
    agree(np.nanquantile, d, x, FRACTIONS, method="inverted_cdf", weights=dw)
    agree(np.nanpercentile, d, x, 50, method="inverted_cdf", weights=w)


@pytest.mark.parametrize("nworkers", [1, 3])
def test_weights_along_an_axis(contexts, nworkers):
    ctx = contexts[nworkers]
    d, x = ties_sample(ctx, "3d-cbc")
    x[1, 2, 0] = np.nan
    d = ctx.fromarray(x, d.distribution)
    w = np.random.default_rng(6).integers(1, 4, x.shape).astype(np.float64)
    w.reshape(-1)[::4] = 0  # no line along an axis of all zeros
    for axis in range(x.ndim):
        line = np.arange(x.shape[axis], dtype=np.float64) % 3  # 1-D weights along axis
        for weights in (w, ctx.fromarray(w, dist=("b", "b", "n")), line):
            agree(np.quantile, d, x, [0.0, 0.4, 1.0], axis=axis, method="inverted_cdf",
                  weights=weights, keepdims=axis == 1)
        agree(np.nanpercentile, d, x, 30, axis=axis, method="inverted_cdf", weights=w)


def test_weight_errors(contexts):
    ctx = contexts[3]
    x = np.arange(8.0).reshape(2, 4)
    d = ctx.fromarray(x)

    def weighted(a, weights, **kwargs):
        return np.quantile(a, 0.5, **{"method": "inverted_cdf", **kwargs}, weights=weights)

    for weights, kwargs in ((np.ones(4), {}), (np.ones((2, 4)), {"method": "linear"}),
                            (np.ones(2), {"axis": 1}), (np.ones(4), {"axis": (0, 1)})):
        with pytest.raises(Exception) as numpy_error:
            weighted(x, weights, **kwargs)
        nothing_sent(ctx, numpy_error.type, functools.partial(weighted, d, weights, **kwargs))
    agree(weighted, d, x, np.arange(8.0).reshape(4, 2) % 3, axis=(1, 0))
    for bad in (np.zeros((2, 4)), -np.ones((2, 4)), np.full((2, 4), np.inf)):
        with pytest.raises(ValueError) as numpy_error, np.errstate(invalid="ignore"):
            weighted(x, bad)
        with pytest.raises(ValueError, match=re.escape(str(numpy_error.value))):
            weighted(d, ctx.fromarray(bad))


@pytest.mark.parametrize("nworkers", [1, 2, 4])
def test_several_axes(contexts, nworkers):
    ctx = contexts[nworkers]
    d, x = ties_sample(ctx, "3d-cbc")
    x[1, 2, 0] = x[3, 0, 1] = np.nan
    d = ctx.fromarray(x, d.distribution)
    for axis in ((0, 2), (-1, 1), (0, 1), ()):
        for keepdims in (False, True):
            agree(np.median, d, x, axis=axis, keepdims=keepdims)
            agree(np.nanmedian, d, x, axis=axis, keepdims=keepdims)
            agree(np.percentile, d, x, [10, 75], axis=axis, keepdims=keepdims)
            agree(np.nanquantile, d, x, 0.3, axis=axis, keepdims=keepdims, method="weibull")
    w = np.random.default_rng(5).integers(1, 4, (3, 9)).astype(np.float64)  # along (2, 1)
    agree(np.quantile, d, x, [0.2, 0.9], axis=(2, 1), method="inverted_cdf", weights=w)
    agree(np.percentile, d, x, 40, axis=(2, 1), method="inverted_cdf", weights=w)
    agree(np.quantile, d, x, 0.3, axis=(0, 1, 2), method="inverted_cdf",
          weights=np.ones(x.shape))  # a NaN propagated for a scalar q: a NumPy scalar


def test_several_axes_of_an_empty_array(contexts):
    ctx = contexts[3]
    x = np.zeros((2, 0, 3))
    d = ctx.fromarray(x)
    agree(np.nanquantile, d, x, [0.2, 0.7], axis=(0, 2))  # NumPy's shape ignores q
    agree(np.nanmedian, d, x, axis=(0, 1), keepdims=True)
    d, x = ties_sample(ctx, "2d-bc")
    agree(np.median, d, x, axis=())  # pieces without elements


def _into(function, a, out, *args, **kwargs):
    """``out`` after ``function(a, *args, out=out, **kwargs)``, which must return it."""
    assert function(a, *args, out=out, **kwargs) is out
    return out.toarray() if isinstance(out, DistArray) else out


@pytest.mark.parametrize("nworkers", [1, 3])
def test_out(contexts, nworkers):
    ctx = contexts[nworkers]
    d, x = ties_sample(ctx, "3d-cbc")
    cases = [(np.median, (), {"axis": (0, 2)}, (9,)),
             (np.nanmedian, (), {"axis": None, "keepdims": True}, (1, 1, 1)),
             (np.quantile, ([0.1, 0.6],), {"axis": 1}, (2, 5, 3)),
             (np.nanpercentile, (30,), {"axis": None}, ()),
             (np.percentile, ([5, 50, 95],), {"axis": (0, 1), "keepdims": True}, (3, 1, 1, 3))]
    for function, args, kwargs, shape in cases:
        for dtype in (np.float64, np.float32):  # float32: cast from float64 (NumPy: computed in it)
            want = _into(function, x, np.zeros(shape, dtype), *args, **kwargs)
            for out in (ctx.zeros(shape, dtype), np.zeros(shape, dtype)):
                got = _into(function, d, out, *args, **kwargs)
                assert got.dtype == want.dtype
                np.testing.assert_allclose(got, want, rtol=0 if dtype == np.float64 else 1e-6)
    for function, args, kwargs, _ in cases:  # a wrong shape: a ValueError (NumPy: varies)
        nothing_sent(ctx, ValueError, functools.partial(function, d, *args, out=ctx.zeros((7, 7)),
                                                        **kwargs))
    with pytest.raises(TypeError) as numpy_error:
        np.quantile(x, 0.5, axis=1, out=np.zeros((5, 3), int))
    nothing_sent(ctx, numpy_error.type, functools.partial(np.quantile, d, 0.5, axis=1,
                                                          out=ctx.zeros((5, 3), int)))
