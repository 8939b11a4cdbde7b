"""The Distributed Array Protocol 0.10.0: dimension dicts and a conformance checker.

Implements ``shared/spec/distributed-array-protocol.md`` with its rulings; the section
numbers (§) below refer to it.  Every problem found is reported in one
:class:`~distarray.errors.ProtocolError`.
"""

import math

import numpy as np

from ..errors import ProtocolError

__all__ = [
    'VERSION', 'axis_lines', 'bounds_problems', 'check_axis', 'check_dim_data',
    'check_export', 'check_exports', 'cyclic_owned_count', 'halo_problems', 'is_int',
    'normalize_dim_dict', 'owned_count', 'owned_interval',
]

VERSION = '0.10.0'

_COMMON = ('dist_type', 'size', 'proc_grid_size', 'proc_grid_rank')
# Keys of each type with their defaults; None marks a required key.
_TYPE_KEYS = {
    'b': {'start': None, 'stop': None, 'padding': (0, 0), 'periodic': False},
    'c': {'start': None, 'block_size': 1},
    'u': {'indices': None, 'one_to_one': False},
}
# Keys that must agree between all processes along one axis (§8 item 9).
_AXIS_KEYS = ('dist_type', 'size', 'proc_grid_size', 'block_size', 'periodic', 'one_to_one')
_EXPORT_KEYS = {'__version__', 'buffer', 'dim_data'}


def is_int(value):
    """Whether ``value`` is a Python int (not a bool, not a NumPy integer)."""
    return isinstance(value, int) and not isinstance(value, bool)


def cyclic_owned_count(size, block_size, grid_size, rank):
    """Number of indices grid rank ``rank`` owns on a (block-)cyclic axis (§6, corrected)."""
    nblocks = -(-size // block_size)
    if rank >= nblocks:
        return 0
    count = ((nblocks - 1 - rank) // grid_size + 1) * block_size
    if size % block_size and (nblocks - 1) % grid_size == rank:
        count -= block_size - size % block_size
    return count


def owned_interval(dim_dict):
    """``(lo, hi)``: the global indices a normalized block dim dict owns (§4.2 rule 5)."""
    low, high = dim_dict['padding']
    rank = dim_dict['proc_grid_rank']
    return (dim_dict['start'] + (low if rank else 0),
            dim_dict['stop'] - (high if rank < dim_dict['proc_grid_size'] - 1 else 0))


def owned_count(dim_dict, extent=None):
    """Number of global indices a process owns along one axis (§6, corrected).

    ``dim_dict`` may be the ``{}`` alias, which needs the buffer ``extent``.
    """
    return _owned(normalize_dim_dict(dim_dict, extent))


def _owned(nd):
    kind = nd['dist_type']
    if kind == 'b':
        low, high = owned_interval(nd)
        return high - low
    if kind == 'c':
        return cyclic_owned_count(nd['size'], nd['block_size'], nd['proc_grid_size'],
                                  nd['proc_grid_rank'])
    return len(nd['indices'])


def bounds_problems(bounds, size):
    """Problems with the owned-interval boundaries ``bounds`` of a block axis."""
    problems = []
    if bounds[0] != 0 or bounds[-1] != size:
        problems.append(f'the owned intervals must run from 0 to size {size}, '
                        f'got bounds {list(bounds)}')
    if any(b > a for b, a in zip(bounds, bounds[1:])):
        problems.append(f'the bounds {list(bounds)} decrease')
    return problems


def halo_problems(counts, padding):
    """Problems with the padding of a block axis whose grid ranks own ``counts`` (§4.2).

    ``padding`` holds one ``(low, high)`` pair per grid rank.
    """
    problems = []
    last = len(counts) - 1
    for r, ((low, high), count) in enumerate(zip(padding, counts)):
        boundary = (low if r == 0 else 0) + (high if r == last else 0)
        if boundary > count:
            problems.append(f'grid rank {r}: boundary padding {boundary} exceeds '
                            f'its {count} owned cells')
        if r == last:
            break
        next_low, next_count = padding[r + 1][0], counts[r + 1]
        if high != next_low:
            problems.append(f'grid ranks {r} and {r + 1}: halo widths {high} and '
                            f'{next_low} differ')
        if high > next_count or next_low > count:
            problems.append(f'grid ranks {r} and {r + 1}: a halo width exceeds the '
                            f'cells the neighbour owns ({count}, {next_count})')
    return problems


def _raise(problems, what):
    if problems:
        raise ProtocolError(f'{what}:\n  ' + '\n  '.join(problems))


def _int_problems(nd, minimums):
    return [f'{key} must be a Python int >= {low}, got {nd[key]!r}'
            for key, low in minimums if not (is_int(nd[key]) and nd[key] >= low)]


def _block_problems(nd):
    problems = _int_problems(nd, (('start', 0), ('stop', 0)))
    padding = nd['padding']
    if not (isinstance(padding, tuple) and len(padding) == 2
            and all(is_int(w) and w >= 0 for w in padding)):
        problems.append(f'padding must be a tuple of two Python ints >= 0, got {padding!r}')
    if not isinstance(nd['periodic'], bool):
        problems.append(f"periodic must be a bool, got {nd['periodic']!r}")
    if problems:
        return problems
    start, stop, size, rank = nd['start'], nd['stop'], nd['size'], nd['proc_grid_rank']
    if not start <= stop <= size:
        problems.append(f'need start <= stop <= size, got {start}, {stop}, {size}')
    if rank == 0 and start != 0:
        problems.append(f'start must be 0 on grid rank 0, got {start}')
    if rank == nd['proc_grid_size'] - 1 and stop != size:
        problems.append(f'stop must be size {size} on the last grid rank, got {stop}')
    if sum(padding) > stop - start:
        problems.append(f'padding {padding} is wider than the buffer')
    return problems


def _cyclic_problems(nd):
    problems = _int_problems(nd, (('start', 0), ('block_size', 1)))
    expected = nd['proc_grid_rank'] * nd['block_size']
    if not problems and nd['start'] != expected:
        problems.append(f"start must be proc_grid_rank * block_size = {expected}, "
                        f"got {nd['start']}")
    return problems


def _unstructured_problems(nd):
    problems = []
    if not isinstance(nd['one_to_one'], bool):
        problems.append(f"one_to_one must be a bool, got {nd['one_to_one']!r}")
    try:
        memoryview(nd['indices'])
    except TypeError:
        return problems + [f"indices must expose a buffer, got {type(nd['indices']).__name__}"]
    indices = np.asarray(nd['indices'])
    if indices.ndim != 1 or indices.dtype.kind not in 'iu':
        problems.append(f'indices must be a 1-D integer buffer, got {indices.ndim}-D '
                        f'{indices.dtype}')
    elif np.unique(indices).size != indices.size:
        problems.append('indices are not unique')
    else:
        nd['indices'] = indices.astype(np.int64, copy=False)
    return problems


_TYPE_PROBLEMS = {'b': _block_problems, 'c': _cyclic_problems, 'u': _unstructured_problems}


def _check_dim(dd, extent):
    """``(normalized dict or None, problems)`` for one dimension dict."""
    if not isinstance(dd, dict):
        return None, [f'a dimension dict must be a dict, not {type(dd).__name__}']
    if not dd or dd.get('dist_type') == 'n':
        if not dd and extent is None:
            return None, ['the {} alias needs the buffer extent']
        size = dd.get('size') if dd else extent
        dd = {'dist_type': 'b', 'size': size, 'proc_grid_size': 1, 'proc_grid_rank': 0,
              'start': 0, 'stop': size}
    kind = dd.get('dist_type')
    if kind not in _TYPE_KEYS:
        return None, [f"dist_type must be 'b', 'c' or 'u', got {kind!r}"]
    nd = {key: dd.get(key) for key in _COMMON}
    nd.update((key, dd.get(key, default)) for key, default in _TYPE_KEYS[kind].items())
    problems = [f'missing key {key!r}' for key, value in nd.items() if value is None]
    problems = problems or _int_problems(
        nd, (('size', 0), ('proc_grid_size', 1), ('proc_grid_rank', 0)))
    if not problems and nd['proc_grid_rank'] >= nd['proc_grid_size']:
        problems.append(f"proc_grid_rank {nd['proc_grid_rank']} is not below "
                        f"proc_grid_size {nd['proc_grid_size']}")
    problems = problems or _TYPE_PROBLEMS[kind](nd)
    if not problems:
        implied = nd['stop'] - nd['start'] if kind == 'b' else _owned(nd)
        if extent is not None and extent != implied:
            problems.append(f'the buffer extent {extent} differs from the {implied} cells '
                            'the dict describes')
    return (None if problems else nd), problems


def _check_dims(dims, extents, label):
    """``(normalized dicts, problems)``, each problem prefixed by ``label.format(i)``."""
    results = [_check_dim(dd, extent) for dd, extent in zip(dims, extents)]
    problems = [f'{label.format(i)}: {p}' for i, (_, ps) in enumerate(results) for p in ps]
    return tuple(nd for nd, _ in results), problems


def normalize_dim_dict(dim_dict, extent=None):
    """Validate one dimension dict (§8 items 3–6) and return it with every key explicit.

    Parameters
    ----------
    dim_dict : dict
        A DAP dimension dict.  The ``{}`` alias and the 0.9 ``{'dist_type': 'n',
        'size': s}`` courtesy are expanded (§5.2, §5.4); unknown keys are dropped.
    extent : int, optional
        The buffer's length along this axis: needed for ``{}``, checked otherwise.

    Returns
    -------
    dict
        A new dict with the common keys and those of its type, defaults filled in;
        ``'indices'`` as a 1-D int64 array.
    """
    nd, problems = _check_dim(dim_dict, extent)
    _raise(problems, 'invalid dimension dict')
    return nd


def check_export(export):
    """Check one process's ``__distarray__()`` result (§8 local checks 1–6).

    Zero-copy aliasing of the buffer cannot be checked here.

    Returns
    -------
    tuple of dict
        The normalized dim_data (see :func:`normalize_dim_dict`).
    """
    if not isinstance(export, dict):
        raise ProtocolError(f'__distarray__() must return a dict, not {type(export).__name__}')
    problems = []
    if set(export) != _EXPORT_KEYS:
        problems.append(f'the keys must be exactly {sorted(_EXPORT_KEYS)}, '
                        f'got {sorted(map(str, export))}')
    if export.get('__version__') != VERSION:
        problems.append(f"__version__ must be {VERSION!r}, got {export.get('__version__')!r}")
    try:
        shape = memoryview(export.get('buffer')).shape
    except (TypeError, ValueError):
        shape = None
        problems.append('buffer does not support the buffer protocol')
    dim_data = export.get('dim_data')
    if not isinstance(dim_data, tuple):
        _raise(problems + [f'dim_data must be a tuple, got {type(dim_data).__name__}'],
               'invalid export')
    if shape is not None and len(shape) != len(dim_data):
        problems.append(f'{len(dim_data)} dim dicts for a {len(shape)}-D buffer')
        shape = None
    problems += [f"dim_data[{i}]: dist_type 'n' does not exist in {VERSION}"
                 for i, dd in enumerate(dim_data)
                 if isinstance(dd, dict) and dd.get('dist_type') == 'n']
    normalized, dim_problems = _check_dims(dim_data, shape or (None,) * len(dim_data),
                                           'dim_data[{}]')
    _raise(problems + dim_problems, 'invalid export')
    return normalized


def axis_lines(grid_shape, axis):
    """Ranks of the grid lines along ``axis``: one row per line, the first through 0."""
    ranks = np.arange(math.prod(grid_shape)).reshape(grid_shape)
    return np.moveaxis(ranks, axis, -1).reshape(-1, grid_shape[axis])


def _same_but_padding(a, b):
    return all(np.array_equal(a.get(key), b.get(key)) if key == 'indices'
               else a.get(key) == b.get(key) for key in (set(a) | set(b)) - {'padding'})


def _line_problems(dicts):
    """Problems of the normalized dim dicts along one grid line (§8 items 9–12).

    Item 11 (the owned counts add up to ``size``) follows from the tiling (10) and
    partition (12) checks and, for ``'c'``, from the local count check (5).  It is not
    asked of an unstructured axis without ``one_to_one``, whose indices may repeat.
    """
    problems = [f'{key} differs along the axis: {values}' for key in _AXIS_KEYS
                if len(values := {d.get(key) for d in dicts}) > 1]
    ranks = [d['proc_grid_rank'] for d in dicts]
    if ranks != list(range(len(dicts))) or dicts[0]['proc_grid_size'] != len(dicts):
        problems.append(f'the grid ranks along the axis are {ranks}')
    if problems:
        return problems
    first = dicts[0]
    kind, size = first['dist_type'], first['size']
    counts = [_owned(d) for d in dicts]
    if kind == 'b':
        intervals = [owned_interval(d) for d in dicts]
        if any(hi != lo for (_, hi), (lo, _) in zip(intervals, intervals[1:])):
            problems.append(f'the owned intervals {intervals} do not touch')
        problems += (bounds_problems([lo for lo, _ in intervals] + [intervals[-1][1]], size)
                     or halo_problems(counts, [d['padding'] for d in dicts]))
    if kind == 'u' and first['one_to_one'] and not np.array_equal(
            np.sort(np.concatenate([d['indices'] for d in dicts])), np.arange(size)):
        problems.append('one_to_one is set but the indices do not partition [0, size)')
    return problems


def check_axis(dicts, extents=None):
    """Normalize and cross-check the dim dicts of the processes along one grid axis.

    Parameters
    ----------
    dicts : sequence of dict
        One dim dict per grid rank along the axis, in grid-rank order.
    extents : sequence of int, optional
        The buffer extents along the axis (needed for ``{}`` dicts).

    Returns
    -------
    list of dict
        The normalized dicts.  Raises ProtocolError unless §8 items 3–6 and 9–12 hold.
    """
    extents = [None] * len(dicts) if extents is None else list(extents)
    if not dicts or len(extents) != len(dicts):
        raise ProtocolError(f'{len(dicts)} dim dicts and {len(extents)} extents given')
    nds, problems = _check_dims(dicts, extents, 'grid rank {}')
    _raise(problems, 'invalid dim dicts')
    _raise(_line_problems(nds), 'inconsistent dim dicts along an axis')
    return list(nds)


def check_dim_data(dim_data_per_rank, extents_per_rank=None):
    """Cross-process checks (§8 items 8–12) of the dim_data of all processes.

    Parameters
    ----------
    dim_data_per_rank : sequence of sequence of dict
        Each process's dim_data, in rank order.
    extents_per_rank : sequence of tuple of int, optional
        Each process's buffer shape (needed for ``{}`` dicts).

    Returns
    -------
    grid_shape : tuple of int
    normalized : list of tuple of dict
    """
    nprocs = len(dim_data_per_rank)
    if not nprocs:
        raise ProtocolError('no processes')
    problems, normalized = [], []
    for rank, dims in enumerate(dim_data_per_rank):
        extents = (None,) * len(dims) if extents_per_rank is None else extents_per_rank[rank]
        if len(extents) != len(dims):
            problems.append(f'rank {rank}: {len(dims)} dim dicts for a {len(extents)}-D buffer')
            continue
        dims, dim_problems = _check_dims(dims, extents, f'rank {rank}, axis {{}}')
        problems += dim_problems
        normalized.append(dims)
    _raise(problems, 'invalid dim_data')
    grids = {tuple(d['proc_grid_size'] for d in dims) for dims in normalized}
    if len(grids) > 1:
        raise ProtocolError(f'the processes disagree on the process grid: {sorted(grids)}')
    grid = grids.pop()
    if math.prod(grid) != nprocs:
        raise ProtocolError(f'the process grid {grid} has {math.prod(grid)} positions '
                            f'for {nprocs} processes')
    problems = [f'rank {rank} has grid coordinates {have}, row-major order wants {want}'
                for rank, (dims, want) in enumerate(zip(normalized, np.ndindex(*grid)))
                if (have := tuple(d['proc_grid_rank'] for d in dims)) != want]
    _raise(problems, 'proc_grid_rank does not follow the ranks')
    for axis in range(len(grid)):
        lines = [[normalized[r][axis] for r in line] for line in axis_lines(grid, axis)]
        problems += [f'axis {axis}: ranks with grid coordinate {c} have different dicts'
                     for c, dicts in enumerate(zip(*lines))
                     if not all(_same_but_padding(dicts[0], d) for d in dicts)]
        first_failure = next((ps for line in lines if (ps := _line_problems(line))), [])
        problems += [f'axis {axis}: {p}' for p in first_failure]
    _raise(problems, 'inconsistent dim_data')
    return grid, normalized


def check_exports(exports):
    """Check the ``__distarray__()`` results of all processes, in MPI rank order.

    Runs the local checks of :func:`check_export` on each, then the cross-process
    checks of :func:`check_dim_data` (§8 items 8–13).

    Returns
    -------
    grid_shape : tuple of int
    normalized : list of tuple of dict
    """
    dim_data = []
    for rank, export in enumerate(exports):
        try:
            dim_data.append(check_export(export))
        except ProtocolError as exc:
            raise ProtocolError(f'rank {rank}: {exc}') from None
    return check_dim_data(dim_data, [memoryview(e['buffer']).shape for e in exports])
