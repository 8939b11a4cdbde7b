"""Shape-manipulation planning (no MPI): transposed layouts, in-place reshapes, keys."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distarray.plan import Distribution
from distarray.plan import shape as planning

ENTRIES = st.sampled_from(['b', 'c', 'n', {'dist_type': 'c', 'block_size': 2}])


@st.composite
def layouts(draw, min_ndim=0):
    ndim = draw(st.integers(min_ndim, 3))
    shape = tuple(draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim)))
    dist = draw(st.none() | st.lists(ENTRIES, min_size=ndim, max_size=ndim).map(tuple))
    return shape, dist, draw(st.integers(1, 4))


def _pieces(distribution, array):
    """``{target: owned block}`` of ``array`` laid out as ``distribution``."""
    return {t: array[np.ix_(*distribution.global_index_arrays(i))]
            for i, t in enumerate(distribution.targets)}


@settings(max_examples=60, deadline=None)
@given(layout=layouts(), data=st.data())
def test_permuted_layout_is_each_piece_transposed(make_context, layout, data):
    shape, dist, nprocs = layout
    d = Distribution(make_context(nprocs), shape, dist)
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    maps, targets = planning.permuted(d, perm)
    t = Distribution.from_maps(d.context, maps, targets)
    a = np.arange(math.prod(shape)).reshape(shape)
    before = _pieces(d, a)
    for target, block in _pieces(t, a.transpose(perm)).items():
        np.testing.assert_array_equal(block, before[target].transpose(perm))


@settings(max_examples=80, deadline=None)
@given(layout=layouts(min_ndim=1), data=st.data())
def test_local_reshape_maps_are_each_piece_reshaped(make_context, layout, data):
    shape, dist, nprocs = layout
    d = Distribution(make_context(nprocs), shape, dist)
    size = math.prod(shape)
    candidates = [(size,), (1, size), shape + (1,), shape[::-1]]
    if size:
        candidates += [shape[:1] + (-1,)] + ([(2, -1)] if size % 2 == 0 else [])
    new = np.empty(shape).reshape(data.draw(st.sampled_from(candidates))).shape
    maps = planning.local_reshape_maps(d, new)
    if maps is None:
        return
    r = Distribution.from_maps(d.context, maps, d.targets)
    a = np.arange(size).reshape(shape)
    before = _pieces(d, a)
    for target, block in _pieces(r, a.reshape(new)).items():
        np.testing.assert_array_equal(block, before[target].reshape(block.shape))


def test_local_reshape_maps_cases(make_context):
    context = make_context(3)
    rows = Distribution(context, (6, 4), 'b')
    assert planning.local_reshape_maps(rows, (12, 2))[0].bounds == (0, 4, 8, 12)
    assert planning.local_reshape_maps(rows, (6, 2, 2)) is not None
    assert planning.local_reshape_maps(rows, (8, 3)) is None  # 8 % 3: rows straddle pieces
    assert planning.local_reshape_maps(Distribution(context, (6, 4), ('n', 'b')), (24,)) is None
    assert planning.local_reshape_maps(Distribution(context, (6, 4), 'c'), (6, 2, 2)) is not None


@pytest.mark.parametrize('old,new', [((3, 1, 4), (1, 3, 4, 1)), ((1, 1), ()), ((), (1, 1)),
                                     ((0, 1), (0,)), ((5,), (5,)), ((1, 2, 1, 3), (2, 1, 3))])
def test_squeeze_key(old, new):
    assert np.zeros(old)[planning.squeeze_key(old, new)].shape == new


@pytest.mark.parametrize('old,new', [((2, 3), (3, 2)), ((6,), (2, 3)), ((0, 2), (2, 0))])
def test_squeeze_key_none(old, new):
    assert planning.squeeze_key(old, new) is None


@pytest.mark.parametrize('n,ios', [(7, 3), (7, [2, 5]), (7, [5, 2]), (7, [-2]), (0, 2),
                                   (5, [9])])
def test_split_bounds_match_numpy(n, ios):
    a = np.arange(n)
    parts = [a[start:stop] for start, stop in planning.split_bounds(n, ios)]
    expected = np.array_split(a, ios)
    assert len(parts) == len(expected)
    for part, e in zip(parts, expected):
        np.testing.assert_array_equal(part, e)


def test_mapped_axis(make_context):
    m = Distribution(make_context(2), (6,), 'b').maps[0]
    assert planning.MappedAxis(m, 'shift', 2, 6).global_indices(0).tolist() == [4, 5, 0]
    assert planning.MappedAxis(m, 'clip', 2, 4).global_indices(1).tolist() == [1, 2, 3]
    assert planning.MappedAxis(m, 'div', 3).global_indices(1).tolist() == [1, 1, 1]
    taken = planning.MappedAxis(m, 'take', indices=np.array([5, 4, 3, 2, 1, 0]))
    assert taken.global_indices(0).tolist() == [5, 4, 3] and taken.grid_size == 2


def test_axis_permutation_and_probe():
    assert planning.axis_permutation(lambda p: np.moveaxis(p, 0, -1), 3) == (1, 2, 0)
    assert planning.axis_permutation(lambda p: p.T, 0) == ()
    big = planning.probe((10 ** 6, 10 ** 6))
    assert big.reshape(-1, 10).shape == (10 ** 11, 10) and big.nbytes == 8 * 10 ** 12
    with pytest.raises(ValueError, match='cannot reshape array of size 1000000000000'):
        big.reshape(7, -1)
