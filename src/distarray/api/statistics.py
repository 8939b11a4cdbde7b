"""Weighted averages, covariance and correlation of DistArrays: ``average``, ``cov``, ``corrcoef``.

Composed of distributed operations, following NumPy's formulas: weighted
sums are elementwise products reduced along axes; the covariance matrix is
the product of the centred data with its conjugate transpose, computed by
distarray's ``matmul`` (SUMMA), so only panels of the data move.  Weights and
other small arguments may be NumPy arrays or DistArrays.  Arguments are
checked against NumPy's rules on the client before anything is sent; the only
checks that need the data (weights that sum to zero, negative or fractional
frequency weights) run as distributed reductions.
"""

import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from .creation import empty
from .darray import DistArray
from .dispatch import implements
from .functions import clip
from .linalg import matmul
from .shape import atleast_2d, broadcast_to, concatenate, diagonal
from .sorting import as_input, broadcast_weights
from .ufuncs import any_distributed

_NoValue = np._NoValue

__all__ = ["average", "corrcoef", "cov"]


@implements(np.average)
def average(a, axis=None, weights=None, returned=False, *, keepdims=_NoValue):
    """The (weighted) average along ``axis``, as :func:`numpy.average`.

    With ``returned=True`` also the sum of the weights, shaped like the
    average (a DistArray when the average is one).
    """
    if not any_distributed(a, weights):
        return np.average(a, axis, weights, returned, keepdims=keepdims)
    a = as_input(a)
    if axis is not None:
        axis = normalize_axis_tuple(axis, a.ndim, argname="axis")
    keepdims_kw = {} if keepdims is _NoValue else {"keepdims": keepdims}
    if weights is None:
        avg = np.mean(a, axis, **keepdims_kw)
        scl = avg.dtype.type(a.size / avg.size)
    else:
        wgt = broadcast_weights(as_input(weights), a.shape, axis)
        if issubclass(a.dtype.type, (np.integer, np.bool_)):
            result_dtype = np.result_type(a.dtype, wgt.dtype, "f8")
        else:
            result_dtype = np.result_type(a.dtype, wgt.dtype)
        scl = np.sum(wgt, axis=axis, dtype=result_dtype, **keepdims_kw)
        if np.any(scl == 0.0):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = np.sum(np.multiply(a, wgt, dtype=result_dtype), axis, **keepdims_kw) / scl
    if not returned:
        return avg
    if isinstance(avg, DistArray) and not (isinstance(scl, DistArray)
                                           and scl.shape == avg.shape):
        scl = broadcast_to(scl, avg.shape, context=avg.context)
    elif np.shape(scl) != np.shape(avg):
        scl = np.broadcast_to(scl, np.shape(avg)).copy()
    return avg, scl


def _observations(m, transpose, dtype):
    """``m`` as a new 2-D array of ``dtype``, transposed if asked."""
    x = (atleast_2d(m) if isinstance(m, DistArray) else np.array(m, ndmin=2)).astype(dtype)
    return x.T if transpose else x


def _shape_2d(shape, transpose):
    shape = (1,) * (2 - len(shape)) + shape
    return shape[::-1] if transpose else shape


def _checked_weights(weights, kind, n):
    """``fweights``/``aweights`` of :func:`cov` as float64, checked as NumPy checks them."""
    weights = weights.astype(float) if isinstance(weights, DistArray) else \
        np.asarray(weights, dtype=float)
    if kind == "f" and not np.all(weights == np.around(weights)):
        raise TypeError("fweights must be integer")
    if weights.ndim > 1:
        raise RuntimeError("cannot handle multidimensional %sweights" % kind)
    if weights.shape[0] != n:
        raise RuntimeError("incompatible numbers of samples and %sweights" % kind)
    if np.any(weights < 0):
        raise ValueError("%sweights cannot be negative" % kind)
    return weights


def _check_shape(m, name):
    if m.ndim > 2:
        raise ValueError("%s has more than 2 dimensions" % name)
    return m


@implements(np.cov)
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    """The covariance matrix of the variables in ``m`` (and ``y``), as :func:`numpy.cov`.

    The centred observations are multiplied by their conjugate transpose with
    distarray's ``matmul``.  The result is a DistArray (0-d for a single
    variable, as NumPy returns a 0-d array).
    """
    if not any_distributed(m, y, fweights, aweights):
        return np.cov(m, y, rowvar, bias, ddof, fweights, aweights, dtype=dtype)
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    m = _check_shape(as_input(m), "m")
    if y is not None:
        y = _check_shape(as_input(y), "y")
    if dtype is None:
        dtype = np.result_type(m.dtype, np.float64, *([] if y is None else [y.dtype]))
    context = next(v.context for v in (m, y, fweights, aweights) if isinstance(v, DistArray))
    transpose_m = not rowvar and m.ndim != 1
    rows, n = _shape_2d(m.shape, transpose_m)
    if rows == 0:
        return empty((0, 0), context=context)
    if y is not None:
        transpose_y = not rowvar and _shape_2d(y.shape, False)[0] != 1
        if _shape_2d(y.shape, transpose_y)[1] != n:
            raise ValueError("all the input array dimensions except for the concatenation "
                             "axis must match exactly, but along dimension 1, the array at "
                             "index 0 has size %d and the array at index 1 has size %d"
                             % (n, _shape_2d(y.shape, transpose_y)[1]))
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = _checked_weights(fweights, "f", n)
    if aweights is not None:
        aweights = _checked_weights(aweights, "a", n)
        w = aweights if w is None else w * aweights
    x = _observations(m, transpose_m, dtype)
    if y is not None:
        x = concatenate((x, _observations(y, transpose_y, dtype)), axis=0)
    avg = average(x, axis=1, weights=w)
    if w is None:
        fact = x.shape[1] - ddof
    else:
        w_sum = np.sum(w, dtype=np.result_type(x.dtype, w.dtype))
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * np.sum(w * aweights) / w_sum
    if fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    x = x - avg[:, None]
    x_t = (x if w is None else x * w).T
    c = matmul(x, np.conj(x_t) if x_t.dtype.kind == "c" else x_t)
    c *= np.true_divide(1, fact)
    return c.squeeze()


@implements(np.corrcoef)
def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients, as :func:`numpy.corrcoef` (from :func:`cov`)."""
    if not any_distributed(x, y):
        return np.corrcoef(x, y, rowvar, dtype=dtype)
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return (c / c)[()]  # a NumPy scalar, as NumPy's 0-d division gives
    stddev = np.sqrt(diagonal(c).real)
    c /= stddev[:, None]
    c /= stddev[None, :]
    clip(c.real, -1, 1, out=c.real)
    if c.dtype.kind == "c":
        clip(c.imag, -1, 1, out=c.imag)
    return c
