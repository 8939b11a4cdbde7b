"""*_like dispatch, eye/identity/tri/logspace/geomspace, diagonals, copies, complex-number and
ufunc-like helpers, tolist/item: against NumPy on the gathered arrays."""

import warnings

import numpy as np
import pytest

import distarray
from distarray import Distribution

from layouts import layout, sample

NAMES = ["0d", "1d-empty", "1d-blockcyclic", "1d-unstructured", "2d-bc", "2d-empty-cols",
         "3d-cbc"]
#: Fewer layouts for the tests that make many arrays per layout.
SOME = ["0d", "1d-unstructured", "2d-empty-cols", "3d-cbc"]


def make(ctx, name, values=sample):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    x = np.asarray(values(shape))
    return ctx.fromarray(x, distribution), x


def same(got, expected):
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.toarray(), expected)


@pytest.fixture(params=[3, 4], ids=lambda n: "%dw" % n)
def some_ctx(request, contexts):
    """Contexts of 3 and 4 workers, for the tests that make many arrays per case."""
    return contexts[request.param]


def raises_before_sending(ctx, exception, call, match=None):
    posted = ctx.pool.channel.posted
    with pytest.raises(exception, match=match):
        call()
    assert ctx.pool.channel.posted == posted


# -- *_like -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_like_functions_keep_the_distribution(ctx, name):
    d, x = make(ctx, name)
    for made, want in [(np.zeros_like(d), np.zeros_like(x)),
                       (np.ones_like(d, dtype="i2", order="F", subok=False),
                        np.ones_like(x, dtype="i2")),
                       (np.full_like(d, 7.9, np.int32), np.full_like(x, 7.9, np.int32)),
                       (np.full_like(d, 2.5, shape=x.shape), np.full_like(x, 2.5)),
                       (np.empty_like(d, dtype=bool), None)]:
        assert made.distribution is d.distribution
        if want is not None:
            same(made, want)
    assert np.empty_like(d).dtype == x.dtype


def test_like_functions_with_another_shape_or_place(ctx):
    d = ctx.fromarray(sample((5, 4)), dist=("c", "n"))
    other = np.zeros_like(d, shape=(3, 7))
    same(other, np.zeros((3, 7)))
    assert other.context is ctx and other.distribution == ctx.default_distribution((3, 7))
    same(np.full_like(d, 3, dtype="u1", shape=6), np.full(6, 3, "u1"))
    same(np.ones_like(d, shape=()), np.ones(()))
    placed = Distribution(ctx, (5, 4), dist=("b", "c"))
    moved = distarray.zeros_like(d, distribution=placed)
    assert moved.distribution is placed
    same(distarray.ones_like(np.arange(4, dtype="i1"), context=ctx), np.ones(4, "i1"))
    assert np.empty_like(d, device="cpu").shape == (5, 4)
    raises_before_sending(ctx, ValueError, lambda: np.zeros_like(d, order="X"), "order")
    raises_before_sending(ctx, ValueError, lambda: np.ones_like(d, device="gpu"), "Device")
    raises_before_sending(ctx, ValueError, lambda: np.empty_like(d, shape=(-1, 2)), "negative")
    raises_before_sending(ctx, TypeError, lambda: np.full_like(d, 1, shape=2.5))


# -- eye, identity, tri -------------------------------------------------------------------
EYE_CASES = [((5,), {}), ((4, 7, 2), {"dtype": "i2"}), ((6, 3, -2), {"dtype": bool}),
             ((3, 3, 5), {}), ((0,), {}), ((4, 0, 1), {}), ((1,), {"dtype": "c8"})]


DISTS = [None, ("c", "b"), ("b", {"dist_type": "c", "block_size": 2})]


def test_eye_and_tri(ctx):
    for i, (args, kwargs) in enumerate(EYE_CASES):
        dist = DISTS[i % len(DISTS)]
        same(distarray.eye(*args, **kwargs, context=ctx, dist=dist), np.eye(*args, **kwargs))
        same(distarray.tri(*args, **kwargs, context=ctx, dist=dist), np.tri(*args, **kwargs))


def test_identity_placement_and_like(ctx):
    same(ctx.identity(5), np.identity(5))
    same(distarray.identity(3, "i4", context=ctx, dist=("c", "c")), np.identity(3, "i4"))
    distribution = Distribution(ctx, (4, 6), dist=("n", "c"))
    made = ctx.eye(4, 6, k=-1, distribution=distribution)
    assert made.distribution is distribution
    same(made, np.eye(4, 6, k=-1))
    d = ctx.ones(3)
    same(np.eye(3, 2, like=d), np.eye(3, 2))  # NumPy's like= dispatches here
    same(np.tri(3, like=d), np.tri(3))
    raises_before_sending(ctx, ValueError, lambda: ctx.eye(-1), "negative")
    raises_before_sending(ctx, TypeError, lambda: ctx.eye(3, k=1.5))
    raises_before_sending(ctx, TypeError, lambda: ctx.tri(2.5))
    raises_before_sending(ctx, ValueError, lambda: ctx.eye(3, order="X"), "order")
    raises_before_sending(ctx, TypeError, lambda: ctx.identity(3, object), "object")
    raises_before_sending(ctx, ValueError, lambda: ctx.eye(3, distribution=distribution),
                          "does not match")


# -- logspace, geomspace ------------------------------------------------------------------
LOGSPACE_CASES = [
    ((0, 3, 7), {}), ((2.5, -1, 9), {"base": 2, "endpoint": False}), ((0, 1, 0), {}),
    ((1, 2, 1), {"dtype": "f4"}), ((np.float32(0), np.float32(2), 5), {"base": 3.0}),
    ((0, 4, 5), {"dtype": int, "axis": -1})]
GEOMSPACE_CASES = [
    ((1, 1000, 4), {}), ((-1000, -1, 5), {}), ((1j, 1000j, 4), {}), ((-1 + 0j, 1 + 0j, 5), {}),
    ((1, 256, 9), {"dtype": int}), ((3, 5, 6), {"endpoint": False}), ((2, 3, 0), {}),
    ((2, 3, 1), {}), ((np.float32(1), np.float32(5), 6), {})]


def test_logspace_and_geomspace(some_ctx):
    ctx = some_ctx
    for args, kwargs in LOGSPACE_CASES:
        same(distarray.logspace(*args, **kwargs, context=ctx, dist="c"),
             np.logspace(*args, **kwargs))
    for args, kwargs in GEOMSPACE_CASES:
        same(ctx.geomspace(*args, **kwargs, dist="c"), np.geomspace(*args, **kwargs))


ARRAY_ENDS = [((np.arange(6.0).reshape(2, 3), [1.0, 5.0, 7.5], 5), {}),
              ((np.arange(6.0).reshape(2, 3), [1.0, 5.0, 7.5], 5), {"axis": -1}),
              ((0.0, [3.0, -2.0], 4), {"endpoint": False, "axis": 1}),
              ((np.ones((2, 1)), [[4.0, 1.0]], 1), {}), (([1.0, 2.0], 9.0, 0), {}),
              (([0.5, 2.0], [7.0, 2.0], 6), {"dtype": int}), (([1 + 2j, 3], 5, 4), {})]


@pytest.mark.parametrize("args, kwargs", ARRAY_ENDS, ids=str)
def test_linspace_and_logspace_of_arrays(contexts, args, kwargs):
    ctx = contexts[3]
    expected, step = np.linspace(*args, **kwargs, retstep=True)
    distributed = [ctx.fromarray(np.asarray(x)) if np.ndim(x) else x for x in args]
    for got, got_step in [distarray.linspace(*args, **kwargs, retstep=True, context=ctx,
                                             dist="c"),
                          np.linspace(*distributed, **kwargs, retstep=True)]:  # dispatched
        same(got, expected)
        np.testing.assert_allclose(got_step.toarray() if isinstance(got_step, distarray.DistArray)
                                   else got_step, step)
    if not np.iscomplexobj(expected) and "dtype" not in kwargs:
        same(distarray.logspace(*args, **kwargs, base=[[2.0], [3.0]], context=ctx),
             np.logspace(*args, **kwargs, base=[[2.0], [3.0]]))


@pytest.mark.parametrize("args, kwargs", [
    (([1.0, -2.0, 3j], [1000.0, -5.0, 7.0], 5), {}), (([1.0, 2.0], 64.0, 4), {"axis": 1}),
    ((2.0, [[8.0], [16.0]], 3), {"endpoint": False}), (([1.0, 2.0], [100.0, 2.0], 1), {}),
    (([1.0, -2.0], [1000.0, -700.0], 6), {"dtype": int})], ids=str)
def test_geomspace_of_arrays(contexts, args, kwargs):
    ctx = contexts[3]
    expected = np.geomspace(*args, **kwargs)
    same(distarray.geomspace(*args, **kwargs, context=ctx, dist="c"), expected)
    same(np.geomspace(*(ctx.fromarray(np.asarray(x)) if np.ndim(x) else x for x in args),
                      **kwargs), expected)


def test_sequence_errors(ctx):
    raises_before_sending(ctx, ValueError, lambda: ctx.geomspace(0, 3), "cannot include zero")
    raises_before_sending(ctx, np.exceptions.AxisError, lambda: ctx.logspace(0, 3, axis=1))
    raises_before_sending(ctx, np.exceptions.AxisError, lambda: ctx.geomspace(1, 3, axis=2))
    raises_before_sending(ctx, ValueError, lambda: ctx.logspace(0, 3, -1), "non-negative")
    raises_before_sending(ctx, ValueError, lambda: ctx.geomspace([1, 0], 3), "cannot include")


# -- diag, diagflat, fill_diagonal --------------------------------------------------------
@pytest.mark.parametrize("name", ["1d-default-odd", "1d-empty", "1d-unstructured", "2d-bc",
                                  "2d-empty-rows"])
def test_diag(some_ctx, name):
    d, x = make(some_ctx, name)
    for k in (0, 2, -3):
        same(np.diag(d, k), np.diag(x, k))
    same(np.diagflat(d, -1), np.diagflat(x, -1))


def test_diag_errors_and_numpy_input(ctx):
    d3, _ = make(ctx, "3d-cbc")
    d0, _ = make(ctx, "0d")
    raises_before_sending(ctx, ValueError, lambda: np.diag(d3), "1- or 2-d")
    raises_before_sending(ctx, ValueError, lambda: np.diag(d0), "1- or 2-d")
    ones = ctx.ones(3)
    raises_before_sending(ctx, TypeError, lambda: np.diag(ones, 1.5))
    same(np.diagflat(d3), np.diagflat(sample((5, 9, 3))))
    assert np.array_equal(distarray.diag([1, 2]), np.diag([1, 2]))  # NumPy input: NumPy


FILL_DIAGONAL_CASES = [
    ((7, 3), ("c", "b"), True, 5), ((7, 3), ("b", "c"), False, [1, 2]),
    ((3, 8), ("c", "c"), False, np.arange(9.0)), ((3, 3, 3), None, False, -1.5),
    ((4, 4), ("b", "b"), True, 2), ((0, 3), ("b", "n"), False, 1), ((1, 1), None, False, 3)]


def test_fill_diagonal(ctx):
    for i, (shape, dist, wrap, val) in enumerate(FILL_DIAGONAL_CASES):
        expected = sample(shape)
        np.fill_diagonal(expected, val, wrap)
        d = ctx.fromarray(sample(shape), dist=dist)
        if i % 2:  # distributed values
            val = ctx.fromarray(np.ravel(val), dist="c")
        assert np.fill_diagonal(d, val, wrap) is None
        np.testing.assert_array_equal(d.toarray(), expected)


def test_fill_diagonal_errors(ctx):
    line, box = ctx.ones(3), ctx.ones((2, 2, 3))
    raises_before_sending(ctx, ValueError, lambda: np.fill_diagonal(line, 1), "2-d")
    raises_before_sending(ctx, ValueError, lambda: np.fill_diagonal(box, 1), "equal length")
    values = ctx.ones(2)
    raises_before_sending(ctx, TypeError, lambda: distarray.fill_diagonal(np.ones((2, 2)),
                                                                          values))


# -- copy, astype, copyto -----------------------------------------------------------------
@pytest.mark.parametrize("name", SOME)
def test_copy_and_astype(ctx, name):
    d, x = make(ctx, name)
    copied = np.copy(d)
    same(copied, x)
    assert copied.distribution is d.distribution and copied.key != d.key
    copied.fill(3)
    same(d, x)  # independent
    same(distarray.copy(d, order="C"), x)
    astype = getattr(np, "astype", distarray.astype)  # NumPy >= 2.1 dispatches np.astype
    converted = astype(d, np.int16)
    same(converted, x.astype(np.int16))
    assert converted.distribution is d.distribution
    assert astype(d, d.dtype, copy=False) is d
    same(astype(d, d.dtype), x)
    raises_before_sending(ctx, ValueError, lambda: np.copy(d, order="X"), "order")
    raises_before_sending(ctx, ValueError, lambda: astype(d, int, device="gpu"), "Device")


@pytest.mark.parametrize("name", SOME)
def test_copyto(some_ctx, name):
    ctx = some_ctx
    d, x = make(ctx, name)
    row = sample(x.shape[-1:], np.int8) if x.ndim else np.int8(3)
    other = ctx.fromarray(sample(x.shape) * 2, dist=None)  # another layout
    mask = (sample(x.shape, np.int64) % 3) == 0
    for src, kwargs in [(7, {}), (np.float32(-2.5), {}), (row, {}),
                        (other, {}), (-1.5, {"where": mask}),
                        (other, {"where": ctx.fromarray(mask)}),
                        (sample(x.shape, np.complex128), {"casting": "unsafe"}),
                        (True, {"where": False})]:
        expected = np.array(x)
        numpy_src = src.toarray() if isinstance(src, distarray.DistArray) else src
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            np.copyto(expected, numpy_src, **{k: np.asarray(v) if k == "where" else v
                                              for k, v in kwargs.items()})
            target = ctx.fromarray(x, d.distribution)
            assert np.copyto(target, src, **kwargs) is None
        same(target, expected)


def test_copyto_errors(ctx):
    d = ctx.zeros((3, 5), dtype="i1", dist=("c", "b"))
    floats = ctx.ones((3, 5))
    for src, kwargs, exception, match in [
            (1.5, {}, TypeError, "Cannot cast scalar"),
            (floats, {}, TypeError, "Cannot cast array data"),
            (300, {}, OverflowError, "out of bounds"),
            (np.ones(4, "i1"), {}, ValueError, "could not broadcast input"),
            (1, {"where": np.ones(2, bool)}, ValueError, "where mask"),
            (1, {"where": np.ones(5)}, TypeError, "rule 'safe'"),
            (1, {"casting": "bogus"}, ValueError, "casting must be"),
            (floats, {"casting": "no"}, TypeError, "rule 'no'")]:
        raises_before_sending(ctx, exception, lambda s=src, k=kwargs: np.copyto(d, s, **k),
                              match)
    raises_before_sending(ctx, TypeError, lambda: np.copyto(np.zeros(3), floats),
                          "must be a DistArray")
    np.testing.assert_array_equal(d.toarray(), np.zeros((3, 5), "i1"))


# -- complex-number and ufunc-like helpers ------------------------------------------------
def _complex_values(shape):
    values = sample(shape, np.complex128)
    values.flat[::3] = values.flat[::3].real
    return values


@pytest.mark.parametrize("name", SOME)
def test_complex_helpers(some_ctx, name):
    real = (lambda shape: sample(shape, np.int16), sample) if name == "1d-unstructured" else ()
    for values in (*real, _complex_values):
        d, x = make(some_ctx, name, values)
        assert np.iscomplexobj(d) is np.iscomplexobj(x)
        assert np.isrealobj(d) is np.isrealobj(x)
        for function in (np.iscomplex, np.isreal, np.angle, lambda a: np.angle(a, deg=True)):
            same(function(d), function(x))
        same(np.real_if_close(d), np.real_if_close(x))
    nearly = d.real + 1e-15j  # d, x: the complex values
    result = np.real_if_close(nearly)
    same(result, np.real_if_close(x.real + 1e-15j))
    result[...] = 2  # a view of the real part, as in NumPy
    expected = np.full(x.shape, 2 + 1e-15j)
    same(nearly, expected)
    same(np.real_if_close(nearly, tol=1e-20), np.real_if_close(expected, tol=1e-20))


@pytest.mark.parametrize("name", SOME)
def test_ufunclike(some_ctx, name):
    ctx = some_ctx
    def values(shape):
        specials = np.array([np.inf, -np.inf, np.nan, -2.5, 2.5, -0.0, 7.9])
        return np.resize(specials, shape)

    d, x = make(ctx, name, values)
    for function in (np.fix, np.isposinf, np.isneginf):
        result, expected = function(d), function(x)
        assert result.dtype == expected.dtype and result.distribution is d.distribution
        np.testing.assert_array_equal(result.toarray(), expected)
        out = ctx.zeros(x.shape, "f4", distribution=d.distribution)
        assert function(d, out) is out
        np.testing.assert_array_equal(out.toarray(), function(x, np.zeros(x.shape, "f4")))
    same(np.fix(ctx.fromarray(np.arange(-3, 4))), np.fix(np.arange(-3, 4)))
    complex_d, _ = make(ctx, name, _complex_values)
    raises_before_sending(ctx, TypeError, lambda: np.isposinf(complex_d), "ambiguous")
    assert distarray.isneginf(-np.inf)  # NumPy input: NumPy


# -- tolist, item -------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_tolist_and_item(ctx, name):
    d, x = make(ctx, name)
    assert d.tolist() == x.tolist()
    calls = [()] if x.size == 1 else []
    if x.size:
        calls += [(x.size - 1,), (-x.size,), (tuple(n - 1 for n in x.shape),),
                  tuple(n // 2 for n in x.shape)]
    for args in calls:
        got = d.item(*args)
        assert got == x.item(*args) and type(got) is type(x.item(*args))
    for args in [(x.size,), (0.0,), (0,) * (x.ndim + 2), () if x.size != 1 else (1, 1, 1, 1, 1)]:
        with pytest.raises(Exception) as expected:
            x.item(*args)
        raises_before_sending(ctx, expected.type, lambda a=args: d.item(*a))
