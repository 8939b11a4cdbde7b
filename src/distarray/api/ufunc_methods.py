"""The ufunc methods ``outer``, ``at`` and ``reduceat`` on DistArrays.

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

``ufunc.reduceat(a, indices, axis)`` brings ``axis`` whole onto the
processes with grid coordinate 0 along it (one redistribution, as for the
reductions that cannot be split; none if it is whole already), where NumPy's
``reduceat`` runs on each piece: the result is laid out like that copy, the
reduced axis undistributed.  Along a 1-D array this is one process.
"""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..plan.distribution import Distribution
from ..plan.indexing import parse
from ..plan.maps import BlockMap, UndistributedMap
from ..runtime.messages import MaybeRef
from .darray import DistArray
from .indexing import _advanced, _put, _write_through, redistribute
from .reductions import _check_out_type, _derived_distribution, _roots
from .ufuncs import assign, call, context_of


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
    if not any(item.kind == "array" for item in items):  # basic: no element repeats
        _check_broadcast(b, np.broadcast_to(np.zeros((), bool), a.shape)[indices].shape)
        _write_through(a, items, lambda view: call(
            ufunc, (view,) if b is None else (view, b), {"out": view, "casting": "unsafe"}))
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


def reduceat(ufunc, array, indices, axis=0, dtype=None, out=None):
    """``ufunc.reduceat(array, indices, axis, dtype, out)`` of a DistArray."""
    if not isinstance(array, DistArray):
        raise TypeError("%s.reduceat: out= may be a DistArray only when the input is one"
                        % ufunc.__name__)
    indices = np.asarray(indices)
    if indices.ndim != 1:
        raise ValueError("object of too small depth for desired array" if indices.ndim == 0
                         else "object too deep for desired array")
    indices = indices.astype(np.intp)
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    if out is not None:
        _check_out_type(out)
    standin = (1,) * array.ndim  # NumPy's errors and dtypes, on one element
    with np.errstate(all="ignore"):
        probe = ufunc.reduceat(np.zeros(standin, array.dtype), [0], axis=axis, dtype=dtype,
                               out=None if out is None else np.zeros(standin, out.dtype))
    axis = normalize_axis_index(0 if axis is None else np.ravel(axis)[0], array.ndim)
    n = array.shape[axis]
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        raise IndexError("index %d out-of-bounds in %s.reduceat [0, %d)"
                         % (indices[bad][0], ufunc.__name__, n))
    shape = array.shape[:axis] + (len(indices),) + array.shape[axis + 1:]
    if out is not None and out.shape != shape:
        raise ValueError("%s.reduceat: out= must be a DistArray of shape %s"
                         % (ufunc.__name__, shape))
    whole = _whole_axis(array, axis)
    source = whole.distribution
    maps = list(source.maps)
    maps[axis] = UndistributedMap(len(indices))
    result = Distribution.from_maps(array.context, maps, source.targets)
    key = array.context.pool.new_key()
    whole._run("reduceat_piece", MaybeRef(array.context.layout(result)), ufunc, indices, axis,
               dtype, probe.dtype, np.geterr(), out=key)
    reduced = DistArray._wrap(result, probe.dtype, key)
    if out is None:
        return reduced
    assign(out, reduced)
    return out


def _whole_axis(a, axis):
    """``a``, or a copy with ``axis`` undistributed (on the grid's coordinate-0 processes)."""
    dist = a.distribution
    m = dist.maps[axis]
    if isinstance(m, BlockMap) and m.grid_size == 1:
        return a

    def build():
        maps = list(dist.maps)
        maps[axis] = UndistributedMap(m.size)
        return Distribution.from_maps(dist.context, maps, _roots(dist, (axis,)))

    return redistribute(a, _derived_distribution(dist, ("gather", (axis,)), build))
