"""``DistArray.flat``: the elements as one sequence in C order, as ``ndarray.flat``.

One element (an integer key) is read or written where it lives.  Other keys
(slices, integer and boolean arrays, ``...``) read from the flattened array
and write through it: the flattened array is a view where the layout allows
(see :func:`distarray.api.shape.reshape`), else a copy that is written back.
As NumPy does, values too short for the selected elements are repeated.
Iterating fetches the elements a chunk at a time.
"""

import operator

import numpy as np

from .darray import DistArray
from .shape import _reshape, ravel

#: Elements fetched at a time when iterating.
CHUNK = 1 << 16


class FlatIter:
    """The elements of DistArray ``base`` as one C-ordered sequence."""

    def __init__(self, base):
        self.base = base

    def __len__(self):
        return self.base.size

    def _position(self, key):
        """The index tuple of flat position ``key`` (NumPy's IndexError if out of range)."""
        size = self.base.size
        flat = key + size if key < 0 else key
        if not 0 <= flat < size:
            raise IndexError("index %d is out of bounds for size %d" % (key, size))
        return tuple(int(i) for i in np.unravel_index(flat, self.base.shape))

    def __getitem__(self, key):
        if _is_integer(key):
            return self.base[self._position(operator.index(key))]
        return ravel(self.base)[key]

    def __setitem__(self, key, value):
        if _is_integer(key):
            self.base[self._position(operator.index(key))] = value
            return
        flat, is_view = _reshape(self.base, -1)
        count = _selected(key, flat)
        if not count:
            return  # NumPy ignores the value then
        if not isinstance(value, DistArray):
            value = np.asarray(value, dtype=self.base.dtype)
            if value.size not in (1, count):
                value = np.resize(value.ravel(), count)  # repeated, as NumPy does
        flat[key] = value
        if not is_view:
            self.base[...] = flat.reshape(self.base.shape)

    def __iter__(self):
        flat = ravel(self.base)
        for start in range(0, self.base.size, CHUNK):
            yield from flat[start:start + CHUNK].toarray()

    def __array__(self, dtype=None, copy=None):
        values = ravel(self.base).toarray()
        return values if dtype is None else values.astype(dtype, copy=False)

    def copy(self):
        """A flattened copy (a 1-D DistArray)."""
        return ravel(self.base).copy()


def _is_integer(key):
    return isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_))


def _selected(key, flat):
    """How many elements of the 1-D ``flat`` the key selects."""
    if isinstance(key, slice):
        return len(range(flat.size)[key])
    if key is Ellipsis:
        return flat.size
    if isinstance(key, DistArray):
        return int(key.sum()) if key.dtype == np.bool_ else key.size
    key = np.asarray(key)
    return int(np.count_nonzero(key)) if key.dtype == np.bool_ else key.size
