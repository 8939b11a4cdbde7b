"""Values of ``arange`` and ``linspace`` at given global positions.

Each worker computes only its own elements, with the same floating-point
operations NumPy uses for the whole array, so the gathered result equals
NumPy's bit for bit.
"""

import numpy as np


def _working_type(dtype):
    # NumPy fills float16 ranges in float32 arithmetic; booleans are counted as integers.
    return {np.float16: np.dtype(np.float32), np.bool_: np.dtype(np.int8)}.get(dtype.type, dtype)


def arange_values(positions, first, second, dtype):
    """``np.arange`` elements at ``positions``, given its first two elements.

    NumPy sets elements 0 and 1 by casting ``start`` and ``start + step``, and
    every later element ``i`` as ``first + i * (second - first)``.
    """
    dtype = np.dtype(dtype)
    work = _working_type(dtype)
    first, second = np.asarray(first, dtype), np.asarray(second, dtype)
    start = first.astype(work)
    delta = second.astype(work) - start
    values = (start + positions.astype(work) * delta).astype(dtype)
    values[positions == 0] = first
    values[positions == 1] = second
    return values


def linspace_values(positions, start, stop, num, endpoint, work_dtype, dtype):
    """``np.linspace(start, stop, num, endpoint)`` elements at ``positions``."""
    work = np.dtype(work_dtype)
    div = (num - 1) if endpoint else num
    y = positions.astype(work)
    delta = np.asarray(stop, work) - np.asarray(start, work)
    step = delta / div if div > 0 else np.nan
    if div > 0 and step == 0:
        y = y / div * delta
    elif div > 0:
        y = y * step
    else:
        y = y * delta
    y = y + np.asarray(start, work)
    if endpoint and num > 1:
        y[positions == num - 1] = stop
    if np.issubdtype(dtype, np.integer):
        y = np.floor(y)
    return y.astype(dtype, copy=False)
