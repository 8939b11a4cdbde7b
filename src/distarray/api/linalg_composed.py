"""Linear algebra composed of distarray's other operations, as :mod:`numpy.linalg` does it.

``matrix_power`` (repeated squaring with ``matmul``, ``inv`` for negative
powers), ``multi_dot`` (``dot`` in the cheapest order), ``pinv`` (from the
SVD), ``matrix_rank`` and ``cond`` (from the singular values; ``cond`` with
another ``p`` from ``norm`` and ``inv``), and the array-API names
``matrix_transpose``, ``outer``, ``cross`` and ``diagonal``.  Arguments are
checked on the client as NumPy checks them, with NumPy's exceptions.
"""

import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .creation import arange, empty, zeros
from .darray import shape_of
from .dispatch import implements
from .linalg import (_batched, _check_stack, _context, _distributed, dot, inv, matmul,
                     norm, outer, svd)
from .reductions import _NoValue, deliver
from .shape import diagonal as _diagonal, moveaxis, stack, swapaxes
from .ufuncs import assign


def _identities(a):
    """Identity matrices laid out, and typed, like the (stack of) square matrices ``a``."""
    r = arange(a.shape[-1], context=a.context)
    result = empty(a.shape, a.dtype, a.distribution)
    assign(result, np.equal.outer(r, r))
    return result


@implements(np.linalg.matrix_power)
def matrix_power(a, n):
    """``a`` to the integer power ``n``, as :func:`numpy.linalg.matrix_power`."""
    _check_stack(a, square=True)
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError("exponent must be an integer") from None
    if n == 0:
        return _identities(a)
    if n < 0:
        a, n = inv(a), -n
    power = result = None
    while n:  # binary decomposition: one squaring per bit
        power = a if power is None else matmul(power, power)
        n, bit = divmod(n, 2)
        if bit:
            result = power if result is None else matmul(result, power)
    return result


def _chain_splits(dims):
    """Where the cheapest product of the matrices of sizes ``dims`` splits each sub-chain.

    ``splits[i][j]`` is the last matrix of the left factor of matrices i..j.
    """
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    splits = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j], splits[i][j] = min(
                (cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1], k)
                for k in range(i, j))
    return splits


def _chain_product(arrays, splits, i, j):
    if i == j:
        return arrays[i]
    k = splits[i][j]
    return dot(_chain_product(arrays, splits, i, k), _chain_product(arrays, splits, k + 1, j))


@implements(np.linalg.multi_dot)
def multi_dot(arrays, *, out=None):
    """The product of a chain of matrices in the cheapest order, as
    :func:`numpy.linalg.multi_dot` (the first and last may be vectors)."""
    arrays = list(arrays)
    if len(arrays) < 2:
        raise ValueError("Expecting at least two arrays.")
    if len(arrays) == 2:
        return dot(arrays[0], arrays[1], out=out)
    context = _context(*arrays)
    arrays = [_distributed(x, context) for x in arrays]
    first, last = arrays[0].ndim, arrays[-1].ndim
    if first == 1:
        arrays[0] = arrays[0][None, :]
    if last == 1:
        arrays[-1] = arrays[-1][:, None]
    for x in arrays:
        if x.ndim != 2:
            raise np.linalg.LinAlgError("%d-dimensional array given. Array must be "
                                        "two-dimensional" % x.ndim)
    dims = [x.shape[0] for x in arrays] + [arrays[-1].shape[1]]
    for x, y in zip(arrays, arrays[1:]):
        if x.shape[1] != y.shape[0]:
            raise ValueError("shapes %s and %s not aligned: %d (dim 1) != %d (dim 0)"
                             % (x.shape, y.shape, x.shape[1], y.shape[0]))
    result = _chain_product(arrays, _chain_splits(dims), 0, len(arrays) - 1)
    index = {(1, 1): (0, 0), (1, 2): (0,), (2, 1): (slice(None), 0)}.get((first, last))
    return deliver(result if index is None else result[index], out)


def _stack_transpose(x):
    return swapaxes(x, -1, -2)


@implements(np.linalg.pinv)
def pinv(a, rcond=None, hermitian=False, *, rtol=_NoValue):
    """Moore-Penrose pseudo-inverse from the SVD, as :func:`numpy.linalg.pinv`."""
    if rcond is None:
        rcond = 1e-15 if rtol is _NoValue else rtol if rtol is not None else \
            max(a.shape[-2:]) * np.finfo(a.dtype).eps
    elif rtol is not _NoValue:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    _check_stack(a)
    if 0 in a.shape[-2:]:  # as NumPy: of a's dtype (an empty batch goes through the SVD)
        m, n = a.shape[-2:]
        return zeros(a.shape[:-2] + (n, m), a.dtype, context=a.context)
    u, s, vt = svd(np.conjugate(a) if a.dtype.kind == "c" else a, full_matrices=False,
                   hermitian=hermitian)
    large = s > np.asarray(rcond)[..., None] * np.max(s, axis=-1, keepdims=True)
    inverted = np.divide(1, s, out=zeros(s.shape, s.dtype, s.distribution), where=large)
    return matmul(_stack_transpose(vt), np.multiply(inverted[..., None], _stack_transpose(u)))


@implements(np.linalg.matrix_rank)
def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """Number of singular values above the tolerance, as :func:`numpy.linalg.matrix_rank`."""
    if rtol is not None and tol is not None:
        raise ValueError("`tol` and `rtol` can't be both set.")
    if A.ndim < 2:
        return int(not np.all(A == 0))
    s = svd(A, compute_uv=False, hermitian=hermitian)
    if tol is None:
        rtol = max(A.shape[-2:]) * np.finfo(s.dtype).eps if rtol is None else \
            np.asarray(rtol)[..., None]
        tol = np.max(s, axis=-1, keepdims=True, initial=0) * rtol
    else:
        tol = np.asarray(tol)[..., None]
    return np.count_nonzero(s > tol, axis=-1)


@implements(np.linalg.cond)
def cond(x, p=None):
    """Condition number, as :func:`numpy.linalg.cond`.

    ``p`` None, 2 or -2: from the singular values; other ``p``: from ``norm``
    and ``inv`` (a singular matrix has condition number ``inf``).  Stacks of
    matrices: each worker runs NumPy on the whole matrices of its part.
    """
    if x.size == 0 and 0 in x.shape[-2:]:
        raise np.linalg.LinAlgError("cond is not defined on empty arrays")
    dtype = np.linalg.cond(np.ones((1, 1), x.dtype), p).dtype
    if x.ndim > 2:
        if p not in (None, 2, -2):
            _check_stack(x, square=True)
        batch = x.shape[:-2]
        if not math.prod(batch):
            return zeros(batch, dtype, context=x.context)
        return _batched("cond", (x,), batch, [((), dtype)], {"p": p})[0]
    if p is None or p in (2, -2):
        s = svd(x, compute_uv=False)
        largest, smallest = (s[..., 0], s[..., -1]) if x.ndim > 2 else (s[0], s[-1])
        with np.errstate(all="ignore"):
            r = smallest / largest if p == -2 else largest / smallest
    else:
        _check_stack(x, square=True)
        try:
            inverse = inv(x)
        except np.linalg.LinAlgError:
            return dtype.type(np.inf)
        r = norm(x, p, axis=(-2, -1)) * norm(inverse, p, axis=(-2, -1))
    r = r.astype(dtype, copy=False)  # NaN (0/0) becomes inf unless x holds NaN
    return dtype.type(np.inf) if np.isnan(r) and not np.any(np.isnan(x)) else r


@implements(np.matrix_transpose, np.linalg.matrix_transpose)
def matrix_transpose(x, /):
    """The (stack of) matrices transposed (a view), as :func:`numpy.matrix_transpose`."""
    if x.ndim < 2:
        raise ValueError("Input array must be at least 2-dimensional, but it is %d" % x.ndim)
    return _stack_transpose(x)


@implements(np.linalg.outer)
def linalg_outer(x1, x2, /):
    """Outer product of two vectors, as :func:`numpy.linalg.outer`."""
    n1, n2 = len(shape_of(x1)), len(shape_of(x2))
    if n1 != 1 or n2 != 1:
        raise ValueError("Input arrays must be one-dimensional, but they are x1.ndim=%d and "
                         "x2.ndim=%d." % (n1, n2))
    return outer(x1, x2)


@implements(np.linalg.diagonal)
def linalg_diagonal(x, /, *, offset=0):
    """Diagonals of the (stack of) matrices, as :func:`numpy.linalg.diagonal`."""
    return _diagonal(x, offset, axis1=-2, axis2=-1)


@implements(np.linalg.cross)
def linalg_cross(x1, x2, /, *, axis=-1):
    """Cross products of (stacks of) 3-vectors along ``axis``, as :func:`numpy.linalg.cross`."""
    context = _context(x1, x2)
    x1, x2 = (_distributed(x, context) for x in (x1, x2))
    n1, n2 = x1.shape[axis], x2.shape[axis]
    if n1 != 3 or n2 != 3:
        raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors, but they "
                         "are %d and %d dimensional instead." % (n1, n2))
    a, b = moveaxis(x1, axis, -1), moveaxis(x2, axis, -1)
    a0, a1, a2 = (a[..., i] for i in range(3))
    b0, b1, b2 = (b[..., i] for i in range(3))
    product = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return moveaxis(product, -1, normalize_axis_index(axis, product.ndim))
