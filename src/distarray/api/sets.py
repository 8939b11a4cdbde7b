"""Set functions of DistArrays: the ``unique_*`` family and the 1-D set operations.

Each function is composed from distributed operations as NumPy composes it:
:func:`.sorting.unique` (sample sort, deduplication), :func:`.sorting.sort` /
``argsort`` of the joined operands, neighbour comparisons of shifted views,
boolean compression and :func:`.lookup.isin`.  Nothing is gathered on the
client.  Arguments are checked first by running the NumPy function on tiny
stand-in arrays of the operands' dtypes (NumPy's errors, raised before anything
is sent).  NumPy operands are distributed in the context of the DistArray
operand; with no DistArray the NumPy function is called.  Results are 1-D
DistArrays (inverse indices: shaped and laid out like the input).
"""

from typing import NamedTuple

import numpy as np

from .creation import in_context
from .darray import DistArray
from .dispatch import implements
from .lookup import isin
from .shape import concatenate, ravel
from .sorting import quietly, tiny_standin, argsort, sort, unique
from .ufuncs import any_distributed, common_context

__all__ = ["intersect1d", "setdiff1d", "setxor1d", "union1d", "unique_all", "unique_counts",
           "unique_inverse", "unique_values"]


class UniqueAllResult(NamedTuple):
    values: DistArray
    indices: DistArray
    inverse_indices: DistArray
    counts: DistArray


class UniqueCountsResult(NamedTuple):
    values: DistArray
    counts: DistArray


class UniqueInverseResult(NamedTuple):
    values: DistArray
    inverse_indices: DistArray


def _checked(function, *arrays, **kwargs):
    """The arrays (array_likes as NumPy arrays), after NumPy's checks on stand-ins."""
    arrays = [x if isinstance(x, DistArray) else np.asarray(x) for x in arrays]
    common_context(arrays)
    quietly(function, *(tiny_standin(x.shape, x.dtype) for x in arrays), **kwargs)
    return arrays


def _shared(function, *arrays, **kwargs):
    """The arrays as DistArrays of one context, after NumPy's checks on stand-ins."""
    arrays = _checked(function, *arrays, **kwargs)
    return [in_context(x, arrays) for x in arrays]


# -- the unique_* family (NumPy 2 and the array API standard) ----------------------------
def _unique(function, x, **outputs):
    """``numpy.unique`` of DistArray ``x`` with ``equal_nan=False`` (each NaN is unique)."""
    (x,) = _shared(function, x)
    return unique(x, equal_nan=False, **outputs)


@implements(np.unique_values)
def unique_values(x):
    """The unique elements of ``x`` (each NaN counts once), as :func:`numpy.unique_values`.

    The order is unspecified there; distarray's result is sorted.
    """
    if not isinstance(x, DistArray):
        return np.unique_values(x)
    return _unique(np.unique_values, x)


@implements(np.unique_counts)
def unique_counts(x):
    """The unique elements of ``x`` and how often each occurs, as :func:`numpy.unique_counts`."""
    if not isinstance(x, DistArray):
        return np.unique_counts(x)
    return UniqueCountsResult(*_unique(np.unique_counts, x, return_counts=True))


@implements(np.unique_inverse)
def unique_inverse(x):
    """The unique elements of ``x`` and the indices (shaped as ``x``) rebuilding ``x`` from them."""
    if not isinstance(x, DistArray):
        return np.unique_inverse(x)
    return UniqueInverseResult(*_unique(np.unique_inverse, x, return_inverse=True))


@implements(np.unique_all)
def unique_all(x):
    """Unique elements, first indices, inverse indices (shaped as ``x``) and counts."""
    if not isinstance(x, DistArray):
        return np.unique_all(x)
    return UniqueAllResult(*_unique(np.unique_all, x, return_index=True, return_inverse=True,
                                    return_counts=True))


# -- set operations of 1-D arrays ---------------------------------------------------------
def _repeated(ordered):
    """Whether each element of the sorted 1-D ``ordered`` but the last equals the next one."""
    return ordered[1:] == ordered[:-1]


@implements(np.intersect1d)
def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted values in both arrays, as :func:`numpy.intersect1d`.

    ``return_indices``: also the indices of the first occurrences of these
    values in the flattened ``ar1`` and ``ar2``.
    """
    if not any_distributed(ar1, ar2):
        return np.intersect1d(ar1, ar2, assume_unique, return_indices)
    ar1, ar2 = _shared(np.intersect1d, ar1, ar2, assume_unique=assume_unique,
                       return_indices=return_indices)
    if assume_unique:
        first, second = ravel(ar1), ravel(ar2)
    elif return_indices:
        (first, index1), (second, index2) = (unique(ar1, return_index=True),
                                             unique(ar2, return_index=True))
    else:
        first, second = unique(ar1), unique(ar2)
    joined = concatenate((first, second))
    if not return_indices:
        joined = sort(joined)
        return joined[:-1][_repeated(joined)]
    order = argsort(joined, kind="stable")
    joined = joined[order]
    repeated = _repeated(joined)
    in1, in2 = order[:-1][repeated], order[1:][repeated] - first.size
    if not assume_unique:
        in1, in2 = index1[in1], index2[in2]
    return joined[:-1][repeated], in1, in2


@implements(np.union1d)
def union1d(ar1, ar2):
    """The sorted values in either array, as :func:`numpy.union1d`."""
    if not any_distributed(ar1, ar2):
        return np.union1d(ar1, ar2)
    ar1, ar2 = _shared(np.union1d, ar1, ar2)
    return unique(concatenate((ar1, ar2), axis=None))


@implements(np.setdiff1d)
def setdiff1d(ar1, ar2, assume_unique=False):
    """The values of ``ar1`` not in ``ar2``, as :func:`numpy.setdiff1d`.

    Sorted unique values, or, ``assume_unique``, in ``ar1``'s (flattened)
    order.  A NumPy ``ar2`` is sent to every worker as the table of
    :func:`.lookup.isin`.
    """
    if not any_distributed(ar1, ar2):
        return np.setdiff1d(ar1, ar2, assume_unique)
    ar1, ar2 = _checked(np.setdiff1d, ar1, ar2, assume_unique=assume_unique)
    ar1 = in_context(ar1, (ar1, ar2))
    first = ravel(ar1) if assume_unique else unique(ar1)
    return first[isin(first, ar2, invert=True)]


@implements(np.setxor1d)
def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted values in exactly one of the arrays, as :func:`numpy.setxor1d`."""
    if not any_distributed(ar1, ar2):
        return np.setxor1d(ar1, ar2, assume_unique)
    ar1, ar2 = _shared(np.setxor1d, ar1, ar2, assume_unique=assume_unique)
    if not assume_unique:
        ar1, ar2 = unique(ar1), unique(ar2)
    joined = concatenate((ar1, ar2), axis=None)
    if joined.size == 0:
        return joined
    joined = sort(joined)
    edge = np.ones(1, bool)
    alone = concatenate((edge, joined[1:] != joined[:-1], edge))
    return joined[alone[1:] & alone[:-1]]
