"""How commands and bulk data are laid out on the wire.

Commands are pickled as plain tuples.  References to registry objects and
shipped functions are pickled as *persistent ids*, so that the worker resolves
them while unpickling: no class lookups, no second walk over the arguments
(this keeps a command's overhead to a few microseconds).
"""

import io
import pickle

import cloudpickle
import numpy as np

from .messages import Command, Ref, Shipped


class _CommandPickler(pickle.Pickler):
    def persistent_id(self, obj):
        kind = type(obj)
        if kind is Ref:
            return ("r", obj.key)
        if kind is Shipped:
            return ("s", obj.payload)
        return None


def encode(command):
    """The bytes of a :class:`Command`.

    The arguments are pickled separately, so that a worker that cannot
    unpickle them (a missing key, a function that needs a module it lacks)
    still knows the rest of the command and can answer with the error.
    """
    stream = io.BytesIO()
    _CommandPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump((command.args, command.kwargs))
    return pickle.dumps((command.name, stream.getvalue(), command.targets, command.out,
                         command.free, command.path), protocol=pickle.HIGHEST_PROTOCOL)


def decode(payload):
    """The :class:`Command` in ``payload``, its arguments still encoded."""
    name, arguments, targets, out, free, path = pickle.loads(payload)
    return Command(name, arguments, None, targets, out, free, path)


def decode_arguments(arguments, registry):
    """``(args, kwargs)`` of a decoded command, references resolved from ``registry``."""
    unpickler = pickle.Unpickler(io.BytesIO(arguments))

    def load(pid):
        kind, value = pid
        return registry[value] if kind == "r" else cloudpickle.loads(value)

    unpickler.persistent_load = load
    return unpickler.load()


def as_bytes(array):
    """A C-contiguous array's memory as a flat ``uint8`` view (any dtype, 0-d too)."""
    if not array.flags.c_contiguous:
        raise ValueError("bulk transfers need C-contiguous buffers")
    return array.reshape(-1).view(np.uint8)
