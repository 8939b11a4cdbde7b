"""``Distribution``: the layout of an n-dimensional array over a set of worker processes."""

import itertools
import math
import operator

from ..errors import DistributionError, ProtocolError
from .dap import axis_lines, check_dim_data
from .grid import (choose_grid, coords_from_rank, normalize_dist, rank_from_coords,
                   validate_grid, wrap_index)
from .maps import Map, map_from_dim_dicts, map_from_global_dim_dict

__all__ = ['Distribution']


def normalize_shape(shape):
    """``shape`` as a tuple of Python ints, raising as NumPy does."""
    try:
        dims = (operator.index(shape),)
    except TypeError:
        try:
            items = tuple(shape)
        except TypeError:
            raise TypeError('expected a sequence of integers or a single integer, '
                            f"got '{shape}'") from None
        dims = tuple(operator.index(n) for n in items)
    if any(n < 0 for n in dims):
        raise ValueError('negative dimensions are not allowed')
    return dims


def _normalize_index(idx, shape):
    """``idx`` (an int or tuple of ints, negative counting from the end) made non-negative."""
    idx = idx if isinstance(idx, tuple) else (idx,)
    if len(idx) > len(shape):
        raise IndexError(f'too many indices for array: array is {len(shape)}-dimensional, '
                         f'but {len(idx)} were indexed')
    return tuple(wrap_index(i, size, IndexError,
                            f'index {{}} is out of bounds for axis {axis} with size {size}')
                 for axis, (i, size) in enumerate(zip(idx, shape)))


def _select_targets(available, targets, count):
    """The ``count`` worker ranks of a grid, in grid order."""
    available = tuple(available)
    if targets is None:
        if count > len(available):
            raise DistributionError(f'the grid needs {count} processes, the context has '
                                    f'{len(available)}')
        return available[:count]
    targets = tuple(operator.index(t) for t in targets)
    targets = targets[:1] if count == 1 else targets
    if len(targets) != count:
        raise DistributionError(f'{len(targets)} targets given for a grid of {count} '
                                'processes')
    if len(set(targets)) != count or not set(targets) <= set(available):
        raise DistributionError(f'targets {targets} must be distinct members of the '
                                f'context targets {available}')
    return targets


class Distribution:
    """The layout of an array: one map per axis over a row-major process grid.

    Parameters
    ----------
    context : object
        Anything with a ``targets`` attribute: the tuple of usable worker ranks.
    shape : int or sequence of int
    dist : optional
        Per-axis distribution, see :func:`~distarray.plan.grid.normalize_dist`.  None
        (the default) splits the axes chosen by the grid into even blocks and leaves
        the others undistributed.
    grid_shape : sequence of int, optional
        The process grid; chosen by :func:`~distarray.plan.grid.choose_grid` for
        ``len(targets)`` (default ``len(context.targets)``) processes if omitted.
    targets : sequence of int, optional
        Worker ranks in grid row-major order, distinct members of ``context.targets``,
        one per grid position (a one-process grid takes the first).  Default: the
        first ``prod(grid_shape)`` of ``context.targets``.

    Attributes
    ----------
    context, shape, ndim, grid_shape, targets
        As above, normalized to tuples of Python ints.
    maps : tuple of Map
        One map per axis.
    dist : tuple of str
        The type code of each axis.
    nprocs : int
        Number of processes: ``len(targets)``.
    """

    def __init__(self, context, shape, dist=None, grid_shape=None, targets=None):
        shape = normalize_shape(shape)
        entries = normalize_dist(dist, len(shape))
        nprocs = len(context.targets if targets is None else targets)
        if grid_shape is None:
            grid = choose_grid(shape, nprocs, entries)
        else:
            grid = validate_grid(grid_shape, shape, entries, nprocs)
        if entries is None:
            entries = tuple('b' if size > 1 else 'n' for size in grid)
        self._setup(context, [map_from_global_dim_dict(entry, grid_size=g, size=n)
                              for entry, g, n in zip(entries, grid, shape)], targets)

    def _setup(self, context, maps, targets):
        maps = tuple(maps)
        if not all(isinstance(m, Map) for m in maps):
            raise TypeError('maps must be Map instances')
        self.context = context
        self.maps = maps
        self.shape = tuple(m.size for m in maps)
        self.ndim = len(maps)
        self.dist = tuple(m.dist for m in maps)
        self.grid_shape = tuple(m.grid_size for m in maps)
        self.targets = _select_targets(context.targets, targets, math.prod(self.grid_shape))
        self.nprocs = len(self.targets)

    @classmethod
    def from_maps(cls, context, maps, targets=None):
        """The distribution with the given per-axis maps."""
        self = cls.__new__(cls)
        self._setup(context, maps, targets)
        return self

    @classmethod
    def from_global_dim_data(cls, context, glb_dim_data, targets=None):
        """The distribution described by per-axis global dim dicts (see ``global_dim_data``)."""
        return cls.from_maps(context, [map_from_global_dim_dict(dd) for dd in glb_dim_data],
                             targets)

    @classmethod
    def from_dim_data_per_rank(cls, context, dim_data_per_rank, extents_per_rank=None,
                               targets=None):
        """The distribution the processes' DAP ``dim_data`` describe.

        Parameters
        ----------
        dim_data_per_rank : sequence of sequence of dict
            Each process's dim_data, in grid row-major order.
        extents_per_rank : sequence of tuple of int, optional
            Each process's buffer shape (needed for ``{}`` dim dicts).

        Raises ProtocolError if the dim_data break the protocol, or use a layout
        distarray cannot hold (e.g. padding that differs between processes with the
        same grid coordinate).
        """
        grid, normalized = check_dim_data(dim_data_per_rank, extents_per_rank)
        maps = []
        for axis in range(len(grid)):
            lines = axis_lines(grid, axis)
            if len({tuple(normalized[r][axis].get('padding') for r in line)
                    for line in lines}) > 1:
                raise ProtocolError(f'axis {axis}: padding differs between processes with '
                                    'the same grid coordinate')
            maps.append(map_from_dim_dicts([normalized[r][axis] for r in lines[0]]))
        return cls.from_maps(context, maps, targets)

    def _process(self, i):
        i = operator.index(i)
        if not 0 <= i < self.nprocs:
            raise IndexError(f'process {i} is out of range for {self.nprocs} processes')
        return i

    def _per_axis(self, i, method, *args):
        """``method`` of every map, called with process ``i``'s grid coordinate."""
        return tuple(getattr(m, method)(c, *args) for m, c in zip(self.maps, self.coords(i)))

    def coords(self, i):
        """Grid coordinates of the ``i``-th process (grid order)."""
        return coords_from_rank(self._process(i), self.grid_shape)

    def localshapes(self):
        """Buffer shapes (padding included) of the processes, in grid order."""
        return [self._per_axis(i, 'extent') for i in range(self.nprocs)]

    def owned_shapes(self):
        """Shapes of the owned parts of the processes' buffers, in grid order."""
        return [self._per_axis(i, 'owned_count') for i in range(self.nprocs)]

    def local_dim_data(self, i):
        """The DAP ``dim_data`` tuple of the ``i``-th process."""
        return self._per_axis(i, 'dim_dict')

    def global_dim_data(self):
        """Per-axis global dim dicts (see :meth:`from_global_dim_data`)."""
        return tuple(m.global_dim_dict() for m in self.maps)

    def owned_local_slices(self, i):
        """Slices of the ``i``-th process's buffer that hold its owned cells."""
        return self._per_axis(i, 'owned_local_slice')

    def global_index_arrays(self, i, padding=False):
        """Per-axis global indices of process ``i``'s owned cells (all cells if ``padding``).

        ``A[np.ix_(*arrays)]`` is the process's owned block (its buffer if ``padding``).
        """
        return self._per_axis(i, 'global_indices', padding)

    def global_slices(self, i):
        """Per-axis slices of process ``i``'s owned global indices, or None.

        None when an axis's indices are not an increasing arithmetic progression.
        """
        slices = self._per_axis(i, 'global_slice')
        return None if None in slices else slices

    def owning_ranks(self, idx):
        """Grid-order process indices (into ``targets``) owning element ``idx``.

        ``idx`` is an int or a tuple of ints, negative ones counting from the end;
        fewer indices than axes select a sub-array.  Raises IndexError as NumPy does.
        """
        idx = _normalize_index(idx, self.shape)
        owners = [m.all_owners(g) for m, g in zip(self.maps, idx)]
        owners += [range(size) for size in self.grid_shape[len(idx):]]
        return [rank_from_coords(c, self.grid_shape) for c in itertools.product(*owners)]

    def owning_targets(self, idx):
        """Worker ranks owning element ``idx`` (see :meth:`owning_ranks`)."""
        return [self.targets[i] for i in self.owning_ranks(idx)]

    def is_compatible(self, other):
        """Whether ``other`` has the same shape, equal maps and the same targets."""
        return (isinstance(other, Distribution) and self.shape == other.shape
                and self.maps == other.maps and self.targets == other.targets)

    def __eq__(self, other):
        if not isinstance(other, Distribution):
            return NotImplemented
        return self.context is other.context and self.is_compatible(other)

    def __repr__(self):
        return (f'Distribution(shape={self.shape}, dist={self.dist}, '
                f'grid_shape={self.grid_shape}, targets={self.targets})')
