"""Julia set: the load balance of block rows versus cyclic rows.

Points near the set need many iterations, points far from it few.  With block
rows the workers holding the middle rows do most of the work; cyclic rows deal
the rows out round-robin, so every worker gets a similar mix.

Run:  python examples/julia_set.py [--size 600] [--nworkers 4]
or:   distarray run -n 4 examples/julia_set.py
"""

import argparse
import contextlib
import time

import numpy as np

import distarray

C = complex(-0.8, 0.156)


def escape_counts(z, c=C, max_iter=100):
    """Iterations of ``z -> z**2 + c`` before ``|z| > 2`` (``max_iter`` if never)."""
    z = z.copy()
    counts = np.full(z.shape, max_iter, dtype=np.int32)
    alive = np.ones(z.shape, dtype=bool)
    for i in range(max_iter):
        z[alive] = z[alive] ** 2 + c
        escaped = alive & (np.abs(z) > 2)
        counts[escaped] = i
        alive &= ~escaped
    return counts


def plane(rows, cols, size):
    """Complex points of the global rows and columns, on [-1.5, 1.5] x [-0.3, 1]."""
    return (-1.5 + 3.0 * cols / (size - 1))[None, :] + 1j * (1.0 - 1.3 * rows / (size - 1))[:, None]


def compute_piece(la, size, max_iter):
    """Fill this worker's piece with escape counts; return its seconds and iterations."""
    start = time.perf_counter()
    rows, cols = la.global_index_arrays()
    la.ndarray[...] = escape_counts(plane(rows, cols, size), max_iter=max_iter)
    return time.perf_counter() - start, int(la.ndarray.sum())


def reference(size, max_iter=100):
    """The whole picture, computed by NumPy in this process."""
    return escape_counts(plane(np.arange(size), np.arange(size), size), max_iter=max_iter)


def main(size=600, max_iter=100, nworkers=None, context=None):
    """Compute the set with block and with cyclic rows; return ``{dist: (counts, seconds)}``."""
    results = {}
    with contextlib.nullcontext(context) if context else distarray.Context(nworkers) as ctx:
        for dist in ("b", "c"):
            counts = ctx.zeros((size, size), dtype=np.int32, dist=(dist, "n"))
            times, work = zip(*ctx.apply(compute_piece, (counts, size, max_iter),
                                         targets=counts.targets))
            results[dist] = counts.toarray(), times
            print("%-6s rows: iterations per worker %s (imbalance %.2f), seconds %s"
                  % ({"b": "block", "c": "cyclic"}[dist], list(work), imbalance(work),
                     ", ".join("%.3f" % t for t in times)))
    return results


def imbalance(work):
    """Largest share over mean share: 1 is a perfect balance."""
    return max(work) / (sum(work) / len(work)) if sum(work) else 1.0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=600)
    parser.add_argument("--nworkers", type=int, default=None)
    options = parser.parse_args()
    main(options.size, nworkers=options.nworkers)
