"""``partition`` and ``argpartition`` of DistArrays, by sorting.

A sorted array is a valid partition for every ``kth`` at once, so both run
distarray's :func:`.sorting.sort` / :func:`.sorting.argsort` along the axis
(layouts as described there).  The element at each ``kth`` position is the
one NumPy puts there; the order of the others may differ from NumPy's
introselect.  ``kth`` is checked on the client first, as NumPy checks it.
"""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .dispatch import implements
from .sorting import argsort, as_input, sort

__all__ = ["argpartition", "partition"]


def _check(a, kth, axis, kind, order):
    """NumPy's checks of ``partition(a, kth, axis, kind, order)``, without the data."""
    np.partition(np.zeros(1, a.dtype), 0, kind=kind, order=order)
    if a.size == 0:
        np.partition(np.empty(a.shape, a.dtype), kth, axis)
        return
    n = a.size if axis is None else a.shape[normalize_axis_index(axis, a.ndim)]
    kth = np.asarray(kth)
    if kth.dtype == bool:
        raise ValueError("Booleans unacceptable as partition index")
    if kth.dtype.kind not in "iu":
        raise TypeError("Partition index must be integer")
    if kth.ndim > 1:
        raise ValueError("kth must be scalar or 1-D")
    kth = np.where(kth < 0, kth + n, kth).reshape(-1)
    bad = (kth < 0) | (kth >= n)
    if bad.any():
        raise ValueError("kth(=%d) out of bounds (%d)" % (kth[bad][0], n))


@implements(np.partition)
def partition(a, kth, axis=-1, kind="introselect", order=None):
    """A copy of ``a`` partitioned around the ``kth`` elements along ``axis`` (sorted)."""
    a = as_input(a)
    _check(a, kth, axis, kind, order)
    return sort(a, axis)


@implements(np.argpartition)
def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """Indices that partition ``a`` around the ``kth`` elements along ``axis`` (argsort).

    A 0-d array is taken as 1-d, as NumPy takes it.
    """
    a = as_input(a)
    if a.ndim == 0:
        a = a.reshape(1)
    _check(a, kth, axis, kind, order)
    return argsort(a, axis)
