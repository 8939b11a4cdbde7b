"""Planning the distributed (four-step) FFT along one axis (pure Python, no MPI).

A transform of length ``n = n1 * n2`` sees its input ``x`` as the ``n1 x n2``
matrix ``A[i, j] = x[i * n2 + j]`` (one per *batch* line: the array's other
axes, flattened).  The workers go through two layouts of that matrix:

* *rows*: ``(lines, n1, n2)``, each process owning a block of rows (``n1``
  split evenly);
* *columns*: the transposed matrix ``(lines, n2, n1)``, each process owning a
  block of its rows, i.e. of the columns of ``A`` (``n2`` split evenly).

Both keep the axis each stage transforms contiguous in memory.  The result
``X[k1 + n1 * k2]`` ends up in the columns layout as ``C[k2, k1]``: process
``p`` owns the contiguous segment ``[k2_start * n1, k2_stop * n1)`` of ``X``.
"""

import math
from dataclasses import dataclass

from .maps import BlockMap, UndistributedMap


def four_step_factors(n, nprocs):
    """``(n1, n2)`` with ``n1 * n2 == n`` and both at least ``nprocs``, or None.

    Preferred: both factors divisible by ``nprocs`` (an even block input and
    output then need no shifting), then one of them, then factors close to
    ``sqrt(n)``.  None when no such split exists (``n`` prime, ``n < nprocs**2``).
    """
    best, best_score = None, None
    for n1 in range(nprocs, math.isqrt(n) + 1):
        if n % n1:
            continue
        for pair in ((n1, n // n1), (n // n1, n1)):
            score = (pair[0] % nprocs == 0 and pair[1] % nprocs == 0,
                     pair[1] % nprocs == 0, pair[0] % nprocs == 0, n1)
            if best_score is None or score > best_score:
                best, best_score = pair, score
    return best


def _even_bounds(size, parts):
    return BlockMap(size, parts).bounds


@dataclass(frozen=True)
class FourStep:
    """The four-step FFT of ``n1 * n2`` points along ``axis`` of an array on ``nprocs`` workers.

    Parameters
    ----------
    batch : tuple of int
        The sizes of the array's other axes (their product is the batch count).
    axis : int
        The transformed axis, in the input (and output) array.
    used : int
        How many input elements along ``axis`` are read; the rest of the ``n``
        points are zeros.
    n1, n2 : int
        The factors of the transform length.
    nprocs : int
        The number of workers.
    out_length : int
        The result's length along ``axis`` (the first points of the transform).
    """

    batch: tuple
    axis: int
    used: int
    n1: int
    n2: int
    nprocs: int
    out_length: int

    @property
    def n(self):
        return self.n1 * self.n2

    @property
    def lines(self):
        """How many 1-D transforms run side by side."""
        return math.prod(self.batch)

    def _along(self, axis_map):
        """n-D maps: the batch axes undistributed, ``axis_map`` on the transformed axis."""
        maps = [UndistributedMap(size) for size in self.batch]
        maps.insert(self.axis, axis_map)
        return tuple(maps)

    def input_maps(self):
        """Where the read input elements go: each process gets whole rows of the matrix."""
        bounds = [min(b * self.n2, self.used) for b in _even_bounds(self.n1, self.nprocs)]
        return self._along(BlockMap(self.used, self.nprocs, bounds))

    def row_maps(self):
        """``(lines, n1, n2)`` with the rows split over the processes."""
        return (UndistributedMap(self.lines), BlockMap(self.n1, self.nprocs),
                UndistributedMap(self.n2))

    def column_maps(self):
        """``(lines, n2, n1)`` (the transposed matrix) with its rows split over the processes."""
        return (UndistributedMap(self.lines), BlockMap(self.n2, self.nprocs),
                UndistributedMap(self.n1))

    def segment_maps(self):
        """Where the result elements are after the last transpose (see the module docstring)."""
        bounds = [min(b * self.n1, self.out_length)
                  for b in _even_bounds(self.n2, self.nprocs)]
        return self._along(BlockMap(self.out_length, self.nprocs, bounds))
