"""Local kernels: the worker side of distarray (one process's piece of each array).

Importing this package registers every worker command (see :mod:`.registry`).
"""

from . import commands  # noqa: F401  (registers its commands)
from .localarray import Layout, LocalArray
from .registry import COMMANDS, release

__all__ = ["COMMANDS", "Layout", "LocalArray", "release"]
