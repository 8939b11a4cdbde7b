"""Worker side of ``eye`` and ``tri``: 2-D patterns computed from global indices."""

import numpy as np

from .localarray import LocalArray
from .registry import command


@command
def diagonal_band(layout, dtype, k, below):
    """Ones on the ``k``-th diagonal (``below``: on and below it), zeros elsewhere."""
    rows, cols = (m.global_indices(c) for m, c in zip(layout.maps, layout.coords))
    offset = cols[np.newaxis, :] - rows[:, np.newaxis]
    return LocalArray.from_owned((offset <= k if below else offset == k).astype(dtype), layout)
