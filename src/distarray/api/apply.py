"""Applying user functions to DistArrays: ``apply_along_axis``, ``apply_over_axes``,
``piecewise``.

``apply_along_axis`` brings ``axis`` whole onto the processes (one
redistribution, none when it already is) and each worker runs NumPy's
``apply_along_axis`` on its piece with the function shipped once (as
:func:`.stencils.map_overlap` does).  The result's shape and dtype come from
one call on the first slice, on the worker holding it, as NumPy learns them
from its first slice; the function's axes are undistributed in the result and the other
axes keep their layout.  ``piecewise`` runs NumPy's ``piecewise`` on each piece
with the conditions laid out like ``x`` (so callables must work elementwise, as
NumPy's documentation asks).  ``apply_over_axes`` calls the function on the
DistArray itself as NumPy does.
"""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..plan.distribution import Distribution
from ..plan.maps import UndistributedMap
from ..runtime.messages import MaybeRef, Ref
from .creation import fromarray
from .darray import DistArray
from .dispatch import implements
from .indexing import redistribute
from .ufunc_methods import _whole_axis

__all__ = ["apply_along_axis", "apply_over_axes", "piecewise"]


@implements(np.apply_along_axis)
def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``func1d`` applied to the 1-D slices of DistArray ``arr`` along ``axis``.

    Returns a DistArray shaped as :func:`numpy.apply_along_axis` shapes its
    result: ``axis`` replaced by the axes of ``func1d``'s result.
    """
    if not isinstance(arr, DistArray):
        return np.apply_along_axis(func1d, axis, arr, *args, **kwargs)
    axis = normalize_axis_index(axis, arr.ndim)
    if 0 in arr.shape[:axis] + arr.shape[axis + 1:]:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0")
    context = arr.context
    whole = _whole_axis(arr, axis)
    source, function = whole.distribution, context.pool.ship(func1d)
    if arr.shape[axis]:
        first = source.owning_targets((0,) * arr.ndim)[:1]
        shape, dtype = context.pool.run("apply_along_sample", Ref(whole.key), function, axis,
                                        args, kwargs, targets=first)[first[0]]
    else:
        sample = np.asanyarray(func1d(np.empty(0, arr.dtype), *args, **kwargs))
        shape, dtype = sample.shape, sample.dtype
    maps = source.maps[:axis] + tuple(map(UndistributedMap, shape)) + source.maps[axis + 1:]
    result = Distribution.from_maps(context, maps, source.targets)
    key = context.pool.new_key()
    whole._run("apply_along_piece", MaybeRef(context.layout(result)), function, axis, args,
               kwargs, dtype, out=key)
    return DistArray._wrap(result, dtype, key)


@implements(np.apply_over_axes)
def apply_over_axes(func, a, axes):
    """``func(a, axis)`` over each of ``axes`` in turn, as :func:`numpy.apply_over_axes`.

    ``func`` gets the DistArray (e.g. ``np.sum``, dispatched to distarray);
    a result with one dimension fewer gets it back by ``expand_dims``.
    """
    if not isinstance(a, DistArray):
        return np.apply_over_axes(func, a, axes)
    value = a
    for axis in np.atleast_1d(axes):
        axis = int(axis) + a.ndim if axis < 0 else int(axis)
        result = func(value, axis)
        if np.ndim(result) != value.ndim:
            result = np.expand_dims(result, axis)
            if np.ndim(result) != value.ndim:
                raise ValueError("function is not returning an array of the correct shape")
        value = result
    return value


def _condition(condition, x):
    """One condition of ``piecewise`` as a boolean DistArray laid out like ``x``."""
    if not isinstance(condition, DistArray):
        condition = np.asarray(condition, dtype=bool)
    if condition.shape != x.shape:
        raise IndexError("boolean index did not match indexed array; shape is %s but "
                         "the condition's shape is %s" % (x.shape, condition.shape))
    if not isinstance(condition, DistArray):
        return fromarray(condition, distribution=x.distribution)
    condition = condition.astype(bool, copy=False)
    if condition.distribution == x.distribution:
        return condition
    return redistribute(condition, x.distribution)


def _conditions(condlist, x):
    """``condlist`` as a list of conditions: one condition alone (a scalar, or a vector for
    ``x`` of 1 or more dimensions) is promoted, by NumPy's rule (DistArrays as arrays)."""
    if isinstance(condlist, DistArray):
        single = condlist.ndim == 0 or (x.ndim and condlist.ndim == 1)
    else:
        single = np.isscalar(condlist) or (
            x.ndim and not isinstance(condlist[0], (list, np.ndarray, DistArray)))
    return [condlist] if single else list(condlist)


@implements(np.piecewise)
def piecewise(x, condlist, funclist, *args, **kw):
    """Values of ``funclist``'s scalars or callables where ``condlist``'s conditions hold,
    as :func:`numpy.piecewise`, for a DistArray ``x`` (conditions: DistArrays or arrays of
    ``x``'s shape).  Callables are shipped to the workers and called on each piece."""
    if not isinstance(x, DistArray):
        return np.piecewise(x, condlist, funclist, *args, **kw)
    conditions = _conditions(condlist, x)
    n, n2 = len(conditions), len(funclist)
    if n not in (n2, n2 - 1):
        raise ValueError("with %d condition(s), either %d or %d functions are expected"
                         % (n, n, n + 1))
    conditions = [_condition(c, x) for c in conditions]
    ship = x.context.pool.ship
    functions = [ship(f) if callable(f) else f for f in funclist]
    return x._derive("piecewise_piece", [Ref(c.key) for c in conditions], functions, args, kw)
