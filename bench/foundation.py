"""Benchmark of the foundation: command latency, creation, transfers, idle CPU.

Run: ``python bench/foundation.py [--nworkers 2]``.  Prints one table; every
number is measured in this run on this machine.
"""

import argparse
import os
import statistics
import time

import numpy as np

import distarray


def median_time(function, repeat):
    """Median wall time of ``function()`` over ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_median_time(function, repeat):
    """Median wall time of ``function()`` over ``repeat`` calls, after one warm-up call."""
    function()
    return median_time(function, repeat)


def cpu_seconds(pid):
    """User + system CPU seconds used so far by process ``pid``."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nworkers", type=int, default=2)
    parser.add_argument("--size", type=int, default=4000)
    args = parser.parse_args()
    rows = []
    with distarray.Context(args.nworkers) as ctx:
        pool = ctx.pool
        pool.run("keep", None)
        noop = median_time(lambda: pool.run("keep", None), 1000)
        rows.append(("no-op command round trip", "%.1f us" % (noop * 1e6), "target <= 50 us"))

        zeros = median_time(lambda: ctx.zeros((10, 10)), 300)
        rows.append(("zeros((10, 10))", "%.1f us" % (zeros * 1e6), ""))

        data = np.random.default_rng(0).random((args.size, args.size))
        gb = data.nbytes / 1e9
        copy = median_time(lambda: data.copy(), 5)
        rows.append(("NumPy copy of %dx%d float64 (reference)" % data.shape,
                     "%.2f GB/s" % (gb / copy), ""))
        scatter = median_time(lambda: ctx.fromarray(data), 5)
        rows.append(("fromarray %dx%d float64" % data.shape, "%.2f GB/s" % (gb / scatter),
                     "target >= 3 GB/s"))
        d = ctx.fromarray(data)
        gather = median_time(d.toarray, 5)
        rows.append(("toarray %dx%d float64" % data.shape, "%.2f GB/s" % (gb / gather),
                     "target >= 3 GB/s"))
        assert np.array_equal(d.toarray(), data)

        pids = ctx.apply(os.getpid)
        before = [cpu_seconds(p) for p in pids]
        time.sleep(3.0)
        after = [cpu_seconds(p) for p in pids]
        idle = max(a - b for a, b in zip(after, before)) / 3.0 * 100
        rows.append(("idle CPU per worker (max over workers, 3 s)", "%.2f %%" % idle,
                     "target < 3 %"))

    width = max(len(r[0]) for r in rows)
    print("distarray foundation benchmark, %d workers, %d cores" % (args.nworkers, os.cpu_count()))
    for name, value, target in rows:
        print("  %-*s  %12s   %s" % (width, name, value, target))


if __name__ == "__main__":
    main()
