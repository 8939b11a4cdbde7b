"""Halo (ghost cell) exchange between neighbouring pieces of block-distributed axes."""

import numpy as np
from mpi4py import MPI

from .buffers import TAG_SPAN, as_bytes
from . import memory
from .localarray import LocalArray
from .progress import wait_all
from .registry import command


def _neighbours(comm, axis, periodic):
    """Cartesian ranks of the lower and upper neighbour along ``axis`` (or None)."""
    coords = list(comm.Get_coords(comm.Get_rank()))
    dims = comm.Get_topo()[0]
    result = []
    for step in (-1, 1):
        c = coords[axis] + step
        if 0 <= c < dims[axis] or periodic:
            neighbour = list(coords)
            neighbour[axis] = c % dims[axis]
            result.append(comm.Get_cart_rank(neighbour))
        else:
            result.append(None)
    return result


def extend(block, comm, axes, depth, boundary, tag):
    """``block`` grown by ``depth`` cells on both sides of each of ``axes``.

    The block is copied once into the grown array; its halos are then filled
    axis by axis.  Cells inside the global array come from the neighbouring
    pieces (one nonblocking exchange per axis; the slabs sent include the
    halos of the axes done before, so corners are filled too); cells beyond
    the global edge follow ``boundary``: 'periodic' (the other edge),
    'reflect', 'nearest' ('edge'), or a number (constant).
    """
    periodic = boundary == "periodic"
    for axis in axes:
        if block.shape[axis] < depth:
            raise ValueError("depth %d exceeds a piece of %d cells along axis %d"
                             % (depth, block.shape[axis], axis))
    shape = list(block.shape)
    for axis in axes:
        shape[axis] += 2 * depth
    grown = memory.empty(tuple(shape), block.dtype)
    inner = [slice(depth, depth + n) if a in axes else slice(None)
             for a, n in enumerate(block.shape)]
    grown[tuple(inner)] = block
    for k, axis in enumerate(axes if depth else ()):
        inner[axis] = slice(None)  # done axes (and this one) span the grown extent
        slab = grown[tuple(inner)]  # filled along the done axes, inner cells elsewhere
        low, high = _neighbours(comm, axis, periodic)
        n = block.shape[axis]
        sides = (("low", low, slice(depth, 2 * depth), slice(0, depth)),
                 ("high", high, slice(n, n + depth), slice(n + depth, n + 2 * depth)))
        take = [slice(None)] * block.ndim
        requests, received = [], []
        for side, neighbour, edge, halo in sides:
            take[axis] = halo
            if neighbour is None:
                slab[tuple(take)] = _beyond(slab, axis, depth, side, boundary)
                continue
            take[axis] = edge
            out = np.ascontiguousarray(slab[tuple(take)])
            got = np.empty_like(out)
            # our low edge goes to the low neighbour, which files it as its high halo
            send_tag, recv_tag = (tag * TAG_SPAN + 2 * k, tag * TAG_SPAN + 2 * k + 1) \
                if side == "low" else (tag * TAG_SPAN + 2 * k + 1, tag * TAG_SPAN + 2 * k)
            requests.append(comm.Isend([as_bytes(out), MPI.BYTE], neighbour, send_tag))
            requests.append(comm.Irecv([as_bytes(got), MPI.BYTE], neighbour, recv_tag))
            take[axis] = halo
            received.append((tuple(take), got, out))
        wait_all(requests)
        for index, got, _ in received:
            slab[index] = got
    return grown


def _beyond(slab, axis, depth, side, boundary):
    """The ``depth`` cells beyond the global edge on ``side`` of ``axis`` of ``slab`` (a
    piece already grown by ``depth`` empty cells on both sides of ``axis``), by ``boundary``."""
    index = [slice(None)] * slab.ndim
    n = slab.shape[axis] - 2 * depth
    if boundary == "reflect":  # NumPy's 'symmetric': the edge cells mirrored
        index[axis] = slice(2 * depth - 1, depth - 1, -1) if side == "low" else \
            slice(n + depth - 1, n - 1, -1)
    elif boundary == "nearest":
        index[axis] = slice(depth, depth + 1) if side == "low" else \
            slice(n + depth - 1, n + depth)
    else:  # a constant ('periodic' always has neighbours)
        return boundary
    return slab[tuple(index)]


@command
def map_overlap(local, layout, function, depth, boundary, axes, kwargs, tag):
    """``function`` on this piece grown by halos, trimmed back to the piece."""
    grown = extend(local.owned, local.comm, axes, depth, boundary, tag)
    value = np.asarray(function(grown, **kwargs))
    trim = tuple(slice(depth, value.shape[a] - depth) if a in axes else slice(None)
                 for a in range(value.ndim))
    result = LocalArray.empty(layout, value.dtype, fill=None if layout.shape == value[trim].shape
                              else 0)
    result.owned[...] = value[trim]
    del value
    if axes and memory.private(grown):  # the function kept no view of it
        memory.give_back(grown)
    return result


@command
def convolve_piece(local, layout, taps, left, right, tag):
    """``sum_j taps[j] * x[k - left + j]`` at each of this piece's ``k`` (zeros beyond the ends).

    The piece of the 1-D block-distributed ``x`` is grown by its neighbours'
    cells (``left`` below, ``right`` above) and NumPy's ``convolve`` computes
    the new piece, which is kept without a copy.
    """
    depth = max(left, right)
    grown = extend(local.owned, local.comm, (0,), depth, 0, tag)
    window = grown[depth - left:len(grown) - (depth - right)]
    result = np.convolve(window, taps[::-1], "valid")
    del window
    if memory.private(grown):
        memory.give_back(grown)
    return LocalArray.from_owned(result, layout)


@command
def exchange_halos(local, tag):
    """Fill the communication padding of every block axis from the neighbours.

    Axes are done in turn and each sends its full extent along the other
    axes, so the corner cells of multi-dimensional halos are filled too.
    """
    comm, view = local.comm, local.ndarray
    for axis, (m, c) in enumerate(zip(local.maps, local.coords)):
        if m.dist != "b" or not any(m.padding[c]):
            continue
        low_width, high_width = m.padding[c]
        owned = m.owned_local_slice(c)
        low, high = _neighbours(comm, axis, periodic=False)
        requests, received = [], []
        for neighbour, send_cells, recv_cells, send_tag, recv_tag in (
                (low, slice(owned.start, owned.start + low_width), slice(0, low_width), 0, 1),
                (high, slice(owned.stop - high_width, owned.stop),
                 slice(owned.stop, owned.stop + high_width), 1, 0)):
            if neighbour is None or send_cells.start == send_cells.stop:
                continue
            index = [slice(None)] * view.ndim
            index[axis] = send_cells
            out = np.ascontiguousarray(view[tuple(index)])
            index[axis] = recv_cells
            got = np.empty_like(out)
            base = tag * TAG_SPAN + 2 * axis
            requests.append(comm.Isend([as_bytes(out), MPI.BYTE], neighbour, base + send_tag))
            requests.append(comm.Irecv([as_bytes(got), MPI.BYTE], neighbour, base + recv_tag))
            received.append((tuple(index), got, out))
        wait_all(requests)
        for index, got, _ in received:
            view[index] = got
