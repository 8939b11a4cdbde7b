"""Diagonals of DistArrays: ``diag``, ``diagflat`` and ``fill_diagonal``.

``diag`` of a 2-D array is :func:`~distarray.api.shape.diagonal` (a copy);
building a matrix from a vector and ``fill_diagonal`` write the diagonal with
advanced indexing (``put``), so each diagonal element moves once and the
client handles only the diagonal's indices.
"""

import operator

import numpy as np

from .creation import zeros
from .darray import DistArray
from .indexing import setitem
from .reductions import numpy_for_others
from .shape import diagonal, put, ravel, tile

__all__ = ["diag", "diagflat", "fill_diagonal"]


@numpy_for_others(np.diag)
def diag(v, k=0):
    """The ``k``-th diagonal of a 2-D ``v``, or a square array with 1-D ``v`` on it."""
    k = operator.index(k)
    if v.ndim == 2:
        return diagonal(v, k)
    if v.ndim != 1:
        raise ValueError("Input must be 1- or 2-d.")
    n = v.shape[0] + abs(k)
    result = zeros((n, n), v.dtype, context=v.context)
    if v.size:
        rows = np.arange(v.shape[0]) + max(-k, 0)
        setitem(result, (rows, rows + k), v)
    return result


@numpy_for_others(np.diagflat)
def diagflat(v, k=0):
    """A square array with the flattened ``v`` on its ``k``-th diagonal."""
    return diag(ravel(v), k)


def _diagonal_positions(shape, wrap):
    """Flat indices of the main diagonal, as :func:`numpy.fill_diagonal` walks it."""
    if len(shape) < 2:
        raise ValueError("array must be at least 2-d")
    if len(shape) == 2:
        step = shape[1] + 1
        end = None if wrap else shape[1] * shape[1]
    else:
        if any(n != shape[0] for n in shape[1:]):
            raise ValueError("All dimensions of input must be of equal length")
        step = 1 + int(np.cumprod(shape[:-1]).sum())
        end = None
    size = int(np.prod(shape))
    return np.arange(0, size if end is None else min(end, size), step)


@numpy_for_others(np.fill_diagonal)
def fill_diagonal(a, val, wrap=False):
    """Set the main diagonal of ``a`` (in place) to ``val``, repeated as needed.

    As :func:`numpy.fill_diagonal`: a tall 2-D array with ``wrap`` restarts
    the diagonal every ``ncols + 1`` rows.
    """
    positions = _diagonal_positions(a.shape, wrap)
    if isinstance(val, DistArray) and val.size not in (0, positions.size):
        flat = ravel(val)
        if flat.size < positions.size:
            flat = tile(flat, -(-positions.size // flat.size))
        val = flat[:positions.size]
    put(a, positions, val)
