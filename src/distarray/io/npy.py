"""One ordinary ``.npy`` file, read and written by every worker at its own byte ranges.

The files are those of :func:`numpy.save` and :func:`numpy.load`: either side
reads what the other wrote, C or Fortran order, any byte order.
"""

import numpy as np

from . import files


def _write_header(fp, shape, dtype):
    """The header :func:`numpy.save` writes: format 1.0, or 2.0 if it is too long for 1.0."""
    header = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
              "shape": shape}
    try:
        np.lib.format.write_array_header_1_0(fp, header)
    except ValueError:
        np.lib.format.write_array_header_2_0(fp, header)


def save_npy(path, d):
    """Save a DistArray to a ``.npy`` file; each worker writes its own cells.

    The client writes the header, the workers write their cells at their
    offsets, and the file appears under its name only once every worker
    succeeded (an existing file is replaced, or left intact on failure).

    Parameters
    ----------
    path : str or os.PathLike
        File name; ``.npy`` is appended if it does not end with it (as
        :func:`numpy.save` does).
    d : DistArray
        The array to save (in C order).
    """
    path = files.file_name(path)
    path = path if path.endswith(".npy") else path + ".npy"
    files.check_array(d)
    with files.replacing(path) as (temp,):
        with open(temp, "wb") as fp:
            _write_header(fp, d.shape, d.dtype)
            offset = fp.tell()
            # Full size before the workers write: a worker's memory map would
            # otherwise extend the file itself, zeroing a byte another just wrote.
            fp.truncate(offset + d.nbytes)
        files.save(d, "write_raw", temp, offset, d.shape,
                   label=files.describe(path, d.shape, d.dtype))


def load_npy(path, distribution=None, context=None, dist=None, grid_shape=None, targets=None):
    """Load a ``.npy`` file as a DistArray; each worker reads its own cells.

    Parameters
    ----------
    path : str or os.PathLike
        A file in NumPy's ``.npy`` format (versions 1.0 and 2.0).
    distribution : Distribution, optional
        Where the elements go (its shape must be the file's).
    context, dist, grid_shape, targets
        As for :func:`distarray.empty`, when no distribution is given.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not a ``.npy`` file, holds Python objects, is truncated,
        or its shape differs from the distribution's.
    """
    path = files.file_name(path)
    with open(path, "rb") as fp:
        shape, fortran_order, dtype, offset = files.read_npy_header(fp)
    distribution = files.planned(shape, distribution, context, dist, grid_shape, targets)
    return files.load(distribution, dtype, "read_raw", path, offset, shape,
                      "F" if fortran_order else "C", label=files.describe(path, shape, dtype))
