"""Worker side of shape manipulation: local views, mapped gathers, triangles, index grids."""

import numpy as np

from .buffers import TAG_SPAN
from .exchange import gather_blocks
from .localarray import LocalArray
from .registry import command


def _from_owned(owned, layout, dtype):
    """A LocalArray of ``layout`` whose owned cells are ``owned``.

    ``owned`` becomes the buffer when it fits and owns its memory; otherwise (it
    may be a view of a source piece) it is copied.
    """
    if owned.shape == layout.shape and owned.base is None:
        return LocalArray(owned, layout)
    local = LocalArray.empty(layout, dtype, fill=0)
    local.owned[...] = owned
    return local


@command
def permuted_view(local, layout, perm):
    """The piece with its axes permuted (a view of the same memory)."""
    return LocalArray(local.ndarray.transpose(perm), layout)


@command
def part_view(local, part):
    """The real or imaginary part (``part``) of a complex piece, a view of the same memory."""
    return LocalArray(getattr(local.ndarray, part), local.layout)


@command
def field_view(local, key):
    """The field (or list of fields) ``key`` of a structured piece, a view of its memory."""
    return LocalArray(local.ndarray[key], local.layout)


@command
def dtype_view(local, dtype):
    """The piece's memory read as ``dtype`` (of the same itemsize)."""
    return LocalArray(local.ndarray.view(dtype), local.layout)


@command
def reshaped_view(local, layout):
    """The piece reshaped (C order) to the new layout's extent: a view when NumPy can."""
    return LocalArray(local.ndarray.reshape(layout.shape), layout)


@command
def gather_mapped(world, source, dtype, src_maps, src_targets, layout, dst_targets, mapped,
                  tag):
    """A new array whose cells read source cells chosen independently along each axis.

    ``mapped`` holds one :class:`~distarray.plan.shape.MappedAxis` per axis; the
    blocks move once, worker to worker.
    """
    owned = gather_blocks(world, tag * TAG_SPAN, source, dtype, src_maps, src_targets, mapped,
                          dst_targets, tuple(range(len(src_maps))))
    return None if layout is None else _from_owned(owned, layout, dtype)


@command
def triangle(local, k, lower):
    """A copy zeroed above (``lower``) or below the ``k``-th diagonal of the last two axes."""
    result = LocalArray(local.ndarray.copy(), local.layout)
    rows, cols = result.global_index_arrays()[-2:]
    offset = cols[np.newaxis, :] - rows[:, np.newaxis]
    np.copyto(result.owned, np.zeros((), result.dtype), where=offset > k if lower else offset < k)
    return result


@command
def index_grid(layout, dtype):
    """The piece of ``numpy.indices``: cell ``(k, i_0, ..., i_n)`` holds ``i_k``."""
    local = LocalArray.empty(layout, dtype, fill=0)
    selector, *indices = local.global_index_arrays()
    for position, k in enumerate(selector.tolist()):
        shape = [1] * len(indices)
        shape[k] = -1
        local.owned[position] = indices[k].reshape(shape)
    return local


@command
def nonzero_local(local):
    """Global indices of the piece's nonzero cells, in its C order: an (ndim, count) array."""
    found = np.nonzero(local.owned)
    result = np.empty((local.ndim, len(found[0])), np.intp)
    for row, index, positions in zip(result, local.global_index_arrays(), found):
        row[...] = index[positions]
    return result
