"""A pool of workers: launched processes, their channel, keys and shutdown."""

import atexit
import socket
import subprocess
import sys
import itertools
import weakref

import cloudpickle
from mpi4py import MPI  # imported before the atexit hook is registered

from ..errors import ContextError, DistArrayError
from .channel import Channel
from ..local.buffers import as_bytes
from .doorbell import open_doorbell
from .launch import default_nworkers, kill, launch
from .messages import DOORBELL, REGISTRY, Command, Ref, Shipped

#: Bulk transfers cycle through this many tags, so that a transfer abandoned
#: after an error can never match a later one (see also ``local.buffers.TAG_SPAN``).
BULK_TAGS = 1 << 20
#: Seconds a clean shutdown may take before the workers are killed.
SHUTDOWN_TIMEOUT = 10.0

_live_pools = weakref.WeakSet()


class Pool:
    """Workers started by one launcher, and everything needed to command them.

    Parameters
    ----------
    nworkers : int, optional
        Number of workers (default :func:`~.launch.default_nworkers`).
    mode : str, optional
        Launcher ('interactive', 'batch' or 'spawn').
    timeout : float
        Seconds to wait for the workers to start.
    """

    def __init__(self, nworkers=None, mode=None, timeout=60.0):
        nworkers = default_nworkers() if nworkers is None else nworkers
        if nworkers < 1:
            raise ValueError("nworkers must be at least 1, got %d" % nworkers)
        self.connection = launch(nworkers, mode, timeout)
        self.channel = Channel(self.connection)
        self.nworkers = self.channel.nworkers
        self.mode = self.connection.mode
        self.closed = False
        self._keys = itertools.count()
        self._tag = 0
        self._path = None
        self._freed = []
        self._shipped = weakref.WeakKeyDictionary()
        #: Called with a command's name before it is posted (see ``api.fusion``).
        self.before_post = None
        _live_pools.add(self)
        replies = self.run("process_info")
        info = [replies[rank] for rank in range(self.nworkers)]
        if self.connection.process is not None:  # workers we started: watch them
            self.channel.worker_pids = tuple(pid for pid, _ in info)
        if all(host == socket.gethostname() for _, host in info):
            self.channel.doorbell = open_doorbell()
            if self.channel.doorbell is not None:
                self.run("keep_as", Ref(REGISTRY), DOORBELL, self.channel.doorbell.name)

    def new_key(self):
        """A registry key never used before in this pool."""
        return next(self._keys)

    def free(self, key):
        """Queue a key for release with the next command (safe from ``__del__``)."""
        self._freed.append(key)

    def start(self, name, *args, targets=None, out=None, **kwargs):
        """Post command ``name``; return the pending command (see :meth:`finish`)."""
        return self._post(name, args, kwargs, targets, out)

    def _post(self, name, args, kwargs, targets, out, defer=False):
        if self.closed:
            raise ContextError("the workers of this pool have been shut down")
        if self.before_post is not None:
            self.before_post(name)
        freed, self._freed = self._freed, []
        path = None
        if sys.path != self._path:
            path = self._path = list(sys.path)
        command = Command(name, args, kwargs, None if targets is None else tuple(targets),
                          out, tuple(freed), path)
        return self.channel.post(command, defer=defer)

    def send(self, name, *args, targets=None, out=None, **kwargs):
        """Post command ``name`` without waiting for it.

        Its replies are collected, and its warnings and errors raised, when
        a later command completes (see :meth:`settle`); for commands whose
        result nobody needs at once (e.g. making a layout, or an array that
        the next command reads).  ``tag=True`` gives it a transfer tag.
        """
        if kwargs.get("tag") is True:
            kwargs["tag"] = self._next_tag()
        self._post(name, args, kwargs, targets, out, defer=True)

    def _next_tag(self):
        """The transfer tag of the next command that moves data."""
        self._tag = self._tag % BULK_TAGS + 1
        return self._tag

    def settle(self):
        """Wait for every command posted so far (raising the first error among them)."""
        if self.channel.outstanding:
            self.finish(self.channel.outstanding[-1])

    def finish(self, pending, timeout=None):
        """Wait for a command posted by :meth:`start`; ``{rank: result}``."""
        return self.channel.complete(pending, timeout)

    def run(self, name, *args, targets=None, out=None, timeout=None, send=None, receive=None,
            **kwargs):
        """Run command ``name`` on ``targets`` and return ``{rank: result}``.

        ``send`` and ``receive`` map worker ranks to C-contiguous arrays that
        are sent to, or filled from, that worker as raw bytes while the
        command runs (``send`` may give a list of arrays, sent in order); the
        command gets the transfer's tag as keyword ``tag``.
        """
        if send is not None or receive is not None or kwargs.get("tag") is True:
            kwargs["tag"] = self._next_tag()
        pending = self.start(name, *args, targets=targets, out=out, **kwargs)
        data = self.channel.data
        for rank, arrays in (send or {}).items():
            for array in arrays if isinstance(arrays, list) else [arrays]:
                pending.add(data.Isend([as_bytes(array), MPI.BYTE], rank, self._tag), array)
        for rank, array in (receive or {}).items():
            pending.add(data.Irecv([as_bytes(array), MPI.BYTE], rank, self._tag), array)
        return self.finish(pending, timeout)

    def ship(self, function):
        """A reference to ``function`` on the workers, sending it at most once.

        Functions that support weak references are cloudpickled and sent once,
        then named by key; others travel pickled with each command.
        """
        try:
            key = self._shipped.get(function)
        except TypeError:
            return Shipped(cloudpickle.dumps(function))
        if key is None:
            key = self.new_key()
            self.run("keep", Shipped(cloudpickle.dumps(function)), out=key)
            self._shipped[function] = key
            weakref.finalize(function, self.free, key)
        return Ref(key)

    def shutdown(self):
        """Stop the workers and release the connection; never hangs."""
        if self.closed:
            return
        self.closed = True
        _live_pools.discard(self)
        process = self.connection.process
        if self.channel.failure is not None:
            if process is None:  # a batch job whose workers are stranded: end it
                MPI.COMM_WORLD.Abort(1)
            kill(process)
            return
        try:
            command = Command("shutdown", free=tuple(self._freed))
            self.finish(self.channel.post(command, SHUTDOWN_TIMEOUT), SHUTDOWN_TIMEOUT)
            self.channel.close()
            if process is not None:
                process.wait(SHUTDOWN_TIMEOUT)
        except BaseException:
            kill(process)
            raise


def shutdown_all():
    """Shut down every live pool (registered with atexit after MPI's own hook)."""
    for pool in list(_live_pools):
        try:
            pool.shutdown()
        except (DistArrayError, subprocess.TimeoutExpired):
            pass


atexit.register(shutdown_all)
