"""Elementwise NumPy functions of DistArrays: ``where``, ``clip``, ``round``, ``isclose`` ...

They run through the elementwise ufunc machinery (:func:`.ufuncs.call`):
``clip`` through NumPy's own ufuncs, the others through an
:class:`~distarray.local.functions.ElementwiseFunction` that stands for the
NumPy function.  So validation (a dry run on empty arrays, NumPy's dtypes and
errors), the result's distribution and the alignment of operands are the
ufuncs', and each call is one command.  ``allclose`` and ``array_equal``
reduce the elementwise result and return a Python bool.
"""

import builtins

import numpy as np

from . import reductions, ufuncs
from .ufuncs import any_distributed
from .darray import DistArray, dtype_of
from .dispatch import implements

_NoValue = np._NoValue

__all__ = ["allclose", "around", "array_equal", "clip", "imag", "isclose", "nan_to_num", "real",
           "round", "where"]


@implements(np.where)
def where(condition, x=_NoValue, y=_NoValue):
    """``x`` where ``condition`` holds, else ``y`` (elementwise, broadcasting), as NumPy.

    With ``condition`` alone: ``nonzero(condition)``.
    """
    if x is _NoValue and y is _NoValue:
        if any_distributed(condition):
            from .shape import nonzero

            return nonzero(condition)
        return np.where(condition)
    if x is _NoValue or y is _NoValue:
        raise ValueError("either both or neither of x and y should be given")
    if not any_distributed(condition, x, y):
        return np.where(condition, x, y)
    return ufuncs.call_function("where", (condition, x, y), {})


def _clip_bound(a, bound, lower):
    """NumPy's rule: a Python int beyond an integer type's range is no bound."""
    dtype = dtype_of(a)
    if dtype.kind in "iu" and type(bound) is int:
        info = np.iinfo(dtype)
        if (lower and bound <= info.min) or (not lower and bound >= info.max):
            return None
    return bound


@implements(np.clip)
def clip(a, a_min=_NoValue, a_max=_NoValue, out=None, *, min=_NoValue, max=_NoValue,
         **kwargs):
    """Limit the values to ``[a_min, a_max]`` (either may be None), as :func:`numpy.clip`."""
    if a_min is _NoValue and a_max is _NoValue:
        a_min, a_max = (None if v is _NoValue else v for v in (min, max))
    elif min is not _NoValue or max is not _NoValue:
        raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` "
                         "are provided is forbidden.")
    a_min, a_max = (None if v is _NoValue else v for v in (a_min, a_max))
    if not any_distributed(a, a_min, a_max, out):
        return np.clip(a, a_min, a_max, out=out, **kwargs)
    a_min, a_max = _clip_bound(a, a_min, True), _clip_bound(a, a_max, False)
    kwargs["out"] = out
    if a_min is None and a_max is None:
        return ufuncs.call(np.positive, (a,), kwargs)
    if a_min is None:
        return ufuncs.call(np.minimum, (a, a_max), kwargs)
    if a_max is None:
        return ufuncs.call(np.maximum, (a, a_min), kwargs)
    return ufuncs.call(np._core.umath.clip, (a, a_min, a_max), kwargs)


@implements(np.real)
def real(val):
    """The real part, as :func:`numpy.real` (a view for complex DistArrays)."""
    return val.real if isinstance(val, DistArray) else np.real(val)


@implements(np.imag)
def imag(val):
    """The imaginary part, as :func:`numpy.imag` (a view for complex DistArrays)."""
    return val.imag if isinstance(val, DistArray) else np.imag(val)


@implements(np.round, np.around)
def round(a, decimals=0, out=None):
    """Round to ``decimals`` decimals (half to even), as :func:`numpy.round`."""
    if not any_distributed(a, out):
        return np.round(a, decimals, out)
    return ufuncs.call_function("round", (a,), {"decimals": decimals, "out": out})


around = round


@implements(np.nan_to_num)
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """Replace NaN and infinities by finite numbers, as :func:`numpy.nan_to_num`."""
    if not isinstance(x, DistArray):
        return np.nan_to_num(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)
    return ufuncs.call_function("nan_to_num", (x,), {"nan": nan, "posinf": posinf,
                                                     "neginf": neginf,
                                                     "out": None if copy else x})


@implements(np.isclose)
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|a - b| <= atol + rtol * |b|``, as :func:`numpy.isclose`."""
    if not any_distributed(a, b):
        return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return ufuncs.call_function("isclose", (a, b),
                                {"rtol": rtol, "atol": atol, "equal_nan": equal_nan})


@implements(np.allclose)
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether all elements are close (a Python bool), as :func:`numpy.allclose`."""
    if not any_distributed(a, b):
        return np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return builtins.bool(reductions.all(isclose(a, b, rtol, atol, equal_nan)))


def _shape_and_dtype(a):
    if isinstance(a, DistArray):
        return a, a.shape, a.dtype
    a = np.asarray(a)
    return a, a.shape, a.dtype


@implements(np.array_equal)
def array_equal(a1, a2, equal_nan=False):
    """Whether both have the same shape and elements (a Python bool), as NumPy."""
    if not any_distributed(a1, a2):
        return np.array_equal(a1, a2, equal_nan=equal_nan)
    try:
        (a1, shape1, dtype1), (a2, shape2, dtype2) = map(_shape_and_dtype, (a1, a2))
    except Exception:
        return False
    if shape1 != shape2:
        return False
    if equal_nan and (dtype1.kind in "fc" or dtype2.kind in "fc"):
        same = ufuncs.call_function("equal_or_both_nan", (a1, a2), {})
    else:
        same = ufuncs.call(np.equal, (a1, a2), {})
    return builtins.bool(reductions.all(same))
