"""The Python array API standard (2024.12) namespace of distarray, as far as implemented.

``DistArray.__array_namespace__()`` returns this module, so array-API code
written against ``xp = x.__array_namespace__()`` runs on distributed arrays:
dtypes, ``asarray``, the creation functions, every elementwise function of the
standard (most of them NumPy ufuncs applied to DistArrays), the statistical
functions and ``all``/``any``.  ``__dlpack__`` is not provided.
"""

import numpy as np

from .api import calculus, creation, functions, reductions
from .api.darray import DistArray

__array_api_version__ = "2024.12"

bool = np.bool_  # noqa: A001 - the standard's name
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
float32, float64 = np.float32, np.float64
complex64, complex128 = np.complex64, np.complex128

ELEMENTWISE = (
    "abs acos acosh add asin asinh atan atan2 atanh bitwise_and bitwise_left_shift "
    "bitwise_invert bitwise_or bitwise_right_shift bitwise_xor ceil conj copysign cos cosh "
    "divide equal exp expm1 floor floor_divide greater greater_equal hypot isfinite isinf "
    "isnan less less_equal log log1p log2 log10 logaddexp logical_and logical_not logical_or "
    "logical_xor maximum minimum multiply negative nextafter not_equal positive pow "
    "reciprocal remainder sign signbit sin sinh square sqrt subtract tan tanh trunc").split()

globals().update((name, getattr(np, name)) for name in ELEMENTWISE)
real, imag, round = functions.real, functions.imag, functions.round  # noqa: A001


def clip(x, /, min=None, max=None):  # noqa: A002 - the standard's names
    """``x`` limited to ``[min, max]`` (either may be None)."""
    return functions.clip(x, min, max)


# Statistical functions (the standard's keywords are NumPy's: ``axis``, ``dtype``,
# ``keepdims``, ``correction``, ``include_initial``) and utility functions.
sum, prod, mean, std, var = (reductions.sum, reductions.prod, reductions.mean,  # noqa: A001
                             reductions.std, reductions.var)
max, min, all, any = reductions.max, reductions.min, reductions.all, reductions.any  # noqa: A001
cumulative_sum, cumulative_prod = reductions.cumulative_sum, reductions.cumulative_prod


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The ``n``-th differences along ``axis`` (None: nothing to prepend or append)."""
    return calculus.diff(x, n, axis, np._NoValue if prepend is None else prepend,
                         np._NoValue if append is None else append)

empty, zeros, ones, full, arange, linspace = (creation.empty, creation.zeros, creation.ones,
                                              creation.full, creation.arange, creation.linspace)
empty_like, zeros_like, ones_like, full_like = (creation.empty_like, creation.zeros_like,
                                                creation.ones_like, creation.full_like)


def asarray(obj, /, *, dtype=None, device=None, copy=None, context=None):
    """A DistArray from ``obj`` (a DistArray is returned as is unless a copy is needed)."""
    if device is not None:
        raise ValueError("distarray has no devices")
    if isinstance(obj, DistArray):
        if dtype is not None and np.dtype(dtype) != obj.dtype:
            if copy is False:
                raise ValueError("a dtype change needs a copy")
            return obj.astype(dtype)
        return obj.copy() if copy else obj
    if copy is False:
        raise ValueError("distributing a NumPy array always copies")
    return creation.fromarray(np.asarray(obj, dtype=dtype), context=context)


def isdtype(dtype, kind):
    """Whether ``dtype`` is of ``kind`` (as ``numpy.isdtype``)."""
    return np.isdtype(dtype, kind)


def result_type(*arrays_and_dtypes):
    """The promoted dtype of DistArrays, arrays and dtypes."""
    return np.result_type(*(x.dtype if isinstance(x, DistArray) else x
                            for x in arrays_and_dtypes))
