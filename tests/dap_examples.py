"""The worked examples of the protocol spec (§9), shared by the plan and worker tests."""

import math

import numpy as np


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
