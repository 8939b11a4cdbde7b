"""Benchmark of distributed algorithms against NumPy on this machine.

Run: ``python bench/algorithms.py [--nworkers 2] [--size 2000] [--repeat 3]``.
Prints one table: each row times one operation of distarray (median wall time
of ``--repeat`` runs, the result left on the workers) next to NumPy in this
process with 1 and with 2 BLAS threads, and the ratio to the faster NumPy.
Every worker uses one BLAS thread, so N workers use N cores.

Add a benchmark by writing a function ``rows(ctx, args)`` that returns
:class:`Row` objects and listing it in ``SUITES``.

On processors where ``OPENBLAS_CORETYPE`` (or ``OPENBLAS_L2_SIZE``) is set in
the environment, OpenBLAS may pick slower kernels than it would choose itself;
to compare against a current NumPy, run this script with both unset (in that
command only), e.g. ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python
bench/algorithms.py``.
"""

import argparse
import os
from dataclasses import dataclass

import numpy as np
from foundation import warm_median_time

#: Workers get one BLAS thread each (read by OpenBLAS when the workers start).
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"

import distarray  # noqa: E402

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # NumPy's BLAS threads cannot be set: one column only
    threadpool_limits = None


def numpy_time(function, repeat, threads):
    """``median_time`` with NumPy's BLAS limited to ``threads`` threads (None: not settable)."""
    if threadpool_limits is None:
        return None
    with threadpool_limits(limits=threads, user_api="blas"):
        return warm_median_time(function, repeat)


@dataclass
class Row:
    """One line of the table: seconds of distarray and of NumPy (1 and 2 BLAS threads)."""

    name: str
    distarray: float
    numpy1: float | None = None
    numpy2: float | None = None
    target: str = ""

    def cells(self):
        def seconds(t):
            return "-" if t is None else "%.3f s" % t

        best = min((t for t in (self.numpy1, self.numpy2) if t is not None), default=None)
        ratio = "-" if best is None else "%.2fx" % (self.distarray / best)
        return [self.name, seconds(self.distarray), seconds(self.numpy1), seconds(self.numpy2),
                ratio, self.target]


def compare(name, distributed, local, repeat, target=""):
    """A Row timing ``distributed()`` and ``local()`` (NumPy with 1 and 2 BLAS threads)."""
    return Row(name, warm_median_time(distributed, repeat), numpy_time(local, repeat, 1),
               numpy_time(local, repeat, 2), target)


def print_table(title, rows):
    """Print rows as an aligned text table."""
    header = ["operation", "distarray", "NumPy 1 thr", "NumPy 2 thr", "vs best", "target"]
    lines = [header] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    print(title)
    for line in lines:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


# -- suites ---------------------------------------------------------------------------
def linalg_rows(ctx, args):
    """Matrix product, linear solve and determinant of ``size x size`` float64 matrices,
    and a stacked product of ``size / 8`` pairs of ``size / 16``-square matrices."""
    n, repeat = args.size, args.repeat
    rng = np.random.default_rng(0)
    x, y = rng.random((n, n)), rng.random((n, n))
    system = x + n * np.eye(n)
    rhs = rng.random(n)
    a, b, s = ctx.fromarray(x), ctx.fromarray(y), ctx.fromarray(system)
    assert np.allclose((a @ b).toarray(), x @ y)
    assert np.allclose(np.linalg.solve(s, rhs).toarray(), np.linalg.solve(system, rhs))
    assert np.allclose(np.linalg.slogdet(s), np.linalg.slogdet(system))
    m = n // 16
    u, v = rng.random((n // 8, m, m)), rng.random((n // 8, m, m))
    su, sv = ctx.fromarray(u), ctx.fromarray(v)
    assert np.allclose((su @ sv).toarray(), u @ v)
    return [
        compare("matmul %dx%d float64" % (n, n), lambda: a @ b, lambda: x @ y, repeat,
                "<= 1.1x NumPy 2 threads"),
        compare("solve %dx%d float64" % (n, n), lambda: np.linalg.solve(s, rhs),
                lambda: np.linalg.solve(system, rhs), repeat),
        compare("slogdet %dx%d float64" % (n, n), lambda: np.linalg.slogdet(s),
                lambda: np.linalg.slogdet(system), repeat),
        compare("matmul %dx%dx%d stack" % u.shape, lambda: su @ sv, lambda: u @ v, repeat),
    ]


def stencil_step(u):
    """One explicit 5-point diffusion step on the interior, written with NumPy slices."""
    return u[1:-1, 1:-1] + 0.2 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:]
                                  - 4 * u[1:-1, 1:-1])


def _grown_step(piece):
    """The step on a piece grown by one cell (same shape: the edge cells are left as they are)."""
    out = piece.copy()
    out[1:-1, 1:-1] = stencil_step(piece)
    return out


def dask_threads_time(data, chunks, functions, repeat):
    """Seconds of each ``function(dask_array)`` persisted with Dask threads (None: no Dask)."""
    try:
        import dask
        import dask.array as da
    except ImportError:
        return [None] * len(functions)
    with dask.config.set(scheduler="threads"):
        x = da.from_array(data, chunks=chunks).persist()
        return [warm_median_time(lambda f=f: f(x).persist(), repeat) for f in functions]


def stencil_rows(ctx, args):
    """A 5-point stencil step on ``stencil_size`` squared float64, two ways, vs NumPy and Dask."""
    n, repeat = args.stencil_size, args.repeat
    data = np.random.default_rng(1).random((n, n))
    u = ctx.fromarray(data)
    fused_step = distarray.fuse(stencil_step)
    assert np.allclose(stencil_step(u).toarray(), stencil_step(data))
    assert np.allclose(fused_step(u).toarray(), stencil_step(data))
    assert np.allclose(u.map_overlap(_grown_step, 1).toarray()[1:-1, 1:-1], stencil_step(data))
    chunks = (-(-n // ctx.nworkers), n)
    dask_slices, dask_overlap = dask_threads_time(
        data, chunks, [stencil_step, lambda x: x.map_overlap(_grown_step, depth=1,
                                                             boundary="reflect")], repeat)

    def note(t):
        return "<= 0.7x" + ("" if t is None else "; Dask threads %.3f s" % t)

    return [
        compare("5-point stencil %dx%d, slicing form" % (n, n), lambda: stencil_step(u),
                lambda: stencil_step(data), repeat, note(dask_slices)),
        compare("5-point stencil %dx%d, slicing form, fuse" % (n, n), lambda: fused_step(u),
                lambda: stencil_step(data), repeat, note(dask_slices)),
        compare("5-point stencil %dx%d, map_overlap" % (n, n),
                lambda: u.map_overlap(_grown_step, 1), lambda: _grown_step(data), repeat,
                note(dask_overlap)),
    ]


def _row_spread(row):
    return row.max() - row.min()


def signal_rows(ctx, args):
    """A 5-tap ``convolve`` of ``stencil_size**2 / 4`` float64 (boundary cells move), and
    ``apply_along_axis`` of a Python function over ``stencil_size`` rows of 100."""
    n, repeat = args.stencil_size ** 2 // 4, args.repeat
    signal, kernel = np.random.default_rng(2).random(n), np.array([1, -4, 6, -4, 1.0])
    d = ctx.fromarray(signal)
    assert np.allclose(np.convolve(d, kernel, "same").toarray(), np.convolve(signal, kernel,
                                                                             "same"))
    rows = np.random.default_rng(3).random((args.stencil_size, 100))
    r = ctx.fromarray(rows)
    assert np.allclose(np.apply_along_axis(_row_spread, 1, r).toarray(),
                       np.apply_along_axis(_row_spread, 1, rows))
    return [
        compare("convolve %d x 5 taps, 'same'" % n, lambda: np.convolve(d, kernel, "same"),
                lambda: np.convolve(signal, kernel, "same"), repeat),
        compare("apply_along_axis, %d rows of 100" % len(rows),
                lambda: np.apply_along_axis(_row_spread, 1, r),
                lambda: np.apply_along_axis(_row_spread, 1, rows), repeat),
    ]


#: Every suite: a function ``(ctx, args) -> list of Row``.
SUITES = [linalg_rows, stencil_rows, signal_rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nworkers", type=int, default=2)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--stencil-size", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if any(os.environ.get(v) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")):
        print("hint: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; unset them in this command to "
              "compare against NumPy's own choice of kernels")
    if threadpool_limits is None:
        print("hint: pip install threadpoolctl to time NumPy with 1 and 2 BLAS threads")
    rows = []
    with distarray.Context(args.nworkers) as ctx:
        for suite in SUITES:
            rows += suite(ctx, args)
    print_table("distarray algorithms, %d workers, %d cores (median of %d)"
                % (args.nworkers, os.cpu_count(), args.repeat), rows)


if __name__ == "__main__":
    main()
