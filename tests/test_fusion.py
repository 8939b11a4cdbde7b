"""``distarray.fuse``: fused elementwise evaluation against NumPy's eager evaluation."""

import warnings

import numpy as np
import pytest

import distarray
from distarray import Distribution

from checks import make, nothing_sent, same
from layouts import LAYOUT_IDS, layout, sample


def stencil(u):
    return u[1:-1, 1:-1] + 0.2 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:]
                                  - 4 * u[1:-1, 1:-1])


def expression(a):
    return np.sin(a) * 2 - (a + 1.5) ** 2 / 3 + (a > 0)


def posted(ctx, call, *args):
    """``call(*args)`` and the number of commands it posted."""
    before = ctx.pool.channel.posted
    result = call(*args)
    return result, ctx.pool.channel.posted - before


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_expression_matches_numpy_on_every_layout(ctx, name):
    d, x = make(ctx, name)
    same(distarray.fuse(expression)(d), expression(x))


@pytest.mark.parametrize("name", ["2d-default", "2d-bb", "2d-bn", "2d-nb", "2d-bc", "2d-cc",
                                  "3d-cbc", "4d-default"])
def test_shifted_slices_match_numpy(ctx, name):
    d, x = make(ctx, name)
    if x.ndim == 2:
        same(distarray.fuse(stencil)(d), stencil(x))
    def shifted(u):
        return u[1:] - 2 * u[:-1] + u[1:, ::-1] * u[:0:-1]

    same(distarray.fuse(shifted)(d), shifted(x))


@pytest.mark.parametrize("dist", [("b", "n"), ("b", "b"), ("c", "b"), ("n", "b")])
def test_large_arrays_run_in_many_chunks(ctx, dist):
    """Pieces larger than a chunk (including broadcast operands and shifted rows)."""
    x = np.random.default_rng(3).random((301, 257))
    row, column = x[7], x[:, :1] * 3
    d = ctx.fromarray(x, dist=dist)
    r, c = ctx.fromarray(row), ctx.fromarray(column, dist=(dist[0], "n"))

    def f(u, v, w):
        return (u * v - w) / (u + 2) + u[::-1] * 0.5

    same(distarray.fuse(f)(d, r, c), f(x, row, column))
    same(distarray.fuse(stencil)(d), stencil(x))
    long = np.linspace(-3, 3, 100_003)
    same(distarray.fuse(expression)(ctx.fromarray(long)), expression(long))


def test_one_command_computes_the_whole_expression(ctx):
    d, x = make(ctx, "2d-bb")
    result, count = posted(ctx, distarray.fuse(expression), d)
    same(result, expression(x))
    assert count == 1
    unused, count = posted(ctx, distarray.fuse(lambda a: (a * 2, a + 1)[1]), d)
    same(unused, x + 1)
    assert count == 1  # a * 2 is never used: never computed


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, np.float32, np.bool_,
                                   np.complex64])
def test_dtypes_follow_numpy_promotion(ctx, dtype):
    shape, dist, grid = layout(ctx.nworkers, "2d-bc")
    x = sample(shape, dtype)
    other = sample(shape, np.float32) / 8
    d = ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid))
    o = ctx.fromarray(other)

    def f(a, b):
        return (a * 3 + 1) * b == (a - b) + 2.5

    def g(a):
        return abs(a) + 1 if dtype is not np.bool_ else a | (a ^ True)

    same(distarray.fuse(f)(d, o), f(x, other))
    same(distarray.fuse(g)(d), g(x))


def test_power_operator_picks_numpys_ufunc(ctx):
    flags = np.array([True, False, True])
    z = np.array([1 + 0j, 2, 0.5])

    def f(a, b):
        return a ** 2, b ** -1

    def g(b):
        b **= -1
        return b

    squared, inverse = distarray.fuse(f)(ctx.fromarray(flags, dist="c"), ctx.fromarray(z))
    same(squared, flags ** 2)  # int8, as np.square's loop
    assert repr(inverse.toarray().tolist()) == repr((z ** -1).tolist())  # signed zeros
    assert repr(distarray.fuse(g)(ctx.fromarray(z)).toarray().tolist()) == repr(g(z).tolist())
    nothing_sent(ctx, ValueError, distarray.fuse(lambda a: (a + 1) ** -1),
                 ctx.fromarray(np.arange(3)), match="negative integer powers")


def test_numpy_errors_are_raised_where_written_before_anything_is_sent(ctx):
    d, _ = make(ctx, "2d-bb")
    e, _ = make(ctx, "1d-block")
    nothing_sent(ctx, ValueError, distarray.fuse(lambda a, b: (a + 1) * b), d, e)
    small = ctx.fromarray(np.arange(6, dtype=np.int8))
    nothing_sent(ctx, OverflowError, distarray.fuse(lambda a: a * 2 + 1000), small)
    nothing_sent(ctx, TypeError, distarray.fuse(lambda a: np.bitwise_and(a * 2, 1)), d)


def test_other_uses_compute_the_value_first(ctx):
    d, x = make(ctx, "2d-bb")

    def f(a):
        b = a * 2 + 1
        return b.sum(), np.mean(b, axis=0), b[1:, ::2], float(b[0, 0]), b.T + 1, len(b)

    got = distarray.fuse(f)(d)
    want = f(x)
    np.testing.assert_allclose(got[0], want[0])
    same(got[1], want[1])
    same(got[2], want[2])
    assert got[3] == want[3] and got[5] == want[5]
    same(got[4], want[4])
    assert isinstance(distarray.fuse(lambda a: {"y": a + 1})(d)["y"], distarray.DistArray)
    assert distarray.fuse(lambda v: v * 2)(x).tolist() == (x * 2).tolist()  # no DistArray


def test_writes_never_reach_values_recorded_before_them(ctx):
    d, x = make(ctx, "2d-bb")
    kept = d.copy()

    def through_argument(a):
        b = a + 1
        a[0] = 100.0
        a += 1
        return b, a * 1

    b, a = distarray.fuse(through_argument)(d)
    expected = x.copy()
    first = expected + 1
    expected[0] = 100.0
    expected += 1
    same(b, first)
    same(a, expected)
    same(d, expected)  # the argument itself was modified, as NumPy's would be

    def through_closure(a):
        b = a * 3
        kept[...] = 0.0
        return b + kept

    same(distarray.fuse(through_closure)(d), expected * 3)


def test_numpy_operands_are_computed_eagerly_and_tracing_goes_on(ctx):
    d, x = make(ctx, "2d-bb")
    row = np.linspace(1, 2, x.shape[1])

    def f(a):
        b = (a * row) + 1  # a NumPy operand: a * row runs at once
        assert isinstance(b, type(a))
        return b * b - 1

    same(distarray.fuse(f)(d), f(x))


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.uint8])
def test_where_and_clip_are_fused(ctx, dtype):
    d, x = make(ctx, "2d-bc", dtype)
    other, y = make(ctx, "2d-bc", np.float32)

    def f(a, b):
        return (np.where(a > 2, a * 1, b * 2) + np.clip(a, 0, 40) + np.clip(a, None, 3)
                + np.clip(a, -5, None) + np.clip(a, -1000, 1000) + np.where(a, 1, a * 0))

    result, count = posted(ctx, distarray.fuse(f), d, other)
    same(result, f(x, y))
    assert count == 1
    e, _ = make(ctx, "1d-cyclic")
    nothing_sent(ctx, ValueError, distarray.fuse(lambda a, b: np.where(a > 0, a, b)), d, e)
    nothing_sent(ctx, ValueError, distarray.fuse(lambda a, b: np.clip(a, b, 1)), d, e)


def test_values_that_outlive_the_call(ctx):
    d, x = make(ctx, "2d-bb")
    kept = []

    def f(a):
        kept.append(a / 0)  # recorded, not used: not computed during the call
        return a + 1

    same(distarray.fuse(f)(d), x + 1)
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        late = (kept[0] * 1).toarray()  # computed now, and waited for
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(late, x / 0)
    assert not ctx.pool.channel.outstanding


@pytest.mark.parametrize("name", ["1d-default-odd", "2d-bb", "2d-bc", "3d-cbc"])
def test_slicing_a_recorded_value_slices_its_inputs(ctx, name):
    d, x = make(ctx, name)
    column = x[..., :1] * 2

    def f(a, c):
        b = a * 3 - c  # c broadcasts along the last axis
        return b[1:-1] + b[:-2] * b[2:], b[..., 0], b[-1], b[::-2] + 1

    got, count = posted(ctx, distarray.fuse(f), d, ctx.fromarray(column))
    want = f(x, column)
    for g, w in zip(got, want):
        if isinstance(w, np.ndarray):
            same(g, w)
        else:  # one element: a NumPy scalar, as NumPy gives
            assert type(g) is type(w) and g == w
    nothing_sent(ctx, IndexError, distarray.fuse(lambda a: (a + 1)[len(x)]), d)


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.complex64, np.bool_])
def test_astype_is_recorded(ctx, dtype):
    d, x = make(ctx, "2d-bc", dtype)

    def f(a):
        return (a > 1).astype(np.float32) * 2 + a.astype(np.int8) - a.astype(np.uint8)

    def g(a):
        return a[:-1] + (a * 3)[1:].astype(np.float64)[0] + a.astype(a.dtype, copy=False)[1:]

    for function in (f, g):
        with warnings.catch_warnings(record=True) as caught:  # complex to real: NumPy warns
            warnings.simplefilter("always")
            want = function(x)
            expected = {w.category for w in caught}
            caught.clear()
            got, count = posted(ctx, distarray.fuse(function), d)
            assert {w.category for w in caught} == expected
        same(got, want)
        assert count == 1 or function is g  # g's views post commands of their own
    same(distarray.fuse(lambda a: (a + 1).astype("U3", casting="unsafe"))(d),
         (x + 1).astype("U3"))


def test_long_programs_and_repeated_operands(ctx):
    d, x = make(ctx, "1d-default-odd")

    def many(a):
        for k in range(200):
            a = a + k
        return a * a - a

    same(distarray.fuse(many)(d), many(x))
    same(distarray.fuse(lambda a: (a * a) * (a * a))(d), (x * x) * (x * x))

    def reused(a):
        b = a + 1  # read by the next two steps: its buffer is free only after both
        return np.sqrt(abs(b * 2 - b)) + 1

    same(distarray.fuse(reused)(d), reused(x))


def test_floating_point_warnings_as_numpy(ctx):
    d, x = make(ctx, "2d-bb")
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        got = distarray.fuse(lambda a: a / 0 + 1)(d)
    with np.errstate(divide="ignore"):
        same(got, x / 0 + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="ignore", invalid="ignore"):
            distarray.fuse(lambda a: a / 0 + 1)(d)


REDUCTIONS = [np.sum, np.prod, np.max, np.min, np.mean, np.std, np.var, np.any, np.all,
              np.ptp, np.count_nonzero, np.nansum, np.nanmax, np.nanmean, np.nanstd]


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_full_reductions_are_fused_into_one_command(ctx, name):
    d, x = make(ctx, name)
    for reduction in REDUCTIONS:
        function = distarray.fuse(lambda a, r=reduction: r(np.cos(a) * 2 - 0.5))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the mean of nothing
                expected = function(x)
        except ValueError:  # NumPy refuses (a maximum of nothing): the same, nothing sent
            nothing_sent(ctx, ValueError, function, d)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got, count = posted(ctx, function, d)
        assert count == 1, reduction.__name__
        assert type(got) is type(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12,
                                   err_msg=reduction.__name__)


def test_other_reductions_of_traced_values(ctx):
    d, x = make(ctx, "2d-bc")

    def f(a):
        b = a * 2 - 1
        return (b.sum(axis=0), b.max(keepdims=True), b.var(ddof=1), np.argmax(b),
                b.sum(where=a > 0), b.mean() + b)

    got, want = distarray.fuse(f)(d), f(x)
    same(got[0], want[0])
    same(got[1], want[1])
    np.testing.assert_allclose(got[2], want[2], rtol=1e-12)
    assert got[3] == want[3]
    np.testing.assert_allclose(got[4], want[4], rtol=1e-12)
    np.testing.assert_allclose(got[5].toarray(), want[5], rtol=1e-12)
