"""Carrying worker exceptions to the client.

A worker packs its exception into a :class:`RemoteFailure`; the client turns
the failures of one command into a single exception that is both a
:class:`~distarray.errors.WorkerError` and, where possible, an instance of the
worker exception's own type.
"""

import builtins
import importlib
import pickle
import traceback
import warnings
from dataclasses import dataclass

from ..errors import INTERNAL, WorkerError, warn


@dataclass
class RemoteFailure:
    """What a worker sends back instead of a result when a command raised."""

    rank: int
    module: str
    qualname: str
    message: str
    traceback: str
    pickled: bytes | None

    @classmethod
    def capture(cls, rank, exc):
        """Pack ``exc`` (being handled on worker ``rank``)."""
        try:
            pickled = pickle.dumps(exc)
            pickle.loads(pickled)
        except Exception:
            pickled = None
        kind = type(exc)
        return cls(rank, kind.__module__, kind.__qualname__, str(exc),
                   "".join(traceback.format_exception(exc)), pickled)

    def original_type(self):
        """The exception class, if it can be found on the client."""
        return find_class(self.module, self.qualname, BaseException)


def find_class(module, qualname, base):
    """The class ``module.qualname`` if it can be imported here and derives from ``base``."""
    try:
        obj = builtins if module == "builtins" else importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return obj if isinstance(obj, type) and issubclass(obj, base) else None


@dataclass
class Warned:
    """A command's result together with the warnings it raised on a worker."""

    result: object
    warnings: list  # (message, category module, category qualname, filename, lineno)


#: NumPy reports floating-point errors of one call in this order.
_FLOATING_POINT_ERRORS = ("divide by zero", "overflow", "underflow", "invalid value")


def _floating_point_order(warning):
    """Sort key: other warnings first, then floating-point errors in NumPy's order."""
    message = warning[0]
    return next((i + 1 for i, kind in enumerate(_FLOATING_POINT_ERRORS)
                 if message.startswith(kind + " encountered in ")), 0)


def reissue(caught, registry):
    """Issue the warnings ``caught`` by the workers during one command, here.

    Each distinct warning is issued once, however many workers raised it, and
    floating-point errors come in NumPy's order (NumPy warns once per call).
    One raised inside distarray or NumPy (a floating-point error in a kernel)
    is attributed to the user's line, as NumPy's own are; one raised by user
    code shipped to the workers keeps its file and line (shown once per
    place, as ``registry`` remembers).  The client's filters decide what is
    shown.
    """
    distinct = {}
    for warning in caught:
        distinct.setdefault(_place(warning), warning)
    for message, module, qualname, filename, lineno in sorted(distinct.values(),
                                                               key=_floating_point_order):
        category = find_class(module, qualname, Warning) or UserWarning
        if filename.startswith(INTERNAL):
            warn(message, category)
        else:
            warnings.warn_explicit(message, category, filename, lineno, registry=registry)


def _place(warning):
    """What makes a caught warning distinct: where it was raised, unless inside distarray
    or NumPy (whose warnings are all shown at the user's line)."""
    message, module, qualname, filename, lineno = warning
    return (message, module, qualname) + (() if filename.startswith(INTERNAL) else
                                           (filename, lineno))


_combined = {}


def _remote_class(kind):
    """A subclass of both ``WorkerError`` and ``kind`` (cached), or ``WorkerError``."""
    if kind is None or not issubclass(kind, Exception) or issubclass(kind, WorkerError):
        return WorkerError
    if kind not in _combined:
        try:
            namespace = {"__module__": "distarray.remote", "__str__": WorkerError.__str__,
                         "__init__": WorkerError.__init__}
            _combined[kind] = type(kind.__name__, (WorkerError, kind), namespace)
        except TypeError:
            _combined[kind] = WorkerError
    return _combined[kind]


def to_exception(failures):
    """One client-side exception for the failures of one command."""
    first = failures[0]
    same = [f.rank for f in failures if (f.module, f.qualname) == (first.module, first.qualname)]
    others = sorted({f.rank for f in failures} - set(same))
    text = "%s on worker%s %s: %s" % (first.qualname, "s" if len(same) > 1 else "",
                                      ", ".join(map(str, same)), first.message)
    if others:
        text += " (other errors on workers %s)" % ", ".join(map(str, others))
    text += "\n\nRemote traceback (worker %d):\n%s" % (first.rank, first.traceback)
    exc = _remote_class(first.original_type())(text)
    exc.ranks = tuple(sorted(f.rank for f in failures))
    exc.remote_traceback = first.traceback
    exc.original = pickle.loads(first.pickled) if first.pickled is not None else None
    return exc
