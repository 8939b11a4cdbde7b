"""The worked examples of the protocol spec (§9) as fixtures."""

import math

import numpy as np
import pytest

from distarray.plan import Distribution, check_exports


def blocks(size, ranges, **extra):
    return [{'dist_type': 'b', 'size': size, 'proc_grid_size': len(ranges), 'proc_grid_rank': r,
             'start': lo, 'stop': hi, **extra} for r, (lo, hi) in enumerate(ranges)]


def cyclics(size, nranks, block_size=1):
    return [{'dist_type': 'c', 'size': size, 'proc_grid_size': nranks, 'proc_grid_rank': r,
             'start': r * block_size, 'block_size': block_size} for r in range(nranks)]


def unstructureds(size, index_lists):
    # The lists of every example partition the axis, so one_to_one=True is emitted.
    return [{'dist_type': 'u', 'size': size, 'proc_grid_size': len(index_lists),
             'proc_grid_rank': r, 'indices': np.array(ix), 'one_to_one': True}
            for r, ix in enumerate(index_lists)]


E3_INDICES = [[19, 1, 0, 12, 2, 15, 4], [6, 13, 3],
              [10, 25, 5, 21, 7, 18, 11, 26, 29, 24, 23, 28, 14, 20, 9, 16, 27, 8, 17, 22]]
G8_INDICES = ([[3, 0], [4, 2, 1]], [[2, 3, 7, 1], [6, 5, 8, 0, 4]])
SQUARE = [(3, 5), (3, 4), (2, 5), (2, 4)]

# name: (shape, Distribution keywords, per-axis dim dicts by grid coordinate, local shapes)
EXAMPLES = {
    'E1': ((2, 10), {'dist': ('b', 'b'), 'grid_shape': (2, 1)},
           [blocks(2, [(0, 1), (1, 2)]), blocks(10, [(0, 10)])], [(1, 10), (1, 10)]),
    'E2': ((18,), {'dist': ({'dist_type': 'b', 'padding': [(1, 1), (1, 1)]},)},
           [blocks(18, [(0, 10), (8, 18)], padding=(1, 1))], [(10,), (10,)]),
    'E3': ((30,), {'dist': ({'dist_type': 'u', 'indices': E3_INDICES},)},
           [unstructureds(30, E3_INDICES)], [(7,), (3,), (20,)]),
    'G1': ((5, 9), {'dist': ('b', 'b'), 'grid_shape': (3, 1)},
           [blocks(5, [(0, 2), (2, 4), (4, 5)]), blocks(9, [(0, 9)])], [(2, 9), (2, 9), (1, 9)]),
    'G2': ((5, 9), {'dist': ('b', 'b'), 'grid_shape': (1, 3)},
           [blocks(5, [(0, 5)]), blocks(9, [(0, 3), (3, 6), (6, 9)])], [(5, 3)] * 3),
    'G3': ((5, 9), {'dist': ('b', 'b'), 'grid_shape': (2, 2)},
           [blocks(5, [(0, 3), (3, 5)]), blocks(9, [(0, 5), (5, 9)])], SQUARE),
    'G4': ((5, 9), {'dist': ('b', 'c'), 'grid_shape': (2, 2)},
           [blocks(5, [(0, 3), (3, 5)]), cyclics(9, 2)], SQUARE),
    'G5': ((5, 9), {'dist': ('c', 'c'), 'grid_shape': (2, 2)},
           [cyclics(5, 2), cyclics(9, 2)], SQUARE),
    'G6': ((5, 9), {'dist': ({'dist_type': 'b', 'bounds': [0, 1, 5]},
                             {'dist_type': 'b', 'bounds': [0, 2, 9]})},
           [blocks(5, [(0, 1), (1, 5)]), blocks(9, [(0, 2), (2, 9)])],
           [(1, 2), (1, 7), (4, 2), (4, 7)]),
    'G7': ((5, 9), {'dist': ({'dist_type': 'c', 'block_size': 2},) * 2, 'grid_shape': (2, 2)},
           [cyclics(5, 2, 2), cyclics(9, 2, 2)], SQUARE),
    'G8': ((5, 9), {'dist': tuple({'dist_type': 'u', 'indices': ix} for ix in G8_INDICES)},
           [unstructureds(5, G8_INDICES[0]), unstructureds(9, G8_INDICES[1])],
           [(2, 4), (2, 5), (3, 4), (3, 5)]),
    'G9': ((5, 9, 3), {'dist': ('c', 'b', 'c'), 'grid_shape': (2, 2, 2)},
           [cyclics(5, 2), blocks(9, [(0, 5), (5, 9)]), cyclics(3, 2)],
           [(3, 5, 2), (3, 5, 1), (3, 4, 2), (3, 4, 1),
            (2, 5, 2), (2, 5, 1), (2, 4, 2), (2, 4, 1)]),
}


def global_array(shape):
    """The spec's arrays: ``A[i, j] = 9*i + j`` and ``A[i, j, k] = 27*i + 3*j + k``."""
    return np.arange(math.prod(shape)).reshape(shape)


def spec_indices(dd):
    """Global indices a spec dim dict's buffer holds, straight from the spec's §4."""
    if dd['dist_type'] == 'b':
        return np.arange(dd['start'], dd['stop'])
    if dd['dist_type'] == 'u':
        return dd['indices']
    g = np.arange(dd['size'])
    return g[g // dd['block_size'] % dd['proc_grid_size'] == dd['proc_grid_rank']]


def comparable(dim_data):
    return [{k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in d.items()}
            for d in dim_data]


@pytest.fixture(params=sorted(EXAMPLES))
def example(request, make_context):
    shape, kwargs, axes, localshapes = EXAMPLES[request.param]
    grid = tuple(len(dicts) for dicts in axes)
    context = make_context(math.prod(grid))
    expected = [tuple(dicts[c] for dicts, c in zip(axes, coords)) for coords in np.ndindex(grid)]
    return Distribution(context, shape, **kwargs), grid, expected, localshapes


def test_layout(example):
    dist, grid, expected, localshapes = example
    assert dist.grid_shape == grid and dist.localshapes() == localshapes
    for i, dim_data in enumerate(expected):
        assert comparable(dist.local_dim_data(i)) == comparable(dim_data)


def test_buffers(example):
    dist, _, expected, _ = example
    a = global_array(dist.shape)
    exports = []
    for i, dim_data in enumerate(expected):
        buffer = a[np.ix_(*dist.global_index_arrays(i, padding=True))]
        assert np.array_equal(buffer, a[np.ix_(*map(spec_indices, dim_data))])
        exports.append({'__version__': '0.10.0', 'buffer': buffer, 'dim_data': dim_data})
    assert check_exports(exports)[0] == dist.grid_shape


def test_import(example):
    dist, _, expected, _ = example
    assert Distribution.from_dim_data_per_rank(dist.context, expected) == dist
    assert Distribution.from_global_dim_data(dist.context, dist.global_dim_data()) == dist


def buffer_of(dist, i):
    return global_array(dist.shape)[np.ix_(*dist.global_index_arrays(i, padding=True))]


def test_quoted_values(make_context):
    def build(name):
        shape, kwargs, axes, _ = EXAMPLES[name]
        return Distribution(make_context(math.prod(map(len, axes))), shape, **kwargs)

    g3, g8, g9, e2 = build('G3'), build('G8'), build('G9'), build('E2')
    assert buffer_of(g3, 3).tolist() == [[32, 33, 34, 35], [41, 42, 43, 44]]
    assert buffer_of(g8, 0).tolist() == [[29, 30, 34, 28], [2, 3, 7, 1]]
    assert buffer_of(g9, 0)[0, :2].tolist() == [[0, 2], [3, 5]]
    a = global_array((5, 9, 3))
    assert np.array_equal(buffer_of(g9, 7), a[[1, 3]][:, 5:9][:, :, [1]])
    assert buffer_of(e2, 0).tolist() == list(range(10))
    assert buffer_of(e2, 1).tolist() == list(range(8, 18))
    assert e2.owned_shapes() == [(9,), (9,)] and e2.owned_local_slices(1) == (slice(1, 10),)


def test_cyclic_listings(make_context):
    g7 = Distribution(make_context(4), (5, 9), **EXAMPLES['G7'][1])
    assert [g7.maps[0].global_indices(r).tolist() for r in range(2)] == [[0, 1, 4], [2, 3]]
    assert [g7.maps[1].global_indices(r).tolist() for r in range(2)] == \
        [[0, 1, 4, 5, 8], [2, 3, 6, 7]]
    assert all(g7.global_slices(i) is None for i in range(4))
    g4 = Distribution(make_context(4), (5, 9), **EXAMPLES['G4'][1])
    assert g4.global_slices(1) == (slice(0, 3, 1), slice(1, 8, 2))
    assert [g4.maps[1].global_indices(r).tolist() for r in range(2)] == \
        [[0, 2, 4, 6, 8], [1, 3, 5, 7]]


def test_e1_default_layout_is_the_same(make_context):
    context = make_context(2)
    default = Distribution(context, (2, 10))
    assert default.dist == ('b', 'n') and default.grid_shape == (2, 1)
    assert default == Distribution(context, (2, 10), **EXAMPLES['E1'][1])
    assert comparable(default.local_dim_data(1)) == comparable(
        (EXAMPLES['E1'][2][0][1], EXAMPLES['E1'][2][1][0]))
