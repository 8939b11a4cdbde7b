"""Raw views of array memory for bulk MPI transfers."""

import numpy as np


def as_bytes(array):
    """A C-contiguous array's memory as a flat ``uint8`` view (any dtype, 0-d too)."""
    if not array.flags.c_contiguous:
        raise ValueError("bulk transfers need C-contiguous buffers")
    return array.reshape(-1).view(np.uint8)
