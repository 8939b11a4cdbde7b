"""Worker side of ``apply_along_axis`` and ``piecewise``: NumPy's function on this piece."""

import numpy as np

from .localarray import LocalArray
from .registry import command


@command
def apply_along_piece(local, layout, function, axis, args, kwargs, dtype):
    """``numpy.apply_along_axis`` on this piece (``axis`` held whole): a piece of ``layout``.

    Every value is cast to ``dtype`` (that of the first slice of the whole array) as
    NumPy casts it into its result, whatever this piece's first slice gives.
    """
    def cast(values, *args, **kwargs):
        return np.asanyarray(function(values, *args, **kwargs)).astype(dtype, copy=False)

    result = LocalArray.empty(layout, dtype)
    if result.owned.size:
        result.owned[...] = np.apply_along_axis(cast, axis, local.owned, *args, **kwargs)
    return result


@command
def piecewise_piece(local, conditions, functions, args, kwargs):
    """``numpy.piecewise`` on this piece, its conditions being pieces laid out like it."""
    values = np.piecewise(local.owned, [c.owned for c in conditions], functions, *args, **kwargs)
    return LocalArray.from_owned(values, local.layout)


@command
def apply_along_sample(local, function, axis, args, kwargs):
    """Shape and dtype of ``function``'s result on the slice along ``axis`` (held whole here)
    at global index 0 of the other axes (owned here)."""
    index = tuple(m.owned_local_slice(c) if a == axis else int(m.local_index(c, 0))
                  for a, (m, c) in enumerate(zip(local.maps, local.coords)))
    value = np.asanyarray(function(local.ndarray[index], *args, **kwargs))
    return value.shape, value.dtype
