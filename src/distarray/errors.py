"""Exception hierarchy of distarray.

Every exception raised by distarray itself derives from :class:`DistArrayError`.
Errors that NumPy would raise for the same input (``ValueError``, ``IndexError``,
``TypeError`` ...) are raised as those types, or as a subclass that also derives
from :class:`DistArrayError`.  :func:`warn` issues distarray's own warnings at
the user's line.
"""

import os
import sys
import warnings

import numpy as np

#: Source folders whose frames a warning skips to reach the user's line.
INTERNAL = (os.path.dirname(__file__) + os.sep, os.path.dirname(np.__file__) + os.sep)


def warn(message, category=UserWarning):
    """Issue a warning attributed to the first caller outside distarray and NumPy."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(INTERNAL):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level + 1)


class DistArrayError(Exception):
    """Base class of every distarray exception."""


class ContextError(DistArrayError):
    """A context is closed, or cannot be created as asked."""


class DistributionError(DistArrayError, ValueError):
    """A distribution or process grid is impossible or inconsistent."""


class ProtocolError(DistArrayError, ValueError):
    """Data does not conform to the Distributed Array Protocol 0.10.0."""


class WorkerFailure(DistArrayError):
    """A worker process died, or the workers could not be started or reached."""


class LaunchError(WorkerFailure):
    """The workers could not be started (or did not connect in time)."""


class TransferError(DistArrayError):
    """A bulk transfer between the client and a worker failed (e.g. its sizes disagreed).

    The command's other work completed or failed as usual; the session goes on.
    """


class CommandTimeout(DistArrayError, TimeoutError):
    """A command did not complete within the allowed time."""


class WorkerError(DistArrayError):
    """An exception raised on one or more workers, re-raised on the client.

    Instances are usually also instances of the original exception's type
    (a ``ValueError`` on a worker arrives as a subclass of both
    ``WorkerError`` and ``ValueError``).

    Attributes
    ----------
    ranks : tuple of int
        Worker ranks on which the exception was raised.
    remote_traceback : str
        The formatted traceback from the first failing worker.
    original : BaseException or None
        The worker's exception object, when it could be transferred.
    """

    ranks: tuple = ()
    remote_traceback: str = ""
    original = None
