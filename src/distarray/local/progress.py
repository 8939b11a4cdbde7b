"""Completing MPI requests inside a running command without hogging a core.

MPICH's blocking waits spin; with more processes than cores a spinning
process can hold the core its peer needs for a whole time slice.  Workers
therefore test and yield (DESIGN §2).
"""

import os

from mpi4py import MPI


def wait_all(requests):
    """Complete ``requests``, yielding the processor between tests."""
    while not MPI.Request.Testall(requests):
        os.sched_yield()
