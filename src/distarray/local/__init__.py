"""Local kernels: the worker side of distarray (one process's piece of each array).

Importing this package registers every worker command (see :mod:`.registry`).
"""

from . import commands, elementwise, halos, indexing  # noqa: F401  (register their commands)
from . import random_kernels  # noqa: F401  (registers random_fill)
from . import io_kernels  # noqa: F401  (registers the file commands)
from . import fft_kernels, sorting  # noqa: F401  (sorting and FFT commands)
from .localarray import Layout, LocalArray
from .registry import COMMANDS, release

__all__ = ["COMMANDS", "Layout", "LocalArray", "release"]
