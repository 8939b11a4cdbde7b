"""Raw views of array memory for bulk MPI transfers."""

import numpy as np

#: A command given bulk tag ``t`` may use the tags ``t * TAG_SPAN + k`` (0 <= k <
#: TAG_SPAN) for messages among workers.  With the runtime's 2**20 bulk tags the
#: product stays below 2**29, the tag bound of the bundled MPICH (the MPI
#: standard only promises 32767: a site MPI with a small bound needs fewer tags).
TAG_SPAN = 256


def as_bytes(array):
    """A C-contiguous array's memory as a flat ``uint8`` view (any dtype, 0-d too)."""
    if not array.flags.c_contiguous:
        raise ValueError("bulk transfers need C-contiguous buffers")
    return array.reshape(-1).view(np.uint8)
