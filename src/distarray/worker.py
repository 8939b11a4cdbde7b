"""Entry point of a worker process: ``python -m distarray.worker PORT CLIENT_PID READY``.

Started by the interactive launcher (or by ``Spawn`` with ``--spawned``); it
connects to the client and runs the worker loop until shutdown.
"""

import sys


def main(argv=None):
    """Connect to the client named on the command line and serve it."""
    argv = sys.argv[1:] if argv is None else argv
    from mpi4py import MPI

    from .runtime.worker import serve

    intra = MPI.COMM_WORLD.Dup()
    if argv and argv[0] == "--spawned":
        serve(MPI.Comm.Get_parent(), intra)
    else:
        port, client_pid, ready = argv[0], int(argv[1]), argv[2]
        if intra.Get_rank() == 0:
            open(ready, "w").close()  # tells the client to start accepting
        serve(intra.Connect(port, root=0), intra, client_pid)


if __name__ == "__main__":
    main()
