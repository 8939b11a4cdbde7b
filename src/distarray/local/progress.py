"""Completing MPI requests inside a running command without hogging a core.

MPICH's blocking waits spin; with more processes than cores a spinning
process can hold the core its peer needs for a whole time slice.  Workers
therefore test, yield and, in long waits (a peer's long computation), nap
(DESIGN §2).
"""

from mpi4py import MPI

from .waiting import Backoff

#: Tests of pending bulk transfers between two yields of the processor.
TESTS_PER_YIELD = 64


def wait_all(requests):
    """Complete ``requests``, yielding the processor between tests, then napping."""
    backoff = Backoff()
    while not MPI.Request.Testall(requests):
        backoff.pause()


def drive(requests):
    """Complete bulk transfers: ``TESTS_PER_YIELD`` tests per yield, never a nap.

    MPI moves a large message only while the process calls into it (MPICH
    pushes it through shared memory in many small steps): a yield after every
    test made an 80 MB exchange ~5x slower on a loaded machine, a nap would
    stall it.  Bulk transfers are posted only after a small exchange
    (counts) that every peer has joined, so this never waits long for a
    peer's computation; those waits are :func:`wait_all`'s.
    """
    backoff = Backoff()
    tests = 0
    while not MPI.Request.Testall(requests):
        tests += 1
        if tests % TESTS_PER_YIELD == 0:
            backoff.pause(stay_hot=True)
