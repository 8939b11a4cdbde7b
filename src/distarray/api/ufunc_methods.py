"""The ufunc methods ``outer`` and ``at`` on DistArrays.

``ufunc.outer(A, B)`` is ``ufunc`` on ``A`` with ``B.ndim`` new trailing
axes and ``B`` with ``A.ndim`` new leading axes (views): the broadcasting
ufunc call brings the operands to the result's pieces.

``ufunc.at(a, indices, b)`` works in place and unbuffered, as NumPy's: ``b``
is converted to an array (Python scalars included), each element of ``a``
named by ``indices`` is combined with its value through ``ufunc`` in the
loop dtype of the operands and cast back (unsafely) to ``a.dtype``, and a
repeated index combines once per occurrence, in C order of the index.  With
only basic indices (no element can repeat) it is one ufunc call with
``out=`` the indexed view; with index arrays, each (position, value) pair
travels to the worker owning the element in the exchange of advanced
assignment (see :mod:`distarray.api.indexing`), where ``ufunc.at`` applies
them.
"""

import numpy as np

from ..plan.indexing import parse
from .darray import DistArray
from .indexing import _advanced, _put, _write_through
from .ufuncs import call, context_of


def outer(ufunc, a, b, **kwargs):
    """``ufunc.outer(a, b, **kwargs)``: result shape ``a.shape + b.shape``."""
    if ufunc.nin != 2:
        raise ValueError("outer product only supported for binary functions")
    a, b = (x if isinstance(x, DistArray) else np.asarray(x) for x in (a, b))
    return call(ufunc, (a[(Ellipsis,) + (None,) * b.ndim], b[(None,) * a.ndim + (Ellipsis,)]),
                kwargs)


def at(ufunc, a, indices, b=None):
    """``ufunc.at(a, indices, b)``: ``a[indices] = ufunc(a[indices], b)``, unbuffered, in place."""
    if not isinstance(a, DistArray):
        raise TypeError("%s.at on a %s needs a DistArray first operand (gather explicitly with "
                        "d.toarray())" % (ufunc.__name__, type(a).__name__))
    context_of([x for x in (a, b, *(indices if isinstance(indices, tuple) else (indices,)))
                if isinstance(x, DistArray)])
    if ufunc.nout != 1:
        raise ValueError("Only single output ufuncs supported at this time")
    if ufunc.nin == 2 and b is None:
        raise ValueError("second operand needed for ufunc")
    if ufunc.nin == 1 and b is not None:
        raise ValueError("second operand provided when ufunc is unary")
    if b is not None and not isinstance(b, DistArray):
        b = np.asarray(b)
    _dry_run(ufunc, a.dtype, b)
    items = parse(indices, a.shape, DistArray)
    if not any(item.kind == "array" for item in items):
        def combine(view):
            _check_broadcast(b, view.shape)
            call(ufunc, (view,) if b is None else (view, b), {"out": view, "casting": "unsafe"})

        _write_through(a, items, combine)
        return
    basic, advanced, arrays = _advanced(a, items)
    _check_broadcast(b, advanced.result_shape)
    values = 0 if b is None else b if b.ndim else b[()]
    _write_through(a, basic, lambda view: _put(view, advanced, arrays, values,
                                               at=(ufunc, np.geterr())))


def _dry_run(ufunc, dtype, b):
    """NumPy's error if ``ufunc.at`` refuses an array of ``dtype`` with values ``b``."""
    with np.errstate(all="ignore"):
        ufunc.at(np.zeros(1, dtype), [0], *(() if b is None else (np.zeros(1, b.dtype),)))


def _check_broadcast(b, shape):
    """NumPy's ValueError unless values ``b`` (or None) broadcast to ``shape`` as they are."""
    if b is None:
        return
    try:
        broadcast = np.broadcast_shapes(b.shape, shape)
    except ValueError:
        broadcast = None
    if broadcast != tuple(shape):
        raise ValueError("array is not broadcastable to correct shape")
