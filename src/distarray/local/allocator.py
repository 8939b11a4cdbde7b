"""The C allocator of a worker: freed memory is kept for reuse while commands come.

glibc's ``malloc`` maps every large block (an array of more than a few MiB)
fresh from the operating system and unmaps it when freed, so each new large
array, NumPy's temporaries included, pays one page fault per page on first
touch: for elementwise work that doubles the time.  A worker instead keeps
freed memory in its heap (large blocks come from the heap, and its top is
never trimmed while commands come) and gives the free pages back to the
operating system once it has been idle for :data:`IDLE_SECONDS`.

This is the allocator-level twin of :mod:`.memory`'s buffer cache and follows
the same switch: ``DISTARRAY_BUFFER_CACHE=0`` leaves the allocator alone.
Other C libraries than glibc are left alone too.
"""

import ctypes
import ctypes.util

from . import memory

#: ``mallopt`` parameters (glibc's ``malloc.h``).
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
#: Seconds without a command after which a worker gives its free memory back.
IDLE_SECONDS = 1.0


def _glibc():
    """The C library if it is glibc (it has ``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        libc.gnu_get_libc_version  # noqa: B018 -- only glibc has it
        return libc
    except (OSError, AttributeError):
        return None


_libc = _glibc()


def keep_freed_memory():
    """Make ``malloc`` serve large blocks from the heap and keep what is freed there.

    Returns whether it did (glibc, and the buffer cache not switched off).
    """
    if _libc is None or memory.LIMIT == 0:
        return False
    ok = _libc.mallopt(M_MMAP_MAX, 0) and _libc.mallopt(M_TRIM_THRESHOLD, 2 ** 31 - 1)
    return bool(ok)


def give_back_free_memory():
    """Return the heap's free pages to the operating system (``malloc_trim``)."""
    if _libc is not None:
        _libc.malloc_trim(0)
