"""Starting workers and joining them to the client.

Every launch mode produces the same pair: an intercommunicator between the
client (alone in its group) and the N workers, and on the workers an
intracommunicator among themselves (DESIGN §1).
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from ..errors import LaunchError

#: Environment variable marking a process started as an interactive worker.
ROLE_VARIABLE = "DISTARRAY_ROLE"
#: Environment variable choosing the launcher ('interactive', 'batch', 'spawn').
LAUNCHER_VARIABLE = "DISTARRAY_LAUNCHER"
#: Environment variable overriding the default number of workers.
NWORKERS_VARIABLE = "DISTARRAY_NWORKERS"

_MPI_SIZE_VARIABLES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS",
                       "SLURM_NTASKS")


@dataclass
class Connection:
    """The client's side of a launched set of workers."""

    inter: object
    mode: str
    process: subprocess.Popen | None = None

    @property
    def nworkers(self):
        return self.inter.Get_remote_size()


def default_nworkers():
    """Workers to start when none is asked for: the usable cores, at least 2."""
    value = os.environ.get(NWORKERS_VARIABLE)
    if value:
        return int(value)
    return max(2, len(os.sched_getaffinity(0)))


def _started_as_worker():
    """Whether this process is an interactive or spawned worker (not a batch rank)."""
    argv = sys.orig_argv
    started = any(argv[i:i + 2] == ["-m", "distarray.worker"] for i in range(len(argv)))
    return started or os.environ.get(ROLE_VARIABLE) == "worker"


def under_mpi_launcher():
    """Whether this process was started by mpiexec/srun with more than one rank."""
    if _started_as_worker():
        return False
    for name in _MPI_SIZE_VARIABLES:
        try:
            if int(os.environ.get(name, "1")) > 1:
                return True
        except ValueError:
            continue
    return False


def default_mode():
    """The launcher to use: the environment's choice, else batch under mpiexec."""
    mode = os.environ.get(LAUNCHER_VARIABLE)
    if mode:
        return mode
    return "batch" if under_mpi_launcher() else "interactive"


def mpiexec_path():
    """Absolute path of the mpiexec that belongs to this Python's MPI."""
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    if os.access(beside, os.X_OK):
        return beside
    found = shutil.which("mpiexec")
    if found is None:
        raise LaunchError("no mpiexec found beside %s or on PATH" % sys.executable)
    return found


#: Thread-pool variables of BLAS/OpenMP libraries: one thread per worker process, as
#: the workers themselves use the cores (a variable the user set is kept).
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def worker_environment():
    """The environment of launched workers."""
    env = dict(os.environ, **{ROLE_VARIABLE: "worker"})
    for name in _THREAD_VARIABLES:
        env.setdefault(name, "1")
    return env


def _die_with_parent():
    """In the child before exec: get SIGTERM when the client dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def launch(nworkers, mode=None, timeout=60.0):
    """Start (or attach to) workers and return the client's :class:`Connection`.

    Parameters
    ----------
    nworkers : int
        Number of workers (in batch mode: at most the ranks available).
    mode : {'interactive', 'batch', 'spawn'}, optional
        Defaults to :func:`default_mode`.
    timeout : float
        Seconds to wait for the workers to connect.
    """
    mode = mode or default_mode()
    if mode == "interactive":
        return _launch_interactive(nworkers, timeout)
    if mode == "batch":
        return _attach_batch()
    if mode == "spawn":
        return _launch_spawn(nworkers)
    raise ValueError("unknown launcher %r (expected 'interactive', 'batch' or 'spawn')" % mode)


def _launch_interactive(nworkers, timeout):
    from mpi4py import MPI

    port = MPI.Open_port()
    ready = tempfile.NamedTemporaryFile(prefix="distarray-ready-", delete=False)
    ready.close()
    os.unlink(ready.name)
    command = [mpiexec_path(), "-n", str(nworkers), sys.executable, "-m",
               "distarray.worker", port, str(os.getpid()), ready.name]
    env = worker_environment()
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                               start_new_session=True, preexec_fn=_die_with_parent)
    accepted = {}

    def accept():
        accepted["inter"] = MPI.COMM_SELF.Accept(port)

    # Accept spins inside MPICH: start it only once the workers are about to connect.
    thread = threading.Thread(target=accept, name="distarray-accept", daemon=True)
    deadline = time.monotonic() + timeout
    failure = None
    try:
        while failure is None:
            if thread.ident is None:
                if os.path.exists(ready.name):
                    thread.start()
                else:
                    time.sleep(0.002)
            else:
                thread.join(0.005)
                if not thread.is_alive():
                    break
            if process.poll() is not None:
                failure = "the workers exited with code %s before connecting" % process.returncode
            elif time.monotonic() > deadline:
                failure = "the workers did not connect within %g s" % timeout
    except BaseException:
        failure = "interrupted"
        raise
    finally:
        if failure is not None:
            _abandon(process, port, thread, accepted)
        MPI.Close_port(port)
        if os.path.exists(ready.name):
            os.unlink(ready.name)
    if failure is not None:
        raise LaunchError(failure + " (%s)" % " ".join(command))
    return Connection(accepted["inter"], "interactive", process)


#: A process that connects to a port and leaves at once (to end a pending Accept).
_CONNECT_ONCE = ("import sys; from mpi4py import MPI; "
                 "MPI.COMM_SELF.Connect(sys.argv[1]).Disconnect()")


def _abandon(process, port, thread, accepted):
    """Kill a failed start and release the thread blocked in ``Accept``.

    ``Accept`` cannot be cancelled (and connecting to one's own port hangs in
    MPICH), so a short-lived MPI process connects to the port and leaves.
    """
    kill(process)
    if thread.ident is not None and thread.is_alive():
        subprocess.run([mpiexec_path(), "-n", "1", sys.executable, "-c", _CONNECT_ONCE, port],
                       stdin=subprocess.DEVNULL, timeout=60, check=False)
        thread.join()
    if "inter" in accepted:
        accepted["inter"].Disconnect()


def process_alive(pid):
    """Whether process ``pid`` (of this machine) exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def kill(process, grace=2.0):
    """Terminate a launcher process group, forcefully after ``grace`` seconds."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def _split_world():
    """Batch mode: (intercommunicator, local intracommunicator) of this rank."""
    from mpi4py import MPI

    world = MPI.COMM_WORLD
    is_client = world.Get_rank() == 0
    local = world.Split(0 if is_client else 1, world.Get_rank())
    inter = local.Create_intercomm(0, world, 1 if is_client else 0, tag=7301)
    return inter, local


_batch = {}


def _attach_batch():
    from mpi4py import MPI

    if MPI.COMM_WORLD.Get_size() < 2:
        raise LaunchError("batch mode needs at least 2 MPI ranks (mpiexec -n N+1)")
    if "inter" not in _batch:
        _batch["inter"], _ = _split_world()
    return Connection(_batch["inter"], "batch")


def _launch_spawn(nworkers):
    from mpi4py import MPI

    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        inter = MPI.COMM_SELF.Spawn(sys.executable, args=["-m", "distarray.worker", "--spawned"],
                                    maxprocs=nworkers)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return Connection(inter, "spawn")


def batch_worker_entry():
    """Under ``mpiexec -n N+1 python script.py``: ranks 1..N serve, then exit.

    Called when :mod:`distarray` is imported.  Rank 0 returns and runs the
    script as the client; the other ranks never return.
    """
    if not under_mpi_launcher() or default_mode() != "batch":
        return
    from mpi4py import MPI

    if MPI.COMM_WORLD.Get_size() < 2 or MPI.COMM_WORLD.Get_rank() == 0:
        return
    from .worker import serve

    inter, local = _split_world()
    serve(inter, local)
    sys.exit(0)
