"""Index arithmetic and assembling arrays from blocks, for DistArrays.

* ``unravel_index`` / ``ravel_multi_index``: elementwise on each piece (the
  elementwise machinery, :func:`.ufuncs.call`, with an
  :class:`~distarray.local.functions.ElementwiseFunction`); NumPy's checks of
  the arguments run on empty stand-ins, and out-of-bounds indices
  (``mode='raise'``) are found from the distributed minimum and maximum before
  any piece is converted (``unravel_index`` then names the first one, as
  NumPy).
* ``resize``: ``tile`` of the raveled array, cut and reshaped.
* ``block``: the nested lists are checked as NumPy checks them, the result's
  shape and dtype are planned on the client, then the blocks are joined with
  ``concatenate`` (innermost lists along the last axis).
* ``triu_indices_from``, ``tril_indices_from``, ``diag_indices_from``: NumPy's
  functions of a stand-in of the array's shape (NumPy arrays are returned).
"""

import math
import operator

import numpy as np

from ..plan.shape import concatenate_result, probe
from .copying import copy
from .creation import zeros
from .darray import DistArray, dtype_of, shape_of
from .dispatch import implements
from .indexing import extremes
from .shape import concatenate, ravel, reshape, tile
from .ufuncs import call_function

__all__ = ["block", "diag_indices_from", "ravel_multi_index", "resize", "tril_indices_from",
           "triu_indices_from", "unravel_index"]


def _bounds(x):
    """``(min, max)`` of the array ``x`` (DistArray or NumPy; not empty)."""
    if isinstance(x, DistArray):
        low, high = extremes([x], x.dtype)[:, 0]
        return low, high
    return np.min(x), np.max(x)


# -- unravel_index, ravel_multi_index ---------------------------------------------------
@implements(np.unravel_index)
def unravel_index(indices, shape, order="C"):
    """The coordinate arrays of flat ``indices`` in an array of ``shape``, as NumPy.

    Returns a tuple of DistArrays laid out like ``indices``.
    """
    np.unravel_index(np.zeros(0, dtype_of(indices)), shape, order)
    shape = tuple(shape) if np.ndim(shape) else (shape,)
    size = math.prod(shape)
    if np.size(indices):
        low, high = _bounds(indices)
        if low < 0 or high >= size:
            bad = (indices < 0) | (indices >= size)
            first = indices[np.unravel_index(int(np.argmax(bad)), np.shape(indices))]
            raise ValueError("index %d is out of bounds for array with size %d" % (first, size))
    coordinates = call_function("unravel", (indices,), {"shape": shape, "index_order": order},
                                nout=len(shape))
    return coordinates if len(shape) > 1 else (coordinates,)


@implements(np.ravel_multi_index)
def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """The flat indices of coordinate arrays in an array of shape ``dims``, as NumPy.

    The result (a DistArray) has the coordinates' broadcast shape.
    """
    np.ravel_multi_index(tuple(np.zeros(0, dtype_of(x)) for x in multi_index), dims, mode, order)
    dims = tuple(dims) if np.ndim(dims) else (dims,)
    modes = (mode,) * len(dims) if isinstance(mode, str) else tuple(mode)
    for x, n, m in zip(multi_index, dims, modes):
        if m == "raise" and np.size(x):
            low, high = _bounds(x)
            if low < 0 or high >= n:
                raise ValueError("invalid entry in coordinates array")
    return call_function("ravel_coordinates", multi_index,
                         {"dims": dims, "mode": mode, "index_order": order})


# -- resize -----------------------------------------------------------------------------
@implements(np.resize)
def resize(a, new_shape):
    """``a`` raveled, repeated to fill ``new_shape`` and reshaped, as :func:`numpy.resize`."""
    shape = (new_shape,) if isinstance(new_shape, (int, np.integer)) else tuple(new_shape)
    shape = tuple(operator.index(n) for n in shape)
    if any(n < 0 for n in shape):
        raise ValueError("all elements of `new_shape` must be non-negative")
    size = math.prod(shape)
    if a.size == 0 or size == 0:
        return zeros(shape, a.dtype, context=a.context)
    flat = ravel(a)
    return reshape(tile(flat, -(-size // a.size))[:size], shape)


# -- block ------------------------------------------------------------------------------
def _depth(node, path):
    """The depth of nested lists in ``node`` and the path of its first leaf, as NumPy checks."""
    if type(node) is tuple:
        raise TypeError("%s is a tuple. Only lists can be used to arrange blocks, and np.block "
                        "does not allow implicit conversion from tuple to ndarray." % path)
    if type(node) is not list:
        return 0, path
    if not node:
        raise ValueError("List at %s cannot be empty" % path)
    first, leaf = _depth(node[0], path + "[0]")
    for i, child in enumerate(node[1:], 1):
        depth, other = _depth(child, "%s[%d]" % (path, i))
        if depth != first:
            raise ValueError("List depths are mismatched. First element was at depth %d, but "
                             "there is an element at depth %d (%s)"
                             % (first + 1 + path.count("["), depth + 1 + path.count("["), other))
    return first + 1, leaf


def _fold(node, depth, leaf, join):
    """``leaf`` of every block, joined list by list (innermost along the last axis)."""
    if depth == 0:
        return leaf(node)
    return join([_fold(child, depth - 1, leaf, join) for child in node], -depth)


def _block_leaf(x, ndim):
    """The block ``x`` with leading axes of length 1 up to ``ndim`` dimensions."""
    if not isinstance(x, DistArray):
        return np.array(x, ndmin=ndim, copy=None)
    return x.reshape((1,) * (ndim - x.ndim) + x.shape) if x.ndim < ndim else x


def _leaves(node):
    return [x for child in node for x in _leaves(child)] if type(node) is list else [node]


@implements(np.block)
def block(arrays):
    """An array assembled from nested lists of blocks, as :func:`numpy.block`.

    Blocks are DistArrays, array_likes or scalars; the result is a DistArray
    in the default layout (see :func:`.shape.concatenate`).
    """
    depth = _depth(arrays, "arrays")[0]
    if depth == 0:
        return copy(arrays) if isinstance(arrays, DistArray) else np.array(arrays, copy=True)
    ndim = max(depth, *(len(shape_of(x)) for x in _leaves(arrays)))
    _fold(arrays, depth, lambda x: ((1,) * (ndim - len(shape_of(x))) + shape_of(x), dtype_of(x)),
          lambda parts, axis: concatenate_result(*zip(*parts), axis))
    return _fold(arrays, depth, lambda x: _block_leaf(x, ndim), _join)


def _join(parts, axis):
    if any(isinstance(x, DistArray) for x in parts):
        return concatenate(parts, axis)
    return np.concatenate(parts, axis)


# -- indices of triangles and diagonals -------------------------------------------------
def _of_shape(function, arr, *args):
    """NumPy's ``function`` of a stand-in with ``arr``'s shape (it only reads the shape)."""
    return function(probe(arr.shape, arr.dtype), *args)


@implements(np.triu_indices_from)
def triu_indices_from(arr, k=0):
    """Indices of the upper triangle of the 2-D ``arr``, as :func:`numpy.triu_indices_from`."""
    return _of_shape(np.triu_indices_from, arr, k)


@implements(np.tril_indices_from)
def tril_indices_from(arr, k=0):
    """Indices of the lower triangle of the 2-D ``arr``, as :func:`numpy.tril_indices_from`."""
    return _of_shape(np.tril_indices_from, arr, k)


@implements(np.diag_indices_from)
def diag_indices_from(arr):
    """Indices of the main diagonal of ``arr``, as :func:`numpy.diag_indices_from`."""
    return _of_shape(np.diag_indices_from, arr)
