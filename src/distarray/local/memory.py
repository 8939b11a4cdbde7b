"""A small cache of freed large buffers on each worker, so that new arrays reuse them.

A fresh large NumPy array is mapped from the operating system page by page on
first touch; for elementwise work on big arrays those page faults cost as
much as the arithmetic.  Code that runs step after step (``c = a*b + 1`` in a
loop) frees arrays of the sizes it is about to allocate again, so a worker
keeps the buffers of released local arrays — when nothing else can still see
them — and hands them out again for new arrays of the same size in bytes.

The cache holds at most :data:`LIMIT` bytes (environment variable
``DISTARRAY_BUFFER_CACHE``, in bytes, ``0`` disables it); it is emptied
whenever an allocation fails.  Arrays of Python objects are never cached.
"""

import math
import os
import sys

import numpy as np

#: Buffers smaller than this are left to the ordinary allocator.
MIN_BYTES = 1 << 20


def _default_limit():
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        memory = 8 << 30
    return min(2 << 30, memory // (4 * (os.cpu_count() or 1)))


#: Most bytes the cache may hold.
LIMIT = int(os.environ.get("DISTARRAY_BUFFER_CACHE", _default_limit()))

_free = {}   # nbytes -> list of raw uint8 buffers
_held = 0


def empty(shape, dtype):
    """An uninitialised array, reusing a cached buffer of the same size when there is one."""
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    buffers = _free.get(nbytes)
    if buffers and not dtype.hasobject:
        global _held
        _held -= nbytes
        raw = buffers.pop()
        if not buffers:
            del _free[nbytes]
        return raw.view(dtype).reshape(shape)
    if nbytes < MIN_BYTES or dtype.hasobject:
        return np.empty(shape, dtype)
    try:
        raw = np.empty(nbytes, np.uint8)
    except MemoryError:
        clear()
        raw = np.empty(nbytes, np.uint8)
    return raw.view(dtype).reshape(shape)


def give_back(array):
    """Cache the buffer of ``array`` if :func:`empty` made it.

    The caller has made sure that nothing else can see it (:func:`private`).
    """
    global _held
    raw = array.base
    if (raw is None or type(raw) is not np.ndarray or raw.base is not None
            or raw.dtype != np.uint8 or raw.ndim != 1 or raw.nbytes < MIN_BYTES
            or raw.nbytes > LIMIT or array.dtype.hasobject):
        return
    while _held + raw.nbytes > LIMIT:
        _evict_one()
    _free.setdefault(raw.nbytes, []).append(raw)
    _held += raw.nbytes


def private(array):
    """Whether nothing but its one holder sees the memory of ``array`` (no view of it exists).

    The caller passes ``holder.attribute`` directly (no other reference to
    ``array`` may be alive).
    """
    base = array.base
    if base is None:
        return sys.getrefcount(array) <= 3  # the holder, our argument, getrefcount's
    return (type(base) is np.ndarray and base.base is None
            and sys.getrefcount(array) <= 3 and sys.getrefcount(base) <= 3)


def _evict_one():
    global _held
    nbytes = next(iter(_free))
    buffers = _free[nbytes]
    buffers.pop(0)
    _held -= nbytes
    if not buffers:
        del _free[nbytes]


def clear():
    """Return every cached buffer to the operating system."""
    global _held
    _free.clear()
    _held = 0


def held():
    """Bytes held by the cache."""
    return _held
