"""Sorting and set operations on DistArrays: ``sort``, ``argsort``, ``unique``, ...

Arguments are checked on the client by running the NumPy function on tiny
stand-in arrays of the same dtypes (so errors are NumPy's, raised before
anything is sent).  Then:

* **sort / argsort along a distributed axis of a 1-D array, or** ``axis=None``:
  a sample sort (see :mod:`distarray.local.sorting`): local sort, regular
  samples gathered, splitters, one ``Ialltoallv`` of the data (and of the
  global indices for ``argsort``), local merge, then a rebalancing exchange
  (mostly between neighbours) so that the result is an even 1-D block array
  on the input's processes.  ``argsort`` is stable (``kind='stable'``).
* **along an undistributed axis**: local sorts, the result keeps the input's
  distribution.
* **along a distributed axis of an n-D array**: the array is first
  redistributed (one exchange) so that the axis is undistributed, the grid
  moving to the other axes; the result keeps that layout.  Use
  :meth:`DistArray.redistribute` to move it back.
* **unique**: a sample sort of the flattened array, each process
  deduplicates its part, runs that straddle process boundaries are joined;
  ``return_inverse`` sends every element's unique index back to the input's
  layout (one more exchange).  Outputs are even 1-D block arrays.
* **searchsorted**: a NumPy ``v``: every piece counts (one round trip); a
  DistArray ``v``: each value is sent to the piece of ``a`` it falls in and the
  answer comes back (point to point), result laid out like ``v``.
* **quantile / percentile / median** over all axes: the needed order
  statistics are fetched from the sample-sorted array (any method: see
  :mod:`distarray.plan.quantiles`); with ``weights`` (method ``'inverted_cdf'``)
  the sort's permutation orders them, and their cumulative sum, searched for
  ``q``, gives the positions to fetch;
  along some axes: those axes are made undistributed and each worker runs
  NumPy's function (any method; weights are laid out like the array, weights
  along the axes broadcast first), the result is distributed on the remaining
  axes.  ``out=`` (a DistArray or NumPy array of the result's shape) is
  filled from the result, cast unsafely after NumPy's dtype check.
* **histogram / bincount**: per-piece NumPy counts summed on the client
  (NumPy arrays are returned: the result is O(bins)); the bin estimators
  are :func:`.histograms.histogram_bin_edges`'s.
"""

import builtins
import functools
import math
import operator
import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..plan.distribution import Distribution
from ..plan.maps import BlockMap, UndistributedMap, UnstructuredMap
from ..plan.quantiles import quantile_plan
from ..runtime.messages import WORLD, MaybeRef, Ref
from .creation import fromarray
from .darray import DistArray
from .dispatch import implements
from .functions import where
from .indexing import extremes, fields, redistribute
from .reductions import cumsum, deliver
from .shape import broadcast_to, ravel

__all__ = ["argsort", "bincount", "histogram", "median", "percentile", "quantile",
           "searchsorted", "sort", "unique"]


# -- planning helpers -------------------------------------------------------------------
def as_input(x):
    """``x`` if it is a DistArray, else as a NumPy array (checked before it is sent)."""
    return x if isinstance(x, DistArray) else np.asarray(x)


def as_distarray(x):
    """``x`` as a DistArray (a NumPy array is distributed in the default layout)."""
    return x if isinstance(x, DistArray) else fromarray(x)


def tiny_standin(shape, dtype):
    """A tiny array standing for one of ``shape``: 0 where ``shape`` has 0, else 1."""
    return np.zeros(tuple(builtins.min(n, 1) for n in shape), dtype)


def quietly(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with warnings silenced (a dry run on stand-ins)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _plain(m):
    """Whether every owned cell of the map is held once, without padding."""
    if isinstance(m, UnstructuredMap):
        return m.one_to_one
    if isinstance(m, BlockMap):
        return not any(any(pair) for pair in m.padding)
    return True


def _local_axis(m):
    """Whether one process holds the whole axis, in order."""
    return m.grid_size == 1 and m == UndistributedMap(m.size)


def with_plain_maps(a):
    """``a``, or a copy in the default layout if a map has padding or shared cells."""
    if builtins.all(_plain(m) for m in a.distribution.maps):
        return a
    return redistribute(a, a.context.default_distribution(a.shape))


def _monotone(distribution):
    """Whether the owned elements' flat global indices increase in buffer order."""
    return not builtins.any(isinstance(m, UnstructuredMap) and not _local_axis(m)
                            for m in distribution.maps)


def _ordered(distribution):
    """Whether every flat index of a process precedes those of the next process."""
    maps = distribution.maps
    return builtins.all(isinstance(m, BlockMap) for m in maps) and builtins.all(
        m.grid_size == 1 for m in maps[1:])


@functools.lru_cache(maxsize=256)
def _cached_distribution(context, shape, entries, targets):
    """A Distribution made once per arguments (its worker layout is then made once too)."""
    if entries is None:
        return Distribution.from_maps(context, (BlockMap(shape[0], len(targets)),), targets)
    return Distribution(context, shape, dist=entries, targets=targets)


def local_axes_distribution(distribution, axes, shape=None):
    """The layout of ``shape`` (default: the distribution's) with ``axes`` undistributed.

    The grid of the same processes goes to the other axes (chosen as for a
    default distribution); with no other axis, one process holds everything.
    """
    shape = distribution.shape if shape is None else tuple(shape)
    entries = tuple("n" if a in axes else "b" for a in range(len(shape)))
    return _cached_distribution(distribution.context, shape, entries, distribution.targets)


def _with_local_axes(a, axes):
    if builtins.all(_local_axis(a.distribution.maps[axis]) for axis in axes):
        return a
    return redistribute(a, local_axes_distribution(a.distribution, axes))


class _SortedParts:
    """The parts of a sample sort left on the workers (irregular 1-D blocks)."""

    def __init__(self, context, key, distribution, sizes):
        self.context, self.key, self.targets = context, key, distribution.targets
        self.bounds = [0, *np.cumsum(sizes).tolist()]
        self.distribution = Distribution.from_maps(
            context, (BlockMap(self.bounds[-1], len(sizes), self.bounds),), self.targets)

    def __del__(self):
        self.context.pool.free(self.key)

    def wrap(self, name, dtype):
        """The part ``name`` of every process, as one irregular block DistArray."""
        pool = self.context.pool
        key = pool.new_key()
        pool.run("sorted_part", Ref(self.key), name, Ref(self.context.layout(self.distribution)),
                 targets=self.targets, out=key)
        return DistArray._wrap(self.distribution, dtype, key)


def _sample_sort(a, mode, balanced=True):
    """Sample sort of ``a``'s elements, flattened (see the module docstring).

    Returns an even block DistArray of the values (``sort``) or flat indices
    (``argsort``), or, unbalanced, the :class:`_SortedParts`.
    """
    a = with_plain_maps(a)
    dist, context = a.distribution, a.context
    pool = context.pool
    counts = [math.prod(s) for s in dist.owned_shapes()]
    args = (Ref(a.key), counts, mode, _monotone(dist), _ordered(dist))
    if balanced:
        result = _cached_distribution(context, (a.size,), None, dist.targets)
        key = pool.new_key()
        pool.run("sample_sort", *args, Ref(context.layout(result)), targets=dist.targets,
                 out=key)
        return DistArray._wrap(result, a.dtype if mode == "sort" else np.intp, key)
    key = pool.new_key()
    pool.run("sample_sort", *args, targets=dist.targets, out=key)
    sizes = pool.run("sorted_part_size", Ref(key), targets=dist.targets)
    return _SortedParts(context, key, dist, [sizes[t] for t in dist.targets])


def _check_sort(a, kind, order, stable):
    quietly(np.sort, np.zeros(1, a.dtype), kind=kind, order=order, stable=stable)


def _by_order(a, order):
    """``a`` with its fields in the order ``sort(..., order=order)`` compares them.

    NumPy compares the fields named in ``order`` first, then the others in
    their own order: a multi-field view listing them so sorts the same way.
    """
    if order is None:
        return a
    order = [order] if isinstance(order, str) else list(order)
    return fields(as_distarray(a), order + [n for n in a.dtype.names if n not in order])


def _sort(a, axis, mode, balance):
    if axis is not None:
        axis = normalize_axis_index(operator.index(axis), a.ndim)
    a = as_distarray(a)
    if axis is None or a.ndim == 1 and not _local_axis(a.distribution.maps[0]):
        if balance:
            return _sample_sort(a, mode)
        parts = _sample_sort(a, mode, balanced=False)
        return parts.wrap("values" if mode == "sort" else "indices",
                          a.dtype if mode == "sort" else np.intp)
    a = _with_local_axes(a, (axis,))
    dtype = a.dtype if mode == "sort" else np.dtype(np.intp)
    return a._derive("sort_along", Ref(a.context.layout(a.distribution)), axis, mode, dtype,
                     dtype=dtype)


# -- sort, argsort ----------------------------------------------------------------------
@implements(np.sort)
def sort(a, axis=-1, kind=None, order=None, *, stable=None, balance=True):
    """A sorted copy of ``a``, as :func:`numpy.sort` (NaN last; see the module docstring).

    The result of a distributed 1-D sort (or ``axis=None``) is an even block
    array on the input's processes; with ``balance=False`` its blocks keep
    the irregular sizes the sample sort gave (one exchange fewer).
    """
    a = as_input(a)
    _check_sort(a, kind, order, stable)
    result = _sort(_by_order(a, order), axis, "sort", balance)
    return result if order is None else result.view(a.dtype)


@implements(np.argsort)
def argsort(a, axis=-1, kind=None, order=None, *, stable=None, balance=True):
    """Indices that sort ``a`` along ``axis``, as :func:`numpy.argsort` with ``kind='stable'``.

    ``balance`` as for :func:`sort`.  A 0-d array is taken as 1-d, as NumPy takes it.
    """
    a = as_input(a)
    _check_sort(a, kind, order, stable)
    if a.ndim == 0:  # as NumPy's argsort: a 0-d array is sorted as a 1-d one
        if axis is not None:
            normalize_axis_index(operator.index(axis), 1)
        a = a.reshape(1)
    return _sort(_by_order(a, order), axis, "argsort", balance)


# -- unique -----------------------------------------------------------------------------
@implements(np.unique)
def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):  # noqa: A002 - NumPy's name
    """The sorted unique elements of ``ar``, as :func:`numpy.unique`.

    Returns DistArrays (even 1-D blocks; the inverse has ``ar``'s shape and
    layout).  With ``axis``: the unique slices along it (see
    :mod:`.unique_slices`), the index arrays 1-D.
    """
    a = as_input(ar)
    quietly(np.unique, tiny_standin(a.shape, a.dtype), return_index, return_inverse,
            return_counts, axis=axis, equal_nan=equal_nan, sorted=sorted)
    if axis is not None:
        from .unique_slices import unique_slices  # (a module built on this one)

        return unique_slices(as_distarray(a), axis, (return_index, return_inverse,
                                                     return_counts), equal_nan, sorted)
    a = with_plain_maps(as_distarray(a))
    context = a.context
    pool = context.pool
    parts = _sample_sort(a, "argsort" if return_index or return_inverse else "sort",
                         balanced=False)
    key = pool.new_key()
    pool.run("unique_part", Ref(parts.key), bool(return_index), bool(return_inverse),
             bool(return_counts), bool(equal_nan), Ref(context.layout(a.distribution)),
             a.distribution.maps, targets=parts.targets, out=key)
    sizes = pool.run("unique_size", Ref(key), targets=parts.targets)
    found = _SortedParts(context, key, parts.distribution,
                         [sizes[t] for t in parts.targets])
    even = context.default_distribution((found.bounds[-1],))
    results = [redistribute(found.wrap("values", a.dtype), even)]
    if return_index:
        results.append(redistribute(found.wrap("index", np.intp), even))
    if return_inverse:
        inverse = pool.new_key()
        pool.run("sorted_part", Ref(key), "inverse", None, targets=parts.targets, out=inverse)
        results.append(DistArray._wrap(a.distribution, np.intp, inverse))
    if return_counts:
        results.append(redistribute(found.wrap("counts", np.intp), even))
    return results[0] if len(results) == 1 else tuple(results)


# -- searchsorted -----------------------------------------------------------------------
@implements(np.searchsorted)
def searchsorted(a, v, side="left", sorter=None):
    """Insertion points of ``v`` in the sorted 1-D DistArray ``a``, as :func:`numpy.searchsorted`.

    ``v`` a NumPy array (or scalar): a NumPy result.  ``v`` a DistArray: a
    DistArray laid out like ``v``.  ``sorter`` is applied by indexing
    (``a[sorter]``) first.
    """
    a = as_input(a)
    distributed = isinstance(v, DistArray)
    probe_v = np.zeros(0, v.dtype) if distributed else np.asarray(v)
    quietly(np.searchsorted, tiny_standin(a.shape, a.dtype), probe_v, side=side)
    if distributed and isinstance(a, DistArray) and v.context is not a.context:
        raise ValueError("the DistArrays of one operation must belong to the same context")
    if not isinstance(a, DistArray):
        if not distributed:
            return np.searchsorted(a, v, side, sorter)
        a = fromarray(a, context=v.context)
    if sorter is not None:
        a = a[sorter]
    a = with_plain_maps(a)
    pool = a.context.pool
    if not distributed:
        v = np.asarray(v)
        counts = pool.run("searchsorted_counts", Ref(a.key), v, side,
                          _monotone(a.distribution), targets=a.targets)
        total = np.sum([counts[t] for t in a.targets], axis=0, dtype=np.intp)
        return total[()] if v.ndim == 0 else total
    if not _ordered(a.distribution):
        a = redistribute(a, a.context.default_distribution(a.shape))
    info = pool.run("searchsorted_first", Ref(a.key), targets=a.targets)
    holders, firsts, offsets, start = [], [], [], 0
    for t in a.targets:
        n, first = info[t]
        if n:
            holders.append(t)
            firsts.append(first)
            offsets.append(start)
            start += n
    dtype = np.result_type(a.dtype, v.dtype)
    key = pool.new_key()
    pool.run("searchsorted_routed", Ref(WORLD), MaybeRef(a.key), MaybeRef(v.key), a.targets,
             v.targets, np.array(firsts, dtype), tuple(holders), offsets, side, dtype,
             MaybeRef(v.context.layout(v.distribution)),
             targets=tuple(sorted({*a.targets, *v.targets})), out=key, tag=True)
    return DistArray._wrap(v.distribution, np.intp, key)


# -- quantiles --------------------------------------------------------------------------
def _reduced_axes(axis, ndim):
    """The reduced axes as a sorted tuple (all of them for None)."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _along(a, function, q, axes, keepdims, kwargs, probe, weights=None):
    """``function`` along some ``axes``, by each worker on its pieces (the axes made local).

    ``weights``: a DistArray of ``a``'s shape (brought to its layout).
    """
    a = _with_local_axes(a, axes)
    weights = laid_out_like(weights, a)
    maps = [UndistributedMap(1) if axis in axes else m
            for axis, m in enumerate(a.distribution.maps) if keepdims or axis not in axes]
    qshape = () if q is None else np.shape(q)
    maps = [UndistributedMap(n) for n in qshape] + maps
    result = Distribution.from_maps(a.context, maps, a.distribution.targets)
    key = a.context.pool.new_key()
    a._run("quantile_along", Ref(a.context.layout(result)), function, q, axes,
           dict(kwargs, keepdims=keepdims), None if weights is None else Ref(weights.key),
           probe.dtype, out=key)
    return DistArray._wrap(result, probe.dtype, key)


def _order_statistics(a, positions):
    """The values at sorted flat ``positions`` of ``a`` (a NumPy array)."""
    return _picked(_sample_sort(a, "sort", balanced=False), positions, a.dtype)


def _picked(parts, positions, dtype):
    """The values at ``positions`` of the sorted ``parts`` (a NumPy array of ``dtype``)."""
    positions = np.asarray(positions, np.int64)
    out = np.empty(len(positions), dtype)
    picked = parts.context.pool.run("pick_sorted", Ref(parts.key), parts.bounds, positions,
                                    targets=parts.targets)
    for found, values in picked.values():
        out[found] = values
    return out


def _lerp(a, b, t):
    """NumPy's linear interpolation of quantiles (the same operations)."""
    diff = b - a
    result = np.asanyarray(np.add(a, diff * t))
    np.subtract(b, diff * (1 - t), out=result, where=t >= 0.5, casting="unsafe",
                dtype=type(result.dtype))
    return result


def _flat_quantile(a, q, method, weak, probe, keepdims, count=None):
    """Quantiles (fractions ``q``) of all of ``a`` by ``method`` (a NumPy result).

    ``count``: the quantiles of the ``count`` smallest elements only (those
    that are not NaN: NaNs sort last), without NaN propagation.
    """
    n = a.size if count is None else count
    q = np.asanyarray(q)
    plan = quantile_plan(method, n, q)
    positions = plan.positions(n)
    values = _order_statistics(a, positions)

    def at(index):
        return values[np.searchsorted(positions, index % n)]

    if plan.gamma is None:
        result = at(plan.previous)
    else:
        with np.errstate(invalid="ignore"):
            result = _lerp(at(plan.previous), at(plan.following),
                           float(plan.gamma[0]) if weak else plan.gamma)
    result = _finished(result, values[-1], count is None, q.shape, probe, keepdims, a.ndim)
    return result[()] if result.ndim == 0 and not keepdims else result


def _missing(last):
    """Whether the ``last`` sorted value is NaN (or NaT): NumPy's quantiles then give it."""
    last = np.asarray(last)
    if last.dtype.kind in "mM":
        return bool(np.isnat(last))
    return last.dtype.kind in "fc" and bool(np.isnan(last))


def _finished(result, last, propagate, qshape, probe, keepdims, ndim):
    """The quantiles ``result`` (flat) as an array of NumPy's dtype and shape; NaN (NaT)
    where NumPy propagates one (``propagate`` and the ``last`` sorted value NaN)."""
    if propagate and _missing(last):
        result = np.full(result.shape, last)
    return np.asarray(result, probe.dtype).reshape(qshape + (1,) * ndim * bool(keepdims))


def _weighted_flat_quantile(a, q, weights, probe, keepdims, count=None):
    """Quantiles of all of ``a`` by method 'inverted_cdf' with ``weights`` (like ``a``).

    The permutation of the sample sort brings the weights into sorted order;
    their cumulative sum, scaled to end at 1, is the empirical distribution
    function, and the first element where it reaches ``q`` is the quantile
    (NumPy's rule, zero weights at the start skipped).  ``count`` as for
    :func:`_flat_quantile`.
    """
    n = a.size if count is None else count
    q = np.asanyarray(q)
    parts = _sample_sort(a, "argsort", balanced=False)
    cdf = cumsum(ravel(weights)[parts.wrap("indices", np.intp)], dtype=np.float64)[:n]
    total = cdf[n - 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        if np.isnan(total / total):
            raise ValueError("Weights included NaN, inf or were all zero.")
    cdf = cdf / total
    if q.dtype.kind == "f":
        cdf = cdf.astype(q.dtype)
    if cdf[0] == 0:
        cdf = where(cdf == 0, -1, cdf)
    index = np.minimum(searchsorted(cdf, q.reshape(-1)), n - 1)
    positions = np.unique(np.append(index, a.size - 1))
    values = _picked(parts, positions, a.dtype)
    result = values[np.searchsorted(positions, index)]  # a 0-d array for a scalar q, as NumPy
    propagated = count is None and _missing(values[-1])
    result = _finished(result, values[-1], count is None, q.shape, probe, keepdims, a.ndim)
    return result[()] if propagated and result.ndim == 0 else result  # NumPy's NaN: a scalar


def quantile_function(function, a, q, axis, out, method, keepdims, weights, interpolation):
    """``numpy.<function>`` (quantile, percentile or their NaN-ignoring twins) of ``a``."""
    a = as_input(a)
    if interpolation is not None:
        raise NotImplementedError("distarray.%s does not support interpolation=" % function)
    options = {"method": method, "keepdims": keepdims}
    if weights is not None:
        weights = as_input(weights)
        options["weights"] = _weights_standin(a, weights, axis)
    probe = _probe(function, a, (q,), axis, options, out)
    axes = _reduced_axes(axis, a.ndim)
    if weights is not None:
        a, weights = _distributed_weights(a, weights, axis)
    a = as_distarray(a)
    count = _not_nan_count(function, a) if len(axes) == a.ndim else None
    fractions = np.true_divide(q, 100) if function.endswith("percentile") else q
    if len(axes) < a.ndim and a.size == 0:
        if weights is not None:
            options["weights"] = np.ones(weights.shape, weights.dtype)
        result = _of_empty(function, a, (q,), axis, options)
    elif len(axes) < a.ndim:
        result = _along(a, function, q, axes, keepdims, {"method": method}, probe, weights)
    elif (a.size if count is None else count) == 0:
        result = _on_standin(function, a, q, **options)
    elif weights is not None:
        result = _weighted_flat_quantile(a, fractions, weights, probe, keepdims, count)
    else:
        weak = type(q) in (int, float)  # NumPy's weak promotion of a Python q
        result = _flat_quantile(a, fractions, method, weak, probe, keepdims, count)
    return deliver(result, out)


def _probe(function, a, args, axis, options, out):
    """NumPy's ``function`` of a stand-in of ``a`` (its result dtype, its errors); NumPy's
    errors for ``out`` too (which must have the result's shape)."""
    standin = tiny_standin(a.shape, a.dtype)
    probe = np.asarray(quietly(getattr(np, function), standin, *args, axis=axis, **options))
    if out is None:
        return probe
    if not isinstance(out, (DistArray, np.ndarray)):
        raise TypeError("out= must be a DistArray or a NumPy array (got %s)"
                        % type(out).__name__)
    axes = _reduced_axes(axis, a.ndim)
    shape = np.shape(args[0]) if args else ()
    shape += tuple(1 if i in axes else n for i, n in enumerate(a.shape)
                   if options["keepdims"] or i not in axes)
    if out.shape != shape:
        raise ValueError("out has shape %s, the result of %s has shape %s"
                         % (out.shape, function, shape))
    quietly(getattr(np, function), standin, *args, axis=axis,
            out=np.empty(probe.shape, out.dtype), **options)
    return probe


def _weights_standin(a, weights, axis):
    """A stand-in of ``weights`` for the probe, for which NumPy raises what it would raise."""
    standin = tiny_standin(a.shape, a.dtype)
    if weights.shape == a.shape:
        return np.ones(standin.shape, weights.dtype)
    if axis is not None:
        axes = normalize_axis_tuple(axis, a.ndim, argname="axis")
        if weights.shape == tuple(a.shape[ax] for ax in axes):
            return np.ones(tuple(standin.shape[ax] for ax in axes), weights.dtype)
    return np.ones((2,) * (a.ndim + 1), weights.dtype)  # a shape of no axes of a


def broadcast_weights(wgt, shape, axis):
    """``wgt`` reshaped to broadcast against an array of ``shape`` (NumPy's rules).

    ``axis``: None, an int or a tuple of them (the axes ``wgt`` lies along,
    when its shape is not ``shape``).
    """
    if wgt.shape == tuple(shape):
        return wgt
    if axis is None:
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    axis = normalize_axis_tuple(axis, len(shape), argname="axis")
    if wgt.shape != tuple(shape[ax] for ax in axis):
        raise ValueError("Shape of weights must be consistent with shape of a along "
                         "specified axis.")
    wgt = wgt.transpose(tuple(np.argsort(axis)))
    return wgt.reshape(tuple(s if ax in axis else 1 for ax, s in enumerate(shape)))


def _distributed_weights(a, weights, axis):
    """``(a, weights)`` as DistArrays of one context, ``weights`` of ``a``'s shape.

    Weights along the reduced ``axis`` are broadcast along the others;
    NumPy's error for a negative weight.
    """
    context = next((x.context for x in (a, weights) if isinstance(x, DistArray)), None)
    a = a if isinstance(a, DistArray) else fromarray(a, context=context)
    if weights.shape != a.shape:
        weights = broadcast_to(broadcast_weights(weights, a.shape, axis), a.shape,
                               context=a.context)
    elif not isinstance(weights, DistArray):
        weights = fromarray(weights, context=context)
    if np.any(weights < 0):
        raise ValueError("Weights must be non-negative.")
    return a, weights


def _not_nan_count(function, a):
    """How many elements a NaN-ignoring ``function`` uses (None: NaNs are not ignored)."""
    if not function.startswith("nan"):
        return None
    if not np.issubdtype(a.dtype, np.inexact):
        return a.size
    return a.size - int(np.count_nonzero(np.isnan(a)))


def _of_empty(function, a, args, axis, options):
    """NumPy's ``function`` of an array like ``a``, which is empty (NumPy's shape: its
    NaN-ignoring quantiles then ignore ``q``), as a DistArray."""
    found = getattr(np, function)(np.empty(a.shape, a.dtype), *args, axis=axis, **options)
    return fromarray(found, context=a.context)


def _on_standin(function, a, q, **kwargs):
    """NumPy's ``function`` of an all-NaN (or empty) array like ``a``: its result and warnings."""
    standin = tiny_standin(a.shape, a.dtype)
    if standin.size:
        standin[...] = np.nan
    return getattr(np, function)(standin, *(() if q is None else (q,)), **kwargs)


@implements(np.quantile)
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None, interpolation=None):
    """The ``q``-th quantiles of ``a``, as :func:`numpy.quantile` (see the module docstring)."""
    return quantile_function("quantile", a, q, axis, out, method, keepdims, weights,
                             interpolation)


@implements(np.percentile)
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None, interpolation=None):
    """The ``q``-th percentiles of ``a``, as :func:`numpy.percentile`."""
    return quantile_function("percentile", a, q, axis, out, method, keepdims, weights,
                             interpolation)


@implements(np.median)
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median of ``a``, as :func:`numpy.median`."""
    return median_function("median", a, axis, out, keepdims)


def median_function(function, a, axis, out, keepdims):
    """``numpy.<function>`` (median or nanmedian) of ``a``."""
    a = as_input(a)
    probe = _probe(function, a, (), axis, {"keepdims": keepdims}, out)
    axes = _reduced_axes(axis, a.ndim)
    a = as_distarray(a)
    count = _not_nan_count(function, a) if len(axes) == a.ndim else None
    if len(axes) < a.ndim and a.size == 0:
        result = _of_empty(function, a, (), axis, {"keepdims": keepdims})
    elif len(axes) < a.ndim:
        result = _along(a, function, None, axes, keepdims, {}, probe)
    elif (a.size if count is None else count) == 0:
        result = _on_standin(function, a, None, axis=axis, keepdims=keepdims)
    else:
        result = _flat_median(a, keepdims, count)
    return deliver(result, out)


def _flat_median(a, keepdims, count=None):
    """The median of all of ``a`` (not empty), a NumPy scalar or array for ``keepdims``.

    ``count``: the median of the ``count`` smallest elements only (those that
    are not NaN: NaNs sort last), without NaN propagation.
    """
    n = a.size if count is None else count
    middle = [n // 2 - 1, n // 2] if n % 2 == 0 else [(n - 1) // 2]
    values = _order_statistics(a, sorted({*middle, n - 1}))
    lookup = dict(zip(sorted({*middle, n - 1}), values))
    result = np.mean(np.array([lookup[i] for i in middle], a.dtype))
    if count is None and _missing(lookup[n - 1]):
        result = np.asarray(lookup[n - 1]).astype(result.dtype)[()]
    if keepdims:
        return np.asarray(result).reshape((1,) * a.ndim)
    return result


# -- histogram, bincount ----------------------------------------------------------------
def laid_out_like(w, a):
    """``w`` (array_like or DistArray) laid out like ``a``."""
    if w is None:
        return None
    if not isinstance(w, DistArray):
        return fromarray(np.asarray(w), distribution=a.distribution)
    if w.distribution.is_compatible(a.distribution):
        return w
    return redistribute(w, a.distribution)


def histogram_input(a, stacklevel):
    """``a`` (a DistArray) as uint8 if boolean, with NumPy's warning (as its histograms do)."""
    if a.dtype != np.bool_:
        return a
    warnings.warn("Converting input from bool to <class 'numpy.uint8'> for compatibility.",
                  RuntimeWarning, stacklevel=stacklevel + 1)
    return a.astype(np.uint8)


def _sum_pieces(results, targets):
    pieces = [results[t] for t in targets]
    length = builtins.max(len(p) for p in pieces)
    total = np.zeros(length, np.result_type(*pieces))
    for p in pieces:
        total[:len(p)] += p
    return total


@implements(np.histogram)
def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """The histogram of ``a``, as :func:`numpy.histogram` (NumPy arrays are returned).

    ``bins`` is a number of bins, the bin edges or the name of a bin
    estimator (see :func:`.histograms.histogram_bin_edges`); ``weights`` an
    array_like or DistArray of ``a``'s shape.
    """
    a = as_input(a)
    w_shape = None if weights is None else np.shape(weights)
    if w_shape is not None and w_shape != a.shape:
        raise ValueError("weights should have the same shape as a.")
    w_dtype = None if weights is None else (weights.dtype if isinstance(weights, DistArray)
                                            else np.asarray(weights).dtype)
    quietly(np.histogram, tiny_standin(a.shape, a.dtype), bins=bins, range=range,
             weights=None if weights is None else tiny_standin(w_shape, w_dtype))
    a = histogram_input(as_distarray(a), 4)
    if isinstance(bins, str):
        from .histograms import histogram_bin_edges  # (a module built on this one)

        bins = histogram_bin_edges(a, bins, range)
    a = with_plain_maps(a)
    weights = laid_out_like(weights, a)
    pool = a.context.pool
    if np.ndim(bins) == 0:
        if range is None:
            found = extremes([a], a.dtype)
            lo, hi = found[:, 0] if found.size else (0, 1)
            if not (np.isfinite(lo) and np.isfinite(hi)):
                raise ValueError(f"autodetected range of [{lo}, {hi}] is not finite")
            range = (lo, hi)
        edges = np.histogram(np.zeros(0, a.dtype), bins=bins, range=range)[1]
    else:
        edges = np.asarray(bins)
    counts = pool.run("histogram_piece", Ref(a.key),
                      None if weights is None else Ref(weights.key), bins, range,
                      targets=a.targets)
    hist = np.sum([counts[t] for t in a.targets], axis=0)
    if density:
        widths = np.array(np.diff(edges), float)
        return hist / widths / hist.sum(), edges
    return hist, edges


@implements(np.bincount)
def bincount(x, weights=None, minlength=0):
    """Occurrences of each non-negative integer in ``x``, as :func:`numpy.bincount`."""
    x = as_input(x)
    w_shape = None if weights is None else np.shape(weights)
    w_dtype = None if weights is None else (weights.dtype if isinstance(weights, DistArray)
                                            else np.asarray(weights).dtype)
    probe_x = tiny_standin(x.shape, x.dtype)
    probe_w = None if weights is None else (
        tiny_standin(w_shape, w_dtype) if w_shape == x.shape else np.zeros(len(probe_x) + 1))
    quietly(np.bincount, probe_x, probe_w, minlength=minlength)
    x = with_plain_maps(as_distarray(x))
    weights = laid_out_like(weights, x)
    results = x.context.pool.run("bincount_piece", Ref(x.key),
                                 None if weights is None else Ref(weights.key), targets=x.targets)
    if builtins.any(r is None for r in results.values()):
        raise ValueError("'list' argument must have no negative elements")
    total = _sum_pieces(results, x.targets)
    if len(total) < minlength:
        total = np.concatenate([total, np.zeros(minlength - len(total), total.dtype)])
    return total
