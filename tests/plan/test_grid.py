"""Distribution specs, grid choice and rank/coordinate conversion."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distarray.errors import DistributionError
from distarray.plan import (BlockMap, choose_grid, coords_from_rank, normalize_dist,
                            rank_from_coords, validate_grid)

BOUNDS = {'dist_type': 'b', 'bounds': [0, 3, 5]}


@pytest.mark.parametrize('dist, ndim, expected', [
    (None, 2, None),
    ('b', 3, ('b', 'n', 'n')),
    ('bc', 3, ('b', 'c', 'n')),
    ('', 2, ('n', 'n')),
    (('c', 'b'), 2, ('c', 'b')),
    (['c'], 2, ('c', 'n')),
    ({1: 'c'}, 3, ('n', 'c', 'n')),
    ({-1: 'c', 0: 'b'}, 2, ('b', 'c')),
    ({np.int64(1): 'b'}, 2, ('n', 'b')),
    ({}, 2, ('n', 'n')),
    ((), 0, ()),
    ((BOUNDS, 'b'), 2, (BOUNDS, 'b')),
    ({0: {'dist_type': 'c', 'block_size': 4}}, 1, ({'dist_type': 'c', 'block_size': 4},)),
    (({'dist_type': 'u', 'indices': [[0]]},), 1, ({'dist_type': 'u', 'indices': [[0]]},)),
])
def test_normalize_dist(dist, ndim, expected):
    assert normalize_dist(dist, ndim) == expected


@pytest.mark.parametrize('dist, ndim', [
    ('x', 1), ('u', 1), ('bcb', 2), (('b', 'b'), 1), ('b', 0), ({2: 'b'}, 2),
    ({-3: 'b'}, 2), ({0: 'b', -2: 'c'}, 2), ({'0': 'b'}, 1), (3, 1), (('b', 1), 2),
    ({0: {'dist_type': 'x'}}, 1), ({0: {'block_size': 2}}, 1),
    ({0: {'dist_type': 'c', 'bounds': [0, 1]}}, 1), ({0: {'dist_type': 'u'}}, 1),
    ({0: {'dist_type': 'c', 'block_size': 0}}, 1), ({0: {'dist_type': 'n', 'padding': 1}}, 1),
])
def test_normalize_dist_errors(dist, ndim):
    with pytest.raises(DistributionError):
        normalize_dist(dist, ndim)


@pytest.mark.parametrize('shape, nprocs, dist, expected', [
    ((4000, 4000), 4, None, (4, 1)),
    ((3, 100), 4, None, (1, 4)),
    ((10, 10), 4, None, (2, 2)),
    ((10, 10), 4, ('b', 'b'), (2, 2)),
    ((10, 10), 4, ('b', 'n'), (4, 1)),
    ((10, 10), 1, None, (1, 1)),
    ((0, 5), 4, None, (4, 1)),
    ((3,), 5, None, (5,)),
    ((), 1, None, ()),
    ((), 3, None, ()),
    ((5, 5), 4, ('n', 'n'), (1, 1)),
    ((8, 8), 4, ({'dist_type': 'c', 'block_size': 4}, 'b'), (1, 4)),
    ((5, 8), 4, (BOUNDS, 'b'), (2, 2)),
    ((5, 8), 4, (BOUNDS, 'n'), (2, 1)),
    ((5, 8), 6, (BOUNDS, 'c'), (2, 3)),
    ((5, 8, 9), 6, ({'dist_type': 'b', 'proc_grid_size': 3}, 'b', 'c'), (3, 2, 1)),
])
def test_choose_grid(shape, nprocs, dist, expected):
    assert choose_grid(shape, nprocs, dist) == expected


@pytest.mark.parametrize('shape, nprocs, dist', [
    ((5, 8), 1, (BOUNDS, 'b')), ((5, 8), 3, (BOUNDS, 'b')), ((5,), 0, None),
    ((5, 8), 4, ({'dist_type': 'b', 'bounds': [0, 5], 'proc_grid_size': 2}, 'b')),
])
def test_choose_grid_errors(shape, nprocs, dist):
    with pytest.raises(DistributionError):
        choose_grid(shape, nprocs, dist)


def _largest_piece(shape, grid):
    return math.prod(-(-n // g) for n, g in zip(shape, grid))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=3), st.integers(1, 12))
def test_default_grid_is_optimal(shape, nprocs):
    grid = choose_grid(shape, nprocs)
    assert math.prod(grid) == nprocs
    divisors = [d for d in range(1, nprocs + 1) if nprocs % d == 0]
    candidates = [g for g in itertools.product(divisors, repeat=len(shape))
                  if math.prod(g) == nprocs]
    best = min(candidates, key=lambda g: (_largest_piece(shape, g), sum(x > 1 for x in g),
                                          [-x for x in g]))
    assert grid == best


def test_validate_grid():
    assert validate_grid([2, np.int64(2)], (5, 5), None, 4) == (2, 2)
    assert validate_grid((2, 1), (5, 5), ('b', 'n'), 4) == (2, 1)
    assert validate_grid((2, 3), (5, 5), (BOUNDS, 'c'), 6) == (2, 3)
    assert validate_grid((), (), None, 1) == ()


@pytest.mark.parametrize('grid, shape, dist, nprocs, message', [
    ((2,), (5, 5), None, 4, 'has 1 axes'),
    ((0, 4), (5, 5), None, 4, 'below 1'),
    ((2, 2), (5, 5), ('b', 'n'), 4, 'needs grid size 1'),
    ((2, 3), (5, 5), None, 4, 'needs 6 processes'),
    ((3, 1), (5, 5), (BOUNDS, 'b'), 4, 'needs grid size 2'),
    ((2, 1), (5, 1), ({'dist_type': 'u', 'indices': [[0, 1, 2, 3, 4]]}, 'b'), 4, 'needs'),
    ((2.0, 2), (5, 5), None, 4, 'sequence of ints'),
    (2, (5,), None, 4, 'sequence of ints'),
])
def test_validate_grid_errors(grid, shape, dist, nprocs, message):
    with pytest.raises(DistributionError, match=message):
        validate_grid(grid, shape, dist, nprocs)


def test_rank_and_coords_are_row_major():
    grid = (2, 3, 4)
    for rank in range(24):
        coords = coords_from_rank(rank, grid)
        assert coords == tuple(int(c) for c in np.unravel_index(rank, grid))
        assert rank_from_coords(coords, grid) == rank
    assert all(type(c) is int for c in coords_from_rank(np.int64(5), grid))
    assert coords_from_rank(0, ()) == () and rank_from_coords((), ()) == 0


@pytest.mark.parametrize('call', [
    lambda: coords_from_rank(6, (2, 3)), lambda: coords_from_rank(-1, (2, 3)),
    lambda: rank_from_coords((2, 0), (2, 3)), lambda: rank_from_coords((0,), (2, 3)),
    lambda: rank_from_coords((0, -1), (2, 3)), lambda: coords_from_rank(1, ()),
])
def test_rank_and_coords_errors(call):
    with pytest.raises(ValueError):
        call()


def test_chosen_grid_feeds_maps():
    grid = choose_grid((7,), 3)
    assert BlockMap(7, grid[0]).bounds == (0, 3, 5, 7)
