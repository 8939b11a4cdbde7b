"""Shape manipulation against NumPy, across layouts and 1-4 workers."""

import itertools
import math
import re
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import distarray
from distarray import Distribution
from distarray.api import shape as shape_api

from layouts import GRIDS_ON_4, LAYOUT_IDS, layout, sample

#: A subset of the layouts for the costlier functions (every distribution type).
SOME_LAYOUTS = ["0d", "1d-default-odd", "1d-empty", "1d-blockcyclic", "1d-unstructured",
                "2d-bc", "2d-cc", "2d-nb", "2d-empty-cols", "3d-cbc", "4d-default"]


def _cases(names, counts=2):
    """``(nworkers, layout)`` pairs: each layout on ``counts`` worker counts, all used."""
    return [(n, name) for i, name in enumerate(names)
            for n in sorted({(i + 3 - 2 * k) % 4 + 1 for k in range(counts)})]


ALL_CASES = _cases(LAYOUT_IDS)
EACH_ONCE = _cases(LAYOUT_IDS, 1)
SOME_CASES = _cases(SOME_LAYOUTS)


def _made(ctx, name, dtype=np.float64):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = np.asarray(sample(shape, dtype))
    return x, ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))


def _equal(got, expected):
    if isinstance(got, (tuple, list)):
        assert isinstance(expected, (tuple, list)) and len(got) == len(expected)
        for g, e in zip(got, expected):
            _equal(g, e)
        return
    assert isinstance(got, distarray.DistArray), type(got)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_array_equal(got.toarray(), expected)


def _shares_memory(parent, child, key, value=-12345.0):
    """Write through ``child[key]`` and check the parent sees it."""
    child[key] = value
    assert value in parent.toarray()


def _unstructured(ctx, shape):
    """A 2-D array whose axis 0 is unstructured (made with from_global_dim_data)."""
    order = np.random.default_rng(3).permutation(shape[0])
    n = ctx.nworkers
    dims = [{"dist_type": "u", "size": shape[0], "proc_grid_size": n,
             "indices": [order[r::n] for r in range(n)]}, {"dist_type": "n", "size": shape[1]}]
    x = sample(shape)
    return x, ctx.fromarray(x, Distribution.from_global_dim_data(ctx, dims))


# -- views ------------------------------------------------------------------------------
@pytest.mark.parametrize("nworkers,name", EACH_ONCE)
def test_axis_permutations(contexts, nworkers, name):
    x, d = _made(contexts[nworkers], name)
    _equal(d.T, x.T)
    _equal(np.transpose(d), np.transpose(x))
    if x.ndim >= 2:
        perm = tuple(range(1, x.ndim)) + (0,)
        _equal(d.transpose(*perm), x.transpose(*perm))
        _equal(np.swapaxes(d, 0, -1), np.swapaxes(x, 0, -1))
        _equal(np.moveaxis(d, [0, 1], [-1, 0]), np.moveaxis(x, [0, 1], [-1, 0]))
        for axis, start in ((-1, 0), (0, x.ndim), (1, 1), (0, 1)):
            _equal(np.rollaxis(d, axis, start), np.rollaxis(x, axis, start))
        assert np.shares_memory(d, np.rollaxis(d, -1)) == np.shares_memory(x, np.rollaxis(x, -1))
        assert d.T.grid_shape == d.grid_shape[::-1]
    if x.size:
        t = d.T
        t[(0,) * x.ndim] = -99.0
        x.T[(0,) * x.ndim] = -99.0
        np.testing.assert_array_equal(d.toarray(), x)


@pytest.mark.parametrize("shape,dist,grid_shape", GRIDS_ON_4)
def test_transposed_grids_on_4(contexts, shape, dist, grid_shape):
    ctx = contexts[4]
    x = sample(shape)
    d = ctx.fromarray(x, dist=dist, grid_shape=grid_shape)
    perm = tuple(range(len(shape)))[::-1]
    t = d.transpose(perm)
    assert t.grid_shape == grid_shape[::-1] and t.localshapes() == [
        s[::-1] for s in (d.distribution.localshapes()[d.targets.index(r)] for r in t.targets)]
    _equal(t, x.transpose(perm))
    _equal(np.moveaxis(d, 0, -1), np.moveaxis(x, 0, -1))
    _equal(t.reshape(-1), x.transpose(perm).reshape(-1))
    _shares_memory(d, t, (1,) * len(shape))


@pytest.mark.parametrize("nworkers,name", EACH_ONCE)
def test_squeeze_expand_dims_flip(contexts, nworkers, name):
    x, d = _made(contexts[nworkers], name)
    _equal(np.squeeze(d), np.squeeze(x))
    _equal(np.expand_dims(d, 0), np.expand_dims(x, 0))
    _equal(np.expand_dims(d, (0, -1)), np.expand_dims(x, (0, -1)))
    _equal(np.flip(d), np.flip(x))
    _equal(distarray.atleast_3d(d), np.atleast_3d(x))
    if x.ndim:
        _equal(np.flip(d, -1), np.flip(x, -1))
        _equal(np.flipud(d), np.flipud(x))
    ones = [a for a, n in enumerate(x.shape) if n == 1]
    if ones:
        _equal(d.squeeze(ones[0]), x.squeeze(ones[0]))
    if x.size:
        _shares_memory(d, np.flip(np.expand_dims(d, 0)), (0,) * (x.ndim + 1))


def test_squeeze_distributed_length_one_axis(contexts):
    ctx = contexts[4]
    x = sample((1, 6, 1))
    d = ctx.fromarray(x, dist=("b", "b", "c"), grid_shape=(2, 2, 1))
    s = np.squeeze(d)
    _equal(s, x.squeeze())
    assert len(s.targets) == 2
    _shares_memory(d, s, 3)


# -- reshape ----------------------------------------------------------------------------
def _reshape_targets(shape):
    size = math.prod(shape)
    targets = [(-1,), shape[::-1], (1,) + shape]
    if size and size % 2 == 0:
        targets += [(2, -1), (-1, 2, 1)]
    if size and size % 3 == 0:
        targets += [(3, 1, -1)]
    return targets


@pytest.mark.parametrize("nworkers,name", ALL_CASES)
def test_reshape_and_ravel(contexts, nworkers, name):
    x, d = _made(contexts[nworkers], name)
    for shape in _reshape_targets(x.shape):
        _equal(d.reshape(shape), x.reshape(shape))
    _equal(d.reshape(*x.shape[::-1]) if x.ndim else d.reshape(()), x.reshape(x.shape[::-1]))
    _equal(np.reshape(d, (-1,), order="F"), np.reshape(x, (-1,), order="F"))
    _equal(np.ravel(d), np.ravel(x))
    _equal(d.ravel("F"), x.ravel("F"))
    _equal(d.flatten(), x.flatten())


def test_reshape_views_where_free(contexts):
    ctx = contexts[3]
    x = sample((6, 4, 2))
    d = ctx.fromarray(x, dist="b")  # rows 0-1, 2-3, 4-5
    merged = d.reshape(6, 8)  # trailing axes regrouped in place
    _equal(merged, x.reshape(6, 8))
    _shares_memory(d, merged, (5, 7), -1.0)
    rows = d.reshape(12, 4)  # row boundaries 4, 8 fall on rows of 4
    _equal(rows, d.toarray().reshape(12, 4))
    assert rows.localshapes() == [(4, 4), (4, 4), (4, 4)]
    _shares_memory(d, rows, (0, 0), -2.0)
    flat = d.ravel()
    _shares_memory(d, flat, 47, -3.0)
    flat2 = d.flatten()
    flat2[0] = 1e9
    assert 1e9 not in d.toarray()
    with pytest.raises(ValueError, match="Unable to avoid creating a copy"):
        d.reshape((4, 12), copy=False)  # not a row boundary: would move data
    copied = d.reshape((12, 4), copy=True)
    copied[...] = 0
    assert d.toarray().any()
    _equal(d.reshape(4, 12), d.toarray().reshape(4, 12))


def test_reshape_unstructured(ctx):
    x, d = _unstructured(ctx, (7, 4))
    for shape in [(28,), (4, 7), (7, 2, 2), (2, 14)]:
        _equal(d.reshape(shape), x.reshape(shape))
    _equal(d.T.reshape(-1), x.T.reshape(-1))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), nworkers=st.integers(1, 4),
       dist=st.sampled_from(["b", "c", ("b", "c"), ("c", "b"), ("n", "b"), None]))
def test_property_reshape_matches_numpy(contexts, data, nworkers, dist):
    ctx = contexts[nworkers]
    shape = tuple(data.draw(st.lists(st.integers(0, 5), min_size=2, max_size=3)))
    size = math.prod(shape)
    factors = data.draw(st.lists(st.integers(1, 4), max_size=3))
    new, rest = [], size
    for f in factors:
        if rest and rest % f == 0:
            new.append(f)
            rest //= f
    new.insert(data.draw(st.integers(0, len(new))), rest if size else 0)
    if data.draw(st.booleans()) and size:
        new[data.draw(st.integers(0, len(new) - 1))] = -1 if new.count(-1) == 0 else 1
    new = tuple(new)
    try:
        expected = sample(shape).reshape(new)
    except ValueError as error:
        d = ctx.fromarray(sample(shape), dist=dist)
        with pytest.raises(ValueError, match=re.escape(str(error))):
            d.reshape(new)
        return
    d = ctx.fromarray(sample(shape), dist=dist)
    _equal(d.reshape(new), expected)
    _equal(d.T.reshape(new[::-1]), sample(shape).T.reshape(new[::-1]))


# -- joining and splitting --------------------------------------------------------------
@pytest.mark.parametrize("nworkers,dists", [
    (1, (None, ("c", "b"))), (4, (None, ("c", "b"))), (2, (("n", "c"), "b")),
    (3, (("n", "c"), "b")), (3, (({"dist_type": "c", "block_size": 2}, "n"), None))])
def test_concatenate_and_stacks(contexts, nworkers, dists):
    ctx = contexts[nworkers]
    x = sample((5, 4))
    y = sample((3, 4)) + 100
    dx = ctx.fromarray(x, dist=dists[0])
    dy = ctx.fromarray(y, dist=dists[1])
    _equal(np.concatenate([dx, dy]), np.concatenate([x, y]))
    _equal(np.concatenate([dx.T, y.T, dy.T], axis=1), np.concatenate([x.T, y.T, y.T], axis=1))
    _equal(np.concatenate([dx, dy], axis=None), np.concatenate([x, y], axis=None))
    _equal(np.concatenate([dx, y.astype(np.int32)], dtype=np.float32),
           np.concatenate([x, y.astype(np.int32)], dtype=np.float32))
    _equal(np.concatenate([dx[:0], dy]), np.concatenate([x[:0], y]))
    _equal(np.stack([dx, x, dx]), np.stack([x, x, x]))
    _equal(np.stack([dy, y], axis=-1), np.stack([y, y], axis=-1))
    _equal(np.hstack([dx, x]), np.hstack([x, x]))
    _equal(np.hstack([dx[0], dy[1], [1.0, 2.0]]), np.hstack([x[0], y[1], [1.0, 2.0]]))
    _equal(np.vstack([dx, dy, y[0]]), np.vstack([x, y, y[0]]))
    _equal(np.vstack([dx[0], dy[0]]), np.vstack([x[0], y[0]]))
    _equal(np.dstack([dx, x]), np.dstack([x, x]))
    out = ctx.zeros((8, 4))
    assert np.concatenate([dx, dy], out=out) is out
    _equal(out, np.concatenate([x, y]))


@pytest.mark.parametrize("nworkers,name", SOME_CASES)
def test_split(contexts, nworkers, name):
    x, d = _made(contexts[nworkers], name)
    if not x.ndim:
        return
    n = x.shape[0]
    for ios in [3, [1, 4, 2], [-2]]:
        _equal(np.array_split(d, ios), np.array_split(x, ios))
    if n % 2 == 0:
        _equal(np.split(d, 2), np.split(x, 2))
    if x.ndim > 1:
        _equal(np.array_split(d, 2, axis=-1), np.array_split(x, 2, axis=-1))


def test_split_parts_are_views(ctx):
    x = sample((7, 5))
    d = ctx.fromarray(x, dist=("b", "b") if ctx.nworkers == 4 else "b")
    parts = np.array_split(d, 3)
    _equal(parts, np.array_split(x, 3))
    parts[1][0, 0] = -1.0
    parts[2][...] = 5.0
    x[3, 0] = -1.0
    x[5:] = 5.0
    np.testing.assert_array_equal(d.toarray(), x)


# -- moving data along axes -------------------------------------------------------------
@pytest.mark.parametrize("nworkers,name", SOME_CASES)
def test_roll_tile_repeat_pad(contexts, nworkers, name):
    x, d = _made(contexts[nworkers], name)
    _equal(np.roll(d, 3), np.roll(x, 3))
    _equal(np.roll(d, -13), np.roll(x, -13))
    _equal(np.tile(d, 2), np.tile(x, 2))
    _equal(np.tile(d, (2, 1, 3)), np.tile(x, (2, 1, 3)))
    _equal(np.repeat(d, 2), np.repeat(x, 2))
    _equal(np.pad(d, 2), np.pad(x, 2))
    _equal(np.pad(d, 1, constant_values=7.5), np.pad(x, 1, constant_values=7.5))
    if x.size:
        _equal(np.pad(d, (1, 6), mode="edge"), np.pad(x, (1, 6), mode="edge"))
        _equal(np.pad(d, (7, 2), mode="wrap"), np.pad(x, (7, 2), mode="wrap"))
        _equal(np.pad(d, (9, 2), mode="reflect"), np.pad(x, (9, 2), mode="reflect"))
        _equal(np.pad(d, (1, 8), mode="symmetric"), np.pad(x, (1, 8), mode="symmetric"))
        for mode in ("reflect", "symmetric"):
            _equal(np.pad(d, (9, 2), mode=mode, reflect_type="odd"),
                   np.pad(x, (9, 2), mode=mode, reflect_type="odd"))
    if x.ndim >= 2:
        _equal(np.roll(d, (1, -2), axis=(0, -1)), np.roll(x, (1, -2), axis=(0, -1)))
        _equal(np.roll(d, [2, 3], axis=[1, 1]), np.roll(x, [2, 3], axis=[1, 1]))
        widths = [(1, 0)] * (x.ndim - 1) + [(2, 3)]
        values = [(-1, -2)] * (x.ndim - 1) + [(-3, -4)]
        _equal(np.pad(d, widths, constant_values=values), np.pad(x, widths, constant_values=values))
        if x.size:
            _equal(np.pad(d, widths, mode="wrap"), np.pad(x, widths, mode="wrap"))
            _equal(np.pad(d, widths, mode="reflect"), np.pad(x, widths, mode="reflect"))
    unmoved = np.roll(d, 0)  # every cell stays on its worker: still a new array
    unmoved[...] = 1.0
    np.testing.assert_array_equal(d.toarray(), x)
    if x.ndim:
        reps = np.arange(x.shape[-1]) % 3
        _equal(np.repeat(d, reps, axis=-1), np.repeat(x, reps, axis=-1))
        _equal(d.repeat(3, axis=0), x.repeat(3, axis=0))


@pytest.mark.parametrize("nworkers,name", _cases(["0d", "1d-blockcyclic", "2d-bc",
                                                   "2d-empty-rows", "3d-cbc"]))
def test_pad_statistics(contexts, nworkers, name):
    for dtype in (np.float64, np.int32):  # integer means and medians are rounded
        x, d = _made(contexts[nworkers], name, dtype)
        widths = [(0, 0) if n == 0 else (2, 1) if k == 0 else (0, 3)
                  for k, n in enumerate(x.shape)] or 1
        for mode in ("maximum", "minimum", "mean", "median"):
            _equal(np.pad(d, widths, mode=mode), np.pad(x, widths, mode=mode))
            _equal(np.pad(d, widths, mode=mode, stat_length=(1, 2)),
                   np.pad(x, widths, mode=mode, stat_length=(1, 2)))


@pytest.mark.parametrize("nworkers,name", _cases(["0d", "1d-unstructured", "1d-empty", "2d-bc",
                                                   "2d-empty-cols", "3d-cbc", "4d-default"], 1))
def test_pad_linear_ramp_and_function(contexts, nworkers, name):
    def function(vector, width, axis, kwargs):  # NumPy's padding-function protocol
        vector[:width[0]] = kwargs["value"] + axis
        if width[1]:
            vector[-width[1]:] = vector[width[0]] // 2

    for dtype in (np.float32, np.uint8):  # uint8: floored ramps, wrapping below 0
        x, d = _made(contexts[nworkers], name, dtype)
        widths = [(0, 0) if n == 0 else (3, 1) if k == 0 else (1, 2)
                  for k, n in enumerate(x.shape)] or 1
        ends = (0, (7.5, -2), [(k, 3 * k + 1) for k in range(x.ndim)] or 2)
        for end_values in ends if dtype == np.float32 else ends[1:2]:
            _equal(np.pad(d, widths, mode="linear_ramp", end_values=end_values),
                   np.pad(x, widths, mode="linear_ramp", end_values=end_values))
        _equal(np.pad(d, widths, function, value=4), np.pad(x, widths, function, value=4))
    _equal(np.pad(d, 2, function, value=9), np.pad(x, 2, function, value=9))


def test_pad_odd_reflection_of_empty_booleans(contexts):
    """NumPy's error for the empty axis comes before the unsupported boolean odd reflection."""
    d = contexts[2].fromarray(np.zeros((0, 2), bool))
    with pytest.raises(ValueError, match="can't extend empty axis 0"):
        np.pad(d, 1, mode="reflect", reflect_type="odd")


def test_broadcast_to(ctx):
    x = sample((1, 5))
    d = ctx.fromarray(x)
    _equal(np.broadcast_to(d, (4, 5)), np.broadcast_to(x, (4, 5)))
    _equal(np.broadcast_to(d[0], (2, 3, 5)), np.broadcast_to(x[0], (2, 3, 5)))
    _equal(np.broadcast_to(ctx.fromarray(np.float64(2.5)), (3,)), np.full(3, 2.5))
    _equal(np.broadcast_to(ctx.fromarray(np.float64(2.5)), ()), np.asarray(2.5))
    b = np.broadcast_to(d, (2, 5))
    b[0, 0] = 100.0  # a copy (NumPy's is a read-only view)
    assert d.toarray()[0, 0] == x[0, 0]


# -- indexing-based ---------------------------------------------------------------------
@pytest.mark.parametrize("nworkers,name", SOME_CASES)
def test_take_put(contexts, nworkers, name):
    ctx = contexts[nworkers]
    x, d = _made(ctx, name)
    if x.size:
        for ind in [[0, -1, 2, 2], 3, [[1, 0], [4, -2]], []]:
            for mode in ["wrap", "clip"]:
                got, expected = np.take(d, ind, mode=mode), np.take(x, ind, mode=mode)
                if np.ndim(ind):
                    _equal(got, expected)
                else:  # a scalar, as NumPy's
                    assert got == expected and type(got) is type(expected)
    if x.ndim:
        n = x.shape[-1]
        ind = [i % n for i in (3, 0, -1, 1)] if n else []
        _equal(np.take(d, ind, axis=-1), np.take(x, ind, axis=-1))
        ind2 = np.array([ind, ind], dtype=int)
        _equal(d.take(ind2, axis=x.ndim - 1), x.take(ind2, axis=x.ndim - 1))
    else:  # NumPy takes axis 0 (or -1) of a 0-d array as of shape (1,)
        _equal(np.take(d, [[0, -1]], axis=0), np.take(x, [[0, -1]], axis=0))
        _equal(np.repeat(d, [3], axis=-1), np.repeat(x, [3], axis=-1))
        _equal(np.compress([True, False], d, axis=0), np.compress([True, False], x, axis=0))
    if x.size:
        y = x.copy()
        flat = [0, x.size - 1, x.size // 2, 0]
        np.put(d, flat, [-1.0, -2.0, -3.0])
        np.put(y, flat, [-1.0, -2.0, -3.0])
        np.testing.assert_array_equal(d.toarray(), y)
        d.put([x.size + 2], 9.0, mode="wrap")
        y.put([x.size + 2], 9.0, mode="wrap")
        np.testing.assert_array_equal(d.toarray(), y)
        out = ctx.zeros(np.take(x, [0, 0]).shape)
        assert np.take(d, [0, 0], out=out) is out


@pytest.mark.parametrize("nworkers", [1, 3])
def test_take_put_with_distributed_indices_stay_distributed(contexts, nworkers, monkeypatch):
    ctx = contexts[nworkers]
    monkeypatch.setattr(distarray.DistArray, "toarray", _no_gather(distarray.DistArray.toarray))
    x = sample((5, 7))
    for index in (np.array([3, -1, 34, 0, 0, 2]), np.array([[1, 2], [-3, 4]]), np.array([], int)):
        ind = ctx.fromarray(index, dist=("c",) * index.ndim)
        for axis, mode in itertools.product((None, 0, 1), ("raise", "wrap", "clip")):
            try:
                expected = np.take(x, index, axis=axis, mode=mode)
            except IndexError as error:
                with pytest.raises(IndexError, match=re.escape(str(error))):
                    np.take(ctx.fromarray(x), ind, axis=axis, mode=mode)
                continue
            _equal(np.take(ctx.fromarray(x, dist=("b", "c")), ind, axis=axis, mode=mode),
                   expected)
        for mode, values in itertools.product(("raise", "wrap", "clip"),
                                              (np.arange(index.size) * 1.5, [7.0, 8.0])):
            y, d = x.copy(), ctx.fromarray(x, dist=("c", "b"))
            v = ctx.fromarray(np.asarray(values)) if len(values) == index.size else values
            try:
                np.put(y, index, values, mode=mode)
            except IndexError as error:
                with pytest.raises(IndexError, match=re.escape(str(error))):
                    np.put(d, ind, v, mode=mode)
                continue
            np.put(d, ind, v, mode=mode)
            _equal(d, y)


def _no_gather(toarray):
    """``toarray`` that refuses to gather anything but small results (index arrays stay)."""
    def refusing(self, *args, **kwargs):
        if self.dtype == np.intp and self.size > 1:
            raise AssertionError("an index array was gathered")
        return toarray(self, *args, **kwargs)
    return refusing


def test_long_index_arrays_use_advanced_indexing(contexts, monkeypatch):
    monkeypatch.setattr(shape_api, "INLINE_INDEX", 2)
    x = sample((6, 5))
    d = contexts[3].fromarray(x, dist=("c", "b"))
    _equal(np.take(d, [4, 0, 4, 1], axis=1), np.take(x, [4, 0, 4, 1], axis=1))
    _equal(np.repeat(d, [1, 0, 2, 1, 1, 3], axis=0), np.repeat(x, [1, 0, 2, 1, 1, 3], axis=0))


@pytest.mark.parametrize("nworkers,name", _cases(["2d-default", "2d-bc", "2d-cc",
                                                  "2d-empty-cols", "3d-cbc", "4d-default"]))
def test_diagonal_tril_triu(contexts, nworkers, name):
    ctx = contexts[nworkers]
    x, d = _made(ctx, name)
    for offset in (0, 1, -2, 7):
        _equal(np.diagonal(d, offset), np.diagonal(x, offset))
        _equal(np.tril(d, offset), np.tril(x, offset))
        _equal(np.triu(d, offset), np.triu(x, offset))
    _equal(d.diagonal(1, -1, 0), x.diagonal(1, -1, 0))
    v = ctx.fromarray(np.arange(4.0))
    _equal(np.tril(v), np.tril(np.arange(4.0)))
    b = ctx.fromarray(x > 0)
    _equal(np.triu(b, 1), np.triu(x > 0, 1))


@pytest.mark.parametrize("nworkers,name", EACH_ONCE)
def test_nonzero(contexts, nworkers, name):
    ctx = contexts[nworkers]
    x, d = _made(ctx, name)
    mask = (np.arange(x.size).reshape(x.shape) % 3) != 1
    if not x.ndim:
        with pytest.raises(ValueError, match="nonzero on 0d arrays"):
            d.nonzero()
        return
    dm = ctx.fromarray(mask, d.distribution)
    _equal(np.nonzero(dm), np.nonzero(mask))
    _equal(np.flatnonzero(d), np.flatnonzero(x))
    if x.ndim > 1:  # not in blocks of rows (a flipped axis is unstructured)
        _equal(d[:, ::-1].nonzero(), x[:, ::-1].nonzero())


def test_indices_and_meshgrid(ctx):
    _equal(distarray.indices((3, 5), context=ctx), np.indices((3, 5)))
    _equal(distarray.indices((2, 0, 3), dtype=np.int32, context=ctx),
           np.indices((2, 0, 3), dtype=np.int32))
    _equal(distarray.indices((4, 3), sparse=True, context=ctx), np.indices((4, 3), sparse=True))
    _equal(distarray.indices((4, 3), context=ctx, dist=("n", "c", "b")), np.indices((4, 3)))
    _equal(distarray.indices((), context=ctx), np.indices(()))
    a, b, c = np.arange(4.0), np.arange(3) + 10, np.arange(2.0) - 5
    da, db = ctx.fromarray(a, dist="c"), ctx.fromarray(b)
    for kwargs in [{}, {"indexing": "ij"}, {"sparse": True}, {"sparse": True, "copy": False}]:
        _equal(np.meshgrid(da, db, c, **kwargs), np.meshgrid(a, b, c, **kwargs))
    _equal(np.meshgrid(da), np.meshgrid(a))


def test_indices_dtype_checks_and_triangles_of_array_likes(ctx):
    for dtype in ("U1", "M8[D]"):
        with pytest.raises((TypeError, ValueError)) as expected:
            np.indices((2, 3), dtype)
        with pytest.raises(type(expected.value), match=re.escape(str(expected.value))):
            distarray.indices((2, 3), dtype, context=ctx)
    _equal(distarray.indices((2, 2), bool, context=ctx), np.indices((2, 2), bool))
    listed = [[1, 2, 3], [4, 5, 6]]
    _equal(distarray.triu(listed, 1), np.triu(listed, 1))
    _equal(distarray.tril(listed), np.tril(listed))


# -- errors: NumPy's, raised before anything is sent -------------------------------------
ERRORS = [
    lambda n: np.reshape(n.a, (7,)),
    lambda n: n.a.reshape(-1, -1),
    lambda n: n.a.reshape((4, -1)),
    lambda n: np.reshape(n.a, 6, order="K"),
    lambda n: n.a.ravel("Z"),
    lambda n: np.transpose(n.a, (0, 0)),
    lambda n: np.transpose(n.a, (0,)),
    lambda n: n.a.transpose(0, 5),
    lambda n: np.swapaxes(n.a, 0, 2),
    lambda n: np.moveaxis(n.a, [0], [0, 1]),
    lambda n: np.rollaxis(n.a, 3),
    lambda n: np.rollaxis(n.a, 0, 4),
    lambda n: np.squeeze(n.a, 0),
    lambda n: np.squeeze(n.a, 3),
    lambda n: np.expand_dims(n.a, (0, 0)),
    lambda n: np.expand_dims(n.a, 4),
    lambda n: np.flip(n.a, 2),
    lambda n: np.fliplr(n.v),
    lambda n: np.broadcast_to(n.a, (4, 3)),
    lambda n: np.broadcast_to(n.a, (-1,)),
    lambda n: np.concatenate([n.a, n.b]),
    lambda n: np.concatenate([n.a, n.v]),
    lambda n: np.concatenate([n.a], axis=2),
    lambda n: np.concatenate([n.a, n.a], dtype=int),
    lambda n: np.concatenate([n.a, n.a], out=n.b),
    lambda n: np.concatenate([n.s, n.s]),
    lambda n: np.stack([n.a, n.b]),
    lambda n: np.stack([n.a, n.a], axis=3),
    lambda n: np.hstack([n.a, n.b]),
    lambda n: np.split(n.a, 4),
    lambda n: np.array_split(n.a, 0),
    lambda n: np.array_split(n.a, 2, axis=2),
    lambda n: np.roll(n.a, [[1]], axis=0),
    lambda n: np.roll(n.a, 1, axis=2),
    lambda n: np.tile(n.a, -1),
    lambda n: np.repeat(n.a, -1),
    lambda n: np.repeat(n.a, [1, 2, 3], axis=0),
    lambda n: np.repeat(n.a, [1, 2]),
    lambda n: np.repeat(n.a, 2, axis=2),
    lambda n: np.pad(n.a, -1),
    lambda n: np.pad(n.a, ()),
    lambda n: np.pad(n.a, 1.5),
    lambda n: np.pad(n.s, np.ones(1, np.uint8)),
    lambda n: np.pad(n.a, ((1, 2), (3, 4), (5, 6))),
    lambda n: np.pad(n.a, 1, mode="foo"),
    lambda n: np.pad(n.a, 1, mode="edge", constant_values=3),
    lambda n: np.pad(n.e, 1, mode="edge"),
    lambda n: np.pad(n.e, 1, mode="symmetric"),
    lambda n: np.pad(n.a, 1, mode="maximum", stat_length=0),
    lambda n: np.pad(n.a, 1, mode="mean", stat_length=-1),
    lambda n: np.pad(n.e, 1, mode="median"),
    lambda n: np.pad(n.a, 1, mode="reflect", constant_values=1),
    lambda n: np.pad(n.e, 1, mode="reflect", reflect_type="odd"),
    lambda n: np.pad(n.e, 1, mode="linear_ramp"),
    lambda n: np.pad(n.a, 1, mode="linear_ramp", stat_length=1),
    lambda n: np.pad(n.a, 1, mode="linear_ramp", end_values=(1, 2, 3)),
    lambda n: np.pad(n.a, 1.5, mode=lambda *args: None),
    lambda n: np.take(n.a, [6]),
    lambda n: np.take(n.a, [-7]),
    lambda n: np.take(n.a, [3], axis=0),
    lambda n: np.take(n.a, [0], axis=2),
    lambda n: np.take(n.s, [0], axis=1),
    lambda n: np.take(n.s, [1], axis=0),
    lambda n: np.repeat(n.s, 2, axis=-2),
    lambda n: np.take(n.a, np.array([0.5])),
    lambda n: np.take(n.a, [0], mode="foo"),
    lambda n: np.take(n.e, [0], mode="wrap"),
    lambda n: np.put(n.a, [6], 1.0),
    lambda n: np.put(n.a, [0], 1.0, mode="x"),
    lambda n: np.put(n.a, np.array([1.5]), 1.0),
    lambda n: np.put(n.e, [0], 1.0, mode="clip"),
    lambda n: np.diagonal(n.a, 0, 1, 1),
    lambda n: np.diagonal(n.a, 0, 0, 2),
    lambda n: np.diagonal(n.v),
    lambda n: np.tril(n.s),
    lambda n: np.nonzero(n.s),
    lambda n: np.meshgrid(n.v, indexing="foo"),
]


def _count_commands(monkeypatch, pool):
    counter = []
    original = pool.start

    def start(*args, **kwargs):
        counter.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(pool, "start", start)
    return counter


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_numpy_and_are_raised_before_sending(contexts, monkeypatch, case):
    ctx = contexts[2]
    arrays = {"a": sample((2, 3)), "b": sample((3, 2)), "v": sample((3,)),
              "s": np.asarray(sample(())), "e": sample((0, 2))}
    with pytest.raises(Exception) as expected:
        ERRORS[case](SimpleNamespace(**arrays))
    distributed = SimpleNamespace(**{k: ctx.fromarray(x) for k, x in arrays.items()})
    sent = _count_commands(monkeypatch, ctx.pool)
    with pytest.raises(expected.type, match=re.escape(str(expected.value))):
        ERRORS[case](distributed)
    assert sent == []
