"""Indexing DistArrays: views, single elements, assignment, redistribution.

Basic indexing returns a view (the workers' memory is shared: writes through it
change the original); a single element is fetched from its owner in one round
trip; every index is checked on the client first, so an out-of-bounds index
raises ``IndexError`` before anything is sent.
"""

import numpy as np

from ..plan.distribution import Distribution
from ..plan.indexing import parse, view_plan
from ..runtime.messages import WORLD, MaybeRef, Ref
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
    """The basic-indexing view of ``d`` described by parsed ``items``."""
    plan = view_plan(d.distribution, items)
    if plan is None:
        raise NotImplementedError("this slice of an unstructured axis is not a strided view; "
                                  "redistribute the array first")
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
        raise NotImplementedError("advanced (integer/boolean array) indexing")
    if _is_element(key, items, d.ndim):
        owner, local = _element(d, items)
        return d.context.pool.run("get_element", Ref(d.key), local, targets=(owner,))[owner]
    return view(d, items)


def setitem(d, key, value):
    """``d[key] = value``."""
    d.context.check_open()
    items = parse(key, d.shape, DistArray)
    if any(item.kind == "array" for item in items):
        raise NotImplementedError("advanced (integer/boolean array) assignment")
    if _is_element(key, items, d.ndim) and not isinstance(value, DistArray) \
            and np.ndim(value) == 0:
        converted = np.empty((), d.dtype)
        converted[()] = value
        owner, local = _element(d, items)
        d.context.pool.run("set_element", Ref(d.key), local, converted[()], targets=(owner,))
        return
    assign(view(d, items), value)


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
