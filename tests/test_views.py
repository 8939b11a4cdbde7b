"""trim_zeros, unstack and array_equiv of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray
from distarray import array_api

from checks import made, nothing_sent, same

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (4, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (2, "1d-irregular"), (2, "2d-bc"), (4, "2d-nb"), (3, "3d-cbc")]


def framed(contexts, nworkers, name, dtype):
    """``(DistArray, NumPy array)`` of layout ``name``: zeros around a nonzero middle."""
    d, x = made(contexts, nworkers, name, dtype)
    keep = np.zeros(x.shape, bool)
    keep[tuple(slice(1, -1) if n > 2 else slice(None) for n in x.shape)] = True
    if x.ndim > 1:
        keep[(slice(None),) * (x.ndim - 1) + (slice(None, None, 2),)] = False
    x = np.where(keep, x, 0).astype(dtype)
    return contexts[nworkers].fromarray(x, distribution=d.distribution), x


@pytest.mark.parametrize("nworkers,name", CASES)
def test_trim_zeros(contexts, nworkers, name):
    dtype = (np.float64, np.int8, np.complex64, np.bool_)[CASES.index((nworkers, name)) % 4]
    d, x = framed(contexts, nworkers, name, dtype)
    for trim in ("fb", "F", "b"):
        same(np.trim_zeros(d, trim), np.trim_zeros(x, trim))
    if x.ndim:
        same(np.trim_zeros(d, "f", axis=-1), np.trim_zeros(x, "f", axis=-1))
        zeros = d * 0
        same(np.trim_zeros(zeros, "b", axis=0), np.trim_zeros(x * 0, "b", axis=0))
    else:
        assert np.trim_zeros(d) is d


def test_trim_zeros_gives_a_view_and_checks_first(ctx):
    x = np.array([0, 0, 3, 0, 5, 0.0])
    d = ctx.fromarray(x, dist="c")
    trimmed = np.trim_zeros(d)
    trimmed[0] = 7
    assert d[2] == 7
    nothing_sent(ctx, ValueError, np.trim_zeros, d, "x")
    nothing_sent(ctx, np.exceptions.AxisError, lambda: np.trim_zeros(d, axis=1))
    assert distarray.trim_zeros([0, 1, 0]) == [1]


@pytest.mark.parametrize("nworkers,name", CASES)
def test_unstack(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    if x.ndim == 0:
        nothing_sent(contexts[nworkers], ValueError, np.unstack, d)
        return
    for axis in range(-x.ndim, x.ndim):
        got, expected = np.unstack(d, axis=axis), np.unstack(x, axis=axis)
        assert isinstance(got, tuple)
        if x.ndim == 1:  # NumPy scalars
            assert got == expected and {type(g) for g in got} <= {x.dtype.type}
        else:
            same(list(got), list(expected))
    assert len(array_api.unstack(d, axis=-1)) == x.shape[-1]
    nothing_sent(contexts[nworkers], np.exceptions.AxisError, lambda: np.unstack(d, axis=x.ndim))



@pytest.mark.parametrize("nworkers", [1, 3])
def test_array_equiv(contexts, nworkers):
    ctx = contexts[nworkers]
    x = np.arange(12.0).reshape(3, 4) % 4
    d = ctx.fromarray(x, dist=("c", "b"))
    row = ctx.fromarray(x[1:2])
    for a, b in ((d, x), (d, x[0]), (d, row), (row, d), (d, d + 1), (d, x[:, :1]),
                 (d, x.T), (d, np.zeros(0)), (d, ctx.fromarray(x[1])), (d, "text")):
        assert np.array_equiv(a, b) == np.array_equiv(np.asarray(a), np.asarray(b))
    nan = ctx.fromarray(np.array([1.0, np.nan]))
    assert np.array_equiv(nan, nan) is False
    assert distarray.array_equiv([1, 1], 1) is True


@pytest.mark.parametrize("nworkers,name", CASES)
def test_shares_memory_asks_each_worker_about_its_pieces(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name, np.float64)
    x = np.array(x)  # an array even when 0-d
    views = [(d, x), (d[...], x[...]), (d.T, x.T), (d.copy(), x.copy())]
    if x.ndim and x.shape[0] > 1:
        views += [(d[1:], x[1:]), (d[:1], x[:1])]
    for first, a in views:
        for second, b in views:
            assert np.shares_memory(first, second) == np.shares_memory(a, b)
            assert np.may_share_memory(first, second) == np.may_share_memory(a, b)
    assert not np.shares_memory(d, x) and not np.may_share_memory(x, d)
    assert np.common_type(d, np.float32(1)) is np.common_type(x, np.float32(1))
