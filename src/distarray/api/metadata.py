"""NumPy functions answered from the client's metadata alone (no communication)."""

import numpy as np

from .darray import DistArray
from .dispatch import implements


def _meta(x):
    """A stand-in with the dtype (and no data) of ``x``."""
    return np.empty(0, x.dtype) if isinstance(x, DistArray) else x


@implements(np.shape)
def shape(a):
    """The global shape."""
    return a.shape


@implements(np.ndim)
def ndim(a):
    """The number of dimensions."""
    return a.ndim


@implements(np.size)
def size(a, axis=None):
    """The number of elements (along ``axis``)."""
    return a.size if axis is None else a.shape[axis]


@implements(np.result_type)
def result_type(*arrays_and_dtypes):
    """NumPy's ``result_type`` on the operands' dtypes."""
    return np.result_type(*map(_meta, arrays_and_dtypes))


@implements(np.can_cast)
def can_cast(from_, to, casting="safe"):
    """NumPy's ``can_cast`` on the array's dtype."""
    return np.can_cast(from_.dtype if isinstance(from_, DistArray) else from_, to, casting)


@implements(np.common_type)
def common_type(*arrays):
    """NumPy's ``common_type`` of the arrays' dtypes."""
    return np.common_type(*map(_meta, arrays))
