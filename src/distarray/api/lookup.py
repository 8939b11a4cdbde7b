"""Elementwise lookups in tables: ``isin``, ``digitize``, ``interp`` of DistArrays.

With a small NumPy table (``test_elements``, ``bins``, ``xp``/``fp``) each
worker runs the NumPy function on its piece, the table travelling with the
command: the elementwise machinery (:func:`.ufuncs.call` with an
:class:`~distarray.local.functions.ElementwiseFunction`) checks the arguments
on the client by a dry run on empty arrays (NumPy's errors and result dtype)
and the result keeps the input's distribution.

``isin`` also takes a DistArray ``test_elements``: its sorted unique values
are found with a sample sort, each element looks up its insertion point in
them (:func:`.sorting.searchsorted`, point to point) and compares itself with
the value there; nothing is gathered.
"""

import numpy as np

from .ufuncs import call_function
from .creation import fromarray, full
from .darray import DistArray, dtype_of
from .dispatch import implements
from .sorting import searchsorted, unique

__all__ = ["digitize", "interp", "isin"]


def _table(value, role):
    """A NumPy table argument; TypeError for a DistArray (it is sent whole to each worker)."""
    if isinstance(value, DistArray):
        raise TypeError("distarray takes %s as a NumPy array (array_like), not a DistArray"
                        % role)
    return np.asarray(value)


@implements(np.isin)
def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each element of ``element`` is in ``test_elements``, as :func:`numpy.isin`.

    ``test_elements`` may be array-like (sent to every worker) or a DistArray
    (looked up in its sorted unique values, see the module docstring; ``kind``
    is then only checked).  The result has ``element``'s shape and layout (a
    NumPy ``element`` with a DistArray table gives a DistArray).
    """
    if isinstance(test_elements, DistArray):
        return _isin_distributed(element, test_elements, assume_unique, invert, kind)
    if not isinstance(element, DistArray):
        return np.isin(element, test_elements, assume_unique, invert, kind=kind)
    return call_function("isin", (element,), {"test_elements": np.asarray(test_elements),
                                              "assume_unique": assume_unique,
                                              "invert": invert, "kind": kind})


def _isin_distributed(element, test_elements, assume_unique, invert, kind):
    """``isin`` with a DistArray table (a NumPy ``element`` is distributed first)."""
    probe = dtype_of(element)
    np.isin(np.empty(0, probe), np.empty(0, test_elements.dtype), assume_unique, invert,
            kind=kind)
    if not isinstance(element, DistArray):
        element = fromarray(np.asarray(element), context=test_elements.context)
    values = unique(test_elements)
    if values.size == 0:
        return full(element.distribution, bool(invert), bool)
    where = searchsorted(values, element)
    found = values[np.minimum(where, values.size - 1)] == element
    return ~found if invert else found


@implements(np.digitize)
def digitize(x, bins, right=False):
    """Indices of the bins (a NumPy array) each value of DistArray ``x`` falls in."""
    bins = _table(bins, "bins")
    if not isinstance(x, DistArray):
        return np.digitize(x, bins, right)
    return call_function("digitize", (x,), {"bins": bins, "right": right})


@implements(np.interp)
def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation at DistArray ``x`` of NumPy points ``(xp, fp)``."""
    xp, fp = _table(xp, "xp"), _table(fp, "fp")
    if not isinstance(x, DistArray):
        return np.interp(x, xp, fp, left, right, period)
    return call_function("interp", (x,), {"xp": xp, "fp": fp, "left": left, "right": right,
                                          "period": period})
