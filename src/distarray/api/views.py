"""Views of DistArrays cut by value or along an axis: ``trim_zeros``, ``unstack``.

``trim_zeros`` finds, for each trimmed axis, the first and last positions
whose slice holds a nonzero element (a distributed ``any`` over the other
axes, then ``argmax`` from both ends) and returns the basic-indexing view of
that box, as NumPy returns a view.  ``unstack`` returns the views along an
axis.  Arguments are checked by the NumPy function on stand-in arrays first.
"""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from . import reductions
from .darray import DistArray
from .dispatch import implements
from .shape import flip, moveaxis
from .sorting import quietly, tiny_standin

__all__ = ["trim_zeros", "unstack"]


def _extent(nonzero, axis, trim):
    """The slice of ``axis`` between its first and last positions holding a nonzero."""
    others = tuple(a for a in range(nonzero.ndim) if a != axis)
    along = reductions.any(nonzero, axis=others) if others else nonzero
    start = int(reductions.argmax(along)) if "f" in trim else None
    stop = along.size - int(reductions.argmax(flip(along))) if "b" in trim else None
    return slice(start, stop)


@implements(np.trim_zeros)
def trim_zeros(filt, trim="fb", axis=None):
    """``filt`` without leading and/or trailing zeros, as :func:`numpy.trim_zeros`.

    ``axis=None``: the smallest box holding every nonzero element (a view).
    """
    if not isinstance(filt, DistArray):
        return np.trim_zeros(filt, trim, axis)
    quietly(np.trim_zeros, tiny_standin(filt.shape, filt.dtype), trim, axis)
    axes = range(filt.ndim) if axis is None else normalize_axis_tuple(axis, filt.ndim)
    if not axes:
        return filt
    nonzero = filt != 0
    if reductions.count_nonzero(nonzero) == 0:
        cuts = {a: slice(0, 0) for a in axes}
    else:
        cuts = {a: _extent(nonzero, a, trim.lower()) for a in axes}
    return filt[tuple(cuts.get(a, slice(None)) for a in range(filt.ndim))]


@implements(np.unstack)
def unstack(x, /, *, axis=0):
    """The views of ``x`` along ``axis``, as a tuple, as :func:`numpy.unstack`."""
    if not isinstance(x, DistArray):
        return np.unstack(x, axis=axis)
    quietly(np.unstack, tiny_standin(x.shape, x.dtype), axis=axis)
    moved = moveaxis(x, normalize_axis_index(axis, x.ndim), 0)
    return tuple(moved[i] for i in range(moved.shape[0]))
