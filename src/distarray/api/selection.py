"""Selecting elements of DistArrays: ``argwhere``, ``take_along_axis``, ``compress``, ...

Each is composed of distributed operations, with NumPy's checks on the client
first (NumPy runs on empty or 0-d stand-ins for the dtypes and errors):

* ``argwhere``: :func:`.shape.nonzero` (count, then move the indices), the
  index arrays stacked as columns.
* ``take_along_axis`` / ``put_along_axis``: advanced indexing with the index
  array (NumPy or DistArray) on the axis and ``arange`` vectors on the others,
  as NumPy builds it; with a DistArray index the result takes its layout.
* ``compress`` / ``extract``: the positions of the true conditions
  (:func:`numpy.flatnonzero`, or :func:`.shape.flatnonzero` of a DistArray),
  then :func:`.shape.take`; ``extract`` with a DistArray mask of the array's
  shape compresses each piece (boolean indexing).
* ``putmask`` / ``place``: the values (a DistArray, however small) repeated by
  :func:`.shape.tile` to the array's size, assigned where the mask holds
  (``putmask``); or to the number of true elements, put at their positions
  (``place``).
* ``select`` / ``choose``: a new array (laid out as the first DistArray
  argument of its shape) into which each choice is assigned where its
  condition holds, one elementwise pass per choice.
"""


import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .creation import empty, in_context
from .darray import DistArray, dtype_of, shape_of
from .dispatch import implements
from .indexing import extremes, getitem, setitem
from .shape import flatnonzero, nonzero, put, ravel, reshape, stack, take, tile
from .ufuncs import assign, context_of

__all__ = ["argwhere", "choose", "compress", "extract", "place", "put_along_axis", "putmask",
           "select", "take_along_axis"]


def _standin(x):
    """A 0-d array of ``x``'s dtype (Python scalars stay themselves, as NEP 50 needs)."""
    if type(x) in (int, float, complex, bool):
        return x
    return np.zeros((), dtype_of(x))


@implements(np.argwhere)
def argwhere(a):
    """The indices of the nonzero elements, one row per element, in C order."""
    if a.ndim == 0:
        return getitem(argwhere(a[None]), (slice(None), slice(0, 0)))
    return stack(nonzero(a), axis=1)


def _check_indices(indices, axis):
    if not np.issubdtype(indices.dtype, np.integer):
        raise IndexError("`indices` must be an integer array")
    if axis is None and indices.ndim != 1:
        raise ValueError("when axis=None, `indices` must have a single dimension.")


def _along_axis_index(arr, indices, axis):
    """``(arr, index)``: NumPy's advanced index of ``take_along_axis`` and its checks."""
    _check_indices(indices, axis)
    if axis is None:
        arr, axis = ravel(arr), 0
    axis = normalize_axis_index(axis, arr.ndim)
    if arr.ndim != indices.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    ones = (1,) * arr.ndim
    index = tuple(indices if k == axis else np.arange(n).reshape(ones[:k] + (-1,) + ones[k + 1:])
                  for k, n in enumerate(arr.shape))
    return arr, index


def _integers(indices):
    return indices if isinstance(indices, DistArray) else np.asarray(indices)


@implements(np.take_along_axis)
def take_along_axis(arr, indices, axis=-1):
    """Values of ``arr`` at ``indices`` along ``axis`` (``None``: of the flattened array)."""
    indices = _integers(indices)
    arr, index = _along_axis_index(in_context(arr, (indices,)), indices, axis)
    return getitem(arr, index)


@implements(np.put_along_axis)
def put_along_axis(arr, indices, values, axis):
    """Set the values of DistArray ``arr`` at ``indices`` along ``axis``.

    ``axis=None`` puts into the flattened array (as NumPy documents it; NumPy
    itself then changes a copy only).
    """
    if not isinstance(arr, DistArray):
        raise TypeError("distarray's put_along_axis changes a DistArray arr")
    indices = _integers(indices)
    if axis is None:
        _check_indices(indices, None)
        values = values if isinstance(values, DistArray) and values.shape == indices.shape \
            else np.broadcast_to(values, indices.shape)
        put(arr, indices, values)
        return
    arr, index = _along_axis_index(arr, indices, axis)
    setitem(arr, index, values)


def _positions(condition):
    """Flat positions of the true elements of a 1-D ``condition`` (NumPy or DistArray)."""
    distributed = isinstance(condition, DistArray)
    if (condition.ndim if distributed else np.ndim(condition)) != 1:
        raise ValueError("condition must be a 1-d array")
    return flatnonzero(condition) if distributed else np.flatnonzero(condition)


@implements(np.compress)
def compress(condition, a, axis=None, out=None):
    """The slices of ``a`` along ``axis`` (flattened for None) where ``condition`` is true."""
    if out is not None and not isinstance(out, DistArray):
        raise TypeError("out= must be a DistArray when the inputs are distributed")
    positions = _positions(condition)
    return take(in_context(a, (positions, out)), positions, axis, out)


@implements(np.extract)
def extract(condition, arr):
    """The elements of ``arr`` where ``condition`` is true, in C order (1-D)."""
    if isinstance(condition, DistArray) and isinstance(arr, DistArray) \
            and condition.shape == arr.shape:
        return getitem(arr, condition if condition.dtype == bool else condition != 0)
    flat = ravel(condition) if isinstance(condition, DistArray) else np.ravel(condition)
    positions = _positions(flat)
    return take(in_context(arr, (positions,)), positions)


def _assigned(shape, dtype, fills, arguments):
    """A new array of ``shape``, ``dtype``, where each ``(value, where)`` of ``fills`` is
    assigned in turn; laid out as the first DistArray of ``arguments`` with ``shape``."""
    distributed = [x for x in arguments if isinstance(x, DistArray)]
    context = context_of(distributed)
    layout = next((x.distribution for x in distributed if x.shape == shape), None)
    result = empty(layout or context.default_distribution(shape), dtype)
    for value, where in fills:
        assign(result, value, where)
    return result


@implements(np.select)
def select(condlist, choicelist, default=0):
    """Elements of the first choice whose condition holds, else ``default``, as NumPy."""
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    dtype = np.select([_standin(c) for c in condlist], [_standin(c) for c in choicelist],
                      _standin(default)).dtype  # and NumPy's checks
    conditions = np.broadcast_shapes(*map(shape_of, condlist))
    shape = np.broadcast_shapes(conditions, *map(shape_of, [*choicelist, default]))
    fills = [(default, True)] + list(zip(choicelist[::-1], condlist[::-1]))
    return _assigned(shape, dtype, fills, [*condlist, *choicelist, default])


def _check_choices(a, n):
    """ValueError as NumPy's when an index of DistArray ``a`` is outside ``[0, n)``."""
    found = extremes([a], a.dtype)
    if found.size and (found[0, 0] < 0 or found[1, 0] >= n):
        raise ValueError("invalid entry in choice array")


@implements(np.choose)
def choose(a, choices, out=None, mode="raise"):
    """The elements of ``choices[a]`` (broadcast together), as :func:`numpy.choose`."""
    if out is not None:
        raise NotImplementedError("distarray.choose does not support out=")
    choices = list(choices)
    dtype = np.choose(_standin(a), [_standin(c) for c in choices], mode=mode).dtype
    shape = np.broadcast_shapes(shape_of(a), *map(shape_of, choices))
    n = len(choices)
    if not isinstance(a, DistArray):
        a = np.asarray(a)
        if mode == "raise" and a.size and (a.min() < 0 or a.max() >= n):
            raise ValueError("invalid entry in choice array")
    elif mode == "raise":
        _check_choices(a, n)
    index = a % n if mode == "wrap" else np.clip(a, 0, n - 1) if mode == "clip" else a
    return _assigned(shape, dtype, ((c, index == k) for k, c in enumerate(choices)),
                     [a, *choices])


def _flat_mask(mask, arr, name):
    """``mask`` raveled; ValueError as NumPy's if its size is not ``arr``'s."""
    if not isinstance(arr, DistArray):
        raise TypeError("%s: first argument must be a DistArray when the others are" % name)
    mask = ravel(mask) if isinstance(mask, DistArray) else np.ravel(mask)
    if mask.size != arr.size:
        raise ValueError("%s: mask and data must be the same size" % name)
    return mask


def _cycled(values, n, context_of_values):
    """``values`` raveled and repeated cyclically to length ``n`` (a 1-D DistArray)."""
    values = ravel(in_context(values, context_of_values))
    return tile(values, -(-n // values.size))[:n] if values.size != n else values


@implements(np.putmask)
def putmask(a, mask, values):
    """Set ``a.flat[i] = values.flat[i % values.size]`` where ``mask.flat[i]`` holds."""
    mask = _flat_mask(mask, a, "putmask")
    standin = np.empty(1, values.dtype) if isinstance(values, DistArray) else \
        values.ravel()[:1] if isinstance(values, np.ndarray) else values
    np.putmask(np.empty(1, a.dtype), np.zeros(1, bool), standin)  # NumPy's casting errors
    if not isinstance(values, DistArray):
        values = np.asarray(values)
    if not values.size or not a.size:
        return
    values = reshape(_cycled(values, a.size, (a, mask)), a.shape)
    mask = mask.astype(bool)
    assign(a, values, where=mask.reshape(a.shape))


@implements(np.place)
def place(arr, mask, vals):
    """Set the elements of ``arr`` where ``mask`` holds to ``vals``, in turn (cycled)."""
    mask = _flat_mask(mask, arr, "place")
    positions = flatnonzero(mask) if isinstance(mask, DistArray) else np.flatnonzero(mask)
    if not isinstance(vals, DistArray):
        vals = np.asarray(vals)
    if not positions.size:
        return
    if not vals.size:
        raise ValueError("Cannot insert from an empty array!")
    put(arr, positions, _cycled(vals, positions.size, (arr, positions)))
