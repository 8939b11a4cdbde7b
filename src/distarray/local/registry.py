"""The table of worker-side functions that the client's commands name.

Each function receives already-resolved arguments (registry objects in place
of references) and returns a value, which the worker either stores under a
registry key or sends back to the client.  Client-side validation guarantees
that a command either runs on all of its targets or on none.  Kernel modules
register their functions with :func:`command` and are imported by
:mod:`distarray.local`.
"""

import sys

from mpi4py import MPI

from . import memory
from .localarray import LocalArray

COMMANDS = {}


def command(function):
    """Register ``function`` under its name (names are unique across modules)."""
    if function.__name__ in COMMANDS:
        raise ValueError("two worker commands are named %r" % function.__name__)
    COMMANDS[function.__name__] = function
    return function


def release(obj):
    """Release a registry object the worker has just dropped.

    Communicators are freed; the buffer of a local array that nothing else
    holds goes back to the cache of :mod:`.memory`.
    """
    if isinstance(obj, MPI.Comm) and obj != MPI.COMM_NULL:
        obj.Free()
    elif (isinstance(obj, LocalArray) and sys.getrefcount(obj) <= 3
          and memory.private(obj.ndarray)):
        memory.give_back(obj.ndarray)
