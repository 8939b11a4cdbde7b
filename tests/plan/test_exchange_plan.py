"""Exchange planning (``distarray.plan.exchange``): routes from ranges agree with index arrays."""

import numpy as np
import pytest

from distarray.plan.exchange import axis_routes, needed_indices
from distarray.plan.maps import BlockMap, CyclicMap, UndistributedMap


def _expanded(route):
    """A route's positions as index arrays."""
    return tuple(np.arange(p.start, p.stop, p.step) if isinstance(p, slice) else np.asarray(p)
                 for p in route)


SOURCES = [BlockMap(17, 3), BlockMap(17, 3, [0, 0, 9, 17]), UndistributedMap(17),
           CyclicMap(17, 3), CyclicMap(17, 2, block_size=4),
           BlockMap(17, 2, padding=[(0, 1), (1, 0)])]


@pytest.mark.parametrize("src", SOURCES, ids=repr)
@pytest.mark.parametrize("low, high", [(0, 17), (3, 11), (5, 6), (4, 4)])
def test_routes_of_a_range_are_those_of_its_index_array(src, low, high):
    by_range = axis_routes(src, range(low, high))
    by_array = axis_routes(src, np.arange(low, high, dtype=np.int64))
    assert sorted(by_range) == sorted(by_array)
    for rank, route in by_range.items():
        for got, expected in zip(_expanded(route), _expanded(by_array[rank])):
            np.testing.assert_array_equal(got, expected)


def test_consecutive_owned_indices_are_ranges():
    dst = (BlockMap(10, 2), CyclicMap(6, 2), UndistributedMap(4))
    needed = needed_indices(dst, (1, 1, 0), (0, 1, 2, None))
    assert needed[0] == range(5, 10) and needed[2] == range(0, 4)
    np.testing.assert_array_equal(needed[1], [1, 3, 5])
    np.testing.assert_array_equal(needed[3], [0])
