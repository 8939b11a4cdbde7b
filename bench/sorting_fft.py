"""Benchmark of sorting and FFTs: distarray (2 workers) vs NumPy, and Dask if it imports.

Run: ``python bench/sorting_fft.py [--nworkers 2] [--sort-size 20000000] [--fft-size 4096]
[--fft1d-log2 24]``.
Prints one table; every number is measured in this run on this machine.  The
distarray times include the command round trips, not the creation of the
input (the input already lives on the workers).  ``ratio`` is distarray's
time over NumPy's (target for the sort: <= 0.8).
"""

import argparse
import statistics
import time

import numpy as np

import distarray
import distarray.fft


def interleaved(functions, repeat):
    """Median wall time of each of ``functions``, timed in turn ``repeat`` times.

    Taking turns keeps the contenders under the same machine load.
    """
    times = [[] for _ in functions]
    for _ in range(repeat):
        for function, spent in zip(functions, times):
            start = time.perf_counter()
            function()
            spent.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def dask_fft2(grid):
    """A Dask (threads) 2-D FFT: row slabs, rechunk, column slabs (None without Dask)."""
    try:
        import dask.array as dsk
    except ImportError:
        return None
    half = grid.shape[0] // 2
    rows = dsk.from_array(grid, chunks=(half, -1))
    return lambda: dsk.fft.fft(dsk.fft.fft(rows, axis=1).rechunk((-1, half)), axis=0).compute()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nworkers", type=int, default=2)
    parser.add_argument("--sort-size", type=int, default=20_000_000)
    parser.add_argument("--fft-size", type=int, default=4096)
    parser.add_argument("--fft1d-log2", type=int, default=24,
                        help="the 1-D FFT has 2**FFT1D_LOG2 points")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    data = rng.random(args.sort_size)
    n = args.fft_size
    grid = rng.random((n, n)) + 1j * rng.random((n, n))
    rows = []
    with distarray.Context(args.nworkers) as ctx:
        d = ctx.fromarray(data)
        distarray.sort(d)  # warm up (layouts, communicators)
        numpy_sort, ours = interleaved([lambda: np.sort(data), lambda: distarray.sort(d)],
                                       args.repeat)
        rows.append(("sort %d float64" % data.size, numpy_sort, ours, None, "target <= 0.8"))
        numpy_argsort, ours_argsort = interleaved(
            [lambda: np.argsort(data, kind="stable"), lambda: distarray.argsort(d)], 1)
        rows.append(("argsort (stable) %d float64" % data.size, numpy_argsort, ours_argsort,
                     None, ""))
        d = None  # free the sorted input before the FFT rows
        g = ctx.fromarray(grid)
        distarray.fft.fft2(g)
        contenders = [lambda: np.fft.fft2(grid), lambda: distarray.fft.fft2(g)]
        dask = dask_fft2(grid)
        times = interleaved(contenders + ([dask] if dask else []), args.repeat)
        rows.append(("fft2 %dx%d complex128" % grid.shape, times[0], times[1],
                     times[2] if dask else None, "result left column-slabbed"))
        g = grid = None  # free the 2-D input before the 1-D FFT row
        signal = rng.random(2 ** args.fft1d_log2) + 1j * rng.random(2 ** args.fft1d_log2)
        s = ctx.fromarray(signal)
        distarray.fft.fft(s)  # warm up (layouts, communicators)
        numpy_fft, ours_fft = interleaved([lambda: np.fft.fft(signal),
                                           lambda: distarray.fft.fft(s)], args.repeat)
        rows.append(("fft 2^%d complex128 1-D" % args.fft1d_log2, numpy_fft, ours_fft, None,
                     "four-step, even block result"))
    print("%-34s %10s %12s %8s %10s  %s" % ("operation (%d workers)" % args.nworkers, "NumPy s",
                                           "distarray s", "ratio", "Dask s", "note"))
    for name, base, mine, dask_time, note in rows:
        dask_text = "%.3f" % dask_time if dask_time is not None else "-"
        print("%-34s %10.3f %12.3f %8.2f %10s  %s" % (name, base, mine, mine / base, dask_text,
                                                      note))
    print("Dask has no distributed sort; its FFT needs one chunk along the transformed axis "
          "(row slabs, rechunk, column slabs).")


if __name__ == "__main__":
    main()
