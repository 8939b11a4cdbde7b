"""Drop to the pieces and to MPI: a running sum and a standardisation with mpi4py.

``ctx.apply(f, (a,))`` calls ``f`` on every worker with its ``LocalArray``:
``la.ndarray`` is the worker's piece and ``la.comm`` a communicator of the
array's workers (Cartesian, in grid order), so ``f`` can talk to the other
workers directly, here with ``exscan`` and ``allreduce``.  Changes to
``la.ndarray`` stay on the worker: the DistArray sees them.

Run:  python examples/local_mpi.py [--size 1000000] [--nworkers 4]
or:   distarray run -n 4 examples/local_mpi.py
"""

import argparse
import contextlib

import numpy as np

import distarray


def running_sum(la):
    """Replace a block-distributed 1-D piece by the running sum of the whole array.

    Each worker sums its own piece, then adds the total of the pieces before
    it (an exclusive scan over the workers, in grid order = index order).
    """
    local = np.cumsum(la.ndarray)
    before = la.comm.exscan(float(local[-1]) if local.size else 0.0)
    la.ndarray[...] = local + (before or 0.0)  # exscan gives None on the first worker


def standardise(la):
    """Shift and scale the whole array to mean 0 and standard deviation 1 (in place)."""
    comm = la.comm
    count = comm.allreduce(la.ndarray.size)
    mean = comm.allreduce(float(la.ndarray.sum())) / count
    variance = comm.allreduce(float(((la.ndarray - mean) ** 2).sum())) / count
    la.ndarray[...] = (la.ndarray - mean) / np.sqrt(variance)
    return mean, np.sqrt(variance)


def values(i):
    """The example's data: a deterministic, wiggly sequence."""
    return np.sin(i / 7.0) + i / 1000.0


def reference(size):
    """What the distributed steps compute, by NumPy in this process."""
    data = np.cumsum(values(np.arange(size, dtype=float)))
    return (data - data.mean()) / data.std()


def main(size=1_000_000, nworkers=None, context=None):
    """Running sum then standardisation of a distributed array; return it gathered."""
    with contextlib.nullcontext(context) if context else distarray.Context(nworkers) as ctx:
        a = ctx.fromfunction(values, (size,), dist="b")
        ctx.apply(running_sum, (a,), targets=a.targets)
        mean, std = ctx.apply(standardise, (a,), targets=a.targets)[0]
        print("running sum: mean %.6g, std %.6g over %d elements on %d workers"
              % (mean, std, size, len(a.targets)))
        return a.toarray()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--nworkers", type=int, default=None)
    options = parser.parse_args()
    main(options.size, options.nworkers)
