"""Completing MPI requests inside a running command without hogging a core.

MPICH's blocking waits spin; with more processes than cores a spinning
process can hold the core its peer needs for a whole time slice.  Workers
therefore test, yield and, in long waits (a peer's long computation), nap
(DESIGN §2).
"""

from mpi4py import MPI

from .waiting import Backoff


def wait_all(requests):
    """Complete ``requests``, yielding the processor between tests, then napping."""
    backoff = Backoff()
    while not MPI.Request.Testall(requests):
        backoff.pause()
