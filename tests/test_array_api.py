"""The array API namespace returned by ``DistArray.__array_namespace__``."""

import numpy as np
import pytest

import distarray
from distarray import array_api
from layouts import layout, sample


def test_namespace_and_elementwise_functions(ctx):
    x = ctx.fromarray(np.linspace(0.1, 0.9, 7), dist="c")
    xp = x.__array_namespace__()
    assert xp is array_api and xp.__array_api_version__ == "2024.12"
    for name in array_api.ELEMENTWISE:
        function = getattr(xp, name)
        args = (x,) * function.nin
        if name.startswith(("bitwise", "logical")):
            continue
        np.testing.assert_array_equal(function(*args).toarray(),
                                      function(*(a.toarray() for a in args)))
    with pytest.raises(ValueError):
        x.__array_namespace__(api_version="1999.01")


def test_asarray_dtypes_and_creation(ctx):
    xp = array_api
    a = xp.asarray([1, 2, 3], context=ctx)
    assert isinstance(a, distarray.DistArray) and a.dtype == xp.int64
    assert xp.asarray(a) is a
    assert xp.asarray(a, dtype=xp.float32).dtype == np.float32
    assert xp.asarray(a, copy=True) is not a
    with pytest.raises(ValueError):
        xp.asarray([1.0], copy=False)
    assert xp.result_type(a, xp.float32) == np.float64
    assert xp.isdtype(xp.uint8, "unsigned integer")
    np.testing.assert_array_equal(xp.zeros((2, 3), context=ctx).toarray(), np.zeros((2, 3)))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["2d-bc", "1d-blockcyclic", "2d-empty-rows", "0d"])
def test_statistical_and_utility_functions(ctx, name):
    shape, dist, grid = layout(ctx.nworkers, name)
    x = sample(shape, np.float32)
    d = ctx.fromarray(x, dist=dist, grid_shape=grid)
    xp = d.__array_namespace__()
    axes = [None] + list(range(x.ndim))
    for axis in axes:
        kw = {"axis": axis}
        for fname in ("sum", "prod", "mean", "max", "min", "all", "any"):
            if fname in ("max", "min") and x.size == 0:
                continue
            expected = getattr(np, fname)(x, **kw)
            got = getattr(xp, fname)(d, **kw)
            got = got.toarray() if isinstance(got, distarray.DistArray) else got
            np.testing.assert_allclose(got, expected, rtol=1e-5)
            assert np.asarray(got).dtype == np.asarray(expected).dtype
        for fname in ("std", "var"):
            got = getattr(xp, fname)(d, correction=1, keepdims=True, **kw)
            expected = getattr(np, fname)(x, correction=1, keepdims=True, **kw)
            np.testing.assert_allclose(got.toarray() if isinstance(got, distarray.DistArray)
                                       else got, expected, rtol=1e-5)
    if x.ndim:
        for fname in ("cumulative_sum", "cumulative_prod"):
            for initial in (False, True):
                got = getattr(xp, fname)(d, axis=x.ndim - 1, include_initial=initial)
                expected = getattr(np, fname)(x, axis=x.ndim - 1, include_initial=initial)
                np.testing.assert_allclose(got.toarray(), expected, rtol=1e-5)
                assert got.dtype == expected.dtype


def test_complex_parts_clip_and_round(ctx):
    x = np.array([[1.5 + 2j, -3.25 - 1j, 0.5j], [2.5, -0.5 + 7.75j, 4 - 4j]])
    d = ctx.fromarray(x, dist=("c", "b"))
    xp = array_api
    np.testing.assert_array_equal(xp.real(d).toarray(), x.real)
    np.testing.assert_array_equal(np.imag(d).toarray(), x.imag)
    assert d.real.dtype == np.float64
    r = np.round(d.real)
    np.testing.assert_array_equal(r.toarray(), np.round(x.real))
    np.testing.assert_array_equal(xp.clip(d.imag, min=-1, max=2).toarray(),
                                  np.clip(x.imag, -1, 2))
    d.real[0, :] = 10        # a view: writes reach the complex array
    d.imag = -d.imag         # setter
    expected = x.copy()
    expected.real[0, :] = 10
    expected.imag = -expected.imag
    np.testing.assert_array_equal(d.toarray(), expected)
    f = ctx.fromarray(x.real.copy())
    assert f.real is f
    np.testing.assert_array_equal(f.imag.toarray(), np.zeros_like(x.real))
    with pytest.raises(TypeError):
        f.imag = 1.0
