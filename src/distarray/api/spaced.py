"""``linspace``, ``logspace`` and ``geomspace`` with array arguments (NumPy arrays or
DistArrays).

NumPy's own arithmetic, step by step, on DistArrays: the samples run along a
new first axis (``arange(num)`` as a column), scaled by the step of each pair
of ends, shifted by ``start``, and the axis is then moved to ``axis``.  (The
scalar forms are one worker command each: see :func:`.creation.linspace`.)
"""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .creation import arange, at_least, check_dtype, plan, shape_or
from .darray import DistArray, dtype_of
from .indexing import redistribute
from .shape import moveaxis, reshape
from .ufuncs import common_context


def _tiny(x):
    """A one-element stand-in of ``x``'s dimensions and dtype (for NumPy's checks)."""
    return np.ones((1,) * np.ndim(x), dtype_of(x))


def _placed(y, context, distribution, dist, grid_shape, targets):
    """``y`` on the layout the placement keywords ask for (itself when none is given)."""
    if (distribution, dist, grid_shape, targets) == (None, None, None, None):
        return y
    return redistribute(y, plan(shape_or(distribution, y.shape), context, dist, grid_shape,
                                targets))


def linspace_of_arrays(start, stop, num, endpoint, retstep, dtype, axis, distribution=None,
                       context=None, dist=None, grid_shape=None, targets=None):
    """:func:`numpy.linspace` of array ``start`` and ``stop`` (one of them at least)."""
    ends = [x for x in (start, stop) if isinstance(x, DistArray)]
    context = context or (common_context(ends) if ends else None)
    work = np.linspace(_tiny(start), _tiny(stop), 0).dtype  # NumPy's checks, its dtype
    result = check_dtype(work if dtype is None else dtype)
    integer = np.issubdtype(result, np.integer)
    if integer:
        np.floor(np.zeros(0, work))  # NumPy's TypeError for complex values rounded
    shape = np.broadcast_shapes(np.shape(start), np.shape(stop))
    axis = normalize_axis_index(axis, len(shape) + 1)
    div = num - 1 if endpoint else num
    delta = np.subtract(stop, start, dtype=work)
    samples = reshape(arange(num, dtype=work, context=context), (num,) + (1,) * len(shape))
    if div > 0:
        step = delta / div
        y = samples / div * delta if np.any(step == 0) else samples * step
    else:
        step = np.nan
        y = samples * delta
    y = y + start
    if endpoint and num > 1:
        y[-1, ...] = stop
    y = moveaxis(y, 0, axis)
    if integer:
        y = np.floor(y)
    y = _placed(y.astype(result, copy=False), context, distribution, dist, grid_shape, targets)
    return (y, step) if retstep else y


def logspace_of_arrays(start, stop, num, endpoint, base, dtype, axis, **placement):
    """:func:`numpy.logspace` with an array ``start``, ``stop`` or ``base``."""
    ndim = np.broadcast(*map(_tiny, (start, stop, base))).ndim
    start, stop, base = (at_least(x, ndim) for x in (start, stop, base))
    y = linspace_of_arrays(start, stop, num, endpoint, False, None, axis, **placement)
    base = np.expand_dims(base, axis)  # (distarray's for a DistArray)
    powers = np.power(base, y)
    return powers if dtype is None else powers.astype(dtype, copy=False)


def geomspace_of_arrays(start, stop, num, endpoint, dtype, axis, distribution=None,
                        context=None, dist=None, grid_shape=None, targets=None):
    """:func:`numpy.geomspace` of array ``start`` and ``stop`` (one of them at least)."""
    if np.any(np.equal(start, 0)) or np.any(np.equal(stop, 0)):
        raise ValueError("Geometric sequence cannot include zero")
    work = np.result_type(_tiny(start), _tiny(stop), float(num), np.zeros((), dtype))
    start, stop = (np.asarray(x, work) if not isinstance(x, DistArray) else x.astype(work)
                   for x in (start, stop))
    sign = np.sign(start)
    start, stop = start / sign, stop / sign
    result = logspace_of_arrays(np.log10(start), np.log10(stop), num, endpoint, 10.0, work, 0,
                                context=context)
    if num > 0:
        result[0] = start
        if num > 1 and endpoint:
            result[-1] = stop
    result = moveaxis(result * sign, 0, normalize_axis_index(axis, result.ndim))
    return _placed(result.astype(work if dtype is None else dtype, copy=False), result.context,
                   distribution, dist, grid_shape, targets)
