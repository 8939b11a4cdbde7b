"""Indexing DistArrays: views, single elements, assignment, redistribution.

Basic indexing returns a view (the workers' memory is shared: writes through it
change the original), except where a process's part would not be a strided view
of its buffer (a step slice across a block-cyclic or unstructured axis): that
gives a copy; assignment works in every case.
A single element is fetched from its owner in one round
trip; every index is checked on the client first, so an out-of-bounds index
raises ``IndexError`` before anything is sent.
"""

import math

import numpy as np

from ..plan.distribution import Distribution
from ..plan.maps import BlockMap
from ..plan.advanced import AdvancedIndex
from ..plan.indexing import Item, parse, view_plan
from ..runtime.messages import DATA, WORLD, MaybeRef, Ref
from .darray import DistArray
from .ufuncs import assign


def _element(d, items):
    """Owner (worker rank) and local index of the element named by integer items."""
    dist = d.distribution
    index = tuple(item.value for item in items)
    owner = dist.owning_targets(index)[0] if index else dist.targets[0]
    coords = dist.coords(dist.targets.index(owner))
    return owner, tuple(int(m.local_index(c, g)) for m, c, g in zip(dist.maps, coords, index))


def _is_element(key, items, ndim):
    return all(item.kind == "int" for item in items) and len(items) == ndim and (
        key == () or ndim > 0) and Ellipsis not in (key if isinstance(key, tuple) else (key,))


def view(d, items):
    """The basic-indexing view of ``d`` described by parsed ``items``, or None.

    None: some process's part is not a strided view of its buffer (a step
    slice across a block-cyclic or unstructured axis).
    """
    plan = view_plan(d.distribution, items)
    if plan is None:
        return None
    context = d.context
    distribution = Distribution.from_maps(context, plan.maps, plan.targets)
    key = context.pool.new_key()
    context.pool.run("view", Ref(d.key), Ref(WORLD), MaybeRef(context.layout(distribution)),
                     plan.local_keys, targets=d.targets, out=key)
    return DistArray._wrap(distribution, d.dtype, key)


def getitem(d, key):
    """``d[key]``."""
    d.context.check_open()
    items = parse(key, d.shape, DistArray)
    if any(item.kind == "array" for item in items):
        mask = _distributed_mask(d, items)
        if mask is not None:
            return _select(d, mask)
        return _take(*_advanced(d, items))
    if _is_element(key, items, d.ndim):
        owner, local = _element(d, items)
        return d.context.pool.run("get_element", Ref(d.key), local, targets=(owner,))[owner]
    result = view(d, items)
    if result is None:  # not a strided view here: a copy, cut from a block layout
        result = view(redistribute(d), items)
    return result


def setitem(d, key, value):
    """``d[key] = value``."""
    d.context.check_open()
    items = parse(key, d.shape, DistArray)
    if any(item.kind == "array" for item in items):
        mask = _distributed_mask(d, items) if np.ndim(value) == 0 and not isinstance(
            value, DistArray) else None
        if mask is not None:
            assign(d, value, where=mask)
            return
        view_, advanced, arrays = _advanced(d, items)
        _put(view_, advanced, arrays, value)
        return
    if _is_element(key, items, d.ndim) and not isinstance(value, DistArray) \
            and np.ndim(value) == 0:
        converted = np.empty((), d.dtype)
        converted[()] = value
        owner, local = _element(d, items)
        d.context.pool.run("set_element", Ref(d.key), local, converted[()], targets=(owner,))
        return
    target = view(d, items)
    if target is not None:
        assign(target, value)
        return
    staged = redistribute(d)  # not a strided view here: assign in a block layout, copy back
    assign(view(staged, items), value)
    assign(d, redistribute(staged, d.distribution))


def redistribute(d, distribution=None, dist=None, grid_shape=None, targets=None):
    """A copy of ``d`` with another distribution (one exchange; each element moves once).

    Parameters
    ----------
    distribution : Distribution, optional
        The new layout (same shape); else one is made from ``dist``,
        ``grid_shape`` and ``targets`` (default: the default layout).
    """
    context = d.context
    context.check_open()
    if distribution is None:
        distribution = Distribution(context, d.shape, dist=dist, grid_shape=grid_shape,
                                    targets=targets) if (dist, grid_shape, targets) != (
            None, None, None) else context.default_distribution(d.shape)
    if distribution.shape != d.shape:
        raise ValueError("cannot redistribute an array of shape %s to a distribution of shape %s"
                         % (d.shape, distribution.shape))
    if distribution.context is not context:
        raise ValueError("the distribution belongs to another context")
    key = context.pool.new_key()
    src = d.distribution
    context.pool.run("redistribute", Ref(WORLD), MaybeRef(d.key), d.dtype, src.maps, src.targets,
                     MaybeRef(context.layout(distribution)), distribution.maps,
                     distribution.targets, targets=tuple(sorted({*src.targets,
                                                                 *distribution.targets})),
                     out=key, tag=True)
    return DistArray._wrap(distribution, d.dtype, key)


def _distributed_mask(d, items):
    """A full-shape DistArray boolean mask that is the whole index, else None."""
    arrays = [item.value for item in items if item.kind == "array"]
    if len(arrays) == 1 and isinstance(arrays[0], DistArray) and arrays[0].dtype == np.bool_ \
            and arrays[0].shape == d.shape and all(
                item.kind == "array" or item.value == slice(None) for item in items):
        return arrays[0]
    return None


def _checked(array, size, axis):
    """Integer index array made non-negative; IndexError as NumPy's when out of bounds."""
    array = np.asarray(array, dtype=np.intp)
    bad = (array < -size) | (array >= size)
    if bad.any():
        raise IndexError("index %d is out of bounds for axis %d with size %d"
                         % (array[bad].flat[0], axis, size))
    return np.where(array < 0, array + size, array)


def _advanced(d, items):
    """The basic-indexed view and the :class:`AdvancedIndex` applied to it."""
    expanded = []
    for item in items:
        value = item.value
        if item.kind == "array" and isinstance(value, DistArray):
            value = value.toarray()  # distributed integer indices are gathered (documented)
        if item.kind == "array" and value.dtype == np.bool_:
            if value.shape != d.shape[item.axis:item.axis + value.ndim]:
                raise IndexError("boolean index did not match indexed array along axis %d; "
                                 "size of axis is %d but size of corresponding boolean axis is "
                                 "%d" % (item.axis, d.shape[item.axis], value.shape[0]))
            expanded.extend(Item("array", ix, item.axis + k)
                            for k, ix in enumerate(np.nonzero(value)))
        elif item.kind == "array":
            expanded.append(Item("array", value, item.axis))
        else:
            expanded.append(item)
    basic = [Item("slice", slice(None), item.axis) if item.kind in ("int", "array") else item
             for item in expanded]
    indexing = [item for item in expanded if item.kind not in ("new", "slice")]
    try:
        used = math.prod(np.broadcast_shapes(*(np.shape(item.value) for item in indexing)))
    except ValueError:  # AdvancedIndex raises NumPy's IndexError for this
        used = 1
    arrays = [None if item.kind in ("new", "slice") else  # NumPy checks only indices it uses
              _checked(item.value, d.shape[item.axis] if used else np.iinfo(np.intp).max,
                       item.axis) for item in expanded]
    view_ = view(d, basic)
    return view_, AdvancedIndex(view_.shape, arrays), arrays


def _take(v, advanced, arrays):
    """``v[advanced]``: each piece of the result fetches its elements from their owners.

    Each worker receives only the part of the index arrays its piece uses.
    """
    context = v.context
    result = context.default_distribution(advanced.result_shape)
    pieces = {}
    for i, rank in enumerate(result.targets):
        owned = [m.global_indices(c) for m, c in zip(result.maps, result.coords(i))]
        pieces[rank] = [p for p in advanced.index_parts(arrays, owned) if p.size]
    key = context.pool.new_key()
    src = v.distribution
    context.pool.run("take", Ref(WORLD), Ref(DATA), MaybeRef(v.key), v.dtype, src.maps,
                     src.targets, MaybeRef(context.layout(result)), result.targets, advanced,
                     targets=tuple(sorted({*src.targets, *result.targets})), out=key,
                     send=pieces)
    return DistArray._wrap(result, v.dtype, key)


def _put(v, advanced, arrays, value):
    """``v[advanced] = value``: the client sends each owner its positions and values.

    ``value`` is broadcast to the indexed shape; a DistArray value is gathered
    first (documented limitation).  Repeated indices: the last value wins.
    """
    value = value.toarray() if isinstance(value, DistArray) else np.asarray(value)
    shape = advanced.result_shape
    try:
        value = np.broadcast_to(value, shape)
    except ValueError:
        raise ValueError("shape mismatch: value array of shape %s could not be broadcast to "
                         "indexing result of shape %s" % (np.shape(value), shape)) from None
    converted = np.empty(shape, v.dtype)
    converted[...] = value
    everything = [np.arange(n) for n in shape]
    wanted = advanced.view_indices(advanced.index_parts(arrays, everything), everything)
    dist = v.distribution
    owners = [m.owners(w) for m, w in zip(dist.maps, wanted)]
    pieces = np.ravel_multi_index(owners, dist.grid_shape) if dist.grid_shape else \
        np.zeros(converted.size, np.intp)
    flat_values = converted.reshape(-1)
    for j, rank in enumerate(dist.targets):
        chosen = np.flatnonzero(pieces == j)
        if not chosen.size:
            continue
        coords = dist.coords(j)
        local = tuple(m.local_index(c, w[chosen]) for m, c, w in zip(dist.maps, coords, wanted))
        v.context.pool.run("put", Ref(v.key), local, flat_values[chosen], targets=(rank,))


def _select(d, mask):
    """``d[mask]`` for a full-shape DistArray mask: count first, then move the data.

    Both are brought to a row-ordered layout (blocks of leading-axis rows, in
    which C order is process order) unless they already have one; each worker
    compresses its piece; the pieces form an irregular block array, which is
    then rebalanced.
    """
    context = d.context
    rows = d.distribution
    if not _row_ordered(rows):
        rows = Distribution(context, d.shape, dist="b" if d.ndim else None)
        d = redistribute(d, rows)
    if not mask.distribution.is_compatible(rows):
        mask = redistribute(mask, rows)
    pool = context.pool
    raw = pool.new_key()
    pool.run("compress", Ref(d.key), Ref(mask.key), targets=rows.targets, out=raw)
    counts = pool.run("piece_size", Ref(raw), targets=rows.targets)
    sizes = [counts[t] for t in rows.targets]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    irregular = Distribution.from_maps(context, (BlockMap(bounds[-1], len(sizes), bounds),),
                                       rows.targets)
    key = pool.new_key()
    pool.run("wrap_piece", Ref(raw), Ref(context.layout(irregular)), targets=rows.targets,
             out=key)
    pool.free(raw)
    return redistribute(DistArray._wrap(irregular, d.dtype, key),
                        context.default_distribution((bounds[-1],)))


def _row_ordered(distribution):
    """Whether C order is process order: only the leading axis is (block) distributed.

    Every other axis must be held whole, in order, by its single grid rank.
    """
    maps = distribution.maps
    return bool(maps) and maps[0].dist in ("b", "n") and not any(
        maps[0].padding[r] != (0, 0) for r in range(maps[0].grid_size)) and all(
        m.grid_size == 1 and m.global_slice(0) == slice(0, m.size, 1) for m in maps[1:])
