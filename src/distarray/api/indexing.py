"""Indexing DistArrays: views, single elements, assignment, redistribution.

Basic indexing returns a view (the workers' memory is shared: writes through it
change the original), except where a process's part would not be a strided view
of its buffer (a step slice across a block-cyclic or unstructured axis): that
gives a copy; assignment works in every case.
A single element is fetched from its owner in one round
trip; every index is checked on the client first, so an out-of-bounds index
raises ``IndexError`` before anything is sent.

Advanced (integer array) indexing runs on the workers: each worker of the
result holds its part of the index arrays, locates every element it names
on its owner and fetches them in two all-to-alls (positions, then values);
assignment sends positions and values.  NumPy index arrays are cut on the
client, each worker receiving only its part, and the result has the default
distribution; with a DistArray index the result takes the index's layout
(kept axes whole), and its bounds are checked from the workers' minima and
maxima before any data moves (the error names the extreme index, where NumPy
names the first bad one).  Boolean DistArray masks become distributed
integer arrays (``nonzero``), except a full-shape mask, which compresses.
"""

import math

import numpy as np

from ..plan.distribution import Distribution
from ..plan.maps import BlockMap
from ..plan.advanced import AdvancedIndex, block_index
from ..plan.indexing import Item, parse, view_plan
from ..plan.shape import row_blocks
from ..runtime.messages import DATA, WORLD, MaybeRef, Ref
from .creation import empty
from .darray import DistArray
from .ufuncs import assign, assigned


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
    context = d.context

    def make():
        plan = view_plan(d.distribution, items)
        if plan is None:
            return None
        return Distribution.from_maps(context, plan.maps, plan.targets), plan.local_keys

    planned = context.derived(d.distribution, ("view", _items_key(items)), make)
    if planned is None:
        return None
    distribution, local_keys = planned
    key = context.pool.new_key()
    context.pool.send("view", Ref(d.key), Ref(WORLD), MaybeRef(context.layout(distribution)),
                      local_keys, targets=d.targets, out=key)  # nothing to wait for
    return DistArray._wrap(distribution, d.dtype, key)


def _items_key(items):
    """A hashable form of parsed basic ``items`` (slices are not hashable before 3.12)."""
    return tuple((item.kind, item.axis, (item.value.start, item.value.stop, item.value.step)
                  if isinstance(item.value, slice) else item.value) for item in items)


def _field_key(key):
    """Whether ``key`` names fields of a structured array (a str or a list of str)."""
    return isinstance(key, str) or (isinstance(key, list) and bool(key) and all(
        isinstance(name, str) for name in key))


def fields(d, key):
    """``d['x']`` or ``d[['x', 'y']]``: a view of fields of a structured array."""
    probe = np.empty(0, d.dtype)[key]  # NumPy's errors and the fields' dtype
    if probe.ndim != 1:
        raise NotImplementedError("distarray does not support subarray fields (%r has "
                                  "shape %s)" % (key, probe.shape[1:]))
    return d._derive("field_view", key, dtype=probe.dtype)


def getitem(d, key):
    """``d[key]``."""
    d.context.check_open()
    if _field_key(key):
        return fields(d, key)
    items = parse(key, d.shape, DistArray)
    if any(item.kind == "array" for item in items):
        mask = _distributed_mask(d, items)
        if mask is not None:
            return _select(d, mask)
        basic, advanced, arrays = _advanced(d, items)
        source = _source(d, basic)
        if source is None:  # not a strided view here: index a block layout
            source = _source(redistribute(d), basic)
        return _take(source, advanced, arrays)
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
    if _field_key(key):
        setitem(fields(d, key), Ellipsis, value)
        return
    if not isinstance(value, DistArray):
        value = assigned(value, d.dtype)  # NumPy's conversion errors before anything is sent
    items = parse(key, d.shape, DistArray)
    if any(item.kind == "array" for item in items):
        mask = _distributed_mask(d, items) if np.ndim(value) == 0 and not isinstance(
            value, DistArray) else None
        if mask is not None:
            assign(d, value, where=mask)
            return
        basic, advanced, arrays = _advanced(d, items)
        values = _assigned_values(value, advanced.result_shape, d.dtype)
        _write_through(d, basic, lambda target: _put(target, advanced, arrays, values))
        return
    if _is_element(key, items, d.ndim) and not isinstance(value, DistArray) \
            and np.ndim(value) == 0:
        converted = np.empty((), d.dtype)
        converted[()] = value
        owner, local = _element(d, items)
        d.context.pool.run("set_element", Ref(d.key), local, converted[()], targets=(owner,))
        return
    _write_through(d, items, lambda target: assign(target, value))


def _source(d, basic):
    """``d`` indexed by basic ``items``: ``d`` itself for whole axes, else a view (or None)."""
    if all(item.kind == "slice" and item.value == slice(None) for item in basic):
        return d
    return view(d, basic)


def _write_through(d, items, write):
    """Call ``write`` on ``d`` indexed by basic ``items``.

    Where that is not a strided view, ``write`` gets a view of a block-layout
    copy, which is then copied back.
    """
    target = _source(d, items)
    if target is not None:
        write(target)
        return
    staged = redistribute(d)
    write(view(staged, items))
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


def checked_indices(array, size, axis):
    """Integer index array made non-negative; IndexError as NumPy's when out of bounds."""
    array = np.asarray(array, dtype=np.intp)
    if not array.size:
        return array
    low, high = array.min(), array.max()
    if low < -size or high >= size:
        bad = (array < -size) | (array >= size)
        raise IndexError("index %d is out of bounds for axis %d with size %d"
                         % (array[bad].flat[0], axis, size))
    return np.where(array < 0, array + size, array) if low < 0 else array


def extremes(arrays, dtype):
    """The global minimum and maximum of each DistArray, as a ``(2, len(arrays))`` array.

    The arrays are laid out alike; one command, in which each worker reports
    its pieces' extremes.  A ``(0, len(arrays))`` array when they are empty.
    """
    first = arrays[0]
    found = first.context.pool.run("limits", [Ref(x.key) for x in arrays],
                                   targets=first.targets)
    pairs = [found[t] for t in first.targets if found[t][0] is not None]
    if not pairs:
        return np.zeros((0, len(arrays)), dtype)
    lows = np.array([[p[i][0] for p in pairs] for i in range(len(arrays))])
    highs = np.array([[p[i][1] for p in pairs] for i in range(len(arrays))])
    return np.stack([lows.min(axis=1), highs.max(axis=1)]).astype(dtype)


def checked_distributed(index, size, axis):
    """Whether a DistArray of indices holds negative ones; IndexError if out of bounds.

    The workers report their pieces' extremes; an out-of-bounds index is
    reported as the extreme one (NumPy reports the first in C order).
    """
    found = extremes([index], index.dtype)
    if not found.size:
        return False
    low, high = found[:, 0]
    if low < -size or high >= size:
        raise IndexError("index %d is out of bounds for axis %d with size %d"
                         % (low if low < -size else high, axis, size))
    return bool(low < 0)


def _expanded(d, items):
    """``items`` with boolean arrays turned into integer arrays (one per axis they span).

    A 0-d mask indexes a new axis (axis None) of length 1 with ``[0]`` (True) or ``[]``.

    A DistArray mask gives DistArrays (its nonzero indices, found on the
    workers); a 0-d DistArray index is fetched.
    """
    expanded = []
    for item in items:
        value = item.value
        if item.kind != "array":
            expanded.append(item)
            continue
        if isinstance(value, DistArray):
            if value.dtype.kind not in "iub":
                raise IndexError("arrays used as indices must be of integer (or boolean) type")
            if value.ndim == 0:
                value = value.toarray()
        if value.dtype == np.bool_ and value.ndim == 0:  # as NumPy: a new axis, kept or not
            expanded.append(Item("array", np.zeros(int(value), np.intp), None))
        elif value.dtype == np.bool_:
            if value.shape != d.shape[item.axis:item.axis + value.ndim]:
                raise IndexError("boolean index did not match indexed array along axis %d; "
                                 "size of axis is %d but size of corresponding boolean axis is "
                                 "%d" % (item.axis, d.shape[item.axis], value.shape[0]))
            expanded.extend(Item("array", ix, item.axis + k)
                            for k, ix in enumerate(np.nonzero(value)))
        else:
            expanded.append(Item("array", value, item.axis))
    return expanded


def _advanced(d, items):
    """The basic items, the :class:`AdvancedIndex` and the index of each view axis.

    The basic items keep every axis of ``d`` (integers and arrays become
    whole slices).  An index is None (a kept axis), a non-negative NumPy
    array, or ``(DistArray, whether it holds negative indices)``; all are
    bounds-checked here, before any data moves.
    """
    expanded = _expanded(d, items)
    basic = [item if item.kind not in ("int", "array") else Item("new", None, None)
             if item.axis is None else Item("slice", slice(None), item.axis) for item in expanded]
    shape = [1 if item.kind == "new" else len(range(*item.value.indices(d.shape[item.axis])))
             for item in basic]
    advanced = AdvancedIndex(shape, [None if item.kind in ("new", "slice") else np.shape(
        item.value) if not isinstance(item.value, DistArray) else item.value.shape
        for item in expanded])
    used = math.prod(advanced.broadcast)  # NumPy checks only indices it uses
    arrays = []
    for item in expanded:
        size = d.shape[item.axis] if item.axis is not None else 1
        if item.kind in ("new", "slice"):
            arrays.append(None)
        elif isinstance(item.value, DistArray):
            arrays.append((item.value, bool(used) and checked_distributed(item.value, size,
                                                                           item.axis)))
        else:
            arrays.append(checked_indices(item.value, size if used else np.iinfo(np.intp).max,
                                   item.axis))
    return basic, advanced, arrays


def _assigned_values(value, shape, dtype):
    """``value`` checked against the indexing result's ``shape``, as NumPy checks it.

    Returns a scalar of ``dtype``, a DistArray, or a NumPy array of ``shape``
    and ``dtype``.
    """
    if not isinstance(value, DistArray):
        value = np.asarray(value)
    while value.ndim > len(shape) and value.shape[0] == 1:  # NumPy drops leading 1s
        value = value[0]
    try:
        if np.broadcast_shapes(value.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError("shape mismatch: value array of shape %s could not be broadcast to "
                         "indexing result of shape %s" % (value.shape, shape)) from None
    if isinstance(value, DistArray):
        return value
    converted = np.empty(value.shape if value.ndim == 0 else shape, dtype)
    converted[...] = value
    return converted[()] if value.ndim == 0 else converted


def _unpadded(distribution):
    """Whether no map of ``distribution`` pads its buffers."""
    return not any(any(map(any, getattr(m, "padding", ()))) for m in distribution.maps)


def _aligned(x, distribution, dtype=None):
    """DistArray ``x`` broadcast to, and laid out as, ``distribution`` (itself if it is)."""
    if x.shape == distribution.shape and x.distribution.is_compatible(distribution) and (
            dtype is None or x.dtype == dtype):
        return x
    result = empty(distribution, x.dtype if dtype is None else dtype)
    assign(result, x)
    return result


def _owned_blocks(distribution, i):
    """Per axis, process ``i``'s owned global indices (a slice where they are a progression)."""
    return tuple(s if (s := m.global_slice(c)) is not None else m.global_indices(c)
                 for m, c in zip(distribution.maps, distribution.coords(i)))


class _Plan:
    """Where the result of an advanced index lives and how its workers get the indices.

    Without distributed index arrays the result has the default
    distribution; else it takes the layout of a distributed index array of
    the broadcast shape (any other is brought to that layout), kept axes
    whole.  The client sends each result worker its part of the NumPy index
    arrays (``parts``); ``indices`` is the kernels' argument.
    """

    def __init__(self, context, advanced, arrays):
        indexed = [arrays[a] for a in advanced.indexed]
        distributed = [x[0] for x in indexed if isinstance(x, tuple)]
        if distributed:
            leader = next((x.distribution for x in distributed if x.shape == advanced.broadcast
                           and _unpadded(x.distribution)), None)
            layout = leader or context.default_distribution(advanced.broadcast)
            self.result = Distribution.from_maps(context, advanced.result_maps(layout.maps),
                                                 layout.targets)
        else:
            layout = None
            self.result = context.default_distribution(advanced.result_shape)
        self.kept = [_aligned(x[0], layout) if isinstance(x, tuple) else None for x in indexed]
        self.indices = tuple(None if k is None else (MaybeRef(k.key), x[1])
                             for k, x in zip(self.kept, indexed))
        local = [x for x in indexed if not isinstance(x, tuple)]
        self.parts = {rank: [p for p in advanced.index_parts(
            local, _owned_blocks(self.result, i)) if p.size] if local else []
            for i, rank in enumerate(self.result.targets)}


def _run_indexing(name, v, advanced, plan, *args, out=None, dtype=None, **options):
    """Run the advanced-indexing kernel ``name`` on the source's and result's workers.

    ``dtype`` is the kernel's element type (default ``v.dtype``).
    """
    context = v.context
    members = tuple(sorted({*v.targets, *plan.result.targets}))
    src = v.distribution
    context.pool.run(name, Ref(context.cart(members, ())), members, Ref(DATA), MaybeRef(v.key),
                     v.dtype if dtype is None else dtype, src.maps, src.targets,
                     MaybeRef(context.layout(plan.result)), advanced, plan.indices, *args,
                     targets=members, out=out,
                     send={r: p for r, p in plan.parts.items() if p}, tag=True, **options)


def _take(v, advanced, arrays):
    """``v[advanced]``: each result worker fetches its elements from their owners."""
    plan = _Plan(v.context, advanced, arrays)
    key = v.context.pool.new_key()
    _run_indexing("take", v, advanced, plan, out=key)
    return DistArray._wrap(plan.result, v.dtype, key)


def _put(v, advanced, arrays, values, at=None):
    """``v[advanced] = values`` (from :func:`_assigned_values`), sent to the owners.

    Repeated indices: the last value (in C order of the index) wins.  With
    ``at=(ufunc, errstate)`` the owners apply ``ufunc.at`` instead (in C
    order of the index), and array ``values`` keep their dtype.
    """
    plan = _Plan(v.context, advanced, arrays)
    result = plan.result
    dtype = v.dtype if at is None or np.ndim(values) == 0 else values.dtype
    if isinstance(values, DistArray):
        values = _aligned(values, result, dtype)  # referenced until the command has run
        argument = MaybeRef(values.key)
    elif np.ndim(values) == 0:
        argument = values
    else:
        argument = None
        for i, rank in enumerate(result.targets):
            part = np.broadcast_to(values, result.shape)[block_index(_owned_blocks(result, i))]
            if part.size:
                plan.parts[rank] = plan.parts[rank] + [np.ascontiguousarray(part)]
    ordered = row_blocks(result) and list(result.targets) == sorted(result.targets)
    _run_indexing("put", v, advanced, plan, argument, ordered, dtype=dtype, at=at)


def _select(d, mask):
    """``d[mask]`` for a full-shape DistArray mask: count first, then move the data.

    Both are brought to a row-ordered layout (blocks of leading-axis rows, in
    which C order is process order) unless they already have one; each worker
    compresses its piece; the pieces form an irregular block array, which is
    then rebalanced.
    """
    context = d.context
    rows = d.distribution
    if not row_blocks(rows):
        rows = Distribution(context, d.shape, dist="b" if d.ndim else None)
        d = redistribute(d, rows)
    if not mask.distribution.is_compatible(rows):
        mask = redistribute(mask, rows)
    pool = context.pool
    raw = pool.new_key()
    pool.send("compress", Ref(d.key), Ref(mask.key), targets=rows.targets, out=raw)
    counts = pool.run("piece_size", Ref(raw), targets=rows.targets)  # waits for both
    sizes = [counts[t] for t in rows.targets]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    irregular = Distribution.from_maps(context, (BlockMap(bounds[-1], len(sizes), bounds),),
                                       rows.targets)
    key = pool.new_key()
    pool.send("wrap_piece", Ref(raw), Ref(context.layout(irregular)), targets=rows.targets,
              out=key)
    pool.free(raw)
    return redistribute(DistArray._wrap(irregular, d.dtype, key),
                        context.default_distribution((bounds[-1],)))
