"""Exchanging single elements with their owners: two all-to-alls, no loop over elements.

Used where the elements a process needs do not form per-axis blocks
(advanced indexing).  A process names source elements by their global
indices; :class:`Requests` locates each on its owner with arithmetic on the
maps (``searchsorted`` on block bounds, division for cyclic axes), orders
them by owner (a stable counting sort) and learns, in one ``Ialltoall`` of
counts, how many positions every other process will ask of it.
:func:`fetch` then sends every owner the buffer positions of its elements
(one ``Ialltoallv``) and gets the values back (a second); :func:`deposit`
sends positions and the values to write.  Every process of the communicator
takes part, with empty counts where it names or holds nothing.
"""

import numpy as np

from ..plan.grid import coords_from_rank
from .collectives import alltoall_counts, post_alltoallv
from .progress import drive


def _strides(extents):
    """C-order strides (in elements) of buffers of ``extents`` (one row per piece)."""
    tails = np.cumprod(extents[:, ::-1], axis=1)[:, ::-1]  # products of extents[a:]
    return np.hstack([tails[:, 1:], np.ones((len(extents), 1), np.int64)])


def _small(values, bound):
    """``values`` (in ``[0, bound)``) in the smallest unsigned type: counting sorts are radix."""
    return values.astype(np.uint8 if bound <= 1 << 8 else np.uint16 if bound <= 1 << 16
                         else np.int64, copy=False)


def flat_take(array, positions):
    """Elements of ``array`` at C-order flat ``positions`` (any strides)."""
    if array.ndim <= 1 or array.flags.c_contiguous:
        return array.reshape(-1)[positions]
    return array[np.unravel_index(positions, array.shape)]


def flat_put(array, positions, values):
    """Write ``values`` at C-order flat ``positions`` of ``array`` (in order: the last wins)."""
    if array.ndim <= 1 or array.flags.c_contiguous:
        array.reshape(-1)[positions] = values
    else:
        array[np.unravel_index(positions, array.shape)] = values


def flat_at(ufunc, array, positions, values):
    """``ufunc.at`` of ``array`` at C-order flat ``positions`` (``values`` unused if unary).

    Unbuffered: a repeated position combines once per occurrence, in order.
    """
    operands = (values,) if ufunc.nin == 2 else ()
    if array.ndim <= 1 or array.flags.c_contiguous:
        ufunc.at(array.reshape(-1), positions, *operands)
    else:
        ufunc.at(array, np.unravel_index(positions, array.shape), *operands)


class Requests:
    """The source elements this process names, sorted by owner; what others will ask of it.

    Parameters
    ----------
    comm : mpi4py.MPI.Intracomm
        Every process that names or holds elements; collective.
    maps : tuple
        The source array's maps.
    ranks : sequence of int
        The ``comm`` rank of each source piece (grid order).
    wanted : tuple of int arrays or None
        Per source axis, valid non-negative global indices; the arrays
        broadcast together to the shape of the request.  None: no request.
    """

    def __init__(self, comm, maps, ranks, wanted):
        self.comm = comm
        grid = tuple(m.grid_size for m in maps)
        extents = np.array([[m.extent(c) for m, c in zip(maps, coords_from_rank(j, grid))]
                            for j in range(len(ranks))], np.int64).reshape(len(ranks), len(maps))
        largest = int(extents.prod(axis=1).max(initial=0))
        self.position_type = np.int32 if largest < 1 << 31 else np.int64
        nprocs = comm.Get_size()
        if wanted is None:
            self.size, self.order = 0, None
            self.positions = np.empty(0, self.position_type)
            self.counts = np.zeros(nprocs, np.int64)
        else:
            self._route(maps, extents, np.asarray(ranks), wanted)
        self.asked = alltoall_counts(comm, self.counts)

    def _route(self, maps, extents, ranks, wanted):
        piece, located = 0, []
        for m, g in zip(maps, wanted):
            owner, local = m.locate(g)
            piece = piece * m.grid_size + owner
            located.append(local)
        strides, flat = _strides(extents), None
        for axis, local in enumerate(located):
            column = strides[:, axis]
            if not np.all(column == column[0]):
                local = local * column[piece]
            elif column[0] != 1:
                local = local * column[0]
            flat = local if flat is None else flat + local
        shape = np.broadcast_shapes(*(np.shape(g) for g in wanted))
        flat = np.broadcast_to(flat, shape).reshape(-1)
        nprocs = self.comm.Get_size()
        if not np.array_equal(ranks, np.arange(len(ranks))):
            piece = ranks[piece]
        destination = _small(np.broadcast_to(piece, shape).reshape(-1), nprocs)
        self.size = len(flat)
        self.order = np.argsort(destination, kind="stable")
        self.positions = flat[self.order].astype(self.position_type)
        ends = np.searchsorted(destination[self.order], np.arange(nprocs), side="right")
        self.counts = np.diff(ends, prepend=0).astype(np.int64)

    def send(self, values):
        """Post sending ``values`` (1-D, in request order) to the owners.

        Returns the request and the buffer receiving what the others send here.
        """
        incoming = np.empty(int(self.asked.sum()), values.dtype)
        outgoing = values if self.order is None else values[self.order]
        return post_alltoallv(self.comm, outgoing, self.counts, incoming, self.asked), incoming

    def positions_asked(self):
        """The buffer positions the other processes ask of this one (one exchange)."""
        asked = np.empty(int(self.asked.sum()), self.position_type)
        drive([post_alltoallv(self.comm, self.positions, self.counts, asked, self.asked)])
        return asked


def fetch(requests, source, dtype, out=None):
    """The named source elements, in request order (1-D; into ``out`` if given).

    ``source`` is this process's buffer of the source (None if it holds none).
    """
    asked = requests.positions_asked()
    values = flat_take(source, asked) if len(asked) else np.empty(0, dtype)
    got = np.empty(requests.size, dtype)
    drive([post_alltoallv(requests.comm, np.ascontiguousarray(values, dtype), requests.asked,
                          got, requests.counts)])
    out = np.empty(requests.size, dtype) if out is None else out
    if requests.order is not None:
        out[requests.order] = got
    return out


def deposit(requests, target, values, keys=None, write=flat_put):
    """Write ``values`` at the named elements of the target.

    ``values`` is a 1-D array of the target's dtype in request order (empty
    where nothing is requested), or, on every process, a scalar (then only
    positions travel).  ``target`` is this process's buffer (None if it holds
    none).  Where several requests name one element, the last one in request
    order wins, requests of lower ranks first; given ``keys`` (on every
    process or none: distinct int64, in request order), the one with the
    highest key wins instead.  ``write(target, positions, values)`` stores
    the values that arrive here, in that order (default :func:`flat_put`).
    """
    transfers, received = [], []
    for data in (values, keys):
        if data is None or np.ndim(data) == 0:
            received.append(data)
            continue
        request, incoming = requests.send(data)
        transfers.append(request)
        received.append(incoming)
    asked = np.empty(int(requests.asked.sum()), requests.position_type)
    transfers.append(post_alltoallv(requests.comm, requests.positions, requests.counts, asked,
                                    requests.asked))
    drive(transfers)
    incoming, order = received
    if target is None or not len(asked):
        return
    if order is not None:
        order = np.argsort(order, kind="stable")
        asked = asked[order]
        incoming = incoming if np.ndim(incoming) == 0 else incoming[order]
    write(target, asked, incoming)
