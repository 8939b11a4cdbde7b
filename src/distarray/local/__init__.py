"""Local kernels: the worker side of distarray (one process's piece of each array).

Importing this package registers every worker command (see :mod:`.registry`).
"""

from . import commands, elementwise, halos, indexing  # noqa: F401  (register their commands)
from . import random_kernels  # noqa: F401  (registers random_fill)
from . import reductions  # noqa: F401  (registers reduce_array, scan_array)
from . import io_kernels  # noqa: F401  (registers the file commands)
from . import shape  # noqa: F401  (registers the shape-manipulation commands)
from . import fft_kernels, sorting  # noqa: F401  (sorting and FFT commands)
from . import histograms  # noqa: F401  (registers histogramdd_piece)
from . import linalg  # noqa: F401  (products, TSQR, LU and Cholesky commands)
from . import patterns  # noqa: F401  (registers diagonal_band, for eye and tri)
from . import ufunc_methods  # noqa: F401  (registers reduceat_piece)
from . import apply_kernels  # noqa: F401  (apply_along_piece, piecewise_piece)
from .localarray import Layout, LocalArray
from .registry import COMMANDS, release

__all__ = ["COMMANDS", "Layout", "LocalArray", "release"]
