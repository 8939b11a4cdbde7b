"""argwhere, take/put_along_axis, compress, extract, select, choose against NumPy."""

import re

import numpy as np
import pytest

from checks import made, nothing_sent, same
from layouts import sample

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (2, "1d-default-odd"), (3, "1d-empty"), (4, "1d-blockcyclic"),
         (3, "1d-unstructured"), (2, "1d-irregular"), (4, "2d-bc"), (1, "2d-cc"),
         (3, "2d-nb"), (4, "2d-empty-rows"), (2, "2d-more-procs-than-rows"), (3, "3d-cbc"),
         (4, "4d-default")]


def repeating(contexts, nworkers, name):
    """A layout's arrays, with repeated values, zeros and negatives."""
    d, x = made(contexts, nworkers, name)
    return d % 5 - 1, x % 5 - 1


@pytest.mark.parametrize("nworkers,name", CASES)
def test_argwhere_compress_extract(contexts, nworkers, name):
    d, x = repeating(contexts, nworkers, name)
    same(np.argwhere(d), np.argwhere(x))
    same(np.extract(d > 0, d), np.extract(x > 0, x))
    same(np.extract(d, d * 2), np.extract(x, x * 2))
    same(np.extract(np.ravel(x)[::2] < 1, d), np.extract(np.ravel(x)[::2] < 1, x))
    condition = np.arange(x.size) % 3 == 0
    same(np.compress(condition, d), np.compress(condition, x))
    if x.ndim:
        along = np.arange(x.shape[-1]) % 2 == 0
        same(np.compress(along, d, axis=-1), np.compress(along, x, axis=-1))
        distributed = contexts[nworkers].fromarray(along[:max(len(along) - 1, 0)], dist="c")
        same(np.compress(distributed, d, axis=-1), np.compress(along[:-1], x, axis=-1))


@pytest.mark.parametrize("nworkers,name", [c for c in CASES if c[1] != "0d"])
def test_take_and_put_along_axis(contexts, nworkers, name):
    d, x = repeating(contexts, nworkers, name)
    ctx = contexts[nworkers]
    for axis in {0, x.ndim - 1}:
        order = np.argsort(x, axis=axis, kind="stable")
        same(np.take_along_axis(d, order, axis), np.take_along_axis(x, order, axis))
        first = np.take(order, [0] if x.shape[axis] else [], axis=axis) - x.shape[axis]
        same(np.take_along_axis(d, ctx.fromarray(first), axis),
             np.take_along_axis(x, first, axis))
        d2, x2 = d.copy(), x.copy()
        np.put_along_axis(d2, ctx.fromarray(first), 9.5, axis)
        np.put_along_axis(x2, first, 9.5, axis)
        same(d2, x2)
        values = np.arange(first.size, dtype=np.int16).reshape(first.shape)
        np.put_along_axis(d2, first, ctx.fromarray(values), axis)
        np.put_along_axis(x2, first, values, axis)
        same(d2, x2)
    flat = np.arange(x.size)[::-2]
    same(np.take_along_axis(d, flat, None), np.take_along_axis(x, flat, None))
    np.put_along_axis(d, flat, -3, None)
    np.put_along_axis(x.reshape(-1), flat, -3, 0)  # NumPy changes a copy for axis=None
    same(d, x)


@pytest.mark.parametrize("nworkers,name", CASES)
def test_select_and_choose(contexts, nworkers, name):
    d, x = repeating(contexts, nworkers, name)
    ctx = contexts[nworkers]
    same(np.select([d > 0, d < 0], [d, d * 10]), np.select([x > 0, x < 0], [x, x * 10]))
    same(np.select([d > 1, x < 0], [np.int8(3), 2.5], default=d),
         np.select([x > 1, x < 0], [np.int8(3), 2.5], default=x))
    other = ctx.fromarray(-x)  # another layout
    same(np.select([d == 0], [other], np.nan), np.select([x == 0], [-x], np.nan))
    index = (np.abs(x) % 3).astype(np.intp)
    a = ctx.fromarray(index)
    same(np.choose(a, [d, other, 7]), np.choose(index, [x, -x, 7]))
    same(np.choose(index, [d, 1j, x]), np.choose(index, [x, 1j, x]))
    same(np.choose(a - 1, [d, other], mode="wrap"), np.choose(index - 1, [x, -x], mode="wrap"))
    same(np.choose(a + 1, [d, other], mode="clip"), np.choose(index + 1, [x, -x], mode="clip"))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_putmask_and_place(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    x = np.asarray(x)
    mask = np.arange(x.size).reshape(x.shape) % 3 == 1
    dmask = contexts[nworkers].fromarray(mask.ravel(), dist="c")
    for values in [5.0, [7.0, -8.0], [], -np.arange(x.size + 2.0)]:
        for m in [mask, dmask]:
            for v in [values, contexts[nworkers].fromarray(np.asarray(values))]:
                got, expected = d.copy(), x.copy()
                np.putmask(got, m, v)
                np.putmask(expected, mask, values)
                same(got, expected)
                if np.size(values) == 0 and mask.any():
                    continue  # ValueError (see test_errors)
                got, expected = d.copy(), x.copy()
                np.place(got, m, v)
                np.place(expected, mask, values)
                same(got, expected)
    same(np.broadcast_arrays(d, 2.0)[1], np.broadcast_arrays(x, 2.0)[1])
    assert np.broadcast_arrays(d, x)[0] is d  # as NumPy, an argument of the shape itself


def test_errors(contexts):
    ctx = contexts[3]
    x = np.arange(12.0).reshape(3, 4)
    d = ctx.fromarray(x)
    a, bad = ctx.fromarray(np.array([0, 1, 2])), ctx.fromarray(np.array([0, 3, 1, 2]))
    posted = ctx.pool.channel.posted
    with pytest.raises(ValueError, match="invalid entry"):
        np.choose(bad, [d, d, d])
    assert ctx.pool.channel.posted == posted + 1  # the query for the indices' extremes
    nothing_sent(ctx, ValueError, np.choose, [0, -1, 1, 2], [d, d, d], match="invalid entry")
    nothing_sent(ctx, ValueError, np.choose, a, [d, d, d], match="shape mismatch")
    nothing_sent(ctx, TypeError, np.choose, d, [d, d])
    nothing_sent(ctx, ValueError, np.choose, a, [np.zeros(2), np.zeros(3), d])
    nothing_sent(ctx, ValueError, np.select, [d > 1], [d, d])
    nothing_sent(ctx, ValueError, np.select, [], [])
    nothing_sent(ctx, TypeError, np.select, [d], [d])
    nothing_sent(ctx, ValueError, np.select, [np.ones(5, bool)], [d], match="shape mismatch")
    nothing_sent(ctx, ValueError, np.compress, [[True]], d)
    nothing_sent(ctx, IndexError, np.compress, [True] * 13, d)
    nothing_sent(ctx, IndexError, np.take_along_axis, d, np.zeros((3, 1)), 1)
    nothing_sent(ctx, ValueError, np.take_along_axis, d, np.zeros(3, int), 1)
    nothing_sent(ctx, IndexError, np.take_along_axis, d, np.full((3, 1), 4), 1)
    nothing_sent(ctx, ValueError, np.take_along_axis, d, np.zeros((3, 1), int), None)
    nothing_sent(ctx, ValueError, np.put_along_axis, d, np.zeros((3, 1), int), np.ones(2), 1)
    nothing_sent(ctx, ValueError, np.putmask, d, np.ones(5, bool), 1.0, match="same size")
    nothing_sent(ctx, ValueError, np.place, d, np.ones(5, bool), 1.0, match="same size")
    nothing_sent(ctx, ValueError, np.place, d, np.ones(12, bool), [], match="empty array")
    nothing_sent(ctx, TypeError, np.putmask, ctx.fromarray(np.arange(3)), [True] * 3,
                 np.ones(1))  # NumPy's 'safe' casting of an array of values
    nothing_sent(ctx, ValueError, np.broadcast_arrays, d, np.zeros(3))


def _check_partition(values, kths, axis):
    """``values`` (NumPy) is partitioned around each of ``kths`` along ``axis`` as NumPy's is."""
    values = np.moveaxis(values, axis, -1)
    for k in np.atleast_1d(kths) % max(values.shape[-1], 1):
        pivot = values[..., k:k + 1]
        assert np.all(values[..., :k] <= pivot) and np.all(values[..., k + 1:] >= pivot)


@pytest.mark.parametrize("nworkers,name", [c for c in CASES if c[1] != "0d"])
def test_partition(contexts, nworkers, name):
    d, x = repeating(contexts, nworkers, name)
    for axis in {0, -1, None}:
        n = x.size if axis is None else x.shape[axis]
        flat, along = (x.reshape(-1), -1) if axis is None else (x, axis)
        for kth in ([0, n - 1, -1, [n // 2, 0]] if n else [np.array([], int)]):
            got, expected = np.partition(d, kth, axis), np.partition(x, kth, axis)
            assert got.shape == expected.shape and got.dtype == expected.dtype
            _check_partition(got.toarray(), kth, along)
            kept = np.atleast_1d(kth) % max(n, 1)
            np.testing.assert_array_equal(np.take(got.toarray(), kept, along),
                                          np.take(expected, kept, along))
            order = np.argpartition(d, kth, axis)
            assert order.dtype == np.intp and order.shape == expected.shape
            _check_partition(np.take_along_axis(flat, order.toarray(), along), kth, along)
            np.testing.assert_array_equal(np.sort(order.toarray(), along),
                                          np.sort(np.argsort(flat, along), along))


def test_partition_errors(contexts):
    ctx = contexts[2]
    d = ctx.fromarray(np.arange(6.0)[::-1].copy())
    for kth in (6, -7, 1.0, True, [[1]]):
        with pytest.raises((TypeError, ValueError)) as numpy_error:
            np.partition(np.arange(6.0), kth)
        error = type(numpy_error.value)
        match = None if np.ndim(kth) > 1 else re.escape(str(numpy_error.value))
        nothing_sent(ctx, error, np.partition, d, kth, match=match)
        nothing_sent(ctx, error, np.argpartition, d, kth, match=match)
    nothing_sent(ctx, ValueError, np.partition, d, 1, -1, "quick")
    nothing_sent(ctx, np.exceptions.AxisError, np.partition, d, 1, 1)
    same(np.partition(d, 2), np.sort(np.arange(6.0)))


@pytest.mark.parametrize("dtype", [np.int8, np.uint32, np.float32, np.bool_])
def test_selection_dtypes(contexts, dtype):
    ctx = contexts[2]
    x = sample((5, 3), dtype)
    d = ctx.fromarray(x, dist=("c", "n"))
    index = np.arange(15).reshape(5, 3) % 2
    same(np.select([d == x[0, 0]], [np.int8(1)], x), np.select([x == x[0, 0]], [np.int8(1)], x))
    same(np.choose(ctx.fromarray(index), [d, x[::-1]]), np.choose(index, [x, x[::-1]]))
    same(np.extract(d, d), np.extract(x, x))
    same(np.take_along_axis(d, index, 1), np.take_along_axis(x, index, 1))
    got = np.partition(d, 2, axis=0)
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got.toarray()[2], np.partition(x, 2, axis=0)[2])
