"""``.dnpy`` files: one file per worker, each holding its piece and the piece's layout.

The format is described in :mod:`distarray.local.dnpy`.  Loading rebuilds the
same Distribution (grid, maps, padding) on as many workers as there are files.
"""

import math
import os

from ..local import dnpy
from ..plan.distribution import Distribution
from . import files


def _paths(name, count):
    return ["%s_%d.dnpy" % (name, rank) for rank in range(count)]


def save_dnpy(name, d):
    """Save a DistArray as ``<name>_<rank>.dnpy``, one file per worker, in parallel.

    ``rank`` is the piece's position in the process grid (row-major).  Files
    appear under their names only once every worker succeeded.

    Parameters
    ----------
    name : str or os.PathLike
        The files' common prefix (a directory part must exist).
    d : DistArray
    """
    name = files.file_name(name)
    files.check_array(d)
    with files.replacing(*_paths(name, d.distribution.nprocs)) as temps:
        files.save(d, "write_dnpy", temps, label=files.describe(name, d.shape, d.dtype))


def _read_headers(path):
    """``(dim_data, local shape, dtype)`` from the headers of one ``.dnpy`` file."""
    with open(path, "rb") as fp:
        dim_data = dnpy.read_header(fp)
        shape, _, dtype, _ = files.read_npy_header(fp)
    return dim_data, shape, dtype


def _grid_size(dim_data, path):
    sizes = [dim.get("proc_grid_size") for dim in dim_data]
    if not all(type(size) is int and size > 0 for size in sizes):
        raise ValueError("corrupt .dnpy header in %s: bad proc_grid_size %s" % (path, sizes))
    return math.prod(sizes)


def load_dnpy(name, context=None, targets=None):
    """Load the DistArray saved by :func:`save_dnpy` under ``name``.

    The client reads only the files' headers; each worker reads its own file.

    Parameters
    ----------
    name : str or os.PathLike
        The files' common prefix.
    context : Context, optional
        Needs at least as many workers as there are files.
    targets : sequence of int, optional
        Workers that receive the pieces, in grid order.

    Raises
    ------
    FileNotFoundError
        If a file is missing.
    ValueError
        If a file is not a ``.dnpy`` file, is truncated or corrupt, or the files
        do not describe one distributed array.
    """
    name = files.file_name(name)
    context = files.context_or_default(context)
    first = _read_headers(_paths(name, 1)[0])
    paths = _paths(name, _grid_size(first[0], name))
    headers = [first] + [_read_headers(path) for path in paths[1:]]
    dtypes = {dtype for _, _, dtype in headers}
    if len(dtypes) > 1:
        raise ValueError("the .dnpy files %s_*.dnpy hold different dtypes: %s"
                         % (name, sorted(map(str, dtypes))))
    distribution = Distribution.from_dim_data_per_rank(
        context, [h[0] for h in headers], [h[1] for h in headers], targets=targets)
    return files.load(distribution, dtypes.pop(), "read_dnpy", paths,
                      label=files.describe(os.path.basename(name) + "_*.dnpy",
                                           distribution.shape, first[2]))
