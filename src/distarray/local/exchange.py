"""Moving elements between workers: one round of point-to-point messages.

Every worker works out, from the two layouts alone (see
:mod:`distarray.plan.exchange`), which block it sends to and receives from
each other worker; a block it holds itself is copied without MPI.
"""

import numpy as np
from mpi4py import MPI

from ..plan.exchange import block_from, blocks, needed_indices
from ..plan.grid import coords_from_rank
from .buffers import TAG_SPAN, as_bytes
from .localarray import LocalArray
from .progress import drive
from .registry import command


def _index(positions):
    """A NumPy index from per-axis slices and position arrays."""
    if all(isinstance(p, slice) for p in positions):
        return positions
    return np.ix_(*(np.arange(p.start, p.stop, p.step) if isinstance(p, slice) else p
                    for p in positions))


def _extent(position):
    return len(range(position.start, position.stop, position.step)) \
        if isinstance(position, slice) else len(position)


#: Side of the square tiles in which blocks are written into a transposed ``out``.
TILE = 128


def _place(result, where, data):
    """``result[where] = data``; tile by tile when that writes across the rows of memory.

    A transposed ``result`` (its last axis not the fastest in memory) would
    otherwise be written with a cache miss per element.
    """
    target = result[where] if all(isinstance(w, slice) for w in where) else None
    if target is None or target.ndim < 2 or target.strides[-1] <= target.strides[-2]:
        result[where] = data
        return
    rows, columns = target.shape[-2:]
    for i in range(0, rows, TILE):
        for j in range(0, columns, TILE):
            target[..., i:i + TILE, j:j + TILE] = data[..., i:i + TILE, j:j + TILE]


class Blocks:
    """An operand kept as the rectangular blocks it arrived in (no assembly copy).

    Blocks from this worker's own piece are views of it; the others are the
    received (small, e.g. halo) arrays.  ``parts`` holds ``(slices, array)``
    pairs, the slices (step 1) placing each block in the destination piece.
    """

    def __init__(self, shape, parts):
        self.shape = shape
        self.parts = parts

    def breakpoints(self, axis):
        """Where blocks start or end along ``axis``."""
        return {b for slices, _ in self.parts for b in (slices[axis].start, slices[axis].stop)}

    def cut(self, region):
        """The cells of ``region`` (one ``(lo, hi)`` per axis), which lie in one block."""
        for slices, array in self.parts:
            if all(s.start <= lo and hi <= s.stop for s, (lo, hi) in zip(slices, region)):
                return array[tuple(slice(lo - s.start, hi - s.start)
                                   for s, (lo, hi) in zip(slices, region))]
        raise ValueError("region %s straddles blocks" % (region,))


def _post(comm, array, positions, rank, tag, staged, receive=False):
    """Post sending (or ``receive``-ing) the block ``array[positions]`` to (from) ``rank``.

    A block that is contiguous in memory travels in place; any other is
    staged in a contiguous copy: ``staged`` keeps ``(positions, copy)`` until
    the transfer is done (a received copy is then placed by the caller).
    """
    transfer = comm.Irecv if receive else comm.Isend
    if all(isinstance(p, slice) for p in positions):
        view = array[(*positions, Ellipsis)]  # a view, 0-d included
        if view.flags.c_contiguous:
            return transfer([as_bytes(view), MPI.BYTE], rank, tag)
    block = np.empty(tuple(map(_extent, positions)), array.dtype) if receive else \
        np.ascontiguousarray(array[_index(positions)])
    staged.append((positions, block))
    return transfer([as_bytes(block), MPI.BYTE], rank, tag)


def gather_blocks(world, tag, source, dtype, src_maps, src_targets, dst_maps, dst_targets, axes,
                  as_blocks=False, out=None):
    """Bring to each destination piece the source elements it needs.

    Runs on every worker of ``src_targets`` and ``dst_targets`` (one call per
    worker, all with the same arguments but ``source``).

    Parameters
    ----------
    world : mpi4py.MPI.Intracomm
        Communicator of all workers (ranks = worker ranks).
    tag : int
        Message tag, unique to this exchange.
    source : LocalArray or None
        This worker's piece of the source (None if it holds none).
    dtype : numpy.dtype
        The source's element type.
    src_maps, src_targets : tuple
        The source's maps and workers (grid order).
    dst_maps, dst_targets : tuple
        The destination's maps and workers (grid order).
    axes : tuple
        For each source axis, the destination axis it aligns with, or None
        for a broadcast axis.

    Returns
    -------
    numpy.ndarray or None
        On a destination worker, the needed elements: one axis per source
        axis, of the destination piece's owned extent (1 on broadcast axes).
        When they all come from this worker's own piece as one strided block,
        this is a view of that piece, not a copy: treat it as read-only.
        With ``as_blocks`` (and no broadcasting), a :class:`Blocks` instead
        when the blocks are rectangles: no assembly copy at all.
        With ``out`` (an array of that shape, any strides, e.g. a transposed
        view), the elements are written there and ``out`` is returned.
    """
    me = world.Get_rank()
    dst_grid = tuple(m.grid_size for m in dst_maps)
    src_grid = tuple(m.grid_size for m in src_maps)
    requests, buffers, placements = [], [], []
    if source is not None:
        src_coords = coords_from_rank(src_targets.index(me), src_grid)
        for i, rank in enumerate(dst_targets):
            if rank == me:
                continue
            needed = needed_indices(dst_maps, coords_from_rank(i, dst_grid), axes)
            block = block_from(src_maps, src_coords, needed)
            if block is not None:
                requests.append(_post(world, source.ndarray, block[0], rank, tag, buffers))
    result = None
    if me in dst_targets:
        needed = needed_indices(dst_maps, coords_from_rank(dst_targets.index(me), dst_grid), axes)
        shape = tuple(len(n) for n in needed)
        found = list(blocks(src_maps, needed))
        if out is None and len(found) == 1 and src_targets[found[0][0]] == me and all(
                isinstance(p, slice) for p in found[0][1]):
            drive(requests)  # all this worker needs is its own: a view, no copy
            return source.ndarray[found[0][1]].reshape(shape)
        rectangles = as_blocks and axes == tuple(range(len(dst_maps))) and all(
            isinstance(p, slice) and p.step == 1 for _, src, dst in found for p in (*src, *dst))
        result = Blocks(shape, []) if rectangles else np.empty(shape, dtype) if out is None \
            else out
        for j, src_pos, dst_pos in found:
            if src_targets[j] == me:
                if rectangles:
                    result.parts.append((dst_pos, source.ndarray[src_pos]))
                else:
                    _place(result, _index(dst_pos), source.ndarray[_index(src_pos)])
                continue
            if rectangles:
                data = np.empty(tuple(map(_extent, dst_pos)), dtype)
                requests.append(world.Irecv([as_bytes(data), MPI.BYTE], src_targets[j], tag))
                result.parts.append((dst_pos, data))
            else:
                requests.append(_post(world, result, dst_pos, src_targets[j], tag,
                                      placements, receive=True))
    drive(requests)
    for where, data in placements:
        _place(result, _index(where), data)
    return result


@command
def redistribute(world, source, dtype, src_maps, src_targets, layout, dst_maps, dst_targets,
                 tag):
    """A copy of the source array laid out as ``layout`` (each element moves once)."""
    owned = gather_blocks(world, tag * TAG_SPAN, source, dtype, src_maps, src_targets, dst_maps,
                          dst_targets, tuple(range(len(src_maps))))
    return None if layout is None else LocalArray.from_owned(owned, layout)
