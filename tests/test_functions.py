"""where, clip, round, nan_to_num, isclose, allclose, array_equal against NumPy."""

import numpy as np
import pytest

import distarray
from distarray import Distribution

from layouts import layout, sample

NAMES = ["0d", "1d-default-odd", "1d-empty", "1d-unstructured", "2d-bc", "2d-cc", "3d-cbc"]


def make(ctx, name, values=None):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    x = sample(shape) if values is None else values(shape)
    return ctx.fromarray(x, distribution), x


def same(got, expected):
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.toarray(), expected)


@pytest.mark.parametrize("name", NAMES)
def test_where_three_arguments(ctx, name):
    d, x = make(ctx, name)
    other = ctx.fromarray(-x, dist=None)  # another layout, brought over
    same(np.where(d > 0, d, other), np.where(x > 0, x, -x))
    same(distarray.where(d > 0, d, 0), np.where(x > 0, x, 0))
    same(np.where(x > 0, 1, d), np.where(x > 0, 1, x))  # NumPy condition
    same(np.where(d > 0, np.int8(1), np.int8(0)), np.where(x > 0, np.int8(1), np.int8(0)))
    if x.ndim == 2:
        row = x[0] > 0
        same(np.where(ctx.fromarray(row), d, 2.5), np.where(row, x, 2.5))


def test_where_one_argument_and_errors(ctx):
    x = np.array([0.0, 1.5, 0.0, -2.0, 3.0, 0.0])
    d = ctx.fromarray(x, dist="c")
    found = np.where(d)  # nonzero
    assert len(found) == 1
    np.testing.assert_array_equal(found[0].toarray(), np.where(x)[0])
    with pytest.raises(ValueError, match="both or neither"):
        distarray.where(d, d)
    condition = d > 1
    posted = ctx.pool.channel.posted
    with pytest.raises(ValueError):
        np.where(condition, d, np.ones(4))
    assert ctx.pool.channel.posted == posted
    assert np.array_equal(distarray.where([True, False], 1, 2), [1, 2])  # NumPy input


@pytest.mark.parametrize("name", NAMES)
def test_clip(ctx, name):
    d, x = make(ctx, name)
    same(np.clip(d, -3, 10), np.clip(x, -3, 10))
    same(d.clip(0.5), x.clip(0.5))
    same(d.clip(max=2), x.clip(max=2))
    same(distarray.clip(d, None, 1), np.clip(x, None, 1))
    same(np.clip(d, a_min=ctx.fromarray(x * 0.5, dist=None), a_max=20.0),
         np.clip(x, x * 0.5, 20.0))
    out = ctx.zeros(x.shape, distribution=d.distribution)
    assert np.clip(d, 0, 1, out=out) is out
    np.testing.assert_array_equal(out.toarray(), np.clip(x, 0, 1))


def test_clip_integer_bounds_and_errors(ctx):
    x = np.arange(-5, 6, dtype=np.int8)
    d = ctx.fromarray(x)
    same(np.clip(d, -1000, 3), np.clip(x, -1000, 3))
    same(np.clip(d, None, None), np.clip(x, None, None))
    with pytest.raises(ValueError, match="forbidden"):
        np.clip(d, 0, 1, min=0)


@pytest.mark.parametrize("name", NAMES)
def test_round(ctx, name):
    d, x = make(ctx, name, lambda shape: sample(shape) * 1.2345 + 0.5)
    for decimals in (0, 1, 3, -1):
        same(np.round(d, decimals), np.round(x, decimals))
        same(np.around(d, decimals), np.around(x, decimals))
        same(d.round(decimals), x.round(decimals))
    i = ctx.fromarray(np.arange(-50, 50, 7))
    same(distarray.round(i, -1), np.round(np.arange(-50, 50, 7), -1))
    out = ctx.zeros(x.shape, distribution=d.distribution)
    assert np.round(d, 1, out=out) is out
    np.testing.assert_array_equal(out.toarray(), np.round(x, 1))


def test_nan_to_num(ctx):
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -2.0, np.nan, 3.0])
    d = ctx.fromarray(x, dist="c")
    same(np.nan_to_num(d), np.nan_to_num(x))
    same(np.nan_to_num(d, nan=-1.0, posinf=9.0, neginf=-9.0),
         np.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0))
    c = x.astype(complex)
    c.imag = x[::-1]
    same(np.nan_to_num(ctx.fromarray(c)), np.nan_to_num(c))
    same(np.nan_to_num(ctx.fromarray(np.arange(5))), np.arange(5))
    result = np.nan_to_num(d, copy=False)
    assert result is d
    np.testing.assert_array_equal(d.toarray(), np.nan_to_num(x))


@pytest.mark.parametrize("name", NAMES)
def test_isclose_allclose_array_equal(ctx, name):
    d, x = make(ctx, name)
    y = x + 1e-9 * np.abs(x)
    dy = ctx.fromarray(y, dist=None)
    same(np.isclose(d, dy), np.isclose(x, y))
    same(np.isclose(d, y, rtol=0, atol=0), np.isclose(x, y, rtol=0, atol=0))
    assert distarray.allclose(d, dy) is np.allclose(x, y) is True
    assert np.allclose(d, y, rtol=0, atol=0) is np.allclose(x, y, rtol=0, atol=0)
    assert np.array_equal(d, x) is True
    assert np.array_equal(d, dy) is bool(np.array_equal(x, y))
    assert distarray.array_equal(d, d.copy()) is True


def test_nan_handling_and_broadcasting(ctx):
    x = np.array([[1.0, np.nan, 3.0], [np.inf, 5.0, np.nan]])
    y = np.array([1.0, np.nan, 3.0 + 1e-6])
    d = ctx.fromarray(x, dist=("c", "b"))
    for equal_nan in (False, True):
        same(np.isclose(d, y, equal_nan=equal_nan), np.isclose(x, y, equal_nan=equal_nan))
        assert np.allclose(d, x, equal_nan=equal_nan) is np.allclose(x, x, equal_nan=equal_nan)
        assert np.array_equal(d, x, equal_nan=equal_nan) is np.array_equal(
            x, x, equal_nan=equal_nan)
    assert np.isclose(ctx.fromarray(np.array(np.inf)), np.inf).toarray()
    posted = ctx.pool.channel.posted
    assert np.array_equal(d, np.ones((3, 2))) is False  # shapes differ: nothing sent
    assert ctx.pool.channel.posted == posted
    i = ctx.fromarray(np.arange(6).reshape(2, 3))
    assert np.array_equal(i, np.arange(6).reshape(2, 3), equal_nan=True) is True
    assert np.allclose(i, i.astype(np.float32)) is True
    with pytest.raises(ValueError):
        np.isclose(d, np.ones(4))
