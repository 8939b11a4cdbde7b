"""The client's side of the command channel (DESIGN §2).

A command goes to every worker as one small nonblocking point-to-point message
(for a handful of workers this is faster than a broadcast tree, and no
collective is ever half-matched); each executing worker answers with one
point-to-point reply, and forwarded output travels the same way, so one
polling loop sees results, errors and output in the order each worker produced
them.  Bulk data uses a separate duplicate of the intercommunicator, so it
never mixes with replies.

The loop never blocks inside MPI: it tests, then yields or naps
(:mod:`distarray.local.waiting`), checks that the launcher process is alive, honours a
timeout, and leaves an interrupted command *outstanding*, to be completed
before the next command is sent.  A *deferred* command (one that makes a
layout, say) is not waited for at all: workers answer in order, so its
replies are taken while a later command is waited for, which saves a round
trip.
"""

import time
import warnings

from mpi4py import MPI

from ..errors import CommandTimeout, TransferError, WorkerFailure
from . import output, wire
from .launch import kill, process_alive
from .messages import TAG_COMMAND, TAG_OUTPUT, TAG_REPLY
from .remote_errors import RemoteFailure, Warned, reissue, to_exception
from ..local.waiting import Backoff

#: Polls between two liveness checks while the loop is hot.
_HOT_CHECK_EVERY = 64
#: Seconds after which a waiting client naps instead of yielding, so that
#: workers computing on every core are not interrupted.
_PATIENT_AFTER = 0.0003
#: A patient client with a doorbell sleeps on it for this fraction of the time
#: waited so far (a ring wakes it at once; the bound matters only if one is missed).
_BELL_FRACTION = 1 / 4
#: Longest sleep on the doorbell, in seconds.
_BELL_MAX_SECONDS = 0.02
#: Longest time (seconds) the client polls for the reply of a worker that rang
#: before it sleeps on the doorbell again.
_RING_LAG_SECONDS = 0.0005
#: Commands posted without waiting that may be in flight at once; the oldest half
#: is completed when there are this many (their replies must not pile up unread).
MAX_DEFERRED = 64
#: Seconds the client waits for the other workers after one failed a command,
#: before it presumes them stranded in a collective that the failed worker
#: left: then it ends the job and raises the failure (a hang is never right).
STRANDED_AFTER = 10.0


class Pending:
    """A posted command: its requests, buffers, and the replies still missing."""

    def __init__(self, name, requests, buffers, targets, deferred=False):
        self.name = name
        self.deferred = deferred
        self.requests = list(requests)
        self.buffers = list(buffers)
        self.waiting = set(targets)
        self.results = {}
        self.failures = []
        self.warnings = []  # raised on the workers, issued when the command completes
        self.failed_at = None
        self.bulk = False
        self.transfer_error = None  # the MPI error of a failed bulk transfer

    def add(self, request, buffer):
        """Attach a bulk transfer that must finish with the command."""
        self.requests.append(request)
        self.buffers.append(buffer)
        self.bulk = True

    @property
    def done(self):
        return not self.waiting and not self.requests

    @property
    def failed(self):
        return bool(self.failures) or self.transfer_error is not None

    def transfers_done(self):
        """Test the bulk transfers; True once all are complete.

        A transfer that fails (say, a message longer than its buffer) is
        complete too: its error is kept for :meth:`Channel.complete` to raise.
        """
        try:
            return MPI.Request.Testall(self.requests)
        except MPI.Exception as exc:  # the failed requests are complete (and null) now
            self.transfer_error = self.transfer_error or exc
            self.requests = [r for r in self.requests if r != MPI.REQUEST_NULL]
            return not self.requests


class Channel:
    """Sends commands to the workers of one connection and collects replies."""

    def __init__(self, connection):
        self.connection = connection
        self.inter = connection.inter
        self.data = self.inter.Dup()
        self.nworkers = self.inter.Get_remote_size()
        self.backoff = Backoff()
        self.outstanding = []
        self.abandoned = []
        self.posted = 0
        self.warning_registry = {}
        self.worker_pids = ()
        self.failure = None
        self.doorbell = None  # set by the pool when the workers can ring it

    def post(self, command, timeout=None, defer=False):
        """Broadcast ``command`` (after :meth:`drain`) and return its :class:`Pending`.

        A ``defer`` command is not waited for: its replies are taken, and its
        warnings and errors raised, when a command posted after it completes.
        """
        self.drain(timeout)
        payload = wire.encode(command)
        requests = [self.inter.Isend([payload, MPI.BYTE], rank, TAG_COMMAND)
                    for rank in range(self.nworkers)]
        targets = range(self.nworkers) if command.targets is None else command.targets
        pending = Pending(command.name, requests, (payload,), targets, defer)
        self.posted += 1
        self.outstanding.append(pending)
        return pending

    def complete(self, pending, timeout=None):
        """Wait for a posted command; return ``{rank: result}`` or raise its error.

        Deferred commands posted before it are completed first (their replies
        come first); the first error among them all is raised.
        """
        completed = self.outstanding[:self.outstanding.index(pending) + 1]
        for done in completed:
            try:
                self._wait(done, timeout)
            except WorkerFailure as failure:
                if not done.failed:
                    raise
                self.outstanding.remove(done)
                exc = _failure(done, pending)
                exc.add_note(str(failure))
                raise exc from None
            self.outstanding.remove(done)
            reissue(done.warnings, self.warning_registry)
        failed = next((done for done in completed if done.failed), None)
        if failed is not None:
            raise _failure(failed, pending)
        return pending.results

    def drain(self, timeout=None):
        """Complete commands left outstanding by an interrupt or a timeout (and the
        older half of the deferred ones when :data:`MAX_DEFERRED` are in flight)."""
        if self.failure is not None:
            raise WorkerFailure(self.failure)
        if all(pending.deferred for pending in self.outstanding):
            if len(self.outstanding) >= MAX_DEFERRED:
                self.complete(self.outstanding[len(self.outstanding) // 2], timeout)
            return
        while self.outstanding:
            pending = self.outstanding[0]
            self._wait(pending, timeout)
            self.outstanding.pop(0)
            reissue(pending.warnings, self.warning_registry)
            if pending.failed:
                warnings.warn("an earlier command failed: %s" % _failure(pending, pending),
                              RuntimeWarning, stacklevel=3)

    def _wait(self, pending, timeout):
        started = time.monotonic()
        deadline = None if timeout is None else started + timeout
        polls = 0
        due = {}  # rank -> when it rang, for the replies rung for but not yet received
        while True:
            progressed = self._receive()
            if pending.requests and pending.transfers_done():
                pending.requests.clear()
                progressed = True
            if pending.failures and not pending.waiting and pending.requests:
                self._abandon(pending)
            if pending.done:
                self.backoff.touch()
                return
            if progressed:
                self.backoff.touch()
                continue
            polls += 1
            hot = pending.bulk or self.backoff.hot
            if not hot or polls % _HOT_CHECK_EVERY == 0:
                self._check_stranded(pending)
                self.check_alive()
                if deadline is not None and time.monotonic() > deadline:
                    raise CommandTimeout("the workers did not answer within %g s" % timeout)
            now = time.monotonic()
            waited = now - started
            patient = waited > _PATIENT_AFTER and not pending.bulk
            due = {rank: at for rank, at in due.items()
                   if rank in pending.waiting and now - at <= _RING_LAG_SECONDS}
            if due:  # a reply is on its way
                self.backoff.pause()
            elif patient and self.doorbell is not None and not pending.requests:
                rang = self.doorbell.sleep(min(waited * _BELL_FRACTION, _BELL_MAX_SECONDS))
                due = dict.fromkeys(rang, time.monotonic())
            else:
                self.backoff.pause(stay_hot=pending.bulk, waited=waited if patient else None)

    def _abandon(self, pending):
        """Give up the transfers of a command that failed on a worker.

        Receives are cancelled; a send that cannot be cancelled is kept (with
        its buffer) forever rather than waited for.  Its tag is never reused
        soon, so it cannot match a later transfer.
        """
        for request in pending.requests:
            request.Cancel()
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline and not pending.transfers_done():
            self.backoff.pause()
        if any(r != MPI.REQUEST_NULL for r in pending.requests):
            self.abandoned.append((pending.requests, pending.buffers))
        pending.requests = []

    def _receive(self):
        """Take every message that has arrived; True if there was any.

        A worker answers commands in order: its reply belongs to the oldest
        outstanding command that waits for it.
        """
        status = MPI.Status()
        received = False
        while (message := self.inter.improbe(MPI.ANY_SOURCE, MPI.ANY_TAG, status)) is not None:
            received = True
            value = message.recv()
            if status.Get_tag() == TAG_OUTPUT:
                output.show(*value)
            elif status.Get_tag() == TAG_REPLY:
                rank = status.Get_source()
                pending = next(p for p in self.outstanding if rank in p.waiting)
                pending.waiting.discard(rank)
                if isinstance(value, RemoteFailure):
                    pending.failures.append(value)
                    pending.failed_at = pending.failed_at or time.monotonic()
                    continue
                if isinstance(value, Warned):
                    pending.warnings += value.warnings
                    value = value.result
                pending.results[rank] = value
        return received

    def _check_stranded(self, pending):
        """End the job if workers still work on a command that failed on others long ago.

        A worker that fails between two collective steps of a command leaves
        the others waiting in the next one forever.
        """
        if (self.failure is None and pending.failures and pending.waiting
                and time.monotonic() - pending.failed_at > STRANDED_AFTER):
            failed = sorted({f.rank for f in pending.failures})
            self.failure = ("the command failed on worker%s %s while worker%s %s did not finish "
                            "within %g s (presumably waiting for the failed one%s in a "
                            "collective); the workers were stopped: start a new Context" % (
                                "s" if len(failed) > 1 else "", ", ".join(map(str, failed)),
                                "s" if len(pending.waiting) > 1 else "",
                                ", ".join(map(str, sorted(pending.waiting))), STRANDED_AFTER,
                                "s" if len(failed) > 1 else ""))
            kill(self.connection.process)

    def check_alive(self):
        """Raise :class:`WorkerFailure` if the launcher or a worker process has died.

        The launcher does not always end the job when one worker dies, so the
        worker processes themselves are watched too (when they run here).
        """
        process = self.connection.process
        if self.failure is None and process is not None:
            dead = [rank for rank, pid in enumerate(self.worker_pids) if not process_alive(pid)]
            if process.poll() is not None:
                self.failure = "the worker job exited with code %s" % process.returncode
            elif dead:
                self.failure = "worker%s %s died" % ("s" if len(dead) > 1 else "",
                                                     ", ".join(map(str, dead)))
            if self.failure is not None:
                self.failure = "a worker failed: %s; start a new Context" % self.failure
                kill(process)
        if self.failure is not None:
            raise WorkerFailure(self.failure)

    def close(self):
        """Release the communicators (after the workers were told to shut down)."""
        self.data.Free()
        self.inter.Disconnect()
        if self.doorbell is not None:
            self.doorbell.close()


def _failure(failed, pending):
    """The exception for the failure of command ``failed``, completed with ``pending``."""
    if failed.failures:
        exc = to_exception(sorted(failed.failures, key=lambda f: f.rank))
    else:
        exc = TransferError("a data transfer of command %r failed: %s"
                            % (failed.name, failed.transfer_error))
    if failed is not pending:
        exc.add_note("(raised by the earlier command %r, whose reply nobody waited for)"
                     % failed.name)
    return exc
