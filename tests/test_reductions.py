"""Reductions and scans against NumPy, across layouts and 1-4 workers."""

import functools
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import distarray
from distarray import Distribution

from checks import nothing_sent
from layouts import LAYOUT_IDS, layout, sample

REDUCTIONS = [np.sum, np.prod, np.mean, np.std, np.var, np.min, np.max, np.any, np.all, np.ptp,
              np.count_nonzero]
NAN_REDUCTIONS = [np.nansum, np.nanprod, np.nanmean, np.nanstd, np.nanvar, np.nanmin,
                  np.nanmax]
ARG_REDUCTIONS = [np.argmin, np.argmax, np.nanargmin, np.nanargmax]
TOLERANCE = {"f": {2: 5e-3, 4: 1e-5, 8: 1e-12}, "c": {8: 1e-5, 16: 1e-12}}


def axis_specs(ndim):
    """None, every axis, all axes as a tuple and (3-d and up) a pair with a negative axis."""
    specs = [None, *range(ndim)]
    if ndim >= 2:
        specs.append(tuple(range(ndim)))
    if ndim >= 3:
        specs.append((-1, 0))
    return specs


def roots(distribution, axes):
    """Workers with coordinate 0 on the reduced axes."""
    return tuple(t for i, t in enumerate(distribution.targets)
                 if all(distribution.coords(i)[a] == 0 for a in axes))


def assert_matches(got, expected):
    """``got`` (a DistArray or NumPy scalar) equals NumPy's ``expected``."""
    expected_is_array = isinstance(expected, np.ndarray) and expected.ndim > 0
    if expected_is_array:
        assert isinstance(got, distarray.DistArray), type(got)
        got = got.toarray()
    else:
        assert isinstance(got, np.generic), type(got)
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape
    kind = expected.dtype.kind
    if kind in "fc":
        rtol = TOLERANCE[kind][expected.dtype.itemsize]
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


def compare(ctx, function, d, x, **kwargs):
    """``function(d, **kwargs)`` against ``function(x, **kwargs)``; errors must match.

    Returns the distributed result (None when NumPy raises).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = function(x, **kwargs)
        except Exception as exc:
            posted = ctx.pool.channel.posted
            with pytest.raises(type(exc)):
                function(d, **kwargs)
            if "All-NaN" not in str(exc):  # data-dependent: found by the workers
                assert ctx.pool.channel.posted == posted, "sent before raising"
            return None
        got = function(d, **kwargs)
    assert_matches(got, expected)
    return got


def make(ctx, name, data=None, dtype=np.float64):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    x = sample(shape, dtype) if data is None else data(shape)
    return ctx.fromarray(x, distribution), x


def with_nans(shape):
    x = sample(shape)
    x.reshape(-1)[::3] = np.nan
    return x


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_every_reduction_over_every_axis(ctx, name):
    d, x = make(ctx, name)
    dn, xn = make(ctx, name, with_nans)
    some = [None, 0, -1, tuple(range(x.ndim))] if x.ndim else [None]
    for axis in axis_specs(x.ndim):
        for function in REDUCTIONS:
            compare(ctx, function, d, x, axis=axis)
    for axis in [-1, ()] if x.ndim else []:
        for function in (np.sum, np.var, np.max, np.all):
            compare(ctx, function, d, x, axis=axis)
    for axis in some:
        for function in NAN_REDUCTIONS:
            compare(ctx, function, dn, xn, axis=axis)
        got = compare(ctx, np.sum, d, x, axis=axis, keepdims=True)
        if isinstance(got, distarray.DistArray):
            axes = np.lib.array_utils.normalize_axis_tuple(
                tuple(range(x.ndim)) if axis is None else axis, x.ndim)
            assert got.targets == roots(d.distribution, axes)
            assert all(got.distribution.maps[a].size == 1 and got.grid_shape[a] == 1
                       for a in axes)
        compare(ctx, np.var, d, x, axis=axis, keepdims=True, ddof=1)
    for axis in some[:3]:
        for function in ARG_REDUCTIONS:
            compare(ctx, function, d, x, axis=axis)
            compare(ctx, function, dn, xn, axis=axis)
        compare(ctx, np.argmax, d, x, axis=axis, keepdims=True)


@pytest.mark.parametrize("name", ["2d-default", "2d-bc", "3d-cbc", "2d-cc"])
def test_axis_reduction_distribution(ctx, name):
    d, x = make(ctx, name)
    dist = d.distribution
    for axis in range(x.ndim):
        r = d.sum(axis=axis)
        assert r.targets == roots(dist, (axis,))
        assert r.distribution.maps == tuple(m for a, m in enumerate(dist.maps) if a != axis)
        assert d.sum(axis=axis).distribution is r.distribution  # planned once
        np.testing.assert_array_equal(r.toarray(), x.sum(axis=axis))


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8, np.bool_, np.float32,
                                   np.float16, np.complex128])
def test_integer_boolean_and_other_dtypes(ctx, dtype):
    for name in ("2d-bc", "0d"):
        d, x = make(ctx, name, dtype=dtype)
        for function in [np.sum, np.prod, np.mean, np.var, np.std, np.min, np.max, np.argmax,
                         np.argmin, np.any, np.all, np.ptp, np.count_nonzero, np.nanmean]:
            for axis in [None, -1]:
                compare(ctx, function, d, x, axis=axis)
        for function in [np.cumsum, np.cumprod]:
            compare(ctx, function, d, x, axis=0)


def test_mean_of_integers_is_float64(ctx):
    d = ctx.fromarray(np.arange(10, dtype=np.int32))
    assert type(d.mean()) is np.float64 and d.mean() == 4.5
    assert type(d.sum()) is np.int64 and type(d.argmax()) is np.intp


def test_dtype_argument(ctx):
    d, x = make(ctx, "2d-bb", dtype=np.int16)
    for dtype in (np.int8, np.float32, np.float64, np.complex64, np.uint64):
        for function in (np.sum, np.prod, np.mean, np.nansum):
            for axis in (None, 0, 1):
                compare(ctx, function, d, x, axis=axis, dtype=dtype)
        compare(ctx, np.var, d, x, axis=1, dtype=np.float32)
        compare(ctx, np.cumsum, d, x, axis=0, dtype=dtype)
        compare(ctx, np.cumsum, d, x, axis=1, dtype=dtype)


def test_variance_in_integer_or_real_dtype_of_complex_refused(ctx):
    """NumPy's var/std accumulate in such a dtype (its own values): refused on the client."""
    d, _ = make(ctx, "2d-bc")
    z = d.astype(np.complex64)
    for function in (np.var, np.std, np.nanvar, np.nanstd):
        for a, dtype in ((d, np.int8), (d, bool), (z, np.float32), (z, np.float64)):
            posted = ctx.pool.channel.posted
            with pytest.raises(NotImplementedError, match="dtype="):
                function(a, axis=0, dtype=dtype)
            assert ctx.pool.channel.posted == posted
        compare(ctx, function, z, z.toarray(), axis=0, dtype=np.complex128)


def test_where_and_initial(ctx):
    d, x = make(ctx, "2d-bc")
    mask = (np.arange(x.size).reshape(x.shape) % 3) != 0
    row = np.array([True, False] * 4 + [True])
    dist_masks = [ctx.fromarray(mask, d.distribution), ctx.fromarray(mask, dist=("n", "c")),
                  ctx.fromarray(row)]
    every = [(np.sum, {}), (np.prod, {}), (np.mean, {}), (np.var, {}), (np.std, {"ddof": 1}),
             (np.any, {}), (np.all, {}), (np.max, {"initial": -100.0}),
             (np.min, {"initial": 3}), (np.nansum, {}), (np.nanmean, {}),
             (np.nanmax, {"initial": 1.5}), (np.nanvar, {})]
    for k, (where, dwhere) in enumerate([(mask, mask), (row, row), (False, False),
                                         *zip([mask, mask, row], dist_masks)]):
        for axis in (None, 0, 1):
            for function, kwargs in every[k % 3::3] if k > 1 else every:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    expected = function(x, axis=axis, where=where, **kwargs)
                    got = function(d, axis=axis, where=dwhere, **kwargs)
                assert_matches(got, expected)
    for axis in (None, 0, 1):
        for initial in (5, -2.5):
            for function in (np.sum, np.prod, np.max, np.min, np.nansum, np.nanmin):
                compare(ctx, function, d, x, axis=axis, initial=initial)
        compare(ctx, np.add.reduce, d, x, axis=axis, initial=10.0, where=mask)


def test_initial_on_empty(ctx):
    for name in ("1d-empty", "2d-empty-rows", "2d-empty-cols"):
        d, x = make(ctx, name)
        for axis in (None, 0, -1):
            for function in (np.sum, np.max, np.min, np.prod):
                compare(ctx, function, d, x, axis=axis, initial=7.0)
                compare(ctx, function, d, x, axis=axis)
                compare(ctx, function, d, x, axis=axis, initial=None)


def test_initial_none_is_numpy_no_initial(ctx):
    """``initial=None``: no initial value, so NumPy's errors for where= and empty input."""
    d, x = make(ctx, "2d-bc")
    for function in (np.sum, np.prod, np.nansum, np.max):
        compare(ctx, function, d, x, axis=0, initial=None)
        compare(ctx, function, d, x, axis=None, initial=None, where=x > 2)


def test_out_argument(ctx):
    d, x = make(ctx, "2d-bb")
    same = d.sum(axis=0)
    out = distarray.zeros(same.distribution)
    assert np.sum(d, axis=0, out=out) is out
    np.testing.assert_array_equal(out.toarray(), x.sum(axis=0))
    other = ctx.zeros((9,), dtype=np.int32, dist="c")  # another layout and dtype
    assert d.max(axis=0, out=other) is other
    np.testing.assert_array_equal(other.toarray(), x.max(axis=0).astype(np.int32))
    assert np.mean(d, axis=1, out=(ctx.zeros(5),)).shape == (5,)
    scalar = ctx.zeros(())
    assert d.std(out=scalar) is scalar
    np.testing.assert_allclose(scalar.toarray(), x.std(), rtol=1e-12)
    host = np.zeros((), np.int64)
    assert np.argmax(d, out=host) is host and host == x.argmax()
    keep = ctx.zeros((1, 9), dist=("n", "c"))
    np.var(d, axis=0, keepdims=True, out=keep)
    np.testing.assert_allclose(keep.toarray(), x.var(axis=0, keepdims=True), rtol=1e-12)
    scan_out = ctx.zeros(x.shape, dist=("c", "n"))
    assert np.cumsum(d, axis=1, out=scan_out) is scan_out
    np.testing.assert_allclose(scan_out.toarray(), np.cumsum(x, axis=1), rtol=1e-12)
    in_place = ctx.fromarray(x, dist=("b", "n"))
    np.cumprod(in_place, axis=0, out=in_place)
    np.testing.assert_allclose(in_place.toarray(), np.cumprod(x, axis=0), rtol=1e-12)
    # A wrong shape is NumPy's ValueError, before out's type or dtype is looked at
    for function in (np.sum, np.argmax, np.std):
        for wrong in (np.zeros(4), ctx.zeros((4,)), ctx.zeros((2, 2), np.complex128)):
            nothing_sent(ctx, ValueError, functools.partial(function, axis=0, out=wrong), d)


def test_argmin_argmax_ties_take_the_first_index(ctx):
    x = np.array([3, 7, 1, 7, 1, 7, 3, 1, 0, 7, 7], dtype=np.int64)
    xf = np.array([np.nan, 2.0, np.nan, 5.0, 5.0, -1.0, -1.0, np.nan, 5.0, 0.0, 0.0])
    perm = np.random.default_rng(3).permutation(11)
    for values in (x, xf, -x, -xf):
        for dist in ("b", "c", ({"dist_type": "c", "block_size": 2},),
                     ({"dist_type": "u",
                       "indices": [perm[r::ctx.nworkers] for r in range(ctx.nworkers)]},)):
            d = ctx.fromarray(values, dist=dist)
            for function in ARG_REDUCTIONS:
                compare(ctx, function, d, values)
    m = np.array([[1, 9, 9, 2], [9, 0, 9, 9], [9, 1, 0, 9]]).repeat(2, axis=0)
    for dist in (("c", "c"), ("b", "b"), ("c", "n")):
        d = ctx.fromarray(m, dist=dist)
        for axis in (None, 0, 1):
            for function in (np.argmax, np.argmin):
                compare(ctx, function, d, m, axis=axis)


def test_nan_variants_and_all_nan_slices(ctx):
    x = np.array([[np.nan, np.nan, np.nan], [1.0, np.nan, 3.0], [np.nan, -2.0, np.nan],
                  [np.nan, np.nan, 4.0]])
    d = ctx.fromarray(x, dist=("c", "b"))
    for axis in (None, 0, 1):
        for function in NAN_REDUCTIONS + [np.nanargmin, np.nanargmax, np.max, np.argmax]:
            compare(ctx, function, d, x, axis=axis)
    with pytest.raises(ValueError, match="All-NaN slice"):
        np.nanargmax(d, axis=1)
    with pytest.raises(ValueError, match="All-NaN slice"):
        np.nanargmin(ctx.fromarray(np.full(5, np.nan)))
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        np.nanmax(ctx.fromarray(np.full(5, np.nan)))
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        assert np.isnan(ctx.fromarray(np.zeros(0)).mean())
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        ctx.fromarray(np.ones((3, 2))).var(axis=0, ddof=3)


def test_variance_is_numerically_stable(ctx):
    x = 1e9 + np.random.default_rng(1).random(1001)  # sums of squares would lose it all
    exact = x - 1e9  # exact (Sterbenz): the same deviations without the huge mean
    d = ctx.fromarray(x, dist="c")
    np.testing.assert_allclose(d.var(), exact.var(), rtol=1e-7)
    np.testing.assert_allclose(d.std(ddof=1), exact.std(ddof=1), rtol=1e-7)
    big = np.random.default_rng(2).random((300, 400)) + 5
    db = ctx.fromarray(big)
    np.testing.assert_allclose(db.var(), big.var(), rtol=1e-12)
    np.testing.assert_allclose(db.std(axis=0).toarray(), big.std(axis=0), rtol=1e-12)


def test_methods_functions_and_dispatch_agree(ctx):
    d, x = make(ctx, "2d-default")
    for name in ("sum", "prod", "mean", "std", "var", "min", "max", "argmin", "argmax", "any",
                 "all"):
        expected = getattr(x, name)(axis=0)
        np.testing.assert_allclose(getattr(d, name)(axis=0).toarray(), expected, rtol=1e-12)
        np.testing.assert_allclose(getattr(distarray, name)(d, axis=0).toarray(), expected,
                                   rtol=1e-12)
        np.testing.assert_allclose(getattr(np, name)(d, axis=0).toarray(), expected,
                                   rtol=1e-12)
    assert distarray.sum([1, 2, 3]) == 6  # NumPy input: NumPy
    assert np.amax(d) == x.max() and distarray.amin(d) == x.min()
    assert np.count_nonzero(d) == np.count_nonzero(x)
    np.testing.assert_allclose(d.cumsum(axis=1).toarray(), x.cumsum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(d.cumprod(axis=0).toarray(), x.cumprod(axis=0), rtol=1e-12)


UFUNCS = [np.add, np.multiply, np.maximum, np.minimum, np.fmax, np.fmin, np.logical_and,
          np.logical_or, np.logical_xor, np.bitwise_and, np.bitwise_or, np.bitwise_xor,
          np.gcd, np.lcm]


@pytest.mark.parametrize("name", ["1d-default-odd", "2d-bc", "3d-cbc", "1d-unstructured",
                                  "2d-empty-rows", "0d"])
def test_ufunc_reduce_and_accumulate(ctx, name):
    d, x = make(ctx, name, lambda shape: (np.arange(int(np.prod(shape))).reshape(shape) % 5
                                          + 1))
    for k, ufunc in enumerate(UFUNCS):
        for axis in [0, -1, None, ()] if x.ndim else [None]:
            compare(ctx, ufunc.reduce, d, x, axis=axis)
        if x.ndim:  # every ufunc, along rotating axes (the scan tests cover every axis)
            compare(ctx, ufunc.accumulate, d, x, axis=k % x.ndim)
    if x.ndim:
        compare(ctx, np.add.reduce, d, x, axis=0, keepdims=True, dtype=np.int8)


def test_empty_pieces_start_from_the_identity_cast_as_numpy_casts_it(ctx):
    x = np.arange(12, dtype=np.uint8).reshape(3, 4) + 1
    none = np.zeros((3, 4), bool)
    for dist in (("c", {"dist_type": "c", "block_size": 3}), ("n", "c")):
        d = ctx.fromarray(x, dist=dist)
        for axis in (0, 1, None):  # bitwise_and's identity -1 is 255 in uint8
            compare(ctx, np.bitwise_and.reduce, d, x, axis=axis)
            compare(ctx, np.bitwise_and.reduce, d, x, axis=axis, where=none)
            compare(ctx, np.bitwise_and.reduce, d[:, :0], x[:, :0], axis=axis)


def test_initial_may_be_a_zero_d_distarray(ctx):
    x = np.arange(12).reshape(3, 4) - 3
    d = ctx.fromarray(x, dist=("c", "b"))
    for ufunc in (np.add, np.maximum):
        got = ufunc.reduce(d, axis=0, initial=ctx.fromarray(np.array(5)))
        np.testing.assert_array_equal(got.toarray(), ufunc.reduce(x, axis=0, initial=5))


def test_non_associative_ufuncs_gather_the_reduced_axes(ctx):
    x = np.arange(1.0, 25.0).reshape(4, 6)
    for dist in (("n", "b"), ("c", "c"), ("b", {"dist_type": "c", "block_size": 2})):
        d = ctx.fromarray(x, dist=dist)
        for ufunc in (np.subtract, np.divide, np.power, np.arctan2):
            for axis in (0, 1, None, (0, 1)):
                compare(ctx, ufunc.reduce, d, x, axis=axis)
            compare(ctx, ufunc.reduce, d, x, axis=1, initial=2.0, where=x > 3)
            for axis in (0, 1, (-1,)):  # NumPy takes a one-axis tuple too
                compare(ctx, ufunc.accumulate, d, x, axis=axis)


SCAN_LAYOUTS = ["1d-block", "1d-cyclic", "1d-blockcyclic", "1d-unstructured", "1d-irregular",
                "2d-bb", "2d-bc", "2d-cc", "2d-empty-rows", "3d-cbc", "4d-default",
                "1d-empty", "2d-more-procs-than-rows"]


@pytest.mark.parametrize("name", SCAN_LAYOUTS)
def test_scans_along_every_axis(ctx, name):
    d, x = make(ctx, name)
    di, xi = make(ctx, name, dtype=np.int8)
    for axis in range(-x.ndim, x.ndim):
        for function in (np.cumsum, np.cumprod, np.maximum.accumulate, np.minimum.accumulate):
            got = compare(ctx, function, d, x, axis=axis)
            if got is not None and d.distribution.maps[axis].dist in "bn":
                assert got.distribution is d.distribution
            elif got is not None:  # in global order already, else made block
                assert got.distribution is d.distribution or \
                    got.distribution.maps[axis].dist == "b"
        compare(ctx, np.cumsum, di, xi, axis=axis)
        compare(ctx, np.logical_or.accumulate, di, xi, axis=axis)
        compare(ctx, np.cumulative_sum, d, x, axis=axis)
    if x.ndim == 1:
        compare(ctx, np.cumsum, d, x)
        compare(ctx, np.cumulative_prod, d, x)


def test_scan_axis_none_flattens(ctx):
    for x, dist in [(np.array(2.5), None), (sample((3, 4)), ("c", "b")),
                    (sample((2, 3, 4), np.int8), None), (np.zeros((0, 3)), None)]:
        d = ctx.fromarray(x, dist=dist)
        compare(ctx, np.cumsum, d, x)
        compare(ctx, np.cumprod, d, x)
        compare(ctx, np.cumsum, d, x, dtype=np.float32)
    out = ctx.zeros(12)
    assert np.cumsum(ctx.fromarray(sample((3, 4))), out=out) is out
    np.testing.assert_array_equal(out.toarray(), np.cumsum(sample((3, 4))))


def test_errors_are_numpys_and_raised_before_sending(ctx):
    d = ctx.fromarray(np.ones((3, 4)))
    e = ctx.fromarray(np.zeros((0, 4)))
    i = ctx.fromarray(np.arange(12).reshape(3, 4))
    z0, z3, z43 = ctx.zeros(()), ctx.zeros(3), ctx.zeros((4, 3))
    flags, scalar = ctx.fromarray(np.ones(3, bool)), ctx.fromarray(np.array(1.0))
    cases = [
        (np.exceptions.AxisError, lambda: d.sum(axis=2)),
        (np.exceptions.AxisError, lambda: d.mean(axis=(0, -3))),
        (ValueError, lambda: d.sum(axis=(0, 0))),
        (TypeError, lambda: d.argmax(axis=(0, 1))),
        (np.exceptions.AxisError, lambda: np.cumsum(d, axis=2)),
        (ValueError, lambda: e.max()),
        (ValueError, lambda: np.max(e, axis=0)),
        (ValueError, lambda: np.argmax(e)),
        (ValueError, lambda: np.ptp(e, axis=0)),
        (TypeError, lambda: d.sum(dtype="S3")),
        (TypeError, lambda: np.argmax(d, out=z0)),
        (TypeError, lambda: np.sum(d, axis=0, out=np.zeros(4))),
        (ValueError, lambda: np.sum(d, axis=0, out=z3)),
        (ValueError, lambda: np.sum(d, out=z3)),
        (ValueError, lambda: np.cumsum(d, axis=0, out=z43)),
        (ValueError, lambda: np.var(d, ddof=1, correction=1)),
        (ValueError, lambda: np.max(d, where=np.ones(4, bool))),
        (ValueError, lambda: np.sum(d, where=np.ones((2, 4), bool))),
        (TypeError, lambda: np.sum(d, where=np.ones(4, int))),
        (TypeError, lambda: np.ptp(flags)),
        (TypeError, lambda: np.add.accumulate(scalar)),
        (ValueError, lambda: np.add.accumulate(d, axis=None)),
        (ValueError, lambda: np.sin.reduce(d)),
        (ValueError, lambda: i.sum(initial="x")),
        (NotImplementedError, lambda: d.std(mean=np.ones(()))),
        (ValueError, lambda: np.cumulative_sum(d)),
    ]
    posted = ctx.pool.channel.posted
    for error, call in cases:
        with pytest.raises(error):
            call()
    assert ctx.pool.channel.posted == posted


layouts_2d = st.sampled_from([None, ("b", "b"), ("c", "b"), ("n", "c"), ("b", "n"),
                              ({"dist_type": "c", "block_size": 2}, "c")])
functions = st.sampled_from(REDUCTIONS + NAN_REDUCTIONS + [np.argmax, np.nanargmin])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(0, 7), cols=st.integers(1, 6), dist=layouts_2d, nworkers=st.integers(1, 4),
       function=functions, axis=st.sampled_from([None, 0, 1, -1, (0, 1), (1, 0)]),
       keepdims=st.booleans(), ints=st.booleans(), seed=st.integers(0, 99))
def test_property_reductions(contexts, rows, cols, dist, nworkers, function, axis, keepdims,
                             ints, seed):
    ctx = contexts[nworkers]
    x = np.random.default_rng(seed).normal(size=(rows, cols)) * 10
    x = np.round(x) if ints else x
    x = x.astype(np.int32) if ints else x
    d = ctx.fromarray(x, dist=dist)
    kwargs = {"axis": axis}
    if function in (np.argmax, np.nanargmin):
        if isinstance(axis, tuple):
            return
    if function not in (np.argmax, np.nanargmin) or keepdims:
        kwargs["keepdims"] = keepdims
    compare(ctx, function, d, x, **kwargs)
    scan_axis = 0 if axis is None or isinstance(axis, tuple) else axis
    compare(ctx, np.cumsum, d, x, axis=scan_axis)


def test_datetime_and_timedelta(ctx):
    t = np.array(["2026-01-01", "2025-03-05", "2027-01-01", "NaT", "2026-06-06", "2024-02-02"],
                 dtype="datetime64[D]")
    d = ctx.fromarray(t, dist="c")
    for function in (np.min, np.max, np.argmin, np.argmax, np.ptp):
        compare(ctx, function, d, t)
        compare(ctx, function, ctx.fromarray(t[[0, 1, 2, 4, 5]]), t[[0, 1, 2, 4, 5]])
    delta = t[[0, 1, 2, 4, 5]] - t[0]
    dd = ctx.fromarray(delta, dist="c")
    for function in (np.sum, np.mean, np.cumsum, np.maximum.accumulate):
        compare(ctx, function, dd, delta)
    compare(ctx, np.std, dd, delta)  # NumPy's TypeError, before sending
