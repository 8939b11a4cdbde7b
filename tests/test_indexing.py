"""Indexing, assignment and redistribution against NumPy, across layouts and 1-4 workers."""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distarray import Distribution

from checks import nothing_sent
from layouts import LAYOUT_IDS, layout, sample

BASIC_KEYS = [(), (Ellipsis,), (0,), (-1,), (slice(None),), (slice(1, None),),
              (slice(None, None, 2),), (slice(None, None, -1),), (slice(-2, 0, -2),),
              (None,), (Ellipsis, None), (slice(1, 3), None, Ellipsis), (slice(5, 2),)]


def _applicable(key, shape):
    try:
        np.empty(shape)[key]
    except IndexError:
        return False
    return True


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_basic_indexing_views(ctx, name):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    x = sample(shape)
    d = ctx.fromarray(x, distribution)
    keys = BASIC_KEYS + [k + (slice(None, None, 3),) for k in BASIC_KEYS if len(k) == 1]
    if len(shape) >= 2:
        keys += [(1, slice(None, None, -2)), (slice(None), 0), (Ellipsis, -1)]
    for key in keys:
        if not _applicable(key, shape):
            with pytest.raises(IndexError):
                d[key]
            continue
        expected = x[key]
        got = d[key]
        if np.ndim(expected) == 0 and not isinstance(expected, np.ndarray):
            assert got == expected and type(got) is type(expected)
        else:
            np.testing.assert_array_equal(got.toarray(), expected)


def test_views_share_memory(ctx):
    x = sample((6, 5))
    d = ctx.fromarray(x, dist=("c", "b"))
    v = d[1::2, ::-1]
    v[...] = -1
    x[1::2, ::-1] = -1
    np.testing.assert_array_equal(d.toarray(), x)
    w = d[2]
    w += 100
    x[2] += 100
    np.testing.assert_array_equal(d.toarray(), x)
    d[0, 0] = 42.5
    x[0, 0] = 42.5
    assert v.toarray().shape == (3, 5)
    np.testing.assert_array_equal(d.toarray(), x)


ADVANCED_KEYS = [([4, 0, 2, 2],), (slice(None), [3, 1]), ([1, 3], [2, 3]), ([[0], [4]], [1, 2, 3]),
                 (1, [0, 3]), ([0, 1], slice(1, 3)), ([-1, 2],), ([1, 2], None, 3),
                 (np.array(2), np.array(3)), ([], slice(None)), ([2], Ellipsis)]


@pytest.mark.parametrize("dist", [None, ("c", "b"), ("b", "b"), ("n", "c"),
                                  ({"dist_type": "c", "block_size": 2}, "n")])
def test_advanced_indexing(ctx, dist):
    x = sample((5, 4))
    d = ctx.fromarray(x, dist=dist)
    for key in ADVANCED_KEYS + [(x > 3,), (x[:, 0] > 0,), (slice(None), x[0] > -5)]:
        np.testing.assert_array_equal(d[key].toarray(), x[key])
    mask = ctx.fromarray(x > 2, dist=dist)
    np.testing.assert_array_equal(d[mask].toarray(), x[x > 2])
    balanced = d[mask]
    sizes = [s[0] for s in balanced.localshapes()]
    assert max(sizes) - min(sizes) <= 1
    with pytest.raises(IndexError):
        d[[0, 5]]
    with pytest.raises(IndexError):
        d[[0, 1], [1, 2, 3]]
    with pytest.raises(IndexError):
        d[x[:3] > 0]


@pytest.mark.parametrize("dist", [None, ("c", "b"), ("n", "c")])
def test_assignment(ctx, dist):
    x = sample((5, 4))
    d = ctx.fromarray(x, dist=dist)
    other = ctx.fromarray(sample((5, 4), seed=2) * 3, dist=("c", "n"))
    steps = [
        ((slice(1, 4), slice(None, None, 2)), 0.5),
        ((0,), np.arange(4.0)),
        ((slice(None), 1), ctx.fromarray(np.arange(5.0))),
        ((Ellipsis,), other),
        (([0, 2], slice(1, 3)), [[-1, -2], [-3, -4]]),
        (([4, 4, 1], [0, 0, 3]), [7.0, 8.0, 9.0]),
        ((x > 2,), 11.0),
        ((3, 3), 99),
    ]
    for key, value in steps:
        d[key] = value
        x[key] = value.toarray() if hasattr(value, "toarray") else value
        np.testing.assert_array_equal(d.toarray(), x)
    d[ctx.fromarray(x < 0, dist=dist)] = -8
    x[x < 0] = -8
    np.testing.assert_array_equal(d.toarray(), x)
    for key, value in [((0,), np.ones(3)), ((slice(None),), np.ones((2, 4)))]:
        with pytest.raises(ValueError) as expected:
            x[key] = value
        with pytest.raises(ValueError, match=re.escape(str(expected.value))):
            d[key] = value
    with pytest.raises(ValueError):
        d[0] = np.arange(3)
    with pytest.raises(IndexError):
        d[9] = 1


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_redistribute_round_trip(ctx, name):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = sample(shape)
    d = ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))
    others = [None, "c"] + ([("c", "b"), ("n", "b")] if len(shape) >= 2 else [])
    for other in others:
        if other is not None and len(shape) < len(other if isinstance(other, tuple) else "c"):
            continue
        moved = d.redistribute(dist=other)
        np.testing.assert_array_equal(moved.toarray(), x)
        back = moved.redistribute(d.distribution)
        assert back.distribution is d.distribution
        np.testing.assert_array_equal(back.toarray(), x)


def test_redistribute_across_worker_subsets(contexts):
    ctx = contexts[4]
    x = sample((7, 6))
    d = ctx.fromarray(x, Distribution(ctx, (7, 6), targets=[0, 1]))
    moved = d.redistribute(Distribution(ctx, (7, 6), dist=("c", "c"), grid_shape=(1, 3),
                                        targets=[3, 2, 1]))
    assert moved.targets == (3, 2, 1)
    np.testing.assert_array_equal(moved.toarray(), x)


index_item = st.one_of(st.integers(-6, 6), st.none(), st.just(Ellipsis),
                       st.builds(slice, st.one_of(st.none(), st.integers(-7, 7)),
                                 st.one_of(st.none(), st.integers(-7, 7)),
                                 st.one_of(st.none(), st.integers(-3, 3).filter(bool))),
                       st.lists(st.integers(-5, 4), min_size=0, max_size=4))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.lists(index_item, max_size=3).map(tuple), nworkers=st.integers(1, 4),
       dist=st.sampled_from([None, ("c", "b"), ("b", "c"), ("n", "b")]))
def test_property_indexing_matches_numpy(contexts, key, nworkers, dist):
    x = sample((5, 4))
    d = contexts[nworkers].fromarray(x, dist=dist)
    try:
        expected = x[key]
    except (IndexError, ValueError) as error:
        with pytest.raises(type(error)):
            d[key]
        return
    got = d[key]
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(got.toarray(), expected)
    else:
        assert got == expected


INDEX_DISTS = [None, "c", ({"dist_type": "c", "block_size": 2},), "n",
               ({"dist_type": "u", "indices": [[5, 0, 3], [1, 4, 2]]},)]


@pytest.mark.parametrize("index_dist", INDEX_DISTS)
@pytest.mark.parametrize("name", ["1d-cyclic", "2d-bc", "2d-cc", "3d-cbc", "1d-unstructured"])
def test_distributed_index_arrays(contexts, name, index_dist):
    ctx = contexts[2] if isinstance(index_dist, tuple) and "indices" in index_dist[0] else \
        contexts[3]
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = sample(shape)
    d = ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))
    n = shape[0]
    idx = np.array([n - 1, 0, -1, 2, 2, -n])
    di = ctx.fromarray(idx, dist=index_dist)
    got = d[di]
    np.testing.assert_array_equal(got.toarray(), x[idx])
    assert got.distribution.maps[0] == di.distribution.maps[0]  # the index's layout
    assert got.targets == di.targets
    if len(shape) >= 2:
        idx2 = np.array([[1, 0, -1], [2, 1, 0]]) % min(shape[:2])
        di2 = ctx.fromarray(idx2, dist=("c", "b"))
        rows = ctx.fromarray(np.array([[0], [n - 1]]))
        for key, expected in [((slice(None), di), x[:, idx]),
                              ((rows, di2), x[[[0], [n - 1]], idx2]),
                              ((di2[0], slice(1, None), ), x[idx2[0], 1:]),
                                  ((slice(None, None, -2), di2), x[::-2, idx2]),
                                  ((di2[1], Ellipsis, 0), x[idx2[1], ..., 0]),
                                  ((rows, [2, 1, 0]), x[[[0], [n - 1]], [2, 1, 0]])]:
            np.testing.assert_array_equal(d[key].toarray(), expected)


def test_distributed_index_errors(ctx):
    x = sample((5, 4))
    d = ctx.fromarray(x, dist=("c", "b") if ctx.nworkers > 1 else None)
    for bad in ([0, 5], [-6, 1], [[1, 9], [0, 0]]):
        with pytest.raises(IndexError, match="out of bounds for axis 0 with size 5"):
            d[ctx.fromarray(np.array(bad))]
    with pytest.raises(IndexError, match="out of bounds for axis 1 with size 4"):
        d[:, ctx.fromarray(np.array([3, 4, 0]))]
    with pytest.raises(IndexError):
        d[ctx.fromarray(np.array([0, 1])), ctx.fromarray(np.array([0, 1, 2]))]
    with pytest.raises(IndexError):
        d[ctx.fromarray(np.array([0.0, 1.0]))]
    with pytest.raises(IndexError):
        d[ctx.fromarray(np.array([0, 1])), [9]] = 1.0
    empty = ctx.fromarray(np.zeros(0, np.int64))
    np.testing.assert_array_equal(d[empty, [7]].toarray(), x[[], [7]])  # unused: unchecked
    np.testing.assert_array_equal(d[ctx.fromarray(np.array(3))].toarray(), x[3])


@pytest.mark.parametrize("index_dist", [None, "c"])
def test_distributed_index_assignment(contexts, index_dist):
    ctx = contexts[3]
    x = sample((7, 3))
    d = ctx.fromarray(x, dist=("c", "n"))
    idx = np.array([1, 4, 0, -3, 2, 5])  # repeats: the last value wins, as in NumPy
    di = ctx.fromarray(idx, dist=index_dist)
    values = np.arange(18.0).reshape(6, 3) * 10
    steps = [(di, 1.5), (di, values), (di, ctx.fromarray(values, dist=index_dist)),
             (di, ctx.fromarray(values, dist=("n", "c"))), ((di, 2), np.arange(6) - 50),
             ((di, slice(0, 2)), ctx.fromarray(values[:, :2] + 0.25)), ((slice(None), di[2:4]), 7),
             ((di, [[0], [1], [2], [0], [1], [2]]), values[:, :1] - 1), (di[:2], values[None, :2])]
    for key, value in steps:
        d[key] = value
        x[tuple(i.toarray() if hasattr(i, "toarray") else i for i in
                (key if isinstance(key, tuple) else (key,)))] = \
            value.toarray() if hasattr(value, "toarray") else value
        np.testing.assert_array_equal(d.toarray(), x)
    with pytest.raises(ValueError, match="shape mismatch"):
        d[di] = np.ones((2, 3))


def test_advanced_indexing_through_copies(contexts):
    ctx = contexts[2]
    x = sample((8, 5))
    d = ctx.fromarray(x, dist=("c", "b"))  # a step slice of a cyclic axis is not a view
    np.testing.assert_array_equal(d[1::3, [4, 0, 4]].toarray(), x[1::3, [4, 0, 4]])
    di = ctx.fromarray(np.array([3, -1, 3]))
    np.testing.assert_array_equal(d[::3, di].toarray(), x[::3, [3, -1, 3]])
    d[::3, di] = np.array([1.0, 2.0, 3.0])
    x[::3, [3, -1, 3]] = [1.0, 2.0, 3.0]
    np.testing.assert_array_equal(d.toarray(), x)


def test_distributed_boolean_masks(contexts):
    ctx = contexts[3]
    x = sample((6, 4))
    d = ctx.fromarray(x, dist=("b", "c"))
    rows = x[:, 0] > 0
    cols = np.array([True, False, True, True])
    drows, dcols = ctx.fromarray(rows), ctx.fromarray(cols, dist="c")
    np.testing.assert_array_equal(d[drows].toarray(), x[rows])
    np.testing.assert_array_equal(d[:, dcols].toarray(), x[:, cols])
    np.testing.assert_array_equal(d[drows, 1].toarray(), x[rows, 1])
    d[:, dcols] = -1.0
    x[:, cols] = -1.0
    np.testing.assert_array_equal(d.toarray(), x)
    with pytest.raises(IndexError):
        d[ctx.fromarray(np.ones(5, bool))]


@pytest.mark.parametrize("name", ["0d", "1d-cyclic", "2d-bc", "2d-empty-rows"])
def test_scalar_boolean_index(ctx, name):
    """A 0-d mask adds an axis of length 1 (True) or 0 (False), alone or with others."""
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = np.asarray(sample(shape))
    d = ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))
    keys = [True, False, (np.True_, Ellipsis, True)]
    keys += [(True, [0, -1])] * bool(x.ndim and x.shape[0])
    for key in keys:
        np.testing.assert_array_equal(d[key].toarray(), x[key])
        assert d[key].shape == x[key].shape
        d[key] = -np.arange(x[key].size).reshape(x[key].shape)
        x[key] = -np.arange(x[key].size).reshape(x[key].shape)
        np.testing.assert_array_equal(d.toarray(), x)


def test_assigned_values_convert_as_numpy(contexts):
    """A Python complex (or a list of them) into a real array is NumPy's TypeError, sent
    nowhere; NumPy complex values drop their imaginary parts (with NumPy's warning)."""
    ctx = contexts[2]
    d = ctx.fromarray(np.zeros((3, 4)), dist=("c", "b"))
    for key in [Ellipsis, (slice(None), [1, 1]), d > -1]:
        for value in [1 + 2j, [1 + 2j]]:
            nothing_sent(ctx, TypeError, d.__setitem__, key, value)
        with pytest.warns(np.exceptions.ComplexWarning):
            d[key] = np.complex128(2 + 1j)
    np.testing.assert_array_equal(d.toarray(), np.full((3, 4), 2.0))


@pytest.mark.parametrize("target, value", [((), (1, 1)), ((3,), (1, 1, 3)),
                                           ((2, 3), (1, 1, 2, 3)), ((3,), (2, 3))])
def test_assigned_values_lose_leading_ones_as_numpy(contexts, target, value):
    ctx = contexts[2]
    values = np.arange(np.prod(value), dtype=float).reshape(value) + 1
    for source in (values, ctx.fromarray(values)):
        expected, d = np.zeros(target), ctx.zeros(target)
        try:
            expected[...] = values
        except ValueError:
            nothing_sent(ctx, ValueError, d.__setitem__, Ellipsis, source)
            continue
        d[...] = source
        np.testing.assert_array_equal(d.toarray(), expected)
