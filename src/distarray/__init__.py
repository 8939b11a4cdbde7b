"""distarray: distributed NumPy arrays on MPI.

*Think globally, act locally*: a :class:`DistArray` behaves like one big NumPy
array while its pieces (:class:`LocalArray`) live on worker processes that
talk to each other directly with MPI.

Under ``mpiexec -n N+1 python script.py`` importing this package turns ranks
1..N into workers (they serve the client on rank 0 and exit with it).
"""

from .runtime.launch import batch_worker_entry as _batch_worker_entry

_batch_worker_entry()

# The public API (imported after the batch workers have left).
from .api.context import Context, Proxy, default_context, set_default_context  # noqa: E402
from .api.creation import (  # noqa: E402
    arange, array, asarray, empty, empty_like, fromarray, fromfunction, full, full_like,
    linspace, ones, ones_like, zeros, zeros_like)
from .api import metadata as _metadata  # noqa: E402,F401  (registers NumPy functions)
from .api.darray import DistArray  # noqa: E402
from .errors import (  # noqa: E402
    CommandTimeout, ContextError, DistArrayError, DistributionError, LaunchError, ProtocolError,
    TransferError, WorkerError, WorkerFailure)
from .local.localarray import LocalArray  # noqa: E402
from .plan.distribution import Distribution  # noqa: E402
from . import random  # noqa: E402

# NumPy-style reductions and functions (``distarray.sum`` shadows the builtin only here).
from .api.reductions import (  # noqa: E402
    all, amax, amin, any, argmax, argmin, count_nonzero, cumprod, cumsum, cumulative_prod,
    cumulative_sum, max, mean, min, nanargmax, nanargmin, nanmax, nanmean, nanmin, nanprod,
    nanstd, nansum, nanvar, prod, ptp, std, sum, var)
from .api.functions import (  # noqa: E402
    allclose, around, array_equal, clip, imag, isclose, nan_to_num, real, round, where)

__version__ = "0.1.0"

__all__ = [
    "Context", "Proxy", "default_context", "set_default_context", "DistArray", "LocalArray",
    "Distribution", "arange", "array", "asarray", "empty", "empty_like", "fromarray",
    "fromfunction", "full", "full_like", "linspace", "ones", "ones_like", "zeros", "zeros_like",
    "CommandTimeout",
    "ContextError", "DistArrayError", "DistributionError", "LaunchError", "ProtocolError",
    "TransferError", "WorkerError", "WorkerFailure", "random",
    "all", "amax", "amin", "any", "argmax", "argmin", "count_nonzero", "cumprod", "cumsum",
    "cumulative_prod", "cumulative_sum", "max", "mean", "min", "nanargmax", "nanargmin",
    "nanmax", "nanmean", "nanmin", "nanprod", "nanstd", "nansum", "nanvar", "prod", "ptp",
    "std", "sum", "var",
    "allclose", "around", "array_equal", "clip", "imag", "isclose", "nan_to_num", "real", "round",
    "where",
]

# Files (each worker reads and writes its own part) and pictures of distributions.
from . import io  # noqa: E402
from .io import (  # noqa: E402
    load_dnpy, load_hdf5, load_npy, load_zarr, save_dnpy, save_hdf5, save_npy, save_zarr)
from .plotting import plot_distribution  # noqa: E402

__all__ += ["io", "load_dnpy", "load_hdf5", "load_npy", "load_zarr", "save_dnpy", "save_hdf5",
            "save_npy", "save_zarr", "plot_distribution"]

# Shape manipulation (views where NumPy gives views; see distarray.api.shape).
from .api.shape import (  # noqa: E402
    array_split, atleast_1d, atleast_2d, atleast_3d, broadcast_arrays, broadcast_to, concatenate,
    diagonal, dstack, expand_dims, flatnonzero, flip, fliplr, flipud, hstack, indices, meshgrid,
    moveaxis, nonzero, pad, put, ravel, repeat, reshape, roll, rollaxis, split, squeeze, stack,
    swapaxes, take, tile, transpose, tril, triu, vstack)

__all__ += ["array_split", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_arrays",
            "broadcast_to", "concatenate", "diagonal", "dstack", "expand_dims", "flatnonzero",
            "flip", "fliplr", "flipud", "hstack", "indices", "meshgrid", "moveaxis", "nonzero",
            "pad", "put", "ravel", "repeat", "reshape", "roll", "rollaxis", "split", "squeeze",
            "stack", "swapaxes", "take", "tile", "transpose", "tril", "triu", "vstack"]

# Sorting, set operations, order statistics, histograms; Fourier transforms (distarray.fft).
from .api.sorting import (  # noqa: E402
    argsort, bincount, histogram, median, percentile, quantile, searchsorted, sort, unique)
from . import fft  # noqa: E402

__all__ += ["argsort", "bincount", "histogram", "median", "percentile", "quantile",
            "searchsorted", "sort", "unique", "fft"]

# Linear algebra (distarray.linalg; the gufuncs matmul/vecdot/matvec/vecmat and ``@`` too).
from . import linalg  # noqa: E402
from .api.linalg import (  # noqa: E402
    dot, einsum, inner, matmul, matvec, outer, tensordot, trace, vdot, vecdot, vecmat)

__all__ += ["linalg", "dot", "einsum", "inner", "matmul", "matvec", "outer", "tensordot", "trace",
            "vdot", "vecdot", "vecmat"]

# Stencils (halo exchange, map_overlap) and the array API namespace.
from . import array_api  # noqa: E402
from .api.stencils import exchange_halos, map_overlap, with_halos  # noqa: E402
from .api.fusion import fuse  # noqa: E402

__all__ += ["array_api", "exchange_halos", "fuse", "map_overlap", "with_halos"]

# More creation (eye, tri, log/geometric sequences), copies, diagonals, complex-number and
# ufunc-like helpers.
from .api.creation import eye, geomspace, identity, logspace, tri  # noqa: E402
from .api.copying import (  # noqa: E402
    astype, copy, copyto, may_share_memory, shares_memory)
from .api.diagonals import diag, diagflat, fill_diagonal  # noqa: E402
from .api.complex_values import (  # noqa: E402
    angle, iscomplex, iscomplexobj, isreal, isrealobj, real_if_close)
from .api.ufunclike import fix, isneginf, isposinf  # noqa: E402

__all__ += ["eye", "geomspace", "identity", "logspace", "tri", "astype", "copy", "copyto",
            "may_share_memory", "shares_memory", "diag", "diagflat", "fill_diagonal", "angle",
            "iscomplex", "iscomplexobj", "isreal", "isrealobj", "real_if_close", "fix", "isneginf",
            "isposinf"]

# Lookups in tables, selecting elements, joining and editing along axes, partitions.
from .api.joining import (  # noqa: E402
    append, column_stack, delete, dsplit, hsplit, insert, rot90, vsplit)
from .api.lookup import digitize, interp, isin  # noqa: E402
from .api.partitioning import argpartition, partition  # noqa: E402
from .api.selection import (  # noqa: E402
    argwhere, choose, compress, extract, place, put_along_axis, putmask, select,
    take_along_axis)

__all__ += ["append", "column_stack", "delete", "dsplit", "hsplit", "insert", "rot90", "vsplit",
            "digitize", "interp", "isin", "argpartition", "partition", "argwhere", "choose",
            "compress", "extract", "place", "put_along_axis", "putmask", "select",
            "take_along_axis"]

# Differences, derivatives and integrals; weighted averages, covariance and correlation.
from .api.calculus import cross, diff, ediff1d, gradient, trapezoid, unwrap  # noqa: E402
from .api.statistics import average, corrcoef, cov  # noqa: E402
from .api.nanfunctions import (  # noqa: E402
    nancumprod, nancumsum, nanmedian, nanpercentile, nanquantile)

__all__ += ["cross", "diff", "ediff1d", "gradient", "trapezoid", "unwrap", "average", "corrcoef",
            "cov", "nancumprod", "nancumsum", "nanmedian", "nanpercentile", "nanquantile"]

# Set functions, sorts by several keys or of complex values, trimming, unstacking, equivalence.
from .api.sets import (  # noqa: E402
    intersect1d, setdiff1d, setxor1d, union1d, unique_all, unique_counts, unique_inverse,
    unique_values)
from .api.ordering import lexsort, sort_complex  # noqa: E402
from .api.views import trim_zeros, unstack  # noqa: E402
from .api.equivalence import array_equiv  # noqa: E402

__all__ += ["intersect1d", "setdiff1d", "setxor1d", "union1d", "unique_all", "unique_counts",
            "unique_inverse", "unique_values", "lexsort", "sort_complex", "trim_zeros",
            "unstack", "array_equiv"]

# Bin edges and multidimensional histograms; index arithmetic and assembling blocks.
from .api.histograms import histogram2d, histogram_bin_edges, histogramdd  # noqa: E402

__all__ += ["histogram2d", "histogram_bin_edges", "histogramdd"]

from .api.index_tricks import (  # noqa: E402
    block, diag_indices_from, ravel_multi_index, resize, tril_indices_from, triu_indices_from,
    unravel_index)

__all__ += ["block", "diag_indices_from", "ravel_multi_index", "resize", "tril_indices_from",
            "triu_indices_from", "unravel_index"]

# Convolution and correlation; polynomials and special functions; applying functions.
from .api.signal import convolve, correlate  # noqa: E402
from .api.polynomial import i0, kron, polyfit, polyval, sinc, vander  # noqa: E402
from .api.apply import apply_along_axis, apply_over_axes, piecewise  # noqa: E402

__all__ += ["convolve", "correlate", "i0", "kron", "polyfit", "polyval", "sinc", "vander",
            "apply_along_axis", "apply_over_axes", "piecewise"]
