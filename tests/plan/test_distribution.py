"""``Distribution``: construction, queries and round trips through the protocol."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distarray.errors import DistributionError, ProtocolError
from distarray.plan import BlockMap, CyclicMap, Distribution, UndistributedMap, check_exports

ENTRIES = st.sampled_from(['b', 'c', 'n', {'dist_type': 'c', 'block_size': 2}])


@st.composite
def layouts(draw):
    ndim = draw(st.integers(0, 3))
    shape = tuple(draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim)))
    dist = draw(st.none() | st.lists(ENTRIES, min_size=ndim, max_size=ndim).map(tuple))
    return shape, dist, draw(st.integers(1, 6))


@settings(max_examples=150, deadline=None)
@given(layout=layouts())
def test_distribution_oracle(make_context, layout):
    shape, dist, nprocs = layout
    context = make_context(nprocs)
    d = Distribution(context, shape, dist)
    a = np.arange(math.prod(shape)).reshape(shape)
    hits = np.zeros(shape, dtype=int)
    owned, exports = [], []
    for i in range(d.nprocs):
        arrays = d.global_index_arrays(i)
        owned.append([set(x.tolist()) for x in arrays])
        hits[np.ix_(*arrays)] += 1
        assert tuple(map(len, arrays)) == d.owned_shapes()[i]
        slices = d.global_slices(i)
        if slices is not None:
            assert np.array_equal(a[slices], a[np.ix_(*arrays)])
        buffer = a[np.ix_(*d.global_index_arrays(i, padding=True))]
        assert buffer.shape == d.localshapes()[i]
        exports.append({'__version__': '0.10.0', 'buffer': buffer,
                        'dim_data': d.local_dim_data(i)})
    assert np.all(hits == 1)
    assert check_exports(exports)[0] == d.grid_shape
    assert Distribution.from_dim_data_per_rank(context, [e['dim_data'] for e in exports]) == d
    assert Distribution.from_global_dim_data(context, d.global_dim_data()) == d
    for idx in np.ndindex(*shape):
        expected = [i for i, sets in enumerate(owned) if all(g in s for g, s in zip(idx, sets))]
        assert d.owning_ranks(idx) == expected


def test_attributes(make_context):
    d = Distribution(make_context(4), [np.int64(5), 9], ('b', 'c'), (2, 2))
    assert d.shape == (5, 9) and all(type(n) is int for n in d.shape)
    assert (d.ndim, d.dist, d.grid_shape, d.targets, d.nprocs) == \
        (2, ('b', 'c'), (2, 2), (0, 1, 2, 3), 4)
    assert d.maps == (BlockMap(5, 2), CyclicMap(9, 2))
    assert [d.coords(i) for i in range(4)] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert repr(d) == ("Distribution(shape=(5, 9), dist=('b', 'c'), grid_shape=(2, 2), "
                       "targets=(0, 1, 2, 3))")
    assert Distribution(make_context(2), 7).shape == (7,)


@pytest.mark.parametrize('shape, error, message', [
    (-1, ValueError, 'negative dimensions'), ((2, -1), ValueError, 'negative dimensions'),
    (2.5, TypeError, 'expected a sequence of integers or a single integer'),
    ((2, 2.0), TypeError, 'cannot be interpreted as an integer'),
    ('ab', TypeError, 'cannot be interpreted as an integer'),
    (None, TypeError, None),
])
def test_bad_shapes_raise_like_numpy(make_context, shape, error, message):
    with pytest.raises(error, match=message):
        np.zeros(shape)
    with pytest.raises(error, match=message):
        Distribution(make_context(2), shape)


def test_zero_dimensional(make_context):
    d = Distribution(make_context(4, first=3), ())
    assert (d.grid_shape, d.targets, d.nprocs, d.maps) == ((), (3,), 1, ())
    assert d.localshapes() == [()] and d.local_dim_data(0) == ()
    assert d.global_index_arrays(0) == () and d.global_slices(0) == ()
    assert d.owning_ranks(()) == [0] and d.owning_targets(()) == [3]
    assert Distribution(make_context(4), (), targets=(2, 1)).targets == (2,)


def test_undistributed_uses_one_process(make_context):
    d = Distribution(make_context(4), (5, 5), ('n', 'n'))
    assert d.grid_shape == (1, 1) and d.nprocs == 1 and d.maps == (UndistributedMap(5),) * 2
    assert d.local_dim_data(0)[0]['dist_type'] == 'b'


def test_more_processes_than_elements(make_context):
    d = Distribution(make_context(5), (3,))
    assert d.localshapes() == [(1,), (1,), (1,), (0,), (0,)]
    d = Distribution(make_context(5), (3,), 'c')
    assert d.local_dim_data(4)[0]['start'] == 4 and d.localshapes()[4] == (0,)


def test_targets(make_context):
    context = make_context(4, first=10)
    d = Distribution(context, (8,), targets=(13, 11))
    assert d.grid_shape == (2,) and d.targets == (13, 11)
    assert d.owning_targets(0) == [13] and d.owning_targets(-1) == [11]
    assert Distribution(context, (8,), grid_shape=(3,)).targets == (10, 11, 12)


@pytest.mark.parametrize('kwargs', [
    {'targets': (13, 13)}, {'targets': (10, 99)}, {'targets': (10, 11, 12), 'grid_shape': (2,)},
    {'targets': (10, 11), 'grid_shape': (3,)}, {'grid_shape': (5,)}, {'targets': ()},
])
def test_bad_targets(make_context, kwargs):
    with pytest.raises(DistributionError):
        Distribution(make_context(4, first=10), (8,), **kwargs)


@pytest.mark.parametrize('dist, grid', [
    ('x', None), (('b', 'b', 'b'), None), ('b', (2, 2)), (('b', 'n'), (2, 2)),
    ({0: {'dist_type': 'b', 'bounds': [0, 3]}}, None),
    ({0: {'dist_type': 'b', 'size': 4}}, None),
    ({0: {'dist_type': 'b', 'bounds': [0, 3, 8], 'padding': [(0, 4), (4, 0)]}}, None),
    ({0: {'dist_type': 'u', 'indices': [[0, 1], [2]]}}, None),
])
def test_bad_distributions(make_context, dist, grid):
    with pytest.raises(DistributionError):
        Distribution(make_context(4), (8, 8), dist, grid)


def test_owning_ranks(make_context):
    d = Distribution(make_context(4), (5, 9), ('b', 'c'), (2, 2))
    assert d.owning_ranks((3, 4)) == [2] and d.owning_ranks((-1, -1)) == [2]
    assert d.owning_ranks(1) == [0, 1] and d.owning_ranks(()) == [0, 1, 2, 3]
    for idx, message in [((5, 0), 'index 5 is out of bounds for axis 0 with size 5'),
                         ((0, -10), 'index -10 is out of bounds for axis 1 with size 9'),
                         ((0, 0, 0), 'too many indices for array: array is 2-dimensional, '
                                     'but 3 were indexed'),
                         ((1.5, 0), 'only integers')]:
        with pytest.raises(IndexError, match=message):
            d.owning_ranks(idx)
    replicated = Distribution(make_context(2), (3,), ({'dist_type': 'u',
                                                       'indices': [[0, 1], [1, 2]]},))
    assert replicated.owning_ranks(1) == [0, 1] and replicated.owning_ranks(2) == [1]


def test_process_index_errors(make_context):
    d = Distribution(make_context(4), (8,))
    for call in (d.coords, d.local_dim_data, d.global_index_arrays, d.global_slices):
        with pytest.raises(IndexError):
            call(4)


def test_compatibility(make_context):
    context = make_context(4)
    d = Distribution(context, (10, 4), 'b', (2, 1))
    assert d == Distribution(context, (10, 4), ('b', 'n'), (2, 1))
    assert d == Distribution(context, (10, 4), ({'dist_type': 'c', 'block_size': 5},), (2, 1))
    assert d != Distribution(context, (10, 4), 'c', (2, 1))
    assert d != Distribution(context, (10, 5), 'b', (2, 1))
    assert not d.is_compatible(Distribution(context, (10, 4), 'b', (2, 1), targets=(1, 0)))
    other_context = make_context(4)
    twin = Distribution(other_context, (10, 4), 'b', (2, 1))
    assert d.is_compatible(twin) and d != twin
    assert d != 'b' and not d.is_compatible(None)


def test_from_maps(make_context):
    context = make_context(4)
    d = Distribution.from_maps(context, [BlockMap(5, 2, [0, 1, 5]), CyclicMap(9, 2, 3)])
    assert d.grid_shape == (2, 2) and d.dist == ('b', 'c') and d.localshapes()[2] == (4, 6)
    with pytest.raises(TypeError):
        Distribution.from_maps(context, ['b'])


def test_from_dim_data_per_rank_with_aliases(make_context):
    context = make_context(2)
    cols = [{'dist_type': 'b', 'size': 4, 'proc_grid_size': 2, 'proc_grid_rank': r,
             'start': 2 * r, 'stop': 2 * r + 2} for r in range(2)]
    d = Distribution.from_dim_data_per_rank(context, [({}, cols[0]), ({}, cols[1])],
                                            [(3, 2), (3, 2)])
    assert d.maps == (UndistributedMap(3), BlockMap(4, 2))
    with pytest.raises(ProtocolError, match='extent'):
        Distribution.from_dim_data_per_rank(context, [({}, cols[0]), ({}, cols[1])])
    with pytest.raises(ProtocolError, match='row-major'):
        Distribution.from_dim_data_per_rank(context, [({}, cols[1]), ({}, cols[0])],
                                            [(3, 2), (3, 2)])
    padded = dict(cols[0], proc_grid_size=1, stop=4, padding=(1, 0))
    lines = [(padded, cols[0]), (dict(padded, padding=(0, 0)), cols[1])]
    with pytest.raises(ProtocolError, match='padding differs'):
        Distribution.from_dim_data_per_rank(context, lines)
    with pytest.raises(ProtocolError):
        Distribution.from_dim_data_per_rank(context, [])
