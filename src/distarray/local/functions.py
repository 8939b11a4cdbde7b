"""NumPy functions that act elementwise, callable like ufuncs on the workers.

:class:`ElementwiseFunction` lets the elementwise ufunc machinery
(:mod:`distarray.api.ufuncs`, the ``ufunc_call`` command) run functions such
as :func:`numpy.where`, :func:`numpy.isclose` or :func:`numpy.round` on the
aligned pieces of their operands (:func:`numpy.isin`, :func:`numpy.digitize`
and :func:`numpy.interp` with their small NumPy tables in ``kwargs``): it has
a ufunc's ``nin``/``nout`` and takes ``out=``/``where=``.  It travels by
name, so only the functions below can be named.
"""

import numpy as np


def equal_or_both_nan(x, y):
    """``x == y``, NaNs comparing equal to NaNs (``array_equal(..., equal_nan=True)``)."""
    return (x == y) | (np.isnan(x) & np.isnan(y))


def unravel(indices, shape, index_order):
    """``numpy.unravel_index(indices, shape, index_order)``.

    (``order`` would be taken for the ufuncs' memory-order argument.)
    """
    return np.unravel_index(indices, shape, index_order)


def ravel_coordinates(*coordinates, dims, mode, index_order):
    """``numpy.ravel_multi_index(coordinates, dims, mode, index_order)`` of separate arrays."""
    return np.ravel_multi_index(coordinates, dims, mode, index_order)


#: The functions an :class:`ElementwiseFunction` may name.
FUNCTIONS = {"where": np.where, "isclose": np.isclose, "round": np.round,
             "nan_to_num": np.nan_to_num, "equal_or_both_nan": equal_or_both_nan,
             "isposinf": np.isposinf, "isneginf": np.isneginf,
             "isin": np.isin, "digitize": np.digitize, "interp": np.interp,
             "unravel": unravel, "ravel_coordinates": ravel_coordinates,
             "sinc": np.sinc, "i0": np.i0}


class ElementwiseFunction:
    """The elementwise function ``name`` of ``nin`` arrays, with a ufunc's calling convention.

    ``f(*arrays, out=targets, where=mask, **kwargs)`` computes
    ``FUNCTIONS[name](*arrays, **kwargs)`` (a tuple of ``nout`` results when
    ``nout > 1``) and copies the results into the targets (casting unsafely,
    where ``mask`` holds); without targets it returns the results (the
    client's dry run on empty arrays).
    """

    def __init__(self, name, nin, nout=1):
        if name not in FUNCTIONS:
            raise ValueError("no elementwise function %r" % name)
        self.__name__ = name
        self.nin = nin
        self.nout = nout

    def __call__(self, *arrays, out=None, where=True, **kwargs):
        result = FUNCTIONS[self.__name__](*arrays, **kwargs)
        results = tuple(result) if self.nout > 1 else (result,)
        targets = out if isinstance(out, tuple) else (out,)
        if targets[0] is None:
            results = tuple(map(np.asarray, results))
        else:
            for target, value in zip(targets, results, strict=True):
                np.copyto(target, value, casting="unsafe", where=where)
            results = targets
        return results if self.nout > 1 else results[0]

    def __reduce__(self):
        return ElementwiseFunction, (self.__name__, self.nin, self.nout)

    def __repr__(self):
        return "<elementwise %s>" % self.__name__
