"""Worker-side functions that the client's commands name.

Each function receives already-resolved arguments (registry objects in place
of references) and returns a value, which the worker either stores under a
registry key or sends back to the client.  Client-side validation guarantees
that a command either runs on all of its targets or on none.
"""

import numpy as np
from mpi4py import MPI

from ..runtime.wire import as_bytes
from . import sequences
from .localarray import LocalArray

COMMANDS = {}

def command(function):
    """Register ``function`` under its name."""
    COMMANDS[function.__name__] = function
    return function


def release(obj):
    """Release a registry object (communicators are freed)."""
    if isinstance(obj, MPI.Comm) and obj != MPI.COMM_NULL:
        obj.Free()


def _coords(comm, ndim):
    return tuple(comm.Get_coords(comm.Get_rank())) if ndim else ()


# -- registry and user functions ----------------------------------------------------
@command
def keep(obj):
    """Return ``obj`` unchanged (stored under the command's key)."""
    return obj


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


# -- creation -----------------------------------------------------------------------
@command
def create(comm, maps, dtype, fill=None):
    """A new local array, uninitialised or filled with ``fill``."""
    return LocalArray.empty(maps, _coords(comm, len(maps)), dtype, comm, fill)


@command
def receive(comm, maps, dtype, data, padded, tag):
    """A new local array whose owned cells (or whole buffer) come from the client."""
    local = LocalArray.empty(maps, _coords(comm, len(maps)), dtype, comm)
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
def fromfunction(comm, maps, dtype, function, kwargs):
    """``function(*global_index_arrays, **kwargs)`` on the owned cells.

    Returns the local array and the dtype of the function's result.
    """
    coords = _coords(comm, len(maps))
    probe = LocalArray.empty(maps, coords, np.uint8, comm)
    grids = np.meshgrid(*probe.global_index_arrays(), indexing="ij")
    value = np.asarray(function(*(g.astype(dtype, copy=False) for g in grids), **kwargs))
    local = LocalArray.empty(maps, coords, value.dtype, comm, fill=0)
    local.owned[...] = value
    return local


@command
def result_dtype(local):
    """The dtype of a local array."""
    return local.dtype


@command
def sequence(comm, maps, dtype, kernel, args):
    """A new 1-D local array of ``kernel(global_positions, *args, dtype)``."""
    local = LocalArray.empty(maps, _coords(comm, len(maps)), dtype, comm, fill=0)
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
    return LocalArray(local.ndarray.copy(), local.maps, local.coords, local.comm)


@command
def astype(local, dtype, casting):
    """A copy converted to ``dtype``."""
    return LocalArray(local.ndarray.astype(dtype, casting=casting), local.maps, local.coords,
                      local.comm)


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
def adopt(comm, maps, dtype, obj):
    """Wrap ``obj``'s exported buffer, without copying, as a local array."""
    buffer = np.asarray(obj.__distarray__()["buffer"])
    return LocalArray(buffer.view(dtype), maps, _coords(comm, len(maps)), comm)
