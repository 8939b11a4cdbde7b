"""Shape manipulation of DistArrays: NumPy's functions, planned on the client.

Every argument is checked on the client before anything is sent, raising what
NumPy raises (NumPy itself runs on memory-less stand-ins, see
:mod:`distarray.plan.shape`).

Views, where NumPy returns views and they cost nothing here (they share the
workers' memory: writes through them change the original):
``transpose``/``.T``/``swapaxes``/``moveaxis`` (the maps and the process grid are
permuted, no data moves), ``squeeze``/``expand_dims``/``atleast_*d``, ``flip``
(negative-step slicing), the parts of ``split``/``array_split``, and ``reshape``/
``ravel`` when every piece can be reshaped in place (adding or dropping length-1
axes; regrouping axes that are not distributed; blocks of rows whose boundaries
fall on rows of the new shape).  Otherwise a reshape copies with block
exchanges in blocks of rows, where C order is process order: the flat blocks
move to the row boundaries of the result (one exchange, two when the array is
not in blocks of rows already).

Copies where NumPy returns read-only views: ``broadcast_to`` (a new, writable,
distributed array; the broadcast values are copied once), ``diagonal``, and
``meshgrid`` (whatever ``copy`` says, except sparse outputs with ``copy=False``).
Everything else makes a new array (default distribution), moving each element
at most once: ``concatenate``/``stack``/``*stack`` assign each input
into its slice of the result (``concatenate`` may write into ``out``); ``roll``,
``tile``, ``repeat``, ``pad`` (edge,
wrap, reflect, symmetric) and ``take`` with a 1-D index are one worker-to-worker block exchange
(each result cell reads a source cell chosen independently along each axis);
``pad`` (constant) assigns the constants; ``take`` with an N-d index, ``put``
and ``diagonal`` use advanced indexing; ``tril``/``triu`` and ``indices`` are
computed on the workers; ``nonzero`` counts first, then moves the indices.
Index arrays given as DistArrays (``take``, ``put``, ``repeat``) are gathered
to the client first.
"""

import functools
import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..plan import shape as planning
from ..plan.distribution import Distribution
from ..plan.indexing import parse
from ..plan.maps import BlockMap, UndistributedMap
from ..runtime.messages import WORLD, MaybeRef, Ref
from .apply import apply_along_axis
from .context import default_context
from .creation import create_array, arange, asarray, check_index_dtype, empty, full
from .creation import plan as plan_distribution
from .darray import DistArray, shape_of
from .dispatch import implements
from .indexing import (checked_distributed, checked_indices, getitem, redistribute, setitem,
                       view)
from .ufuncs import assign

__all__ = [
    "array_split", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_arrays", "broadcast_to",
    "concatenate", "diagonal", "dstack", "expand_dims", "flatnonzero", "flip", "fliplr",
    "flipud", "hstack", "indices", "meshgrid", "moveaxis", "nonzero", "pad", "put", "ravel",
    "repeat", "reshape", "roll", "rollaxis", "split", "squeeze", "stack", "swapaxes", "take",
    "tile", "transpose", "tril", "triu", "vstack",
]


_FULL = slice(None)

#: Index arrays up to this length travel inside the command (every worker gets all
#: of it, and the data moves in blocks); longer ones use advanced indexing, where
#: each worker receives only its part.
INLINE_INDEX = 1 << 16


# -- helpers ----------------------------------------------------------------------------
def _probe(a):
    return planning.probe(a.shape, a.dtype)


def _view(d, key):
    """``d[key]`` for a basic index: a view where every piece allows one, else a copy."""
    result = view(d, parse(key, d.shape))
    return getitem(d, key) if result is None else result


def _local_view(d, distribution, command, *args):
    """A view of ``d`` laid out as ``distribution`` (same workers), made piece by piece.

    The command is posted without waiting: its replies come with the next one's.
    """
    context = d.context
    key = context.pool.new_key()
    context.pool.send(command, Ref(d.key), MaybeRef(context.layout(distribution)), *args,
                      targets=d.targets, out=key)
    return DistArray._wrap(distribution, d.dtype, key)


def _mapped(d, shape, specs):
    """A new array of ``shape`` whose cell ``g`` reads ``d`` at ``f_a(g_a)`` on each axis.

    ``specs`` holds per axis the arguments of :class:`~distarray.plan.shape.MappedAxis`
    after the map (``()`` keeps the index).  One block exchange, worker to worker,
    into the default distribution.
    """
    context = d.context
    context.check_open()
    result = context.default_distribution(shape)
    if not math.prod(shape):
        return empty(result, d.dtype)
    mapped = tuple(planning.MappedAxis(m, *spec) for m, spec in zip(result.maps, specs))
    src = d.distribution
    key = context.pool.new_key()
    context.pool.run("gather_mapped", Ref(WORLD), MaybeRef(d.key), d.dtype, src.maps,
                     src.targets, MaybeRef(context.layout(result)), result.targets, mapped,
                     targets=tuple(sorted({*src.targets, *result.targets})), out=key, tag=True)
    return DistArray._wrap(result, d.dtype, key)


def _take_along(a, axis, index):
    """``a`` indexed along ``axis`` by the valid, non-negative 1-D ``index``."""
    if len(index) > INLINE_INDEX:
        return getitem(a, (_FULL,) * axis + (index,))
    shape = a.shape[:axis] + index.shape + a.shape[axis + 1:]
    return _mapped(a, shape, [("take", 0, 0, index) if i == axis else () for i in range(a.ndim)])


def _axis_length(a, axis):
    """``(axis, length)`` of a checked, normalized ``axis`` of ``a``.

    As NumPy's C functions (take, repeat, compress), a 0-d ``a`` has axis 0 of
    length 1 (:func:`_at_least_1d` then makes it so).
    """
    axis = normalize_axis_index(axis, max(a.ndim, 1))
    return axis, (a.shape or (1,))[axis]


def _at_least_1d(a):
    return reshape(a, (1,)) if a.ndim == 0 else a


def _context(arrays, context=None):
    for x in arrays:
        if isinstance(x, DistArray):
            return x.context
    return default_context() if context is None else context


def _index_array(indices, check):
    """``indices`` as an integer array (a DistArray stays one) after NumPy's checks.

    ``check(dtype)`` runs the NumPy function on an empty index of that dtype
    (arrays must cast; Python sequences are converted as NumPy converts them).
    """
    if isinstance(indices, DistArray):
        check(indices.dtype)
        return indices if indices.dtype == np.intp else indices.astype(np.intp)
    check(indices.dtype if isinstance(indices, np.ndarray) else np.intp)
    return np.asarray(indices).astype(np.intp)


def _bounded(indices, n, axis, mode):
    """Integer ``indices`` into an axis of length ``n`` after ``mode`` (raise/wrap/clip).

    DistArray indices are checked by their extreme values (which NumPy's
    IndexError then names) and keep their negative values.
    """
    if indices.size and n == 0:
        raise IndexError("cannot do a non-empty take from an empty axes.")
    if mode == "wrap":
        return indices % max(n, 1)
    if mode == "clip":
        return np.clip(indices, 0, n - 1)
    if not isinstance(indices, DistArray):
        return checked_indices(indices, n, axis)
    checked_distributed(indices, n, axis)
    return indices


def _unravel(flat, shape):
    """``np.unravel_index(flat, shape)``, also of a DistArray of flat indices."""
    if not isinstance(flat, DistArray):
        return np.unravel_index(flat, shape)
    flat = flat % math.prod(shape)  # negative indices count from the end
    index = []
    for n in reversed(shape):
        index.append(flat % n)
        flat = flat // n
    return tuple(reversed(index))


# -- views: axis permutations, length-1 axes, flips -------------------------------------
def _permute(a, perm):
    """The view of ``a`` with axes ``perm`` (result axis ``i`` is axis ``perm[i]``)."""
    a.context.check_open()
    if tuple(perm) == tuple(range(a.ndim)):
        distribution = a.distribution
    else:
        distribution = a.context.derived(a.distribution, ("permuted", tuple(perm)), lambda: (
            Distribution.from_maps(a.context, *planning.permuted(a.distribution, perm))))
    return _local_view(a, distribution, "permuted_view", tuple(perm))


@implements(np.transpose)
def transpose(a, *args, axes=None):
    """The view with axes permuted (``a.transpose(1, 0)``, ``transpose(a, (1, 0))``, ``a.T``).

    No data moves: the maps and the process grid are permuted.
    """
    if args:
        if axes is not None:
            raise TypeError("transpose() got multiple values for argument 'axes'")
        axes = args[0] if len(args) == 1 and (args[0] is None or np.ndim(args[0])) else args
    return _permute(a, planning.axis_permutation(lambda p: np.transpose(p, axes), a.ndim))


@implements(np.swapaxes)
def swapaxes(a, axis1, axis2):
    """The view with two axes interchanged."""
    return _permute(a, planning.axis_permutation(lambda p: np.swapaxes(p, axis1, axis2),
                                                 a.ndim))


@implements(np.moveaxis)
def moveaxis(a, source, destination):
    """The view with axes moved to new positions."""
    return _permute(a, planning.axis_permutation(
        lambda p: np.moveaxis(p, source, destination), a.ndim))


@implements(np.rollaxis)
def rollaxis(a, axis, start=0):
    """The view with ``axis`` rolled back to position ``start``, as :func:`numpy.rollaxis`."""
    return _permute(a, planning.axis_permutation(lambda p: np.rollaxis(p, axis, start), a.ndim))


@implements(np.squeeze)
def squeeze(a, axis=None):
    """The view without the given (default: all) length-1 axes.

    A length-1 axis split over several grid ranks is held by one of them; the
    view lives on the workers of that rank.
    """
    np.squeeze(_probe(a), axis)
    axes = [n == 1 for n in a.shape] if axis is None else [
        i in normalize_axis_tuple(axis, a.ndim) for i in range(a.ndim)]
    return _view(a, tuple(0 if drop else slice(None) for drop in axes))


@implements(np.expand_dims)
def expand_dims(a, axis):
    """The view with length-1 axes inserted at the positions ``axis``."""
    ndim = np.expand_dims(_probe(a), axis).ndim
    axes = normalize_axis_tuple(axis, ndim)
    return _view(a, tuple(None if i in axes else slice(None) for i in range(ndim)))


def _atleast(arrays, keys):
    """``numpy.atleast_Nd``: ``keys[ndim]`` (the last for more axes) adds the axes, as views."""
    results = []
    for x in arrays:
        x = x if isinstance(x, DistArray) else np.asarray(x)
        key = keys[min(x.ndim, len(keys) - 1)]
        results.append((_view(x, key) if isinstance(x, DistArray) else x[key]) if key else x)
    return results[0] if len(results) == 1 else tuple(results)



@implements(np.atleast_1d)
def atleast_1d(*arrays):
    """Views with at least one axis."""
    return _atleast(arrays, [(None,), ()])


@implements(np.atleast_2d)
def atleast_2d(*arrays):
    """Views with at least two axes (a 1-D array becomes one row)."""
    return _atleast(arrays, [(None, None), (None, _FULL), ()])


@implements(np.atleast_3d)
def atleast_3d(*arrays):
    """Views with at least three axes (``(N,)`` becomes ``(1, N, 1)``, ``(M, N)`` ``(M, N, 1)``)."""
    return _atleast(arrays, [(None, None, None), (None, _FULL, None), (_FULL, _FULL, None), ()])


@implements(np.flip)
def flip(m, axis=None):
    """The view with the order of elements reversed along ``axis`` (default: all axes)."""
    axes = range(m.ndim) if axis is None else normalize_axis_tuple(axis, m.ndim)
    return _view(m, tuple(slice(None, None, -1) if i in axes else _FULL for i in range(m.ndim)))


@implements(np.fliplr)
def fliplr(m):
    """The view with axis 1 reversed."""
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return flip(m, 1)


@implements(np.flipud)
def flipud(m):
    """The view with axis 0 reversed."""
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return flip(m, 0)


# -- reshape ----------------------------------------------------------------------------
def _reshaped_in_place(a, shape):
    """The view of ``a`` reshaped piece by piece, or None if the layout does not allow it."""
    maps = planning.local_reshape_maps(a.distribution, shape)
    if maps is None:
        return None
    return _local_view(a, Distribution.from_maps(a.context, maps, a.targets), "reshaped_view")


def _reshape_c(a, shape):
    """``(C-order reshape of a, whether it is a view)``.

    Views: the same shape; adding or dropping length-1 axes; a reshape each
    piece can do in place.  Otherwise by block exchanges in blocks of rows
    (where C order is process order): ``a`` is brought to blocks of rows
    unless it is in them; if the row boundaries do not fall on rows of the
    result, both are seen in place as ``(size // g, g)`` with ``g`` the gcd of
    the two row lengths, and blocks of those rows move to the result's row
    boundaries.
    """
    context = a.context
    context.check_open()
    if shape == a.shape:
        return _permute(a, tuple(range(a.ndim))), True
    if not math.prod(shape):
        return empty(context.default_distribution(shape), a.dtype), True
    key = planning.squeeze_key(a.shape, shape)
    if key is not None:
        return _view(a, key), True
    result = _reshaped_in_place(a, shape)
    if result is not None:
        return result, True
    if not planning.row_blocks(a.distribution):
        a = redistribute(a, Distribution(context, a.shape, dist="b"))
        result = _reshaped_in_place(a, shape)
        if result is not None:
            return result, False
    row = math.prod(shape[1:])
    g = math.gcd(math.prod(a.shape[1:]), row)
    rows = Distribution(context, shape, dist="b")
    moved = redistribute(_reshaped_in_place(a, (a.size // g, g)), Distribution.from_maps(
        context, (BlockMap(a.size // g, len(rows.targets), [b * row // g for b in rows.maps[
            0].bounds]), UndistributedMap(g)), rows.targets))
    return _reshaped_in_place(moved, shape), False


def _reshape(a, shape, order="C"):
    """``(reshape of a, whether it is a view)`` after NumPy's checks."""
    shape = _probe(a).reshape(shape, order=order).shape
    if order == "F":
        result, is_view = _reshape_c(transpose(a), shape[::-1])
        return transpose(result), is_view
    return _reshape_c(a, shape)


@implements(np.reshape)
def reshape(a, *args, shape=None, order="C", copy=None, newshape=None):
    """The array with a new shape (C order; one dimension may be -1).

    A view when each piece can be reshaped in place (see the module
    docstring), else a copy; ``copy=True`` always copies, ``copy=False``
    raises ValueError instead of copying.  Method form: ``a.reshape(2, 3)``.
    """
    if args:
        if shape is not None:
            raise TypeError("reshape() got multiple values for argument 'shape'")
        shape = args[0] if len(args) == 1 else args
    if shape is None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape() missing required argument 'shape' (pos 2)")
    result, is_view = _reshape(a, shape, order)
    if is_view and copy:
        return result.copy()
    if not is_view and copy is False:
        raise ValueError("Unable to avoid creating a copy while reshaping.")
    return result


@implements(np.ravel)
def ravel(a, order="C"):
    """The flattened array: a view when the pieces allow it (see :func:`reshape`), else a copy."""
    np.ravel(np.empty(0), order=order)
    return _reshape(a, -1, "F" if order == "F" else "C")[0]


def flatten(a, order="C"):
    """A flattened copy (``DistArray.flatten``)."""
    np.ravel(np.empty(0), order=order)
    result, is_view = _reshape(a, -1, "F" if order == "F" else "C")
    return result.copy() if is_view else result


# -- joining and splitting --------------------------------------------------------------
@implements(np.concatenate)
def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays (DistArrays or array-likes) along an existing axis.

    The result (default distribution, or ``out``) is made first; each input is
    copied into its slice, moving only the elements that change workers.
    """
    if isinstance(arrays, DistArray):
        arrays = [arrays[i] for i in range(len(arrays))]
    arrays = [x if isinstance(x, DistArray) else np.asarray(x) for x in arrays]
    if axis is None:
        arrays = [ravel(x) if isinstance(x, DistArray) else x.ravel() for x in arrays]
        axis = 0
    if out is not None and not isinstance(out, DistArray):
        raise TypeError("out= must be a DistArray when the inputs are distributed")
    shapes = [x.shape for x in arrays]
    if out is not None and arrays and all(len(s) for s in shapes):
        expected = planning.concatenate_result(shapes, [x.dtype for x in arrays], axis)[0]
        if out.shape != expected:
            raise ValueError("Output array is the wrong shape")
    shape, result_dtype = planning.concatenate_result(
        shapes, [x.dtype for x in arrays], axis, dtype, casting,
        None if out is None else out.dtype)
    context = _context([out, *arrays])
    result = empty(shape, result_dtype, context=context) if out is None else out
    axis = normalize_axis_index(axis, len(shape))
    start = 0
    for x in arrays:
        stop = start + x.shape[axis]
        if stop > start:
            setitem(result, (_FULL,) * axis + (slice(start, stop),), x)
        start = stop
    return result


@implements(np.stack)
def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays along a new axis."""
    arrays = [x if isinstance(x, DistArray) else np.asarray(x) for x in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    if len({x.shape for x in arrays}) != 1:
        raise ValueError("all input arrays must have the same shape")
    axis = normalize_axis_index(axis, arrays[0].ndim + 1)
    return concatenate([expand_dims(x, axis) if isinstance(x, DistArray) else
                        np.expand_dims(x, axis) for x in arrays], axis, out, dtype=dtype,
                       casting=casting)


@implements(np.hstack)
def hstack(tup, *, dtype=None, casting="same_kind"):
    """Join along axis 1 (axis 0 for 1-D arrays)."""
    arrays = [atleast_1d(x) for x in tup]
    axis = 0 if arrays and arrays[0].ndim == 1 else 1
    return concatenate(arrays, axis, dtype=dtype, casting=casting)


@implements(np.vstack)
def vstack(tup, *, dtype=None, casting="same_kind"):
    """Join along axis 0 (1-D arrays become rows)."""
    return concatenate([atleast_2d(x) for x in tup], 0, dtype=dtype, casting=casting)


@implements(np.dstack)
def dstack(tup):
    """Join along axis 2 (see :func:`atleast_3d`)."""
    return concatenate([atleast_3d(x) for x in tup], 2)


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    """Views of ``ary`` split into parts (``numpy.array_split``)."""
    parts = np.array_split(_probe(ary), indices_or_sections, axis)
    axis = normalize_axis_index(axis, ary.ndim)
    bounds = planning.split_bounds(ary.shape[axis], indices_or_sections)
    results = [_view(ary, (_FULL,) * axis + (slice(start, stop),)) for start, stop in bounds]
    assert [r.shape for r in results] == [p.shape for p in parts]
    return results


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    """Views of ``ary`` split into equal parts or at the given indices (``numpy.split``)."""
    np.split(_probe(ary), indices_or_sections, axis)
    return array_split(ary, indices_or_sections, axis)


# -- data movement along axes -----------------------------------------------------------
@implements(np.broadcast_to)
def broadcast_to(array, shape, subok=False, context=None):
    """``array`` broadcast to ``shape``: a new (writable) DistArray, default distribution.

    NumPy returns a read-only view; here the broadcast values are copied once.
    """
    arr = array if isinstance(array, DistArray) else np.asarray(array)
    shape = np.broadcast_to(planning.probe(arr.shape, arr.dtype), shape).shape
    result = empty(shape, arr.dtype, context=_context([arr], context))
    assign(result, arr)
    return result


@implements(np.broadcast_arrays)
def broadcast_arrays(*args, subok=False):
    """The arguments broadcast to their common shape (a tuple, as NumPy's).

    Arguments of that shape are returned themselves (as NumPy does); the
    others are copied by :func:`broadcast_to` (DistArrays, in the context of
    the DistArrays among ``args``).
    """
    shape = np.broadcast_shapes(*map(shape_of, args))
    context = _context(args)
    return tuple(x if isinstance(x, DistArray) and x.shape == shape
                 else broadcast_to(x, shape, context=context) for x in args)


@implements(np.roll)
def roll(a, shift, axis=None):
    """Elements shifted cyclically along axes (one worker-to-worker exchange)."""
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), a.shape)
    axes = normalize_axis_tuple(axis, a.ndim, allow_duplicate=True)
    pairs = np.broadcast(shift, axes)
    if pairs.ndim > 1:
        raise ValueError("'shift' and 'axis' should be scalars or 1D sequences")
    shifts = [0] * a.ndim
    for s, ax in pairs:
        shifts[ax] += int(s)
    return _mapped(a, a.shape, [("shift", s % n, n) if n and s % n else ()
                                for s, n in zip(shifts, a.shape)])


@implements(np.tile)
def tile(A, reps):
    """The array repeated ``reps`` times along each axis."""
    try:
        reps = tuple(operator.index(r) for r in reps)
    except TypeError:
        reps = (operator.index(reps),)
    if any(r < 0 for r in reps):
        raise ValueError("negative dimensions are not allowed")
    if A.ndim < len(reps):
        A = reshape(A, (1,) * (len(reps) - A.ndim) + A.shape)
    reps = (1,) * (A.ndim - len(reps)) + reps
    shape = tuple(n * r for n, r in zip(A.shape, reps))
    return _mapped(A, shape, [("shift", 0, n) if r != 1 else () for n, r in zip(A.shape, reps)])


@implements(np.repeat)
def repeat(a, repeats, axis=None):
    """Each element repeated ``repeats`` times along ``axis`` (flattened if None)."""
    n = a.size
    if axis is not None:
        axis, n = _axis_length(a, axis)
    if isinstance(repeats, DistArray):
        repeats = repeats.toarray()
    source = None
    if np.ndim(repeats) == 0:
        count = np.repeat(np.zeros(1), repeats).size  # NumPy's checks and conversion
    else:
        source = np.repeat(np.arange(n), repeats)
    a, axis = (ravel(a), 0) if axis is None else (_at_least_1d(a), axis)
    if source is not None:
        return _take_along(a, axis, source)
    shape = a.shape[:axis] + (n * count,) + a.shape[axis + 1:]
    return _mapped(a, shape, [("div", count) if i == axis and count else ()
                              for i in range(a.ndim)])


@implements(np.pad)
def pad(array, pad_width, mode="constant", **kwargs):
    """The array padded, in every mode of :func:`numpy.pad`.

    ``edge``, ``wrap``, ``reflect`` and ``symmetric`` are one worker-to-worker exchange
    (each result cell reads one source cell, its index mapped axis by axis), with
    elementwise arithmetic per padded axis for ``reflect_type='odd'``; ``constant``
    assigns the constants; the statistic modes reduce along each axis in turn;
    ``linear_ramp`` computes each pad elementwise from the edge cells next to it.
    A callable ``mode`` is NumPy's protocol, run on the workers: each axis in turn
    is brought whole onto the processes and ``mode(vector, (before, after), axis,
    kwargs)`` changes each 1-D vector of the zero-padded array in place (as
    :func:`distarray.apply_along_axis`, which calls it once more on the first vector
    to learn the result's type; never on empty vectors).
    """
    widths = planning.pad_pairs(pad_width, array.ndim)
    shape = tuple(n + before + after for n, (before, after) in zip(array.shape, widths))
    if callable(mode):
        return _pad_with_function(_pad_constant(array, widths, shape, 0), widths, mode, kwargs)
    allowed = {"constant": {"constant_values"}, "empty": set(), "edge": set(), "wrap": set(),
               "reflect": {"reflect_type"}, "symmetric": {"reflect_type"},
               "linear_ramp": {"end_values"}, **{name: {"stat_length"} for name in _STATISTICS}}
    if mode not in allowed:
        raise ValueError("mode '%s' is not supported" % (mode,))
    unsupported = set(kwargs) - allowed[mode]
    if unsupported:
        raise ValueError("unsupported keyword arguments for mode '%s': %s" % (mode, unsupported))
    if mode in ("constant", "empty"):
        return _pad_constant(array, widths, shape, kwargs.get("constant_values", 0))
    for axis, (n, pair) in enumerate(zip(array.shape, widths)):
        if n == 0 and any(pair):
            raise ValueError("can't extend empty axis %d using modes other than 'constant' or "
                             "'empty'" % axis)
    odd = kwargs.get("reflect_type", "even") == "odd"
    if odd and array.dtype == np.bool_:
        raise NotImplementedError("distarray.pad supports reflect_type='odd' for numbers only")
    if mode in _STATISTICS:
        return _pad_statistic(array, widths, _STATISTICS[mode], kwargs.get("stat_length"))
    if mode == "linear_ramp":
        return _pad_linear_ramp(array, widths, kwargs.get("end_values", 0))
    kind = {"edge": "clip", "wrap": "shift"}.get(mode, mode)
    if odd and array.size:
        return _pad_odd(array, widths, kind)
    return _mapped(array, shape, [(kind, before, n) if before or after else ()
                                  for n, (before, after) in zip(array.shape, widths)])


def _pad_odd(array, widths, kind):
    """``pad`` with ``reflect_type='odd'``, axis by axis: a mirrored cell ``x[j]`` becomes
    ``2 * edge - x[j]``, repeated reflections adding ``2 * (last - first)`` per period
    (computed as ``a * first + b * last + s * x[j]``; NumPy's order of operations for one
    reflection)."""
    for axis, (before, after) in enumerate(widths):
        n = array.shape[axis]
        if not before + after:
            continue
        shape = array.shape[:axis] + (n + before + after,) + array.shape[axis + 1:]
        mirrored = _mapped(array, shape, [(kind, before, n) if k == axis else ()
                                          for k in range(array.ndim)])
        if n == 1:  # as NumPy, a length-1 axis is extended by its cell
            array = mirrored
            continue
        period = planning.mirror_period(n, kind == "symmetric")
        turns, at = np.divmod(np.arange(-before, n + after), period)
        back = at >= n
        # the coefficients along the axis, in the array's dtype (-1 wraps as NumPy's does)
        a, b, s = (np.asarray(c).astype(array.dtype).reshape((-1,) + (1,) * (
            array.ndim - axis - 1)) for c in (-2 * turns, 2 * turns + 2 * back,
                                              np.where(back, -1, 1)))
        head = (_FULL,) * axis
        first = getitem(array, head + (slice(0, 1),))
        last = getitem(array, head + (slice(n - 1, n),))
        array = first * a + last * b + mirrored * s
    return array


#: numpy.pad's statistic modes.
_STATISTICS = {"maximum": np.amax, "minimum": np.amin, "mean": np.mean, "median": np.median}


def _pad_statistic(array, widths, function, stat_length):
    """``pad`` with a statistic mode: axis by axis, as NumPy, each pad is the statistic
    (a distributed reduction along the axis) of the ``stat_length`` cells next to it,
    over the earlier axes' pads too."""
    if not array.size:  # an empty axis, not padded (checked): an empty result
        return empty(tuple(n + sum(pair) for n, pair in zip(array.shape, widths)), array.dtype,
                     context=array.context)
    lengths = []
    for n, (left, right) in zip(array.shape, planning.stat_lengths(stat_length, array.ndim)):
        left, right = (n if m is None or m > n else m for m in (left, right))
        if 0 in (left, right) and function in (np.amax, np.amin):
            raise ValueError("stat_length of 0 yields no value for padding")
        lengths.append((left, right))

    def statistic(array, axis, width, first):
        n, (left, right) = array.shape[axis], lengths[axis]
        chunk = slice(0, left) if first else slice(n - right, n)
        stat = function(getitem(array, (_FULL,) * axis + (chunk,)), axis=axis, keepdims=True)
        return np.round(stat) if np.issubdtype(array.dtype, np.integer) else stat

    return _pad_by_axis(array, widths, statistic)


def _pad_linear_ramp(array, widths, end_values):
    """``pad(mode='linear_ramp')``: axis by axis, as NumPy, each pad is
    ``numpy.linspace(end, edge, width, endpoint=False)`` towards the edge cell next to it,
    computed elementwise in NumPy's order of operations."""
    ends = planning.ramp_ends(end_values, array.ndim)

    def ramp(array, axis, width, first):
        n = array.shape[axis]
        end = ends[axis][0 if first else 1]
        edge = getitem(array, (_FULL,) * axis + (slice(0, 1) if first else slice(n - 1, n),))
        dtype = np.linspace(end, np.zeros((), array.dtype), 1, endpoint=False).dtype
        delta = edge.astype(dtype) - end
        step = delta / width
        k = np.arange(width, dtype=dtype).reshape((-1,) + (1,) * (array.ndim - axis - 1))
        k = k if first else k[::-1]
        values = (k / width) * delta if np.any(step == 0) else k * step
        values = values + end
        return np.floor(values) if np.issubdtype(array.dtype, np.integer) else values

    return _pad_by_axis(array, widths, ramp)


def _pad_by_axis(array, widths, pad_values):
    """``array`` padded axis by axis, as NumPy pads: the pads of an axis cover the earlier
    axes' pads and are ``pad_values(array, axis, width, first)`` (broadcast), ``array``
    being the array padded so far and ``first`` telling the pad before from the one after.
    """
    for axis, (before, after) in enumerate(widths):
        if not before + after:
            continue
        n, head = array.shape[axis], (_FULL,) * axis
        shape = array.shape[:axis] + (n + before + after,) + array.shape[axis + 1:]
        result = empty(shape, array.dtype, context=array.context)
        setitem(result, head + (slice(before, before + n),), array)
        for width, part, first in ((before, slice(0, before), True),
                                   (after, slice(before + n, None), False)):
            if width:
                setitem(result, head + (part,), pad_values(array, axis, width, first))
        array = result
    return array


def _pad_with_function(padded, widths, function, kwargs):
    """``pad`` with a callable ``mode``: ``function`` applied, axis by axis, to each 1-D
    vector of the zero-padded array ``padded`` (NumPy's protocol)."""
    if not padded.size:
        return padded
    for axis, width in enumerate(widths):
        padded = apply_along_axis(functools.partial(_padded_vector, function, width, axis,
                                                    kwargs), axis, padded)
    return padded


def _padded_vector(function, width, axis, kwargs, vector):
    """A copy of ``vector`` that ``function`` has padded in place."""
    vector = vector.copy()
    function(vector, width, axis, kwargs)
    return vector


def _pad_constant(array, widths, shape, constant_values):
    """``pad(mode='constant')``: the center copied, then the pads set axis by axis.

    As NumPy, the pads of axis ``k`` cover the earlier axes' pads (the corners).
    """
    values = planning.pad_values(constant_values, array.ndim)
    same = {v for pair in values for v in pair}
    context = array.context
    if len(same) <= 1:
        result = full(shape, same.pop() if same else 0, array.dtype, context=context)
    else:
        result = empty(shape, array.dtype, context=context)
    center = tuple(slice(before, before + n) for n, (before, _) in zip(array.shape, widths))
    if array.size:
        if any(map(any, widths)):
            setitem(result, center, array)
        else:
            assign(result, array)
    if len(same) > 1:
        for axis, ((before, after), (low, high)) in enumerate(zip(widths, values)):
            head, tail = (_FULL,) * axis, center[axis + 1:]
            rest = math.prod(shape[:axis]) * math.prod(array.shape[axis + 1:])
            for width, part, value in ((before, slice(0, before), low),
                                       (after, slice(shape[axis] - after, None), high)):
                if width * rest:
                    setitem(result, head + (part,) + tail, value)
    return result


# -- indexing-based ---------------------------------------------------------------------
@implements(np.take)
def take(a, indices, axis=None, out=None, mode="raise"):
    """Elements along an axis (of the flattened array if ``axis`` is None).

    A 1-D index is one worker-to-worker exchange; others use advanced indexing.
    """
    index = _index_array(indices, lambda dtype: np.take(np.zeros(1), np.empty(0, dtype),
                                                        mode=mode))
    if axis is None:
        index = _bounded(index, a.size, 0, mode)
        a, axis = ravel(a), 0
    else:
        axis, n = _axis_length(a, axis)
        index = _bounded(index, n, axis, mode)
        a = _at_least_1d(a)
    head = (_FULL,) * axis
    shape = a.shape[:axis] + index.shape + a.shape[axis + 1:]
    if out is not None and (not isinstance(out, DistArray) or out.shape != shape):
        raise ValueError("output array does not match result of ndarray.take")
    if index.ndim == 0:
        result = getitem(a, head + (int(index),))
        result = result.copy() if isinstance(result, DistArray) else result
    elif index.ndim == 1 and not isinstance(index, DistArray):
        result = _take_along(a, axis, index)
    else:
        result = getitem(a, head + (index,))
    if out is None:
        return result
    assign(out, result)
    return out


@implements(np.put)
def put(a, ind, v, mode="raise"):
    """Set the elements at flat indices ``ind`` to ``v`` (repeated as needed; last wins)."""
    ind = _index_array(ind, lambda dtype: np.put(np.zeros(1), np.empty(0, dtype), 0, mode=mode))
    ind = ind.reshape(-1)
    if ind.size and a.size == 0:
        raise IndexError("cannot replace elements of an empty array")
    ind = _bounded(ind, a.size, 0, mode)
    if isinstance(v, DistArray) and v.size == ind.size:
        values = v.reshape(-1)
    else:
        v = np.asarray(v.toarray() if isinstance(v, DistArray) else v).reshape(-1)
        values = np.resize(v, ind.size) if v.size else v
    if not ind.size or not values.size:
        return
    if a.ndim == 0:
        setitem(a, (), values[-1])
        return
    setitem(a, _unravel(ind, a.shape), values)


@implements(np.diagonal)
def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal (a copy; NumPy returns a read-only view) as the last axis."""
    length = np.diagonal(_probe(a), offset, axis1, axis2).shape[-1]
    first, second = normalize_axis_index(axis1, a.ndim), normalize_axis_index(axis2, a.ndim)
    moved = _permute(a, [i for i in range(a.ndim) if i not in (first, second)]
                     + [first, second])
    rows = np.arange(length) + max(-offset, 0)
    return getitem(moved, (Ellipsis, rows, rows + offset))


def _triangle(m, k, lower):
    m = asarray(m)
    if m.ndim == 0:
        (np.tril if lower else np.triu)(np.zeros(()), k)  # raises NumPy's error
    if m.ndim == 1:
        m = broadcast_to(m, m.shape * 2)
    return m._derive("triangle", operator.index(k), lower)


@implements(np.tril)
def tril(m, k=0):
    """A copy with the elements above the ``k``-th diagonal (last two axes) zeroed."""
    return _triangle(m, k, True)


@implements(np.triu)
def triu(m, k=0):
    """A copy with the elements below the ``k``-th diagonal (last two axes) zeroed."""
    return _triangle(m, k, False)


# -- creation of index grids ------------------------------------------------------------
def indices(dimensions, dtype=int, sparse=False, distribution=None, context=None, dist=None,
            grid_shape=None, targets=None):
    """Arrays of the grid's indices, as :func:`numpy.indices` (computed on the workers).

    The distribution options apply to the dense result of shape
    ``(len(dimensions), *dimensions)``.
    """
    dimensions = tuple(operator.index(n) for n in dimensions)
    dtype = check_index_dtype(dimensions, dtype)
    ndim = len(dimensions)
    if sparse:
        return tuple(reshape(arange(n, dtype=dtype, context=context),
                             (1,) * i + (n,) + (1,) * (ndim - i - 1))
                     for i, n in enumerate(dimensions))
    shape = (ndim, *dimensions)
    if distribution is not None and distribution.shape != shape:
        raise ValueError("the distribution's shape %s is not %s" % (distribution.shape, shape))
    planned = plan_distribution(distribution or shape, context, dist, grid_shape, targets)
    return create_array(planned, "index_grid", dtype)


@implements(np.meshgrid)
def meshgrid(*xi, copy=True, sparse=False, indexing="xy", context=None):
    """Coordinate arrays from coordinate vectors (DistArrays or array-likes)."""
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    context = _context(xi, context)
    ndim = len(xi)
    vectors = [ravel(x) if isinstance(x, DistArray) else np.ravel(x) for x in xi]
    positions = list(range(ndim))
    if indexing == "xy" and ndim > 1:
        positions[:2] = [1, 0]
    shaped = [reshape(x, (1,) * p + (-1,) + (1,) * (ndim - p - 1)) if isinstance(x, DistArray)
              else x.reshape((1,) * p + (-1,) + (1,) * (ndim - p - 1))
              for x, p in zip(vectors, positions)]
    if not sparse:
        shape = np.broadcast_shapes(*(x.shape for x in shaped))
        return tuple(broadcast_to(x, shape, context=context) for x in shaped)
    return tuple((x.copy() if copy else x) if isinstance(x, DistArray) else
                 broadcast_to(x, x.shape, context=context) for x in shaped)


# -- nonzero ----------------------------------------------------------------------------
@implements(np.nonzero)
def nonzero(a):
    """Indices of the nonzero elements, one array per axis, in C order.

    The array is brought to blocks of rows (C order = process order) unless it
    is already; each worker finds its piece's indices; they are counted, then
    moved once to an even split.  The arrays are rows of one (ndim, count)
    DistArray, as in NumPy.
    """
    if a.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use "
                         "np.atleast_1d(scalar).nonzero() instead.")
    context = a.context
    context.check_open()
    if not planning.row_blocks(a.distribution):
        a = redistribute(a, Distribution(context, a.shape, dist="b"))
    pool, targets = context.pool, a.targets
    raw = pool.new_key()
    pool.run("nonzero_local", Ref(a.key), targets=targets, out=raw)
    sizes = pool.run("piece_size", Ref(raw), targets=targets)
    counts = [sizes[t] // a.ndim for t in targets]
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    pieces = Distribution.from_maps(context, (UndistributedMap(a.ndim), BlockMap(
        bounds[-1], len(targets), bounds)), targets)
    key = pool.new_key()
    pool.run("wrap_piece", Ref(raw), Ref(context.layout(pieces)), targets=targets, out=key)
    pool.free(raw)
    found = redistribute(DistArray._wrap(pieces, np.intp, key),
                         Distribution(context, (a.ndim, bounds[-1]), dist=("n", "b")))
    return tuple(getitem(found, k) for k in range(a.ndim))


@implements(np.flatnonzero)
def flatnonzero(a):
    """Indices of the nonzero elements of the flattened array."""
    return nonzero(ravel(a))[0]
