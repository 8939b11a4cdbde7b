"""Fourier transforms on the workers: NumPy's FFTs along axes each piece holds whole."""

import numpy as np

from .localarray import LocalArray
from .registry import command


@command
def fft_along(local, layout, steps, norm):
    """Apply ``numpy.fft.<name>(x, n=n, axis=axis, norm=norm)`` for each ``(name, n, axis)``.

    Every transformed axis is undistributed in both the input and ``layout``.
    """
    x = local.owned
    for name, n, axis in steps:
        x = getattr(np.fft, name)(x, n=n, axis=axis, norm=norm)
    return LocalArray.from_owned(x, layout)
