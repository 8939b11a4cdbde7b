"""Finite differences, derivatives and integrals of DistArrays: ``diff``, ``gradient`` ...

Everything is composed of distributed operations, following NumPy's own
formulas: differences of shifted views of the same array (``a[1:] - a[:-1]``,
which moves only the rows at piece boundaries between workers, as a slicing
stencil does), ``concatenate`` for ``prepend``/``append``, reductions, and
assignment into slices of a new array.  NumPy arrays may be mixed in wherever
NumPy accepts them (spacings, coordinates, values to prepend).  Arguments are
checked against NumPy's rules on the client before anything is sent.
"""

import functools
import operator
import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from .creation import empty, fromarray
from .darray import DistArray
from .dispatch import implements
from .shape import broadcast_to, concatenate, ravel, stack
from .sorting import as_input
from .ufuncs import any_distributed

_NoValue = np._NoValue

__all__ = ["cross", "diff", "ediff1d", "gradient", "trapezoid", "unwrap"]


def _along(ndim, axis, index):
    """The index tuple selecting ``index`` (a slice or int) on ``axis`` and all of the others."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _edge(value, shape, axis):
    """``prepend``/``append`` of :func:`diff`: a scalar becomes one slice along ``axis``."""
    value = as_input(value)
    if value.ndim == 0:
        edge_shape = shape[:axis] + (1,) + shape[axis + 1:]
        value = broadcast_to(value, edge_shape) if isinstance(value, DistArray) else \
            np.broadcast_to(value, edge_shape)
    return value


@implements(np.diff)
def diff(a, n=1, axis=-1, prepend=_NoValue, append=_NoValue):
    """The ``n``-th discrete difference along ``axis``, as :func:`numpy.diff`.

    Each difference subtracts two overlapping views (``not_equal`` for
    booleans); ``prepend`` and ``append`` are joined with :func:`concatenate`.
    """
    if not any_distributed(a, prepend, append):
        return np.diff(a, n, axis, prepend, append)
    if n == 0:
        return a
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    n = operator.index(n)
    a = as_input(a)
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = normalize_axis_index(axis, a.ndim)
    combined = [a]
    if prepend is not _NoValue:
        combined.insert(0, _edge(prepend, a.shape, axis))
    if append is not _NoValue:
        combined.append(_edge(append, a.shape, axis))
    if len(combined) > 1:
        a = concatenate(combined, axis) if any_distributed(*combined) else \
            np.concatenate(combined, axis)
    op = np.not_equal if a.dtype == np.bool_ else np.subtract
    later, earlier = _along(a.ndim, axis, slice(1, None)), _along(a.ndim, axis, slice(None, -1))
    for _ in range(n):
        a = op(a[later], a[earlier])
    return a


def _ediff1d_end(value, dtype, name):
    """``to_begin``/``to_end`` of :func:`ediff1d`, checked against ``dtype``."""
    value = as_input(value)
    if not np.can_cast(value.dtype, dtype, casting="same_kind"):
        raise TypeError("dtype of `%s` must be compatible with input `ary` under the "
                        "`same_kind` rule." % name)
    return value


def _flat(value):
    return ravel(value) if isinstance(value, DistArray) else value.ravel()


@implements(np.ediff1d)
def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive elements of the flattened array, as :func:`numpy.ediff1d`.

    With ``to_begin``/``to_end`` the result has ``ary``'s dtype.
    """
    if not any_distributed(ary, to_end, to_begin):
        return np.ediff1d(ary, to_end, to_begin)
    ary = as_input(ary)
    begin, end = [[] if v is None else [_ediff1d_end(v, ary.dtype, name)]
                  for v, name in ((to_begin, "to_begin"), (to_end, "to_end"))]
    if begin or end:
        np.subtract(np.empty(0, ary.dtype), np.empty(0, ary.dtype))  # NumPy's error, if any
    ary = _flat(ary)
    differences = ary[1:] - ary[:-1]
    if not (begin or end):
        return differences
    return concatenate([*map(_flat, begin), differences, *map(_flat, end)], dtype=ary.dtype)


def _spacing(distances, n):
    """One entry of ``gradient``'s ``varargs`` for an axis of length ``n``, checked:
    a scalar as it is, coordinates as an array."""
    if np.ndim(distances) == 0:
        return distances
    distances = as_input(distances)
    if distances.ndim != 1:
        raise ValueError("distances must be either scalars or 1d")
    if len(distances) != n:
        raise ValueError("when 1d, distances must match the length of the corresponding "
                         "dimension")
    if n < 2:
        raise IndexError("index 0 is out of bounds for axis 0 with size 0")  # NumPy's
    return distances


def _coordinate_steps(distances):
    """The steps between coordinates (a scalar when they are all equal)."""
    if np.issubdtype(distances.dtype, np.integer):
        distances = distances.astype(np.float64)
    steps = diff(distances)
    first = steps[0]
    return first if (steps == first).all() else steps


def _weighted_sum(terms):
    """``w0 * x0 + w1 * x1 + ...``, added left to right as NumPy's expression does."""
    return functools.reduce(operator.add, (w * x for w, x in terms))


def _derivative(f, axis, dx, edge_order, otype):
    """NumPy's gradient of ``f`` along ``axis``: central differences inside, one-sided
    differences of order ``edge_order`` at both ends, into a new array like ``f``."""
    def at(index):
        return f[_along(f.ndim, axis, index)]

    out = empty(f.distribution, otype)
    inside = _along(f.ndim, axis, slice(1, -1))
    if np.ndim(dx) == 0:
        out[inside] = (at(slice(2, None)) - at(slice(None, -2))) / (2. * dx)
        first = [(-1.5 / dx, 0), (2. / dx, 1), (-0.5 / dx, 2)]
        last = [(0.5 / dx, -3), (-2. / dx, -2), (1.5 / dx, -1)]
        first_step = last_step = dx
    else:
        shape = [1] * f.ndim
        shape[axis] = -1
        dx1, dx2 = dx[:-1], dx[1:]
        weights = [(-dx2 / (dx1 * (dx1 + dx2)), slice(None, -2)),
                   ((dx2 - dx1) / (dx1 * dx2), slice(1, -1)),
                   (dx1 / (dx2 * (dx1 + dx2)), slice(2, None))]
        out[inside] = _weighted_sum((w.reshape(shape), at(s)) for w, s in weights)
        h1, h2, g1, g2 = dx[0], dx[1], dx[-2], dx[-1]
        first = [(-(2. * h1 + h2) / (h1 * (h1 + h2)), 0), ((h1 + h2) / (h1 * h2), 1),
                 (-h1 / (h2 * (h1 + h2)), 2)]
        last = [(g2 / (g1 * (g1 + g2)), -3), (-(g2 + g1) / (g1 * g2), -2),
                ((2. * g2 + g1) / (g2 * (g1 + g2)), -1)]
        first_step, last_step = h1, g2
    if edge_order == 1:
        out[_along(f.ndim, axis, 0)] = (at(1) - at(0)) / first_step
        out[_along(f.ndim, axis, -1)] = (at(-1) - at(-2)) / last_step
    else:
        for end, terms in ((0, first), (-1, last)):
            out[_along(f.ndim, axis, end)] = _weighted_sum((w, at(i)) for w, i in terms)
    return out


@implements(np.gradient)
def gradient(f, *varargs, axis=None, edge_order=1):
    """The gradient of ``f`` by second-order central differences, as :func:`numpy.gradient`.

    ``varargs`` are spacings (scalars) or coordinates (1-D NumPy arrays or
    DistArrays), one for all axes or one per axis.  Returns one array per
    axis (a tuple when there are several), each distributed like ``f``.
    """
    spacing = next((d for d in varargs if isinstance(d, DistArray)), None)
    if not isinstance(f, DistArray) and spacing is None:
        return np.gradient(f, *varargs, axis=axis, edge_order=edge_order)
    f = as_input(f)
    axes = tuple(range(f.ndim)) if axis is None else normalize_axis_tuple(axis, f.ndim)
    if not varargs:
        dx = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        dx = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        dx = [_spacing(d, f.shape[a]) for d, a in zip(varargs, axes)]
    else:
        raise TypeError("invalid number of arguments")
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    if any(f.shape[a] < edge_order + 1 for a in axes):
        raise ValueError("Shape of array too small to calculate a numerical gradient, at "
                         "least (edge_order + 1) elements are required.")
    if f.dtype.kind in "mM":
        raise TypeError("distarray.gradient does not support datetime dtypes")
    otype = f.dtype
    np.subtract(np.empty(0, otype), np.empty(0, otype))  # NumPy's error (booleans ...)
    if not isinstance(f, DistArray):
        f = fromarray(f, context=spacing.context)  # the coordinates are distributed
    if not np.issubdtype(otype, np.inexact):
        f, otype = f.astype(np.float64), np.dtype(np.float64)
    dx = [d if np.ndim(d) == 0 else _coordinate_steps(d) for d in dx]
    results = tuple(_derivative(f, a, d, edge_order, otype) for a, d in zip(axes, dx))
    return results[0] if len(results) == 1 else results


def _shortened(shape, axis):
    """``shape`` with one element fewer along ``axis`` (the shape of a difference)."""
    axis = normalize_axis_index(axis, len(shape))
    return shape[:axis] + (max(shape[axis] - 1, 0),) + shape[axis + 1:]


@implements(np.trapezoid)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral along ``axis`` by the trapezoidal rule, as :func:`numpy.trapezoid`.

    ``x`` (sample points: 1-D, or shaped like ``y``) may be a NumPy array or
    a DistArray.  The result is a DistArray, or a NumPy scalar for 1-D ``y``.
    """
    if not any_distributed(y, x, dx):
        return np.trapezoid(y, x, dx, axis)
    y = as_input(y)
    later, earlier = [slice(None)] * y.ndim, [slice(None)] * y.ndim
    later[axis], earlier[axis] = slice(1, None), slice(None, -1)  # NumPy's IndexError
    if x is None:
        d = dx
    else:
        x = as_input(x)
        if x.ndim == 1:
            step_shape = [1] * y.ndim
            step_shape[axis] = max(x.shape[0] - 1, 0)
            np.broadcast_shapes(tuple(step_shape), _shortened(y.shape, axis))
            d = diff(x).reshape(step_shape)
        else:
            np.broadcast_shapes(_shortened(x.shape, axis), _shortened(y.shape, axis))
            d = diff(x, axis=axis)
    return (d * (y[tuple(later)] + y[tuple(earlier)]) / 2.0).sum(axis)


@implements(np.unwrap)
def unwrap(p, discont=None, axis=-1, *, period=2 * np.pi):
    """Phases unwrapped along ``axis``, as :func:`numpy.unwrap`.

    Jumps between neighbours larger than ``discont`` (default ``period / 2``)
    are brought into ``[-period/2, period/2]`` by whole periods, and the
    corrections accumulate with a distributed ``cumsum``.
    """
    if not any_distributed(p):
        return np.unwrap(p, discont, axis, period=period)
    p = as_input(p)
    np.unwrap(np.empty((1,) * p.ndim, p.dtype), discont, axis, period=period)  # NumPy's errors
    axis = normalize_axis_index(axis, p.ndim)
    step = diff(p, axis=axis)
    discont = period / 2 if discont is None else discont
    dtype = np.result_type(step.dtype, period)
    if np.issubdtype(dtype, np.integer):
        high, odd = divmod(period, 2)
        ambiguous = odd == 0
    else:
        high, ambiguous = period / 2, True
    wrapped = np.mod(step + high, period) - high
    if ambiguous:  # a jump of exactly half a period keeps its sign
        np.copyto(wrapped, high, where=(wrapped == -high) & (step > 0))
    correction = wrapped - step
    np.copyto(correction, 0, where=np.abs(step) < discont)
    result = p.astype(dtype)
    later = _along(p.ndim, axis, slice(1, None))
    result[later] = p[later] + correction.cumsum(axis)
    return result


def _vector_axis(v, axis, name):
    """``v`` as an array and its vector axis, checked."""
    v = as_input(v)
    if v.ndim < 1:
        raise ValueError("At least one array has zero dimension")
    return v, normalize_axis_index(axis, v.ndim, msg_prefix=name)


def _components(v, axis, dtype):
    """The components of the vectors along ``axis`` of ``v``, as ``dtype`` views or copies."""
    return [v[_along(v.ndim, axis, i)].astype(dtype, copy=False) for i in range(v.shape[axis])]


@implements(np.cross)
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 2- or 3-component vectors, as :func:`numpy.cross`.

    The components are products of views of the operands; for 3-vectors the
    result components are stacked along ``axisc``.
    """
    if axis is not None:
        axisa, axisb, axisc = (axis,) * 3
    (a, axisa), (b, axisb) = _vector_axis(a, axisa, "axisa"), _vector_axis(b, axisb, "axisb")
    ka, kb = a.shape[axisa], b.shape[axisb]
    if ka not in (2, 3) or kb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n"
                         "(dimension must be 2 or 3)")
    if 2 in (ka, kb):
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                      "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                      DeprecationWarning, stacklevel=2)
    shape = np.broadcast_shapes(a.shape[:axisa] + a.shape[axisa + 1:],
                                b.shape[:axisb] + b.shape[axisb + 1:])
    dtype = np.promote_types(a.dtype, b.dtype)
    np.subtract(np.empty(0, dtype), np.empty(0, dtype))  # NumPy's error for booleans
    if 3 in (ka, kb):
        axisc = normalize_axis_index(operator.index(axisc), len(shape) + 1, msg_prefix="axisc")
    a, b = _components(a, axisa, dtype), _components(b, axisb, dtype)
    third = a[0] * b[1] - a[1] * b[0]
    if ka == kb == 2:
        return third
    if ka == 2:
        components = [a[1] * b[2], -(a[0] * b[2]), third]
    elif kb == 2:
        components = [-(a[2] * b[1]), a[2] * b[0], third]
    else:
        components = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], third]
    return stack(components, axis=axisc)
