"""The ``distarray`` command line.

* ``distarray demo``: build and compute a distributed array on local workers;
* ``distarray info``: versions, MPI library, cores, and a health check;
* ``distarray run -n N script.py [args]``: run a script in batch mode
  (``mpiexec -n N+1 python script.py``: rank 0 is the client, the others workers);
* ``distarray bench``: run the benchmark scripts under ``bench/`` and print their tables.
"""

import argparse
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: Optional packages reported by ``distarray info``.
OPTIONAL_PACKAGES = ("h5py", "zarr", "matplotlib", "tqdm")
#: The repository's benchmark directory (present in a source checkout).
BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


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


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def info(nworkers=2):
    """Print versions, the MPI library, cores, and the result of a health check."""
    import mpi4py
    import numpy as np
    from mpi4py import MPI

    import distarray
    from distarray.runtime.launch import mpiexec_path

    rows = [("distarray", distarray.__version__),
            ("python", "%s (%s)" % (platform.python_version(), sys.executable)),
            ("numpy", np.__version__), ("mpi4py", mpi4py.__version__),
            ("MPI library", " ".join(MPI.Get_library_version().split("\n")[0].split())),
            ("MPI standard", "%d.%d" % MPI.Get_version()), ("mpiexec", mpiexec_path()),
            ("cores", "%d (%d usable)" % (os.cpu_count(), len(os.sched_getaffinity(0))))]
    rows += [(name, _version(name)) for name in OPTIONAL_PACKAGES]
    for name, value in rows:
        print("%-13s %s" % (name, value))
    started = time.perf_counter()
    with distarray.Context(nworkers) as ctx:
        ready = time.perf_counter() - started
        times = []
        for _ in range(50):
            t = time.perf_counter()
            pids = ctx.apply(os.getpid)
            times.append(time.perf_counter() - t)
        total = distarray.arange(1000, context=ctx).toarray().sum()
    healthy = len(set(pids)) == nworkers and total == 499500
    print("%-13s %s: %d workers started in %.2f s, command round trip %.0f us, stopped"
          % ("health check", "OK" if healthy else "FAILED", nworkers, ready,
             statistics.median(times) * 1e6))
    return 0 if healthy else 1


def _environment():
    """This environment without the MPI launcher's variables (a run starts a new job)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "PMIX_"))}


def run(nworkers, script, args):
    """Run ``script`` under this installation's mpiexec with ``nworkers`` workers."""
    from distarray.runtime.launch import mpiexec_path

    command = [mpiexec_path(), "-n", str(nworkers + 1), sys.executable, script, *args]
    return subprocess.run(command, env=_environment()).returncode


def bench(directory=BENCH_DIR, names=()):
    """Run the benchmark scripts of ``directory`` (all, or those named) and print their output."""
    from distarray import progress

    scripts = sorted(Path(directory).glob("*.py"))
    if names:
        scripts = [s for s in scripts if s.stem in names or s.name in names]
    if not scripts:
        print("no benchmark scripts%s in %s" % (" named %s" % ", ".join(names) if names else "",
                                                directory), file=sys.stderr)
        return 1
    failed = []
    for script in progress.iterate(scripts, "benchmarks"):
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        print("== %s (%s)" % (script.name, "ok" if done.returncode == 0 else
                                "exit code %d" % done.returncode))
        print(done.stdout + done.stderr, end="" if done.stdout.endswith("\n") else "\n",
              flush=True)
        if done.returncode:
            failed.append(script.name)
    return 1 if failed else 0


def main(argv=None):
    """Entry point of the ``distarray`` command."""
    parser = argparse.ArgumentParser(prog="distarray", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_demo = commands.add_parser("demo", help="run the demo on local workers")
    run_demo.add_argument("-n", "--nworkers", type=int, default=None)
    run_demo.add_argument("--size", type=int, default=4000, help="side of the square array")
    show_info = commands.add_parser("info", help="versions, MPI, cores and a health check")
    show_info.add_argument("-n", "--nworkers", type=int, default=2,
                           help="workers started by the health check")
    run_script = commands.add_parser("run", help="run a script in batch mode under mpiexec")
    run_script.add_argument("-n", "--nworkers", type=int, required=True)
    run_script.add_argument("script")
    run_script.add_argument("args", nargs=argparse.REMAINDER, help="the script's arguments")
    run_bench = commands.add_parser("bench", help="run the benchmarks under bench/")
    run_bench.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    run_bench.add_argument("--dir", default=str(BENCH_DIR), help="directory of the scripts")
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo(args.nworkers, args.size)
        return 0
    if args.command == "info":
        return info(args.nworkers)
    if args.command == "run":
        if args.nworkers < 1:
            parser.error("run needs at least one worker (-n 1)")
        return run(args.nworkers, args.script, args.args)
    return bench(args.dir, args.names)


if __name__ == "__main__":
    sys.exit(main())
