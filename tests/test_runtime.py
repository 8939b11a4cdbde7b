"""The runtime: user functions, errors, output, worker death, shutdown."""

import os
import signal
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest

import distarray
from distarray import Context, WorkerError, WorkerFailure
from distarray.runtime.launch import process_alive
from distarray.runtime.messages import DATA, Ref


def _pids_of(context):
    return context.apply(os.getpid)


def test_apply_returns_one_result_per_worker(ctx):
    ranks = ctx.apply(lambda x, y=0: x + y, (10,), {"y": 5})
    assert ranks == [15] * ctx.nworkers


def test_apply_sees_distinct_processes(contexts):
    pids = _pids_of(contexts[4])
    assert len(set(pids)) == 4 and os.getpid() not in pids


def test_apply_targets_subset(contexts):
    ctx = contexts[4]
    assert ctx.apply(os.getpid, targets=[2]) == [_pids_of(ctx)[2]]


def test_apply_ships_closures_and_caches_functions(ctx):
    offset = np.arange(3)

    def add(x):
        return (offset + x).tolist()

    assert ctx.apply(add, (1,)) == [[1, 2, 3]] * ctx.nworkers
    key = ctx.pool._shipped[add]
    assert ctx.apply(add, (2,)) == [[2, 3, 4]] * ctx.nworkers
    assert ctx.pool._shipped[add] == key


def test_apply_passes_local_arrays(ctx):
    d = distarray.arange(10, context=ctx)
    sizes = ctx.apply(lambda la: la.ndarray.size, (d,))
    assert sum(sizes) == 10
    assert sizes == [s[0] for s in d.localshapes()]


def test_register_makes_a_method(ctx):
    def double(x):
        return 2 * x

    ctx.register(double)
    assert ctx.double(21) == [42] * ctx.nworkers
    with pytest.raises(AttributeError):
        ctx.not_registered()


def test_worker_exception_keeps_type_rank_and_traceback(ctx):
    def fail_on_last(n):
        from mpi4py import MPI
        if MPI.COMM_WORLD.Get_rank() == n - 1:
            raise ValueError("bad value on the last worker")
        return True

    with pytest.raises(ValueError) as info:
        ctx.apply(fail_on_last, (ctx.nworkers,))
    error = info.value
    assert isinstance(error, WorkerError)
    assert error.ranks == (ctx.nworkers - 1,)
    assert "fail_on_last" in error.remote_traceback
    assert "bad value on the last worker" in str(error)
    assert isinstance(error.original, ValueError)
    assert ctx.apply(lambda: 1) == [1] * ctx.nworkers  # the session goes on


def test_custom_exception_type_and_unpicklable_one(ctx):
    class Local(Exception):
        def __reduce__(self):
            raise TypeError("cannot pickle")

    def raise_it():
        raise Local("custom")

    with pytest.raises(WorkerError, match="custom"):
        ctx.apply(raise_it)
    with pytest.raises(KeyError):
        ctx.apply(lambda: {}["missing"])


def test_worker_output_is_forwarded(ctx, capsys):
    def speak():
        import sys
        from mpi4py import MPI
        print("hello from worker", MPI.COMM_WORLD.Get_rank())
        print("to stderr", file=sys.stderr)

    ctx.apply(speak)
    captured = capsys.readouterr()
    for rank in range(ctx.nworkers):
        assert "[%d] hello from worker %d\n" % (rank, rank) in captured.out
    assert captured.err.count("to stderr") == ctx.nworkers


def test_worker_warnings_are_issued_on_the_client(ctx):
    def warn(tag):
        warnings.warn("careful %s" % tag, FutureWarning)
        return 1

    with pytest.warns(FutureWarning, match="careful now"):
        assert ctx.apply(warn, ("now",)) == [1] * ctx.nworkers
    a = ctx.fromarray(np.zeros(6), dist="c")
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        1 / a
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="ignore"):
            assert np.isinf((1 / a).toarray()).all()


def _recorded(function):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function()
    return [(w.category, str(w.message), w.filename, w.lineno) for w in caught]


def test_kernel_warnings_come_once_from_the_users_line_like_numpy(ctx):
    x = np.arange(7.0)
    a = ctx.fromarray(x, dist="c")
    numpy_call, distarray_call = (lambda: x / 0), (lambda: a / 0)  # one line: same place
    assert _recorded(distarray_call) == _recorded(numpy_call)
    numpy_log, distarray_log = (lambda: np.log(x - 3)), (lambda: np.log(a - 3))
    assert _recorded(distarray_log) == _recorded(numpy_log)


def test_timeout_then_drain(ctx):
    with pytest.raises(distarray.CommandTimeout):
        ctx.pool.run("apply", ctx.pool.ship(time.sleep), (0.5,), {}, targets=ctx.targets,
                     timeout=0.05)
    assert ctx.apply(lambda: "after") == ["after"] * ctx.nworkers


def _refuse(value):
    raise ValueError("refused %s" % value)


def test_deferred_commands(ctx):
    """A command posted without waiting: its replies go to it, its error comes with the next."""
    pool, last = ctx.pool, ctx.targets[-1]
    pool.send("apply", pool.ship(time.sleep), (0.05,), {}, targets=[last])
    assert [p.deferred for p in pool.channel.outstanding] == [True]
    assert ctx.apply(lambda: "next") == ["next"] * ctx.nworkers  # not the sleep's reply
    assert pool.channel.outstanding == []
    pool.send("apply", pool.ship(_refuse), (7,), {}, targets=ctx.targets)
    with pytest.raises(ValueError, match="refused 7") as info:
        ctx.apply(lambda: "then")
    assert "earlier command 'apply'" in str(info.value.__notes__)
    assert ctx.apply(lambda: "on") == ["on"] * ctx.nworkers


def test_commands_not_waited_for_do_not_pile_up(ctx):
    from distarray.runtime.channel import MAX_DEFERRED

    a = ctx.fromarray(np.arange(10.0))
    in_flight = []
    for k in range(3 * MAX_DEFERRED):
        mask = a > k  # a comparison is not waited for
        in_flight.append(len(ctx.pool.channel.outstanding))
    assert max(in_flight) == MAX_DEFERRED and min(in_flight[MAX_DEFERRED:]) > 0
    np.testing.assert_array_equal(mask.toarray(), np.arange(10.0) > 3 * MAX_DEFERRED - 1)
    assert ctx.pool.channel.outstanding == []


def test_a_failed_transfer_is_an_error_and_the_session_goes_on(ctx):
    """A receive buffer shorter than what a worker sends: TransferError, not a dead channel."""
    a = ctx.fromarray(np.arange(40.0))
    short = {rank: np.empty(1) for rank in a.targets}
    with pytest.raises(distarray.TransferError, match="command 'send'"):
        ctx.pool.run("send", Ref(a.key), Ref(DATA), targets=a.targets, receive=short)
    assert ctx.pool.channel.outstanding == []
    np.testing.assert_array_equal(a.toarray(), np.arange(40.0))
    assert ctx.apply(lambda: 1) == [1] * ctx.nworkers


def test_views_are_not_waited_for(ctx):
    """Making a view waits for nothing (``a[1:] - a[:-1]`` is one wait), and the same view
    again reuses its layout."""
    a = ctx.fromarray(np.arange(12.0))
    x = np.arange(12.0).reshape(3, 4)
    b = ctx.fromarray(x)
    cuts = [lambda m: m[1:, ::-2], lambda m: m.T, lambda m: m[None, :, 1]]
    [cut(b) for cut in cuts], a[1:] - a[:-1]  # the layouts exist from now on
    completed = []
    complete = ctx.pool.channel.complete
    ctx.pool.channel.complete = lambda *args: completed.append(args) or complete(*args)
    posted = ctx.pool.channel.posted
    try:
        views = [cut(b) for cut in cuts]
        assert completed == []
        assert ctx.pool.channel.posted - posted == len(cuts)  # no new layouts: one command each
        difference = a[1:] - a[:-1]
    finally:
        del ctx.pool.channel.complete
    assert len(completed) == 1
    np.testing.assert_array_equal(difference.toarray(), np.ones(11))
    for view, cut in zip(views, cuts):
        np.testing.assert_array_equal(view.toarray(), cut(x))


def test_keyboard_interrupt_leaves_a_consistent_session(contexts):
    ctx = contexts[2]
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        ctx.apply(time.sleep, (1.0,))
    timer.join()
    assert ctx.apply(lambda: 7) == [7, 7]


def test_own_pool_worker_death_and_restart():
    ctx = Context(2)
    pids = _pids_of(ctx)
    start = time.monotonic()
    with pytest.raises(WorkerFailure):
        ctx.apply(os._exit, (1,), targets=[1])
    assert time.monotonic() - start < 5
    with pytest.raises(WorkerFailure):
        ctx.apply(lambda: 1)
    ctx.close()
    deadline = time.monotonic() + 5
    while any(map(process_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(process_alive, pids))
    with Context(2) as again:
        assert again.apply(lambda: 3) == [3, 3]


def _fail_or_wait_for_rank_0():
    from mpi4py import MPI

    if MPI.COMM_WORLD.Get_rank() == 0:
        raise ValueError("broken before the exchange")
    return MPI.COMM_WORLD.recv(source=0)  # never sent: stranded


def test_failure_that_strands_the_other_workers_ends_the_job(monkeypatch):
    monkeypatch.setattr(distarray.runtime.channel, "STRANDED_AFTER", 0.3)
    ctx = Context(2)
    pids = _pids_of(ctx)
    with pytest.raises(ValueError, match="broken before the exchange") as raised:
        ctx.apply(_fail_or_wait_for_rank_0)
    assert raised.value.ranks == (0,)
    assert "start a new Context" in "".join(raised.value.__notes__)
    with pytest.raises(WorkerFailure):
        ctx.apply(lambda: 1)
    ctx.close()
    assert not any(map(process_alive, pids))


def test_close_leaves_no_process_behind():
    ctx = Context(3)
    pids = _pids_of(ctx)
    launcher = ctx.pool.connection.process
    ctx.close()
    assert launcher.poll() is not None
    assert not any(map(process_alive, pids))
    with pytest.raises(distarray.ContextError):
        ctx.apply(lambda: 1)


def test_interpreter_exit_shuts_workers_down(tmp_path):
    script = tmp_path / "leave.py"
    script.write_text(
        "import os, distarray\n"
        "ctx = distarray.Context(2)\n"
        "print(*ctx.apply(os.getpid))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    deadline = time.monotonic() + 5
    while any(map(process_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(process_alive, pids))


def test_bad_targets_are_refused(contexts):
    with pytest.raises(distarray.ContextError):
        Context(targets=[0, 0])
    with pytest.raises(distarray.ContextError):
        Context(targets=[99])
