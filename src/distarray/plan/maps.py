"""One-dimensional maps: the layout of one array axis over one axis of the process grid.

Notation: ``r`` is a grid rank along the axis (``0 <= r < grid_size``), ``g`` a global
index and ``l`` a position in ``r``'s local buffer.  Block maps may pad their buffers
(§4.2 of the protocol spec) and ``l`` counts the padding cells.

Maps are immutable and picklable.  They compare equal when they lay the axis out the
same way, whatever their class: a one-rank ``BlockMap`` without padding equals
``UndistributedMap``, a ``CyclicMap`` with one block per rank equals a ``BlockMap``.
"""

import operator
from functools import cached_property

import numpy as np

from ..errors import DistributionError, ProtocolError
from . import dap
from .grid import as_count, entry_grid_size, normalize_dist_entry

__all__ = [
    'BlockMap', 'CyclicMap', 'Map', 'UndistributedMap', 'UnstructuredMap',
    'map_from_dim_dicts', 'map_from_global_dim_dict',
]


#: Up to this many grid ranks, :meth:`BlockMap.locate` compares with each bound.
_FEW_RANKS = 8


def _restore(cls, state):
    """Unpickle a map without validating it again (it was valid when pickled)."""
    obj = cls.__new__(cls)
    obj._freeze(**state)
    return obj


def _checked_indices(values, bound, what, error=IndexError):
    """``values`` as an int64 array; ``error`` unless they are integers in ``[0, bound)``."""
    arr = np.asarray(values)
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in 'iu':
        raise error(f'{what} must be integers, got {arr.dtype}')
    if arr.min() < 0 or arr.max() >= bound:
        bad = arr[(arr < 0) | (arr >= bound)].flat[0]
        raise error(f'{what} {bad} is out of bounds for size {bound}')
    return arr.astype(np.int64, copy=False)


def _like(result, values):
    """``result`` as a Python int if ``values`` was a scalar."""
    return int(result) if np.ndim(values) == 0 else result


def progression(start, count, step):
    """Slice of ``count`` indices from ``start`` by ``step``, normalized."""
    step = step if count > 1 else 1
    return slice(start, start + (count - 1) * step + 1 if count else start, step)


class Map:
    """Base class of the one-dimensional maps.

    Attributes
    ----------
    dist : str
        Type code: ``'b'``, ``'c'``, ``'u'`` or ``'n'`` (undistributed).
    size : int
        Length of the axis.
    grid_size : int
        Number of grid ranks along the axis.
    periodic : bool
        Whether the axis wraps around (only block maps may).
    """

    dist = None
    periodic = False

    def __init__(self, size, grid_size):
        self._freeze(size=as_count(size, 'size'), grid_size=as_count(grid_size, 'grid_size', 1))

    def _freeze(self, **attributes):
        for name, value in attributes.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f'{type(self).__name__} is immutable')

    def __delattr__(self, name):
        raise AttributeError(f'{type(self).__name__} is immutable')

    def __reduce__(self):
        return _restore, (type(self), dict(self.__dict__))

    def __repr__(self):
        params = ', '.join(f'{key}={value!r}' for key, value in self._params().items())
        return f'{type(self).__name__}({params})'

    def _rank(self, r):
        r = operator.index(r)
        if not 0 <= r < self.grid_size:
            raise IndexError(f'grid rank {r} is out of range for grid size {self.grid_size}')
        return r

    # Hooks the subclasses override or inherit: r is a valid rank, g and l int64 arrays.

    def _extent(self, r):
        return self._count(r)

    def _owned_slice(self, r):
        return slice(0, self._extent(r))

    def _slice(self, r):
        indices = self.global_indices(r)
        steps = np.unique(np.diff(indices))
        if len(steps) > 1 or (len(steps) and steps[0] <= 0):
            return None
        start = int(indices[0]) if len(indices) else 0
        return progression(start, len(indices), int(steps[0]) if len(steps) else 1)

    def _layout_key(self):
        return None

    # Public interface.

    def owned_count(self, r):
        """Number of global indices grid rank ``r`` owns (halo cells excluded)."""
        return self._count(self._rank(r))

    def extent(self, r):
        """Length of grid rank ``r``'s local buffer, padding cells included."""
        return self._extent(self._rank(r))

    def owned_local_slice(self, r):
        """Slice of grid rank ``r``'s buffer that holds its owned cells."""
        return self._owned_slice(self._rank(r))

    def global_indices(self, r, padding=False):
        """Global indices of ``r``'s owned cells (all buffer cells if ``padding``).

        Returns an int64 array in buffer order; halo cells give the index they mirror.
        """
        r = self._rank(r)
        cells = slice(None) if padding else self._owned_slice(r)
        return self._global(r, np.arange(self._extent(r), dtype=np.int64)[cells])

    def global_slice(self, r):
        """The owned global indices of ``r`` as a slice, or None.

        The slice has non-negative start, stop and step; None means the indices are
        not an increasing arithmetic progression.
        """
        return self._slice(self._rank(r))

    def owners(self, g):
        """Grid rank owning global index ``g`` (int or int array, vectorized).

        An unstructured index held by several ranks gives the lowest of them.
        """
        return _like(self._owners(_checked_indices(g, self.size, 'index')), g)

    def locate(self, g):
        """Owning grid rank and buffer position of each global index ``g`` (vectorized).

        ``g`` must be an int array of valid, non-negative indices (not checked:
        this is the fast path of element exchanges).  Returns two int64 arrays
        of ``g``'s shape; an unstructured index held by several ranks is
        located on the lowest of them.
        """
        return self._locate(np.asarray(g, np.int64))

    def all_owners(self, g):
        """List of every grid rank owning the global index ``g`` (an int)."""
        g = _checked_indices([g], self.size, 'index')
        return [r for r in range(self.grid_size) if self._local(r, g)[0] >= 0]

    def local_index(self, r, g):
        """Buffer position on ``r`` of the global index ``g`` it owns (vectorized)."""
        r = self._rank(r)
        local = self._local(r, _checked_indices(g, self.size, 'index'))
        if np.any(local < 0):
            bad = np.asarray(g)[local < 0].flat[0]
            raise IndexError(f'global index {bad} is not owned by grid rank {r}')
        return _like(local, g)

    def global_index(self, r, l):
        """Global index of buffer position ``l`` on ``r`` (vectorized)."""
        r = self._rank(r)
        return _like(self._global(r, _checked_indices(l, self._extent(r), 'local index')), l)

    def dim_dict(self, r):
        """The DAP 0.10.0 dimension dict of grid rank ``r``."""
        r = self._rank(r)
        return {'dist_type': self._protocol_type, 'size': self.size,
                'proc_grid_size': self.grid_size, 'proc_grid_rank': r, **self._dim_entries(r)}

    def global_dim_dict(self):
        """A dict describing the whole axis (see :func:`map_from_global_dim_dict`)."""
        return {'dist_type': self.dist, 'size': self.size, 'proc_grid_size': self.grid_size,
                **self._global_entries()}

    def is_compatible(self, other):
        """Whether ``other`` lays the axis out as this map does.

        That is: the same owned cells, buffer order and padding on every grid rank.
        """
        if not isinstance(other, Map) or (self.size, self.grid_size, self.periodic) != (
                other.size, other.grid_size, other.periodic):
            return False
        mine, theirs = self._layout_key(), other._layout_key()
        if mine is not None and theirs is not None:
            return mine == theirs
        return all(self._owned_slice(r) == other._owned_slice(r) and np.array_equal(
            self.global_indices(r, padding=True), other.global_indices(r, padding=True))
            for r in range(self.grid_size))

    def __eq__(self, other):
        return self.is_compatible(other) if isinstance(other, Map) else NotImplemented


class BlockMap(Map):
    """Block layout: grid rank ``r`` owns the interval ``[bounds[r], bounds[r+1])``.

    Parameters
    ----------
    size, grid_size : int
    bounds : sequence of int, optional
        ``grid_size + 1`` non-decreasing boundaries from 0 to ``size``.  Default: an
        even split, the first ``size % grid_size`` ranks owning one extra index.
    padding : sequence of (int, int), optional
        One ``(low, high)`` pair of padding widths per rank.  The low width of rank 0
        and the high width of the last rank are boundary padding: owned cells marked as
        the domain's boundary.  The others are halo cells mirroring the neighbour's
        cells; the widths facing each other must match and not exceed what the
        neighbour owns.
    periodic : bool
        Whether the axis wraps around.
    """

    dist = 'b'
    _protocol_type = 'b'

    def __init__(self, size, grid_size, bounds=None, padding=None, periodic=False):
        super().__init__(size, grid_size)
        nranks = self.grid_size
        if bounds is None:
            share, extra = divmod(self.size, nranks)
            bounds = [r * share + min(r, extra) for r in range(nranks + 1)]
        bounds = tuple(as_count(b, 'a bound') for b in bounds)
        if len(bounds) != nranks + 1:
            raise DistributionError(f'bounds needs {nranks + 1} entries for grid size '
                                    f'{nranks}, got {len(bounds)}')
        padding = ((0, 0),) * nranks if padding is None else _padding(padding, nranks)
        problems = (dap.bounds_problems(bounds, self.size)
                    or dap.halo_problems([b - a for a, b in zip(bounds, bounds[1:])], padding))
        if problems:
            raise DistributionError('; '.join(problems))
        self._freeze(bounds=bounds, padding=padding, periodic=bool(periodic))

    def _halo(self, r):
        """Widths of ``r``'s low and high halo (communication padding)."""
        low, high = self.padding[r]
        return (low if r else 0), (high if r < self.grid_size - 1 else 0)

    def _start(self, r):
        return self.bounds[r] - self._halo(r)[0]

    def _options(self, padding):
        """The ``padding`` and ``periodic`` entries, where they are not the defaults."""
        flat = padding if padding and isinstance(padding[0], int) else sum(padding, ())
        options = {'padding': padding} if any(flat) else {}
        return {**options, 'periodic': True} if self.periodic else options

    def _count(self, r):
        return self.bounds[r + 1] - self.bounds[r]

    def _extent(self, r):
        return self._count(r) + sum(self._halo(r))

    def _owned_slice(self, r):
        low = self._halo(r)[0]
        return slice(low, low + self._count(r))

    def _slice(self, r):
        return slice(self.bounds[r], self.bounds[r + 1], 1)

    def _owners(self, g):
        return np.searchsorted(self.bounds, g, side='right') - 1

    def _locate(self, g):
        if self.grid_size == 1:
            return np.zeros(g.shape, np.int64), g + self._start(0)
        if self.grid_size <= _FEW_RANKS:  # a pass per bound beats a binary search per index
            owners = sum((g >= b).view(np.int8) for b in self.bounds[1:-1]).astype(np.int64)
        else:
            owners = np.searchsorted(self.bounds, g, side='right') - 1
        starts = np.array([self._start(r) for r in range(self.grid_size)], np.int64)
        return owners, g - starts[owners]

    def _local(self, r, g):
        owned = (g >= self.bounds[r]) & (g < self.bounds[r + 1])
        return np.where(owned, g - self._start(r), -1)

    def _global(self, r, l):
        return l + self._start(r)

    def _dim_entries(self, r):
        start = self._start(r)
        return {'start': start, 'stop': start + self._extent(r),
                **self._options(self.padding[r])}

    def _global_entries(self):
        return {'bounds': list(self.bounds), **self._options(list(self.padding))}

    def _params(self):
        return {'size': self.size, 'grid_size': self.grid_size, 'bounds': self.bounds,
                **self._options(self.padding)}

    def _layout_key(self):
        return 'b', self.bounds, self.padding, self.periodic


def _padding(padding, nranks):
    """Per-rank padding as a tuple of ``(low, high)`` tuples of ints."""
    try:
        pairs = tuple(tuple(as_count(w, 'a padding width') for w in pair) for pair in padding)
    except TypeError:
        pairs = ()
    if len(pairs) != nranks or any(len(pair) != 2 for pair in pairs):
        raise DistributionError(f'padding needs one (low, high) pair for each of the '
                                f'{nranks} grid ranks, got {padding!r}')
    return pairs


class UndistributedMap(BlockMap):
    """An axis that is not distributed: a single grid rank holds all of it."""

    dist = 'n'

    def __init__(self, size):
        super().__init__(size, 1)

    def _params(self):
        return {'size': self.size}

    def global_dim_dict(self):
        """A dict describing the whole axis: ``{'dist_type': 'n', 'size': size}``."""
        return {'dist_type': 'n', 'size': self.size}


class CyclicMap(Map):
    """Cyclic or block-cyclic layout (§4.3).

    Blocks of ``block_size`` consecutive indices (the last may be short) are dealt
    round-robin to the grid ranks; each rank stores its indices in increasing order.
    """

    dist = 'c'
    _protocol_type = 'c'

    def __init__(self, size, grid_size, block_size=1):
        super().__init__(size, grid_size)
        self._freeze(block_size=as_count(block_size, 'block_size', 1))

    def _count(self, r):
        return dap.cyclic_owned_count(self.size, self.block_size, self.grid_size, r)

    def _slice(self, r):
        block, nranks, count = self.block_size, self.grid_size, self._count(r)
        if count <= block or nranks == 1:
            return progression(min(r * block, self.size), count, 1)
        return progression(r, count, nranks) if block == 1 else None

    def _owners(self, g):
        return g // self.block_size % self.grid_size

    def _locate(self, g):
        block, nranks = self.block_size, self.grid_size
        if block == 1:
            return g % nranks, g // nranks
        blocks = g // block
        return blocks % nranks, blocks // nranks * block + g % block

    def _local(self, r, g):
        block, nranks = self.block_size, self.grid_size
        return np.where(self._owners(g) == r, g // (block * nranks) * block + g % block, -1)

    def _global(self, r, l):
        block, nranks = self.block_size, self.grid_size
        return (l // block * nranks + r) * block + l % block

    def _dim_entries(self, r):
        return {'start': r * self.block_size, 'block_size': self.block_size}

    def _global_entries(self):
        return {'block_size': self.block_size}

    def _params(self):
        return {'size': self.size, 'grid_size': self.grid_size, 'block_size': self.block_size}

    def _layout_key(self):
        block, nranks, size = self.block_size, self.grid_size, self.size
        if nranks > 1 and block * nranks < size:
            return 'c', block
        bounds = tuple(min(r * block, size) for r in range(nranks)) + (size,)
        return 'b', bounds, ((0, 0),) * nranks, False


class UnstructuredMap(Map):
    """Unstructured layout (§4.4): grid rank ``r`` holds the global indices ``indices[r]``.

    Parameters
    ----------
    size, grid_size : int
    indices : sequence of array_like of int
        One sequence per grid rank, in buffer order: unique within a rank and in
        ``[0, size)``.  Together they must cover ``[0, size)``; an index held by
        several ranks is owned by each of them.

    Attributes
    ----------
    indices : tuple of ndarray
        Read-only int64 arrays.
    one_to_one : bool
        Whether every global index is held by exactly one rank.
    """

    dist = 'u'
    _protocol_type = 'u'

    def __init__(self, size, grid_size, indices):
        super().__init__(size, grid_size)
        arrays = tuple(_rank_indices(values, self.size) for values in indices)
        if len(arrays) != self.grid_size:
            raise DistributionError(f'{len(arrays)} index lists for grid size {self.grid_size}')
        held = np.bincount(np.concatenate(arrays), minlength=self.size)
        if self.size and held.min() == 0:
            raise DistributionError(f'global index {held.argmin()} is held by no grid rank')
        self._freeze(indices=arrays, one_to_one=bool(np.all(held == 1)))

    @cached_property
    def _first_holder(self):
        """The lowest rank holding each global index, and its position in that rank's buffer."""
        lengths = [len(x) for x in self.indices]
        ranks = np.repeat(np.arange(self.grid_size), lengths)
        positions = np.concatenate([np.arange(n, dtype=np.int64) for n in lengths])
        _, first = np.unique(np.concatenate(self.indices), return_index=True)
        return ranks[first], positions[first]

    @cached_property
    def _sorted(self):
        """For each rank, the order that sorts its indices and the sorted indices."""
        orders = [np.argsort(x) for x in self.indices]
        return [(order, x[order]) for order, x in zip(orders, self.indices)]

    def _count(self, r):
        return len(self.indices[r])

    def _owners(self, g):
        return self._first_holder[0][g]

    def _locate(self, g):
        ranks, positions = self._first_holder
        return ranks[g].astype(np.int64), positions[g]

    def _local(self, r, g):
        order, ordered = self._sorted[r]
        if not len(ordered):
            return np.full(g.shape, -1)
        pos = np.minimum(np.searchsorted(ordered, g), len(ordered) - 1)
        return np.where(ordered[pos] == g, order[pos], -1)

    def _global(self, r, l):
        return self.indices[r][l]

    def _dim_entries(self, r):
        return {'indices': self.indices[r], **({'one_to_one': True} if self.one_to_one else {})}

    def _global_entries(self):
        return {'indices': list(self.indices)}

    def _params(self):
        return {'size': self.size, 'grid_size': self.grid_size, 'indices': list(self.indices)}


def _rank_indices(values, size):
    """One rank's unstructured indices as a validated read-only int64 array."""
    arr = _checked_indices(values, size, 'an unstructured index', DistributionError)
    if arr.ndim != 1 or np.unique(arr).size != arr.size:
        raise DistributionError('the indices of a grid rank must be a 1-D sequence '
                                f'without repeats, got {values!r}')
    arr = np.array(arr, dtype=np.int64, order='C')
    arr.flags.writeable = False
    return arr


def _agree(given, implied, what):
    if given is not None and implied is not None and given != implied:
        raise DistributionError(f'{what} {given} in the distribution does not match {implied}')
    return implied if given is None else given


def map_from_global_dim_dict(dd, grid_size=None, size=None):
    """Build a map from a global dim dict (as ``Map.global_dim_dict`` returns).

    Parameters
    ----------
    dd : dict or str
        A global dim dict, or a distribution entry (see ``normalize_dist_entry``),
        possibly without ``size`` and ``proc_grid_size``.
    grid_size, size : int, optional
        Fill in what ``dd`` lacks; where both give a value, they must agree.
    """
    entry = normalize_dist_entry(dd)
    entry = {'dist_type': entry} if isinstance(entry, str) else entry
    kind = entry['dist_type']
    size = _agree(entry.get('size'), size, 'size')
    grid_size = _agree(entry_grid_size(entry), grid_size, 'grid size')
    if size is None or grid_size is None:
        raise DistributionError(f'the size and the grid size of a {kind!r} axis are needed')
    if kind == 'n':
        return UndistributedMap(size)
    if kind == 'b':
        return BlockMap(size, grid_size, entry.get('bounds'), entry.get('padding'),
                        entry.get('periodic', False))
    if kind == 'c':
        return CyclicMap(size, grid_size, entry.get('block_size', 1))
    return UnstructuredMap(size, grid_size, entry['indices'])


def map_from_dim_dicts(dicts, extents=None):
    """Build the map of one axis from the DAP dim dicts of the processes along it.

    Parameters
    ----------
    dicts : sequence of dict
        One dim dict per grid rank along the axis, in grid-rank order; ``{}`` and the
        0.9 ``'n'`` dict are accepted.
    extents : sequence of int, optional
        The buffer extents along the axis (needed for ``{}``).

    Raises ProtocolError if the dicts are invalid or inconsistent, or describe a
    layout a map cannot hold (negative or uncovered unstructured indices).  A
    one-rank block axis without padding and not periodic gives ``UndistributedMap``.
    """
    nds = dap.check_axis(dicts, extents)
    first = nds[0]
    kind, size, nranks = first['dist_type'], first['size'], first['proc_grid_size']
    try:
        if kind == 'c':
            return CyclicMap(size, nranks, first['block_size'])
        if kind == 'u':
            return UnstructuredMap(size, nranks, [d['indices'] for d in nds])
        padding = tuple(d['padding'] for d in nds)
        if padding == ((0, 0),) and not first['periodic']:
            return UndistributedMap(size)
        bounds = [dap.owned_interval(d)[0] for d in nds] + [size]
        return BlockMap(size, nranks, bounds, padding, first['periodic'])
    except DistributionError as exc:
        raise ProtocolError('the dim dicts describe a layout distarray cannot hold: '
                            f'{exc}') from exc
