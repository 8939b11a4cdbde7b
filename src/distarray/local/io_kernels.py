"""Worker commands for files: each worker reads and writes only its own piece.

The client validates everything, creates files (headers, datasets, zarr
metadata) under temporary names and renames them once every worker reported
success; these kernels only move one piece's cells.  ``h5py`` and ``zarr`` are
imported when first used (they are optional dependencies).
"""

import functools
import math
import os
import time

import numpy as np
from mpi4py import MPI

from . import dnpy
from .buffers import as_bytes
from .localarray import LocalArray
from .registry import command

#: Seconds between two tests of a pending collective (waits never spin).
_NAP_SECONDS = 0.0005
#: Contiguous runs of a piece in a file shorter than this go through a memory map.
MIN_RUN_BYTES = 4096


# -- selections -----------------------------------------------------------------------
def _compact(indices):
    """``indices`` as a slice if they are an increasing arithmetic progression."""
    if len(indices) == 1:
        return slice(int(indices[0]), int(indices[0]) + 1)
    steps = np.unique(np.diff(indices))
    if len(steps) == 1 and steps[0] > 0:
        return slice(int(indices[0]), int(indices[-1]) + 1, int(steps[0]))
    return indices


def _indices(layout, padding=False):
    """Per axis, the global indices of the owned cells (of every cell if ``padding``).

    Halo cells give the index of the cell they mirror, so reading a whole
    buffer from a file fills the halos too.
    """
    return [m.global_indices(c, padding) for m, c in zip(layout.maps, layout.coords)]


def _global_index(layout, padding=False):
    """NumPy index of the cells in the global array (slices where regular)."""
    indices = _indices(layout, padding)
    selectors = [_compact(g) for g in indices]
    return tuple(selectors) if all(isinstance(s, slice) for s in selectors) else np.ix_(*indices)


def _slab(layout, padding=False):
    """The hyperslab around the cells and the cells' positions in it.

    Returns ``(slices, positions)``: per axis an exact slice where the indices
    are regular, else their bounding slice; ``positions`` is None when every
    axis is exact, else the ``np.ix_`` index of the cells in the slab.
    """
    indices = _indices(layout, padding)
    slices = [_compact(g) for g in indices]
    if all(isinstance(s, slice) for s in slices):
        return tuple(slices), None
    lows = [int(g.min()) for g in indices]
    slab = tuple(s if isinstance(s, slice) else slice(low, int(g.max()) + 1)
                 for s, g, low in zip(slices, indices, lows))
    positions = [np.arange(len(g)) if isinstance(s, slice) else g - low
                 for s, g, low in zip(slices, indices, lows)]
    return slab, np.ix_(*positions)


def _part(array, per_axis):
    """``array`` restricted, axis by axis, to a slice or an index array."""
    for axis, index in enumerate(per_axis):
        array = array[(slice(None),) * axis + (index,)]
    return array


# -- coordination between the workers of an array ---------------------------------------
def _wait(request):
    """Complete an MPI request without spinning on the CPU."""
    while not request.Test():
        time.sleep(_NAP_SECONDS)


def _caught(work):
    """Run ``work``; return the exception it raised, or None.

    A kernel that takes part in collectives re-raises only after the last
    one, so that an I/O error on one worker never leaves the others waiting.
    """
    try:
        work()
    except Exception as exc:  # re-raised by the caller
        return exc
    return None


def _in_turns(comm, work):
    """Run ``work`` on the workers of ``comm`` one after the other, in rank order.

    Returns the exception ``work`` raised on this worker, or None.
    """
    error = None
    for turn in range(comm.Get_size()):
        if turn == comm.Get_rank():
            error = _caught(work)
        _wait(comm.Ibarrier())
    return error


def _anyone(comm, flag):
    """Whether ``flag`` is true on any worker of ``comm``."""
    mine, result = np.array(bool(flag)), np.array(False)
    _wait(comm.Iallreduce(mine, result, op=MPI.LOR))
    return bool(result)


# -- raw bytes: .npy files and contiguous HDF5 datasets ---------------------------------
def _runs(indices, shape, itemsize):
    """Where the cells ``np.ix_(*indices)`` of a C-ordered array of ``shape`` lie in memory.

    Returns ``(starts, length)``: the byte offsets of the contiguous runs the
    cells form, in C order of the cells, and their common length in bytes; or
    None if the runs are shorter than :data:`MIN_RUN_BYTES`.
    """
    strides = [itemsize * math.prod(shape[axis + 1:]) for axis in range(len(shape))]
    axis, length = len(shape), itemsize
    while axis and np.array_equal(indices[axis - 1], np.arange(shape[axis - 1])):
        axis -= 1  # a whole axis: runs extend over it
        length *= shape[axis]
    starts = np.zeros(1, dtype=np.int64)
    last = _compact(indices[axis - 1]) if axis else None
    if isinstance(last, slice) and last.step == 1:
        axis -= 1  # consecutive indices: one run each across this axis
        length *= len(indices[axis])
        starts += last.start * strides[axis]
    if length < MIN_RUN_BYTES:
        return None
    for g, stride in zip(indices[:axis], strides):
        starts = (starts[:, None] + g[None, :] * stride).ravel()
    return starts, length


def _move(transfer, path, flags, buffer, offset, runs):
    """``transfer`` (pread or pwrite) each run between ``buffer`` and the file at ``offset``."""
    starts, length = runs
    fd = os.open(path, flags)
    try:
        for i, start in enumerate(starts):
            view, position = buffer[i * length:(i + 1) * length], offset + int(start)
            while len(view):  # the calls may move fewer bytes than asked
                moved = transfer(fd, view, position)
                if moved <= 0:
                    raise OSError("%s ends before the array does" % path)
                view, position = view[moved:], position + moved
    finally:
        os.close(fd)


def _pread(fd, view, position):
    return os.preadv(fd, [view], position)


@command
def write_raw(local, path, offset, shape):
    """Write the owned cells into the C-ordered array of ``shape`` at ``offset`` of ``path``.

    Long contiguous runs are written with ``pwrite``; short ones (e.g. a
    cyclic last axis) through a memory map.
    """
    owned = local.owned
    if not owned.size:
        return
    runs = _runs(_indices(local.layout), shape, owned.itemsize)
    if runs is None:
        target = np.memmap(path, local.dtype, "r+", offset, shape)
        target[_global_index(local.layout)] = owned
        del target
    else:
        _move(os.pwrite, path, os.O_WRONLY, as_bytes(np.ascontiguousarray(owned)), offset, runs)


@command
def read_raw(layout, dtype, path, offset, shape, order):
    """A new piece read from the array of ``shape`` (``order`` 'C' or 'F') at ``offset``."""
    local = LocalArray.empty(layout, dtype)
    if not local.ndarray.size:
        return local
    indices = _indices(layout, padding=True)
    runs = _runs(indices, shape, dtype.itemsize) if order == "C" else None
    if runs is None:
        source = np.memmap(path, dtype, "r", offset, shape, order)
        local.ndarray[...] = source[_global_index(layout, padding=True)]
    else:
        _move(_pread, path, os.O_RDONLY, as_bytes(local.ndarray), offset, runs)
    return local


# -- .dnpy: one file per worker -------------------------------------------------------
@command
def write_dnpy(local, paths):
    """Write this piece (padding included) to ``paths[rank]``."""
    with open(paths[local.comm.Get_rank()], "wb") as fp:
        dnpy.write(fp, local)


@command
def read_dnpy(layout, dtype, paths):
    """A new piece holding the buffer stored in ``paths[rank]``."""
    with open(paths[layout.comm.Get_rank()], "rb") as fp:
        buffer = dnpy.read(fp)[1]
    if buffer.dtype != dtype:
        raise ValueError("%s changed while it was being loaded" % paths[layout.comm.Get_rank()])
    return LocalArray(buffer, layout)


# -- HDF5 (hyperslabs; contiguous datasets use the raw kernels) -------------------------
@command
def read_hdf5(layout, dtype, path, key):
    """A new piece read from the dataset ``key`` of the HDF5 file ``path``."""
    import h5py

    local = LocalArray.empty(layout, dtype)
    if local.ndarray.size:
        slab, positions = _slab(layout, padding=True)
        with h5py.File(path, "r") as file:
            data = file[key][slab]
        local.ndarray[...] = data if positions is None else data[positions]
    return local


@command
def write_hdf5(local, path, key):
    """Write the owned cells into the dataset ``key``, one worker after the other.

    Serial HDF5 allows one writer at a time; a worker whose cells do not form
    a hyperslab updates the slab around them (read, modify, write).
    """
    import h5py

    def write():
        if not local.owned.size:
            return
        slab, positions = _slab(local.layout)
        with h5py.File(path, "r+") as file:
            dataset = file[key]
            if positions is None:
                dataset[slab] = local.owned
            else:
                data = dataset[slab]
                data[positions] = local.owned
                dataset[slab] = data

    error = _in_turns(local.comm, write)
    if error is not None:
        raise error


# -- zarr (v3) -------------------------------------------------------------------------
def _axis_parts(map_, coord, chunk):
    """Buffer positions along one axis whose chunks this piece alone writes, and the others.

    A chunk is private along the axis when every index of it is owned here
    and by nobody else.
    """
    owned = map_.global_indices(coord)
    starts = np.arange(0, map_.size, chunk)
    lengths = np.minimum(chunk, map_.size - starts)
    mine = np.bincount(owned // chunk, minlength=len(starts)) == lengths
    private = mine[owned // chunk] & getattr(map_, "one_to_one", True)
    positions = np.arange(len(owned))
    return positions[private], positions[~private], owned


@command
def write_zarr(local, path, chunks):
    """Write the owned cells into the zarr array at ``path`` (whose chunk shape is ``chunks``).

    Chunks that only this piece touches are written concurrently with the
    other workers; chunks shared with other pieces are updated one worker
    after the other, so that no read-modify-write of a chunk is lost.
    """
    import zarr

    owned = local.owned
    if not owned.ndim:
        zarr.open_array(path, mode="r+")[...] = owned
        return
    axes = [_axis_parts(m, c, k) for m, c, k in zip(local.maps, local.coords, chunks)]
    target = functools.cache(lambda: zarr.open_array(path, mode="r+"))  # opened on first use

    def put(per_axis):
        if all(len(p) for p in per_axis):
            selection = tuple(_compact(g[p]) for p, (_, _, g) in zip(per_axis, axes))
            target().oindex[selection] = _part(owned, [_compact(p) for p in per_axis])

    private = [p for p, _, _ in axes]
    # The rest, as disjoint products: private before axis k, shared on k, anything after.
    everything = [np.arange(len(g)) for _, _, g in axes]
    shared = [private[:k] + [axes[k][1]] + everything[k + 1:] for k in range(len(axes))]

    def put_shared():
        for parts in shared:
            put(parts)

    error = _caught(lambda: put(private))
    if _anyone(local.comm, any(all(len(p) for p in parts) for parts in shared)):
        later = _in_turns(local.comm, put_shared)
        error = error or later
    if error is not None:
        raise error


@command
def read_zarr(layout, dtype, path):
    """A new piece read from the zarr array at ``path``."""
    import zarr

    local = LocalArray.empty(layout, dtype)
    if local.ndarray.size:
        source = zarr.open_array(path, mode="r")
        selection = tuple(_compact(g) for g in _indices(layout, padding=True))
        local.ndarray[...] = source.oindex[selection]
    return local
