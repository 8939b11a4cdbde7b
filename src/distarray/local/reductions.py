"""Reductions and scans on the workers.

A reduction is described by a small picklable object (:class:`UfuncReduction`,
:class:`CountNonzero`, :class:`PeakToPeak`, :class:`Moments`,
:class:`ArgReduction`) whose three steps are plain NumPy, so that the client
runs the very same code to combine the partials of a full reduction:

``partial(x, axes, where, index)``
    The piece's partial result: a tuple of arrays shaped like ``x`` with the
    reduced ``axes`` kept with length 1.  ``where`` is a mask broadcastable to
    ``x`` or None; ``index`` gives, per reduced axis, the global indices of
    ``x``'s positions and the global sizes (only arg-reductions use it).
``combine(p, q)``
    Two partials merged (``p`` comes first in grid order).
``finish(p, shape, dtype, out_given)``
    The result in ``dtype`` from the combined partial, or from None when no
    piece contributed (every piece was empty along the reduced axes).

Pieces that own nothing along the reduced axes do not contribute.  Axis
reductions combine the partials along each line of the process grid that
crosses the reduced grid axes, point to point at the line's root (the process
with coordinate 0 on those axes), which stores the result piece.  Scans add
(multiply, ...) to each piece's local scan the combined totals of the pieces
before it on the line.
"""

import itertools
import math
import warnings

import numpy as np
from mpi4py import MPI

from ..plan.grid import coords_from_rank, rank_from_coords
from .buffers import TAG_SPAN, as_bytes
from .elementwise import cells, cut, operand_value, operand_values, program_chunks
from .exchange import gather_blocks
from .localarray import LocalArray
from .progress import wait_all
from .registry import command

#: Tag offsets (within a command's ``tag * TAG_SPAN`` range): the where mask's
#: exchange uses 0, partials ``PARTIAL_TAG + component``, ``out=`` copies ``OUT_TAG``.
PARTIAL_TAG, OUT_TAG = 1, 16
#: Elements per chunk when a variance pass streams through a large piece.
CHUNK = 1 << 15

#: Binary ufuncs whose reduction may be split into pieces combined in any grouping.
ASSOCIATIVE = frozenset((np.add, np.multiply, np.maximum, np.minimum, np.fmax, np.fmin,
                         np.logical_and, np.logical_or, np.logical_xor, np.bitwise_and,
                         np.bitwise_or, np.bitwise_xor, np.gcd, np.lcm))


def kept_shape(shape, axes):
    """``shape`` with the ``axes`` set to length 1 (``keepdims`` shape)."""
    return tuple(1 if a in axes else n for a, n in enumerate(shape))


def _count(where, shape, axes):
    """Per kept cell, how many elements the mask selects (int64, keepdims shape)."""
    if where is None:
        return np.full(kept_shape(shape, axes), math.prod(shape[a] for a in axes), np.int64)
    mask = np.broadcast_to(np.asarray(where, dtype=bool), shape)
    return np.count_nonzero(mask, axis=axes, keepdims=True).astype(np.int64, copy=False)


def _mask_nan(x, where):
    """``where`` restricted to the non-NaN elements of ``x``."""
    valid = ~np.isnan(x)
    return valid if where is None else valid & where


def _where(where):
    return {} if where is None else {"where": where}


class UfuncReduction:
    """``ufunc.reduce`` (sum, prod, min, max, any, all, nansum, nanmin, ...).

    Parameters
    ----------
    ufunc : numpy.ufunc
    dtype : dtype or None
        The reduction's ``dtype=``.
    initial : scalar, optional
        The reduction's ``initial=`` (``has_initial`` says whether it was given).
    nan_fill : scalar or None
        Replace NaNs by this value first (nansum: 0, nanprod: 1).
    warn_all_nan : bool
        Warn as NumPy's nanmin/nanmax do when a result is NaN.
    """

    def __init__(self, ufunc, dtype=None, initial=None, has_initial=False, nan_fill=None,
                 warn_all_nan=False):
        self.ufunc, self.dtype, self.nan_fill = ufunc, dtype, nan_fill
        self.warn_all_nan = warn_all_nan
        self.initial, self.has_initial = initial, has_initial
        # Operations without an identity are idempotent (max, fmin, lcm ...): every piece
        # may start from ``initial``; others (and non-associative ones, which only ever
        # reduce locally) apply it once.
        self.initial_in_pieces = has_initial and (ufunc.identity is None
                                                  or ufunc not in ASSOCIATIVE)

    def partial(self, x, axes, where, index=None):
        if self.nan_fill is not None and x.dtype.kind in "fc":
            x = np.where(np.isnan(x), np.array(self.nan_fill, x.dtype), x)
        kwargs = _where(where)
        if self.initial_in_pieces:
            kwargs["initial"] = self.initial
        return (np.asarray(self.ufunc.reduce(x, axis=axes, dtype=self.dtype, keepdims=True,
                                             **kwargs)),)

    def combine(self, p, q):
        return (self.ufunc(p[0], q[0]).astype(p[0].dtype, copy=False),)

    def finish(self, p, shape, dtype, out_given=False):
        if p is None:
            if self.has_initial:
                return np.full(shape, self.initial, dtype)
            if self.ufunc.identity is None:
                return np.empty(shape, dtype)
            # NumPy casts the identity as it is (bitwise_and's -1 is 255 in uint8)
            return np.full(shape, np.asarray(self.ufunc.identity).astype(dtype), dtype)
        value = p[0]
        if self.has_initial and not self.initial_in_pieces:
            value = self.ufunc(np.asarray(self.initial).astype(value.dtype), value)
        if self.warn_all_nan and value.dtype.kind in "fc" and np.isnan(value).any():
            _warn("All-NaN slice encountered")
        return np.asarray(value).reshape(shape).astype(dtype, copy=False)


class CountNonzero:
    """``count_nonzero``."""

    def partial(self, x, axes, where, index=None):
        if len(set(axes)) == x.ndim:  # NumPy's count of everything also takes records
            return (np.full((1,) * x.ndim, np.count_nonzero(x), np.intp),)
        return (np.asarray(np.count_nonzero(x, axis=axes, keepdims=True), np.intp),)

    def combine(self, p, q):
        return (p[0] + q[0],)

    def finish(self, p, shape, dtype, out_given=False):
        return np.zeros(shape, dtype) if p is None else p[0].reshape(shape).astype(dtype)


class PeakToPeak:
    """``ptp``: maximum minus minimum."""

    def partial(self, x, axes, where, index=None):
        return (np.maximum.reduce(x, axis=axes, keepdims=True),
                np.minimum.reduce(x, axis=axes, keepdims=True))

    def combine(self, p, q):
        return np.maximum(p[0], q[0]), np.minimum(p[1], q[1])

    def finish(self, p, shape, dtype, out_given=False):
        if p is None:
            return np.empty(shape, dtype)
        return np.subtract(p[0], p[1]).reshape(shape).astype(dtype, copy=False)


class Moments:
    """``mean`` (``order=1``), ``var`` and ``std`` (``order=2``), NaN-aware with ``nan``.

    Partials are ``(count, sum)`` for the mean and ``(count, mean, M2)`` for the
    variance, merged with the pairwise formula of Chan, Golub and LeVeque
    (M2 is the sum of squared deviations from the mean), never by sums of
    squares.

    Parameters
    ----------
    order : {1, 2}
    dtype : dtype
        The accumulation type (float64 for integers and booleans, float32 for
        float16, else the input's or the requested one).
    ddof : number
        Delta degrees of freedom (variance).
    nan : bool
        Ignore NaNs (nanmean, nanvar, nanstd).
    root : bool
        Take the square root (std).
    """

    def __init__(self, order, dtype, ddof=0, nan=False, root=False):
        self.order, self.dtype, self.ddof, self.nan, self.root = order, dtype, ddof, nan, root

    def partial(self, x, axes, where, index=None):
        if self.nan and x.dtype.kind in "fc":
            where = _mask_nan(x, where)
        n = _count(where, x.shape, axes)
        total = np.add.reduce(x, axis=axes, dtype=self.dtype, keepdims=True, **_where(where))
        if self.order == 1:
            return n, np.asarray(total)
        mean = np.zeros_like(total)
        np.divide(total, n, out=mean, where=n > 0, casting="unsafe")
        return n, mean, self._m2(x, mean, axes, where)

    def _m2(self, x, mean, axes, where):
        """Sum of squared deviations from ``mean`` along ``axes``."""
        real = np.empty(0, self.dtype).real.dtype
        if where is not None or 0 not in axes or x.size <= CHUNK:
            return np.add.reduce(_squared(np.subtract(x, mean, dtype=self.dtype)), axis=axes,
                                 dtype=real, keepdims=True, **_where(where))
        # Axis 0 is reduced: stream through row chunks that stay in cache.
        step = max(1, CHUNK // max(1, math.prod(x.shape[1:])))
        buffer = np.empty((step, *x.shape[1:]), self.dtype)
        m2 = np.zeros(mean.shape, real)
        for start in range(0, x.shape[0], step):
            chunk = x[start:start + step]
            d = np.subtract(chunk, mean, out=buffer[:len(chunk)], casting="unsafe")
            m2 += np.add.reduce(_squared(d), axis=axes, dtype=real, keepdims=True)
        return m2

    def combine(self, p, q):
        if self.order == 1:
            return p[0] + q[0], p[1] + q[1]
        (na, ma, m2a), (nb, mb, m2b) = p, q
        n = na + nb
        with np.errstate(all="ignore"):
            w = np.divide(nb, n, out=np.zeros(n.shape), where=n > 0)
            delta = mb - ma
            mean = np.where(nb == 0, ma, np.where(na == 0, mb, ma + delta * w))
            m2 = m2a + m2b + np.where((na == 0) | (nb == 0), 0, _squared(delta) * (na * w))
        return n, mean.astype(ma.dtype, copy=False), m2.astype(m2a.dtype, copy=False)

    def finish(self, p, shape, dtype, out_given=False):
        if p is None:
            p = (np.zeros(shape, np.int64), np.zeros(shape, self.dtype),
                 np.zeros(shape, np.empty(0, self.dtype).real.dtype))
        n, value = p[0], p[-1]
        if self.order == 1 and np.any(n == 0):
            _warn("Mean of empty slice")
        elif self.order == 2 and np.any(n - self.ddof <= 0):
            _warn("Degrees of freedom <= 0 for slice" + ("." if self.nan else ""))
        # As NumPy: with out=, the sum is stored in out's type before the division.
        value = value.astype(dtype) if out_given else value
        with np.errstate(all="ignore"):
            if self.order == 1:
                result = value / n
            else:
                dof = n - self.ddof
                result = value / np.maximum(dof, 0)
                if self.nan:
                    result = np.where(dof > 0, result, np.nan)
            if self.root:
                result = np.sqrt(result)
        return np.asarray(result).reshape(shape).astype(dtype)


def _warn(message):
    warnings.warn(message, RuntimeWarning, stacklevel=3)


def _squared(d):
    """``|d|**2`` (real), in place where possible."""
    if d.dtype.kind == "c":
        return d.real * d.real + d.imag * d.imag
    return np.multiply(d, d, out=d) if d.flags.writeable and d.dtype.kind == "f" else d * d


class ArgReduction:
    """``argmax``/``argmin`` (``kind`` 'max' or 'min'), NaN-aware with ``nan``.

    Partials are ``(value, global index[, all-NaN flag])``; ties go to the
    smallest global index, and NaN wins (first NaN) unless ``nan``, where NaNs
    count as -inf (argmax) or +inf (argmin) and an all-NaN slice is an error,
    as in NumPy.  The index is flat over the reduced axes (C order).
    """

    def __init__(self, kind, nan=False):
        self.kind, self.nan = kind, nan

    def partial(self, x, axes, where, index):
        positions, sizes = index
        kept = tuple(a for a in range(x.ndim) if a not in axes)
        rows = np.moveaxis(x, axes, range(len(kept), x.ndim))
        rows = rows.reshape(rows.shape[:len(kept)] + (math.prod(x.shape[a] for a in axes),))
        flags = ()
        if self.nan:
            missing = np.isnan(rows) if rows.dtype.kind in "fc" else np.zeros(rows.shape, bool)
            flags = (missing.all(axis=-1),)
            if missing.any():
                rows = np.where(missing, -np.inf if self.kind == "max" else np.inf, rows)
        pick = np.argmax if self.kind == "max" else np.argmin
        local = pick(rows, axis=-1)[..., None]
        value = np.take_along_axis(rows, local, -1)
        if all(len(p) < 2 or np.all(np.diff(p) > 0) for p in positions):
            found = _global_flat(local[..., 0], positions, sizes)  # first = smallest index
        else:  # unstructured order: the smallest global index among the extremes
            ties = (rows == value) | (_isnan(rows) & _isnan(value))
            flat = _global_flat(np.arange(rows.shape[-1]), positions, sizes)
            found = np.min(np.where(ties, flat, np.iinfo(np.int64).max), axis=-1)
        shape = kept_shape(x.shape, axes)
        return (value.reshape(shape), np.asarray(found, np.int64).reshape(shape),
                *(f.reshape(shape) for f in flags))

    def combine(self, p, q):
        (a, ia, *fa), (b, ib, *fb) = p, q
        an, bn = _isnan(a), _isnan(b)
        first = ib < ia
        better = (b > a) if self.kind == "max" else (b < a)
        take = np.where(an | bn, bn & (~an | first), better | ((b == a) & first))
        flags = (fa[0] & fb[0],) if fa else ()
        return (np.where(take, b, a), np.where(take, ib, ia), *flags)

    def finish(self, p, shape, dtype, out_given=False):
        if p is None:
            return np.empty(shape, dtype)
        if self.nan and np.any(p[2]):
            raise ValueError("All-NaN slice encountered")
        return p[1].reshape(shape).astype(dtype)


def _isnan(a):
    """NaN (or NaT) elements: NumPy's arg-reductions find the first of them."""
    if a.dtype.kind in "fc":
        return np.isnan(a)
    return np.isnat(a) if a.dtype.kind in "mM" else np.zeros(a.shape, bool)


def _global_flat(local, positions, sizes):
    """Global flat indices (C order over the reduced axes) of local flat positions."""
    if not positions:
        return np.zeros(np.shape(local), np.int64)
    coords = np.unravel_index(local, tuple(len(p) for p in positions))
    return np.ravel_multi_index(tuple(p[c] for p, c in zip(positions, coords)), sizes)


# -- the commands -------------------------------------------------------------------
def _owned_along(maps, coords, axes):
    """Elements a piece owns along ``axes`` (their product)."""
    return math.prod(maps[a].owned_count(coords[a]) for a in axes)


def _line(grid, coords, axes):
    """Grid ranks of the processes sharing ``coords`` off ``axes``, in grid order."""
    ranges = [range(g) if a in axes else (c,) for a, (g, c) in enumerate(zip(grid, coords))]
    return [rank_from_coords(c, grid) for c in itertools.product(*ranges)]


def local_partial(op, local, maps, coords, axes, where):
    """This piece's partial, or None if it owns nothing along the reduced axes."""
    if _owned_along(maps, coords, axes) == 0:
        return None
    index = None
    if isinstance(op, ArgReduction):
        index = (tuple(maps[a].global_indices(coords[a]) for a in axes),
                 tuple(maps[a].size for a in axes))
    return op.partial(local.owned, axes, where, index)


def pack(partial):
    """A partial as plain bytes, which travel in the reply message itself.

    (Pickled NumPy arrays travel out of band, as extra messages: slower.)
    """
    if partial is None:
        return None
    return tuple((c.dtype.str, c.shape, np.ascontiguousarray(c).tobytes()) for c in partial)


def unpack(packed):
    """The partial that :func:`pack` packed."""
    return tuple(np.frombuffer(data, dtype).reshape(shape) for dtype, shape, data in packed)


def partial_dtypes(op, dtype, ndim, axes):
    """The dtypes of the components of ``op``'s partials for input of ``dtype``."""
    one = np.zeros((1,) * ndim, dtype)
    index = (tuple(np.zeros(1, np.int64) for _ in axes), (1,) * len(axes))
    return tuple(c.dtype for c in op.partial(one, axes, None, index))


def _combine_on_line(world, tag, op, partial, local, maps, targets, axes):
    """Gather the partials of this piece's grid line at its root and combine them there.

    Returns the combined partial on the root (None if nothing contributed)
    and None elsewhere.
    """
    coords = local.coords
    grid = tuple(m.grid_size for m in maps)
    line = _line(grid, coords, axes)
    root = line[0]
    shape = kept_shape(tuple(m.owned_count(c) for m, c in zip(maps, coords)), axes)
    if math.prod(shape) == 0:  # an empty result piece: nothing to send
        return None
    if rank_from_coords(coords, grid) != root:
        if partial is not None:
            parts = [np.ascontiguousarray(c) for c in partial]
            wait_all([world.Isend([as_bytes(c), MPI.BYTE], targets[root],
                                  tag * TAG_SPAN + PARTIAL_TAG + k) for k, c in enumerate(parts)])
        return None
    dtypes = None
    received, requests = {}, []
    for j in line[1:]:
        if _owned_along(maps, coords_from_rank(j, grid), axes):
            if dtypes is None:
                dtypes = [c.dtype for c in partial] if partial is not None else \
                    partial_dtypes(op, local.dtype, len(maps), axes)
            received[j] = [np.empty(shape, dt) for dt in dtypes]
            requests += [world.Irecv([as_bytes(c), MPI.BYTE], targets[j],
                                     tag * TAG_SPAN + PARTIAL_TAG + k)
                         for k, c in enumerate(received[j])]
    wait_all(requests)
    combined = partial
    for j in line[1:]:
        if j in received:
            parts = tuple(received[j])
            combined = parts if combined is None else op.combine(combined, parts)
    return combined


def _store(world, tag, value, result, out, dtype):
    """Keep a result piece: as a new local array, or written into ``out=``.

    ``value`` is the piece's owned cells on the result's workers (else None);
    ``result`` is ``(layout, maps, targets)`` of the result (layout None off
    its workers); ``out`` is None, ``("local", LocalArray)`` (``out=`` laid out
    as the result) or ``("gather", LocalArray or None, maps, targets)``.
    """
    layout, maps, targets = result
    if out is not None and out[0] == "local":
        if out[1] is not None:
            np.copyto(out[1].owned, value, casting="unsafe")
        return None
    piece = None
    if layout is not None and value.shape == layout.shape and value.dtype == dtype \
            and value.flags.c_contiguous:
        piece = LocalArray(value, layout)  # no padding: the value is the buffer
    elif layout is not None:
        piece = LocalArray.empty(layout, dtype)
        piece.ndarray.fill(0)  # padding cells get defined values
        piece.owned[...] = value
    if out is None:
        return piece
    _, target, out_maps, out_targets = out
    data = gather_blocks(world, tag * TAG_SPAN + OUT_TAG, piece, dtype, maps, targets,
                         out_maps, out_targets, tuple(range(len(maps))))
    if target is not None:
        np.copyto(target.owned, data, casting="unsafe")
    return None


def _owned_shape(layout):
    return tuple(m.owned_count(c) for m, c in zip(layout.maps, layout.coords))


@command
def reduce_array(world, data, local, maps, targets, op, axes, where, result, tag):
    """A reduction of the array ``local`` (this worker's piece, or None) over ``axes``.

    Parameters
    ----------
    maps, targets : tuple
        The array's maps and workers.
    op : reduction object
        See the module docstring.
    where : tuple or None
        An operand spec (see :mod:`.elementwise`) of the mask, on the array's layout.
    result : tuple or None
        None: return this piece's partial to the client (full reductions).
        Else ``(layout, maps, targets, dtype, out, out_given)``: combine along
        the grid lines on the workers and keep the result (see :func:`_store`).
    """
    mask = None if where is None else operand_value(where, 0, world, data, tag, maps, targets)
    partial = None
    if local is not None:
        partial = local_partial(op, local, maps, local.coords, axes, mask)
    if result is None:
        return pack(partial)
    layout, result_maps, result_targets, dtype, out, out_given = result
    value = error = None
    if local is not None:
        combined = _combine_on_line(world, tag, op, partial, local, maps, targets, axes)
        if layout is not None:
            try:
                value = op.finish(combined, _owned_shape(layout), dtype, out_given)
            except Exception as exc:  # data-dependent (all-NaN): deliver, then raise
                value, error = np.zeros(_owned_shape(layout), dtype), exc
    stored = _store(world, tag, value, (layout, result_maps, result_targets), out, dtype)
    if error is not None:
        raise error
    return stored


@command
def scan_array(world, local, maps, targets, ufunc, axis, dtype, scan_maps, result, tag):
    """``ufunc.accumulate`` along ``axis`` of the array ``local`` (this worker's piece or None).

    ``maps`` and ``targets`` are the array's, ``dtype`` the result's.  If
    ``scan_maps`` are given, the array is first brought onto them (the same
    workers, block-distributed along ``axis``).  ``result`` is ``(layout,
    maps, targets, out)`` of the result (see :func:`_store`).
    """
    x = local.owned if local is not None else None
    if scan_maps is not None:
        x = gather_blocks(world, tag * TAG_SPAN, local, None if local is None else local.dtype,
                          maps, targets, scan_maps, targets, tuple(range(len(maps))))
        maps = scan_maps
    layout, result_maps, result_targets, out = result
    value = None
    if x is not None:
        coords = coords_from_rank(targets.index(world.Get_rank()),
                                  tuple(m.grid_size for m in maps))
        value = _scan_piece(world, tag, ufunc, x, axis, dtype, maps, targets, coords)
    return _store(world, tag, value, (layout, result_maps, result_targets), out, dtype)


def _scan_piece(world, tag, ufunc, x, axis, dtype, maps, targets, coords):
    """The local scan, offset by the totals of the pieces before this one on its line."""
    if x.size == 0:
        return np.empty(x.shape, dtype)
    loop = None if dtype.kind in "mM" else dtype  # ufuncs take no unit-specific dtypes
    value = ufunc.accumulate(x, axis=axis, dtype=loop)
    grid = tuple(m.grid_size for m in maps)
    line = _line(grid, coords, (axis,))
    position = line.index(rank_from_coords(coords, grid))
    owning = [j for j in line if maps[axis].owned_count(coords_from_rank(j, grid)[axis])]
    cut = [slice(None)] * x.ndim
    cut[axis] = slice(-1, None)
    total = np.ascontiguousarray(value[tuple(cut)])
    requests = [world.Isend([as_bytes(total), MPI.BYTE], targets[j], tag * TAG_SPAN + PARTIAL_TAG)
                for j in owning if j > line[position]]
    totals = [np.empty(total.shape, dtype) for j in owning if j < line[position]]
    requests += [world.Irecv([as_bytes(t), MPI.BYTE], targets[j], tag * TAG_SPAN + PARTIAL_TAG)
                 for t, j in zip(totals, owning)]
    wait_all(requests)
    if totals:
        offset = totals[0]
        for t in totals[1:]:
            offset = ufunc(offset, t, dtype=loop)
        ufunc(offset, value, out=value, dtype=loop)
    return value


@command
def fused_reduce(world, data, layout, dst_maps, dst_targets, operands, program, errstate, op,
                 tag):
    """This piece's partial of reduction ``op`` over all axes of a fused program's value.

    As :func:`.elementwise.fused_call`, but each chunk's value is reduced while in cache
    (``op.partial``, then ``op.combine``) instead of being stored: the value
    is never written to memory.  Returns the packed partial (None where this
    worker holds no cells).
    """
    values = operand_values(operands, world, data, tag, dst_maps, dst_targets)
    if layout is None:
        return None
    shape = tuple(m.owned_count(c) for m, c in zip(layout.maps, layout.coords))
    if not math.prod(shape):
        return None
    partial = None
    with np.errstate(**errstate):
        for cell in cells(shape, values):
            region = tuple(hi - lo for lo, hi in cell)
            for chunk in program_chunks(program, [cut(v, cell) for v in values], region):
                part = op.partial(chunk, tuple(range(chunk.ndim)), None)
                partial = part if partial is None else op.combine(partial, part)
    return pack(partial)


__all__ = ["ArgReduction", "ASSOCIATIVE", "CountNonzero", "Moments", "PeakToPeak",
           "UfuncReduction", "kept_shape", "local_partial", "pack", "unpack"]
