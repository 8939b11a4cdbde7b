"""The foundation's worker-side commands: communicators, creation, transfer, protocol."""

import os
import socket

import numpy as np
from mpi4py import MPI

from . import sequences
from .buffers import as_bytes
from .localarray import Layout, LocalArray
from .registry import command, release

# -- registry and user functions ----------------------------------------------------
@command
def keep(obj):
    """Return ``obj`` unchanged (stored under the command's key)."""
    return obj


@command
def process_info():
    """This worker's process id and host name."""
    return os.getpid(), socket.gethostname()


@command
def keep_as(registry, key, obj):
    """Store ``obj`` under the fixed registry ``key`` (e.g. the client's doorbell name)."""
    release(registry.pop(key, None))
    registry[key] = obj


@command
def apply(function, args, kwargs):
    """Call a user function."""
    return function(*args, **kwargs)


@command
def make_cart(world, targets, grid_shape):
    """Cartesian communicator over ``targets`` (rank order = row-major grid)."""
    group = world.Get_group().Incl(list(targets))
    sub = world.Create_group(group)
    group.Free()
    if not grid_shape:
        return sub
    cart = sub.Create_cart(list(grid_shape), periods=[False] * len(grid_shape), reorder=False)
    sub.Free()
    return cart


@command
def make_layout(comm, maps):
    """This worker's :class:`Layout` for an array with these maps on ``comm``."""
    return Layout.on_worker(comm, maps)


# -- creation -----------------------------------------------------------------------
@command
def create(layout, dtype, fill=None):
    """A new local array, uninitialised or filled with ``fill``."""
    return LocalArray.empty(layout, dtype, fill)


@command
def receive(layout, dtype, data, padded, tag):
    """A new local array whose owned cells (or whole buffer) come from the client."""
    local = LocalArray.empty(layout, dtype)
    owned = local.ndarray if padded else local.owned
    if owned.shape != local.ndarray.shape:
        local.ndarray.fill(0)  # padding cells get defined values
    if owned.size:
        target = owned if owned.flags.c_contiguous else np.empty(owned.shape, dtype)
        data.Recv([as_bytes(target), MPI.BYTE], source=0, tag=tag)
        if target is not owned:
            owned[...] = target
    return local


@command
def send(local, data, tag, padded=False):
    """Send the owned cells (or, ``padded``, the whole buffer) to the client."""
    block = local.ndarray if padded else local.owned
    if block.size:
        data.Send([as_bytes(np.ascontiguousarray(block)), MPI.BYTE], dest=0, tag=tag)


@command
def fromfunction(layout, dtype, function, kwargs):
    """``function(*global_index_arrays, **kwargs)`` on the owned cells (dtype of its values)."""
    indices = (m.global_indices(c) for m, c in zip(layout.maps, layout.coords))
    grids = np.meshgrid(*indices, indexing="ij")
    value = np.asarray(function(*(g.astype(dtype, copy=False) for g in grids), **kwargs))
    owned = layout.owned_shape
    return LocalArray.from_owned(value if value.shape == owned else
                                 np.broadcast_to(value, owned), layout)


@command
def result_dtype(local):
    """The dtype of a local array."""
    return local.dtype


@command
def sequence(layout, dtype, kernel, args):
    """A new 1-D local array of ``kernel(global_positions, *args, dtype)``."""
    local = LocalArray.empty(layout, dtype, fill=0)
    local.owned[...] = getattr(sequences, kernel)(local.global_index_arrays()[0], *args, dtype)
    return local


# -- whole-array operations ---------------------------------------------------------
@command
def fill(local, value):
    """Set every cell (padding included) to ``value``."""
    local.ndarray.fill(value)


@command
def copy(local):
    """An independent copy of a local array."""
    return LocalArray(local.ndarray.copy(), local.layout)


@command
def share_memory(first, second, exact):
    """Whether two local arrays (None where absent) overlap in memory here.

    ``exact`` asks :func:`numpy.shares_memory`, else :func:`numpy.may_share_memory`.
    """
    if first is None or second is None:
        return False
    return bool((np.shares_memory if exact else np.may_share_memory)(first.ndarray,
                                                                     second.ndarray))


@command
def astype(local, dtype, casting):
    """A copy converted to ``dtype``."""
    return LocalArray(local.ndarray.astype(dtype, casting=casting), local.layout)


# -- the protocol -------------------------------------------------------------------
@command
def describe_export(obj):
    """What the client needs to import ``obj.__distarray__()``: dim data, shape, dtype."""
    from ..plan.dap import check_export

    export = obj.__distarray__()
    check_export(export)
    buffer = np.asarray(export["buffer"])
    return export["dim_data"], buffer.shape, buffer.dtype


@command
def adopt(layout, dtype, obj):
    """Wrap ``obj``'s exported buffer, without copying, as a local array."""
    return LocalArray(np.asarray(obj.__distarray__()["buffer"]).view(dtype), layout)
