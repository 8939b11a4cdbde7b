"""``unique`` along an axis: the distinct slices of a DistArray, as ``numpy.unique(axis=k)``.

NumPy reads every slice along ``axis`` as one record (a structured value
whose fields are the slice's elements, compared field by field) and takes
the unique records.  distarray does the same, distributed: the axis is moved
first and the other axes are made undistributed (one exchange), so that each
process holds whole slices; each process reads its slices as records; the
records go through distarray's 1-D :func:`.sorting.unique` (sample sort,
deduplication); the unique records are read back as slices and the axis is
moved back.  The slices of a 1-D array are its elements (its ``unique``);
an array without elements is NumPy's business (there is no data to move).
"""

import math

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..plan.distribution import Distribution
from ..plan.maps import UndistributedMap
from ..runtime.messages import Ref
from .creation import fromarray
from .darray import DistArray
from .indexing import redistribute
from .shape import moveaxis

__all__ = ["unique_slices"]


def _regrouped(a, maps, dtype):
    """``a`` (axis 0 distributed, others local) with each row read as ``dtype``, laid out
    by ``maps`` (the same axis 0, local others)."""
    result = Distribution.from_maps(a.context, maps, a.targets)
    key = a.context.pool.new_key()
    a._run("rows_read_as", Ref(a.context.layout(result)), dtype, out=key)
    return DistArray._wrap(result, dtype, key)


def unique_slices(a, axis, flags, equal_nan, sorted):  # noqa: A002 - NumPy's name
    """``numpy.unique(a, *flags, axis=axis, equal_nan=..., sorted=...)`` of DistArray ``a``.

    ``flags``: ``(return_index, return_inverse, return_counts)``.  Returns
    what :func:`.sorting.unique` returns: the unique slices (moved back to
    ``axis``) and the wanted 1-D index arrays.
    """
    from .sorting import local_axes_distribution, unique  # (a module built on this one)

    axis = normalize_axis_index(axis, a.ndim)
    if a.ndim == 1:  # NumPy's slices are then the elements (NaNs merged as asked)
        return unique(a, *flags, equal_nan=equal_nan)
    if a.size == 0:
        found = np.unique(np.empty(a.shape, a.dtype), *flags, axis=axis, equal_nan=equal_nan,
                          sorted=sorted)
        if isinstance(found, tuple):
            return tuple(fromarray(x, context=a.context) for x in found)
        return fromarray(found, context=a.context)
    moved = moveaxis(a, axis, 0)
    rest = moved.shape[1:]
    moved = redistribute(moved, local_axes_distribution(moved.distribution,
                                                        range(1, moved.ndim)))
    row = moved.distribution.maps[0]
    records = np.dtype([("f%d" % i, a.dtype) for i in range(math.prod(rest))])
    found = unique(_regrouped(moved, (row,), records), *flags, equal_nan=equal_nan)
    found = list(found) if isinstance(found, tuple) else [found]
    values = found[0]
    slices = _regrouped(values, (values.distribution.maps[0],
                                 *(UndistributedMap(n) for n in rest)), a.dtype)
    found[0] = moveaxis(slices, 0, axis)
    return found[0] if len(found) == 1 else tuple(found)
