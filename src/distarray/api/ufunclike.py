"""Ufunc-like NumPy functions of DistArrays: ``fix``, ``isposinf``, ``isneginf``.

Each is one elementwise command through :func:`.ufuncs.call`, so NumPy's
dtypes, errors (checked on the client in a dry run) and ``out=`` apply.
"""

import numpy as np

from . import ufuncs
from .reductions import numpy_for_others

__all__ = ["fix", "isneginf", "isposinf"]


@numpy_for_others(np.fix)
def fix(x, out=None):
    """Round towards zero, as :func:`numpy.fix` (which is :func:`numpy.trunc`)."""
    return ufuncs.call(np.trunc, (x,), {"out": out})


@numpy_for_others(np.isposinf)
def isposinf(x, out=None):
    """Elementwise, whether ``x`` is positive infinity (not for complex values)."""
    return ufuncs.call_function("isposinf", (x,), {"out": out})


@numpy_for_others(np.isneginf)
def isneginf(x, out=None):
    """Elementwise, whether ``x`` is negative infinity (not for complex values)."""
    return ufuncs.call_function("isneginf", (x,), {"out": out})
