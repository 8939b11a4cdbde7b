"""One-dimensional maps against brute-force oracles."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distarray.errors import DistributionError, ProtocolError
from distarray.plan import (BlockMap, CyclicMap, UndistributedMap, UnstructuredMap,
                            check_exports, map_from_dim_dicts, map_from_global_dim_dict,
                            owned_count)

sizes = st.integers(0, 30)
grid_sizes = st.integers(1, 5)


@st.composite
def block_maps(draw):
    size, nranks = draw(sizes), draw(grid_sizes)
    cuts = sorted(draw(st.lists(st.integers(0, size), min_size=nranks - 1,
                                max_size=nranks - 1)))
    bounds = [0, *cuts, size]
    if not draw(st.booleans()):
        return BlockMap(size, nranks, bounds, periodic=draw(st.booleans()))
    counts = np.diff(bounds).tolist()
    halos = [draw(st.integers(0, min(counts[r], counts[r + 1]))) for r in range(nranks - 1)]
    low = draw(st.integers(0, counts[0]))
    high = draw(st.integers(0, counts[-1] - (low if nranks == 1 else 0)))
    padding = list(zip([low, *halos], [*halos, high]))
    return BlockMap(size, nranks, bounds, padding, draw(st.booleans()))


@st.composite
def unstructured_maps(draw):
    size, nranks = draw(sizes), draw(grid_sizes)
    order = draw(st.permutations(range(size)))
    cuts = sorted(draw(st.lists(st.integers(0, size), min_size=nranks - 1,
                                max_size=nranks - 1)))
    parts = [list(part) for part in np.split(np.array(order, dtype=int), cuts)]
    if draw(st.booleans()):  # replicate some indices on other ranks
        for part in parts:
            extra = draw(st.sets(st.sampled_from(range(size)), max_size=3)) if size else set()
            part += sorted(extra - set(part))
    return UnstructuredMap(size, nranks, parts)


any_maps = st.one_of(
    block_maps(),
    st.builds(CyclicMap, sizes, grid_sizes, st.integers(1, 6)),
    unstructured_maps(),
    st.builds(UndistributedMap, sizes),
)


def _is_progression(indices):
    steps = np.diff(indices)
    return len(indices) <= 1 or (steps[0] > 0 and np.all(steps == steps[0]))


def _check_indexing(m):
    """owned sets, owners, local/global index round trips, slices."""
    nranks, size = m.grid_size, m.size
    owned = [m.global_indices(r) for r in range(nranks)]
    held = [set(o.tolist()) for o in owned]
    counts = [m.owned_count(r) for r in range(nranks)]
    assert [len(o) for o in owned] == [len(h) for h in held] == counts
    assert set().union(*held) == set(range(size))
    if m.dist != 'u' or m.one_to_one:
        assert sum(counts) == size
    if m.dist == 'u':
        assert m.one_to_one == (sum(counts) == size)
    holders = [[r for r in range(nranks) if g in held[r]] for g in range(size)]
    assert m.owners(np.arange(size)).tolist() == [h[0] for h in holders]
    assert [m.all_owners(g) for g in range(size)] == holders
    for r in range(nranks):
        extent, cells = m.extent(r), m.owned_local_slice(r)
        everything = m.global_indices(r, padding=True)
        assert len(everything) == extent and cells.step in (None, 1)
        assert 0 <= cells.start <= cells.stop <= extent
        assert np.array_equal(everything[cells], owned[r])
        assert np.array_equal(m.global_index(r, np.arange(extent)), everything)
        assert np.array_equal(m.local_index(r, owned[r]), np.arange(extent)[cells])
        halo = np.concatenate([everything[:cells.start], everything[cells.stop:]])
        assert all(m.owners(int(g)) in (r - 1, r + 1) for g in halo)
        assert m.global_indices(r).dtype == np.int64
        sl = m.global_slice(r)
        assert (sl is not None) == _is_progression(owned[r])
        if sl is not None:
            assert min(sl.start, sl.stop, sl.step) >= 0
            assert np.array_equal(np.arange(sl.start, sl.stop, sl.step), owned[r])
        foreign = sorted(set(range(size)) - held[r])
        if foreign:
            with pytest.raises(IndexError, match='not owned'):
                m.local_index(r, foreign[0])


def _check_protocol(m):
    """dim dicts conform, pass the cross-process checks and rebuild the map."""
    nranks = m.grid_size
    dicts = [m.dim_dict(r) for r in range(nranks)]
    extents = [m.extent(r) for r in range(nranks)]
    allowed = {'b': {'start', 'stop', 'padding', 'periodic'}, 'c': {'start', 'block_size'},
               'u': {'indices', 'one_to_one'}}
    for r, d in enumerate(dicts):
        kind = d['dist_type']
        assert set(d) - {'dist_type', 'size', 'proc_grid_size', 'proc_grid_rank'} <= allowed[kind]
        assert all(type(v) is int for k, v in d.items() if k in ('size', 'start', 'stop',
                   'proc_grid_size', 'proc_grid_rank', 'block_size'))
        assert d.get('padding', (1,)) != (0, 0) and d.get('periodic', True) is True
        assert owned_count(d) == m.owned_count(r)
        if kind == 'c':
            assert d['start'] == r * d['block_size']
        if kind == 'u':
            assert d['indices'].dtype == np.int64 and d['indices'].flags.c_contiguous
            assert d.get('one_to_one', False) is m.one_to_one
    exports = [{'__version__': '0.10.0', 'buffer': np.zeros(e), 'dim_data': (d,)}
               for d, e in zip(dicts, extents)]
    assert check_exports(exports)[0] == (nranks,)
    rebuilt = map_from_dim_dicts(dicts, extents)
    assert rebuilt == m and map_from_dim_dicts(dicts) == m
    undistributed = nranks == 1 and not np.any(m.padding) and not m.periodic if m.dist in 'bn' \
        else False
    assert isinstance(rebuilt, UndistributedMap) == undistributed


@settings(max_examples=300, deadline=None)
@given(any_maps)
def test_map_oracle(m):
    _check_indexing(m)
    _check_protocol(m)
    assert pickle.loads(pickle.dumps(m)) == m
    assert map_from_global_dim_dict(m.global_dim_dict()) == m


def test_cyclic_owned_count_sweep():
    for size in range(40):
        for block in range(1, 7):
            for nranks in range(1, 6):
                owner = np.arange(size) // block % nranks
                m = CyclicMap(size, nranks, block)
                assert [m.owned_count(r) for r in range(nranks)] == \
                    np.bincount(owner, minlength=nranks).tolist()


def test_upstream_counter_example():
    m = CyclicMap(3, 2, 2)
    assert [m.owned_count(r) for r in range(2)] == [2, 1]
    assert m.global_indices(1).tolist() == [2]
    assert owned_count({'dist_type': 'c', 'size': 3, 'proc_grid_size': 2,
                        'proc_grid_rank': 1, 'start': 2, 'block_size': 2}) == 1
    assert owned_count({'dist_type': 'c', 'size': 3, 'proc_grid_size': 2,
                        'proc_grid_rank': 0, 'start': 0}) == 2


@pytest.mark.parametrize('m', [BlockMap(0, 3), CyclicMap(0, 3, 2), UndistributedMap(0),
                               UnstructuredMap(0, 2, [[], []]), CyclicMap(3, 5),
                               CyclicMap(5, 4, 2), BlockMap(2, 4)])
def test_empty_sections(m):
    _check_indexing(m)
    _check_protocol(m)
    assert min(m.owned_count(r) for r in range(m.grid_size)) == 0


def test_cyclic_start_beyond_size():
    m = CyclicMap(3, 5, 1)
    assert m.dim_dict(4)['start'] == 4 and m.extent(4) == 0
    assert m.global_slice(4) == slice(3, 3, 1)


def test_upstream_padding_illustration():
    m = BlockMap(24, 4, padding=[(4, 1), (1, 2), (2, 3), (3, 0)])
    assert [(m.dim_dict(r)['start'], m.dim_dict(r)['stop']) for r in range(4)] == \
        [(0, 7), (5, 14), (10, 21), (15, 24)]
    assert [m.owned_local_slice(r) for r in range(4)] == \
        [slice(0, 6), slice(1, 7), slice(2, 8), slice(3, 9)]
    assert m.global_index(2, [0, 1, 2, 8, 9, 10]).tolist() == [10, 11, 12, 18, 19, 20]
    _check_protocol(m)


def test_equality_across_types():
    assert UndistributedMap(5) == BlockMap(5, 1) == CyclicMap(5, 1, 2)
    assert UndistributedMap(5) != BlockMap(5, 1, periodic=True)
    assert UndistributedMap(5) != BlockMap(5, 1, padding=[(1, 0)])
    assert CyclicMap(10, 2, 5) == BlockMap(10, 2)
    assert CyclicMap(9, 2, 5) == BlockMap(9, 2, [0, 5, 9])
    assert CyclicMap(10, 2) != BlockMap(10, 2) and CyclicMap(10, 2) != CyclicMap(10, 2, 2)
    assert UnstructuredMap(5, 2, [[0, 1, 2], [3, 4]]) == BlockMap(5, 2)
    assert UnstructuredMap(5, 2, [[0, 2, 4], [1, 3]]) == CyclicMap(5, 2)
    assert UnstructuredMap(5, 2, [[2, 1, 0], [3, 4]]) != BlockMap(5, 2)
    assert BlockMap(5, 2) != BlockMap(6, 2) and BlockMap(4, 2) != BlockMap(4, 4)
    assert BlockMap(5, 2) != 'b' and not BlockMap(5, 2).is_compatible(None)


def test_maps_are_immutable_and_unhashable():
    m = BlockMap(5, 2)
    with pytest.raises(AttributeError):
        m.size = 3
    with pytest.raises(AttributeError):
        del m.bounds
    with pytest.raises(TypeError):
        hash(m)
    u = UnstructuredMap(3, 1, [[2, 0, 1]])
    with pytest.raises(ValueError):
        u.indices[0][0] = 1


def test_scalars_and_arrays():
    m = CyclicMap(10, 3, 2)
    assert type(m.owners(7)) is int and m.owners(7) == 0
    assert m.owners([[0, 2], [4, 9]]).tolist() == [[0, 1], [2, 1]]
    assert type(m.local_index(0, 7)) is int and m.local_index(0, 7) == 3
    assert type(m.global_index(1, 1)) is int and m.global_index(1, 1) == 3
    assert m.global_index(1, np.array([], dtype=int)).shape == (0,)


def test_default_even_split():
    assert BlockMap(5, 3).bounds == (0, 2, 4, 5)
    assert BlockMap(9, 2).bounds == (0, 5, 9)
    assert BlockMap(2, 4).bounds == (0, 1, 2, 2, 2)


@pytest.mark.parametrize('call', [
    lambda m: m.owners(10), lambda m: m.owners(-1), lambda m: m.owners([0, 10]),
    lambda m: m.owners(1.5), lambda m: m.owned_count(2), lambda m: m.extent(-1),
    lambda m: m.global_index(0, 5), lambda m: m.global_index(1, -1),
    lambda m: m.local_index(0, 5), lambda m: m.dim_dict(2),
])
def test_index_errors(call):
    with pytest.raises(IndexError):
        call(BlockMap(10, 2))


@pytest.mark.parametrize('make', [
    lambda: BlockMap(-1, 2), lambda: BlockMap(5, 0), lambda: BlockMap(5, 2.0),
    lambda: BlockMap(5, 2, [0, 5]), lambda: BlockMap(5, 2, [1, 3, 5]),
    lambda: BlockMap(5, 2, [0, 3, 4]), lambda: BlockMap(5, 3, [0, 4, 2, 5]),
    lambda: BlockMap(6, 2, padding=[(0, 1), (2, 0)]),
    lambda: BlockMap(4, 2, padding=[(0, 3), (3, 0)]),
    lambda: BlockMap(4, 2, padding=[(3, 0), (0, 0)]),
    lambda: BlockMap(4, 1, padding=[(3, 2)]),
    lambda: BlockMap(4, 2, padding=[(0, -1), (-1, 0)]),
    lambda: BlockMap(4, 2, padding=[(0, 1)]), lambda: BlockMap(4, 2, padding=(1, 1)),
    lambda: BlockMap(4, 2, padding=[(0, 1, 0), (1, 0)]),
    lambda: CyclicMap(5, 2, 0),
    lambda: UnstructuredMap(3, 2, [[0, 1, 1], [2]]),
    lambda: UnstructuredMap(3, 2, [[0, 3], [1, 2]]),
    lambda: UnstructuredMap(3, 2, [[0, -1], [1, 2]]),
    lambda: UnstructuredMap(3, 2, [[0], [1]]),
    lambda: UnstructuredMap(3, 2, [[0, 1, 2]]),
    lambda: UnstructuredMap(3, 1, [[0.0, 1.0, 2.0]]),
    lambda: UnstructuredMap(4, 1, [[[0, 1], [2, 3]]]),
])
def test_invalid_maps(make):
    with pytest.raises(DistributionError):
        make()


@pytest.mark.parametrize('dd, kwargs, expected', [
    ('b', {'size': 5, 'grid_size': 2}, BlockMap(5, 2)),
    ('c', {'size': 5, 'grid_size': 2}, CyclicMap(5, 2)),
    ('n', {'size': 5}, UndistributedMap(5)),
    ('n', {'size': 5, 'grid_size': 1}, UndistributedMap(5)),
    ({'dist_type': 'c', 'block_size': 2}, {'size': 5, 'grid_size': 2}, CyclicMap(5, 2, 2)),
    ({'dist_type': 'b', 'bounds': [0, 1, 5]}, {'size': 5}, BlockMap(5, 2, [0, 1, 5])),
    ({'dist_type': 'b', 'size': 5, 'proc_grid_size': 2, 'bounds': [0, 1, 5]}, {},
     BlockMap(5, 2, [0, 1, 5])),
    ({'dist_type': 'u', 'indices': [[1], [0]]}, {'size': 2}, UnstructuredMap(2, 2, [[1], [0]])),
])
def test_map_from_global_dim_dict(dd, kwargs, expected):
    m = map_from_global_dim_dict(dd, **kwargs)
    assert m == expected and type(m) is type(expected)


@pytest.mark.parametrize('dd, kwargs', [
    ('b', {'size': 5}), ('c', {'grid_size': 2}), ('n', {'size': 5, 'grid_size': 2}),
    ('u', {'size': 5, 'grid_size': 1}), ('x', {'size': 5, 'grid_size': 1}),
    ({'dist_type': 'b', 'size': 4}, {'size': 5, 'grid_size': 1}),
    ({'dist_type': 'b', 'bounds': [0, 5]}, {'size': 5, 'grid_size': 2}),
    ({'dist_type': 'b', 'bounds': [0, 5], 'padding': [(0, 0)] * 2}, {'size': 5}),
    ({'dist_type': 'c', 'bounds': [0, 5]}, {'size': 5, 'grid_size': 1}),
    ({'size': 5}, {'grid_size': 1}),
])
def test_map_from_global_dim_dict_errors(dd, kwargs):
    with pytest.raises(DistributionError):
        map_from_global_dim_dict(dd, **kwargs)


def _block(size, nranks, rank, start, stop, **extra):
    return {'dist_type': 'b', 'size': size, 'proc_grid_size': nranks, 'proc_grid_rank': rank,
            'start': start, 'stop': stop, **extra}


def test_map_from_dim_dicts_aliases():
    assert type(map_from_dim_dicts([{}], [7])) is UndistributedMap
    assert map_from_dim_dicts([{'dist_type': 'n', 'size': 7}]) == UndistributedMap(7)
    assert type(map_from_dim_dicts([_block(7, 1, 0, 0, 7)])) is UndistributedMap
    periodic = map_from_dim_dicts([_block(7, 1, 0, 0, 7, periodic=True)])
    assert type(periodic) is BlockMap and periodic.periodic
    assert map_from_dim_dicts([_block(7, 1, 0, 0, 7, extra_key='ignored')]) == UndistributedMap(7)


@pytest.mark.parametrize('dicts, extents', [
    ([{}], None),
    ([{'dist_type': 'n', 'size': 7}], [6]),
    ([_block(5, 2, 0, 0, 3), _block(6, 2, 1, 3, 6)], None),
    ([_block(5, 2, 0, 0, 2), _block(5, 2, 1, 3, 5)], None),
    ([_block(5, 2, 1, 3, 5), _block(5, 2, 0, 0, 3)], None),
    ([_block(5, 2, 0, 0, 3)], None),
    ([_block(5, 2, 0, 0, 4, padding=(0, 1)), _block(5, 2, 1, 2, 5, padding=(2, 0))], None),
    ([_block(5, 2, 0, 0, 3), _block(5, 2, 1, 3, 5, periodic=True)], None),
    ([_block(5, 2, 0, 0, 3), _block(5, 2, 1, 3, 5)], [3, 3]),
    ([{'dist_type': 'u', 'size': 3, 'proc_grid_size': 1, 'proc_grid_rank': 0,
       'indices': np.array([0, -1, 2])}], None),
    ([{'dist_type': 'u', 'size': 3, 'proc_grid_size': 2, 'proc_grid_rank': r,
       'indices': np.array(ix), 'one_to_one': True} for r, ix in enumerate([[0, 1], [1, 2]])],
     None),
    ([{'dist_type': 'c', 'size': 3, 'proc_grid_size': 2, 'proc_grid_rank': r,
       'start': r * b, 'block_size': b} for r, b in enumerate([1, 2])], None),
    ([], None),
])
def test_map_from_dim_dicts_errors(dicts, extents):
    with pytest.raises(ProtocolError):
        map_from_dim_dicts(dicts, extents)
