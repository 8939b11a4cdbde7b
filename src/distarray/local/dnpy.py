"""The ``.dnpy`` format: one process's piece of a distributed array, self-described.

A file holds, in order:

* the magic string ``b"\\x93DARRAY"``;
* two bytes: the format's major and minor version;
* the header's length, little-endian: a uint16 in version 1.0, a uint32 in 2.0
  (used only when the header does not fit in 65535 bytes, e.g. long
  unstructured index lists);
* the ASCII header: the repr of a dict ``{'__version__': <protocol version>,
  'dim_data': (<dim dict>, ...)}`` (the Distributed Array Protocol description
  of the piece, unstructured indices as lists), space-padded and terminated by
  a newline so that everything up to here is a multiple of 16 bytes long;
* the local buffer (padding included) in NumPy's ``.npy`` format.

Reading never executes anything from the file: the header is parsed with
:func:`ast.literal_eval` and the buffer is loaded with ``allow_pickle=False``.
Every defect (wrong magic, truncation, a header that is not a literal dict of
the expected form) raises ``ValueError``.
"""

import ast
import struct

import numpy as np

from .localarray import DAP_VERSION

MAGIC = b"\x93DARRAY"
#: Everything before the ``.npy`` part is padded to a multiple of this.
ALIGN = 16
#: struct format of the header length, per format version.
_LENGTH_FORMATS = {(1, 0): "<H", (2, 0): "<I"}
_KEYS = {"__version__", "dim_data"}


def encode_header(dim_data):
    """The bytes before the ``.npy`` part of a piece described by ``dim_data``."""
    plain = tuple({key: value.tolist() if isinstance(value, np.ndarray) else value
                   for key, value in dim.items()} for dim in dim_data)
    text = repr({"__version__": DAP_VERSION, "dim_data": plain})
    for version, length_format in _LENGTH_FORMATS.items():
        prefix = len(MAGIC) + 2 + struct.calcsize(length_format)
        length = -(-(prefix + len(text) + 1) // ALIGN) * ALIGN - prefix
        try:
            packed = struct.pack(length_format, length)
        except struct.error:
            continue  # the header needs the next version's wider length field
        header = (text + " " * (length - len(text) - 1) + "\n").encode("ascii")
        return MAGIC + bytes(version) + packed + header
    raise ValueError("the .dnpy header is too long (%d characters)" % len(text))


def write(fp, local):
    """Write ``local`` (a LocalArray) to the binary file object ``fp``."""
    fp.write(encode_header(local.dim_data))
    np.lib.format.write_array(fp, local.ndarray, allow_pickle=False)


def _read_exactly(fp, count, what):
    data = fp.read(count)
    if len(data) != count:
        raise ValueError("truncated .dnpy file: expected %d bytes of %s, got %d"
                         % (count, what, len(data)))
    return data


def read_header(fp):
    """Read the header from ``fp`` (left at the ``.npy`` part); return the dim_data.

    Raises
    ------
    ValueError
        If ``fp`` is not a ``.dnpy`` file of a known version, is truncated, or
        its header is not a literal dict with exactly the keys ``__version__``
        (a string) and ``dim_data`` (a tuple of dicts).
    """
    magic = _read_exactly(fp, len(MAGIC) + 2, "magic string and version")
    if magic[:len(MAGIC)] != MAGIC:
        raise ValueError("not a .dnpy file: the magic string is %r, expected %r"
                         % (magic[:len(MAGIC)], MAGIC))
    version = tuple(magic[len(MAGIC):])
    if version not in _LENGTH_FORMATS:
        raise ValueError("unsupported .dnpy format version %d.%d" % version)
    length_format = _LENGTH_FORMATS[version]
    (length,) = struct.unpack(length_format,
                              _read_exactly(fp, struct.calcsize(length_format), "header length"))
    raw = _read_exactly(fp, length, "header")
    try:
        header = ast.literal_eval(raw.decode("ascii"))
    except (UnicodeDecodeError, SyntaxError, ValueError, TypeError, MemoryError,
            RecursionError) as exc:
        raise ValueError("corrupt .dnpy header: %s" % exc) from None
    if not isinstance(header, dict) or set(header) != _KEYS:
        raise ValueError("corrupt .dnpy header: expected a dict with the keys %s, got %.200r"
                         % (sorted(_KEYS), header))
    dim_data = header["dim_data"]
    if header["__version__"] != DAP_VERSION:
        raise ValueError("the .dnpy file follows protocol version %.20r; this distarray "
                         "reads %s" % (header["__version__"], DAP_VERSION))
    if not isinstance(dim_data, tuple) or not all(isinstance(dim, dict) for dim in dim_data):
        raise ValueError("corrupt .dnpy header: dim_data must be a tuple of dicts, got %.200r"
                         % (dim_data,))
    return tuple({key: _indices(value) if key == "indices" else value
                  for key, value in dim.items()} for dim in dim_data)


def _indices(value):
    """Unstructured indices stored as a list, as the int64 array the protocol wants."""
    indices = np.asarray(value)
    return indices.astype(np.int64) if indices.size == 0 else indices


def read(fp):
    """Read a whole piece: ``(dim_data, buffer)``."""
    dim_data = read_header(fp)
    return dim_data, np.asarray(np.lib.format.read_array(fp, allow_pickle=False), order="C")
