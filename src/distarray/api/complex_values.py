"""Complex-number helpers of DistArrays: ``iscomplexobj``, ``isreal``, ``angle`` ...

``iscomplexobj``/``isrealobj`` read the dtype; the elementwise ones are
compositions of the real and imaginary part views with ufuncs (one command
each, or a constant array for real dtypes); ``real_if_close`` adds one
reduction and returns the real part as a view, as NumPy does.
"""

import builtins

import numpy as np

from .creation import ones_like, zeros_like
from .reductions import all, numpy_for_others

__all__ = ["angle", "iscomplex", "iscomplexobj", "isreal", "isrealobj", "real_if_close"]


def _complex(x):
    return x.dtype.kind == "c"


@numpy_for_others(np.iscomplexobj)
def iscomplexobj(x):
    """Whether ``x`` has a complex dtype (a Python bool, from the metadata)."""
    return _complex(x)


@numpy_for_others(np.isrealobj)
def isrealobj(x):
    """Whether ``x`` does not have a complex dtype (a Python bool, from the metadata)."""
    return not _complex(x)


@numpy_for_others(np.iscomplex)
def iscomplex(x):
    """Elementwise, whether the imaginary part is nonzero (a bool DistArray)."""
    return x.imag != 0 if _complex(x) else zeros_like(x, dtype=bool)


@numpy_for_others(np.isreal)
def isreal(x):
    """Elementwise, whether the imaginary part is zero (a bool DistArray)."""
    return x.imag == 0 if _complex(x) else ones_like(x, dtype=bool)


@numpy_for_others(np.angle)
def angle(z, deg=False):
    """The counterclockwise angle from the positive real axis, as :func:`numpy.angle`."""
    result = np.arctan2(z.imag, z.real) if _complex(z) else np.arctan2(0, z)
    if deg:
        result *= 180 / np.pi
    return result


@numpy_for_others(np.real_if_close)
def real_if_close(a, tol=100):
    """The real part (a view) if every imaginary part is below ``tol``, else ``a``.

    As :func:`numpy.real_if_close`: ``tol > 1`` counts machine epsilons of the dtype.
    """
    if not _complex(a):
        return a
    if tol > 1:
        tol = np.finfo(a.dtype).eps * tol
    return a.real if builtins.bool(all(np.absolute(a.imag) < tol)) else a
