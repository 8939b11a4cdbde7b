"""Linear algebra on the workers: SUMMA products, contractions, TSQR, blocked LU and Cholesky.

Every collective is nonblocking and completed with :func:`.progress.wait_all`
(DESIGN §2).  The one exception is the creation of a grid's row and column
communicators (``Cart.Sub``), done once per grid and cached.

* :func:`summa`: ``C = A @ B`` for 2-D pieces on one process grid.  The k
  axis is cut into panels (runs of indices with the same owning grid column
  of A and grid row of B); each panel of A is broadcast along the grid rows,
  each panel of B along the grid columns, and every process accumulates
  ``A_panel @ B_panel`` into its piece of C with BLAS.  A panel is multiplied
  as soon as it is there (the process's own ones at once), in chunks between
  which the transfers in flight are driven on (MPI moves a message only while
  both of its processes are inside MPI calls).
* :func:`batched`: stacks of matrices (``matmul``, ``solve``, factorizations,
  eigenvalues): each process gathers the whole matrices of its batch piece of
  every operand (a broadcast operand goes to every process that needs it)
  and calls NumPy.
* :func:`contract_aligned`: contraction of an array with another one aligned to some
  of its axes (matrix-vector products, dot products, full contractions):
  local ``tensordot`` then a sum along the grid axes of the contracted axes.
* :func:`tsqr`: QR of a block-row (tall-skinny) matrix: local QR, the R
  factors stacked and factored on the first process, Q assembled back.
* :func:`lu_solve` and :func:`cholesky_factor`: right-looking blocked factorizations
  on a column block-cyclic layout over a ``1 x P`` grid (the panel owner
  factors with LAPACK's ``getrf`` or Cholesky; panels are
  broadcast and applied to the trailing columns; the owner of the next panel
  updates and factors it first, so its broadcast overlaps the others' update,
  which is done in chunks that drive that broadcast on).
"""

import math
import os
import time
import weakref

import numpy as np
from mpi4py import MPI
from scipy.linalg import get_lapack_funcs, solve_triangular

from ..plan.maps import UndistributedMap
from . import memory
from .buffers import TAG_SPAN, as_bytes
from .exchange import gather_blocks
from .localarray import LocalArray
from .progress import wait_all
from .registry import command

#: Panels the SUMMA loop keeps in flight.
LOOKAHEAD = 2
#: Floating-point operations between two checks on the transfers in flight.
POLL_FLOPS = 1 << 29
#: Longest a SUMMA check drives the transfers in flight before computing on.
DRIVE_SECONDS = 0.002

_subcomms = {}


def sub_comm(comm, remain):
    """``comm.Sub(remain)``: made once per Cartesian communicator and kept.

    Creating it is a collective: all processes of the grid reach it in the
    same command.  It is freed when ``comm`` is garbage collected.
    """
    key = (id(comm), tuple(bool(r) for r in remain))
    entry = _subcomms.get(key)
    if entry is None or entry[0]() is not comm:
        sub = comm.Sub(list(key[1]))
        entry = _subcomms[key] = (weakref.ref(comm), sub)
        weakref.finalize(comm, _drop_sub, key, sub)
    return entry[1]


def _drop_sub(key, sub):
    entry = _subcomms.get(key)
    if entry is not None and entry[1] is sub:
        del _subcomms[key]
    if sub != MPI.COMM_NULL:
        sub.Free()


def _bytes(array):
    return [as_bytes(array), MPI.BYTE]


def work_dtype(dtype):
    """The dtype partial sums travel in (MPI cannot add booleans or half floats)."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return np.dtype(np.int64)
    if dtype == np.float16:
        return np.dtype(np.float32)
    return dtype


def _from_work(value, dtype):
    value = np.asarray(value)
    return (value != 0) if dtype == np.bool_ else value.astype(dtype, copy=False)


def _source(world, spec, dst_maps, dst_targets, tag):
    """``spec = (piece, dtype, maps, targets)`` brought to ``dst_maps`` on ``dst_targets``.

    A new array of the destination piece's owned cells on the destination
    workers, else None.
    """
    piece, dtype, maps, targets = spec
    return gather_blocks(world, tag, piece, dtype, maps, targets, dst_maps, dst_targets,
                         tuple(range(len(maps))))


# -- matrix products ----------------------------------------------------------------
def panels(k_map_a, k_map_b, width):
    """SUMMA panels ``(start, stop, root_a, root_b)`` of the contracted axis.

    Maximal runs of indices owned by the same grid column of A (``k_map_a``)
    and grid row of B (``k_map_b``), cut to at most ``width`` indices.
    """
    k = k_map_a.size
    if k == 0:
        return []
    g = np.arange(k)
    owners_a, owners_b = k_map_a.owners(g), k_map_b.owners(g)
    change = np.flatnonzero((np.diff(owners_a) != 0) | (np.diff(owners_b) != 0)) + 1
    starts, stops = np.r_[0, change], np.r_[change, k]
    return [(int(s), int(min(s + width, e)), int(owners_a[s0]), int(owners_b[s0]))
            for s0, e in zip(starts, stops) for s in range(s0, e, width)]


class _Panel:
    """One SUMMA panel on this process: its two operands and pending receives."""

    def __init__(self, a_part, b_part, receives):
        self.a, self.b = a_part, b_part
        self.receives = [request for request in receives if request is not None]
        self.received = [part for part, request in zip((a_part, b_part), receives)
                         if request is not None]

    def ready(self):
        return not self.receives or MPI.Request.Testall(self.receives)


def _panel_part(comm, local, axis, local_map, me, start, stop, root, sends):
    """This process's copy of ``local``'s panel ``[start, stop)`` along ``axis``.

    The root sends its slice along ``comm`` (None: a grid of one along this
    axis, the slice is used in place); the others receive it.
    """
    width = stop - start
    other = local.shape[1 - axis]
    if comm is None or me == root:
        first = int(local_map.local_index(me, start))
        part = local[:, first:first + width] if axis == 1 else local[first:first + width]
        if comm is None:
            return part, None
        part = np.ascontiguousarray(part)
        sends.append(comm.Ibcast(_bytes(part), root=root))
        return part, None
    part = memory.empty((other, width) if axis == 1 else (width, other), local.dtype)
    return part, comm.Ibcast(_bytes(part), root=root)


def _drive(pending):
    """Test the transfers ``pending`` for up to :data:`DRIVE_SECONDS`; whether they are done.

    Between processes of one machine MPI copies a large message piece by piece
    as both processes test it, so a short burst of tests usually completes it.
    """
    deadline = time.perf_counter() + DRIVE_SECONDS
    while not MPI.Request.Testall(pending):
        if time.perf_counter() > deadline:
            return False
    return True


def _multiply_polling(x, y, out, accumulate, pending):
    """``out (+)= x @ y`` in row chunks of about ``POLL_FLOPS``, driving ``pending`` between.

    MPI moves a message only while its two processes are inside MPI calls, so
    a process multiplying one panel keeps the transfers of the others going.
    Once they are done, the remaining rows go to BLAS in one call (each call
    repacks ``y``, and smaller products run slower).
    """
    rows = x.shape[0]
    step = max(1, min(rows, POLL_FLOPS // max(1, 2 * x.shape[1] * y.shape[1])))
    start = 0
    while start < rows:
        polling = bool(pending) and not _drive(pending)
        part = slice(start, start + step if polling else rows)
        if accumulate:
            out[part] += x[part] @ y
        else:
            np.matmul(x[part], y, out=out[part])
        start = part.stop


@command
def summa(a, b, layout, dtype, width):
    """``a @ b`` for 2-D pieces on the same grid; the result piece laid out as ``layout``.

    Parameters
    ----------
    a, b : LocalArray
        Pieces of A (m x k) and B (k x n) on one ``pr x pc`` grid: A's rows and
        B's columns may have any map, A's columns (grid axis 1) and B's rows
        (grid axis 0) block or block-cyclic maps.
    layout : Layout
        The result's: A's row map and B's column map on the same grid.
    dtype : numpy.dtype
        The result's element type (the operands are cast to it).
    width : int
        The widest panel.
    """
    comm = layout.comm
    pr, pc = (m.grid_size for m in layout.maps)
    row, col = a.coords
    rows = sub_comm(comm, (False, True)) if pc > 1 else None  # my grid row: A's panels
    cols = sub_comm(comm, (True, False)) if pr > 1 else None  # my grid column: B's panels
    A, B = a.ndarray.astype(dtype, copy=False), b.ndarray.astype(dtype, copy=False)
    todo = panels(a.maps[1], b.maps[0], width)
    result, sends, flight = None, [], []
    while todo or flight:
        while todo and len(flight) < LOOKAHEAD:
            start, stop, root_a, root_b = todo.pop(0)
            a_part, ra = _panel_part(rows, A, 1, a.maps[1], col, start, stop, root_a, sends)
            b_part, rb = _panel_part(cols, B, 0, b.maps[0], row, start, stop, root_b, sends)
            flight.append(_Panel(a_part, b_part, (ra, rb)))
        ready = next((p for p in flight if p.ready()), None)
        if ready is None:
            os.sched_yield()
            continue
        flight.remove(ready)
        first = result is None
        if first:
            result = memory.empty((A.shape[0], B.shape[1]), dtype)
        _multiply_polling(ready.a, ready.b, result, not first,
                          sends + [r for p in flight for r in p.receives])
        for part in ready.received:  # multiplied: the workers' cache may have it back
            memory.give_back(part)
    wait_all(sends)
    if result is None:
        result = np.zeros((A.shape[0], B.shape[1]), dtype)
    return LocalArray(result, layout)


@command
def contract_aligned(world, a, b, b_dtype, b_maps, b_targets, a_maps, a_targets, axes, conj, dtype,
             layout, tag):
    """Contract the array ``a`` with ``b``, whose axes align with ``a``'s ``axes``.

    ``b``'s elements are brought to ``a``'s pieces; each piece computes
    ``tensordot(a, b)`` over those axes and the partial sums are added along
    the grid axes of ``axes`` onto the processes with coordinate 0 there.

    Parameters
    ----------
    a, b : LocalArray or None
        This worker's pieces (None where it holds none).
    axes : tuple of int
        For each axis of ``b``, the axis of ``a`` it is contracted with.
    conj : (bool, bool)
        Conjugate ``a``, ``b`` first.
    layout : Layout or None
        The result's (None: a full contraction, whose partial is returned).

    Returns
    -------
    A LocalArray on the result's processes, else None (or the partial).
    """
    part = gather_blocks(world, tag * TAG_SPAN, b, b_dtype, b_maps, b_targets, a_maps,
                         a_targets, axes)
    if a is None:
        return None
    x, y = a.owned.astype(dtype, copy=False), part.astype(dtype, copy=False)
    x, y = (np.conj(x) if conj[0] else x), (np.conj(y) if conj[1] else y)
    work = work_dtype(dtype)
    value = np.tensordot(x, y, axes=(list(axes), list(range(y.ndim))))
    value = np.asarray(value, dtype=work, order="C")
    if len(axes) == len(a_maps):
        return _from_work(value, dtype)[()]
    remain = [i in axes for i in range(len(a_maps))]
    if math.prod(m.grid_size for m, r in zip(a_maps, remain) if r) > 1:
        sub = sub_comm(a.comm, remain)
        total = np.empty_like(value) if sub.Get_rank() == 0 else None
        wait_all([sub.Ireduce(value, total, op=MPI.SUM, root=0)])
        value = total
    if layout is None:
        return None
    return LocalArray.from_owned(_from_work(value, dtype), layout)


def _complex_results(function):
    """``function`` (``eig``, ``eigvals``) with complex results whatever the values.

    NumPy's ``eig`` returns real arrays when all the eigenvalues of its whole
    input are real: for a stack split over processes, the client decides that.
    """
    def run(*args, **kwargs):
        result = function(*args, **kwargs)
        parts = tuple(r.astype(np.promote_types(r.dtype, np.complex64), copy=False)
                      for r in (result if isinstance(result, tuple) else (result,)))
        return parts if isinstance(result, tuple) else parts[0]

    return run


#: The NumPy functions :func:`batched` runs on stacks of matrices.
BATCHED = {"matmul": np.matmul,
           **{name: getattr(np.linalg, name) for name in (
               "slogdet", "solve", "inv", "cholesky", "qr", "svd", "eigh", "eigvalsh",
               "cond")},
           **{name: _complex_results(getattr(np.linalg, name)) for name in ("eig", "eigvals")}}


@command
def batched(world, name, operands, targets, layouts, options, tag):
    """NumPy's ``name`` (a key of :data:`BATCHED`) on this process's piece of a batch.

    Parameters
    ----------
    operands : list of tuple
        For each operand ``(spec, maps, axes)``: ``spec = (piece, dtype, maps,
        targets)`` is brought to ``maps`` on ``targets`` (the result's batch
        maps, then its two matrix axes whole), its axis ``i`` aligned with
        ``axes[i]`` (None: a broadcast batch axis of length 1).
    layouts : tuple
        The results' layouts (None off their processes).
    options : dict
        Keyword arguments of the function.

    Returns
    -------
    The tuple of the results' pieces, else None.
    """
    values = [gather_blocks(world, tag * TAG_SPAN + i, *spec, maps, targets, axes)
              for i, (spec, maps, axes) in enumerate(operands)]
    if layouts[0] is None:
        return None
    result = BATCHED[name](*values, **options)
    return tuple(LocalArray.from_owned(r, layout) for r, layout in zip(
        result if isinstance(result, tuple) else (result,), layouts))


@command
def trace_piece(local, offset, dtype):
    """The sum of the piece's elements on the diagonal ``offset`` of a 2-D array."""
    rows, cols = local.global_index_arrays()
    _, i, j = np.intersect1d(rows + offset, cols, assume_unique=True, return_indices=True)
    return np.sum(local.owned[i, j], dtype=dtype)


# -- TSQR ---------------------------------------------------------------------------
@command
def tsqr(world, a, dtype, maps, layout, targets, mode, rhs, q_layout, tag):
    """QR (or SVD) of a tall-skinny matrix, brought to the block rows of ``layout``.

    The matrix ``a``, ``(piece, dtype, maps, targets)`` of any layout, is first
    brought to ``maps`` (block rows over a ``P x 1`` grid on ``targets``; its
    ``layout`` there).
    Each process factors its rows ``A_i = Q_i R_i``; the first process factors
    the stack of the ``R_i`` (``Q' R``) and sends each process its block of
    ``Q'``; the piece of Q is ``Q_i Q'_i``.

    Parameters
    ----------
    mode : {'r', 'qr', 'svd'}
        'r': the first process returns R (and ``Q^H rhs``); 'qr': also keep
        the piece of Q (laid out as ``q_layout``); 'svd': the first process
        also takes ``R = U s Vh``, the pieces of ``Q U`` are kept and
        ``(s, Vh)`` returned.
    rhs : tuple or None
        ``(piece, dtype, maps, targets)`` of a 2-D right-hand side (rows
        aligned with A's), for least squares: the result is then ``(R, Q^H rhs)``.

    Returns
    -------
    The result on the first process (else None), preceded in modes 'qr' and
    'svd' by the piece of Q: ``(piece, result)``.
    """
    rows = maps[0]
    block = _source(world, a, maps, targets, tag * TAG_SPAN)
    b = None
    if rhs is not None:
        b = _source(world, rhs, (rows, _whole(rhs[2][1].size)), targets, tag * TAG_SPAN + 1)
    if block is None:
        return None if mode == "r" else (None, None)
    comm = layout.comm
    me = comm.Get_rank()
    n = block.shape[1]
    counts = [min(rows.owned_count(r), n) for r in range(len(targets))]
    q, r = np.linalg.qr(block.astype(dtype, copy=False))
    c = None if b is None else q.conj().T @ b.astype(dtype, copy=False)
    base = tag * TAG_SPAN + 2
    if me != 0:
        wait_all([comm.Isend(_bytes(np.ascontiguousarray(x)), 0, base + k)
                  for k, x in enumerate((r, c)) if x is not None])
        result = None
    else:
        stacks, requests = [[r], [c]], []
        for j in range(1, len(counts)):
            for k, x in enumerate((r, c)):
                if x is not None:
                    stacks[k].append(np.empty((counts[j], x.shape[1]), x.dtype))
                    requests.append(comm.Irecv(_bytes(stacks[k][-1]), j, base + k))
        wait_all(requests)
        q_stack, r = np.linalg.qr(np.vstack(stacks[0]))
        result = r if c is None else (r, q_stack.conj().T @ np.vstack(stacks[1]))
        if mode == "svd":
            u, s, vh = np.linalg.svd(r, full_matrices=False)
            q_stack, result = q_stack @ u, (s, vh)
    if mode == "r":
        return result
    width = min(sum(counts), n)
    if me == 0:
        offsets = np.cumsum([0] + counts)
        parts = [np.ascontiguousarray(q_stack[offsets[j]:offsets[j + 1]])
                 for j in range(len(counts))]
        wait_all([comm.Isend(_bytes(parts[j]), j, base + 2) for j in range(1, len(counts))])
        mine = parts[0]
    else:
        mine = np.empty((counts[me], width), q.dtype)
        wait_all([comm.Irecv(_bytes(mine), 0, base + 2)])
    return LocalArray.from_owned(q @ mine, q_layout), result


def _whole(size):
    return UndistributedMap(size)


# -- blocked right-looking factorizations -------------------------------------------
def _swap_rows(x, pivots):
    """Apply the row interchanges ``i <-> pivots[i]`` (in order) to ``x``."""
    if not len(pivots) or x.shape[1] == 0:
        return
    order = np.arange(max(len(pivots), int(np.max(pivots)) + 1))
    for i, p in enumerate(pivots):
        order[i], order[p] = order[p], order[i]
    moved = np.flatnonzero(order != np.arange(len(order)))
    x[moved] = x[order[moved]]


def _lu_factor(a, k0, w, lp):
    """Factor the panel at rows ``k0:``, local columns ``lp:lp+w`` (LAPACK ``getrf``).

    Returns its header: the first column with an exactly zero pivot (-1 if
    none), then the pivots (row ``k0 + i`` was swapped with ``k0 + pivots[i]``).
    """
    getrf, = get_lapack_funcs(("getrf",), (a,))
    lu, pivots, info = getrf(a[k0:, lp:lp + w], overwrite_a=True)
    a[k0:, lp:lp + w] = lu
    return np.concatenate([[info - 1 if info > 0 else -1], pivots])


def _lu_update(x, columns, k0, header, panel):
    """Apply one LU panel (pivots, L11, L21) to the columns ``x`` (all rows)."""
    w = panel.shape[1]
    if x.shape[1] == 0:
        return
    _swap_rows(x[k0:], header[1:1 + w])
    top = solve_triangular(panel[:w], x[k0:k0 + w], lower=True, unit_diagonal=True,
                           check_finite=False)
    x[k0:k0 + w] = top
    x[k0 + w:] -= panel[w:] @ top


def _cholesky_factor(a, k0, w, lp):
    diagonal = a[k0:k0 + w, lp:lp + w]
    try:
        lower = np.linalg.cholesky(diagonal)
    except np.linalg.LinAlgError:
        return np.array([k0])
    diagonal[...] = lower
    below = a[k0 + w:, lp:lp + w]
    below[...] = solve_triangular(lower, below.conj().T, lower=True,
                                  check_finite=False).conj().T
    return np.array([-1])


def _cholesky_update(x, columns, k0, header, panel):
    """Subtract ``L21 L21^H`` (the rows and columns below the panel) from ``x``."""
    w = panel.shape[1]
    if x.shape[1] == 0:
        return
    below = panel[w:]
    x[k0 + w:] -= below @ below[columns - k0 - w].conj().T


def _right_looking(comm, a, columns, block, factor, update, extra=None):
    """The blocked right-looking loop over the column panels of ``a`` (n x local columns).

    ``columns`` are the global indices of the local columns (block-cyclic
    over the processes of ``comm``, blocks of ``block``).  The owner of a panel
    calls ``factor(a, k0, w, first_local)`` (returning an int header whose
    entry 0 is -1 unless the factorization failed); the panel and header are
    broadcast and every process calls ``update(x, x_columns, k0, header,
    panel)`` on its trailing columns and on ``extra`` (right-hand sides).
    Returns the headers of the panels, up to the first failed one.
    """
    nprocs, me = comm.Get_size(), comm.Get_rank()
    n = a.shape[0]
    steps = -(-n // block)

    def post(s):
        k0 = s * block
        w, owner = min(block, n - k0), s % nprocs
        if owner == me:
            lp = (s // nprocs) * block
            header = np.zeros(block + 1, np.int64)
            head = factor(a, k0, w, lp)
            header[:len(head)] = head
            panel = np.ascontiguousarray(a[k0:, lp:lp + w])
        else:
            header, panel = np.empty(block + 1, np.int64), np.empty((n - k0, w), a.dtype)
        return header, panel, [comm.Ibcast(header, root=owner),
                               comm.Ibcast(_bytes(panel), root=owner)]

    pending = post(0) if steps else None
    headers = []
    for s in range(steps):
        header, panel, requests = pending
        wait_all(requests)
        headers.append(header)
        if header[0] >= 0:
            return headers
        k0 = s * block
        first = int(np.searchsorted(columns, k0 + panel.shape[1]))
        split = first
        if s + 1 < steps and (s + 1) % nprocs == me:  # the next panel first, then its broadcast
            split = first + min(block, n - (s + 1) * block)
            update(a[:, first:split], columns[first:split], k0, header, panel)
            pending = post(s + 1)
        elif s + 1 < steps:
            pending = post(s + 1)
        pending_requests = pending[2] if s + 1 < steps else []
        _update_polling(update, a[:, split:], columns[split:], k0, header, panel,
                        pending_requests)
        if extra is not None:
            _update_polling(update, extra, None, k0, header, panel, pending_requests)
    return headers


def _failed(headers):
    """Whether the factorization that gave these panel headers met a zero pivot."""
    return bool(headers) and headers[-1][0] >= 0


def _update_polling(update, x, columns, k0, header, panel, pending):
    """``update`` of the columns ``x`` in chunks of about ``POLL_FLOPS``, testing ``pending``.

    (So that the next panel's broadcast goes on meanwhile: see :func:`_multiply_polling`.)
    """
    count = x.shape[1]
    step = max(1, POLL_FLOPS // max(1, 2 * x.shape[0] * panel.shape[1]))
    for start in range(0, max(count, 1), step):
        part = slice(start, start + step)
        update(x[:, part], None if columns is None else columns[part], k0, header, panel)
        MPI.Request.Testall(pending)


def _back_substitute(comm, a, block, rhs):
    """Solve ``U x = rhs`` in place; U is the upper triangle of the column-cyclic ``a``."""
    nprocs, me = comm.Get_size(), comm.Get_rank()
    n = a.shape[0]
    steps = -(-n // block)

    def post(s):
        k0 = s * block
        k1, owner = min(k0 + block, n), s % nprocs
        if owner == me:
            lp = (s // nprocs) * block
            panel = np.ascontiguousarray(a[:k1, lp:lp + k1 - k0])
        else:
            panel = np.empty((k1, k1 - k0), a.dtype)
        return panel, comm.Ibcast(_bytes(panel), root=owner)

    flight = [post(s) for s in range(steps - 1, max(steps - 1 - LOOKAHEAD, -1), -1)]
    for s in range(steps - 1, -1, -1):
        panel, request = flight.pop(0)
        if s - LOOKAHEAD >= 0:
            flight.append(post(s - LOOKAHEAD))
        wait_all([request])
        if rhs.shape[1] == 0:
            continue
        k0 = s * block
        top = solve_triangular(panel[k0:], rhs[k0:k0 + panel.shape[1]], check_finite=False)
        rhs[k0:k0 + panel.shape[1]] = top
        rhs[:k0] -= panel[:k0] @ top


def _factored_matrix(world, a, dtype, maps, layout, targets, tag):
    """A's columns brought to ``maps`` (a writable copy in ``dtype``) and their global indices."""
    matrix = _source(world, a, maps, targets, tag * TAG_SPAN)
    if matrix is None:
        return None, None
    columns = layout.maps[1].global_indices(layout.comm.Get_rank())
    return np.array(matrix, dtype=dtype), columns  # gathered pieces may be views of the input


@command
def lu_solve(world, a, dtype, maps, layout, targets, rhs, rhs_maps, rhs_layout, tag):
    """``solve(A, B)`` by blocked LU with partial pivoting (column block-cyclic, ``1 x P``).

    Parameters
    ----------
    a : tuple
        ``(piece, dtype, maps, targets)`` of A, brought to ``maps`` on ``targets``
        (whose layout there is ``layout``).
    rhs : tuple or None
        The same for B, brought to ``rhs_maps``: 2-D (column block-cyclic like
        A), or 1-D (then it goes whole to the grid's first process, as one
        column); None for the identity (``inv``).
    rhs_layout : Layout or None
        The result's (B's destination layout; None off its processes).

    Raises LinAlgError (on every process) if the matrix is exactly singular.
    """
    matrix, columns = _factored_matrix(world, a, dtype, maps, layout, targets, tag)
    vector = len(rhs_maps) == 1
    right = None
    if rhs is not None:
        right = _source(world, rhs, rhs_maps, targets[:1] if vector else targets,
                        tag * TAG_SPAN + 1)
    if matrix is None:
        return None
    comm = layout.comm
    n = matrix.shape[0]
    if rhs is None:
        mine = rhs_maps[1].global_indices(comm.Get_rank())
        right = np.zeros((n, len(mine)), dtype)
        right[mine, np.arange(len(mine))] = 1
    elif vector:
        right = np.zeros((n, 0), dtype) if right is None else np.array(right, dtype)[:, None]
    else:
        right = np.array(right, dtype)
    block = layout.maps[1].block_size
    if _failed(_right_looking(comm, matrix, columns, block, _lu_factor, _lu_update, right)):
        raise np.linalg.LinAlgError("Singular matrix")
    _back_substitute(comm, matrix, block, right)
    if rhs_layout is None:
        return None
    return LocalArray(np.ascontiguousarray(right[:, 0]) if vector else right, rhs_layout)


def _interchanges(headers, block, n):
    """How many row interchanges the LU panels with these headers made."""
    count = 0
    for s, header in enumerate(headers):
        w = min(block, n - s * block)
        count += int(np.count_nonzero(header[1:1 + w] != np.arange(w)))
    return count


@command
def lu_slogdet(world, a, dtype, maps, layout, targets, tag):
    """This process's share ``(sign, log|det|)`` of ``slogdet(A)``, by the blocked LU.

    The arguments are :func:`lu_solve`'s.  The product of the processes' signs
    and the sum of their logarithms are A's: each process takes the diagonal
    entries of U in its columns, the first one also the sign of the row
    interchanges.  A singular matrix gives ``(0, -inf)`` on every process.
    """
    matrix, columns = _factored_matrix(world, a, dtype, maps, layout, targets, tag)
    if matrix is None:
        return None
    comm, block = layout.comm, layout.maps[1].block_size
    headers = _right_looking(comm, matrix, columns, block, _lu_factor, _lu_update)
    real = matrix.real.dtype
    if _failed(headers):
        return dtype.type(0), real.type(-np.inf)
    diagonal = matrix[columns, np.arange(len(columns))]
    magnitude = np.abs(diagonal)
    sign = np.prod(diagonal / magnitude, dtype=dtype)
    if comm.Get_rank() == 0 and _interchanges(headers, block, matrix.shape[0]) % 2:
        sign = -sign
    return sign, np.sum(np.log(magnitude), dtype=real)


@command
def cholesky_factor(world, a, dtype, maps, layout, targets, tag):
    """Lower Cholesky factor by the blocked right-looking loop (column block-cyclic).

    ``a`` is ``(piece, dtype, maps, targets)``, brought to ``maps`` on ``targets``.  Only
    the lower triangle of A is read.  Raises LinAlgError (on every process)
    if A is not positive definite.
    """
    matrix, columns = _factored_matrix(world, a, dtype, maps, layout, targets, tag)
    if matrix is None:
        return None
    if _failed(_right_looking(layout.comm, matrix, columns, layout.maps[1].block_size,
                              _cholesky_factor, _cholesky_update)):
        raise np.linalg.LinAlgError("Matrix is not positive definite")
    matrix[np.arange(matrix.shape[0])[:, None] < columns[None, :]] = 0
    return LocalArray(matrix, layout)
