"""Copies and conversions of DistArrays: ``copy``, ``astype``, ``copyto``, and whether
arrays share memory.

``copyto`` checks everything NumPy checks on the client (a dry run of
:func:`numpy.copyto` on empty stand-ins gives NumPy's casting errors, the
workers warn as they cast; shapes are broadcast on the client), then copies in one command
with :func:`~distarray.api.ufuncs.assign`: a DistArray source is brought to
the destination's layout worker to worker, a NumPy source is cut on the
client so that each worker receives only its part.
"""

import warnings

import numpy as np

from .creation import check_order_and_device
from .darray import DistArray
from .dispatch import implements
from .reductions import numpy_for_others
from ..runtime.messages import MaybeRef
from .ufuncs import assign, broadcasts_to, common_context, is_scalar, shape_text

__all__ = ["astype", "copy", "copyto", "may_share_memory", "shares_memory"]


@numpy_for_others(np.copy)
def copy(a, order="K", subok=False):
    """An independent copy with the same distribution (``order``, ``subok`` ignored)."""
    check_order_and_device(order, None)
    return a.copy()


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` cast to ``dtype`` (``x`` itself when ``copy=False`` and nothing changes)."""
    if not isinstance(x, DistArray):
        return np.asarray(x).astype(dtype, copy=copy)
    check_order_and_device(None, device)
    return x.astype(dtype, copy=copy)


if hasattr(np, "astype"):  # NumPy >= 2.1
    implements(np.astype)(astype)


def _stand_in(x):
    """What stands for ``x`` in the dry run: scalars themselves, arrays empty ones."""
    if isinstance(x, DistArray):
        return np.empty(0, x.dtype)
    if isinstance(x, np.ndarray) and x.ndim:
        return np.empty(0, x.dtype)
    return x


@implements(np.copyto)
def copyto(dst, src, casting="same_kind", where=True):
    """Copy ``src`` into DistArray ``dst`` where ``where`` holds, as :func:`numpy.copyto`.

    ``src`` (DistArray, array-like or scalar) and ``where`` broadcast to
    ``dst``'s shape; ``casting`` rules the conversion as in NumPy.
    """
    if not isinstance(dst, DistArray):
        raise TypeError("copyto() argument 1 must be a DistArray when the source is one "
                        "(got %s; gather the source explicitly with toarray())"
                        % type(dst).__name__)
    if is_scalar(src):
        value = np.empty((), dst.dtype)
        np.copyto(value, src, casting=casting)  # NumPy's conversion and errors
        src = value
    elif not isinstance(src, DistArray):
        src = np.asarray(src)
    if not isinstance(where, DistArray) and not is_scalar(where):
        where = np.asarray(where)
    with warnings.catch_warnings():  # the workers warn as they cast
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        np.copyto(np.empty(0, dst.dtype), _stand_in(src), casting=casting,
                  where=_stand_in(where))
    if not broadcasts_to(np.shape(src), dst.shape):
        raise ValueError("could not broadcast input array from shape %s into shape %s"
                         % (shape_text(np.shape(src)), shape_text(dst.shape)))
    if not broadcasts_to(np.shape(where), dst.shape):
        raise ValueError("could not broadcast where mask from shape %s into shape %s"
                         % (shape_text(np.shape(where)), shape_text(dst.shape)))
    assign(dst, src, where)


def _share(a, b, exact):
    """Whether the pieces of ``a`` and ``b`` overlap on some worker (asked of each)."""
    if not (isinstance(a, DistArray) and isinstance(b, DistArray)):
        return False  # a DistArray's memory is on the workers, NumPy's on the client
    context = common_context((a, b))
    targets = sorted(set(a.targets) & set(b.targets))
    if not targets or a.size == 0 or b.size == 0:
        return False
    replies = context.pool.run("share_memory", MaybeRef(a.key), MaybeRef(b.key), exact,
                               targets=targets)
    return any(replies.values())


@implements(np.shares_memory)
def shares_memory(a, b, max_work=None):
    """Whether ``a`` and ``b`` share memory (one view of the other's elements, say).

    Each worker runs :func:`numpy.shares_memory` on its pieces; ``max_work``
    is accepted for NumPy's signature and every check is exact.
    """
    return _share(a, b, exact=True)


@implements(np.may_share_memory)
def may_share_memory(a, b, max_work=None):
    """Whether the memory bounds of ``a`` and ``b`` overlap on some worker."""
    return _share(a, b, exact=False)
