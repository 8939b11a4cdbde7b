"""The ``distarray`` command line: ``distarray demo`` runs the main job."""

import argparse
import sys
import time


def demo(nworkers=None, n=4000):
    """Start local workers, build a distributed array, compute, print results and times."""
    import numpy as np

    import distarray

    started = time.perf_counter()
    with distarray.Context(nworkers) as ctx:
        ready = time.perf_counter()
        print("started %d workers in %.2f s (%s mode)" % (ctx.nworkers, ready - started,
                                                          ctx.pool.mode))

        def wave(i, j):
            return np.sin(i / 97.0) * np.cos(j / 89.0)

        t = time.perf_counter()
        a = ctx.fromfunction(wave, (n, n))
        built = time.perf_counter() - t
        print("built %r in %.3f s" % (a, built))
        print("local shapes:", a.localshapes())

        # Act locally: each worker sums its own piece; the client adds n partial sums.
        t = time.perf_counter()
        total = sum(ctx.apply(lambda piece: float(piece.ndarray.sum()), (a,)))
        local_time = time.perf_counter() - t

        t = time.perf_counter()
        gathered = a.toarray()
        gather_time = time.perf_counter() - t

        t = time.perf_counter()
        reference = np.fromfunction(wave, (n, n))
        expected = reference.sum()
        numpy_time = time.perf_counter() - t
        print("sum over the pieces = %.6f (NumPy on one process: %.6f)" % (total, expected))
        print("timings: distributed build %.3f s, per-piece sums %.4f s, gather %.3f s "
              "(%.2f GB/s), NumPy build+sum %.3f s"
              % (built, local_time, gather_time, gathered.nbytes / gather_time / 1e9, numpy_time))
        if not (np.isclose(total, expected) and np.array_equal(gathered, reference)):
            raise SystemExit("the distributed result differs from NumPy's")
    print("done in %.2f s" % (time.perf_counter() - started))


def main(argv=None):
    """Entry point of the ``distarray`` command."""
    parser = argparse.ArgumentParser(prog="distarray", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_demo = commands.add_parser("demo", help="run the demo on local workers")
    run_demo.add_argument("-n", "--nworkers", type=int, default=None)
    run_demo.add_argument("--size", type=int, default=4000, help="side of the square array")
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo(args.nworkers, args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
