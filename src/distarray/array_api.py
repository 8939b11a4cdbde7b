"""The Python array API standard (2024.12) namespace of distarray, as far as implemented.

``DistArray.__array_namespace__()`` returns this module, so array-API code
written against ``xp = x.__array_namespace__()`` runs on distributed arrays:
dtypes and the data type functions, ``asarray``, the creation functions, every
elementwise function of the standard (most of them NumPy ufuncs applied to
DistArrays), the statistical, utility, manipulation, searching, sorting, set,
indexing and linear algebra functions, and the inspection namespace.  The
functions take the standard's signatures and call distarray's implementations
of the NumPy functions (through NumPy's dispatch).  The only device is
``"cpu"`` (NumPy's): ``device=`` takes it or None.  ``__dlpack__`` and
``from_dlpack`` are not provided.
"""

import inspect
import math

import numpy as np

from .api import calculus, copying, creation, functions, linalg_composed, reductions, sets, views
from .api.creation import check_order_and_device
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


def _on_device(create):
    """``create`` taking the standard's ``device=`` keyword too (None or ``"cpu"``)."""
    def on_device(*args, device=None, **kwargs):
        check_order_and_device(None, device)
        return create(*args, **kwargs)

    on_device.__name__ = on_device.__qualname__ = create.__name__
    on_device.__doc__ = create.__doc__
    signature = inspect.signature(create)
    device = inspect.Parameter("device", inspect.Parameter.KEYWORD_ONLY, default=None)
    on_device.__signature__ = signature.replace(
        parameters=[*signature.parameters.values(), device])
    return on_device


empty, zeros, ones, full, arange, linspace = map(_on_device, (
    creation.empty, creation.zeros, creation.ones, creation.full, creation.arange,
    creation.linspace))
empty_like, zeros_like, ones_like, full_like = (creation.empty_like, creation.zeros_like,
                                                creation.ones_like, creation.full_like)


def asarray(obj, /, *, dtype=None, device=None, copy=None, context=None):
    """A DistArray from ``obj`` (a DistArray is returned as is unless a copy is needed)."""
    check_order_and_device(None, device)
    return creation.asarray(obj, dtype, copy=copy, context=context)


def isdtype(dtype, kind):
    """Whether ``dtype`` is of ``kind`` (as ``numpy.isdtype``; an array is refused)."""
    if isinstance(dtype, DistArray):  # NumPy would compare it with its types elementwise
        raise TypeError("dtype argument must be a NumPy dtype, but it is a %s." % type(dtype))
    return np.isdtype(dtype, kind)


def result_type(*arrays_and_dtypes):
    """The promoted dtype of DistArrays, arrays and dtypes."""
    return np.result_type(*(x.dtype if isinstance(x, DistArray) else x
                            for x in arrays_and_dtypes))


e, inf, nan, pi, newaxis = math.e, math.inf, math.nan, math.pi, None


def _dtype_of(x):
    return x.dtype if isinstance(x, DistArray) else x


astype = copying.astype


def can_cast(from_, to, /):
    """Whether ``from_`` (a dtype or an array) casts to ``to`` under the standard's rules."""
    return np.can_cast(_dtype_of(from_), to)


def finfo(type, /):  # noqa: A002 - the standard's name
    """Machine limits of a floating-point dtype (or of an array's dtype)."""
    return np.finfo(_dtype_of(type))


def iinfo(type, /):  # noqa: A002 - the standard's name
    """Machine limits of an integer dtype (or of an array's dtype)."""
    return np.iinfo(_dtype_of(type))


# -- creation ---------------------------------------------------------------------------
def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None, context=None):
    """Ones on the ``k``-th diagonal of an ``n_rows x n_cols`` array, zeros elsewhere."""
    return creation.eye(n_rows, n_cols, k, float64 if dtype is None else dtype, device=device,
                        context=context)


def tril(x, /, *, k=0):
    """``x`` with the elements above the ``k``-th diagonal set to zero."""
    return np.tril(x, k)


def triu(x, /, *, k=0):
    """``x`` with the elements below the ``k``-th diagonal set to zero."""
    return np.triu(x, k)


def meshgrid(*arrays, indexing="xy"):
    """Coordinate matrices from 1-D arrays."""
    return np.meshgrid(*arrays, indexing=indexing)


# -- manipulation -----------------------------------------------------------------------
def broadcast_arrays(*arrays):
    """The arrays broadcast against each other (those of the common shape themselves)."""
    return list(np.broadcast_arrays(*arrays))


def concat(arrays, /, *, axis=0):
    """The arrays joined along ``axis`` (None: flattened first)."""
    return np.concatenate(arrays, axis=axis)


def expand_dims(x, /, *, axis=0):
    """``x`` with a new axis of length one at ``axis``."""
    return np.expand_dims(x, axis)


def flip(x, /, *, axis=None):
    """``x`` with the order of elements along ``axis`` (None: every axis) reversed."""
    return np.flip(x, axis)


def moveaxis(x, source, destination, /):
    """``x`` with axes ``source`` moved to ``destination``."""
    return np.moveaxis(x, source, destination)


def permute_dims(x, /, axes):
    """``x`` with its axes permuted."""
    return np.transpose(x, axes)


def repeat(x, repeats, /, *, axis=None):
    """Each element of ``x`` repeated (along ``axis``; None: ``x`` flattened)."""
    return np.repeat(x, repeats, axis)


def reshape(x, /, shape, *, copy=None):
    """``x`` with a new shape (``copy=False`` is refused when a copy is needed)."""
    return np.reshape(x, shape, copy=copy)


def roll(x, /, shift, *, axis=None):
    """``x`` with elements shifted along ``axis`` (None: the flattened array)."""
    return np.roll(x, shift, axis)


def squeeze(x, /, axis):
    """``x`` without the length-one axes ``axis``."""
    return np.squeeze(x, axis)


def stack(arrays, /, *, axis=0):
    """The arrays joined along a new axis."""
    return np.stack(arrays, axis)


def tile(x, repetitions, /):
    """``x`` repeated ``repetitions`` times along each axis."""
    return np.tile(x, repetitions)


unstack = views.unstack


# -- searching, sorting, sets, indexing -----------------------------------------------------
def argmax(x, /, *, axis=None, keepdims=False):
    """Index of the largest element (the first one), along ``axis``."""
    return np.argmax(x, axis, keepdims=keepdims)


def argmin(x, /, *, axis=None, keepdims=False):
    """Index of the smallest element (the first one), along ``axis``."""
    return np.argmin(x, axis, keepdims=keepdims)


def count_nonzero(x, /, *, axis=None, keepdims=False):
    """Number of nonzero elements, along ``axis``."""
    return np.count_nonzero(x, axis, keepdims=keepdims)


def nonzero(x, /):
    """The indices of the nonzero elements, one array per axis."""
    return np.nonzero(x)


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Where the elements of ``x2`` would go in the sorted 1-D ``x1``."""
    return np.searchsorted(x1, x2, side, sorter)


def where(condition, x1, x2, /):
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``."""
    return np.where(condition, x1, x2)


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """``x`` sorted along ``axis`` (equal elements cannot be told apart)."""
    result = np.sort(x, axis, kind="stable" if stable else None)
    return np.flip(result, axis) if descending else result


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """Indices that sort ``x`` along ``axis``; with ``stable``, equal elements keep their order.

    Descending and stable: the stable ascending order of ``x`` reversed along
    ``axis``, read backwards (equal elements then keep their order too).
    """
    kind = "stable" if stable else None
    if not descending:
        return np.argsort(x, axis, kind=kind)
    last = x.shape[axis] - 1 if x.ndim else 0
    return last - np.flip(np.argsort(np.flip(x, axis), axis, kind=kind), axis)


unique_all, unique_counts, unique_inverse, unique_values = (
    sets.unique_all, sets.unique_counts, sets.unique_inverse, sets.unique_values)


def take(x, indices, /, *, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis``."""
    return np.take(x, indices, axis)


def take_along_axis(x, indices, /, *, axis=-1):
    """Elements of ``x`` at ``indices`` matched along ``axis``."""
    return np.take_along_axis(x, indices, axis)


# -- linear algebra -----------------------------------------------------------------------
def matmul(x1, x2, /):
    """Matrix product (stacks broadcast)."""
    return np.matmul(x1, x2)


matrix_transpose = linalg_composed.matrix_transpose


def tensordot(x1, x2, /, *, axes=2):
    """Sum of products over ``axes``."""
    return np.tensordot(x1, x2, axes)


def vecdot(x1, x2, /, *, axis=-1):
    """Dot products of vectors along ``axis`` (the first conjugated)."""
    return np.vecdot(x1, x2, axis=axis)


# -- inspection ---------------------------------------------------------------------------
class _Info:
    """The standard's inspection namespace (``__array_namespace_info__()``)."""

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True,
                "max dimensions": np.__array_namespace_info__().capabilities()["max dimensions"]}

    def default_device(self):
        return "cpu"

    def devices(self):
        return ["cpu"]

    def default_dtypes(self, *, device=None):
        check_order_and_device(None, device)
        return {"real floating": float64, "complex floating": complex128,
                "integral": int64, "indexing": int64}

    def dtypes(self, *, device=None, kind=None):
        check_order_and_device(None, device)
        names = ("bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 "
                 "complex64 complex128").split()
        return {n: np.dtype(n) for n in names if kind is None or np.isdtype(np.dtype(n), kind)}


def __array_namespace_info__():
    """The inspection namespace of the standard."""
    return _Info()
