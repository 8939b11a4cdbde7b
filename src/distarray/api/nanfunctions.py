"""NaN-ignoring order statistics and scans of DistArrays: ``nanmedian``, ``nanquantile`` ...

``nanmedian``/``nanquantile``/``nanpercentile`` work as their NaN-propagating
twins in :mod:`.sorting`: along one axis, the axis is made local and each
worker runs NumPy's function; over all axes, the needed order statistics of
the sample-sorted array are fetched, among the elements that are not NaN
(NaNs sort last, and one distributed count says how many there are).
``nancumsum``/``nancumprod`` scan the array with NaNs replaced by 0 or 1.
"""

import numpy as np

from .darray import DistArray
from .dispatch import implements
from .functions import where
from .reductions import cumprod, cumsum
from .sorting import median_function, quantile_function

__all__ = ["nancumprod", "nancumsum", "nanmedian", "nanpercentile", "nanquantile"]


@implements(np.nanmedian)
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median of the elements that are not NaN, as :func:`numpy.nanmedian`."""
    return median_function("nanmedian", a, axis, out, keepdims)


@implements(np.nanquantile)
def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None, interpolation=None):
    """The ``q``-th quantiles ignoring NaNs, as :func:`numpy.nanquantile`."""
    return quantile_function("nanquantile", a, q, axis, out, method, keepdims, weights,
                             interpolation)


@implements(np.nanpercentile)
def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None, interpolation=None):
    """The ``q``-th percentiles ignoring NaNs, as :func:`numpy.nanpercentile`."""
    return quantile_function("nanpercentile", a, q, axis, out, method, keepdims, weights,
                             interpolation)


def _without_nans(function, a, axis, dtype, neutral):
    """``a`` with NaNs replaced by ``neutral`` (``a`` itself if it cannot hold NaNs).

    ``function`` (NumPy's scan) first runs on a stand-in, to raise its errors.
    """
    a = a if isinstance(a, DistArray) else np.asarray(a)
    function(np.zeros(tuple(min(n, 1) for n in a.shape), a.dtype), axis=axis, dtype=dtype)
    if not np.issubdtype(a.dtype, np.inexact):
        return a
    return where(np.isnan(a), neutral, a)


@implements(np.nancumsum)
def nancumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum treating NaNs as zero, as :func:`numpy.nancumsum`."""
    return cumsum(_without_nans(np.nancumsum, a, axis, dtype, 0), axis=axis, dtype=dtype,
                  out=out)


@implements(np.nancumprod)
def nancumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product treating NaNs as one, as :func:`numpy.nancumprod`."""
    return cumprod(_without_nans(np.nancumprod, a, axis, dtype, 1), axis=axis, dtype=dtype,
                   out=out)
