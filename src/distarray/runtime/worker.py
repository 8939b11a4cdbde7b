"""The worker loop: receive commands, run registered functions, reply.

Runs in every worker process, whatever the launcher.  Each command arrives as
one point-to-point message, probed for in a yield-then-sleep loop, so an idle
worker uses ~0 % CPU (DESIGN §2).
"""

import os
import sys
import time
import warnings

from mpi4py import MPI

from ..local import COMMANDS, allocator, release
from . import output, wire
from .doorbell import Ringer
from .messages import DATA, DOORBELL, REGISTRY, TAG_COMMAND, TAG_REPLY, WORLD
from .remote_errors import RemoteFailure, Warned
from ..local.waiting import Backoff

#: Seconds between two checks that the client process is still alive.
CLIENT_CHECK_SECONDS = 0.5
#: A reply rings the client's doorbell when its command ran at least this long
#: (seconds), or came while the worker was napping: only then may the client
#: have fallen asleep (it polls for its first ``channel._PATIENT_AFTER`` seconds).
RING_AFTER_SECONDS = 0.0001


class Worker:
    """State of one worker: its communicators and the registry of objects."""

    def __init__(self, inter, intra, client_pid=None):
        self.inter = inter
        self.rank = intra.Get_rank()
        self.registry = {WORLD: intra, DATA: inter.Dup()}
        self.registry[REGISTRY] = self.registry
        wire.bind_registry(self.registry)
        self.client_pid = client_pid
        self.backoff = Backoff()
        self.caught = []
        warnings.simplefilter("always")  # the client's filters decide what is shown
        warnings.showwarning = self._record_warning
        self.last_client_check = time.monotonic()
        self.ringer = None
        self.woke = False
        self.keeps_freed = allocator.keep_freed_memory()
        self.holds_freed = False  # freed memory may lie in the heap since the last command

    def _record_warning(self, message, category, filename, lineno, file=None, line=None):
        self.caught.append((str(message), category.__module__, category.__qualname__,
                            filename, lineno))

    def receive(self):
        """Wait (without spinning) for the next command and return it."""
        status = MPI.Status()
        while (message := self.inter.Improbe(0, TAG_COMMAND, status)) is None:
            self.backoff.pause()
            self._check_client()
            if self.holds_freed and self.backoff.idle_for() > allocator.IDLE_SECONDS:
                allocator.give_back_free_memory()
                self.holds_freed = False
        self.holds_freed = self.keeps_freed
        payload = bytearray(status.Get_count(MPI.BYTE))
        message.Recv([payload, MPI.BYTE])
        self.woke = not self.backoff.hot  # it came while this worker was napping
        self.backoff.touch()
        return wire.decode(payload)

    def _check_client(self):
        now = time.monotonic()
        if self.client_pid is None or now - self.last_client_check < CLIENT_CHECK_SECONDS:
            return
        self.last_client_check = now
        try:
            os.kill(self.client_pid, 0)
        except ProcessLookupError:
            os._exit(3)

    def execute(self, command):
        """Run one command; return what to reply.

        Warnings raised by the command travel with its result and are issued
        on the client (where its filters, e.g. ``np.errstate``, decide).
        """
        try:
            function = COMMANDS[command.name]
            args, kwargs = wire.decode_arguments(command.args)
            result = function(*args, **(kwargs or {}))
            if command.out is not None:
                self.store(command.out, result)
                result = None
            if self.caught:
                result = Warned(result, self.caught)
                self.caught = []
            return result
        except BaseException as exc:  # noqa: B036 - everything goes back to the client
            return RemoteFailure.capture(self.rank, exc)

    def _ring(self, bell):
        """Ring the client's doorbell named ``bell`` (if any): it may be sleeping on it."""
        if bell is None:
            return
        if self.ringer is None or self.ringer.name != bell:
            if self.ringer is not None:
                self.ringer.close()
            self.ringer = Ringer(bell, self.rank)
        self.ringer.ring()

    def store(self, keys, result):
        """Register a result (or, for a tuple of keys, each of several results).

        A None result stores nothing: the worker only helped (e.g. sent data).
        """
        if result is None:
            return
        if isinstance(keys, tuple):
            for key, value in zip(keys, result, strict=True):
                self.registry[key] = value
        else:
            self.registry[keys] = result

    def serve(self):
        """Run commands until the client says shut down."""
        while True:
            command = self.receive()
            for key in command.free:
                release(self.registry.pop(key, None))
            if command.path is not None:
                sys.path[:] = command.path
            if command.targets is not None and self.rank not in command.targets:
                continue
            reply = None if command.name == "shutdown" else self.execute(command)
            output.flush_all()
            self.inter.send(reply, dest=0, tag=TAG_REPLY)
            if self.woke or self.backoff.idle_for() > RING_AFTER_SECONDS:
                self._ring(self.registry.get(DOORBELL))
            if command.name == "shutdown":
                break
        for key in list(self.registry):
            if key not in (WORLD, REGISTRY):
                release(self.registry.pop(key))
        if self.ringer is not None:
            self.ringer.close()


def serve(inter, intra, client_pid=None):
    """Serve commands from the client on ``inter`` until shutdown, then disconnect."""
    output.install(inter, intra.Get_rank())
    Worker(inter, intra, client_pid).serve()
    inter.Disconnect()
