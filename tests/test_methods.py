"""ndarray methods that DistArray offers beside its NumPy functions, against NumPy."""

import numpy as np
import pytest

from distarray import Distribution

from checks import same
from layouts import layout

NAMES = ["1d-default-odd", "1d-cyclic", "1d-unstructured", "2d-bc", "2d-nb", "2d-cc", "3d-cbc"]


def shuffled(ctx, name, dtype=np.float64):
    """``(DistArray, NumPy array)`` of layout ``name`` holding distinct values in no order."""
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = np.random.default_rng(3).permutation(int(np.prod(shape))).reshape(shape).astype(dtype)
    return ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)), x


@pytest.mark.parametrize("name", NAMES)
def test_in_place_sort_and_partition(ctx, name):
    d, x = shuffled(ctx, name)
    for axis in range(-1, x.ndim):
        got, expected = d.copy(), x.copy()
        assert got.sort(axis=axis) is None
        expected.sort(axis=axis)
        same(got, expected)
        kth = x.shape[axis] // 2
        got, expected = d.copy(), x.copy()
        assert got.partition(kth, axis=axis) is None
        expected.partition(kth, axis=axis)
        np.testing.assert_array_equal(np.take(got.toarray(), kth, axis),
                                      np.take(expected, kth, axis))
        np.testing.assert_array_equal(np.sort(got.toarray(), axis), np.sort(x, axis))


@pytest.mark.parametrize("name", NAMES)
def test_methods_delegating_to_functions(ctx, name):
    d, x = shuffled(ctx, name)
    same(d.argsort(axis=0), x.argsort(axis=0))
    kth = x.shape[-1] // 2
    parts = d.argpartition(kth).toarray()
    np.testing.assert_array_equal(np.take_along_axis(x, parts, -1)[..., kth],
                                  np.take_along_axis(x, x.argpartition(kth), -1)[..., kth])
    mask = np.arange(x.shape[0]) % 3 == 1
    same(d.compress(mask, axis=0), x.compress(mask, axis=0))
    same(d.conj(), x.conj())
    same((d + 2j).conjugate(), (x + 2j).conjugate())
    assert d.tobytes() == x.tobytes() and d.T.tobytes("F") == x.T.tobytes("F")
    if x.ndim >= 2:
        same(d.mT, x.mT)
        np.testing.assert_allclose(np.asarray(d.trace(1)), x.trace(1))
    if x.ndim == 1:
        ordered = ctx.fromarray(np.sort(x))
        found = ordered.searchsorted(ctx.fromarray(np.array([-1, 2.5, 4])))
        same(found, np.sort(x).searchsorted([-1, 2.5, 4]))
        assert d.dot(d) == x.dot(x)
        same((d % 2).astype(int).choose([10, 20]), (x % 2).astype(int).choose([10, 20]))
    else:
        with pytest.raises(ValueError):
            ctx.fromarray(x.ravel()).mT  # noqa: B018


@pytest.mark.parametrize("name", NAMES + ["0d", "1d-empty"])
def test_flat_reads_writes_and_iterates_like_numpy(ctx, name):
    d, x = shuffled(ctx, name)
    x = np.array(x)
    flat = d.flat
    assert len(flat) == x.size and flat.base is d
    np.testing.assert_array_equal(np.asarray(flat), x.ravel())
    assert list(flat) == list(x.flat)
    if not x.size:
        return
    assert flat[x.size - 1] == x.flat[x.size - 1] and flat[-1] == x.flat[-1]
    assert type(flat[0]) is type(x.flat[0])
    with pytest.raises(IndexError, match="out of bounds"):
        flat[x.size]
    mask = x.ravel() % 3 == 1
    for key in [slice(1, None, 3), [0, x.size - 1, 0], mask, Ellipsis]:
        same(flat[key], x.flat[key])
    same(flat[ctx.fromarray(mask)], x.flat[mask])
    for key, value in [(0, -1), (slice(None, None, 2), [-2, -3]), ([x.size - 1, 0], -4),
                       (~mask, [-5, -6, -7]), (slice(1, 3), [8, 9, 10, 11])]:
        flat[key] = value
        x.flat[key] = value
        np.testing.assert_array_equal(d.toarray(), x)
    flat[ctx.fromarray(x.ravel() > 3)] = 0
    x.flat[x.ravel() > 3] = 0
    np.testing.assert_array_equal(d.toarray(), x)
