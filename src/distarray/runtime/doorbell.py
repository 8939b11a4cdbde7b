"""The client's doorbell: workers wake a client that sleeps through a long command.

MPI has no wait that neither spins nor sleeps blindly.  A client whose
workers compute for a long time should leave them every core, yet answer
promptly when they are done.  When the client and its workers run on one
Linux host, the client owns a *doorbell*, an abstract-namespace UNIX datagram
socket; a worker that replies to a command that ran for a while rings it
right after the MPI send, and the client, once its wait has lasted a while,
sleeps in ``select`` on the bell instead of napping blindly.  A ring is only a
hint — the client always looks for the reply with MPI (a ring may come
before the reply is visible there, so after a ring the client polls for a
moment, until the reply of the worker that rang has come), and its sleeps are
bounded — so correctness never depends on it.  A ring carries the ringer's
rank, so that a client waiting for several workers polls only for the replies
that are due, and sleeps again while the others still compute.
"""

import os
import select
import socket
import sys

#: Whether this platform has abstract-namespace UNIX sockets.
AVAILABLE = sys.platform.startswith("linux")


class Doorbell:
    """A bell that other processes of this host can ring."""

    def __init__(self):
        self.name = "\0distarray-%d-%s" % (os.getpid(), os.urandom(6).hex())
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.name)
        self.socket.setblocking(False)

    def sleep(self, timeout):
        """Sleep until the bell rings or ``timeout`` seconds pass.

        Returns the set of ranks that rang (empty when none did); the rings
        are forgotten.
        """
        if not select.select([self.socket], [], [], timeout)[0]:
            return set()
        ranks = set()
        try:
            while True:
                ranks.add(int.from_bytes(self.socket.recv(16), "little"))
        except BlockingIOError:
            return ranks

    def close(self):
        self.socket.close()


def open_doorbell():
    """A new :class:`Doorbell`, or None where doorbells are unavailable."""
    if not AVAILABLE:
        return None
    try:
        return Doorbell()
    except OSError:
        return None


class Ringer:
    """Rings one bell (on a worker: the client's) as ``rank``, without ever blocking."""

    def __init__(self, name, rank):
        self.name = name
        self.signature = rank.to_bytes(4, "little")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.setblocking(False)

    def ring(self):
        try:
            self.socket.sendto(self.signature, self.name)
        except OSError:  # the bell is full (it will wake anyway) or gone
            pass

    def close(self):
        self.socket.close()
