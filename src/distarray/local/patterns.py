"""Worker side of ``eye`` and ``tri``: 2-D patterns computed from global indices."""

import numpy as np

from .localarray import LocalArray
from .registry import command


@command
def diagonal_band(layout, dtype, k, below):
    """Ones on the ``k``-th diagonal (``below``: on and below it), zeros elsewhere."""
    rows, cols = (m.global_indices(c) for m, c in zip(layout.maps, layout.coords))
    offset = cols[np.newaxis, :] - rows[:, np.newaxis]
    if below:
        return LocalArray.from_owned((offset <= k).astype(dtype), layout)  # as np.tri casts
    values = np.zeros(offset.shape, dtype)
    values[offset == k] = 1  # as np.eye sets ones among zeros ('1' among '' for strings)
    return LocalArray.from_owned(values, layout)
