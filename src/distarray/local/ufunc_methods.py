"""Worker side of ufunc methods other than calls, reductions and scans."""

import numpy as np

from .localarray import LocalArray
from .registry import command


@command
def reduceat_piece(local, layout, ufunc, indices, axis, dtype, result_dtype, errstate):
    """``ufunc.reduceat`` of this piece along ``axis`` (held whole here): a piece of ``layout``.

    The result, of ``result_dtype``, is given as ``out=``, which makes it the
    loop's dtype (with ``dtype`` None) as a user's ``out=`` does.
    """
    reduced = LocalArray.empty(layout, result_dtype)
    with np.errstate(**errstate):
        ufunc.reduceat(local.owned, indices, axis=axis, dtype=dtype, out=reduced.owned)
    return reduced
