"""``distarray.linalg``: linear algebra of DistArrays (NumPy's ``numpy.linalg`` and products).

See :mod:`distarray.api.linalg`, :mod:`distarray.api.linalg_composed` and
:mod:`distarray.api.linalg_tensor` for how each function works.
"""

from .api.linalg import (  # noqa: F401
    LinAlgError, cholesky, det, dot, eig, eigh, eigvals, eigvalsh, einsum, inner, inv, lstsq,
    matmul, matrix_norm, matvec, norm, outer, qr, slogdet, solve, svd, svdvals, tensordot, trace,
    vdot, vecdot, vecmat, vector_norm)
from .api.linalg_composed import (  # noqa: F401
    cond, linalg_cross as cross, linalg_diagonal as diagonal, matrix_power, matrix_rank,
    matrix_transpose, multi_dot, pinv)
from .api.linalg_tensor import tensorinv, tensorsolve  # noqa: F401

__all__ = ["LinAlgError", "cholesky", "det", "dot", "eig", "eigh", "eigvals", "eigvalsh",
           "einsum", "inner", "inv", "lstsq", "matmul", "matrix_norm", "matvec", "norm", "outer",
           "qr", "slogdet", "solve", "svd", "svdvals", "tensordot", "trace", "vdot", "vecdot",
           "vecmat", "vector_norm", "cond", "cross", "diagonal", "matrix_power", "matrix_rank",
           "matrix_transpose", "multi_dot", "pinv", "tensorinv", "tensorsolve"]
