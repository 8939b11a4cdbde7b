"""Planning shape manipulation on distributions (pure NumPy, no MPI).

Arguments are validated by running NumPy itself on *probes*: arrays with the real
shape and dtype that use one element of memory (all strides zero), so the errors and
result shapes are NumPy's own and nothing the size of the array is allocated.  The
axis permutation of ``transpose``/``swapaxes``/``moveaxis`` is read off a probe whose
strides label the axes.

The plans: a transposed view permutes the maps and the process grid; a reshape keeps
each piece in place (a local reshape) when the layout allows it; the functions that
read, for every result cell, a source cell chosen independently along each axis
(``roll``, ``tile``, ``repeat``, ``pad``, ``take`` with a 1-D index) describe the
result axes by :class:`MappedAxis`, which the block exchange understands.
"""

import math
import operator

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .grid import coords_from_rank, rank_from_coords
from .maps import BlockMap, UndistributedMap

__all__ = [
    'MappedAxis', 'axis_permutation', 'concatenate_result', 'local_reshape_maps', 'pad_pairs',
    'permuted', 'probe', 'row_blocks', 'split_bounds', 'squeeze_key',
]


def probe(shape, dtype=np.float64):
    """A read-only array of ``shape`` and ``dtype`` using one element of memory."""
    shape = tuple(shape)
    return as_strided(np.zeros(1, dtype), shape=shape, strides=(0,) * len(shape),
                      writeable=False)


def axis_permutation(function, ndim):
    """The axis permutation that ``function`` (an axis-permuting NumPy call) applies.

    ``function`` runs on a probe with ``ndim`` length-1 axes whose strides are
    1, 2, ...; NumPy raises its own errors for bad arguments.  Result axis ``i``
    is source axis ``perm[i]``.
    """
    labelled = as_strided(np.zeros(1, np.int8), shape=(1,) * ndim,
                          strides=tuple(range(1, ndim + 1)), writeable=False)
    return tuple(stride - 1 for stride in function(labelled).strides)


def permuted(distribution, perm):
    """Maps and targets of the transposed view (result axis ``i`` = axis ``perm[i]``).

    The grid axes are permuted with the array axes; the targets are re-ordered
    into the new grid's row-major order.
    """
    grid = distribution.grid_shape
    new_grid = tuple(grid[a] for a in perm)
    targets = []
    for j in range(math.prod(new_grid)):
        new_coords = coords_from_rank(j, new_grid)
        coords = [0] * len(grid)
        for axis, c in zip(perm, new_coords):
            coords[axis] = c
        targets.append(distribution.targets[rank_from_coords(coords, grid)])
    return tuple(distribution.maps[a] for a in perm), tuple(targets)


def _is_identity(m):
    """Whether map ``m`` keeps its whole axis, in order, on a single grid rank."""
    return m.grid_size == 1 and m.global_slice(0) == slice(0, m.size, 1)


def row_blocks(distribution):
    """Whether C order is process order: blocks of leading-axis rows, nothing else split.

    Axis 0 is a block map without halos; every other axis is held whole, in order.
    """
    maps = distribution.maps
    first = maps[0] if maps else None
    return isinstance(first, BlockMap) and not any(map(any, first.padding)) and all(
        _is_identity(m) for m in maps[1:])


def local_reshape_maps(distribution, shape):
    """Maps under which the C-order reshape to ``shape`` is each piece's own reshape.

    Two cases, else None: the axes from the last distributed one on are held whole
    and the leading axes keep their sizes (the reshape only regroups the trailing
    axes); or the array is split into blocks of rows whose boundaries fall on rows of
    the new shape.
    """
    maps, old = distribution.maps, distribution.shape
    k = max((a + 1 for a, m in enumerate(maps) if not _is_identity(m)), default=0)
    if len(shape) >= k and old[:k] == shape[:k]:
        return maps[:k] + tuple(UndistributedMap(n) for n in shape[k:])
    rows_new = math.prod(shape[1:])
    if not shape or not rows_new or not row_blocks(distribution):
        return None
    rows_old = math.prod(old[1:])
    bounds = [b * rows_old for b in maps[0].bounds]
    if any(b % rows_new for b in bounds):
        return None
    first = BlockMap(shape[0], maps[0].grid_size, [b // rows_new for b in bounds])
    return (first,) + tuple(UndistributedMap(n) for n in shape[1:])


def squeeze_key(old, new):
    """A basic index turning shape ``old`` into ``new`` by dropping/adding length-1 axes.

    None unless the two shapes have the same axes of length other than 1, in order.
    """
    kept_old = [a for a, n in enumerate(old) if n != 1]
    kept_new = [a for a, n in enumerate(new) if n != 1]
    if [old[a] for a in kept_old] != [new[a] for a in kept_new]:
        return None
    key, done_old, done_new = [], 0, 0
    for a_old, a_new in zip(kept_old + [len(old)], kept_new + [len(new)]):
        key += [0] * (a_old - done_old) + [None] * (a_new - done_new)
        if a_old < len(old):
            key.append(slice(None))
        done_old, done_new = a_old + 1, a_new + 1
    return tuple(key)


class MappedAxis:
    """A result axis whose cell ``g`` reads the source index ``f(g)`` along the same axis.

    It stands in for the destination map in :func:`distarray.local.exchange.gather_blocks`,
    which only asks a destination map for ``grid_size`` and ``global_indices(r)``:
    the latter here gives the *source* indices the grid rank's cells read.

    Parameters
    ----------
    map_ : Map
        The result's map of the axis.
    kind : str
        ``'same'`` (``f(g) = g``), ``'shift'`` (``(g - offset) % n``), ``'clip'``
        (``g - offset`` clipped to ``[0, n)``), ``'reflect'`` / ``'symmetric'``
        (``g - offset`` mirrored into ``[0, n)`` without / with repeating the edge,
        as :func:`numpy.pad`), ``'div'`` (``g // offset``) or ``'take'`` (``indices[g]``).
    offset, n : int
    indices : int array, for ``'take'``
    """

    def __init__(self, map_, kind='same', offset=0, n=0, indices=None):
        self.map, self.kind, self.offset, self.n, self.indices = map_, kind, offset, n, indices

    @property
    def grid_size(self):
        return self.map.grid_size

    @property
    def size(self):
        return self.map.size

    def global_indices(self, r):
        """The source indices read by grid rank ``r``'s cells, in buffer order."""
        g = self.map.global_indices(r)
        if self.kind == 'shift':
            return (g - self.offset) % self.n
        if self.kind == 'clip':
            return np.clip(g - self.offset, 0, self.n - 1)
        if self.kind in ('reflect', 'symmetric'):
            return mirrored(g - self.offset, self.n, self.kind == 'symmetric')
        if self.kind == 'div':
            return g // self.offset
        if self.kind == 'take':
            return self.indices[g]
        return g


def mirror_period(n, edge):
    """The period of the mirror image of ``range(n)`` (see :func:`mirrored`)."""
    return 2 * n if edge else 2 * (n - 1)


def mirrored(i, n, edge):
    """Indices ``i`` of a periodic mirror image of ``range(n)``: ``[0, n)`` reflected at its
    ends, with the edge repeated (``edge``, numpy.pad's 'symmetric') or not ('reflect')."""
    period = mirror_period(n, edge)
    if period == 0:
        return np.zeros_like(i)
    i = i % period
    return np.where(i < n, i, period - i - edge)


def split_bounds(n, indices_or_sections):
    """``(start, stop)`` of the parts of ``numpy.array_split`` along an axis of length ``n``.

    Arguments already validated by NumPy; list entries keep Python slicing meaning.
    """
    try:
        points = [0, *indices_or_sections, n]
    except TypeError:
        sections = int(indices_or_sections)
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        points = np.concatenate([[0], np.cumsum(sizes, dtype=np.intp)]).tolist()
    return list(zip(points[:-1], points[1:]))


def _pairs(values, ndim):
    """``values`` broadcast to one ``(before, after)`` pair per axis, as ``numpy.pad`` does."""
    values = np.asarray(values)
    if values.size == 1 or (values.size == 2 and values.shape != (2, 1)):
        values = values.ravel()
    return np.broadcast_to(values, (ndim, 2))


def pad_pairs(pad_width, ndim):
    """Per-axis ``(before, after)`` pad widths as ints; TypeError and ValueError as NumPy's."""
    widths = np.asarray(pad_width)
    if widths.dtype.kind != "i":
        raise TypeError("`pad_width` must be of integral type.")
    return _index_pairs(widths, ndim)


def stat_lengths(stat_length, ndim):
    """Per-axis ``(before, after)`` ``stat_length`` of numpy.pad (None: the whole axis)."""
    if stat_length is None:
        return [(None, None)] * ndim
    return _index_pairs(np.round(np.asarray(stat_length)), ndim)


def _index_pairs(values, ndim):
    values = values.astype(np.intp)
    if values.size and values.min() < 0:
        raise ValueError("index can't contain negative values")
    return [tuple(map(int, pair)) for pair in _pairs(values, ndim)]


def ramp_ends(end_values, ndim):
    """Per-axis ``(before, after)`` ``end_values`` of ``pad(mode='linear_ramp')``, typed as
    NumPy's (NumPy scalars when one or two values are given): they set ``linspace``'s dtype."""
    values = np.array(end_values)
    if values.ndim < 3 and (values.size == 1 or values.size == 2 and values.shape != (2, 1)):
        values = values.ravel()
        return [(values[0], values[-1])] * ndim
    return pad_values(values, ndim)


def pad_values(values, ndim):
    """Per-axis ``(before, after)`` constant values."""
    return [tuple(pair) for pair in _pairs(values, ndim).tolist()]


def concatenate_result(shapes, dtypes, axis, dtype=None, casting='same_kind', out_dtype=None):
    """Shape and dtype of ``numpy.concatenate`` of arrays with these shapes and dtypes.

    NumPy itself runs on empty stand-ins (the concatenation axis set to length 0),
    so every error is its own.  ``axis`` is an int (not None).
    """
    def stand_in(shape, dt):
        shape = list(shape)
        if -len(shape) <= axis < len(shape):
            shape[axis] = 0
        return np.empty(tuple(shape), dt)

    stand_ins = [stand_in(shape, dt) for shape, dt in zip(shapes, dtypes)]
    out = None
    if out_dtype is not None and stand_ins:
        out = np.empty(stand_in(shapes[0], np.int8).shape, out_dtype)
    result = np.concatenate(stand_ins, axis=axis, out=out, dtype=dtype, casting=casting)
    axis = operator.index(axis) % len(shapes[0])
    shape = list(shapes[0])
    shape[axis] = sum(s[axis] for s in shapes)
    return tuple(shape), result.dtype
