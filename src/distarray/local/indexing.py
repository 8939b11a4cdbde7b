"""Worker side of indexing: views, single elements, advanced indexing and assignment."""

import functools

import numpy as np
from mpi4py import MPI

from .buffers import as_bytes
from .fetch import Requests, deposit, fetch, flat_at, flat_put
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
def limits(pieces):
    """``(min, max)`` of the owned elements of each piece, or None where it owns none."""
    return [(p.owned.min(), p.owned.max()) if p.owned.size else None for p in pieces]


def _index_parts(data, tag, layout, advanced, indices, sizes):
    """This piece's parts of the broadcast index arrays, made non-negative.

    ``indices`` holds per indexed axis None (the part comes from the client,
    already checked) or ``(piece, wraps)``: this worker's piece of a
    distributed index laid out like the result, and whether it holds
    negative indices into an axis of ``sizes``' length.
    """
    shape = tuple(layout.owned_shape[a] for a in advanced.broadcast_axes)
    parts = []
    for index, size in zip(indices, sizes):
        if index is None:
            part = np.empty(shape, np.intp)
            if part.size:
                data.Recv([as_bytes(part), MPI.BYTE], source=0, tag=tag)
        else:
            piece, wraps = index
            part = np.asarray(piece.owned, np.int64)
            if wraps:
                part = np.where(part < 0, part + size, part)
        parts.append(part)
    return parts


def _requests(comm, members, data, tag, src_maps, src_targets, layout, advanced, indices):
    """The :class:`Requests` of the result piece ``layout`` (None off the result)."""
    wanted = None
    if layout is not None:
        sizes = [src_maps[a].size for a in advanced.indexed]
        parts = _index_parts(data, tag, layout, advanced, indices, sizes)
        wanted = advanced.view_positions(parts, _owned_indices(layout))
    return Requests(comm, src_maps, [members.index(t) for t in src_targets], wanted)


def _owned_indices(layout):
    """Per axis, the global indices of the cells a layout's piece owns."""
    return [m.global_indices(c) for m, c in zip(layout.maps, layout.coords)]


@command
def take(comm, members, data, source, dtype, src_maps, src_targets, layout, advanced, indices,
         tag):
    """Advanced indexing: this worker's piece of ``view[index]``, fetched from the owners.

    ``comm`` joins ``members`` (the source's and the result's workers, in
    rank order); see :func:`_index_parts` for ``indices``.
    """
    requests = _requests(comm, members, data, tag, src_maps, src_targets, layout, advanced,
                         indices)
    owned = None if layout is None else np.empty(layout.owned_shape, dtype)
    fetch(requests, None if source is None else source.ndarray, dtype,
          None if owned is None else owned.reshape(-1))
    return None if layout is None else LocalArray.from_owned(owned, layout)


@command
def put(comm, members, data, target, dtype, src_maps, src_targets, layout, advanced, indices,
        value, ordered, tag, at=None):
    """Advanced assignment: this worker's piece of ``view[index] = value`` sent to the owners.

    ``value`` is a scalar (of ``dtype``), this worker's piece of the values
    laid out like the result, or None (the values come from the client,
    after the index parts).  Unless the result's pieces are ``ordered`` (C
    order is rank order), each value travels with its C-order position, so
    that NumPy's rule holds for repeated indices: the last value wins.
    With ``at=(ufunc, errstate)``, the owners apply ``ufunc.at`` (under
    the client's ``errstate``) in that order instead of assigning, and
    ``dtype`` is the values' dtype.
    """
    requests = _requests(comm, members, data, tag, src_maps, src_targets, layout, advanced,
                         indices)
    keys = None if ordered else np.empty(0, np.int64)
    if layout is None:
        values = value if np.ndim(value) == 0 else np.empty(0, dtype)
    elif isinstance(value, LocalArray):
        values = np.ascontiguousarray(value.owned, dtype).reshape(-1)
    elif value is None:
        values = np.empty(requests.size, dtype)
        if values.size:
            data.Recv([as_bytes(values), MPI.BYTE], source=0, tag=tag)
    else:
        values = value
    if layout is not None and not ordered:
        shape = tuple(m.size for m in layout.maps)
        keys = np.ravel_multi_index(np.meshgrid(*_owned_indices(layout), indexing="ij"),
                                    shape).reshape(-1)
    write = flat_put if at is None else functools.partial(flat_at, at[0])
    with np.errstate(**({} if at is None else at[1])):
        deposit(requests, None if target is None else target.ndarray, values, keys, write)


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
