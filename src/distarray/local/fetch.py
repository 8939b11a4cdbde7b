"""Fetching single elements from their owners: request, then reply.

Used where the elements a process needs do not form per-axis blocks (advanced
indexing).  Every requester sends every source process the buffer positions
it wants (possibly none), and each source answers with the values, so both
sides know every message in advance; a process's own elements are copied
directly.
"""

import os

import numpy as np
from mpi4py import MPI

from ..plan.grid import coords_from_rank
from .buffers import as_bytes
from .progress import drive


def _receive_positions(world, source, tag):
    """Receive a variable-length int64 array from ``source`` without spinning."""
    status = MPI.Status()
    while (message := world.Improbe(source, tag, status)) is None:
        os.sched_yield()
    positions = np.empty(status.Get_count(MPI.BYTE) // 8, np.int64)
    message.Recv([as_bytes(positions), MPI.BYTE])
    return positions


def fetch(world, tag, source, dtype, src_maps, src_targets, requesters, wanted):
    """Give each requester the source elements at the global indices it wants.

    Parameters
    ----------
    world : mpi4py.MPI.Intracomm
        All workers; ``src_targets`` and ``requesters`` are ranks in it.
    tag : int
        Uses the tags ``tag`` (requests) and ``tag + 1`` (replies).
    source : LocalArray or None
        This worker's piece of the source array.
    wanted : tuple of int arrays or None
        On requesters: per source axis, the global indices of the wanted
        elements (all of one length); None elsewhere.

    Returns
    -------
    numpy.ndarray or None
        On requesters, the wanted values (1-D, in the order asked).
    """
    me = world.Get_rank()
    grid = tuple(m.grid_size for m in src_maps)
    requests, keep, placements = [], [], []
    result = None
    if wanted is not None:
        count = len(wanted[0]) if wanted else 1
        owners = [m.owners(w) for m, w in zip(src_maps, wanted)]
        pieces = np.ravel_multi_index(owners, grid) if grid else np.zeros(count, np.intp)
        order = np.argsort(pieces, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(pieces, minlength=len(src_targets)))])
        result = np.empty(count, dtype)
        for j, rank in enumerate(src_targets):
            chosen = order[bounds[j]:bounds[j + 1]]
            coords = coords_from_rank(j, grid)
            local = tuple(m.local_index(c, w[chosen]) for m, c, w in zip(src_maps, coords, wanted))
            if rank == me:
                result[chosen] = source.ndarray[local]
                continue
            extents = tuple(m.extent(c) for m, c in zip(src_maps, coords))
            flat = np.ascontiguousarray(np.ravel_multi_index(local, extents) if local
                                        else np.zeros(len(chosen), np.int64), dtype=np.int64)
            values = np.empty(len(chosen), dtype)
            requests.append(world.Isend([as_bytes(flat), MPI.BYTE], rank, tag))
            requests.append(world.Irecv([as_bytes(values), MPI.BYTE], rank, tag + 1))
            keep.append(flat)
            placements.append((chosen, values))
    if source is not None:
        for rank in requesters:
            if rank == me:
                continue
            flat = _receive_positions(world, rank, tag)
            data = source.ndarray
            picked = data[np.unravel_index(flat, data.shape)] if data.ndim else \
                np.repeat(data, len(flat))
            values = np.ascontiguousarray(picked)
            requests.append(world.Isend([as_bytes(values), MPI.BYTE], rank, tag + 1))
            keep.append(values)
    drive(requests)
    for chosen, values in placements:
        result[chosen] = values
    return result
