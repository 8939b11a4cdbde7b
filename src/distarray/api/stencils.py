"""Stencil support: halo exchange and ``map_overlap``.

Block axes may carry communication padding (halo cells, as in the Distributed
Array Protocol); :func:`exchange_halos` refreshes them from the neighbours.
:func:`map_overlap` runs a function on each piece grown by ``depth`` cells
taken from its neighbours (and from a boundary rule at the global edges), then
trims the result back: the usual way to write a stencil on distributed data.
"""

import numbers

import numpy as np

from ..plan.distribution import Distribution
from ..plan.maps import BlockMap
from ..runtime.messages import Ref
from .darray import DistArray
from .indexing import redistribute

BOUNDARIES = ("periodic", "reflect", "nearest")


def exchange_halos(d):
    """Fill the halo (communication padding) cells of ``d`` from the neighbouring pieces."""
    d.context.check_open()
    d.context.pool.run("exchange_halos", Ref(d.key), targets=d.targets, tag=True)


def with_halos(d, depth):
    """A copy of ``d`` whose distributed block axes carry ``depth`` halo cells, exchanged.

    Only interior piece boundaries get halos: in the protocol, padding at the
    global edges is boundary padding (part of the array), so a periodic wrap is
    done with ``map_overlap(..., boundary='periodic')`` instead.
    """
    if not isinstance(depth, numbers.Integral) or depth < 0:
        raise ValueError("depth must be a non-negative integer, got %r" % (depth,))
    maps = []
    for m in d.distribution.maps:
        if m.dist == "b" and m.grid_size > 1:
            last = m.grid_size - 1
            widths = [(depth if r else 0, depth if r < last else 0) for r in range(m.grid_size)]
            m = BlockMap(m.size, m.grid_size, m.bounds, widths)
        maps.append(m)
    padded = redistribute(d, Distribution.from_maps(d.context, maps, d.targets))
    exchange_halos(padded)
    return padded


def halo_ready(distribution):
    """Whether the pieces of ``distribution`` can be grown by their neighbours' cells (see
    :func:`map_overlap`): every axis holds its cells in global order, split (if at all) in
    unpadded blocks.  An unstructured axis may hold them in any order, even on one process.
    """
    return all(m.dist == "n" or m.dist == "b" and not any(map(any, m.padding))
               or m.dist == "c" and m.grid_size == 1 for m in distribution.maps)


def map_overlap(d, function, depth, boundary="reflect", **kwargs):
    """``function`` applied to each piece of ``d`` grown by ``depth`` neighbouring cells.

    Parameters
    ----------
    function : callable
        Takes the grown piece (a NumPy array) and returns an array of the same
        shape (e.g. a stencil written with slices); shipped to the workers once.
    depth : int
        Cells added on both sides of every axis.
    boundary : {'reflect', 'nearest', 'periodic'} or number
        What lies beyond the global edges (a number: that constant).
    **kwargs
        Passed to ``function``.

    Returns
    -------
    DistArray
        The trimmed results, with ``d``'s distribution.
    """
    if not isinstance(depth, numbers.Integral) or depth < 0:
        raise ValueError("depth must be a non-negative integer, got %r" % (depth,))
    if not (boundary in BOUNDARIES or isinstance(boundary, numbers.Number)):
        raise ValueError("boundary must be one of %s or a number, got %r"
                         % (", ".join(BOUNDARIES), boundary))
    context = d.context
    context.check_open()
    source = d
    if not halo_ready(d.distribution):
        source = redistribute(d)  # neighbours are defined on unpadded block axes only
    for shape in source.distribution.owned_shapes():
        if any(0 < n < depth for n in shape) and depth:
            raise ValueError("depth %d exceeds a piece of shape %s; use fewer workers or a "
                             "smaller depth" % (depth, shape))
    axes = tuple(range(d.ndim))
    key = context.pool.new_key()
    dist = source.distribution
    shipped = context.pool.ship(function)
    context.pool.send("map_overlap", Ref(source.key), Ref(context.layout(dist)), shipped, depth,
                      boundary, axes, kwargs, targets=dist.targets, out=key, tag=True)
    # the same round trip: the workers answer in order (an error of map_overlap comes here)
    dtypes = set(context.pool.run("result_dtype", Ref(key), targets=dist.targets).values())
    result = DistArray._wrap(dist, np.result_type(*dtypes), key)
    if len(dtypes) > 1:
        result = result.astype(result.dtype)
    return result if dist is d.distribution else redistribute(result, d.distribution)
