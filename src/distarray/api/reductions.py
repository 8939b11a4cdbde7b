"""Reductions and scans of DistArrays: ``sum``, ``mean``, ``std``, ``argmax``, ``cumsum`` ...

Every function first runs NumPy's own function on *stand-ins*: arrays of the
input's dtype whose axes have length 0 where the input's have, else 1.  So the
result dtype and every error NumPy raises (bad axis, zero-size reduction
without identity, dtype or ``out=`` casting, ``ddof`` with ``correction``) are
NumPy's, raised on the client before anything is sent.

One command does the work, in one round trip:

* **full reductions** (0-d result): each worker returns the small partial of
  its piece and the client combines them with NumPy, returning a NumPy scalar
  of NumPy's result type;
* **axis reductions**: partials are combined point to point along the lines
  of the process grid that cross the reduced grid axes; the result lives on
  the processes with coordinate 0 on those axes, distributed like the input on
  the remaining axes (``keepdims`` axes become length-1 undistributed axes),
  and only O(result) bytes move;
* **scans** (``cumsum``, ``ufunc.accumulate``): local scans, offset by the
  totals of the pieces before them along the axis.  A scan along a cyclic or
  unstructured axis first redistributes the array to blocks along that axis
  (in the same command), and the result keeps that block layout; with
  ``axis=None`` the array is flattened first (:func:`distarray.ravel`).

``mean``/``var``/``std`` combine ``(count, mean, M2)`` partials with the
pairwise formula of Chan et al.; floating-point sums are combined in another
order than NumPy's pairwise summation, so the last bits may differ.
"""

import builtins
import functools
import warnings
import weakref

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from ..local import reductions as kernels
from ..plan.distribution import Distribution
from ..plan.maps import BlockMap, UndistributedMap
from ..runtime.messages import DATA, WORLD, MaybeRef, Ref
from .creation import check_dtype, empty
from .darray import DistArray
from .dispatch import implements
from .indexing import setitem
from . import fusion
from .ufuncs import DryRuns, as_mask, assign, context_of, is_scalar, operand_spec

_NoValue = np._NoValue

__all__ = [
    "all", "amax", "amin", "any", "argmax", "argmin", "count_nonzero", "cumprod", "cumsum",
    "cumulative_prod", "cumulative_sum", "max", "mean", "min", "nanargmax", "nanargmin",
    "nanmax", "nanmean", "nanmin", "nanprod", "nanstd", "nansum", "nanvar", "prod", "ptp",
    "std", "sum", "ufunc_accumulate", "ufunc_reduce", "var",
]


# -- planning (client side) ---------------------------------------------------------
#: Dry-run results (the result dtype) by function, stand-in and arguments.
_DRY_RUNS = DryRuns()


def _dry_run(function, a, kwargs, where=None, out=None):
    """The result dtype of NumPy's ``function`` on stand-ins (raises NumPy's errors).

    A stand-in has the input's dtype and, per axis, length 0 where the
    input's is 0, else 1.  ``where`` (the mask operand, or None) and ``out``
    (or None) are replaced by stand-ins too.  Successful runs are
    remembered, so that repeating an operation on same-typed arrays costs a
    dictionary look-up.
    """
    shape = tuple(builtins.min(n, 1) for n in a.shape)
    where_key = (type(where), where) if where is None or is_scalar(where) else \
        (tuple(builtins.min(n, 1) for n in where.shape), where.dtype)

    def run():
        arguments = kwargs if where is None else dict(
            kwargs, where=where if is_scalar(where) else np.ones(where_key[0], where.dtype))
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            probe = np.asarray(function(np.zeros(shape, a.dtype), **arguments))
            if out is not None:
                function(np.zeros(shape, a.dtype), out=np.zeros(probe.shape, out.dtype),
                         **arguments)
        return probe.dtype

    key = (function, a.dtype, shape, tuple((k, type(v), v) for k, v in kwargs.items()),
           where_key, None if out is None else out.dtype)
    return _DRY_RUNS.remembered(key, run)


def _where_operand(where, shape):
    """``where`` as a DistArray, scalar or ndarray broadcastable to ``shape`` (None: all)."""
    if where is True or where is _NoValue:
        return None
    where = as_mask(where)
    if not is_scalar(where):
        if np.broadcast_shapes(where.shape, shape) != shape:
            raise ValueError("operands could not be broadcast together with remapped shapes "
                             "[original->remapped]: %s %s" % (shape, where.shape))
    return where


def _axes(axis, ndim):
    """The reduced axes, sorted (all of them for ``axis=None``; none for 0-d arrays)."""
    if ndim == 0:
        return ()
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _result_shape(shape, axes, keepdims):
    if keepdims:
        return kernels.kept_shape(shape, axes)
    return tuple(n for a, n in enumerate(shape) if a not in axes)


_derived = {}


def _derived_distribution(distribution, key, build):
    """``build()``, cached for the lifetime of ``distribution`` under ``key``.

    Derived distributions keep their worker-side layouts, so repeating an
    operation costs no extra command.
    """
    table = _derived.get(id(distribution))
    if table is None:
        table = _derived[id(distribution)] = {}
        weakref.finalize(distribution, _derived.pop, id(distribution), None)
    if key not in table:
        table[key] = build()
    return table[key]


def reduced_distribution(distribution, axes, keepdims):
    """Where an axis reduction's result lives.

    On the processes with grid coordinate 0 on the reduced axes, with the
    input's maps on the remaining axes (length-1 undistributed maps in place of
    the reduced axes if ``keepdims``).
    """
    def build():
        maps = [UndistributedMap(1) if a in axes else m
                for a, m in enumerate(distribution.maps) if keepdims or a not in axes]
        return Distribution.from_maps(distribution.context, maps, _roots(distribution, axes))

    return _derived_distribution(distribution, ("reduce", axes, keepdims), build)


def _roots(distribution, axes):
    """The workers with grid coordinate 0 on ``axes``, in grid order."""
    return [t for i, t in enumerate(distribution.targets)
            if builtins.all(distribution.coords(i)[a] == 0 for a in axes)]


def _in_order(m):
    """Whether a map lays its axis out in global order: block-like, rank after rank."""
    if isinstance(m, BlockMap):
        return True
    stop = 0
    for r in range(m.grid_size):
        s = m.global_slice(r)
        if s is None or s.start != stop or (s.step != 1 and s.stop - s.start > 1):
            return False
        stop = builtins.max(stop, s.stop)
    return True


def scan_distribution(distribution, axis):
    """The layout a scan along ``axis`` runs on and returns: ``axis`` made block.

    Axes laid out in global order (block, undistributed, cyclic on one
    process ...) keep the input's distribution; the others (cyclic,
    unstructured) are replaced by an even block map over the same grid.
    """
    m = distribution.maps[axis]
    if _in_order(m):
        return distribution

    def build():
        maps = list(distribution.maps)
        maps[axis] = BlockMap(m.size, m.grid_size)
        return Distribution.from_maps(distribution.context, maps, distribution.targets)

    return _derived_distribution(distribution, ("scan", axis), build)


def _splittable(op, a, axes):
    """``a``, or a copy with ``axes`` undistributed if ``op`` cannot be split into pieces.

    ``op`` None stands for a scan by a non-associative ufunc.  The copy lives
    on the processes with coordinate 0 on the distributed ``axes``.
    """
    if op is not None and _associative(op):
        return a
    dist = a.distribution
    if builtins.all(dist.grid_shape[ax] == 1 for ax in axes):
        return a
    from .indexing import redistribute

    def build():
        maps = [UndistributedMap(m.size) if ax in axes else m for ax, m in enumerate(dist.maps)]
        return Distribution.from_maps(dist.context, maps, _roots(dist, axes))

    return redistribute(a, _derived_distribution(dist, ("gather", axes), build))


def _check_out_type(out):
    if not isinstance(out, DistArray):
        raise TypeError("out= must be a DistArray when the input is distributed (got %s)"
                        % type(out).__name__)


def _out_spec(out, result):
    """The worker-side spec of a DistArray ``out=`` for a result laid out as ``result``."""
    if out.distribution.is_compatible(result):
        return ("local", MaybeRef(out.key))
    return ("gather", MaybeRef(out.key), out.distribution.maps, out.targets)


def _check_out_shape(out, shape, what):
    if len(out.shape) != len(shape):
        raise ValueError("output parameter for reduction operation %s has the wrong number of "
                         "dimensions: Found %d but expected %d" % (what, len(out.shape),
                                                                   len(shape)))
    if tuple(out.shape) != shape:
        raise ValueError("output parameter for reduction operation %s has the wrong shape: "
                         "Found %s but expected %s" % (what, out.shape, shape))


def unwrap_out(out):
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry")
        return out[0]
    return out


def deliver(result, out):
    """``result``, or ``out`` after copying ``result`` into it."""
    out = unwrap_out(out)
    if out is None:
        return result
    if isinstance(out, DistArray):
        assign(out, result)
    else:
        np.copyto(out, result.toarray() if isinstance(result, DistArray) else result,
                  casting="unsafe")
    return out


# -- running a reduction ------------------------------------------------------------
def _reduce(function, a, op, axis, out, keepdims, where=True, what="reduce", **kwargs):
    """Validate ``function(a, axis=axis, ...)`` with NumPy, then reduce with ``op``.

    ``kwargs`` are the other NumPy arguments (``_NoValue`` ones are left out).
    """
    out = unwrap_out(out)
    if out is not None and not isinstance(out, (DistArray, np.ndarray)):
        raise TypeError("out= must be a DistArray (got %s)" % type(out).__name__)
    if isinstance(a, fusion.Traced):
        if a.array is None and out is None and where in (True, _NoValue) and not isinstance(
                op, kernels.ArgReduction) and len(_axes(axis, a.ndim)) == a.ndim and (
                keepdims is _NoValue or not keepdims) and _associative(op):
            return _fused(function, a, op, axis, kwargs)
        a = a.compute()
    where = _where_operand(where, a.shape)
    context = context_of([x for x in (a, out, where) if isinstance(x, DistArray)])
    kwargs = {k: v for k, v in kwargs.items() if v is not _NoValue}
    kwargs["axis"] = axis
    if keepdims is not _NoValue:
        kwargs["keepdims"] = keepdims
    dtype = check_dtype(_dry_run(function, a, kwargs, where))
    keepdims = keepdims is not _NoValue and builtins.bool(keepdims)
    axes = _axes(axis, a.ndim)
    shape = _result_shape(a.shape, axes, keepdims)
    if out is not None:  # as NumPy: out's shape first, then its dtype's casting
        _check_out_shape(out, shape, what)
        if shape:
            _check_out_type(out)
        _dry_run(function, a, kwargs, where, out)
        dtype = out.dtype
    a = _splittable(op, a, axes)
    dist = a.distribution
    pieces = {rank: [] for rank in dist.targets}
    spec, sources = (None, ()) if where is None else operand_spec(where, dist, pieces)
    run = functools.partial(context.pool.run, "reduce_array", Ref(WORLD), Ref(DATA),
                            MaybeRef(a.key), dist.maps, dist.targets, op, axes, spec,
                            send={r: p for r, p in pieces.items() if p}, tag=True)
    participants = set(dist.targets) | set(sources)
    if not shape:
        replies = run(None, targets=sorted(participants))
        value = _combined(op, replies, dist.targets, dtype, out is not None)
        if out is None:
            return value[()]
        if isinstance(out, DistArray):
            out._run("fill", value[()])
        else:
            np.copyto(out, value, casting="unsafe")
        return out
    result = reduced_distribution(dist, axes, keepdims)
    out_spec = None if out is None else _out_spec(out, result)
    if out_spec is not None and out_spec[0] == "gather":
        participants |= set(out.targets)
    key = context.pool.new_key() if out is None else None
    run((MaybeRef(context.layout(result)), result.maps, result.targets, dtype, out_spec,
         out is not None), targets=sorted(participants), out=key)
    return out if out is not None else DistArray._wrap(result, dtype, key)


def _combined(op, replies, targets, dtype, out_given=False):
    """The full reduction by ``op`` of the workers' packed partials ``replies``."""
    partials = [kernels.unpack(replies[r]) for r in targets if replies.get(r) is not None]
    combined = functools.reduce(op.combine, partials) if partials else None
    return op.finish(combined, (), dtype, out_given)


def _associative(op):
    """Whether ``op``'s partials of pieces may be combined in any grouping."""
    return not isinstance(op, kernels.UfuncReduction) or op.ufunc in kernels.ASSOCIATIVE


def _fused(function, a, op, axis, kwargs):
    """The full reduction by ``op`` of traced value ``a``, its chunks reduced as computed."""
    kwargs = {k: v for k, v in kwargs.items() if v is not _NoValue}
    kwargs["axis"] = axis
    dtype = check_dtype(_dry_run(function, a, kwargs))
    context, base, destination, specs, steps, targets = fusion.plan(a)
    with a.tracing.computing_one():
        replies = context.pool.run("fused_reduce", Ref(WORLD), Ref(DATA),
                                   MaybeRef(context.layout(base)), *destination,
                                   specs, steps, np.geterr(), op, targets=targets, tag=True)
    return _combined(op, replies, base.targets, dtype)[()]


def numpy_for_others(numpy_function):
    """Decorator: register for ``numpy_function``, which serves non-DistArray input.

    ``distarray.sum([1, 2])`` is ``numpy.sum([1, 2])``; a DistArray ``out=`` or
    ``where=`` with a NumPy input is refused (NumPy would dispatch back here).
    """
    def decorate(function):
        @functools.wraps(function)
        def wrapper(a, *args, **kwargs):
            if isinstance(a, DistArray):
                return function(a, *args, **kwargs)
            if builtins.any(isinstance(v, DistArray) for v in (*args, *kwargs.values())):
                raise TypeError("%s: out= or where= may be a DistArray only when the input "
                                "is one" % numpy_function.__name__)
            return numpy_function(a, *args, **kwargs)
        return implements(numpy_function)(wrapper)
    return decorate


# -- the reductions -----------------------------------------------------------------
def _ufunc_reduction(function, ufunc, a, axis, dtype, out, keepdims, initial, where,
                     nan_fill=None, what=None, warn_all_nan=False):
    """A reduction by ``ufunc`` (``what`` names it in messages about ``out=``)."""
    # None: no initial, but NumPy's errors for an empty reduction or a where= mask
    # without identity (the dry run raises them, so None is passed on to it).
    has_initial = initial is not _NoValue and initial is not None
    if isinstance(initial, DistArray):
        initial = initial.toarray()  # NumPy reads it as an array (a 0-d one is a scalar)
    op = kernels.UfuncReduction(ufunc, None if dtype in (None, _NoValue) else np.dtype(dtype),
                                initial if has_initial else None, has_initial, nan_fill,
                                warn_all_nan)
    return _reduce(function, a, op, axis, out, keepdims, where, what or ufunc.__name__,
                   dtype=dtype, initial=initial)


@numpy_for_others(np.sum)
def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
    """Sum of the elements over ``axis``, as :func:`numpy.sum`."""
    return _ufunc_reduction(np.sum, np.add, a, axis, dtype, out, keepdims, initial, where)


@numpy_for_others(np.prod)
def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
    """Product of the elements over ``axis``, as :func:`numpy.prod`."""
    return _ufunc_reduction(np.prod, np.multiply, a, axis, dtype, out, keepdims, initial,
                            where)


@numpy_for_others(np.nansum)
def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
    """Sum treating NaNs as zero, as :func:`numpy.nansum`."""
    return _ufunc_reduction(np.nansum, np.add, a, axis, dtype, out, keepdims, initial, where,
                            nan_fill=0)


@numpy_for_others(np.nanprod)
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue,
            where=True):
    """Product treating NaNs as one, as :func:`numpy.nanprod`."""
    return _ufunc_reduction(np.nanprod, np.multiply, a, axis, dtype, out, keepdims, initial,
                            where, nan_fill=1)


def _extreme(numpy_function, ufunc, summary):
    """The distributed version of ``numpy.max``-like ``numpy_function``."""
    def function(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
        return _ufunc_reduction(numpy_function, ufunc, a, axis, _NoValue, out, keepdims,
                                initial, where, warn_all_nan=ufunc in (np.fmax, np.fmin))

    function.__name__ = function.__qualname__ = numpy_function.__name__
    function.__doc__ = "%s, as :func:`numpy.%s`." % (summary, numpy_function.__name__)
    return numpy_for_others(numpy_function)(function)


max = _extreme(np.max, np.maximum, "Maximum over ``axis`` (NaN propagates)")
min = _extreme(np.min, np.minimum, "Minimum over ``axis`` (NaN propagates)")
nanmax = _extreme(np.nanmax, np.fmax, "Maximum ignoring NaNs")
nanmin = _extreme(np.nanmin, np.fmin, "Minimum ignoring NaNs")
amax = implements(np.amax)(max)
amin = implements(np.amin)(min)


def _logical(function, ufunc, a, axis, out, keepdims, where):
    op = kernels.UfuncReduction(ufunc, np.dtype(bool))
    return _reduce(function, a, op, axis, out, keepdims, where, ufunc.__name__)


@numpy_for_others(np.any)
def any(a, axis=None, out=None, keepdims=False, *, where=True):
    """Whether any element over ``axis`` is true, as :func:`numpy.any`."""
    return _logical(np.any, np.logical_or, a, axis, out, keepdims, where)


@numpy_for_others(np.all)
def all(a, axis=None, out=None, keepdims=False, *, where=True):
    """Whether all elements over ``axis`` are true, as :func:`numpy.all`."""
    return _logical(np.all, np.logical_and, a, axis, out, keepdims, where)


@numpy_for_others(np.count_nonzero)
def count_nonzero(a, axis=None, *, keepdims=False):
    """Number of non-zero elements over ``axis``, as :func:`numpy.count_nonzero`."""
    return _reduce(np.count_nonzero, a, kernels.CountNonzero(), axis, None, keepdims,
                   what="count_nonzero")


@numpy_for_others(np.ptp)
def ptp(a, axis=None, out=None, keepdims=False):
    """Range (maximum - minimum) over ``axis``, as :func:`numpy.ptp`."""
    return _reduce(np.ptp, a, kernels.PeakToPeak(), axis, out, keepdims, what="maximum")


def _moment_dtype(dtype, input_dtype, order):
    """The accumulation type of a mean (order 1) or variance (order 2)."""
    if dtype is not None:
        dtype = np.dtype(dtype)
        return dtype if order == 1 or dtype.kind in "fc" else np.dtype(np.float64)
    if input_dtype.kind in "biu":
        return np.dtype(np.float64)
    if input_dtype.kind in "mM":
        return None  # NumPy's own choice (reductions take no unit-specific dtypes)
    return np.dtype(np.float32) if input_dtype == np.float16 else input_dtype


def _mean(function, a, axis, dtype, out, keepdims, where, nan):
    op = kernels.Moments(1, _moment_dtype(dtype, a.dtype, 1), nan=nan)
    return _reduce(function, a, op, axis, out, keepdims, where, "add", dtype=dtype)


@numpy_for_others(np.mean)
def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """Arithmetic mean over ``axis``, as :func:`numpy.mean` (float64 for integers)."""
    return _mean(np.mean, a, axis, dtype, out, keepdims, where, False)


@numpy_for_others(np.nanmean)
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """Mean ignoring NaNs, as :func:`numpy.nanmean`."""
    return _mean(np.nanmean, a, axis, dtype, out, keepdims, where, True)


def _variance(numpy_function, nan, root, summary):
    """The distributed version of ``numpy.var``-like ``numpy_function``."""
    def function(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
                 mean=_NoValue, correction=_NoValue):
        if mean is not _NoValue:
            raise NotImplementedError("the mean= argument of %s is not supported for "
                                      "DistArrays" % numpy_function.__name__)
        if dtype is not None and a.dtype.kind in "biufc" and (
                np.dtype(dtype).kind not in "fc" or a.dtype.kind == "c" != np.dtype(dtype).kind):
            # NumPy accumulates the mean and the squares in such a dtype (truncating or
            # dropping imaginary parts): its two-pass values are not those of partials.
            raise NotImplementedError("distarray.%s supports a floating or complex dtype= "
                                      "(and a complex one for complex input) only, not %s"
                                      % (numpy_function.__name__, np.dtype(dtype)))
        kwargs = {"dtype": dtype, "ddof": ddof, "correction": correction}
        if correction is not _NoValue and ddof == 0:
            ddof = correction
        op = kernels.Moments(2, _moment_dtype(dtype, a.dtype, 2), ddof, nan, root)
        return _reduce(numpy_function, a, op, axis, out, keepdims, where, "add", **kwargs)

    function.__name__ = function.__qualname__ = numpy_function.__name__
    function.__doc__ = "%s, as :func:`numpy.%s` (pairwise-combined partials)." % (
        summary, numpy_function.__name__)
    return numpy_for_others(numpy_function)(function)


var = _variance(np.var, False, False, "Variance over ``axis``")
std = _variance(np.std, False, True, "Standard deviation over ``axis``")
nanvar = _variance(np.nanvar, True, False, "Variance ignoring NaNs")
nanstd = _variance(np.nanstd, True, True, "Standard deviation ignoring NaNs")


def _arg(numpy_function, kind, nan, summary):
    """The distributed version of ``numpy.argmax``-like ``numpy_function``."""
    def function(a, axis=None, out=None, *, keepdims=False):
        return _reduce(numpy_function, a, kernels.ArgReduction(kind, nan), axis, out, keepdims,
                       what="arg" + kind)

    function.__name__ = function.__qualname__ = numpy_function.__name__
    function.__doc__ = "%s, as :func:`numpy.%s`." % (summary, numpy_function.__name__)
    return numpy_for_others(numpy_function)(function)


argmax = _arg(np.argmax, "max", False, "Index of the first maximum (flat for axis=None)")
argmin = _arg(np.argmin, "min", False, "Index of the first minimum (flat for axis=None)")
nanargmax = _arg(np.nanargmax, "max", True, "Index of the maximum ignoring NaNs")
nanargmin = _arg(np.nanargmin, "min", True, "Index of the minimum ignoring NaNs")


def ufunc_reduce(ufunc, array, axis=0, dtype=None, out=None, keepdims=False,
                 initial=_NoValue, where=True):
    """``ufunc.reduce(array, ...)`` for a DistArray (called by ``__array_ufunc__``).

    Reductions that may be split into pieces (add, multiply, maximum,
    logical_and, ...) combine partials; others (subtract, divide, ...) first
    bring the reduced axes together on the processes that keep the result
    (one redistribution, which moves the array).
    """
    if not isinstance(array, DistArray):
        raise TypeError("%s.reduce: out= or where= may be a DistArray only when the input is "
                        "one" % ufunc.__name__)
    return _ufunc_reduction(ufunc.reduce, ufunc, array, axis, dtype, out, keepdims, initial,
                            where)


# -- scans --------------------------------------------------------------------------
def _scan(function, ufunc, a, axis, dtype, out):
    """Validate ``function(a, axis, dtype, out)`` with NumPy; run ``ufunc.accumulate``."""
    out = unwrap_out(out)
    context = context_of([x for x in (a, out) if isinstance(x, DistArray)])
    kwargs = {"axis": axis, "dtype": dtype}
    dtype = check_dtype(_dry_run(function, a, kwargs,
                                 out=out if isinstance(out, DistArray) else None))
    flatten = a.ndim == 0 or (axis is None and a.ndim > 1)
    if out is not None:
        _check_out_type(out)
        if out.shape != ((a.size,) if flatten else a.shape):
            raise ValueError("provided out is the wrong size for the accumulation.")
    if flatten:
        from .shape import ravel  # the flattened array (C order), then a 1-D scan

        a, axis = ravel(a), 0
    axis = normalize_axis_index(0 if axis is None else axis, a.ndim)
    if ufunc not in kernels.ASSOCIATIVE:
        a = _splittable(None, a, (axis,))
    dist = a.distribution
    result = scan_distribution(dist, axis)
    out_spec, participants = None, set(dist.targets)
    if out is not None:
        out_spec = _out_spec(out, result)
        if out_spec[0] == "gather":
            participants |= set(out.targets)
    key = context.pool.new_key() if out is None else None
    context.pool.run("scan_array", Ref(WORLD), MaybeRef(a.key), dist.maps, dist.targets, ufunc,
                     axis, dtype, None if result is dist else result.maps,
                     (MaybeRef(context.layout(result)), result.maps, result.targets, out_spec),
                     targets=sorted(participants), out=key, tag=True)
    return out if out is not None else DistArray._wrap(result, dtype, key)


@numpy_for_others(np.cumsum)
def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along ``axis``, as :func:`numpy.cumsum`."""
    return _scan(np.cumsum, np.add, a, axis, dtype, out)


@numpy_for_others(np.cumprod)
def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product along ``axis``, as :func:`numpy.cumprod`."""
    return _scan(np.cumprod, np.multiply, a, axis, dtype, out)


def _cumulative(numpy_function, ufunc):
    """The distributed version of the Array API's ``numpy.cumulative_sum``-like function."""
    def function(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        if not include_initial:
            return _scan(numpy_function, ufunc, x, axis, dtype, out)
        _dry_run(numpy_function, x, {"axis": axis, "dtype": dtype, "include_initial": True})
        scanned = _scan(numpy_function, ufunc, x, axis, dtype, None)
        axis = normalize_axis_index(0 if axis is None else axis, scanned.ndim)  # 0-d: 1-d
        shape = scanned.shape[:axis] + (scanned.shape[axis] + 1,) + scanned.shape[axis + 1:]
        if out is None:
            out = empty(shape, scanned.dtype, context=x.context)
        elif out.shape != shape:
            raise ValueError("output array has shape %s, expected %s" % (out.shape, shape))
        before = (slice(None),) * axis
        setitem(out, (*before, slice(0, 1)), ufunc.identity)
        setitem(out, (*before, slice(1, None)), scanned)
        return out

    function.__name__ = function.__qualname__ = numpy_function.__name__
    function.__doc__ = "As :func:`numpy.%s` (``include_initial`` prepends the identity)." % (
        numpy_function.__name__)
    return numpy_for_others(numpy_function)(function)


cumulative_sum = _cumulative(np.cumulative_sum, np.add)
cumulative_prod = _cumulative(np.cumulative_prod, np.multiply)


def ufunc_accumulate(ufunc, array, axis=0, dtype=None, out=None):
    """``ufunc.accumulate(array, ...)`` for a DistArray (called by ``__array_ufunc__``)."""
    if not isinstance(array, DistArray):
        raise TypeError("%s.accumulate: out= may be a DistArray only when the input is one"
                        % ufunc.__name__)
    if isinstance(axis, tuple) and len(axis) == 1:  # NumPy takes a one-axis tuple too
        axis = axis[0]
    return _scan(ufunc.accumulate, ufunc, array, axis, dtype, out)
