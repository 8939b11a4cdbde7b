"""``tensorsolve`` and ``tensorinv``: tensors seen as square matrices, as :mod:`numpy.linalg` does.

The tensor is reshaped (and for ``tensorsolve`` with ``axes``, transposed)
into a matrix that the distributed :func:`~distarray.api.linalg.solve` or
:func:`~distarray.api.linalg.inv` (blocked LU) handles, and the result is
reshaped back.  Arguments are checked on the client as NumPy checks them,
with NumPy's exceptions, before anything is sent: axes and dtypes by NumPy's
own function on 1x...x1 stand-ins, shapes by NumPy's function on zero-memory
stand-ins (called only when a shape does not fit, so NumPy raises at once).
"""

import math

import numpy as np

from .darray import shape_of
from .dispatch import implements
from .linalg import _context, _distributed, _numpy_error, _tiny, inv, solve
from .shape import reshape, transpose


@implements(np.linalg.tensorsolve)
def tensorsolve(a, b, axes=None):
    """Solve ``tensordot(a, x, x.ndim) = b`` for ``x``, as :func:`numpy.linalg.tensorsolve`.

    ``axes``: the axes of ``a`` that are moved to the end (in that order) first.
    """
    np.linalg.tensorsolve(_tiny(a), _tiny(b), axes)
    sa, sb = shape_of(a), shape_of(b)
    order = list(range(len(sa))) if axes is None else [
        k for k in range(len(sa)) if k not in axes] + list(axes)
    unknowns = tuple(sa[k] for k in order)[-(len(sa) - len(sb)):]
    n = math.prod(unknowns)
    if math.prod(sa) != n * n:
        _numpy_error(np.linalg.tensorsolve, a, b, axes=axes)
    if math.prod(sb) != n:
        _numpy_error(np.linalg.solve, np.broadcast_to(_tiny(a, 0), (n, n)),
                     np.broadcast_to(_tiny(b, 0), (math.prod(sb),)))
    context = _context(a, b)
    a = _distributed(a, context)
    matrix = reshape(a if axes is None else transpose(a, order), (n, n))
    return reshape(solve(matrix, reshape(_distributed(b, context), (n,))), unknowns)


@implements(np.linalg.tensorinv)
def tensorinv(a, ind=2):
    """The inverse of ``a`` for :func:`numpy.tensordot` over ``ind`` axes, as
    :func:`numpy.linalg.tensorinv`: shape ``a.shape[ind:] + a.shape[:ind]``."""
    np.linalg.tensorinv(_tiny(a), ind)
    shape = shape_of(a)
    n = math.prod(shape[ind:])
    size = math.prod(shape)
    if n == 0 or size % n or size // n != n:
        _numpy_error(np.linalg.tensorinv, a, ind=ind)
    matrix = reshape(_distributed(a, _context(a)), (n, n))
    return reshape(inv(matrix), shape[ind:] + shape[:ind])
