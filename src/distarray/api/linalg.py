"""Linear algebra of DistArrays: products, contractions, norms and factorizations.

Every shape, dtype and argument is checked on the client before anything is
sent, raising what NumPy raises (NumPy itself runs on zero-memory stand-ins
when the check fails, so the messages are NumPy's).  Errors found while
computing (a singular matrix, one that is not positive definite) are raised
on the client as ``numpy.linalg.LinAlgError``.

How the work is done (the worker side is :mod:`distarray.local.linalg`):

* ``matmul``/``@``/``dot`` of two matrices: SUMMA on a 2-D process grid.
  Operands already on one grid (block or block-cyclic along the contracted
  axis) move no data before the product; otherwise one of them (or both) is
  redistributed to block layouts on the other's (or a chosen) grid.  Panels
  of A travel along the grid rows and panels of B along the grid columns,
  so the data a process receives shrinks as the grid grows; no operand is
  ever gathered whole.
* products with a vector, ``vdot``, ``vecdot`` of 1-D arrays and other
  contractions of an array with one aligned to some of its axes: the
  smaller operand is brought to the larger one's pieces, each piece
  contracts locally and the partial sums are added along the grid (full
  contractions return a NumPy scalar).  Other ``tensordot`` contractions
  become a matrix product of reshaped operands; ``einsum`` is evaluated
  pairwise through these.
* ``qr`` and ``svd`` (and ``lstsq``, ``norm(.., 2)``, ``norm(.., 'nuc')``)
  use TSQR on block rows, meant for tall-skinny matrices (wide ones are
  transposed first).  Results that would be square in the long dimension
  (``mode='complete'``, ``full_matrices=True`` of a non-square matrix) are
  computed by NumPy on a gathered copy, with a ``UserWarning``, when small.
* ``solve``/``inv``/``det``/``slogdet``: blocked LU with partial pivoting, ``cholesky``: blocked
  Cholesky, both right-looking on a column block-cyclic ``1 x P`` grid.
* stacks of matrices (``@``, ``solve``, ``inv``, ``det``, ``slogdet``, ``cholesky``,
  ``qr``, ``svd``, the eigenvalue functions): laid out over the batch axes, each worker
  runs NumPy on the whole matrices of its part.  The eigenvalue functions of one
  matrix are computed by NumPy on a gathered copy (small matrices only).

Array results are DistArrays; small ones (R factors, singular values, least
squares solutions) are computed on the client and distributed.
"""

import functools
import math
import operator
import string
import weakref

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..errors import warn
from ..plan.distribution import Distribution
from ..plan.maps import BlockMap, CyclicMap, UndistributedMap
from ..runtime.messages import WORLD, MaybeRef, Ref
from .creation import fromarray, zeros
from .darray import DistArray, dtype_of, shape_of
from .dispatch import implements
from .indexing import redistribute
from .reductions import deliver, reduced_distribution, unwrap_out
from .ufuncs import context_of

__all__ = [
    "cholesky", "det", "dot", "eig", "eigh", "eigvals", "eigvalsh", "einsum", "inner", "inv",
    "lstsq", "matmul", "matrix_norm", "matvec", "norm", "outer", "qr", "slogdet", "solve", "svd",
    "svdvals", "tensordot", "trace", "vdot", "vecdot", "vecmat", "vector_norm",
]

#: Most elements a fallback may gather to the client (with a ``UserWarning``).
GATHER_LIMIT = 1 << 22
#: Contracted-axis blocks narrower than this are redistributed before SUMMA.
MIN_PANEL = 32
#: Widest SUMMA panel, and the memory a panel's two buffers may take.
MAX_PANEL, PANEL_BYTES = 2048, 64 << 20
#: Matrix products of at least this many multiply-adds per pair, in a stack of fewer
#: pairs than workers, run SUMMA pair by pair.
MIN_SUMMA_WORK = 1 << 24
#: Largest and smallest column block of the LU and Cholesky factorizations.
MAX_BLOCK, MIN_BLOCK = 128, 8

LinAlgError = np.linalg.LinAlgError
QRResult = np.linalg._linalg.QRResult
SVDResult = np.linalg._linalg.SVDResult
SlogdetResult = np.linalg._linalg.SlogdetResult


# -- helpers --------------------------------------------------------------------------
def _context(*values):
    return context_of([v for v in values if isinstance(v, DistArray)])


def _distributed(value, context):
    """``value`` as a DistArray (NumPy data is distributed the default way)."""
    return value if isinstance(value, DistArray) else fromarray(np.asarray(value),
                                                                  context=context)


def _standin(value):
    """A zero-memory array with ``value``'s shape and dtype."""
    if isinstance(value, DistArray):
        return np.broadcast_to(np.zeros((), value.dtype), value.shape)
    return np.asarray(value)


def _numpy_error(function, *args, **kwargs):
    """Raise what NumPy's ``function`` raises for these operands (called on stand-ins).

    Only called when a check failed, so NumPy raises before computing
    anything; if it does not, the case is one distarray does not handle.
    """
    function(*map(_standin, args), **kwargs)
    raise NotImplementedError("distarray.linalg: %s is not supported for these shapes (%s)"
                              % (function.__name__, ", ".join(str(np.shape(_standin(a)))
                                                               for a in args)))


def _tiny(value, ndim=None):
    """A 1x..x1 array of ``value``'s dtype (to learn NumPy's result dtypes)."""
    return np.ones((1,) * (np.ndim(_standin(value)) if ndim is None else ndim), dtype_of(value))


def _refuse(kwargs, name):
    unsupported = {k: v for k, v in kwargs.items() if v is not None and k not in (
        "casting", "order", "subok")}
    if unsupported:
        raise NotImplementedError("distarray.linalg.%s does not support %s"
                                  % (name, ", ".join(sorted(unsupported))))


def _source(d):
    """What a worker needs to fetch ``d``'s elements: ``(piece, dtype, maps, targets)``."""
    return (MaybeRef(d.key), d.dtype, d.distribution.maps, d.targets)


def _gathered(function, *arrays, **kwargs):
    """NumPy's ``function`` on gathered copies (small arrays only, with a UserWarning)."""
    size = sum(a.size for a in arrays if isinstance(a, DistArray))
    name = function.__name__
    if size > GATHER_LIMIT:
        raise NotImplementedError("distarray.linalg.%s with these arguments would gather %d "
                                  "elements to the client (more than GATHER_LIMIT = %d)"
                                  % (name, size, GATHER_LIMIT))
    warn("distarray.linalg.%s: this case is computed by NumPy on a copy gathered to the "
         "client" % name)
    context = _context(*arrays)
    values = [a.toarray() if isinstance(a, DistArray) else a for a in arrays]
    return _redistribute_result(function(*values, **kwargs), context)


def _redistribute_result(result, context):
    """NumPy results (arrays, tuples of them) as DistArrays; scalars stay as they are."""
    if isinstance(result, tuple):
        return type(result)(*(_redistribute_result(r, context) for r in result)) \
            if hasattr(result, "_fields") else tuple(_redistribute_result(r, context)
                                                     for r in result)
    if isinstance(result, np.ndarray) and result.ndim:
        return fromarray(result, context=context)
    return result


_plans = weakref.WeakKeyDictionary()


def _plan(context, key, build):
    """``build()``, kept per context under ``key`` (its workers' layouts are reused)."""
    table = _plans.setdefault(context, {})
    if key not in table:
        if len(table) > 256:
            table.clear()
        table[key] = build()
    return table[key]


def _rows(context, m, n, targets):
    """Block rows of an ``m x n`` matrix over a ``P x 1`` grid of ``targets``."""
    return _plan(context, ("rows", m, n, targets), lambda: Distribution.from_maps(
        context, (BlockMap(m, len(targets)), UndistributedMap(n)), targets))


def _columns(context, shape, block, targets):
    """Column block-cyclic layout (blocks of ``block``) over a ``1 x P`` grid (or 1-D whole)."""
    def build():
        if len(shape) == 1:
            return Distribution.from_maps(context, (UndistributedMap(shape[0]),), targets[:1])
        return Distribution.from_maps(context, (UndistributedMap(shape[0]), CyclicMap(
            shape[1], len(targets), block)), targets)

    return _plan(context, ("columns", shape, block, targets), build)


# -- contractions ----------------------------------------------------------------------
def _contract(base, other, axes, dtype, conj=(False, False)):
    """Contract ``base`` with ``other``, whose axis ``j`` aligns with ``base``'s ``axes[j]``.

    A NumPy scalar when every axis of ``base`` is contracted, else a DistArray
    laid out like ``base`` on the remaining axes (on the grid processes with
    coordinate 0 along the contracted axes).
    """
    context = _context(base, other)
    base, other = _distributed(base, context), _distributed(other, context)
    pool = context.pool
    dist = base.distribution
    axes = tuple(axes)
    participants = tuple(sorted({*dist.targets, *other.targets}))
    full = len(axes) == base.ndim
    result = None if full else reduced_distribution(dist, tuple(sorted(axes)), False)
    layout = None if full else MaybeRef(context.layout(result))
    key = None if full else pool.new_key()
    replies = pool.run("contract_aligned", Ref(WORLD), MaybeRef(base.key), *_source(other),
                       dist.maps, dist.targets, axes, conj, dtype, layout,
                       targets=participants, out=key, tag=True)
    if not full:
        return DistArray._wrap(result, dtype, key)
    partials = [replies[t] for t in dist.targets]
    return functools.reduce(operator.add, partials[1:], partials[0])


def _summa_cost(m, k, n, pr, pc):
    """Rough time of SUMMA on a ``pr x pc`` grid, in element transfers."""
    rows, cols = -(-m // pr), -(-n // pc)
    return rows * cols * k / 5 + rows * k * (pc - 1) / pc + k * cols * (pr - 1) / pr


def _summa_grid(m, k, n, nprocs):
    pairs = [(p, nprocs // p) for p in range(1, nprocs + 1) if nprocs % p == 0]
    return min(pairs, key=lambda g: _summa_cost(m, k, n, *g))


def _panel_map(m):
    """Whether ``m`` may be the contracted axis of SUMMA: contiguous local runs, few panels."""
    return isinstance(m, BlockMap) or (isinstance(m, CyclicMap) and (
        m.block_size >= MIN_PANEL or m.grid_size == 1))


def _summa_operands(a, b):
    """``a`` and ``b`` on one grid, ready for SUMMA (redistributing what must move)."""
    (m, k), n = a.shape, b.shape[1]
    da, db = a.distribution, b.distribution
    context = a.context
    if da.grid_shape == db.grid_shape and da.targets == db.targets and \
            _panel_map(da.maps[1]) and _panel_map(db.maps[0]):
        return a, b
    if _panel_map(da.maps[1]) and len(da.targets) >= len(db.targets):
        pr, pc = da.grid_shape
        return a, redistribute(b, Distribution.from_maps(
            context, (BlockMap(k, pr), BlockMap(n, pc)), da.targets))
    if _panel_map(db.maps[0]) and len(db.targets) >= len(da.targets):
        pr, pc = db.grid_shape
        return redistribute(a, Distribution.from_maps(
            context, (BlockMap(m, pr), BlockMap(k, pc)), db.targets)), b
    targets = context.targets
    pr, pc = _summa_grid(m, k, n, len(targets))
    return (redistribute(a, Distribution.from_maps(context, (BlockMap(m, pr), BlockMap(k, pc)),
                                                   targets)),
            redistribute(b, Distribution.from_maps(context, (BlockMap(k, pr), BlockMap(n, pc)),
                                                   targets)))


def _summa(a, b, dtype):
    """The matrix product of two 2-D DistArrays (SUMMA)."""
    context = _context(a, b)
    a, b = _summa_operands(_distributed(a, context), _distributed(b, context))
    result = Distribution.from_maps(context, (a.distribution.maps[0], b.distribution.maps[1]),
                                    a.targets)
    rows = max(m for m, _ in a.distribution.localshapes()) if a.size else 0
    cols = max(n for _, n in b.distribution.localshapes()) if b.size else 0
    width = PANEL_BYTES // (dtype.itemsize * max(rows + cols, 1))
    width = max(MIN_PANEL, min(MAX_PANEL, width))
    key = context.pool.new_key()
    context.pool.run("summa", Ref(a.key), Ref(b.key), Ref(context.layout(result)), dtype, width,
                     targets=result.targets, out=key)
    return DistArray._wrap(result, dtype, key)


def _run(context, name, *args, **kwargs):
    """``context.pool.run(name, ...)``, a LinAlgError on the workers raised as one here."""
    try:
        return context.pool.run(name, *args, **kwargs)
    except np.linalg.LinAlgError as exc:
        original = getattr(exc, "original", None)
        raise np.linalg.LinAlgError(str(original) if original is not None else str(exc)) \
            from None


def _batch_maps(operands, batch):
    """Maps and workers of the batch axes ``batch`` of a stacked result (matrices whole).

    An operand with these batch axes and whole matrices lends its own (it then
    moves no data); otherwise the batch is split the default way.
    """
    for x in operands:
        if x.shape[:-2] == batch and x.distribution.grid_shape[-2:] == (1, 1):
            return x.distribution.maps[:-2], x.targets
    layout = Distribution(operands[0].context, batch)
    return layout.maps, layout.targets


def _batched(name, operands, batch, results, options=None):
    """``name`` of :data:`distarray.local.linalg.BATCHED` on stacks of matrices.

    The operands (``(..., m, n)`` arrays broadcasting to the batch shape
    ``batch``) are brought, whole matrices, to the pieces of the batch and
    NumPy runs on each piece (with the keyword arguments ``options``).
    ``results`` are ``(matrix_shape, dtype)`` of the function's results;
    returns them as DistArrays of ``batch + matrix_shape``.  Errors become
    LinAlgError.
    """
    context = _context(*operands)
    operands = [_distributed(x, context) for x in operands]
    maps, targets = _batch_maps(operands, batch)
    nb = len(batch)
    specs = []
    for x in operands:
        lead = nb - (x.ndim - 2)
        axes = tuple(lead + i if size == batch[lead + i] else None
                     for i, size in enumerate(x.shape[:-2]))
        specs.append((_source(x), maps + tuple(map(UndistributedMap, x.shape[-2:])),
                      axes + (nb, nb + 1)))
    layouts = [Distribution.from_maps(context, maps + tuple(map(UndistributedMap, shape)),
                                      targets) for shape, _ in results]
    keys = tuple(context.pool.new_key() for _ in results)
    _run(context, "batched", Ref(WORLD), name, specs, targets,
         tuple(MaybeRef(context.layout(x)) for x in layouts), options or {},
         targets=tuple(sorted({*targets, *(t for x in operands for t in x.targets)})),
         out=keys, tag=True)
    return [DistArray._wrap(x, dtype, key) for x, (_, dtype), key in zip(layouts, results, keys)]


def _batch_index(index, shape):
    """The index of the matrix of an operand of ``shape`` at the broadcast batch ``index``."""
    lead = len(index) - (len(shape) - 2)
    return tuple(0 if size == 1 else i for i, size in zip(index[lead:], shape[:-2]))


def _stacked_matmul(x1, x2, dtype):
    """``x1 @ x2`` of stacks of matrices (batch axes broadcast; both at least 2-D).

    Laid out over the batch axes, each worker multiplying its part with
    NumPy; stacks of fewer pairs than workers of large matrices (at least
    ``MIN_SUMMA_WORK`` multiply-adds each) are multiplied pair by pair by SUMMA.
    """
    sa, sb = shape_of(x1), shape_of(x2)
    batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    (m, k), n = sa[-2:], sb[-1]
    context = _context(x1, x2)
    shape = batch + (m, n)
    if not math.prod(shape):
        return zeros(shape, dtype, context=context)
    if math.prod(batch) >= len(context.targets) or m * k * n < MIN_SUMMA_WORK:
        return _batched("matmul", (x1, x2), batch, [((m, n), dtype)])[0]
    result = zeros(shape, dtype, context=context)
    for index in np.ndindex(*batch):
        result[index] = _summa(x1[_batch_index(index, sa)], x2[_batch_index(index, sb)], dtype)
    return result


def _matmul_ok(sa, sb):
    if not sa or not sb:
        return False
    k = sb[-2] if len(sb) > 1 else sb[0]
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        return False
    return sa[-1] == k


def _matmul_shape(sa, sb):
    """The shape of ``matmul`` of operands of shapes ``sa`` and ``sb`` (which fit)."""
    if len(sb) == 1:
        return sa[:-1]
    if len(sa) == 1:
        return sb[:-2] + sb[-1:]
    return np.broadcast_shapes(sa[:-2], sb[:-2]) + (sa[-2], sb[-1])


def _fits(out_shape, shape, core):
    """Whether a gufunc's result of ``shape`` (``core`` core axes last) goes into ``out``:
    the same core axes, loop axes that broadcast to the output's."""
    if len(out_shape) < core or out_shape[len(out_shape) - core:] != shape[len(shape) - core:]:
        return False
    loop = out_shape[:len(out_shape) - core]
    try:
        return np.broadcast_shapes(shape[:len(shape) - core], loop) == loop
    except ValueError:
        return False


def matmul(x1, x2, /, out=None, **kwargs):
    """Matrix product, as :func:`numpy.matmul` (and ``@``).

    2-D @ 2-D by SUMMA; N-D @ 1-D, 1-D @ N-D and 1-D @ 1-D (a NumPy scalar) as
    contractions; stacks of matrices (batch axes broadcast) laid out over the
    batch axes (see ``_stacked_matmul``).
    """
    _refuse(kwargs, "matmul")
    sa, sb = shape_of(x1), shape_of(x2)
    dtype = np.matmul(_tiny(x1, 2), _tiny(x2, 2)).dtype
    if not _matmul_ok(sa, sb):
        _numpy_error(np.matmul, x1, x2)
    target = unwrap_out(out)
    if target is not None and not (_fits(shape_of(target), _matmul_shape(sa, sb),
                                         (len(sa) > 1) + (len(sb) > 1))
                                   and np.can_cast(dtype, dtype_of(target), "same_kind")):
        _numpy_error(np.matmul, x1, x2, out=np.empty(shape_of(target), dtype_of(target)))
    if len(sa) == 2 and len(sb) == 2:
        result = _summa(x1, x2, dtype)
    elif len(sb) == 1:
        result = _contract(x1, x2, (len(sa) - 1,), dtype)
    elif len(sa) == 1:
        result = _contract(x2, x1, (len(sb) - 2,), dtype)
    else:
        result = _stacked_matmul(x1, x2, dtype)
    return deliver(result, out)


def vecdot(x1, x2, /, out=None, *, axis=-1, **kwargs):
    """``sum(conj(x1) * x2, axis)`` with broadcasting, as :func:`numpy.vecdot`."""
    _refuse({k: v for k, v in kwargs.items() if k != "axes"}, "vecdot")
    sa, sb = shape_of(x1), shape_of(x2)
    dtype = np.vecdot(_tiny(x1, 1), _tiny(x2, 1)).dtype
    if not sa or not sb or sa[normalize_axis_index(axis, len(sa))] != sb[
            normalize_axis_index(axis, len(sb))]:
        _numpy_error(np.vecdot, x1, x2, axis=axis)
    if len(sa) == len(sb) == 1:
        result = _contract(x1, x2, (0,), dtype, conj=(dtype.kind == "c", False))
    else:
        context = _context(x1, x2)
        x1 = _distributed(x1, context)
        product = (np.conj(x1) if dtype.kind == "c" else x1) * x2
        result = np.sum(product, axis=axis, dtype=dtype)
    return deliver(result, out)


def _vector_product(gufunc, matrix, vector, out, kwargs, conj=False):
    """``gufunc`` (matvec or vecmat) of a matrix (or stack) and a vector (or stack).

    One vector is contracted with the matrices' axis; stacks of vectors are
    stacked matrix products with one-column (one-row) matrices.
    """
    name = gufunc.__name__
    _refuse(kwargs, name)
    first, second = (matrix, vector) if name == "matvec" else (vector, matrix)
    sm, sv = shape_of(matrix), shape_of(vector)
    dtype = gufunc(_tiny(first, 2 if first is matrix else 1),
                   _tiny(second, 2 if second is matrix else 1)).dtype
    axis = len(sm) - (1 if name == "matvec" else 2)
    if len(sm) < 2 or len(sv) < 1 or sm[axis] != sv[-1]:
        _numpy_error(gufunc, first, second)
    if len(sv) == 1:
        return deliver(_contract(matrix, vector, (axis,), dtype,
                                  conj=(False, conj and dtype.kind == "c")), out)
    vector = _distributed(vector, _context(matrix, vector))
    if conj and dtype.kind == "c":
        vector = np.conj(vector)
    if name == "matvec":
        return deliver(matmul(matrix, vector[..., None])[..., 0], out)
    return deliver(matmul(vector[..., None, :], matrix)[..., 0, :], out)


def matvec(x1, x2, /, out=None, **kwargs):
    """Matrix-vector product, as :func:`numpy.matvec`."""
    return _vector_product(np.matvec, x1, x2, out, kwargs)


def vecmat(x1, x2, /, out=None, **kwargs):
    """Vector-matrix product ``conj(x1) @ x2``, as :func:`numpy.vecmat`."""
    return _vector_product(np.vecmat, x2, x1, out, kwargs, conj=True)


@implements(np.dot)
def dot(a, b, out=None):
    """Dot product, as :func:`numpy.dot` (matrix products for 2-D, sums over the
    last axis of ``a`` and the second-to-last of ``b`` for N-D)."""
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        return deliver(np.multiply(a, b), out)
    k = sb[-2] if len(sb) > 1 else sb[0]
    if sa[-1] != k:
        _numpy_error(np.dot, a, b)
    dtype = np.dot(_tiny(a, 1), _tiny(b, 1)).dtype
    if len(sa) <= 2 and len(sb) <= 2:
        return matmul(a, b, out=out)
    if len(sb) == 1:
        return deliver(_contract(a, b, (len(sa) - 1,), dtype), out)
    return deliver(tensordot(a, b, axes=([len(sa) - 1], [len(sb) - 2])).astype(
        dtype, copy=False), out)


@implements(np.vdot)
def vdot(a, b, /):
    """``sum(conj(a) * b)`` over the flattened arrays, as :func:`numpy.vdot` (a NumPy scalar)."""
    sa, sb = shape_of(a), shape_of(b)
    if math.prod(sa) != math.prod(sb):
        _numpy_error(np.vdot, a, b)
    dtype = np.vdot(_tiny(a, 1), _tiny(b, 1)).dtype
    context = _context(a, b)
    a, b = _distributed(a, context), _distributed(b, context)
    if sa != sb:
        b = np.reshape(b, sa)
    if not sa:
        a, b = np.reshape(a, (1,)), np.reshape(b, (1,))
    return _contract(a, b, tuple(range(a.ndim)), dtype, conj=(dtype.kind == "c", False))


@implements(np.inner)
def inner(a, b, /):
    """Sum over the last axes, as :func:`numpy.inner`."""
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        return np.multiply(a, b)
    if sa[-1] != sb[-1]:
        _numpy_error(np.inner, a, b)
    return tensordot(a, b, axes=([len(sa) - 1], [len(sb) - 1]))


@implements(np.outer)
def outer(a, b, out=None):
    """Outer product of the flattened arrays, as :func:`numpy.outer` (a broadcast product)."""
    context = _context(a, b)
    a, b = np.ravel(_distributed(a, context)), np.ravel(_distributed(b, context))
    return deliver(np.multiply(a[:, None], b[None, :]), out)


def _tensordot_axes(axes, na, nb):
    try:
        iter(axes)
    except TypeError:
        axes = operator.index(axes)
        return list(range(na - axes, na)), list(range(axes))
    a_axes, b_axes = axes
    a_axes = [a_axes] if np.ndim(a_axes) == 0 else list(a_axes)
    b_axes = [b_axes] if np.ndim(b_axes) == 0 else list(b_axes)
    return a_axes, b_axes


def _as_matrices(x, batch, rows, columns):
    """``x`` with the axes ``batch`` first, then ``rows`` merged into one axis, ``columns``
    into another."""
    x = np.transpose(x, list(batch) + list(rows) + list(columns))
    shape = x.shape[:len(batch)] + (math.prod(x.shape[len(batch):len(batch) + len(rows)]),
                                    math.prod(x.shape[len(batch) + len(rows):]))
    return x if x.shape == shape else np.reshape(x, shape)


@implements(np.tensordot)
def tensordot(a, b, axes=2):
    """Sum of products over the given axes, as :func:`numpy.tensordot`."""
    sa, sb = shape_of(a), shape_of(b)
    a_axes, b_axes = _tensordot_axes(axes, len(sa), len(sb))
    try:
        a_axes = [normalize_axis_index(x, len(sa)) for x in a_axes]
        b_axes = [normalize_axis_index(x, len(sb)) for x in b_axes]
        valid = len(a_axes) == len(b_axes) and all(
            sa[i] == sb[j] for i, j in zip(a_axes, b_axes))
    except (TypeError, np.exceptions.AxisError):
        valid = False
    if not valid or len(set(a_axes)) != len(a_axes) or len(set(b_axes)) != len(b_axes):
        _numpy_error(np.tensordot, a, b, axes=axes)
    dtype = np.dot(_tiny(a, 1), _tiny(b, 1)).dtype
    context = _context(a, b)
    a, b = _distributed(a, context), _distributed(b, context)
    if not a_axes:
        expanded = a[(Ellipsis,) + (None,) * b.ndim] if a.ndim else a
        return np.multiply(expanded, b)
    if len(b_axes) == b.ndim:
        return _contract(a, b, [a_axes[b_axes.index(j)] for j in range(b.ndim)], dtype)
    if len(a_axes) == a.ndim:
        return _contract(b, a, [b_axes[a_axes.index(j)] for j in range(a.ndim)], dtype)
    free_a = [i for i in range(a.ndim) if i not in a_axes]
    free_b = [j for j in range(b.ndim) if j not in b_axes]
    left, right = _as_matrices(a, [], free_a, a_axes), _as_matrices(b, [], b_axes, free_b)
    product = _summa(left, right, dtype)
    shape = tuple(sa[i] for i in free_a) + tuple(sb[j] for j in free_b)
    return product if product.shape == shape else np.reshape(product, shape)


# -- einsum ------------------------------------------------------------------------------
def _einsum_terms(subscripts, ndims):
    """``(terms, output)`` of ``subscripts`` for operands of ``ndims`` dimensions, each
    ellipsis written out with letters of its own (right-aligned, as NumPy broadcasts them),
    the implicit output made explicit; None for a wrong operand count."""
    inputs, arrow, output = subscripts.replace(" ", "").partition("->")
    terms = inputs.split(",")
    if len(terms) != len(ndims):
        return None
    widths = [ndim - len(t) + 3 if "..." in t else 0 for t, ndim in zip(terms, ndims)]
    spare = [c for c in string.ascii_letters if c not in subscripts]
    ellipsis = "".join(spare[:max(widths, default=0)])
    terms = [t.replace("...", ellipsis[len(ellipsis) - w:]) for t, w in zip(terms, widths)]
    if arrow:
        output = output.replace("...", ellipsis)
    else:
        letters = "".join(terms)
        output = ellipsis + "".join(sorted(c for c in set(letters) - set(ellipsis)
                                           if letters.count(c) == 1))
    return terms, output


def _broadcast_letters(values, terms):
    """The operands with every axis of length 1 broadcast to its letter's length elsewhere."""
    sizes = {}
    for x, term in zip(values, terms):
        for c, n in zip(term, x.shape):
            sizes[c] = max(sizes.get(c, 1), n)
    return [x if all(sizes[c] == n for c, n in zip(term, x.shape)) else
            np.broadcast_to(x, tuple(sizes[c] for c in term)) for x, term in zip(values, terms)]


def _einsum_single(x, term, keep, dtype):
    """Take diagonals of repeated letters and sum out letters not in ``keep``."""
    if len(term) == 2 and term[0] == term[1] and term[0] not in keep:
        return trace(x, dtype=dtype), ""
    while len(set(term)) != len(term):
        letter = next(c for c in term if term.count(c) > 1)
        i = term.index(letter)
        j = term.index(letter, i + 1)
        x = np.diagonal(x, axis1=i, axis2=j)
        term = "".join(c for n, c in enumerate(term) if n not in (i, j)) + letter
    drop = tuple(i for i, c in enumerate(term) if c not in keep)
    if drop:
        x = np.sum(x, axis=drop, dtype=dtype)
        term = "".join(c for c in term if c in keep)
    return x, term


def _aligned(x, term, letters):
    """``x`` (with axes ``term``) transposed and expanded to the axes ``letters``."""
    present = [c for c in letters if c in term]
    if not present:
        return x
    x = np.transpose(x, [term.index(c) for c in present])
    return x[tuple(slice(None) if c in term else None for c in letters)]


def _einsum_stacked(x, tx, y, ty, batch, summed, dtype):
    """A contraction with batch letters as a stacked matrix product."""
    rows, columns = [c for c in tx if c not in ty], [c for c in ty if c not in tx]
    left = _as_matrices(x, *([tx.index(c) for c in g] for g in (batch, rows, summed)))
    right = _as_matrices(y, *([ty.index(c) for c in g] for g in (batch, summed, columns)))
    product = matmul(left, right)
    sizes = dict(zip(ty, y.shape)) | dict(zip(tx, x.shape))
    shape = tuple(sizes[c] for c in batch + rows + columns)
    product = product if product.shape == shape else np.reshape(product, shape)
    return product.astype(dtype, copy=False), "".join(batch + rows + columns)


def _einsum_pair(x, tx, y, ty, keep, dtype):
    shared = [c for c in tx if c in ty]
    batch = [c for c in shared if c in keep]
    summed = [c for c in shared if c not in keep]
    if not batch:
        result = tensordot(x, y, axes=([tx.index(c) for c in summed],
                                       [ty.index(c) for c in summed]))
        term = "".join(c for c in tx if c not in summed) + "".join(c for c in ty
                                                                 if c not in summed)
        return (result.astype(dtype, copy=False) if isinstance(result, DistArray)
                else dtype.type(result)), term
    letters = tx + "".join(c for c in ty if c not in tx)
    if summed and (set(tx) ^ set(ty)):
        return _einsum_stacked(x, tx, y, ty, batch, summed, dtype)
    product = np.multiply(_aligned(x, tx, letters), _aligned(y, ty, letters), dtype=dtype)
    if summed:
        product = np.sum(product, axis=tuple(letters.index(c) for c in summed), dtype=dtype)
        letters = "".join(c for c in letters if c not in summed)
    return product, letters


@implements(np.einsum)
def einsum(subscripts, *operands, out=None, dtype=None, order="K", casting="safe",
           optimize=False):
    """Einstein summation, as :func:`numpy.einsum`, for common signatures.

    Supported: products and contractions of one or more operands whose
    pairwise steps are tensor contractions (``ij,jk->ik``, ``i,i``, ``ij,j``,
    ``i,j->ij``, ...) or elementwise products with optional sums
    (``ij,ij->ij``, ``ij,ij->i``), contractions with batch indices
    (``bij,bjk->bik``, as stacked matrix products), traces and diagonals
    (``ii``, ``ii->i``), transposes and sums (``ij->ji``, ``ij->j``), with
    ellipses and broadcasting as NumPy's.  ``dtype=`` casts the operands (by
    ``casting``) and computes in that type.
    """
    if not isinstance(subscripts, str):
        raise NotImplementedError("distarray.linalg.einsum: only the subscripts-string form "
                                  "is implemented")
    np.einsum_path(subscripts, *map(_standin, operands), optimize=False)  # NumPy's checks
    target = unwrap_out(out)
    # NumPy's dtype and casting checks (of the operands and of out), on 1-element stand-ins
    np.einsum(subscripts, *(np.ones((1,) * np.ndim(_standin(x)), dtype_of(x)) for x in operands),
              out=None if target is None else np.ones((1,) * target.ndim, target.dtype),
              dtype=dtype, casting=casting)
    result_dtype = np.result_type(*(dtype_of(x) for x in operands)) if dtype is None \
        else np.dtype(dtype)
    parsed = _einsum_terms(subscripts, [np.ndim(_standin(x)) for x in operands])
    if parsed is None:
        _numpy_error(np.einsum, subscripts, *operands)
    terms, output = parsed
    context = _context(*operands)
    values = _broadcast_letters([_distributed(x, context).astype(result_dtype, copy=False)
                                 for x in operands], terms)
    pending = list(zip(values, terms))
    reduced = []
    for n, (x, term) in enumerate(pending):
        others = output + "".join(t for m, (_, t) in enumerate(pending) if m != n)
        reduced.append(_einsum_single(x, term, others, result_dtype))
    x, term = reduced[0]
    for n, (y, other) in enumerate(reduced[1:], start=1):
        keep = output + "".join(t for _, t in reduced[n + 1:])
        if isinstance(x, DistArray) and isinstance(y, DistArray) and x.ndim and y.ndim:
            x, term = _einsum_pair(x, term, y, other, keep, result_dtype)
        else:
            x, term = np.multiply(_aligned(x, term, term + other) if term else x,
                                  y, dtype=result_dtype), term + other
    x, term = _einsum_single(x, term, output, result_dtype)
    if term != output:
        x = np.transpose(x, [term.index(c) for c in output])
    if isinstance(x, DistArray) and x.dtype != result_dtype:
        x = x.astype(result_dtype)
    return deliver(x, out)


# -- trace and norms ---------------------------------------------------------------------
@implements(np.trace)
def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum along a diagonal, as :func:`numpy.trace` (a NumPy scalar for 2-D input)."""
    probe = np.trace(np.ones((1,) * a.ndim, a.dtype) if a.ndim >= 2 else _standin(a),
                     offset, axis1, axis2, dtype)
    result_dtype = np.asarray(probe).dtype
    if a.ndim != 2 or {normalize_axis_index(axis1, 2), normalize_axis_index(axis2, 2)} != {0, 1}:
        return deliver(np.sum(np.diagonal(a, offset, axis1, axis2), axis=-1,
                               dtype=result_dtype), out)
    if normalize_axis_index(axis1, 2) == 1:
        offset = -offset
    offset = operator.index(offset)
    replies = a._run("trace_piece", offset, result_dtype)
    value = functools.reduce(operator.add, (replies[t] for t in a.targets))
    return deliver(result_dtype.type(value), out)


def _sum_abs_squared(x, axis, keepdims):
    if axis is None and not keepdims:
        return np.real(_contract(x, x, tuple(range(x.ndim)), x.dtype,
                                 conj=(x.dtype.kind == "c", False)))
    return np.sum(np.square(np.abs(x)), axis=axis, keepdims=keepdims)


def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return np.sqrt(_sum_abs_squared(x, axis, keepdims))
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    if ord == np.inf:
        return np.max(np.abs(x), axis=axis, keepdims=keepdims, initial=0)
    if ord == -np.inf:
        return np.min(np.abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        return np.sum((x != 0).astype(np.empty(0, x.dtype).real.dtype), axis=axis,
                      keepdims=keepdims)
    if ord == 1:
        return np.sum(np.abs(x), axis=axis, keepdims=keepdims)
    powered = np.sum(np.power(np.abs(x), ord), axis=axis, keepdims=keepdims)
    return np.power(powered, 1.0 / ord)


def _matrix_norm(x, ord, axis, keepdims):
    row, col = axis
    if row == col:
        raise ValueError("Duplicate axes given.")
    if ord in (2, -2, "nuc"):
        s = svdvals(np.moveaxis(x, (row, col), (-2, -1)))
        reduce = np.sum if ord == "nuc" else (np.max if ord == 2 else np.min)
        initial = {} if ord == -2 else {"initial": 0}
        value = reduce(s.toarray() if x.ndim == 2 else s, axis=-1, **initial)
    elif ord in (1, -1, np.inf, -np.inf):
        inner_axis, outer_axis = (row, col) if abs(ord) == 1 else (col, row)
        if outer_axis > inner_axis:
            outer_axis -= 1
        sums = np.sum(np.abs(x), axis=inner_axis)
        value = np.max(sums, axis=outer_axis, initial=0) if ord > 0 else np.min(
            sums, axis=outer_axis)
    elif ord in (None, "fro", "f"):
        value = np.sqrt(_sum_abs_squared(x, (row, col) if x.ndim != 2 else None, False))
    else:
        raise ValueError("Invalid norm order for matrices.")
    if keepdims:
        shape = list(x.shape)
        shape[row] = shape[col] = 1
        value = np.reshape(value, shape)
    return value


@implements(np.linalg.norm)
def norm(x, ord=None, axis=None, keepdims=False):
    """Matrix or vector norm, as :func:`numpy.linalg.norm` (NumPy scalar or DistArray)."""
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    if axis is None:
        if ord is None:
            value = np.sqrt(_sum_abs_squared(x, None, keepdims))
            return value
        if x.ndim not in (1, 2):
            raise ValueError("Improper number of dimensions to norm.")
        axis = tuple(range(x.ndim))
    elif not isinstance(axis, tuple):
        try:
            axis = (int(axis),)
        except Exception as exc:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from exc
    if len(axis) not in (1, 2):
        raise ValueError("Improper number of dimensions to norm.")
    axis = tuple(normalize_axis_index(a, x.ndim) for a in axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    return _matrix_norm(x, ord, axis, keepdims)


@implements(np.linalg.vector_norm)
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """As :func:`numpy.linalg.vector_norm` (``axis`` an integer, a tuple of them or None)."""
    axis = tuple(range(x.ndim)) if axis is None else normalize_axis_tuple(axis, x.ndim)
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    if not x.ndim:
        x, axis, keepdims = np.reshape(x, (1,)), (0,), False
    return _vector_norm(x, ord, None if len(axis) == x.ndim and not keepdims else axis, keepdims)


@implements(np.linalg.matrix_norm)
def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """As :func:`numpy.linalg.matrix_norm`."""
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


# -- factorizations ----------------------------------------------------------------------
def _check_stack(a, square=False):
    """LinAlgError as NumPy's unless ``a`` is a (square) matrix or stack of them."""
    shape = shape_of(a)
    if len(shape) < 2:
        raise np.linalg.LinAlgError("%d-dimensional array given. Array must be at least "
                                    "two-dimensional" % len(shape))
    if square and shape[-1] != shape[-2]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square")


#: Functions whose results NumPy makes real when all the values are: computed complex.
_COMPLEX_RESULTS = ("eig", "eigvals")


def _probe(name, operands, options):
    """NumPy's ``numpy.linalg.<name>`` on empty stacks of the operands' matrices.

    Checks the options as NumPy does (nothing is computed) and gives the type,
    matrix shapes and dtypes of the results.
    """
    return getattr(np.linalg, name)(*(np.empty((0,) + shape_of(x)[-2:], dtype_of(x))
                                      for x in operands), **options)


def _stacked(name, operands, **options):
    """``numpy.linalg.<name>`` of stacks of matrices, as NumPy's result type of DistArrays.

    Each worker runs NumPy on the whole matrices of its part of the batch
    (``_batched``); an empty batch gives empty results.
    """
    probe = _probe(name, operands, options)
    parts = probe if isinstance(probe, tuple) else (probe,)
    results = [(p.shape[1:], np.promote_types(p.dtype, np.complex64)
                if name in _COMPLEX_RESULTS else p.dtype) for p in parts]
    batch = np.broadcast_shapes(*(shape_of(x)[:-2] for x in operands))
    if math.prod(batch):
        values = _batched(name, operands, batch, results, options)
    else:
        context = _context(*operands)
        values = [zeros(batch + shape, dtype, context=context) for shape, dtype in results]
    if not isinstance(probe, tuple):
        return values[0]
    return type(probe)(*values) if hasattr(probe, "_fields") else tuple(values)


def _tsqr(a, mode, dtype, rhs=None):
    """Run TSQR on all of the context's workers; ``(Q or None, root's result)``."""
    context = a.context
    targets = tuple(context.targets)
    m, n = a.shape
    rows = _rows(context, m, n, targets)
    q = _rows(context, m, min(m, n), targets)
    key = context.pool.new_key() if mode != "r" else None
    keys = None if key is None else (key, context.pool.new_key())
    replies = context.pool.run(
        "tsqr", Ref(WORLD), _source(a), dtype, rows.maps,
        MaybeRef(context.layout(rows)), targets, mode, None if rhs is None else _source(rhs),
        None if key is None else MaybeRef(context.layout(q)),
        targets=tuple(sorted({*targets, *a.targets})), out=keys, tag=True)
    if key is None:
        return None, replies[targets[0]]
    result = context.pool.run("keep", Ref(keys[1]), targets=targets[:1])[targets[0]]
    context.pool.free(keys[1])
    return DistArray._wrap(q, dtype, key), result


@implements(np.linalg.qr)
def qr(a, mode="reduced"):
    """QR factorization by TSQR, as :func:`numpy.linalg.qr` (``Q`` distributed by rows).

    ``mode='complete'`` of a tall matrix and ``mode='raw'`` gather (small arrays only).
    The signs of the columns of Q (rows of R) may differ from NumPy's.
    Stacks of matrices (any mode): each worker runs NumPy on the whole
    matrices of its part.
    """
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"Unrecognized mode '{mode}'")
    _check_stack(a)
    if a.ndim > 2:
        return _stacked("qr", (a,), mode=mode)
    dtype = np.linalg.qr(np.ones((1, 1), a.dtype), mode="r").dtype
    m, n = a.shape
    if mode == "raw" or (mode == "complete" and m > n):
        return _gathered(np.linalg.qr, a, mode=mode)
    context = a.context
    if mode == "r":
        return fromarray(_tsqr(a, "r", dtype)[1], context=context)
    q, r = _tsqr(a, "qr", dtype)
    return QRResult(q, fromarray(r, context=context))


def _svd_tall(a, dtype, compute_uv):
    """``(U, s, Vh)`` (``U`` None unless ``compute_uv``) of ``a`` with ``m >= n``."""
    if not compute_uv:
        r = _tsqr(a, "r", dtype)[1]
        return None, np.linalg.svd(r, compute_uv=False), None
    u, (s, vh) = _tsqr(a, "svd", dtype)
    return u, s, vh


@implements(np.linalg.svd)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular value decomposition via TSQR, as :func:`numpy.linalg.svd`.

    The tall (or, transposed, wide) factor is distributed; singular values and
    the small factor are computed on the client and distributed.
    ``full_matrices=True`` of a non-square matrix gathers (small arrays only).
    Stacks of matrices: each worker runs NumPy on the whole matrices of its part.
    """
    _check_stack(a)
    if a.ndim > 2:
        return _stacked("svd", (a,), full_matrices=full_matrices, compute_uv=compute_uv,
                        hermitian=hermitian)
    m, n = a.shape
    dtype = np.linalg.svd(np.ones((1, 1), a.dtype), compute_uv=False).dtype
    work = np.result_type(a.dtype, dtype)
    if compute_uv and full_matrices and m != n:
        return _gathered(np.linalg.svd, a, full_matrices=True, hermitian=hermitian)
    context = a.context
    if m >= n:
        u, s, vh = _svd_tall(a, work, compute_uv)
    else:  # A^T = W s X, so A = X^T s W^T
        w, s, x = _svd_tall(np.transpose(a), work, compute_uv)
        u, vh = (None, None) if w is None else (fromarray(x.T, context=context),
                                                np.transpose(w))
    s = fromarray(np.asarray(s, dtype), context=context)
    if not compute_uv:
        return s
    if not isinstance(vh, DistArray):
        vh = fromarray(vh, context=context)
    return SVDResult(u, s, vh)


@implements(np.linalg.svdvals)
def svdvals(x, /):
    """Singular values, as :func:`numpy.linalg.svdvals`."""
    return svd(x, compute_uv=False)


def _lu_block(n, nprocs):
    return max(MIN_BLOCK, min(MAX_BLOCK, n // (2 * nprocs) or 1))


def _factorization(name, a, dtype, *extra, others=(), out=None):
    """Run the blocked factorization command ``name`` of the square DistArray ``a``.

    A is brought to a column block-cyclic layout over all the context's
    workers (``_columns`` with blocks of ``_lu_block``); ``extra`` follow
    the command's common arguments and ``others`` are DistArrays it also
    reads.  Returns A's layout there and the replies by worker; errors
    become LinAlgError.
    """
    context = a.context
    targets = tuple(context.targets)
    layout = _columns(context, a.shape, _lu_block(a.shape[0], len(targets)), targets)
    participants = {*targets, *a.targets, *(t for x in others for t in x.targets)}
    return layout, _run(context, name, Ref(WORLD), _source(a), dtype, layout.maps,
                        MaybeRef(context.layout(layout)), targets, *extra,
                        targets=tuple(sorted(participants)), out=out, tag=True)


def _lu(a, b, dtype):
    """``solve(a, b)`` (``b`` None: ``inv(a)``) by the blocked LU on the workers."""
    context = _context(a, b) if b is not None else a.context
    a = _distributed(a, context)
    n = a.shape[0]
    targets = tuple(context.targets)
    rhs = _columns(context, (n, n) if b is None else shape_of(b), _lu_block(n, len(targets)),
                   targets)
    b = None if b is None else _distributed(b, context)
    key = context.pool.new_key()
    _factorization("lu_solve", a, dtype, None if b is None else _source(b), rhs.maps,
                   MaybeRef(context.layout(rhs)), others=() if b is None else (b,), out=key)
    return DistArray._wrap(rhs, dtype, key)


def _solve_ok(sa, sb):
    """Whether NumPy 2 solves ``a @ x = b`` for a square ``a`` of shape ``sa``, ``b`` of ``sb``."""
    if len(sb) == 1:
        return sb[0] == sa[-1]
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        return False
    return len(sb) > 1 and sb[-2] == sa[-1]


@implements(np.linalg.solve)
def solve(a, b):
    """Solve ``a @ x = b``, as :func:`numpy.linalg.solve`.

    One system: blocked LU with partial pivoting on a column block-cyclic
    layout; the solution is laid out column block-cyclic (a 1-D one on one
    worker).  Stacks (batch axes broadcast; ``b`` is one vector only when it
    is 1-D): each worker runs NumPy on the whole matrices of its part.
    """
    sa, sb = shape_of(a), shape_of(b)
    _check_stack(a, square=True)
    if not _solve_ok(sa, sb):
        _numpy_error(np.linalg.solve, a, b)
    if len(sa) > 2 or len(sb) > 2:
        if len(sb) == 1:
            return _stacked("solve", (a, np.reshape(b, (sb[0], 1))))[..., 0]
        return _stacked("solve", (a, b))
    dtype = np.linalg.solve(np.ones((1, 1), dtype_of(a)), np.ones(1, dtype_of(b))).dtype
    if not math.prod(sb) or not sa[0]:
        return zeros(sb, dtype, context=_context(a, b))
    return _lu(a, b, dtype)


@implements(np.linalg.inv)
def inv(a):
    """Inverse of a square matrix, as :func:`numpy.linalg.inv` (column block-cyclic).

    Stacks of matrices: each worker runs NumPy on the whole matrices of its part.
    """
    _check_stack(a, square=True)
    if a.ndim > 2:
        return _stacked("inv", (a,))
    dtype = np.linalg.inv(np.ones((1, 1), a.dtype)).dtype
    if not a.size:
        return zeros(a.shape, dtype, context=a.context)
    return _lu(a, None, dtype)


@implements(np.linalg.slogdet)
def slogdet(a):
    """Sign and natural logarithm of the determinant, as :func:`numpy.linalg.slogdet`.

    The blocked LU of ``solve``: the sign comes from the diagonal of U and the
    parity of the row interchanges, the logarithm is the sum of the logarithms
    of ``|diag(U)|`` (no overflow).  NumPy scalars, ``(0, -inf)`` when singular.
    Stacks of matrices: DistArrays over the batch axes, each worker calling
    NumPy on the whole matrices of its part.
    """
    _check_stack(a, square=True)
    if a.ndim > 2:
        return _stacked("slogdet", (a,))
    sign_dtype, log_dtype = (x.dtype for x in np.linalg.slogdet(np.ones((1, 1), a.dtype)))
    sign, logabsdet = sign_dtype.type(1), log_dtype.type(0)
    if a.size:
        _, replies = _factorization("lu_slogdet", a, sign_dtype)
        for part_sign, part_log in (replies[t] for t in a.context.targets):
            sign, logabsdet = sign * part_sign, logabsdet + part_log
    return SlogdetResult(sign, logabsdet)


@implements(np.linalg.det)
def det(a):
    """Determinant, as :func:`numpy.linalg.det`: ``sign * exp(logabsdet)`` of :func:`slogdet`."""
    sign, logabsdet = slogdet(a)
    return sign * np.exp(logabsdet)


@implements(np.linalg.cholesky)
def cholesky(a, /, *, upper=False):
    """Cholesky factor, as :func:`numpy.linalg.cholesky`.

    Only the lower triangle is read (the upper one if ``upper``, as NumPy).
    Blocked right-looking Cholesky on a column block-cyclic layout (of the
    conjugate transpose if ``upper``).  Stacks of matrices: each worker runs
    NumPy on the whole matrices of its part.
    """
    _check_stack(a, square=True)
    if a.ndim > 2:
        return _stacked("cholesky", (a,), upper=upper)
    dtype = np.linalg.cholesky(np.ones((1, 1), a.dtype)).dtype
    context = a.context
    if not a.size:
        return zeros(a.shape, dtype, context=context)
    key = context.pool.new_key()
    layout, _ = _factorization("cholesky_factor", np.conj(np.transpose(a)) if upper else a,
                               dtype, out=key)
    lower = DistArray._wrap(layout, dtype, key)
    return np.conj(np.transpose(lower)) if upper else lower


def _eigen(name, a, **options):
    """``numpy.linalg.<name>`` (an eigenvalue function) of a square matrix or a stack.

    One matrix is gathered (small ones only, with a UserWarning); a stack is
    split over the workers.  ``eig`` and ``eigvals`` of real matrices are
    real when all the eigenvalues are, as NumPy's.
    """
    _check_stack(a, square=True)
    _probe(name, (a,), options)
    if a.ndim == 2:
        return _gathered(getattr(np.linalg, name), a, **options)
    result = _stacked(name, (a,), **options)
    if name not in _COMPLEX_RESULTS or a.dtype.kind == "c":
        return result
    values = result[0] if name == "eig" else result
    if np.any(values.imag):
        return result
    if name == "eig":
        return type(result)(*(x.real.copy() for x in result))
    return result.real.copy()


@implements(np.linalg.eig)
def eig(a):
    """Eigenvalues and right eigenvectors, as :func:`numpy.linalg.eig`."""
    return _eigen("eig", a)


@implements(np.linalg.eigvals)
def eigvals(a):
    """Eigenvalues, as :func:`numpy.linalg.eigvals`."""
    return _eigen("eigvals", a)


@implements(np.linalg.eigh)
def eigh(a, UPLO="L"):
    """Eigenvalues and eigenvectors of Hermitian matrices, as :func:`numpy.linalg.eigh`."""
    return _eigen("eigh", a, UPLO=UPLO)


@implements(np.linalg.eigvalsh)
def eigvalsh(a, UPLO="L"):
    """Eigenvalues of Hermitian matrices, as :func:`numpy.linalg.eigvalsh`."""
    return _eigen("eigvalsh", a, UPLO=UPLO)


@implements(np.linalg.lstsq)
def lstsq(a, b, rcond=None):
    """Least-squares solution, as :func:`numpy.linalg.lstsq`, via TSQR (``m >= n``).

    Returns ``(x, residuals, rank, s)``; ``x``, ``residuals`` and ``s`` are
    DistArrays.  Underdetermined systems (``m < n``) gather (small arrays only).
    """
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) != 2 or len(sb) not in (1, 2) or sa[0] != sb[0]:
        _numpy_error(np.linalg.lstsq, a, b, rcond=rcond)
    dtype = np.linalg.lstsq(np.ones((1, 1), dtype_of(a)), np.ones(1, dtype_of(b)))[0].dtype
    context = _context(a, b)
    a, b = _distributed(a, context), _distributed(b, context)
    m, n = sa
    if m < n or not a.size or not b.size:
        return _gathered(np.linalg.lstsq, a, b, rcond=rcond)
    rhs = b if b.ndim == 2 else np.reshape(b, (m, 1))
    _, (r, c) = _tsqr(a, "r", dtype, rhs)
    u, s, vh = np.linalg.svd(r, full_matrices=False)
    eps = np.finfo(dtype).eps  # a negative rcond means eps, as in LAPACK's gelsd
    rcond = eps * max(m, n) if rcond is None else eps if rcond < 0 else rcond
    rank = np.int32(np.count_nonzero(s > rcond * s[0]) if s.size else 0)
    x = vh[:rank].conj().T @ ((u[:, :rank].conj().T @ c) / s[:rank, None])
    x = x[:, 0] if b.ndim == 1 else x
    real = np.empty(0, dtype).real.dtype
    if rank == n and m > n:
        residual = np.sum(np.square(np.abs(rhs - matmul(a, fromarray(
            x.reshape(n, -1), context=context)))), axis=0).astype(real, copy=False)
    else:
        residual = fromarray(np.empty(0, real), context=context)
    return (fromarray(x, context=context), residual, rank,
            fromarray(s.astype(real, copy=False), context=context))


for _function, _implementation in ((np.linalg.matmul, matmul), (np.linalg.vecdot, vecdot),
                                   (np.linalg.tensordot, tensordot), (np.linalg.outer, outer),
                                   (np.matvec, matvec), (np.vecmat, vecmat)):
    if not isinstance(_function, np.ufunc):
        implements(_function)(_implementation)


@implements(np.linalg.trace)
def _linalg_trace(x, /, *, offset=0, dtype=None):
    return trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)

