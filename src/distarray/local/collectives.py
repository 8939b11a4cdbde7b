"""Nonblocking collectives on raw buffers, completed without hogging a core.

Counts and displacements are in elements; the data travels as bytes.  Small
exchanges complete with :func:`~distarray.local.progress.wait_all`, bulk ones
are only posted here (complete them with :func:`~distarray.local.progress.drive`).
"""

import numpy as np
from mpi4py import MPI

from .buffers import as_bytes
from .progress import wait_all


def displacements(counts):
    """Where each of consecutive runs of ``counts`` elements starts (int64)."""
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def alltoall_counts(comm, counts):
    """What every process sends me, given what I send to every process (int64)."""
    counts = np.ascontiguousarray(counts, np.int64)
    received = np.empty_like(counts)
    wait_all([comm.Ialltoall([counts, MPI.INT64_T], [received, MPI.INT64_T])])
    return received


def allgather(comm, values):
    """Every process's ``values`` (equal-length 1-D arrays), stacked in rank order."""
    values = np.ascontiguousarray(values)
    out = np.empty((comm.Get_size(),) + values.shape, values.dtype)
    wait_all([comm.Iallgather([as_bytes(values), MPI.BYTE], [as_bytes(out), MPI.BYTE])])
    return out


def post_alltoallv(comm, send, scounts, recv, rcounts, sdispls=None, rdispls=None):
    """Post an ``Ialltoallv`` of elements (counts and displacements in elements)."""
    k = send.dtype.itemsize
    scounts, rcounts = np.asarray(scounts, np.int64), np.asarray(rcounts, np.int64)
    sdispls = displacements(scounts) if sdispls is None else np.asarray(sdispls, np.int64)
    rdispls = displacements(rcounts) if rdispls is None else np.asarray(rdispls, np.int64)
    return comm.Ialltoallv([as_bytes(send), (scounts * k, sdispls * k), MPI.BYTE],
                           [as_bytes(recv), (rcounts * k, rdispls * k), MPI.BYTE])


def allgatherv(comm, values, counts):
    """Concatenation of every process's ``values`` (process ``r`` gives ``counts[r]``)."""
    counts = np.asarray(counts, np.int64)
    k = values.dtype.itemsize
    out = np.empty(int(counts.sum()), values.dtype)
    wait_all([comm.Iallgatherv([as_bytes(np.ascontiguousarray(values)), MPI.BYTE],
                               [as_bytes(out), (counts * k, displacements(counts) * k),
                                MPI.BYTE])])
    return out
