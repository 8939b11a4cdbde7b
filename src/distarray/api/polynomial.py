"""Polynomials and products of DistArrays: ``polyval``, ``vander``, ``polyfit``, ``kron``;
the special functions ``sinc`` and ``i0``.

Everything is composed of distributed operations as NumPy composes it:
Horner's rule with ufuncs (``polyval``), running products along the columns
(``vander``, by :func:`.reductions.cumprod` as NumPy's
``multiply.accumulate``), the scaled Vandermonde least-squares system solved
by distarray's TSQR :func:`.linalg.lstsq` (``polyfit``), and a broadcast
product of expanded operands reshaped (``kron``).  ``sinc`` and ``i0`` run
NumPy's own function on each piece (see :mod:`.lookup`).
"""

import warnings

import numpy as np

from .creation import ones_like
from .darray import DistArray
from .dispatch import implements
from .linalg import dot, inv, lstsq, outer
from .lookup import _table
from .reductions import cumprod
from .shape import broadcast_to, concatenate, expand_dims
from .sorting import as_input
from .ufuncs import call_function

__all__ = ["i0", "kron", "polyfit", "polyval", "sinc", "vander"]


@implements(np.polyval)
def polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) at DistArray ``x``.

    ``p`` is array-like (a NumPy array or a list), ``x`` a DistArray; the
    result is a DistArray like ``x``, as :func:`numpy.polyval`.
    """
    p = _table(p, "p")
    if not isinstance(x, DistArray):
        return np.polyval(p, x)
    y = np.zeros_like(x)
    for coefficient in p:
        y = y * x + coefficient
    return y


@implements(np.vander)
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D DistArray ``x``, as :func:`numpy.vander`.

    Rows are distributed like ``x``; column ``k`` (with ``increasing``) is the
    running product of ``k`` copies of ``x``.
    """
    if not isinstance(x, DistArray):
        return np.vander(x, N, increasing)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = len(x)
    N = n if N is None else N
    dtype = np.vander(np.zeros(0, x.dtype), N).dtype  # NumPy's errors (N) and dtype
    column = x.astype(dtype, copy=False)[:, None]
    powers = [ones_like(column)[:, :min(N, 1)]]
    if N > 1:
        powers.append(cumprod(broadcast_to(column, (n, N - 1)), axis=1))
    matrix = concatenate(powers, axis=1) if len(powers) > 1 else powers[0]
    return matrix if increasing else matrix[:, ::-1]


def _fit_weights(w, n):
    """``polyfit``'s weights, checked as NumPy checks them."""
    w = as_input(w)
    if w.ndim != 1:
        raise TypeError("expected a 1-d array for weights")
    if w.shape[0] != n:
        raise TypeError("expected w and y to have the same length")
    return w


@implements(np.polyfit)
def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit, as :func:`numpy.polyfit`, for DistArray data.

    The weighted, column-scaled Vandermonde system is solved by
    :func:`distarray.linalg.lstsq` (TSQR).  Returns the coefficients (highest
    power first) as a DistArray, or with ``full`` also the residuals, rank,
    singular values and ``rcond``.  ``cov`` is not supported.
    """
    if not any(isinstance(v, DistArray) for v in (x, y, w)):
        return np.polyfit(x, y, deg, rcond, full, w, cov)
    order = int(deg) + 1
    x, y = as_input(x), as_input(y)
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if x.size == 0:
        raise TypeError("expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")
    if cov and cov != "unscaled" and not full and len(x) <= order:
        raise ValueError("the number of data points must exceed order to scale the "
                         "covariance matrix")
    weights = None if w is None else _fit_weights(w, y.shape[0]) + 0.0
    x, y = x + 0.0, y + 0.0
    if rcond is None:
        rcond = len(x) * np.finfo(x.dtype).eps
    lhs, rhs = vander(x, order), y
    if weights is not None:
        lhs = lhs * weights[:, None]
        rhs = rhs * (weights[:, None] if rhs.ndim == 2 else weights)
    scale = np.sqrt((lhs * lhs).sum(axis=0))
    lhs = lhs / scale
    c, residuals, rank, s = lstsq(lhs, rhs, rcond)
    c = (c.T / scale).T
    if rank != order and not full:
        warnings.warn("Polyfit may be poorly conditioned", np.exceptions.RankWarning,
                      stacklevel=2)
    if full:
        return c, residuals, rank, s, rcond
    if cov:
        return c, _covariance(lhs, scale, residuals, len(x) - order, cov, y.ndim)
    return c


def _covariance(lhs, scale, residuals, freedom, cov, ndim):
    """``polyfit``'s covariance of the coefficients from the scaled system ``lhs``."""
    vbase = inv(dot(lhs.T, lhs)) / outer(scale, scale)
    factor = 1 if cov == "unscaled" else residuals / freedom
    return vbase * factor if ndim == 1 else vbase[:, :, None] * factor


def _expanded(x, axes):
    return expand_dims(x, axes) if isinstance(x, DistArray) else np.expand_dims(x, axes)


@implements(np.kron)
def kron(a, b):
    """Kronecker product, as :func:`numpy.kron`: the product of ``a`` and ``b`` expanded
    on alternate axes, reshaped (either may be a NumPy array)."""
    if not isinstance(a, DistArray) and not isinstance(b, DistArray):
        return np.kron(a, b)
    a, b = as_input(a), as_input(b)
    if a.ndim == 0 or b.ndim == 0:
        return np.multiply(a, b)
    nd = max(a.ndim, b.ndim)
    a_shape, b_shape = (1,) * (nd - a.ndim) + a.shape, (1,) * (nd - b.ndim) + b.shape
    a = _expanded(_expanded(a, tuple(range(nd - a.ndim))), tuple(range(1, 2 * nd, 2)))
    b = _expanded(_expanded(b, tuple(range(nd - b.ndim))), tuple(range(0, 2 * nd, 2)))
    return np.multiply(a, b).reshape(tuple(np.multiply(a_shape, b_shape)))


@implements(np.sinc)
def sinc(x):
    """The normalized sinc function of each element, as :func:`numpy.sinc`."""
    if not isinstance(x, DistArray):
        return np.sinc(x)
    return call_function("sinc", (x,), {})


@implements(np.i0)
def i0(x):
    """The modified Bessel function of the first kind, order 0, as :func:`numpy.i0`."""
    if not isinstance(x, DistArray):
        return np.i0(x)
    return call_function("i0", (x,), {})
