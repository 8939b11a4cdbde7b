"""Planning advanced (integer array) indexing: NumPy's rules on shapes alone.

After basic indexing has been applied as a view, an advanced index is a tuple
with, per axis of the view, either ``None`` (the whole axis, kept) or an
integer array; all the arrays broadcast to one shape ``B``.  NumPy places the
``B`` axes where the first array stands when the arrays are adjacent, and in
front otherwise.  :class:`AdvancedIndex` computes the result shape and, for
any block of result cells, the view indices they read.
"""

import numpy as np

from .maps import UndistributedMap


def block_index(owned):
    """A NumPy index of the block with per-axis indices ``owned`` (slices or int arrays)."""
    if all(isinstance(o, slice) for o in owned):
        return tuple(owned)
    return np.ix_(*(np.arange(o.start, o.stop, o.step) if isinstance(o, slice) else o
                    for o in owned))


class AdvancedIndex:
    """An advanced index over a view of shape ``shape``.

    Parameters
    ----------
    shape : tuple of int
        Shape of the (basic-indexed) view.
    index_shapes : sequence
        One entry per view axis: None (kept) or the shape of its index array.
    """

    def __init__(self, shape, index_shapes):
        self.shape = tuple(shape)
        positions = [a for a, s in enumerate(index_shapes) if s is not None]
        try:
            self.broadcast = np.broadcast_shapes(*(index_shapes[a] for a in positions))
        except ValueError:
            raise IndexError("shape mismatch: indexing arrays could not be broadcast together "
                             "with shapes " + " ".join(str(tuple(index_shapes[a]))
                                                       for a in positions)) from None
        self.indexed = tuple(positions)
        self.kept = tuple(a for a, s in enumerate(index_shapes) if s is None)
        adjacent = positions == list(range(positions[0], positions[-1] + 1))
        self.first = positions[0] if adjacent else 0
        nb = len(self.broadcast)
        kept_shape = [self.shape[a] for a in self.kept]
        before = [a for a in self.kept if a < self.first] if adjacent else []
        self.result_shape = tuple(kept_shape[:len(before)]) + self.broadcast + tuple(
            kept_shape[len(before):])
        self.broadcast_axes = tuple(range(len(before), len(before) + nb))
        self.kept_axes = tuple(a for a in range(len(self.result_shape))
                               if a not in self.broadcast_axes)

    def result_maps(self, broadcast_maps):
        """Maps of a result laid out as ``broadcast_maps`` on the ``B`` axes, kept axes whole."""
        maps = [UndistributedMap(n) for n in self.result_shape]
        for axis, m in zip(self.broadcast_axes, broadcast_maps):
            maps[axis] = m
        return tuple(maps)

    def index_parts(self, arrays, owned):
        """The parts of broadcast index ``arrays`` that a block of result cells uses.

        ``owned`` holds, per result axis, the block's result indices (an int
        array, or a slice when they are a progression).
        """
        rows = block_index([owned[a] for a in self.broadcast_axes])
        return tuple(np.ascontiguousarray(np.broadcast_to(a, self.broadcast)[rows])
                     for a in arrays)

    def view_positions(self, parts, owned):
        """Per view axis, the view indices read by a block of result cells.

        ``parts`` holds the block's part of each broadcast index array (as
        :meth:`index_parts` cuts them), ``owned`` the block's result indices
        per result axis (int arrays).  The arrays broadcast together to the
        block's shape (nothing is repeated in memory).
        """
        ndim = len(self.result_shape)

        def placed(values, axes):
            shape = [1] * ndim
            for axis, n in zip(axes, values.shape):
                shape[axis] = n
            return values.reshape(shape)

        positions = [None] * len(self.shape)
        for axis, result_axis in zip(self.kept, self.kept_axes):
            positions[axis] = placed(owned[result_axis], (result_axis,))
        for axis, part in zip(self.indexed, parts):
            positions[axis] = placed(part, self.broadcast_axes)
        return tuple(positions)
