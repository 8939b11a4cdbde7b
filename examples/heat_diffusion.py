"""2-D heat diffusion: a five-point stencil on a block-distributed grid, with halo exchange.

Each worker keeps its piece with a ring of ghost cells, swaps the edge rows and
columns with its four neighbours (``la.comm`` is a Cartesian communicator, so
``Shift`` names them) and updates its cells.  The top edge is held at 1, the
other edges at 0.

Run:  python examples/heat_diffusion.py [--size 400] [--steps 500] [--nworkers 4]
or:   distarray run -n 4 examples/heat_diffusion.py
"""

import argparse
import contextlib
import time

import numpy as np
from mpi4py import MPI

import distarray

ALPHA = 0.2  # diffusion number: stable below 0.25


def initial(i, j):
    """Temperature at the start: 1 on the top edge, 0 elsewhere."""
    return (i == 0).astype(float) + 0.0 * j


def step(u, fixed):
    """One explicit step on ``u`` (with its ghost ring); cells in ``fixed`` keep their value."""
    inner = u[1:-1, 1:-1]
    laplacian = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4 * inner
    inner += ALPHA * np.where(fixed, 0.0, laplacian)


def exchange(comm, u):
    """Fill the ghost ring of ``u`` with the neighbours' edge cells."""
    (up, down), (left, right) = comm.Shift(0, 1), comm.Shift(1, 1)
    comm.Sendrecv(u[1, :], dest=up, recvbuf=u[-1, :], source=down)
    comm.Sendrecv(u[-2, :], dest=down, recvbuf=u[0, :], source=up)
    for send, receive, dest, source in ((1, -1, left, right), (-2, 0, right, left)):
        column = np.empty(u.shape[0])
        comm.Sendrecv(np.ascontiguousarray(u[:, send]), dest=dest, recvbuf=column,
                      source=source)
        if source != MPI.PROC_NULL:
            u[:, receive] = column


def diffuse(la, steps):
    """Advance this worker's piece by ``steps`` steps, exchanging halos with MPI."""
    rows, cols = la.global_index_arrays()
    n, m = la.global_shape
    fixed = ((rows == 0) | (rows == n - 1))[:, None] | ((cols == 0) | (cols == m - 1))[None, :]
    u = np.pad(la.ndarray, 1)
    for _ in range(steps):
        exchange(la.comm, u)
        step(u, fixed)
    la.ndarray[...] = u[1:-1, 1:-1]


def reference(size, steps):
    """The same simulation by NumPy in this process."""
    u = np.pad(np.fromfunction(initial, (size, size)), 1)
    fixed = np.zeros((size, size), dtype=bool)
    fixed[[0, -1], :] = fixed[:, [0, -1]] = True
    for _ in range(steps):
        step(u, fixed)
    return u[1:-1, 1:-1]


def main(size=400, steps=500, nworkers=None, context=None):
    """Run the simulation on a ('b', 'b') grid; return the final temperatures."""
    with contextlib.nullcontext(context) if context else distarray.Context(nworkers) as ctx:
        u = ctx.fromfunction(initial, (size, size), dist=("b", "b"))
        start = time.perf_counter()
        ctx.apply(diffuse, (u, steps), targets=u.targets)
        elapsed = time.perf_counter() - start
        result = u.toarray()
        print("%d steps on %dx%d, grid %s: %.3f s, mean temperature %.5f"
              % (steps, size, size, u.grid_shape, elapsed, result.mean()))
        return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--nworkers", type=int, default=None)
    options = parser.parse_args()
    main(options.size, options.steps, options.nworkers)
