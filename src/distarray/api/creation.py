"""Array creation: NumPy-style functions over a context's workers."""

import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..errors import DistributionError
from ..plan.distribution import Distribution, normalize_shape
from ..runtime.messages import DATA, Ref
from .context import default_context
from .darray import DistArray
from .dispatch import implements
from .ufuncs import common_context, fitted


def in_context(x, values):
    """``x`` as a DistArray: itself, or array_like ``x`` distributed (the default way)
    in the context of the DistArrays among ``values``."""
    if isinstance(x, DistArray):
        return x
    return fromarray(np.asarray(x), context=common_context(values))


def check_dtype(dtype):
    """``dtype`` as NumPy's array constructors resolve it (a flexible ``'U'`` or ``'S'``
    of no size becomes one character), refusing object dtypes (they cannot live in raw
    buffers)."""
    dtype = np.empty(0, dtype).dtype
    if dtype.hasobject:
        raise TypeError("distarray does not support arrays of dtype %s (Python objects)" % dtype)
    return dtype


def plan(shape, context=None, dist=None, grid_shape=None, targets=None):
    """The Distribution for ``shape`` (or ``shape`` itself if it is one)."""
    if isinstance(shape, Distribution):
        if dist is not None or grid_shape is not None or targets is not None:
            raise TypeError("dist, grid_shape and targets cannot be combined with a Distribution")
        if context is not None and context is not shape.context:
            raise ValueError("the Distribution belongs to another context")
        shape.context.check_open()
        return shape
    context = default_context() if context is None else context
    context.check_open()
    if dist is None and grid_shape is None and targets is None:
        return context.default_distribution(shape)
    return Distribution(context, shape, dist=dist, grid_shape=grid_shape, targets=targets)


def check_size(shape, dtype):
    """NumPy's ValueError for an array too big to be addressed (checked on the client)."""
    largest = np.iinfo(np.intp).max
    if any(n > largest for n in shape):
        raise ValueError("Maximum allowed dimension exceeded")
    if math.prod(shape) * np.dtype(dtype).itemsize > largest:
        raise ValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger than "
                         "the maximum possible size.")


def create_array(distribution, command, dtype, *args, send=None):
    """Run a creating command on the distribution's workers; wrap the result."""
    check_size(distribution.shape, dtype)
    context = distribution.context
    layout = context.layout(distribution)
    key = context.pool.new_key()
    context.pool.run(command, Ref(layout), dtype, *args, targets=distribution.targets, out=key,
                     send=send)
    return DistArray._wrap(distribution, dtype, key)


def empty(shape, dtype=float, distribution=None, context=None, dist=None, grid_shape=None,
          targets=None):
    """A new uninitialised DistArray.

    Parameters
    ----------
    shape : int, tuple of int or Distribution
        Global shape, or the distribution to use.
    dtype : data-type
        Element type (default float64).
    distribution : Distribution, optional
        Where the elements live (instead of giving it as ``shape``).
    context : Context, optional
        Workers to use (default: the default context).
    dist, grid_shape, targets
        Distribution options (see :class:`Distribution`) when ``shape`` is a shape.
    """
    return full(shape, None, dtype, distribution, context, dist, grid_shape, targets)


def zeros(shape, dtype=float, distribution=None, context=None, dist=None, grid_shape=None,
          targets=None):
    """A new DistArray of zeros (see :func:`empty` for the parameters)."""
    dtype = check_dtype(dtype)  # zero bytes, as NumPy's: '' for strings, not '0'
    return full(shape, np.zeros((), dtype), dtype, distribution, context, dist, grid_shape,
                targets)


def ones(shape, dtype=float, distribution=None, context=None, dist=None, grid_shape=None,
         targets=None):
    """A new DistArray of ones (see :func:`empty` for the parameters)."""
    return full(shape, 1, dtype, distribution, context, dist, grid_shape, targets)


def full(shape, fill_value, dtype=None, distribution=None, context=None, dist=None,
         grid_shape=None, targets=None):
    """A new DistArray filled with ``fill_value`` (None leaves it uninitialised).

    As :func:`numpy.full`: an array ``fill_value`` is broadcast to ``shape``, and
    ``dtype`` defaults to the fill value's; a DistArray ``fill_value`` lends its
    context unless ``context`` or a Distribution says otherwise.
    """
    shape = shape_or(distribution, shape)
    if isinstance(fill_value, DistArray) and context is None and \
            not isinstance(shape, Distribution):
        context = fill_value.context
    distribution = plan(shape, context, dist, grid_shape, targets)
    if fill_value is None:
        return create_array(distribution, "create", check_dtype(dtype), None)
    if isinstance(fill_value, DistArray):
        dtype = check_dtype(fill_value.dtype if dtype is None else dtype)
        return _broadcast_fill(distribution, dtype, fill_value)
    dtype = check_dtype(np.array(fill_value).dtype if dtype is None else dtype)
    value = np.empty(np.shape(fill_value), dtype)
    np.copyto(value, fill_value, casting="unsafe")  # as np.full: -1 for uint8 overflows
    if value.ndim == 0:
        return create_array(distribution, "create", dtype, value[()])
    return _broadcast_fill(distribution, dtype, value)


def _broadcast_fill(distribution, dtype, value):
    """A new array of ``value`` (array or DistArray) broadcast to the distribution's shape
    (as :func:`numpy.copyto` broadcasts: leading axes of length 1 beyond it are dropped)."""
    value = fitted(value, distribution.shape)  # NumPy's error before anything is sent
    result = create_array(distribution, "create", dtype, None)
    result[...] = value
    return result


def shape_or(distribution, shape):
    if distribution is None:
        return shape
    if shape is not None and not isinstance(shape, Distribution) and \
            tuple(np.atleast_1d(shape)) != distribution.shape:
        raise ValueError("shape %s does not match the distribution's shape %s"
                         % (shape, distribution.shape))
    return distribution


def check_order_and_device(order, device):
    """NumPy's errors for a memory ``order`` or a ``device`` it does not know (others pass)."""
    if order not in ("K", "A", "C", "F", None):
        raise ValueError("order must be one of 'C', 'F', 'A', or 'K' (got %r)" % (order,))
    if device not in (None, "cpu"):
        raise ValueError("Device not understood. Only \"cpu\" is allowed, but received: %s"
                         % (device,))


def _like(prototype, dtype, order, shape, device, distribution, context):
    """Distribution (or shape), dtype and context for the ``*_like`` functions.

    A DistArray prototype lends its distribution when the shape stays its own
    and no ``distribution`` or ``context`` is given; another ``shape`` gets the
    default distribution on the prototype's context.
    """
    check_order_and_device(order, device)
    if not isinstance(prototype, DistArray):
        prototype = np.asarray(prototype)
    elif context is None:
        context = prototype.context
    dtype = prototype.dtype if dtype is None else dtype
    if distribution is not None:
        return shape_or(distribution, shape), dtype, None
    shape = prototype.shape if shape is None else normalize_shape(shape)
    if isinstance(prototype, DistArray) and shape == prototype.shape and \
            context is prototype.context:
        return prototype.distribution, dtype, None
    return shape, dtype, context


@implements(np.empty_like)
def empty_like(prototype, dtype=None, order="K", subok=True, shape=None, *, device=None,
               distribution=None, context=None):
    """A new uninitialised DistArray shaped (and by default distributed) like ``prototype``.

    As :func:`numpy.empty_like` (``order`` and ``subok`` are accepted and
    ignored); ``distribution`` or ``context`` place the result elsewhere.
    """
    shape, dtype, context = _like(prototype, dtype, order, shape, device, distribution, context)
    return empty(shape, dtype, context=context)


@implements(np.zeros_like)
def zeros_like(prototype, dtype=None, order="K", subok=True, shape=None, *, device=None,
               distribution=None, context=None):
    """A DistArray of zeros shaped like ``prototype`` (see :func:`empty_like`)."""
    shape, dtype, context = _like(prototype, dtype, order, shape, device, distribution, context)
    return zeros(shape, dtype, context=context)


@implements(np.ones_like)
def ones_like(prototype, dtype=None, order="K", subok=True, shape=None, *, device=None,
              distribution=None, context=None):
    """A DistArray of ones shaped like ``prototype`` (see :func:`empty_like`)."""
    shape, dtype, context = _like(prototype, dtype, order, shape, device, distribution, context)
    return ones(shape, dtype, context=context)


@implements(np.full_like)
def full_like(prototype, fill_value, dtype=None, order="K", subok=True, shape=None, *,
              device=None, distribution=None, context=None):
    """A DistArray of ``fill_value`` shaped like ``prototype`` (see :func:`empty_like`)."""
    shape, dtype, context = _like(prototype, dtype, order, shape, device, distribution, context)
    return full(shape, fill_value, dtype, context=context)


def fromarray(array, distribution=None, context=None, dist=None, grid_shape=None, targets=None):
    """Distribute a NumPy array (each worker receives only its part, as raw bytes).

    Parameters
    ----------
    array : array_like
        The data; anything ``np.asarray`` accepts.
    distribution : Distribution, optional
        Where the elements go (its shape must equal the array's).
    context, dist, grid_shape, targets
        As for :func:`empty`, when no distribution is given.
    """
    if isinstance(array, DistArray):
        moved = plan(distribution or array.shape, context or array.context, dist, grid_shape,
                     targets)
        if moved.shape == array.shape and moved.context is array.context:
            return array.redistribute(moved)  # no detour through the client
        array = array.toarray()
    array = np.asarray(array)
    dtype = check_dtype(array.dtype)
    if distribution is not None and distribution.shape != array.shape:
        raise ValueError("the array's shape %s does not match the distribution's shape %s"
                         % (array.shape, distribution.shape))
    distribution = plan(distribution or array.shape, context, dist, grid_shape, targets)
    pieces = {}
    for i, rank in enumerate(distribution.targets):
        region = distribution.global_slices(i)
        piece = array[np.ix_(*distribution.global_index_arrays(i))] if region is None \
            else array[(*region, Ellipsis)]
        if piece.size:
            pieces[rank] = np.ascontiguousarray(piece)
    return _receive(distribution, dtype, pieces, padded=False)


def asarray(a, dtype=None, order=None, *, device=None, copy=None, distribution=None,
            context=None, dist=None, grid_shape=None, targets=None):
    """``a`` as a DistArray, as :func:`numpy.asarray` makes an ndarray.

    A DistArray is returned as it is unless ``dtype`` or a placement
    (``distribution``, ``context``, ``dist``, ``grid_shape``, ``targets``, as
    for :func:`fromarray`) asks for another one; anything else is distributed.
    ``copy`` is NumPy's: True always copies, False raises ValueError when a
    copy is needed (distributing a NumPy array always is one).  ``order`` is
    checked and ignored.
    """
    check_order_and_device(order, device)
    placed = (distribution, dist, grid_shape, targets) != (None,) * 4 or (
        isinstance(a, DistArray) and context is not None and context is not a.context)
    if isinstance(a, DistArray) and not placed and (dtype is None or np.dtype(dtype) == a.dtype):
        return a.copy() if copy else a
    if copy is False:
        raise ValueError("Unable to avoid copy while creating an array as requested.")
    if not isinstance(a, DistArray):
        return fromarray(np.asarray(a, dtype=dtype), distribution, context, dist, grid_shape,
                         targets)
    a = a if dtype is None else a.astype(dtype)
    return fromarray(a, distribution, context, dist, grid_shape, targets) if placed else a


def array(a, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, distribution=None,
          context=None, dist=None, grid_shape=None, targets=None):
    """A DistArray of ``a``, as :func:`numpy.array` (a copy unless ``copy`` says otherwise).

    ``ndmin`` prepends axes of length 1 as NumPy does; ``order`` and ``subok``
    are accepted and ignored.  See :func:`asarray` for the other arguments.
    """
    a = at_least(a, operator.index(ndmin), dtype)
    return asarray(a, dtype, order, copy=copy, distribution=distribution, context=context,
                   dist=dist, grid_shape=grid_shape, targets=targets)


def at_least(a, ndim, dtype=None):
    """``a`` with leading axes of length 1 up to ``ndim`` axes (NumPy's ``ndmin``): a
    DistArray reshaped, anything else a NumPy array (of ``dtype``)."""
    if not isinstance(a, DistArray):
        return np.array(a, dtype, copy=None, ndmin=ndim)
    return a.reshape((1,) * (ndim - a.ndim) + a.shape) if a.ndim < ndim else a


def _receive(distribution, dtype, pieces, padded):
    """A new array whose pieces (owned cells, or whole buffers) are sent raw."""
    return create_array(distribution, "receive", dtype, Ref(DATA), padded, send=pieces)


def check_index_dtype(shape, dtype):
    """``dtype`` checked as :func:`numpy.indices` checks it for ``shape``: NumPy's errors
    for types it cannot count in (strings, datetimes, booleans past 1)."""
    dtype = check_dtype(dtype)
    np.indices(tuple(min(n, 3) for n in shape), dtype)
    return dtype


def fromfunction(function, shape, dtype=float, distribution=None, context=None, dist=None,
                 grid_shape=None, targets=None, **kwargs):
    """Build a DistArray by calling ``function`` on global index arrays, on each worker.

    As :func:`numpy.fromfunction`: ``function`` receives one array of global
    indices (of ``dtype``) per axis, for the elements the worker owns, and
    must return values of that shape (or broadcastable to it).  The result's
    dtype is that of the function's values.
    """
    if not callable(function):
        raise TypeError("'%s' object is not callable" % type(function).__name__)
    distribution = plan(shape_or(distribution, shape), context, dist, grid_shape, targets)
    context = distribution.context
    dtype = check_index_dtype(distribution.shape, dtype)
    array = create_array(distribution, "fromfunction", dtype, context.pool.ship(function), kwargs)
    dtypes = set(context.pool.run("result_dtype", Ref(array.key), targets=array.targets).values())
    array.dtype = np.result_type(*dtypes)
    if len(dtypes) > 1:
        array = array.astype(array.dtype)
    return array


def arange(start, stop=None, step=1, dtype=None, distribution=None, context=None, dist=None,
           grid_shape=None, targets=None):
    """Evenly spaced values, as :func:`numpy.arange` (each worker computes its part)."""
    start, stop, single = (0, start, True) if stop is None else (start, stop, False)
    kinds = np.dtype(dtype).kind if dtype is not None else "".join(
        np.asarray(v).dtype.kind for v in (start, stop, step))
    if single and "M" in kinds:
        raise ValueError("arange requires both a start and a stop for NumPy datetime64 ranges")
    if "m" in kinds or "M" in kinds:
        dtype, first, step, length = _time_range(start, stop, step, dtype)
        return arange(first, first + length * step, step, np.int64, distribution, context, dist,
                      grid_shape, targets).view(dtype)
    length = _arange_length(start, stop, step)
    if dtype is None:
        dtype = np.arange(stop, start, step).dtype if length else np.arange(start, stop, step).dtype
    dtype = check_dtype(dtype)
    if dtype.kind not in "biufc":
        np.arange(0, 0, 1, dtype)  # NumPy's TypeError for strings and records
    if dtype == np.bool_ and length > 2:
        raise TypeError("arange() is only supported for booleans when the result has at most "
                        "length 2.")
    distribution = plan(shape_or(distribution, (length,)), context, dist, grid_shape, targets)
    return create_array(distribution, "sequence", dtype, "arange_values",
                        _arange_head(start, step, length, dtype))


def _arange_head(start, step, length, dtype):
    """The first two elements of an arange of ``length``, converted to ``dtype`` on the
    client as NumPy converts them (with its OverflowError); those past ``length`` are
    never converted, and stand in as ``start``'s (or zero)."""
    head = [np.asarray(value, dtype)[()] for value in (start, start + step)[:length]]
    head += [head[0] if head else np.zeros((), dtype)[()]] * (2 - len(head))
    return tuple(head)


def _arange_length(start, stop, step):
    """The length of ``np.arange(start, stop, step)``, with NumPy's errors."""
    with np.errstate(divide="ignore", invalid="ignore"):
        span = (stop - start) / step  # Python's ZeroDivisionError, or NumPy's inf
    if isinstance(span, complex):  # a Python complex (or complex128): NumPy's count
        span = min(span.real, span.imag)
    elif np.iscomplexobj(span):  # another NumPy complex: its real part
        span = span.real
    if math.isnan(span):
        raise ValueError("arange: cannot compute length")
    if math.isinf(span):
        raise ValueError("Maximum allowed size exceeded")
    return max(0, math.ceil(span))


def _time_range(start, stop, step, dtype):
    """``arange`` of datetimes or timedeltas as NumPy makes it: its dtype, and its first
    value, step and length as integers counted in that dtype's unit."""
    probe = np.arange(start, start, step, dtype)  # NumPy's errors, the unit of start and step
    stop = np.asarray(stop)
    if stop.dtype.kind not in "mM":
        stop = stop.astype(probe.dtype)  # a string or a count of start's units
    dtype = probe.dtype if dtype is not None else np.result_type(probe.dtype, stop.dtype)
    first, last = np.asarray(start, dtype), stop.astype(dtype)
    if np.isnat(first) or np.isnat(last):
        raise ValueError("arange: cannot use NaT (not-a-time) datetime values")
    unit, count = np.datetime_data(dtype)
    step = int(np.asarray(step).astype("m8[%d%s]" % (count, unit)).view(np.int64)
               if np.asarray(step).dtype.kind == "m" else step)
    if step == 0:
        raise ValueError("arange: cannot compute length")
    first, last = int(first.view(np.int64)), int(last.view(np.int64))
    return dtype, first, step, max(0, -((first - last) // step))


@implements(np.linspace)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *,
             distribution=None, context=None, dist=None, grid_shape=None, targets=None):
    """Evenly spaced numbers over an interval, as :func:`numpy.linspace` (array ends too)."""
    num = operator.index(num)
    if num < 0:
        raise ValueError("Number of samples, %s, must be non-negative." % num)
    if np.ndim(start) or np.ndim(stop):
        from .spaced import linspace_of_arrays  # (built on DistArray operations)

        return linspace_of_arrays(start, stop, num, endpoint, retstep, dtype, axis,
                                  distribution, context, dist, grid_shape, targets)
    _sequence_axis(axis)
    work = np.linspace(start, stop, 0).dtype
    dtype = check_dtype(work if dtype is None else dtype)
    if np.issubdtype(dtype, np.integer):
        np.floor(np.zeros(0, work))  # NumPy's TypeError for complex values rounded to integers
    distribution = plan(shape_or(distribution, (num,)), context, dist, grid_shape, targets)
    array = create_array(distribution, "sequence", dtype, "linspace_values",
                    (start, stop, num, endpoint, work))
    if retstep:
        div = (num - 1) if endpoint else num
        step = (np.asarray(stop, work) - np.asarray(start, work)) / div if div > 0 else np.nan
        return array, step
    return array


def _diagonal_band(N, M, k, dtype, below, distribution, *placement):
    """An N x M array of ones on (``below``: on and below) the ``k``-th diagonal.

    ``placement``: context, dist, grid_shape and targets, as for :func:`plan`.
    """
    N = operator.index(N)
    shape = normalize_shape((N, N if M is None else operator.index(M)))
    distribution = plan(shape_or(distribution, shape), *placement)
    return create_array(distribution, "diagonal_band", check_dtype(dtype), operator.index(k),
                        below)


@implements(np.eye)
def eye(N, M=None, k=0, dtype=float, order="C", *, device=None, distribution=None,
        context=None, dist=None, grid_shape=None, targets=None):
    """Ones on the ``k``-th diagonal of an N x M array, as :func:`numpy.eye`.

    Each worker sets its part from global indices.  ``order`` is accepted and
    ignored; ``distribution``, ``context``, ``dist``, ``grid_shape`` and
    ``targets`` place the result as for :func:`empty`.
    """
    check_order_and_device(order, device)
    return _diagonal_band(N, M, k, dtype, False, distribution,
                          context, dist, grid_shape, targets)


@implements(np.identity)
def identity(n, dtype=None, *, distribution=None, context=None, dist=None, grid_shape=None,
             targets=None):
    """The n x n identity matrix, as :func:`numpy.identity` (placed as :func:`eye`)."""
    return _diagonal_band(n, None, 0, float if dtype is None else dtype, False, distribution,
                          context, dist, grid_shape, targets)


@implements(np.tri)
def tri(N, M=None, k=0, dtype=float, *, distribution=None, context=None, dist=None,
        grid_shape=None, targets=None):
    """Ones on and below the ``k``-th diagonal, as :func:`numpy.tri` (placed as :func:`eye`)."""
    return _diagonal_band(N, M, k, dtype, True, distribution,
                          context, dist, grid_shape, targets)


def _sequence_axis(axis):
    """Raise NumPy's AxisError unless ``axis`` is 0 or -1 (a 1-D sequence's only axis)."""
    normalize_axis_index(axis, 1, "destination")


@implements(np.logspace)
def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, **placement):
    """``base ** linspace(start, stop, num, endpoint)``, as :func:`numpy.logspace`.

    Array ``start``, ``stop`` or ``base`` too; ``placement`` (``distribution``,
    ``context``, ``dist``, ``grid_shape``, ``targets``) as for :func:`linspace`.
    """
    if np.ndim(start) or np.ndim(stop) or np.ndim(base):
        from .spaced import logspace_of_arrays  # (built on DistArray operations)

        return logspace_of_arrays(start, stop, num, endpoint, base, dtype, axis, **placement)
    _sequence_axis(axis)
    powers = np.power(base, linspace(start, stop, num, endpoint, **placement))
    return powers if dtype is None else powers.astype(dtype, copy=False)


@implements(np.geomspace)
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0, **placement):
    """A geometric progression from ``start`` to ``stop``, as :func:`numpy.geomspace`.

    Nonzero ``start`` and ``stop`` (negative and complex ones, and arrays, too);
    ``placement`` as for :func:`linspace`.  The ends are set exactly, as NumPy
    sets them.
    """
    if np.ndim(start) or np.ndim(stop):
        from .spaced import geomspace_of_arrays  # (built on DistArray operations)

        return geomspace_of_arrays(start, stop, num, endpoint, dtype, axis, **placement)
    _sequence_axis(axis)
    start, stop = np.asarray(start), np.asarray(stop)
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    work = np.result_type(start, stop, float(num), np.zeros((), dtype))
    sign = np.sign(start.astype(work))
    start, stop = start.astype(work) / sign, stop.astype(work) / sign
    result = logspace(np.log10(start), np.log10(stop), num, endpoint, 10.0, work, **placement)
    if num > 0:
        result[0] = start
        if num > 1 and endpoint:
            result[-1] = stop
    result *= sign
    return result.astype(work if dtype is None else dtype, copy=False)


def import_pieces(source, context=None, targets=None):
    """Implementation of :meth:`DistArray.from_localarrays`."""
    from ..plan.dap import check_export
    from .context import Proxy

    if not isinstance(source, Proxy):
        exports = [piece.__distarray__() for piece in source]
        for export in exports:
            check_export(export)
        buffers = [np.ascontiguousarray(export["buffer"]) for export in exports]
        context = default_context() if context is None else context
        targets = context.targets[:len(exports)] if targets is None else tuple(targets)
        distribution = Distribution.from_dim_data_per_rank(
            context, [e["dim_data"] for e in exports], [b.shape for b in buffers], targets=targets)
        dtypes = {b.dtype for b in buffers}
        if len(dtypes) != 1:
            raise DistributionError("the pieces have different dtypes: %s"
                                    % sorted(map(str, dtypes)))
        pieces = {rank: b for rank, b in zip(distribution.targets, buffers) if b.size}
        return _receive(distribution, check_dtype(dtypes.pop()), pieces, padded=True)
    context = source.context
    context.check_open()
    targets = source.targets if targets is None else tuple(targets)
    described = context.pool.run("describe_export", Ref(source.key), targets=targets)
    dtypes = {described[t][2] for t in targets}
    if len(dtypes) != 1:
        raise DistributionError("the pieces have different dtypes: %s" % sorted(map(str, dtypes)))
    distribution = Distribution.from_dim_data_per_rank(
        context, [described[t][0] for t in targets], [described[t][1] for t in targets],
        targets=targets)
    return create_array(distribution, "adopt", dtypes.pop(), Ref(source.key))
