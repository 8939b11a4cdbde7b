"""What the file formats share on the client: paths, checks, temporary files, commands.

Nothing here talks MPI: the client checks its arguments and the files'
headers, then commands the workers, who read and write their own parts.
"""

import contextlib
import errno
import importlib
import math
import os
import shutil
import uuid

import numpy as np

from .. import progress
from ..api.context import default_context
from ..api.creation import check_dtype, plan
from ..api.darray import DistArray
from ..runtime.messages import Ref

_NPY_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                       (2, 0): np.lib.format.read_array_header_2_0}


def optional(module):
    """Import an optional dependency, or explain how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError("this needs the optional package %r: pip install 'distarray[io]'"
                          % module) from exc


def file_name(path):
    """``path`` (str or path-like) as an absolute file name the workers can open."""
    try:
        return os.path.abspath(os.fspath(path))
    except TypeError:
        raise TypeError("expected a file name (str or os.PathLike), got %s: the workers open "
                        "the file themselves" % type(path).__name__) from None


def check_array(d):
    """Raise TypeError unless ``d`` is a DistArray."""
    if not isinstance(d, DistArray):
        raise TypeError("expected a DistArray, got %s" % type(d).__name__)
    d.context.check_open()


def describe(path, shape, dtype):
    """A short description for progress displays: the file's name and size."""
    return "%s (%.1f MB)" % (os.path.basename(path), math.prod(shape) * dtype.itemsize / 1e6)


def read_npy_header(fp):
    """Read a ``.npy`` header from ``fp``; return ``(shape, fortran_order, dtype, offset)``.

    Raises
    ------
    ValueError
        If the data is not in ``.npy`` format (versions 1.0 and 2.0), holds
        Python objects (never unpickled), or the file is too short for it.
    """
    version = np.lib.format.read_magic(fp)
    reader = _NPY_HEADER_READERS.get(version)
    if reader is None:
        raise ValueError("unsupported .npy format version %d.%d" % version)
    shape, fortran_order, dtype = reader(fp)
    if dtype.hasobject:
        raise ValueError("Object arrays cannot be loaded when allow_pickle=False")
    offset = fp.tell()
    have, need = os.fstat(fp.fileno()).st_size - offset, math.prod(shape) * dtype.itemsize
    if have < need:
        raise ValueError("%s is truncated: its array of shape %s and dtype %s needs %d bytes, "
                         "the file holds %d" % (fp.name, shape, dtype, need, have))
    return shape, fortran_order, dtype, offset


# -- temporary files ------------------------------------------------------------------
def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def _replace(temp, path):
    """Move ``temp`` to ``path``; a directory (zarr store) replaces a directory."""
    if os.path.isdir(temp) and os.path.isdir(path) and not os.path.islink(path):
        old = temp + ".old"
        os.rename(path, old)
        os.rename(temp, path)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(temp, path)


@contextlib.contextmanager
def replacing(*paths):
    """Yield temporary names beside ``paths``; rename them to ``paths`` on success.

    If the block raises, the temporaries are removed and whatever existed
    under the final names is left as it was.

    Raises
    ------
    FileNotFoundError
        If a path's directory does not exist (checked before anything is written).
    """
    temps = []
    for path in paths:
        directory, name = os.path.split(path)
        if not os.path.isdir(directory):
            raise FileNotFoundError(errno.ENOENT, "No such directory", directory)
        temps.append(os.path.join(directory, ".%s.%s.part" % (name, uuid.uuid4().hex[:12])))
    try:
        yield temps
    except BaseException:
        for temp in temps:
            _remove(temp)
        raise
    for temp, path in zip(temps, paths):
        _replace(temp, path)


# -- commands ---------------------------------------------------------------------------
def planned(shape, distribution=None, context=None, dist=None, grid_shape=None, targets=None):
    """The Distribution for an array of ``shape`` read from a file (see :func:`load`)."""
    if distribution is not None and distribution.shape != tuple(shape):
        raise ValueError("the file holds an array of shape %s, the distribution's shape is %s"
                         % (tuple(shape), distribution.shape))
    return plan(tuple(shape) if distribution is None else distribution, context, dist,
                grid_shape, targets)


def load(distribution, dtype, command, *args, label):
    """A new DistArray whose pieces a worker command creates from a file."""
    dtype = check_dtype(dtype)
    context = distribution.context
    layout = context.layout(distribution)
    key = context.pool.new_key()
    pending = context.pool.start(command, Ref(layout), dtype, *args,
                                 targets=distribution.targets, out=key)
    try:
        progress.finish(context.pool, pending, "loading " + label)
    except BaseException:
        context.pool.free(key)  # pieces stored by the workers that succeeded
        raise
    return DistArray._wrap(distribution, dtype, key)


def save(d, command, *args, label):
    """Run a worker command that writes each piece of ``d`` to a file."""
    pending = d.context.pool.start(command, Ref(d.key), *args, targets=d.targets)
    progress.finish(d.context.pool, pending, "saving " + label)


def context_or_default(context):
    """``context``, or the default context; checked to be open."""
    context = default_context() if context is None else context
    context.check_open()
    return context
