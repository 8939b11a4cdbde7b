"""Benchmark of data movement by indexing and redistribution, against NumPy (and Dask).

Run: ``python bench/indexing.py [--nworkers 2] [--size 4000] [--length 4000000]``.
Prints one table: wall times (median of a few runs) of distarray with ``nworkers``
workers, of one NumPy process, and of Dask (threaded scheduler, as many threads as
workers, same chunks as distarray's pieces; the results are persisted, not gathered)
when ``dask`` is importable, with the ratios to NumPy.  Every number is measured in
this run on this machine.

* ``a.T`` brought to row blocks: ``a.T.redistribute(default)``, an all-to-all;
* fancy indexing: ``v[idx]`` with ``idx`` random (with repeats), a NumPy array
  and a DistArray (Dask: a Dask array);
* boolean mask selection: ``v[v_mask]`` with a distributed mask;
* ``redistribute`` of a square array from row blocks to column blocks (the
  rate is the array's bytes / wall time / workers).
"""

import argparse
import importlib.util
import warnings

import numpy as np
from foundation import median_time  # this directory is on sys.path

import distarray
from distarray import Distribution

#: Runs of each measurement (the median is shown).
REPEAT = 5


def dask_cases(nworkers, square, vector, index, mask):
    """The same operations with dask.array, or {} when Dask is not installed."""
    if importlib.util.find_spec("dask") is None:
        return {}
    import dask
    import dask.array as da

    dask.config.set(scheduler="threads", num_workers=nworkers)
    warnings.simplefilter("ignore", da.PerformanceWarning)
    rows = (-(-square.shape[0] // nworkers), square.shape[1])
    cols = (square.shape[0], -(-square.shape[1] // nworkers))
    pieces = -(-len(vector) // nworkers)
    dsquare = da.from_array(square, chunks=rows).persist()
    dvector = da.from_array(vector, chunks=pieces).persist()
    dmask = da.from_array(mask, chunks=pieces).persist()
    dindex = da.from_array(index, chunks=-(-len(index) // nworkers)).persist()
    return {
        "transpose": lambda: dsquare.T.rechunk(rows).persist(),
        "fancy": lambda: dvector[index].persist(),
        "fancy_distributed": lambda: dvector[dindex].persist(),
        "mask": lambda: dvector[dmask].persist(),
        "rows_to_cols": lambda: dsquare.rechunk(cols).persist(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nworkers", type=int, default=2)
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--length", type=int, default=4_000_000)
    parser.add_argument("--picks", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    square = rng.random((args.size, args.size))
    vector = rng.random(args.length)
    index = rng.integers(0, args.length, args.picks)
    mask = vector > 0.5
    shape = square.shape

    with distarray.Context(args.nworkers) as ctx:
        a = ctx.fromarray(square, dist="b")
        v = ctx.fromarray(vector)
        vmask = ctx.fromarray(mask, v.distribution)
        vindex = ctx.fromarray(index)
        rows = ctx.default_distribution(shape)
        cols = Distribution(ctx, shape, dist=("n", "b"))
        assert np.array_equal(a.T.redistribute(rows).toarray(), square.T)
        assert np.array_equal(v[index].toarray(), vector[index])
        assert np.array_equal(v[vindex].toarray(), vector[index])
        assert np.array_equal(v[vmask].toarray(), vector[mask])
        assert np.array_equal(a.redistribute(cols).toarray(), square)
        cases = [
            ("transpose", "a.T redistributed to row blocks, %dx%d float64" % shape,
             lambda: np.ascontiguousarray(square.T), lambda: a.T.redistribute(rows)),
            ("fancy", "v[idx], %d random of (%d,) float64" % (args.picks, args.length),
             lambda: vector[index], lambda: v[index]),
            ("fancy_distributed", "v[idx], the same idx distributed",
             lambda: vector[index], lambda: v[vindex]),
            ("mask", "v[mask], (%d,) float64, %d%% True" % (args.length, 100 * mask.mean()),
             lambda: vector[mask], lambda: v[vmask]),
            ("rows_to_cols", "redistribute rows -> columns, %dx%d float64 (NumPy: copy)"
             % shape, lambda: square.copy(), lambda: a.redistribute(cols)),
        ]
        dask = dask_cases(args.nworkers, square, vector, index, mask)
        results = []
        for key, label, numpy_call, distarray_call in cases:
            numpy_time = median_time(numpy_call, REPEAT)
            ours = median_time(distarray_call, REPEAT)
            theirs = median_time(dask[key], REPEAT) if key in dask else None
            results.append((key, label, numpy_time, ours, theirs))

    header = "%-62s %10s %12s %8s" % ("operation", "NumPy", "distarray", "/NumPy")
    if dask:
        header += " %10s %8s" % ("Dask", "/NumPy")
    print("distarray indexing benchmark, %d workers (times in ms, median of %d)"
          % (args.nworkers, REPEAT))
    print(header)
    for _, label, numpy_time, ours, theirs in results:
        line = "%-62s %10.1f %12.1f %8.2f" % (label, numpy_time * 1e3, ours * 1e3,
                                              ours / numpy_time)
        if theirs is not None:
            line += " %10.1f %8.2f" % (theirs * 1e3, theirs / numpy_time)
        print(line)
    moved = next(r for r in results if r[0] == "rows_to_cols")[3]
    print("redistribute rows -> columns: %.2f GB/s per worker (array bytes / time / workers)"
          % (square.nbytes / moved / args.nworkers / 1e9))


if __name__ == "__main__":
    main()
