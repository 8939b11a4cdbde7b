"""Process grids: per-axis distribution specs, the choice of a grid, ranks and coordinates.

Grids are row-major, like ``MPI_Cart_create``: the last coordinate varies fastest.
"""

import math
import operator

from ..errors import DistributionError
from .dap import cyclic_owned_count

__all__ = [
    'CODES', 'as_count', 'choose_grid', 'coords_from_rank', 'entry_grid_size',
    'normalize_dist', 'normalize_dist_entry', 'rank_from_coords', 'validate_grid',
    'wrap_index',
]

#: Type codes a distribution entry may be given as.
CODES = ('b', 'c', 'n')
_ENTRY_KEYS = {
    'b': {'dist_type', 'size', 'proc_grid_size', 'bounds', 'padding', 'periodic'},
    'c': {'dist_type', 'size', 'proc_grid_size', 'block_size'},
    'u': {'dist_type', 'size', 'proc_grid_size', 'indices'},
    'n': {'dist_type', 'size'},
}


def as_count(value, name, minimum=0):
    """``value`` as a Python int ``>= minimum``; DistributionError otherwise."""
    try:
        value = operator.index(value)
    except TypeError:
        raise DistributionError(f'{name} must be an integer, got {value!r}') from None
    if value < minimum:
        raise DistributionError(f'{name} must be >= {minimum}, got {value}')
    return value


def normalize_dist_entry(entry):
    """Check the distribution entry of one axis.

    An entry is a type code (``'b'``, ``'c'``, ``'n'``) or a dict of global-dim-dict
    keys with a ``'dist_type'`` (``'b'``, ``'c'``, ``'u'``, ``'n'``), such as
    ``{'dist_type': 'c', 'block_size': 4}``.  Returns the code or a copy of the dict.
    """
    if isinstance(entry, str):
        if entry in CODES:
            return entry
        hint = " ({'dist_type': 'u', 'indices': [...]})" if entry == 'u' else ''
        raise DistributionError(f"unknown distribution type {entry!r}: use 'b', 'c', 'n' "
                                f'or a dict{hint}')
    if not isinstance(entry, dict):
        raise DistributionError('a distribution entry must be a type code or a dict, '
                                f'not {type(entry).__name__}')
    kind = entry.get('dist_type')
    if kind not in _ENTRY_KEYS:
        raise DistributionError(f'unknown dist_type {kind!r} in {entry!r}')
    unknown = set(entry) - _ENTRY_KEYS[kind]
    if unknown:
        raise DistributionError(f'keys {sorted(map(str, unknown))} do not apply to '
                                f'dist_type {kind!r}')
    if kind == 'u' and 'indices' not in entry:
        raise DistributionError("an unstructured ('u') axis needs 'indices'")
    if 'block_size' in entry:
        as_count(entry['block_size'], 'block_size', 1)
    return dict(entry)


def _length(value, key):
    try:
        return len(value)
    except TypeError:
        raise DistributionError(f'{key} must be a sequence, got {value!r}') from None


def entry_grid_size(entry):
    """Grid size a normalized entry fixes, or None if the grid may choose it.

    ``'n'`` fixes 1; ``proc_grid_size``, ``bounds``, per-rank ``padding`` and
    ``indices`` fix their own, which must agree.
    """
    kind = entry if isinstance(entry, str) else entry['dist_type']
    if kind == 'n':
        return 1
    if isinstance(entry, str):
        return None
    implied = {key: _length(entry[key], key) - offset
               for key, offset in (('bounds', 1), ('padding', 0), ('indices', 0))
               if key in entry}
    if 'proc_grid_size' in entry:
        implied['proc_grid_size'] = as_count(entry['proc_grid_size'], 'proc_grid_size', 1)
    if len(set(implied.values())) > 1:
        raise DistributionError(f'the grid sizes implied by {sorted(implied)} disagree: '
                                f'{implied}')
    return next(iter(implied.values()), None)


def wrap_index(value, size, error, out_of_bounds):
    """``value``, an int in ``[-size, size)``, made non-negative as NumPy does.

    Raises ``error`` for a non-integer, and ``error(out_of_bounds.format(value))`` for
    an integer out of range.
    """
    try:
        value = operator.index(value)
    except TypeError:
        raise error(f'only integers are valid indices, got {value!r}') from None
    if not -size <= value < size:
        raise error(out_of_bounds.format(value))
    return value % size


def normalize_dist(dist, ndim):
    """Per-axis distribution entries of an ``ndim``-dimensional array.

    Parameters
    ----------
    dist : None, str, tuple, list or dict
        None (the default layout, decided by :func:`choose_grid`); a str of type codes
        for the leading axes (``'b'`` distributes axis 0 only); a tuple or list of
        entries for the leading axes; or a dict ``{axis: entry}`` (negative axes
        allowed).  Axes not mentioned are ``'n'``.  Entries: see
        :func:`normalize_dist_entry`.
    ndim : int

    Returns
    -------
    tuple or None
        One entry per axis, or None for the default.
    """
    if dist is None:
        return None
    if isinstance(dist, dict):
        entries = ['n'] * ndim
        message = f'axis {{}} is out of bounds for array of dimension {ndim}'
        axes = [wrap_index(axis, ndim, DistributionError, message) for axis in dist]
        if len(set(axes)) != len(axes):
            raise DistributionError(f'an axis is given twice in {dist!r}')
        for axis, entry in zip(axes, dist.values()):
            entries[axis] = entry
    elif isinstance(dist, (str, tuple, list)):
        if len(dist) > ndim:
            raise DistributionError(f'dist {dist!r} has {len(dist)} entries for an array '
                                    f'of dimension {ndim}')
        entries = [*dist] + ['n'] * (ndim - len(dist))
    else:
        raise DistributionError('dist must be None, a str, a tuple, a list or a dict, '
                                f'not {type(dist).__name__}')
    return tuple(normalize_dist_entry(entry) for entry in entries)


def _factorizations(n, k):
    """Every ordered ``k``-tuple (``k >= 1``) of positive ints whose product is ``n``."""
    if k == 1:
        yield (n,)
        return
    for d in range(1, n + 1):
        if n % d == 0:
            for rest in _factorizations(n // d, k - 1):
                yield (d, *rest)


def _largest_piece(entry, size, grid_size):
    """Most indices one grid rank gets along an axis (rank 0 gets the most)."""
    if (entry if isinstance(entry, str) else entry['dist_type']) == 'c':
        block = entry.get('block_size', 1) if isinstance(entry, dict) else 1
    else:
        block = max(-(-size // grid_size), 1)
    return cyclic_owned_count(size, operator.index(block), grid_size, 0)


def choose_grid(shape, nprocs, dist=None):
    """Choose the process grid of an array.

    Parameters
    ----------
    shape : tuple of int
    nprocs : int
        Number of processes available.
    dist : optional
        Anything :func:`normalize_dist` accepts.  With None every axis may be split
        (block); the caller makes the axes that get grid size 1 undistributed.

    Returns
    -------
    tuple of int
        ``'n'`` axes and entries that fix their size (bounds, indices ...) get it; the
        other axes share ``nprocs`` divided by the fixed sizes.  Among all ways to share
        it, the smallest largest local piece wins, then the fewest split axes, then the
        larger leading factors.  Without a free axis the grid may use fewer processes
        (all ones for 0-d arrays or all-``'n'`` distributions).
    """
    nprocs = as_count(nprocs, 'nprocs', 1)
    entries = normalize_dist(dist, len(shape)) or ('b',) * len(shape)
    grid = [entry_grid_size(entry) for entry in entries]
    free = [axis for axis, size in enumerate(grid) if size is None]
    fixed = math.prod(size for size in grid if size is not None)
    if fixed > nprocs or (free and nprocs % fixed):
        raise DistributionError(f'the distribution fixes {fixed} grid positions, which '
                                f'{nprocs} processes cannot fill')
    if free:
        def cost(factors):
            pieces = (_largest_piece(entries[a], shape[a], g) for a, g in zip(free, factors))
            return math.prod(pieces), sum(g > 1 for g in factors), [-g for g in factors]

        best = min(_factorizations(nprocs // fixed, len(free)), key=cost)
        for axis, size in zip(free, best):
            grid[axis] = size
    return tuple(grid)


def validate_grid(grid_shape, shape, dist=None, nprocs=None):
    """Check a user-given process grid; return it as a tuple of Python ints.

    Raises DistributionError if it has the wrong length, an entry below 1, a size
    other than the one an entry of ``dist`` fixes (1 on ``'n'`` axes), or needs more
    than ``nprocs`` processes.
    """
    try:
        grid = tuple(operator.index(size) for size in grid_shape)
    except TypeError:
        raise DistributionError(f'grid_shape must be a sequence of ints, got '
                                f'{grid_shape!r}') from None
    if len(grid) != len(shape):
        raise DistributionError(f'grid_shape {grid} has {len(grid)} axes but the array '
                                f'has {len(shape)}')
    if any(size < 1 for size in grid):
        raise DistributionError(f'grid_shape {grid} has an entry below 1')
    for axis, (size, entry) in enumerate(zip(grid, normalize_dist(dist, len(shape)) or ())):
        fixed = entry_grid_size(entry)
        if fixed not in (None, size):
            raise DistributionError(f'axis {axis} ({entry!r}) needs grid size {fixed}, '
                                    f'grid_shape gives {size}')
    if nprocs is not None and math.prod(grid) > nprocs:
        raise DistributionError(f'grid_shape {grid} needs {math.prod(grid)} processes, '
                                f'only {nprocs} are available')
    return grid


def rank_from_coords(coords, grid_shape):
    """Row-major rank of the grid coordinates ``coords``."""
    if len(coords) != len(grid_shape) or not all(
            0 <= c < size for c, size in zip(coords, grid_shape)):
        raise ValueError(f'coordinates {tuple(coords)} are not on the grid {tuple(grid_shape)}')
    rank = 0
    for c, size in zip(coords, grid_shape):
        rank = rank * size + operator.index(c)
    return rank


def coords_from_rank(rank, grid_shape):
    """Grid coordinates of the row-major rank ``rank``."""
    rank = operator.index(rank)
    if not 0 <= rank < math.prod(grid_shape):
        raise ValueError(f'rank {rank} is not on the grid {tuple(grid_shape)}')
    coords = []
    for size in reversed(grid_shape):
        rank, c = divmod(rank, size)
        coords.append(c)
    return tuple(reversed(coords))
