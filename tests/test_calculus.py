"""diff, ediff1d, gradient, trapezoid, unwrap and cross against NumPy, on every layout
and 1-4 workers."""

import warnings

import numpy as np
import pytest

import distarray

from checks import make
from layouts import LAYOUT_IDS, sample

LAYOUTS_1D_UP = [name for name in LAYOUT_IDS if name != "0d"]


def check(got, expected):
    """A DistArray (or NumPy scalar, or tuple of them) equals NumPy's result, dtype included."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            check(g, e)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, distarray.DistArray), type(got)
        got = got.toarray()
    else:
        assert isinstance(got, np.generic), type(got)
    assert got.shape == np.shape(expected) and got.dtype == expected.dtype
    if got.dtype.kind in "fc":
        single = got.dtype in (np.float32, np.complex64)  # summed in another order
        tolerance = 2e-6 if single else 1e-12
        np.testing.assert_allclose(got, expected, rtol=tolerance, atol=tolerance)
    else:
        np.testing.assert_array_equal(got, expected)


def gathered(value):
    return value.toarray() if isinstance(value, distarray.DistArray) else value


def compare(ctx, function, *args, **kwargs):
    """``function(*args, **kwargs)`` matches NumPy's on the gathered arguments, errors
    included: raised before any command is sent unless they depend on the data (weights
    that sum to zero)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = function(*map(gathered, args),
                                **{k: gathered(v) for k, v in kwargs.items()})
        except Exception as exc:
            posted = ctx.pool.channel.posted
            with pytest.raises(type(exc)):
                function(*args, **kwargs)
            if not isinstance(exc, ZeroDivisionError):
                assert ctx.pool.channel.posted == posted, "sent before raising"
            return
        got = function(*args, **kwargs)
    check(got, expected)


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_diff_every_layout(ctx, name):
    compare(ctx, np.diff, make(ctx, name, square=True)[0], n=2, axis=0)


@pytest.mark.parametrize("name", ["1d-unstructured", "2d-bc", "3d-cbc"])
def test_diff_axes_orders_and_errors(ctx, name):
    d, x = make(ctx, name, square=True)
    for axis in range(-1, x.ndim):
        compare(ctx, np.diff, d, n=axis + 2, axis=axis)
    compare(ctx, np.diff, d, n=7, axis=0)  # more differences than elements: empty
    compare(ctx, np.diff, d, axis=x.ndim)
    compare(ctx, np.diff, d, n=-1)
    assert np.diff(d, n=0) is d


def test_array_api_diff(contexts):
    ctx = contexts[2]
    d, x = make(ctx, "2d-bc")
    xp = d.__array_namespace__()
    check(xp.diff(d, axis=0, n=2), np.diff(x, axis=0, n=2))
    check(xp.diff(d, prepend=ctx.fromarray(x[:, :1]), append=None),
          np.diff(x, prepend=x[:, :1]))


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.bool_, np.complex128, np.float32])
def test_diff_dtypes_prepend_append(contexts, dtype):
    ctx = contexts[3]
    d, x = make(ctx, "2d-bc", dtype)
    edge = sample(x.shape[:-1] + (2,), dtype, 1)
    compare(ctx, np.diff, d, prepend=edge, append=x.dtype.type(1))
    compare(ctx, np.diff, d, n=2, prepend=ctx.fromarray(edge), append=edge, axis=-1)
    compare(ctx, np.diff, x, prepend=ctx.fromarray(edge))
    compare(ctx, np.diff, d, prepend=ctx.fromarray(edge[0, 0]), axis=0)
    compare(ctx, np.diff, d, prepend=np.zeros((7, 7)))  # shape mismatch


@pytest.mark.parametrize("name", ["1d-cyclic", "1d-empty", "1d-single", "2d-cc", "3d-default"])
def test_ediff1d(ctx, name):
    d, x = make(ctx, name, square=True)
    compare(ctx, np.ediff1d, d)
    compare(ctx, np.ediff1d, d, to_begin=[-1.0, 2.0], to_end=7)
    compare(ctx, np.ediff1d, d, to_begin=ctx.fromarray(np.arange(6.0).reshape(2, 3)))
    compare(ctx, np.ediff1d, d, to_end=np.array([1 + 2j]))  # complex into float
    i, xi = make(ctx, name, np.int16)
    compare(ctx, np.ediff1d, i, to_end=np.int8(3))
    compare(ctx, np.ediff1d, i, to_begin=0.5)
    b, xb = make(ctx, name, np.bool_)
    compare(ctx, np.ediff1d, b, to_begin=True)


def _coordinates(n, uniform):
    return np.arange(n) * 0.5 + 1 if uniform else np.cumsum(np.linspace(1, 2, n) ** 2)


@pytest.mark.parametrize("name", ["1d-blockcyclic", "2d-nb", "3d-cbc", "4d-default"])
def test_gradient_spacings_and_edge_orders(ctx, name):
    d, x = make(ctx, name, square=True)
    coords = [_coordinates(n, a % 2) for a, n in enumerate(x.shape)]
    compare(ctx, np.gradient, d, *coords, edge_order=ctx.nworkers % 2 + 1)
    compare(ctx, np.gradient, d, 0.5, axis=0, edge_order=2 - ctx.nworkers % 2)


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.complex64, np.complex128])
def test_gradient_dtypes_axes_and_distributed_coordinates(contexts, dtype):
    ctx = contexts[4]
    d, x = make(ctx, "3d-cbc", dtype, square=True)
    compare(ctx, np.gradient, d, 2, 0.5, axis=(2, 0), edge_order=2)
    compare(ctx, np.gradient, d, ctx.fromarray(_coordinates(x.shape[1], False), dist="c"),
            axis=1, edge_order=2)
    compare(ctx, np.gradient, d, ctx.fromarray(np.arange(x.shape[0])), axis=0)  # even, int
    compare(ctx, np.gradient, x, ctx.fromarray(np.arange(x.shape[0])), axis=0)  # f from NumPy


def test_gradient_errors(contexts):
    ctx = contexts[2]
    d, x = make(ctx, "2d-bc")
    for args, kwargs in [((1, 2, 3), {}), ((np.ones((5, 9)),), {"axis": 0}),
                         ((np.ones(4),), {"axis": 0}), ((), {"edge_order": 3}),
                         ((), {"axis": 2}), ((), {"axis": (0, 0)}), ((1, 2), {"axis": 1})]:
        compare(ctx, np.gradient, d, *args, **kwargs)
    compare(ctx, np.gradient, make(ctx, "1d-single")[0])
    compare(ctx, np.gradient, make(ctx, "0d")[0])
    compare(ctx, np.gradient, make(ctx, "2d-bb", np.bool_)[0])


@pytest.mark.parametrize("name", ["0d", "1d-empty", "1d-unstructured", "2d-empty-cols",
                                  "3d-cbc"])
def test_trapezoid(ctx, name):
    d, x = make(ctx, name, square=True)
    compare(ctx, np.trapezoid, d)
    for axis in range(-x.ndim - 1, x.ndim + 1, 2):
        compare(ctx, np.trapezoid, d, axis=axis, dx=0.25)
    if x.ndim:
        compare(ctx, np.trapezoid, d, x=_coordinates(x.shape[0], False), axis=0)
        compare(ctx, np.trapezoid, d, x=(x + 1) ** 3)
        compare(ctx, np.trapezoid, d, x=np.ones(x.shape[-1] + 2))


@pytest.mark.parametrize("name", ["0d", "1d-empty", "1d-single", "1d-unstructured",
                                  "1d-blockcyclic", "2d-bc", "3d-cbc"])
def test_unwrap(ctx, name):
    d, x = make(ctx, name, square=True)
    phases = ctx.fromarray(np.sin(x) * 9, d.distribution)
    compare(ctx, np.unwrap, phases)
    for axis in range(-1, x.ndim):
        compare(ctx, np.unwrap, phases, axis=axis, discont=4.0)
        compare(ctx, np.unwrap, phases.astype(np.float32), axis=axis, period=5)
    steps = ctx.fromarray((x * 2).astype(np.int64) % 11, d.distribution)
    compare(ctx, np.unwrap, steps, period=6)  # integers; jumps of exactly half a period
    compare(ctx, np.unwrap, steps, period=7, discont=2)
    compare(ctx, np.unwrap, phases, axis=x.ndim)


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.complex128])
def test_trapezoid_dtypes_and_distributed_samples(contexts, dtype):
    ctx = contexts[3]
    d, x = make(ctx, "2d-cc", dtype)
    compare(ctx, np.trapezoid, d, ctx.fromarray(_coordinates(x.shape[0], False)), axis=0)
    compare(ctx, np.trapezoid, x, ctx.fromarray(x.real * 2), axis=1)


def _vectors(shape, k, dtype, seed):
    return np.random.default_rng(seed).integers(-9, 9, shape + (k,)).astype(dtype)


def test_cross(ctx):
    xa, xb = _vectors((4, 5), 3, np.float64, 0), _vectors((5,), 3, np.int16, 1)
    a, b = ctx.fromarray(xa, dist=("c", "b", "n")), ctx.fromarray(xb)
    compare(ctx, np.cross, a, b)
    t = ctx.fromarray(np.moveaxis(xa, -1, 0).astype(complex))
    compare(ctx, np.cross, t, a, axisa=0, axisc=1)
    compare(ctx, np.cross, a[0, 0], b)


@pytest.mark.parametrize("ka, kb", [(2, 3), (3, 2), (2, 2)])
def test_cross_of_2_vectors(contexts, ka, kb):
    ctx = contexts[ka + kb - 2]
    xa, xb = _vectors((4, 5), ka, np.float64, 0), _vectors((5,), kb, np.int16, 1)
    compare(ctx, np.cross, ctx.fromarray(xa, dist=("b", "c", "n")), ctx.fromarray(xb))
    compare(ctx, np.cross, xa[0, 0], ctx.fromarray(xb), axisc=0)


def test_cross_errors(contexts):
    ctx = contexts[3]
    x = _vectors((4,), 3, float, 0)
    d = ctx.fromarray(x)
    for args, kwargs in [((x,), {"axisc": 2}), ((x,), {"axisa": 2}), ((x[:, :1],), {}),
                         ((x[:3],), {}), ((x[0, 0],), {}), ((x.T,), {"axis": 0})]:
        compare(ctx, np.cross, d, *args, **kwargs)
    compare(ctx, np.cross, d > 0, d > 0)
    with pytest.warns(DeprecationWarning):
        np.cross(ctx.fromarray(x[:, :2]), x[:, :2])
