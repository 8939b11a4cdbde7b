"""Worker side of indexing: views, single elements, assignment."""

import numpy as np
from mpi4py import MPI

from .buffers import TAG_SPAN, as_bytes
from .fetch import fetch
from .localarray import LocalArray
from .registry import command


@command
def view(local, world, layout, local_keys):
    """A view of ``local`` (sharing its memory) through this worker's local index."""
    if layout is None:
        return None
    return LocalArray(local.ndarray[(*local_keys[world.Get_rank()], Ellipsis)], layout)


@command
def get_element(local, index):
    """The element at a local buffer index, as a NumPy scalar."""
    return local.ndarray[index]


@command
def set_element(local, index, value):
    """Set the element at a local buffer index (``value`` has the array's dtype)."""
    local.ndarray[index] = value


@command
def take(world, data, source, dtype, src_maps, src_targets, layout, requesters, advanced, tag):
    """Advanced indexing: this worker's piece of ``view[index]``, fetched from the owners.

    The parts of the index arrays this piece needs come from the client.
    """
    wanted = None
    if layout is not None:
        owned = [m.global_indices(c) for m, c in zip(layout.maps, layout.coords)]
        parts = []
        for _ in advanced.indexed:
            shape = tuple(len(owned[a]) for a in advanced.broadcast_axes)
            part = np.empty(shape, np.intp)
            if part.size:
                data.Recv([as_bytes(part), MPI.BYTE], source=0, tag=tag)
            parts.append(part)
        wanted = advanced.view_indices(parts, owned)
    values = fetch(world, tag * TAG_SPAN, source, dtype, src_maps, src_targets, requesters, wanted)
    if layout is None:
        return None
    local = LocalArray.empty(layout, dtype, fill=0)
    local.owned[...] = values.reshape(local.owned.shape)
    return local


@command
def put(local, positions, values):
    """Set the elements at local buffer positions (in order: the last write wins)."""
    local.ndarray[positions] = values


@command
def compress(local, mask):
    """The owned elements where ``mask`` (same layout) is True, in C order, and their count."""
    return local.owned[mask.owned]


@command
def piece_size(obj):
    """The number of elements of a registry array."""
    return obj.size


@command
def wrap_piece(piece, layout):
    """A 1-D array piece as a LocalArray of ``layout``."""
    return LocalArray(piece, layout)
