"""Benchmark of array semantics: elementwise, reductions, small-array latency.

Run: ``python bench/semantics.py [--nworkers 2] [--size 4000]``.  Prints one
table: distarray with N workers against single-process NumPy and, when
``dask[distributed]`` is installed, Dask with threads and a LocalCluster of N
single-threaded worker processes (data persisted).  Every number is measured
in this run on this machine (median wall time); ratios are time / NumPy's time
(below 1 is faster than NumPy).
"""

import argparse
import os
import statistics
import time

import numpy as np

import distarray
from foundation import warm_median_time as median_time


#: The same expressions under :func:`distarray.fuse` (plain calls on other arrays).
_fused_axpy = distarray.fuse(lambda a, b: a * b + 1)
_fused_tiny = distarray.fuse(lambda x: (x + 1).sum())


def cases(a, b, x, module):
    """The benchmarked operations on big arrays ``a``, ``b`` and the small array ``x``."""
    return [
        ("c = a*b + 1", lambda: a * b + 1),
        ("c = a*b + 1, fuse", lambda: _fused_axpy(a, b)),
        ("a.sum()", lambda: module.sum(a)),
        ("a.sum(axis=0)", lambda: module.sum(a, axis=0)),
        ("a.std()", lambda: module.std(a)),
        ("(x + 1).sum(), x 10x10", lambda: module.sum(x + 1)),
        ("(x + 1).sum(), fuse", lambda: _fused_tiny(x)),
    ]


def timed_with_release(function, release, repeat):
    """Median time of ``function()``; ``release([result])`` (untimed) drops each result."""
    release([function()])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        holder = [function()]
        times.append(time.perf_counter() - start)
        release(holder)
    return statistics.median(times)


def dask_columns(data, other, small, nworkers, repeat):
    """Times with Dask threads and a Dask LocalCluster (None where Dask is missing).

    Elementwise results stay distributed (``persist``), as distarray's do;
    reductions are computed to the client.
    """
    try:
        import dask
        import dask.array as da
        from dask.distributed import Client, LocalCluster, futures_of, wait
    except ImportError:
        return None, None
    chunks = (-(-data.shape[0] // nworkers), data.shape[1])

    def timings(persist, release):
        a = persist(da.from_array(data, chunks=chunks))
        b = persist(da.from_array(other, chunks=chunks))
        x = persist(da.from_array(small, chunks=small.shape))
        results = []
        for name, op in cases(a, b, x, da):
            if name.startswith("c ="):
                results.append(timed_with_release(lambda op=op: persist(op()), release, repeat))
            else:
                big = not name.startswith("(x")
                results.append(median_time(lambda op=op: op().compute(), repeat if big else 50))
        return results

    with dask.config.set(scheduler="threads", num_workers=nworkers):
        threads = timings(lambda r: r.persist(), list.clear)
    with LocalCluster(n_workers=nworkers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        def persist(array):
            array = client.persist(array)
            wait(array)
            return array

        def release(holder):
            """Forget a result on the workers, so that the next run computes it again."""
            keys = [f.key for f in futures_of(holder[0])]
            holder.clear()
            while any(client.who_has(keys).values()):
                time.sleep(0.005)

        distributed = timings(persist, release)
    return threads, distributed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nworkers", type=int, default=2)
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask columns")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    data = rng.random((args.size, args.size))
    other = rng.random((args.size, args.size))
    small = rng.random((10, 10))

    numpy_times = []
    for name, op in cases(data, other, small, np):
        big = not name.startswith("(x")
        numpy_times.append(median_time(op, args.repeat if big else 2000))

    with distarray.Context(args.nworkers) as ctx:
        a, b, x = ctx.fromarray(data), ctx.fromarray(other), ctx.fromarray(small)
        np.testing.assert_allclose(a.std(), data.std(), rtol=1e-12)
        np.testing.assert_allclose(a.sum(axis=0).toarray(), data.sum(axis=0), rtol=1e-12)
        ours = []
        for name, op in cases(a, b, x, distarray):
            big = not name.startswith("(x")
            ours.append(median_time(op, args.repeat if big else 500))

    threads = distributed = None
    if not args.no_dask:
        threads, distributed = dask_columns(data, other, small, args.nworkers, args.repeat)
    skipped = "--no-dask" if args.no_dask else "dask[distributed] is not installed"

    def cell(t, reference):
        if t is None:
            return "%22s" % "-"
        unit, scale = ("ms", 1e3) if t >= 1e-3 else ("us", 1e6)
        return "%9.2f %s (%5.2fx)" % (t * scale, unit, t / reference)

    print("distarray semantics benchmark: %dx%d float64, %d workers, %d cores"
          % (args.size, args.size, args.nworkers, os.cpu_count()))
    header = ["operation", "NumPy", "distarray", "Dask threads", "Dask LocalCluster"]
    print("  %-24s %14s %22s %22s %22s" % tuple(header))
    for k, (name, _) in enumerate(cases(None, None, None, np)):
        row = [ours[k], None if threads is None else threads[k],
               None if distributed is None else distributed[k]]
        reference = numpy_times[k]
        unit, scale = ("ms", 1e3) if reference >= 1e-3 else ("us", 1e6)
        print("  %-24s %11.2f %s %s" % (name, reference * scale, unit,
                                        " ".join(cell(t, reference) for t in row)))
    if threads is None:
        print("  (Dask columns skipped: %s)" % skipped)
    print("  ratio = time / NumPy's time; target: a.sum() <= 0.6x with 2 workers")


if __name__ == "__main__":
    main()
