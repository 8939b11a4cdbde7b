"""Joining, splitting, inserting, deleting and rotating DistArrays, as NumPy does.

Composed of :mod:`.shape`'s operations, planned on the client:

* ``append`` and ``column_stack`` are :func:`.shape.concatenate` (each input
  assigned into its slice of a new array); ``vsplit``/``hsplit``/``dsplit``
  are :func:`.shape.split` (views); ``rot90`` is flips and a transpose (a view).
* ``delete`` keeps the remaining positions along the axis with one
  :func:`.shape.take` (a worker-to-worker exchange).
* ``insert`` at one point makes the new array and assigns the old elements
  and the values into their slices; at several points the old elements are
  moved to their new positions with one :func:`.shape.take`, then the values
  are assigned into theirs by advanced indexing.

The positions along the axis are computed on the client with NumPy (so its
checks and errors apply, before anything is sent); that needs memory for one
index per element of that axis, never for the array.  A DistArray ``obj`` of
``delete`` stays on the workers (the kept positions are found there); that of
``insert`` is refused.
"""

import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..plan.shape import probe
from .creation import empty, ones
from .darray import DistArray
from .dispatch import implements
from .indexing import _assigned_values, setitem
from .shape import (atleast_2d, concatenate, flatnonzero, flip, moveaxis, ravel, reshape,
                    split, take, transpose)
from .ufuncs import broadcasts_to, shape_text

__all__ = ["append", "column_stack", "delete", "dsplit", "hsplit", "insert", "rot90", "vsplit"]

_FULL = slice(None)


def _ravel(x):
    return ravel(x) if isinstance(x, DistArray) else np.ravel(x)


@implements(np.append)
def append(arr, values, axis=None):
    """``values`` appended to ``arr`` (both flattened if ``axis`` is None): a new array."""
    arr = arr if isinstance(arr, DistArray) else np.asarray(arr)
    if axis is None:
        arr, values, axis = _ravel(arr), _ravel(values), 0
    return concatenate((arr, values), axis=axis)


@implements(np.column_stack)
def column_stack(tup):
    """1-D (and 0-d) arrays as columns, joined with 2-D arrays along axis 1."""
    arrays = []
    for x in tup:
        x = x if isinstance(x, DistArray) else np.asarray(x)
        if x.ndim < 2:
            x = transpose(atleast_2d(x)) if isinstance(x, DistArray) else np.array(x, ndmin=2).T
        arrays.append(x)
    return concatenate(arrays, 1)


def _split_at_least(name, ndim, ary, indices_or_sections, axis):
    """``split(ary, indices_or_sections, axis)`` for an ``ary`` of at least ``ndim`` axes."""
    if ary.ndim < ndim:
        raise ValueError("%s only works on arrays of %d or more dimensions" % (name, ndim))
    return split(ary, indices_or_sections, axis)


@implements(np.vsplit)
def vsplit(ary, indices_or_sections):
    """Views of ``ary`` split along axis 0 (at least 2-D)."""
    return _split_at_least("vsplit", 2, ary, indices_or_sections, 0)


@implements(np.hsplit)
def hsplit(ary, indices_or_sections):
    """Views of ``ary`` split along axis 1 (axis 0 of a 1-D array)."""
    return _split_at_least("hsplit", 1, ary, indices_or_sections, 1 if ary.ndim > 1 else 0)


@implements(np.dsplit)
def dsplit(ary, indices_or_sections):
    """Views of ``ary`` split along axis 2 (at least 3-D)."""
    return _split_at_least("dsplit", 3, ary, indices_or_sections, 2)


@implements(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    """The view of ``m`` rotated by ``k`` quarter turns in the plane of ``axes``."""
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError("Axes must be different.")
    if not (-m.ndim <= axes[0] < m.ndim and -m.ndim <= axes[1] < m.ndim):
        raise ValueError("Axes={} out of range for array of ndim={}.".format(axes, m.ndim))
    k %= 4
    if k == 0:
        return m[:]
    if k == 2:
        return flip(flip(m, axes[0]), axes[1])
    order = list(range(m.ndim))
    first, second = (normalize_axis_index(a, m.ndim) for a in axes)
    order[first], order[second] = order[second], order[first]
    if k == 1:
        return transpose(flip(m, axes[1]), order)
    return flip(transpose(m, order), axes[1])


def _positions_shape(arr, axis):
    """``(shape, axis)`` along which positions count: ``(arr.size,)`` for ``axis=None``."""
    if not isinstance(arr, DistArray):
        raise TypeError("distarray's delete and insert take a DistArray arr")
    if axis is None:
        return (arr.size,), 0
    return arr.shape, normalize_axis_index(axis, arr.ndim)


def _index_obj(obj):
    if isinstance(obj, DistArray):
        raise TypeError("distarray's insert takes obj as an int, a slice or an array_like, "
                        "not a DistArray")
    return obj


@implements(np.delete)
def delete(arr, obj, axis=None):
    """A new array without the sub-arrays ``obj`` along ``axis``, as :func:`numpy.delete`.

    ``obj``: an int, a slice, an array_like or a DistArray of indices or a
    boolean mask (whose complement is found on the workers).
    """
    shape, along = _positions_shape(arr, axis)
    if isinstance(obj, DistArray):
        kept = _kept_positions(obj, shape[along], arr.context)
    else:
        kept = np.delete(np.arange(shape[along]), obj)
    return take(arr, kept, None if axis is None else along)


def _kept_positions(obj, n, context):
    """The positions along an axis of length ``n`` that DistArray ``obj`` does not delete."""
    if obj.dtype == bool:
        if obj.shape != (n,):
            raise ValueError("boolean array argument obj to delete must be one dimensional "
                             "and match the axis length of %d" % n)
        return flatnonzero(~obj)
    if obj.dtype.kind not in "iu":
        raise IndexError("arrays used as indices must be of integer (or boolean) type")
    kept = ones(n, bool, context=context)
    setitem(kept, obj, False)
    return flatnonzero(kept)


@implements(np.insert)
def insert(arr, obj, values, axis=None):
    """A new array with ``values`` inserted before the positions ``obj`` along ``axis``.

    As :func:`numpy.insert`: one insertion point inserts ``values`` as a block
    (as many sub-arrays as it has along the axis), several insert one
    sub-array each (``values`` broadcast to them).
    """
    shape, along = _positions_shape(arr, axis)
    n = shape[along]
    obj = _index_obj(obj)
    if isinstance(obj, slice):
        indices = np.arange(*obj.indices(n), dtype=np.intp)
    else:
        indices = np.array(obj)
        if indices.dtype == bool:
            np.insert(np.zeros(n), obj, 0)  # NumPy's checks of a mask
            indices = np.flatnonzero(indices)
    if indices.size == 1:
        at = operator.index(indices.item())
        if at < -n or at > n:
            raise IndexError("index %s is out of bounds for axis %d with size %d"
                             % (obj, along, n))
        return _insert_block(arr, shape, along, at + n if at < 0 else at, values,
                             indices.ndim == 0)
    # NumPy's checks (on the positions along the axis); -1 marks the new positions.
    marks = np.insert(np.arange(n), indices if isinstance(obj, slice) else obj, -1)
    indices = indices.astype(np.intp)
    indices[indices < 0] += n
    indices[np.argsort(indices, kind="stable")] += np.arange(indices.size)
    values = _checked_values(values, shape[:along] + indices.shape + shape[along + 1:],
                             arr.dtype)
    if n:  # the old elements moved to their new positions (the others filled next)
        new = take(_source(arr, shape), np.maximum(marks, 0), along)
    else:
        new = empty(shape[:along] + marks.shape + shape[along + 1:], arr.dtype,
                    context=arr.context)
    setitem(new, (_FULL,) * along + (indices,), values)
    return new


def _insert_block(arr, shape, axis, at, values, scalar_index):
    """``insert`` at the single position ``at``: ``values`` shaped as NumPy shapes them
    (``arr``'s number of axes; a scalar ``obj`` makes their first axis ``axis``), then
    they and the parts of the array before and after are assigned into their slices."""
    ndim = len(shape)
    if isinstance(values, DistArray):
        expanded = (1,) * (ndim - values.ndim) + values.shape
        block_shape = np.moveaxis(probe(expanded), 0, axis).shape if scalar_index else expanded
    else:
        values = np.array(values, ndmin=ndim, dtype=arr.dtype)
        values = np.moveaxis(values, 0, axis) if scalar_index else values
        block_shape = values.shape
    count = block_shape[axis]
    values = _checked_values(values, shape[:axis] + (count,) + shape[axis + 1:], arr.dtype,
                             block_shape)
    if isinstance(values, DistArray):
        values = reshape(values.astype(arr.dtype, copy=False), expanded)
        values = moveaxis(values, 0, axis) if scalar_index else values
    source = _source(arr, shape)
    new = empty(shape[:axis] + (shape[axis] + count,) + shape[axis + 1:], arr.dtype,
                context=arr.context)
    head = (_FULL,) * axis
    setitem(new, head + (slice(None, at),), source[head + (slice(None, at),)])
    setitem(new, head + (slice(at, at + count),), values)
    setitem(new, head + (slice(at + count, None),), source[head + (slice(at, None),)])
    return new


def _source(arr, shape):
    """``arr``, flattened if ``shape`` (from :func:`_positions_shape`) is flat."""
    return arr if arr.shape == shape else ravel(arr)


def _checked_values(values, target, dtype, shape=None):
    """``values`` (whose shape is ``shape`` once converted) checked for assignment to
    ``target`` as NumPy checks it; NumPy values converted to ``dtype``."""
    if not isinstance(values, DistArray):
        return _assigned_values(values, target, dtype)
    shape = values.shape if shape is None else shape
    while len(shape) > len(target) and shape[0] == 1:
        shape = shape[1:]
    if not broadcasts_to(shape, target):
        raise ValueError("could not broadcast input array from shape %s into shape %s"
                         % (shape_text(shape), shape_text(target)))
    return values
