"""Slicing a map (``distarray.plan.indexing.slice_map``): checked against the index arrays."""

import numpy as np
import pytest

from distarray.plan.indexing import slice_map
from distarray.plan.maps import BlockMap, CyclicMap

SLICES = [slice(None), slice(1, None), slice(None, -1), slice(1, -1, 2), slice(2, None, 3),
          slice(0, 0), slice(-3, None), slice(3, 1), slice(None, None, 5), slice(None, None, -1),
          slice(-2, 0, -2)]


def _maps():
    rng = np.random.default_rng(0)
    for size in (0, 1, 2, 5, 17):
        for grid in (1, 2, 3):
            bounds = [0, *sorted(rng.integers(0, size + 1, grid - 1).tolist()), size]
            yield BlockMap(size, grid, bounds)
            yield BlockMap(size, grid, bounds, periodic=True)
            if size >= 2 * grid:  # halos need at least one owned cell
                yield BlockMap(size, grid, padding=[(int(r > 0), int(r < grid - 1))
                                                    for r in range(grid)])
            yield CyclicMap(size, grid, block_size=2)


@pytest.mark.parametrize("m", list(_maps()), ids=repr)
def test_each_rank_keeps_the_selected_cells_of_its_buffer(m):
    for item in SLICES:
        selected = np.arange(m.size)[item]
        cut = slice_map(m, item)
        if cut is None:  # allowed only where a rank's selected cells are not evenly spaced
            assert not isinstance(m, BlockMap)
            continue
        new, locals_ = cut
        assert new.size == len(selected)
        for r in range(m.grid_size):
            buffer = np.full(m.extent(r), -1)
            buffer[m.owned_local_slice(r)] = m.global_indices(r)
            view = buffer[locals_[r]]  # global indices seen through the local view
            np.testing.assert_array_equal(view, selected[new.global_indices(r)])
