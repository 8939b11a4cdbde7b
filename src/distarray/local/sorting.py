"""Sorting on the workers: sample sort, local sorts, unique, searchsorted, histograms.

The distributed sort is a sample sort over the array's Cartesian communicator
(every process of the array, ranks in grid order) of the elements each
process owns, taken flat (a 1-D array, or any array for ``axis=None``):

1. each process sorts its elements (``argsort`` mode: stably, by value then
   global flat index);
2. each takes regular samples, all samples are gathered (``Iallgatherv``) and
   every process picks the same ``p - 1`` splitters, weighting a sample by
   the number of elements it stands for;
3. each process cuts its sorted run at the splitters and one ``Ialltoallv``
   sends every piece to its destination (and, for ``argsort``, the global
   indices with it);
4. each process merges the runs it received.

Sorting values of a real dtype (bool, integers, floats) skips step 1: the
samples come from the unsorted elements, each process partitions its
elements at the splitters (``numpy.partition``, O(n)) and sorts only what it
receives, once.

Keys are ``(value, tie)`` pairs in NumPy's sort order (NaN last).  In
``argsort`` mode the tie is the global flat index, so the sort is stable; in
``sort`` mode it is the element's position in the concatenation of the
local runs, sorted or not (equal values are interchangeable).  Splitters are keys,
so many equal values are spread over processes like any others.

The result is a block-distributed 1-D array with irregular bounds (the client
learns the counts), or, given an even block layout, a second exchange moves
each element to its place in the balanced layout.  Only nonblocking
collectives and point-to-point calls are used, completed by tests and yields
(never a blocking wait): :func:`~distarray.local.progress.wait_all` for the
small exchanges, :func:`drive` for the bulk ones.
"""

import math

import numpy as np
from mpi4py import MPI

from . import memory
from .buffers import TAG_SPAN, as_bytes
from .collectives import allgather, allgatherv, alltoall_counts, post_alltoallv
from .localarray import LocalArray
from .progress import drive, wait_all
from .registry import command

#: Regular samples each process contributes (at most its number of elements).
SAMPLES_PER_PROCESS = 64


# -- the pieces of the sample sort ---------------------------------------------------
def _copy(x):
    """A copy of ``x`` in a buffer from the worker's cache (:mod:`.memory`)."""
    out = memory.empty(x.shape, x.dtype)
    np.copyto(out, x)
    return out


def flat_indices(local):
    """Global C-order flat indices of the owned elements, in buffer order (int64)."""
    shape = local.global_shape
    grids = np.meshgrid(*local.global_index_arrays(), indexing="ij")
    if not grids:
        return np.zeros(1, np.int64)
    return np.ravel_multi_index(grids, shape).astype(np.int64, copy=False).ravel()


def sort_local_run(x, g, monotone):
    """``x`` sorted (and ``g`` permuted alike, stably by value then ``g``)."""
    if g is None:
        return np.sort(x), None
    order = np.argsort(x, kind="stable") if monotone else np.lexsort((g, x))
    return x[order], g[order]


def _sample_positions(m, s):
    """``s`` regularly spaced positions in a run of ``m``."""
    return (2 * np.arange(s, dtype=np.int64) + 1) * m // (2 * s)


def choose_splitters(comm, x, ties, counts):
    """The ``p - 1`` splitter keys (values, ties), the same on every process.

    ``counts`` are the run lengths of all processes; ``ties`` is a callable
    giving the tie keys of positions of the local run.
    """
    p = comm.Get_size()
    per = np.minimum(np.asarray(counts, np.int64), SAMPLES_PER_PROCESS)
    positions = _sample_positions(len(x), int(per[comm.Get_rank()]))
    values = allgatherv(comm, x[positions], per)
    keys = allgatherv(comm, ties(positions), per)
    weights = np.repeat(np.asarray(counts, np.float64) / np.maximum(per, 1), per)
    order = np.lexsort((keys, values))
    cumulative = np.cumsum(weights[order])
    total = float(np.sum(counts))
    chosen = np.searchsorted(cumulative, total * np.arange(1, p) / p)
    chosen = order[np.minimum(chosen, len(order) - 1)]
    return values[chosen], keys[chosen]


def cut_positions(x, g, offset, splitters):
    """Where the local sorted run is cut: the count of keys below each splitter."""
    values, ties = splitters
    cuts = []
    for v, t in zip(values, ties):
        lo, hi = np.searchsorted(x, v, "left"), np.searchsorted(x, v, "right")
        if g is None:
            cuts.append(min(max(int(t) - offset, lo), hi))
        else:
            cuts.append(lo + int(np.searchsorted(g[lo:hi], t, "left")))
    return np.array([0, *cuts, len(x)], np.int64)


def value_cuts(x, offset, splitters):
    """Cut positions for an unsorted run (keys: value, then ``offset`` + buffer position).

    Only the counts matter: equal values are interchangeable in a sort.
    """
    cuts = []
    for v, t in zip(*splitters):
        if np.isnan(v):
            below, equal = np.count_nonzero(~np.isnan(x)), np.isnan
        else:
            below, equal = np.count_nonzero(x < v), lambda y, v=v: y == v
        head = min(max(int(t) - offset, 0), len(x))
        cuts.append(below + int(np.count_nonzero(equal(x[:head]))))
    return np.array([0, *cuts, len(x)], np.int64)


def sample_sort_runs(comm, x, g, counts, monotone, ordered):
    """Steps 1-4 of the module docstring: this process's sorted part (values, indices).

    ``counts`` are the numbers of elements of every process; ``g`` the global
    indices (argsort mode) or None; ``ordered`` says process order is global
    index order (then a stable merge by value keeps ties in index order).
    Sorting values of a real dtype partitions first (``numpy.partition`` at
    the cuts, O(n)) and sorts once after the exchange, instead of sorting,
    then merging the runs received.
    """
    p, me = comm.Get_size(), comm.Get_rank()
    total, offset = int(np.sum(counts)), int(np.sum(counts[:me]))
    if p == 1 or total == 0:
        return sort_local_run(x, g, monotone)
    scratch = None
    if g is None and x.dtype.kind in "biuf":
        splitters = choose_splitters(comm, x, lambda pos: pos + offset, counts)
        cuts = value_cuts(x, offset, splitters)
        kth = [c for c in cuts[1:-1].tolist() if 0 < c < len(x)]
        if kth:
            x = scratch = _copy(x)
            x.partition(kth)
    else:
        x, g = sort_local_run(x, g, monotone)
        ties = (lambda pos: pos + offset) if g is None else (lambda pos: g[pos])
        cuts = cut_positions(x, g, offset, choose_splitters(comm, x, ties, counts))
    scounts = np.diff(cuts)
    rcounts = alltoall_counts(comm, scounts)
    values = memory.empty((int(rcounts.sum()),), x.dtype)
    requests = [post_alltoallv(comm, x, scounts, values, rcounts)]
    indices = None
    if g is not None:
        indices = np.empty(len(values), np.int64)
        requests.append(post_alltoallv(comm, g, scounts, indices, rcounts))
    drive(requests)
    if scratch is not None:  # the exchange is over: nothing sees the partitioned copy
        del requests, x
        memory.give_back(scratch)
    if g is None:
        values.sort()
        return values, None
    order = np.argsort(values, kind="stable") if ordered else np.lexsort((indices, values))
    return values[order], indices[order]


def rebalance(comm, run, bounds):
    """Move a globally sorted distribution of runs to the block layout ``bounds``.

    ``run`` is this process's consecutive part of the global order; returns
    this process's block ``[bounds[me], bounds[me+1])`` of it (a view of
    ``run`` when ``run`` covers it: only the excess moves).
    """
    me = comm.Get_rank()
    counts = allgather(comm, np.array([len(run)], np.int64))[:, 0]
    starts = np.concatenate([[0], np.cumsum(counts)])
    bounds = np.asarray(bounds, np.int64)
    first, last = starts[me], starts[me + 1]
    lo = np.maximum(bounds[:-1], first)
    hi = np.minimum(bounds[1:], last)
    scounts = np.maximum(hi - lo, 0)
    sdispls = np.where(scounts > 0, lo - first, 0)
    lo = np.maximum(starts[:-1], bounds[me])
    hi = np.minimum(starts[1:], bounds[me + 1])
    rcounts = np.maximum(hi - lo, 0)
    rdispls = np.where(rcounts > 0, lo - bounds[me], 0)
    own = slice(int(sdispls[me]), int(sdispls[me] + scounts[me]))
    if first <= bounds[me] and bounds[me + 1] <= last:
        out = run[own]
    else:
        out = memory.empty((int(bounds[me + 1] - bounds[me]),), run.dtype)
        out[rdispls[me]:rdispls[me] + rcounts[me]] = run[own]
    scounts[me] = rcounts[me] = 0
    drive([post_alltoallv(comm, run, scounts, out, rcounts, sdispls, rdispls)])
    return out


@command
def sample_sort(local, counts, mode, monotone, ordered, layout=None):
    """Sort the owned elements of ``local`` (taken flat) over its communicator.

    Parameters
    ----------
    counts : sequence of int
        Number of owned elements of every process, in grid order.
    mode : {'sort', 'argsort'}
    monotone : bool
        Whether the owned elements' global flat indices increase in buffer order.
    ordered : bool
        Whether all of a process's indices come before the next process's.
    layout : Layout, optional
        An even 1-D block layout: the result is rebalanced to it and returned
        as a LocalArray of the values (``sort``) or indices (``argsort``).
        Without it, a dict ``{'values', 'indices'}`` of this process's part.
    """
    comm = local.comm
    x = np.ascontiguousarray(local.owned).reshape(-1)
    g = flat_indices(local) if mode != "sort" else None
    values, indices = sample_sort_runs(comm, x, g, counts, monotone, ordered)
    if layout is None:
        return {"values": values, "indices": indices, "comm": comm}
    run = values if mode == "sort" else indices
    out = rebalance(comm, run, layout.maps[0].bounds)
    if out.base is not run.base:  # moved to a new buffer: the sorted run is free again
        del values, indices
        memory.give_back(run)
    return LocalArray(out, layout)


@command
def sorted_part_size(part):
    """How many elements a process's part of a sample sort holds."""
    return len(part["values"])


@command
def sorted_part(part, name, layout):
    """A LocalArray (of ``layout``) of one array of a sorted part (``values`` ...).

    Without a layout, the entry itself (already a LocalArray).
    """
    if layout is None:
        return part[name]
    return LocalArray(np.ascontiguousarray(part[name]), layout)


@command
def sort_along(local, layout, axis, mode, dtype):
    """Local sort (or stable argsort) of the owned block along a local ``axis``."""
    if mode == "sort":
        return LocalArray.from_owned(np.sort(local.owned, axis=axis), layout)
    order = np.argsort(local.owned, axis=axis, kind="stable")
    return LocalArray.from_owned(order.astype(dtype, copy=False), layout)


# -- unique ------------------------------------------------------------------------
def _same(x, y, equal_nan):
    """Elementwise equality of two arrays in the sense of ``np.unique``."""
    same = x == y
    if equal_nan and x.dtype.kind in "fcmM":  # NaN and NaT, as NumPy
        same |= np.isnan(x) & np.isnan(y)
    return same


def _boundary(comm, x, starts, equal_nan):
    """Per process: its length, number of runs, first run's length, first and last values."""
    n = len(x)
    nruns = int(starts.size)
    first_len = int((starts[1] if nruns > 1 else n)) if n else 0
    info = allgather(comm, np.array([n, nruns, first_len], np.int64))
    ends = np.zeros(2, x.dtype)
    if n:
        ends[:] = x[[0, -1]]  # (a pair of values would not do for records)
    return info, allgather(comm, ends)


def _continues(info, ends, r, equal_nan):
    """Whether process ``r``'s first run continues a run of an earlier process."""
    for q in range(r - 1, -1, -1):
        if info[q, 0]:
            return bool(_same(ends[q, 1:2], ends[r, 0:1], equal_nan)[0])
    return False


@command
def unique_part(part, want_index, want_inverse, want_counts, equal_nan, layout, src_maps):
    """Unique values of a sorted part, deduplicated across process boundaries.

    Returns ``{'values', 'index', 'counts'}`` (the wanted ones) and, when
    ``want_inverse``, the inverse as a LocalArray of ``layout`` (the input's).
    """
    comm, x, g = part["comm"], part["values"], part["indices"]
    p, me = comm.Get_size(), comm.Get_rank()
    n = len(x)
    flags = np.ones(n, bool)
    if n > 1:
        flags[1:] = ~_same(x[1:], x[:-1], equal_nan)
    starts = np.flatnonzero(flags)
    info, ends = _boundary(comm, x, starts, equal_nan)
    cont = np.array([bool(info[r, 0]) and _continues(info, ends, r, equal_nan)
                     for r in range(p)])
    kept = info[:, 1] - cont
    skip = int(cont[me])
    result = {"values": x[starts[skip:]]}
    if want_index:
        result["index"] = g[starts[skip:]].astype(np.intp)
    if want_counts:
        lengths = np.diff(np.append(starts, n)).astype(np.intp)
        if n and not (starts.size == 1 and skip):
            lengths[-1] += _carried(info, ends, me, equal_nan)
        result["counts"] = lengths[skip:]
    if want_inverse:
        ids = np.cumsum(flags, dtype=np.int64) - 1 + int(kept[:me].sum()) - skip
        result["inverse"] = scatter_home(comm, g, ids.astype(np.intp), src_maps, layout)
    return result


def _carried(info, ends, r, equal_nan):
    """Elements of later processes that continue process ``r``'s last run."""
    extra = 0
    for q in range(r + 1, len(info)):
        if not info[q, 0]:
            continue
        if not _same(ends[r, 1:2], ends[q, 0:1], equal_nan)[0]:
            break
        extra += int(info[q, 2])
        if info[q, 1] > 1:
            break
    return extra


@command
def rows_read_as(local, layout, dtype):
    """The owned rows (indices of axis 0) read as ``dtype``: a row as one record of its
    elements, or a record as the row of its fields (a copy, shaped for ``layout``)."""
    x = np.ascontiguousarray(local.owned)
    rows = x.reshape(x.shape[0], math.prod(x.shape[1:])).view(dtype)
    return LocalArray.from_owned(rows, layout)


@command
def unique_size(part):
    """Number of unique values this process holds."""
    return len(part["values"])


def scatter_home(comm, flat, values, maps, layout):
    """Send ``values[i]`` to the owner of global flat index ``flat[i]`` (one exchange).

    Returns this process's piece (a LocalArray of ``layout``) of the array so
    defined; every element of the array must be given exactly once.
    """
    shape = tuple(m.size for m in maps)
    grid = tuple(m.grid_size for m in maps)
    p = comm.Get_size()
    if shape:
        index = np.unravel_index(flat, shape)
        owners = [m.owners(i) for m, i in zip(maps, index)]
        dest = np.ravel_multi_index(owners, grid) if len(flat) else np.zeros(0, np.intp)
    else:
        dest = np.zeros(len(flat), np.intp)
    order = np.argsort(dest, kind="stable")
    scounts = np.bincount(dest, minlength=p)
    rcounts = alltoall_counts(comm, scounts)
    flat_in = np.empty(int(rcounts.sum()), np.int64)
    values_in = np.empty(len(flat_in), values.dtype)
    drive([post_alltoallv(comm, np.ascontiguousarray(flat[order]), scounts, flat_in,
                              rcounts),
              post_alltoallv(comm, np.ascontiguousarray(values[order]), scounts, values_in,
                              rcounts)])
    out = LocalArray.empty(layout, values.dtype, fill=0)
    if shape:
        index = np.unravel_index(flat_in, shape)
        local = tuple(m.local_index(c, i) for m, c, i in zip(layout.maps, layout.coords, index))
        out.ndarray[local] = values_in
    elif len(values_in):
        out.ndarray[()] = values_in[0]
    return out


# -- searchsorted --------------------------------------------------------------------
def _sorted_owned(local, monotone):
    x = np.ascontiguousarray(local.owned).reshape(-1)
    return x if monotone else np.sort(x)


@command
def searchsorted_counts(local, v, side, monotone):
    """How many owned elements sort before each of ``v`` (summed over pieces on the client)."""
    return np.searchsorted(_sorted_owned(local, monotone), v, side).astype(np.intp, copy=False)


@command
def searchsorted_first(local):
    """``(number of owned elements, the first one or None)`` of a 1-D piece."""
    owned = local.owned
    return len(owned), (owned[0] if len(owned) else None)


def _exchange_p2p(world, tag, outgoing, sources, dtype):
    """Send ``outgoing[rank]`` to each rank, receive one array from each of ``sources``.

    Every pair exchanges exactly one (possibly empty) message: sizes first,
    then data.  Returns ``{rank: array}``.
    """
    me = world.Get_rank()
    sizes = {rank: np.array([len(outgoing[rank])], np.int64) for rank in outgoing}
    incoming = {rank: np.empty(1, np.int64) for rank in sources if rank != me}
    requests = [world.Isend([a, MPI.INT64_T], rank, tag) for rank, a in sizes.items()
                if rank != me]
    requests += [world.Irecv([a, MPI.INT64_T], rank, tag) for rank, a in incoming.items()]
    wait_all(requests)
    received = {rank: np.empty(int(a[0]), dtype) for rank, a in incoming.items()}
    if me in sources:
        received[me] = outgoing[me]
    requests = [world.Isend([as_bytes(np.ascontiguousarray(a)), MPI.BYTE], rank, tag + 1)
                for rank, a in outgoing.items() if rank != me]
    requests += [world.Irecv([as_bytes(a), MPI.BYTE], rank, tag + 1)
                 for rank, a in received.items() if rank != me]
    drive(requests)
    return received


@command
def searchsorted_routed(world, a_local, v_local, a_targets, v_targets, firsts, holders,
                        offsets, side, dtype, layout, tag):
    """``searchsorted(a, v)`` for a DistArray ``v``: each value asks the piece it falls in.

    ``holders`` are the worker ranks of the non-empty pieces of the (1-D
    block) array ``a``, ``firsts`` their first elements and ``offsets`` their
    global starts.
    """
    tag *= TAG_SPAN
    me = world.Get_rank()
    requests, asked = {}, None
    if v_local is not None:
        v = np.ascontiguousarray(v_local.owned).reshape(-1).astype(dtype, copy=False)
        piece = np.searchsorted(np.asarray(firsts, dtype), v, side) - 1
        asked = piece
        requests = {rank: v[piece == i] for i, rank in enumerate(holders)}
    outgoing = {rank: requests.get(rank, np.empty(0, dtype)) for rank in a_targets} \
        if v_local is not None else {}
    got = _exchange_p2p(world, tag, outgoing, v_targets if a_local is not None else (), dtype)
    replies = {}
    if a_local is not None:
        x = np.ascontiguousarray(a_local.owned)
        offset = offsets[holders.index(me)] if me in holders else 0
        replies = {rank: (np.searchsorted(x, q, side) + offset).astype(np.int64)
                   for rank, q in got.items()}
    outgoing = {rank: replies.get(rank, np.empty(0, np.int64)) for rank in v_targets} \
        if a_local is not None else {}
    answers = _exchange_p2p(world, tag + 2, outgoing, a_targets if v_local is not None else (),
                            np.int64)
    if v_local is None:
        return None
    result = np.zeros(asked.shape, np.intp)
    for i, rank in enumerate(holders):
        result[asked == i] = answers[rank]
    return LocalArray.from_owned(result, layout)


# -- order statistics, histograms, bincount --------------------------------------------
@command
def pick_sorted(part, bounds, positions):
    """Values at sorted global ``positions`` that this process's part holds."""
    me = part["comm"].Get_rank()
    lo, hi = bounds[me], bounds[me + 1]
    positions = np.asarray(positions, np.int64)
    mine = (positions >= lo) & (positions < hi)
    return np.flatnonzero(mine), part["values"][positions[mine] - lo]


@command
def quantile_along(local, layout, function, q, axis, kwargs, weights, dtype):
    """``numpy.<function>(owned, q, axis=axis, **kwargs)`` for local axes ``axis``.

    ``weights``: a LocalArray laid out like ``local`` (or None), passed on as
    ``weights=``.  The result is of ``dtype`` (NumPy's dtype may depend on the
    values); an empty piece (the global array is not) has an empty result.
    """
    if local.owned.size == 0:
        return LocalArray.empty(layout, dtype)
    func = getattr(np, function)
    args = () if q is None else (q,)
    if weights is not None:
        kwargs = dict(kwargs, weights=weights.owned)
    found = func(local.owned, *args, axis=axis, **kwargs)
    return LocalArray.from_owned(np.asarray(found, dtype), layout)


@command
def histogram_piece(local, weights, bins, range):  # noqa: A002 - NumPy's name
    """``numpy.histogram`` counts of the owned elements (bins and range already final)."""
    w = None if weights is None else np.ascontiguousarray(weights.owned).reshape(-1)
    return np.histogram(np.ascontiguousarray(local.owned).reshape(-1), bins=bins, range=range,
                        weights=w)[0]


@command
def bincount_piece(local, weights):
    """``numpy.bincount`` of the owned elements, or None if one is negative."""
    x = local.owned
    if x.size and x.min() < 0:
        return None
    w = None if weights is None else weights.owned
    return np.bincount(x, w)
