"""Random values of ``distarray.random``, reproducible whatever the layout.

The scheme: the C-order flattened global index space of an array of ``total``
elements is cut into tiles of :data:`TILE` elements.  Tile ``k`` of one draw
is ``count = min(TILE, total - k * TILE)`` values of a NumPy method drawn from
a fresh ``np.random.Generator(np.random.PCG64(SeedSequence(entropy,
spawn_key=spawn_key + (k,), pool_size=pool_size)))`` and the element at flat
index ``g`` is ``tile[g // TILE][g % TILE]``.  The values therefore depend
only on the seed, the draw (method, parameters, dtype) and the global shape,
never on the number of workers or on the distribution.

Cost: a worker draws every tile that any of its owned elements falls in, in
full.  Layouts that give each worker long contiguous runs of the flattened
array (blocks on the leading axes) draw about ``size / nworkers`` values per
worker; cyclic layouts, or layouts that distribute only trailing axes, make
every worker draw (nearly) every tile.

The functions here are plain NumPy and are also used by the client (for
scalars, and for the keys of permutations).
"""

import math

import numpy as np

from .localarray import LocalArray
from .registry import command

#: Elements per tile (a fixed part of the scheme: changing it changes the values).
TILE = 2 ** 16

#: The ``np.random.Generator`` methods that draw one value per element, as
#: ``name: (parameters, options)``: the distribution's parameters and
#: the keywords after ``size``, each a ``(name, default)`` pair (``...``: no default).
DISTRIBUTIONS = {
    "random": ((), (("dtype", np.float64), ("out", None))),
    "uniform": ((("low", 0.0), ("high", 1.0)), ()),
    "normal": ((("loc", 0.0), ("scale", 1.0)), ()),
    "standard_normal": ((), (("dtype", np.float64), ("out", None))),
    "integers": ((("low", ...), ("high", None)), (("dtype", np.int64), ("endpoint", False))),
    "exponential": ((("scale", 1.0),), ()),
    "standard_exponential": ((), (("dtype", np.float64), ("method", "zig"), ("out", None))),
    "poisson": ((("lam", 1.0),), ()),
    "binomial": ((("n", ...), ("p", ...)), ()),
    "beta": ((("a", ...), ("b", ...)), ()),
    "gamma": ((("shape", ...), ("scale", 1.0)), ()),
    "standard_gamma": ((("shape", ...),), (("dtype", np.float64), ("out", None))),
    "lognormal": ((("mean", 0.0), ("sigma", 1.0)), ()),
    "laplace": ((("loc", 0.0), ("scale", 1.0)), ()),
    "logistic": ((("loc", 0.0), ("scale", 1.0)), ()),
    "gumbel": ((("loc", 0.0), ("scale", 1.0)), ()),
    "chisquare": ((("df", ...),), ()),
    "noncentral_chisquare": ((("df", ...), ("nonc", ...)), ()),
    "f": ((("dfnum", ...), ("dfden", ...)), ()),
    "noncentral_f": ((("dfnum", ...), ("dfden", ...), ("nonc", ...)), ()),
    "standard_t": ((("df", ...),), ()),
    "standard_cauchy": ((), ()),
    "weibull": ((("a", ...),), ()),
    "pareto": ((("a", ...),), ()),
    "power": ((("a", ...),), ()),
    "rayleigh": ((("scale", 1.0),), ()),
    "wald": ((("mean", ...), ("scale", ...)), ()),
    "vonmises": ((("mu", ...), ("kappa", ...)), ()),
    "triangular": ((("left", ...), ("mode", ...), ("right", ...)), ()),
    "geometric": ((("p", ...),), ()),
    "negative_binomial": ((("n", ...), ("p", ...)), ()),
    "hypergeometric": ((("ngood", ...), ("nbad", ...), ("nsample", ...)), ()),
    "logseries": ((("p", ...),), ()),
    "zipf": ((("a", ...),), ()),
}

#: The ``np.random.Generator`` methods a draw may name.
METHODS = frozenset(DISTRIBUTIONS) | {"choice"}


def tile_generator(seed, tile):
    """The NumPy Generator of tile ``tile`` for ``seed = (entropy, spawn_key, pool_size)``."""
    entropy, spawn_key, pool_size = seed
    sequence = np.random.SeedSequence(entropy, spawn_key=(*spawn_key, tile), pool_size=pool_size)
    return np.random.Generator(np.random.PCG64(sequence))


def draw_tile(draw, seed, total, tile):
    """The values of tile ``tile`` of ``draw = (method, args, kwargs)`` over ``total`` elements."""
    method, args, kwargs = draw
    if method not in METHODS:
        raise ValueError("unknown random draw %r" % (method,))
    count = min(TILE, total - tile * TILE)
    return getattr(tile_generator(seed, tile), method)(*args, size=count, **kwargs)


def values_at(flat, draw, seed, total, dtype):
    """The values at flat global indices ``flat`` (any shape, unique), each tile drawn once."""
    flat = np.asarray(flat, dtype=np.int64)
    out = np.empty(flat.shape, dtype)
    target = out.reshape(-1)  # a view: ``out`` is new and contiguous
    positions = flat.reshape(-1)
    in_order = bool(np.all(positions[1:] > positions[:-1]))  # usual for owned cells
    order = None if in_order else np.argsort(positions, kind="stable")
    ordered = positions if in_order else positions[order]
    tiles = ordered // TILE
    bounds = [0, *(np.flatnonzero(np.diff(tiles)) + 1).tolist(), ordered.size]
    for start, end in zip(bounds[:-1], bounds[1:]):
        if start == end:
            continue  # nothing to draw
        tile = int(tiles[start])
        values = draw_tile(draw, seed, total, tile)
        offsets = ordered[start:end] - tile * TILE
        if in_order and offsets[-1] - offsets[0] == end - start - 1:
            target[start:end] = values[offsets[0]:offsets[-1] + 1]  # a contiguous run
        elif in_order:
            target[start:end] = values[offsets]
        else:
            target[order[start:end]] = values[offsets]
    return out


def flat_indices(index_arrays, shape):
    """C-order flat global indices of the ``np.ix_`` product of per-axis global indices."""
    if not shape:
        return np.zeros((), dtype=np.int64)
    return np.ravel_multi_index(np.ix_(*index_arrays), shape)


@command
def random_fill_tiles(layout, dtype, draw, seed):
    """A new 1-D local array of whole tiles of ``draw``, whose parameters may be local
    arrays laid out like it (one value per element: tile ``k`` gets its slices)."""
    local = LocalArray.empty(layout, dtype)
    (m,), (coord,) = local.maps, local.coords
    start = m.bounds[coord]  # a multiple of TILE
    method, args, kwargs = draw
    for offset in range(0, local.owned.size, TILE):
        window = slice(offset, offset + TILE)
        values = [a.owned[window] if isinstance(a, LocalArray) else a for a in args]
        local.owned[window] = draw_tile((method, values, kwargs), seed, m.size,
                                        (start + offset) // TILE)
    return local


@command
def random_fill(layout, dtype, draw, seed):
    """A new local array holding its owned elements of a random draw (padding is 0)."""
    local = LocalArray.empty(layout, dtype, fill=0)
    shape = local.global_shape
    flat = flat_indices(local.global_index_arrays(), shape)
    local.owned[...] = values_at(flat, draw, seed, math.prod(shape), dtype)
    return local
