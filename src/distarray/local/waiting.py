"""Waiting for MPI requests without busy-waiting (DESIGN §2, rule 2).

MPICH's blocking waits spin on a core.  Every wait in distarray instead tests
its requests and, between tests, yields the processor for a short while after
the last activity and then sleeps in short naps, so that an idle session costs
~0 % CPU and a waiting process does not take a core from busy ones.  (Used by
the runtime's loops and by the workers' kernels alike.)
"""

import os
import time

#: Seconds after the last activity during which waits only yield the CPU.
HOT_SECONDS = 0.02
#: Length of one nap once the hot period is over.
NAP_SECONDS = 0.001
#: Seconds after the last activity from which a wait naps :data:`DOZE_SECONDS`
#: instead: an idle session costs a fraction of a percent of a core per
#: process, and the first command after a pause waits at most that long more.
DOZE_AFTER = 1.0
#: Length of one nap of a long-idle wait.
DOZE_SECONDS = 0.005
#: Shortest nap of a patient wait during the hot period.
SHORT_NAP_SECONDS = 0.00005
#: A patient wait naps for this fraction of the time it has waited so far
#: (at least :data:`SHORT_NAP_SECONDS`, at most :data:`NAP_SECONDS`): a long
#: wait is answered at most ~3 % late and costs few wake-ups.
PATIENT_FRACTION = 1 / 32


class Backoff:
    """Yield-then-sleep pacing for a polling loop.

    Call :meth:`touch` whenever something happened and :meth:`pause` between
    two polls that found nothing.
    """

    def __init__(self):
        self.last_activity = time.monotonic()

    def touch(self):
        """Record activity: the next pauses only yield."""
        self.last_activity = time.monotonic()

    def idle_for(self):
        """Seconds since the last activity."""
        return time.monotonic() - self.last_activity

    @property
    def hot(self):
        """Whether the last activity is recent enough that pauses only yield."""
        return self.idle_for() < HOT_SECONDS

    def pause(self, stay_hot=False, waited=None):
        """Give up the processor once: a yield when hot (or ``stay_hot``), else a nap.

        ``stay_hot`` is for waits that drive a transfer: MPI moves large
        messages only while this process calls into it.  A *patient* wait
        (``waited`` gives the seconds it has lasted, e.g. a client whose
        workers compute) naps instead of yielding, leaving the workers every
        core; its naps grow with ``waited`` (see :data:`PATIENT_FRACTION`).
        """
        idle = self.idle_for()
        hot = idle < HOT_SECONDS
        if stay_hot or (hot and waited is None):
            os.sched_yield()
        elif hot:
            time.sleep(min(max(waited * PATIENT_FRACTION, SHORT_NAP_SECONDS), NAP_SECONDS))
        else:
            time.sleep(DOZE_SECONDS if idle > DOZE_AFTER else NAP_SECONDS)
