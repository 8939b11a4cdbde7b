"""Small objects that travel inside commands between the client and workers."""

from typing import NamedTuple

#: Point-to-point tag of a command.
TAG_COMMAND = 3
#: Point-to-point tag of a worker's reply to a command.
TAG_REPLY = 1
#: Point-to-point tag of forwarded worker output.
TAG_OUTPUT = 2

#: Registry key of the workers' intracommunicator (all workers of a pool).
WORLD = "world"
#: Registry key of the intercommunicator used for bulk data.
DATA = "data"
#: Registry key of the name of the client's doorbell (see :mod:`.doorbell`).
DOORBELL = "doorbell"
#: Registry key of the registry itself (for diagnostics).
REGISTRY = "registry"


class Ref(NamedTuple):
    """Names an object in the workers' registry; resolved before a command runs."""

    key: object


class MaybeRef(NamedTuple):
    """Like :class:`Ref`, but resolves to None on workers that do not hold the key."""

    key: object


class Shipped(NamedTuple):
    """A cloudpickled object (a user function), unpickled on the workers."""

    payload: bytes


class Command(NamedTuple):
    """One command for the workers.

    Parameters
    ----------
    name : str
        Name of a registered worker-side function.
    args, kwargs : tuple, dict
        Its arguments; :class:`Ref` and :class:`Shipped` are resolved first.
        (On the workers, ``args`` holds the still-encoded arguments.)
    targets : tuple of int or None
        Workers that execute it (None: all); the others only free keys.
    out : object or None
        Registry key under which the result is stored instead of returned.
    free : tuple
        Registry keys released before the command runs.
    path : list of str or None
        The client's ``sys.path``, sent when it changed, so that functions and
        classes of the client's modules unpickle on the workers.
    """

    name: str
    args: tuple = ()
    kwargs: dict | None = None
    targets: tuple | None = None
    out: object = None
    free: tuple = ()
    path: list | None = None
