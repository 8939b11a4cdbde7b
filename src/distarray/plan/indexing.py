"""Planning NumPy indexing on a distribution (pure NumPy, no MPI).

:func:`parse` turns an index expression into per-axis items and raises the
``IndexError`` NumPy would.  :func:`view_plan` maps basic indexing (integers,
slices, ``None``, ``...``) onto the distribution: every axis map is cut by its
item, which gives the view's maps and, for each process, the local index of its
view; integer items keep only the processes that own that index.
"""

import operator
from typing import NamedTuple

import numpy as np

from .grid import coords_from_rank
from .maps import BlockMap, UndistributedMap, UnstructuredMap, progression

VALID = ("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and "
         "integer or boolean arrays are valid indices")


class Item(NamedTuple):
    """One entry of a parsed index: ``kind`` is 'int', 'slice', 'new' or 'array'."""

    kind: str
    value: object
    axis: int | None  # the array axis it applies to (None for 'new')


def _is_integer(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def parse(key, shape, distributed=()):
    """Per-axis items of ``key`` for an array of ``shape`` (Ellipsis expanded).

    Boolean arrays stay one item spanning as many axes as they have; integer
    arrays and sequences become 'array' items; instances of the types in
    ``distributed`` (distributed index arrays) pass through as 'array' items.
    Raises IndexError as NumPy does.
    """
    key = key if isinstance(key, tuple) else (key,)
    converted = []
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, slice) or _is_integer(k) \
                or isinstance(k, distributed):
            converted.append(k)
        elif isinstance(k, (bool, np.bool_)):
            converted.append(np.asarray(k))
        else:
            try:
                arr = np.asarray(k)
            except Exception:
                raise IndexError(VALID) from None
            if arr.dtype == object or not (arr.dtype.kind in "iub" or arr.size == 0):
                raise IndexError(VALID)
            converted.append(arr.astype(np.intp, copy=False) if arr.dtype.kind != "b" else arr)
    if sum(k is Ellipsis for k in converted) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(_axes_used(k) for k in converted if k is not Ellipsis)
    if used > len(shape):
        raise IndexError("too many indices for array: array is %d-dimensional, but %d were "
                         "indexed" % (len(shape), used))
    items, axis = [], 0
    for k in converted:
        if k is Ellipsis:
            for _ in range(len(shape) - used):
                items.append(Item("slice", slice(None), axis))
                axis += 1
        elif k is None:
            items.append(Item("new", None, None))
        elif isinstance(k, slice):
            items.append(Item("slice", k, axis))
            axis += 1
        elif _is_integer(k):
            n = shape[axis]
            if not -n <= k < n:
                raise IndexError("index %d is out of bounds for axis %d with size %d"
                                 % (k, axis, n))
            items.append(Item("int", operator.index(k) % n, axis))
            axis += 1
        else:
            items.append(Item("array", k, axis))
            axis += _axes_used(k)
    items.extend(Item("slice", slice(None), a) for a in range(axis, len(shape)))
    return items


def _axes_used(k):
    if k is None:
        return 0
    if getattr(k, "dtype", None) is not None and k.dtype == np.bool_:
        return max(k.ndim, 1) if k.ndim else 0
    return 1


class ViewPlan(NamedTuple):
    """What basic indexing makes of a distribution."""

    maps: tuple
    targets: tuple
    local_keys: dict  # old target -> the local index of its view


def _local_slice(positions):
    """A slice selecting increasing ``positions`` if they are evenly spaced, else None."""
    n = len(positions)
    if n == 0:
        return slice(0, 0)
    step = int(positions[1] - positions[0]) if n > 1 else 1
    if np.any(np.diff(positions) != step):
        return None
    return slice(int(positions[0]), int(positions[-1]) + 1, step)


def slice_map(m, item):
    """Cut map ``m`` by ``slice`` item: ``(new map, local slice per grid rank)`` or None.

    Each process keeps its selected cells in buffer order (so a reversing
    slice gives an unstructured map).  None means some process cannot hold its
    part as a strided view (an unstructured axis whose selected cells are not
    evenly spaced in its buffer).
    """
    start, stop, step = item.indices(m.size)
    size = len(range(start, stop, step))
    if (start, size, step) == (0, m.size, 1) and not m.periodic and not any(
            map(any, getattr(m, "padding", ()))):  # the whole axis: the map is kept
        return m, [m.owned_local_slice(r) for r in range(m.grid_size)]
    if isinstance(m, BlockMap) and step > 0:
        return _forward_block_slice(m, start, size, step)
    news, locals_ = [], []
    for r in range(m.grid_size):
        g = m.global_indices(r)
        offset = (g - start) // step
        chosen = (offset >= 0) & (offset < size) & ((g - start) % step == 0)
        local = _local_slice(m.owned_local_slice(r).start + np.flatnonzero(chosen))
        if local is None:
            return None
        news.append(offset[chosen])
        locals_.append(local)
    return _map_from_indices(size, news), locals_


def _forward_block_slice(m, start, size, step):
    """:func:`slice_map` of a block map and a slice with ``step > 0``, by arithmetic.

    Each grid rank keeps the selected indices of its interval, in order, so
    the view is a block map too.
    """
    counts, locals_ = [], []
    for r in range(m.grid_size):
        lo, hi = m.bounds[r], m.bounds[r + 1]
        first = min(size, max(0, -(-(lo - start) // step)))  # first selected k in [lo, hi)
        count = max(0, min(size, -(-(hi - start) // step)) - first)
        position = m.owned_local_slice(r).start + start + first * step - lo
        locals_.append(progression(position, count, step) if count else slice(0, 0))
        counts.append(count)
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    return (UndistributedMap(size) if m.grid_size == 1 else
            BlockMap(size, m.grid_size, bounds)), locals_


def _map_from_indices(size, per_rank):
    """The simplest map whose grid ranks hold ``per_rank`` indices (in buffer order)."""
    lengths = [len(x) for x in per_rank]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    if all(np.array_equal(x, np.arange(bounds[r], bounds[r + 1]))
           for r, x in enumerate(per_rank)):
        return UndistributedMap(size) if len(per_rank) == 1 else \
            BlockMap(size, len(per_rank), bounds.tolist())
    return UnstructuredMap(size, len(per_rank), per_rank)


def view_plan(distribution, items):
    """The maps, targets and local indices of a basic-indexing view, or None.

    ``items`` come from :func:`parse` and hold no 'array' item.
    """
    maps, per_axis, fixed = [], [], {}
    for item in items:
        if item.kind == "new":
            maps.append(UndistributedMap(1))
            per_axis.append(None)
            continue
        m = distribution.maps[item.axis]
        if item.kind == "int":
            owner = int(m.owners(item.value))
            fixed[item.axis] = owner
            per_axis.append((item.axis, int(m.local_index(owner, item.value))))
            continue
        cut = slice_map(m, item.value)
        if cut is None:
            return None
        maps.append(cut[0])
        per_axis.append((item.axis, cut[1]))
    grid = distribution.grid_shape
    targets, local_keys = [], {}
    for i, target in enumerate(distribution.targets):
        coords = coords_from_rank(i, grid)
        if any(coords[a] != c for a, c in fixed.items()):
            continue
        targets.append(target)
        local_keys[target] = tuple(
            np.newaxis if entry is None else
            entry[1] if isinstance(entry[1], int) else entry[1][coords[entry[0]]]
            for entry in per_axis)
    return ViewPlan(tuple(maps), tuple(targets), local_keys)
