"""Helpers of the tests that compare DistArray functions with NumPy's."""

import numpy as np
import pytest

import distarray
from distarray import Distribution

from layouts import layout, sample


def make(ctx, name, dtype=np.float64, square=False):
    """``(DistArray, NumPy array)`` of layout ``name`` (``square``: non-linear values)."""
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = sample(shape, dtype)
    if square:
        x = x * x
    return ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)), x


def made(contexts, nworkers, name, dtype=np.float64):
    """``(DistArray, NumPy array)`` of the layout ``name`` on ``nworkers`` workers."""
    return make(contexts[nworkers], name, dtype)


def same(got, expected):
    """``got`` (a DistArray, or a list of them) has NumPy's shapes, dtypes and values."""
    if isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
        return
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.toarray(), expected)


def nothing_sent(ctx, error, call, *args, match=None):
    """``call(*args)`` raises ``error`` on the client, before any command is posted."""
    posted = ctx.pool.channel.posted
    with pytest.raises(error, match=match):
        call(*args)
    assert ctx.pool.channel.posted == posted
