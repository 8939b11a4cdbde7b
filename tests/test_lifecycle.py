"""Lifetimes: no key, object or communicator leaks; batch mode under mpiexec."""

import gc
import os
import subprocess
import sys
import time

import numpy as np

import distarray
from distarray.runtime.launch import mpiexec_path, process_alive
from distarray.runtime.messages import REGISTRY, Ref


def _registry_sizes(ctx):
    pool = ctx.pool
    return pool.run("apply", pool.ship(len), (Ref(REGISTRY),), {}, targets=ctx.targets)


def test_no_leak_after_5000_create_delete_cycles(contexts):
    ctx = contexts[2]
    distarray.zeros((3, 3), context=ctx)  # warm-up: creates the communicator for this grid
    gc.collect()
    before = _registry_sizes(ctx)
    carts = len(ctx._carts)
    for i in range(5000):
        a = distarray.zeros((3, 3), context=ctx) if i % 2 else ctx.fromarray(np.ones((3, 3)))
        del a
    gc.collect()
    after = _registry_sizes(ctx)  # this command also carries the last freed keys
    assert after == before
    assert len(ctx._carts) == carts


def test_freed_keys_do_not_disturb_live_arrays(ctx):
    keep = ctx.fromarray(np.arange(12.0).reshape(3, 4))
    for _ in range(20):
        ctx.zeros((3, 4))
    gc.collect()
    np.testing.assert_array_equal(keep.toarray(), np.arange(12.0).reshape(3, 4))


BATCH_SCRIPT = """
import os, sys
import numpy as np
import distarray
from mpi4py import MPI
assert MPI.COMM_WORLD.Get_rank() == 0, "only the client runs the script"
ctx = distarray.Context()
print("workers", ctx.nworkers, ctx.pool.mode)
a = distarray.fromarray(np.arange(10.0), dist="c")
print("sum", sum(ctx.apply(lambda la: float(la.ndarray.sum()), (a,))))
print("pieces", a.localshapes())
"""


def test_batch_mode_under_mpiexec(tmp_path):
    script = tmp_path / "batch.py"
    script.write_text(BATCH_SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "DISTARRAY_"))}
    done = subprocess.run([mpiexec_path(), "-n", "3", sys.executable, str(script)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "workers 2 batch" in done.stdout
    assert "sum 45.0" in done.stdout
    assert "pieces [(5,), (5,)]" in done.stdout


SPAWN_SCRIPT = """
import os
import distarray
ctx = distarray.Context(2, launcher="spawn")
print(*ctx.apply(os.getpid))
print(distarray.arange(10, context=ctx).toarray().sum())
"""


def test_spawn_launcher_and_exit(tmp_path):
    script = tmp_path / "spawned.py"
    script.write_text(SPAWN_SCRIPT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    pids, total = done.stdout.splitlines()
    assert total == "45"
    deadline = time.monotonic() + 20
    while any(process_alive(int(p)) for p in pids.split()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(process_alive(int(p)) for p in pids.split())
