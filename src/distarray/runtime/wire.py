"""How commands and bulk data are laid out on the wire.

Commands are pickled as plain tuples, with a dispatch table (looked up in C,
so ordinary objects cost nothing extra) for the objects that need care:
references to registry objects are resolved while the worker unpickles,
shipped functions are cloudpickled, and NumPy dtypes travel as their short
string (several times cheaper than their default pickle).
"""

import copyreg
import io
import pickle

import cloudpickle
import numpy as np

from .messages import Command, MaybeRef, Ref, Shipped

#: The registry of this process (set by the worker loop).
_registry = {}


def bind_registry(registry):
    """Resolve references from ``registry`` when arguments are decoded."""
    global _registry
    _registry = registry


def _resolve(key):
    return _registry[key]


def _resolve_optional(key):
    return _registry.get(key)


def _reduce_dtype(dtype):
    if dtype.isbuiltin or (dtype.fields is None and dtype.subdtype is None and not dtype.metadata):
        return np.dtype, (dtype.str,)
    return dtype.__reduce__()


_OURS = {Ref: lambda ref: (_resolve, (ref.key,)),
         MaybeRef: lambda ref: (_resolve_optional, (ref.key,)),
         Shipped: lambda shipped: (cloudpickle.loads, (shipped.payload,))}
_OURS.update((type(np.dtype(code)), _reduce_dtype) for code in np.typecodes["All"])
_dispatch = (-1, None)  # (size of copyreg's table, the merged table)


def _dispatch_table():
    """Every reducer registered with copyreg, then ours (a plain dict: looked up in C).

    Rebuilt when copyreg gains reducers.
    """
    global _dispatch
    if _dispatch[0] != len(copyreg.dispatch_table):
        _dispatch = (len(copyreg.dispatch_table), {**copyreg.dispatch_table, **_OURS})
    return _dispatch[1]


def encode(command):
    """The bytes of a :class:`Command`.

    The arguments are pickled separately, so that a worker that cannot
    unpickle them (a missing key, a function that needs a module it lacks)
    still knows the rest of the command and can answer with the error.
    """
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump((command.args, command.kwargs))
    return pickle.dumps((command.name, stream.getvalue(), command.targets, command.out,
                         command.free, command.path), protocol=pickle.HIGHEST_PROTOCOL)


def decode(payload):
    """The :class:`Command` in ``payload``, its arguments still encoded."""
    name, arguments, targets, out, free, path = pickle.loads(payload)
    return Command(name, arguments, None, targets, out, free, path)


def decode_arguments(arguments):
    """``(args, kwargs)`` of a decoded command, references resolved."""
    return pickle.loads(arguments)
