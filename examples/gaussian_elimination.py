"""Parallel Gaussian elimination: solve ``A x = b`` with the rows dealt out cyclically.

The augmented matrix ``[A | b]`` is distributed by rows, cyclically, so that
the shrinking lower-right block keeps every worker busy to the end.  At step
``k`` the worker owning row ``k`` broadcasts it and every worker eliminates
column ``k`` from its rows below; back substitution broadcasts one unknown at a
time.  ``A`` is diagonally dominant, so no pivoting is needed.

Run:  python examples/gaussian_elimination.py [--size 400] [--nworkers 4]
or:   distarray run -n 4 examples/gaussian_elimination.py
"""

import argparse
import contextlib
import time

import numpy as np
from mpi4py import MPI

import distarray


def augmented(i, j, n):
    """``[A | b]`` of size n x (n+1): A diagonally dominant, b = 1, 2, 3, ..."""
    matrix = 1.0 / (1.0 + np.abs(i - j)) + n * (i == j)
    return np.where(j == n, i + 1.0, matrix)


def solve(la):
    """Eliminate and back-substitute on this worker's rows; every worker returns ``x``."""
    comm, owner = la.comm, la.maps[0].owners  # grid (p, 1): grid row = rank in comm
    a = la.ndarray.copy()  # keep [A | b] itself intact
    rows = la.global_index_arrays()[0]
    n = a.shape[1] - 1
    pivot = np.empty(n + 1)
    for k in range(n):
        if comm.rank == owner(k):
            pivot[:] = a[rows == k][0]
        comm.Bcast(pivot, root=owner(k))
        below = rows > k
        a[below] -= np.outer(a[below, k] / pivot[k], pivot)
    x = np.zeros(n)
    for k in range(n - 1, -1, -1):
        if comm.rank == owner(k):
            row = a[rows == k][0]
            x[k] = (row[n] - row[k + 1:n] @ x[k + 1:]) / row[k]
        comm.Bcast(x[k:k + 1], root=owner(k))
    return x


def residual(la, x):
    """``max |A x - b|`` over all rows (each worker checks its rows, then MPI combines)."""
    a = la.ndarray
    mine = float(np.abs(a[:, :-1] @ x - a[:, -1]).max(initial=0.0))
    return la.comm.allreduce(mine, op=MPI.MAX)


def reference(size):
    """``x`` by NumPy's solver, in this process."""
    full = np.fromfunction(augmented, (size, size + 1), n=size)
    return np.linalg.solve(full[:, :-1], full[:, -1])


def main(size=400, nworkers=None, context=None):
    """Solve a ``size`` x ``size`` system on the workers; return ``x``."""
    with contextlib.nullcontext(context) if context else distarray.Context(nworkers) as ctx:
        system = ctx.fromfunction(augmented, (size, size + 1), dist=("c", "n"), n=size)
        start = time.perf_counter()
        x = ctx.apply(solve, (system,), targets=system.targets)[0]
        elapsed = time.perf_counter() - start
        error = ctx.apply(residual, (system, x), targets=system.targets)[0]
        print("solved %dx%d on %d workers in %.3f s, max residual %.2e"
              % (size, size, len(system.targets), elapsed, error))
        return x


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--nworkers", type=int, default=None)
    options = parser.parse_args()
    main(options.size, options.nworkers)
