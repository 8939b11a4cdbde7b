"""Sorts by several keys and of complex values: ``lexsort``, ``sort_complex``.

``lexsort`` runs one stable :func:`.sorting.argsort` per key, from the first
key to the last (the primary one), each ordering the key's values as the
previous sorts arranged them (:func:`.selection.take_along_axis`, fancy
indexing on the workers).  ``sort_complex`` is :func:`.sorting.sort` along the
last axis and a cast to NumPy's complex result dtype.  Arguments are checked by
the NumPy function on stand-in arrays before anything is sent.
"""

import builtins

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .creation import in_context
from .darray import DistArray
from .dispatch import implements
from .selection import take_along_axis
from .sorting import quietly, tiny_standin, argsort, sort
from .ufuncs import common_context

__all__ = ["lexsort", "sort_complex"]


def _keys(keys):
    """The keys as a list (the rows of a DistArray), NumPy ones as arrays.

    None for a DistArray whose keys are not arrays (NumPy's result does not
    depend on their values) or that has none.
    """
    if isinstance(keys, DistArray):
        return [keys[i] for i in range(keys.shape[0])] if keys.ndim > 1 and len(keys) else None
    return [k if isinstance(k, DistArray) else np.asarray(k) for k in keys]


@implements(np.lexsort)
def lexsort(keys, axis=-1):
    """Indices sorting by several keys (the last one primary), as :func:`numpy.lexsort`.

    ``keys``: a sequence of arrays (DistArrays or array_likes) of one shape,
    or a DistArray of at least 2 dimensions whose rows are the keys.  The
    result is laid out as a stable ``argsort`` along ``axis`` gives it.
    """
    listed = _keys(keys)
    if listed is None:  # no keys, or the elements of a 0-d or 1-D array as scalar keys
        return np.lexsort(np.zeros(keys.shape, keys.dtype), axis)
    if not builtins.any(isinstance(k, DistArray) for k in listed):
        return np.lexsort(keys, axis)
    if len({k.shape for k in listed}) > 1:
        raise ValueError("all keys need to be the same shape")
    common_context(listed)
    ndim = listed[0].ndim
    result = quietly(np.lexsort, [tiny_standin(k.shape, k.dtype) for k in listed], axis)
    if ndim == 0:
        return result
    axis = normalize_axis_index(axis, ndim)
    listed = [in_context(k, listed) for k in listed]
    order = argsort(listed[0], axis, kind="stable")
    for key in listed[1:]:
        again = argsort(take_along_axis(key, order, axis), axis, kind="stable")
        order = take_along_axis(order, again, axis)
    return order


@implements(np.sort_complex)
def sort_complex(a):
    """``a`` sorted along its last axis (real parts first), as :func:`numpy.sort_complex`."""
    if not isinstance(a, DistArray):
        return np.sort_complex(a)
    dtype = quietly(np.sort_complex, tiny_standin(a.shape, a.dtype)).dtype
    return sort(a).astype(dtype, copy=False)
