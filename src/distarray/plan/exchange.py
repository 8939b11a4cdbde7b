"""Planning the movement of elements between two layouts (pure NumPy, no MPI).

An *exchange* brings the elements of a source array that a destination piece
needs into that piece.  What a destination piece needs is given per source
axis as an array of global indices (with broadcasting, a broadcast axis needs
only index 0).  Because maps are per-axis, the elements that source piece
``s`` sends to destination piece ``d`` form a block: on every axis, the needed
indices that ``s`` owns.  Both sides compute the same blocks in the same order
from the same maps, so no metadata is exchanged.
"""

import itertools

import numpy as np

from .grid import rank_from_coords


def compact(positions):
    """``positions`` (int array) as a slice (with a step) when it is an increasing progression."""
    n = len(positions)
    if n == 0:
        return slice(0, 0, 1)
    start = int(positions[0])
    if n == 1:
        return slice(start, start + 1, 1)
    step = int(positions[1]) - start
    if step > 0 and np.all(np.diff(positions) == step):
        return slice(start, start + (n - 1) * step + 1, step)
    return positions


def needed_indices(dst_maps, dst_coords, axes):
    """Global indices of the source that a destination piece needs, per source axis.

    Parameters
    ----------
    dst_maps, dst_coords : tuples
        The destination's maps and this piece's grid coordinates.
    axes : sequence of int or None
        For each source axis, the destination axis it is aligned with, or None
        for a broadcast (length-1) source axis.
    """
    return tuple(np.zeros(1, np.int64) if a is None
                 else dst_maps[a].global_indices(dst_coords[a]) for a in axes)


def axis_routes(src_map, needed):
    """``{source grid rank: (source buffer positions, destination positions)}``."""
    owners = src_map.owners(needed)
    routes = {}
    for rank in np.unique(owners).tolist():
        mask = owners == rank
        routes[rank] = (src_map.local_index(rank, needed[mask]), np.flatnonzero(mask))
    return routes


def blocks(src_maps, needed):
    """Every non-empty block a destination piece receives.

    Yields ``(source piece index, source positions, destination positions)``
    with one position array (or slice) per axis; the source piece index is
    the row-major rank in the source grid.
    """
    per_axis = [axis_routes(m, n) for m, n in zip(src_maps, needed)]
    grid = tuple(m.grid_size for m in src_maps)
    for coords in itertools.product(*(sorted(r) for r in per_axis)):
        routes = [r[c] for r, c in zip(per_axis, coords)]
        yield (rank_from_coords(coords, grid) if grid else 0,
               tuple(compact(src) for src, _ in routes),
               tuple(compact(dst) for _, dst in routes))


def block_from(src_maps, src_coords, needed):
    """What source piece ``src_coords`` sends to a destination needing ``needed``.

    Returns ``(source positions, destination positions)`` per axis, or None if
    nothing.
    """
    src, dst = [], []
    for m, c, n in zip(src_maps, src_coords, needed):
        owned = m.owners(n) == c
        if not owned.any():
            return None
        src.append(compact(m.local_index(c, n[owned])))
        dst.append(compact(np.flatnonzero(owned)))
    return tuple(src), tuple(dst)
