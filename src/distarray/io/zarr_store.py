"""Zarr (v3) arrays (zarr, optional): every worker reads and writes its own chunks.

The default chunk shape follows the distribution (a block per worker along
block axes, the block size along cyclic ones), so that most chunks belong to
one worker and are written concurrently; chunks shared by several workers are
updated by one worker after the other.
"""

import math

from . import files

#: Largest default chunk, in bytes.
CHUNK_BYTES = 16 * 2**20


def default_chunks(distribution, itemsize):
    """Chunk shape matching how ``distribution`` splits each axis, at most CHUNK_BYTES."""
    chunks = [m.block_size if m.dist == "c" and m.grid_size > 1
              else max(max(m.owned_count(r) for r in range(m.grid_size)), 1)
              for m in distribution.maps]
    while chunks and math.prod(chunks) * itemsize > CHUNK_BYTES and max(chunks) > 1:
        axis = chunks.index(max(chunks))
        chunks[axis] = -(-chunks[axis] // 2)
    return tuple(chunks)


def save_zarr(path, d, chunks=None):
    """Save a DistArray as a zarr v3 array (a directory store); workers write in parallel.

    Parameters
    ----------
    path : str or os.PathLike
        Directory of the store; an existing store there is replaced once every
        worker succeeded (on failure it is left intact).
    d : DistArray
    chunks : tuple of int, optional
        Chunk shape (default: :func:`default_chunks`).
    """
    zarr = files.optional("zarr")
    path = files.file_name(path)
    files.check_array(d)
    chunks = default_chunks(d.distribution, d.itemsize) if chunks is None else tuple(chunks)
    with files.replacing(path) as (temp,):
        zarr.create_array(temp, shape=d.shape, dtype=d.dtype, chunks=chunks, zarr_format=3)
        files.save(d, "write_zarr", temp, chunks, label=files.describe(path, d.shape, d.dtype))


def load_zarr(path, distribution=None, context=None, dist=None, grid_shape=None, targets=None):
    """Load a zarr array as a DistArray; each worker reads the chunks around its cells.

    Parameters
    ----------
    path : str or os.PathLike
        Directory of the store.
    distribution, context, dist, grid_shape, targets
        As for :func:`distarray.io.load_npy`.

    Raises
    ------
    FileNotFoundError
        If there is no array at ``path``.
    """
    zarr = files.optional("zarr")
    path = files.file_name(path)
    source = zarr.open_array(path, mode="r")
    distribution = files.planned(source.shape, distribution, context, dist, grid_shape, targets)
    return files.load(distribution, source.dtype, "read_zarr", path,
                      label=files.describe(path, source.shape, source.dtype))
