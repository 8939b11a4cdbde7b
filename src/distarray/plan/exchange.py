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
from .maps import Map


def compact(positions):
    """``positions`` (int array) as a slice (with a step) when it is an increasing progression."""
    if isinstance(positions, slice):
        return positions
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

    Consecutive indices come as a ``range``, others as an int64 array.
    """
    return tuple(np.zeros(1, np.int64) if a is None
                 else _owned_indices(dst_maps[a], dst_coords[a]) for a in axes)


def _owned_indices(m, r):
    """The global indices grid rank ``r`` of map ``m`` owns: a ``range`` when consecutive.

    (A range costs nothing to make, and routes by interval arithmetic.)  Other
    stand-ins for a destination map (:class:`~distarray.plan.shape.MappedAxis`)
    give their index arrays.
    """
    owned = m.global_slice(r) if isinstance(m, Map) else None
    if owned is not None and owned.step == 1:
        return range(owned.start, owned.stop)
    return m.global_indices(r)


def axis_routes(src_map, needed):
    """``{source grid rank: (source buffer positions, destination positions)}``.

    ``needed`` is an index array or a ``range`` of consecutive indices.
    """
    if isinstance(needed, range):
        if src_map.dist in ("b", "n"):
            return _interval_routes(src_map, needed.start, needed.stop)
        needed = np.arange(needed.start, needed.stop)
    if len(needed) > 1 and src_map.dist in ("b", "n") and needed[-1] - needed[0] == len(
            needed) - 1 and np.all(np.diff(needed) == 1):
        return _interval_routes(src_map, int(needed[0]), int(needed[-1]) + 1)
    owners = src_map.owners(needed)
    block = src_map.dist in ("b", "n")
    routes = {}
    for rank in np.flatnonzero(np.bincount(owners, minlength=src_map.grid_size)).tolist():
        chosen = np.flatnonzero(owners == rank)
        if block:  # owned indices are consecutive: a shift gives the buffer positions
            shift = src_map.owned_local_slice(rank).start - src_map.global_slice(rank).start
            routes[rank] = (needed[chosen] + shift, chosen)
        else:
            routes[rank] = (src_map.local_index(rank, needed[chosen]), chosen)
    return routes


def _interval_routes(src_map, low, high):
    """:func:`axis_routes` for a block map and the consecutive indices ``[low, high)``.

    Intersects intervals: a few operations per rank instead of per index.
    """
    routes = {}
    for rank in range(src_map.grid_size):
        owned = src_map.global_slice(rank)
        start, stop = max(owned.start, low), min(owned.stop, high)
        if start < stop:
            first = src_map.owned_local_slice(rank).start + start - owned.start
            routes[rank] = (slice(first, first + stop - start, 1),
                            slice(start - low, stop - low, 1))
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
        route = axis_routes(m, n).get(c)
        if route is None:
            return None
        src.append(compact(route[0]))
        dst.append(compact(route[1]))
    return tuple(src), tuple(dst)
