"""ufunc.outer, ufunc.at and ufunc.reduceat against NumPy, across layouts and 1-4 workers."""

import numpy as np
import pytest

from distarray import Distribution

from layouts import layout, sample


def _distributed(ctx, name, dtype=np.float64):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = np.array(sample(shape, dtype))
    return x, ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))


def _at_keys(shape, rng):
    """Keys with repeated and negative indices, index arrays with slices, basic keys."""
    if not shape:
        return [()]
    n = shape[0]
    first = rng.integers(-n, n, 9) if n else np.empty(0, np.intp)
    keys = [first, slice(None, None, 2)] + ([(Ellipsis, -1)] if shape[-1] else [])
    if len(shape) >= 2:
        m = shape[1]
        second = rng.integers(-m, m, 9) if n and m else np.empty(0, np.intp)
        keys += [(first[:second.size], second), (first.reshape(3, -1), slice(1, None))]
    return keys


AT_LAYOUTS = ["0d", "1d-empty", "1d-blockcyclic", "1d-unstructured", "1d-irregular", "2d-bc",
              "2d-empty-cols", "2d-more-procs-than-rows", "3d-cbc"]


@pytest.mark.parametrize("name", AT_LAYOUTS)
def test_at_matches_numpy(ctx, name):
    x, d = _distributed(ctx, name)
    rng = np.random.default_rng(ctx.nworkers)
    for i, key in enumerate(_at_keys(x.shape, rng)):
        shape = x[key].shape
        cases = [(np.add, 2.5), (np.subtract, np.arange(np.prod(shape)).reshape(shape)),
                 (np.maximum, ctx.fromarray(sample(shape[1:]) * 0.5)), (np.negative, None)]
        for ufunc, values in cases[i % 2::2]:
            args = () if values is None else (values,)
            expected = x.copy()
            ufunc.at(expected, key, *(np.asarray(v) for v in args))
            ufunc.at(d, key, *args)
            np.testing.assert_array_equal(d.toarray(), expected, err_msg=str((ufunc, key)))
            x = expected


@pytest.mark.parametrize("dist", [("c",), ({"dist_type": "c", "block_size": 2},)])
def test_at_dtypes_and_indices(ctx, dist):
    # ufunc.at converts values to arrays (no NEP 50 weak scalars) and casts unsafely
    for dtype, values in ((np.int8, 1000), (np.uint8, -1), (np.float32, 0.1),
                          (np.int64, np.array([1.5, 2.5, 3.5]))):
        x = sample((11,), dtype)
        d = ctx.fromarray(x, dist=dist)
        np.add.at(x, [4, -7, 10], values)
        np.add.at(d, [4, -7, 10], values)
        np.testing.assert_array_equal(d.toarray(), x)
        assert d.dtype == x.dtype
    x = sample((11,))
    d = ctx.fromarray(x, dist=dist)
    mask = np.arange(11) % 3 == 0
    index = np.array([[1, 1], [10, -1]])
    for key, values in ((mask, 3.0), (ctx.fromarray(index), ctx.fromarray(np.ones((2, 2)))),
                        (slice(1, None, 3), np.arange(4.0)), (5, -1.0), (np.array(6), 2.0)):
        np.add.at(x, key.toarray() if hasattr(key, "toarray") else key,
                  values.toarray() if hasattr(values, "toarray") else values)
        np.add.at(d, key, values)
        np.testing.assert_array_equal(d.toarray(), x)


def test_at_errors(ctx):
    x = sample((4, 3))
    d = ctx.fromarray(x)
    cases = [(IndexError, np.add, [0, 4], 1), (IndexError, np.add, ([0], [-4]), 1),
             (IndexError, np.add, 1.0, 1), (IndexError, np.add, (0, 0, 0), 1),
             (ValueError, np.add, [0, 1], np.ones(4)),
             (ValueError, np.add, [0], np.ones((1, 1, 3))),
             (ValueError, np.add, slice(None), np.ones((3, 3))), (ValueError, np.add, [0], None),
             (ValueError, np.negative, [0], 1), (ValueError, np.divmod, [0], 1),
             (TypeError, np.add, [0], "x"), (TypeError, np.matmul, [0], 1)]
    for error, ufunc, key, values in cases:
        with pytest.raises(error):
            ufunc.at(x.copy(), key, *(() if values is None else (values,)))
        with pytest.raises(error):
            ufunc.at(d, key, *(() if values is None else (values,)))
    with pytest.raises(TypeError):
        np.add.at(x.copy(), [0], ctx.fromarray(np.ones(3)))
    np.testing.assert_array_equal(d.toarray(), x)


#: ``(layout, workers)`` of the outer and reduceat tests: each layout on one worker count.
PAIRED = [("0d", 2), ("1d-empty", 3), ("1d-single", 4), ("1d-cyclic", 3), ("1d-unstructured", 4),
          ("1d-irregular", 2), ("2d-bc", 4), ("2d-empty-cols", 2), ("3d-cbc", 3), ("2d-nb", 1)]


@pytest.mark.parametrize("name, nworkers", PAIRED, ids=str)
def test_outer(contexts, name, nworkers):
    ctx = contexts[nworkers]
    x, d = _distributed(ctx, name)
    y = np.arange(-2, 3, dtype=np.int8)
    e = ctx.fromarray(y)
    for ufunc, a, b, xa, xb in ((np.subtract, d, y, x, y), (np.multiply, y, d, y, x),
                                (np.maximum, d, e, x, y), (np.greater, e, d, y, x),
                                (np.add, e, 1000, y, 1000)):
        expected = ufunc.outer(xa, xb)
        got = ufunc.outer(a, b)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_array_equal(got.toarray(), expected)
    out = ctx.zeros(x.shape + y.shape, np.float32)
    assert np.multiply.outer(d, e, out=out) is out
    np.testing.assert_array_equal(out.toarray(), np.multiply.outer(x, y).astype(np.float32))
    with pytest.raises(ValueError):
        np.negative.outer(d, e)
    with pytest.raises(ValueError):
        np.add.outer(d, e, out=ctx.zeros((2,)))


@pytest.mark.parametrize("name, nworkers", PAIRED[1:], ids=str)
def test_reduceat(contexts, name, nworkers):
    ctx = contexts[nworkers]
    x, d = _distributed(ctx, name)
    rng = np.random.default_rng(ctx.nworkers)
    for axis in range(x.ndim):
        n = x.shape[axis]
        cases = [(np.add, np.empty(0, np.intp), {})]
        if n:
            cases += [(np.add, rng.integers(0, n, 6), {}),  # unsorted: repeats, steps back
                      (np.maximum, np.arange(n)[::-1], {}), (np.subtract, [n - 1, 0], {}),
                      (np.multiply, [0], {"dtype": np.float32})]
        for ufunc, indices, kwargs in cases:
            expected = ufunc.reduceat(x, indices, axis=axis, **kwargs)
            got = ufunc.reduceat(d, indices, axis=axis, **kwargs)
            assert got.shape == expected.shape and got.dtype == expected.dtype
            np.testing.assert_allclose(got.toarray(), expected, rtol=1e-6)


def test_reduceat_dtypes_out_and_errors(ctx):
    x = sample((9, 4), np.int8)
    d = ctx.fromarray(x, dist=("c", "n"))
    indices = [0.5, 3, 3, 8]  # cast to integers, as NumPy does
    got = np.add.reduceat(d, indices)
    assert got.dtype == np.add.reduceat(x, indices).dtype
    np.testing.assert_array_equal(got.toarray(), np.add.reduceat(x, indices))
    np.testing.assert_array_equal(np.add.reduceat(d, [2, 1], axis=(1,)).toarray(),
                                  np.add.reduceat(x, [2, 1], axis=(1,)))
    for dtype in (np.int8, np.float32):  # out= sets the loop's dtype
        out = ctx.zeros((9, 2), dtype)
        assert np.add.reduceat(d, [1, 0], axis=-1, out=out) is out
        np.testing.assert_array_equal(out.toarray(), np.add.reduceat(
            x, [1, 0], axis=-1, out=np.zeros((9, 2), dtype)))
    out = ctx.zeros(1, np.int64)
    np.divide.reduceat(ctx.arange(1, 5), [0], out=out)
    np.testing.assert_array_equal(out.toarray(), np.divide.reduceat(
        np.arange(1, 5), [0], out=np.zeros(1, np.int64)))
    for error, ufunc, args, kwargs in [(IndexError, np.add, ([0, 9],), {}),
                                       (IndexError, np.add, ([-1],), {}),
                                       (ValueError, np.add, ([[0]],), {}),
                                       (ValueError, np.add, (0,), {}),
                                       (ValueError, np.negative, ([0],), {}),
                                       (np.exceptions.AxisError, np.add, ([0],), {"axis": 2}),
                                       (ValueError, np.add, ([0],), {"axis": None}),
                                       (TypeError, np.add, ([0],), {"dtype": "U1"})]:
        with pytest.raises(error):
            ufunc.reduceat(x, *args, **kwargs)
        with pytest.raises(error):
            ufunc.reduceat(d, *args, **kwargs)
    with pytest.raises(TypeError):
        np.add.reduceat(ctx.fromarray(np.array(1.0)), [0])
    with pytest.raises(ValueError):
        np.add.reduceat(d, [0], out=ctx.zeros((2, 4)))
    with pytest.raises(TypeError, match="out= must be a DistArray"):  # as the other methods
        np.add.reduceat(d, [0], out=np.zeros((1, 4), np.int8))
