"""Planning advanced (integer array) indexing: NumPy's rules on shapes alone.

After basic indexing has been applied as a view, an advanced index is a tuple
with, per axis of the view, either ``None`` (the whole axis, kept) or an
integer array; all the arrays broadcast to one shape ``B``.  NumPy places the
``B`` axes where the first array stands when the arrays are adjacent, and in
front otherwise.  :class:`AdvancedIndex` computes the result shape and, for
any block of result cells, the view indices they read.
"""

import numpy as np


class AdvancedIndex:
    """An advanced index over a view of shape ``shape``.

    Parameters
    ----------
    shape : tuple of int
        Shape of the (basic-indexed) view.
    arrays : sequence
        One entry per view axis: None (kept) or an integer ndarray (already
        bounds-checked and made non-negative).
    """

    def __init__(self, shape, arrays):
        self.shape = tuple(shape)
        positions = [a for a, x in enumerate(arrays) if x is not None]
        try:
            self.broadcast = np.broadcast_shapes(*(np.shape(arrays[a]) for a in positions))
        except ValueError:
            raise IndexError("shape mismatch: indexing arrays could not be broadcast together "
                             "with shapes " + " ".join(str(np.shape(arrays[a]))
                                                       for a in positions)) from None
        self.indexed = tuple(positions)
        self.kept = tuple(a for a, x in enumerate(arrays) if x is None)
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

    def index_parts(self, arrays, owned):
        """The parts of the broadcast index arrays that a block of result cells uses.

        ``owned`` holds, per result axis, the result indices of the block.
        """
        rows = np.ix_(*(owned[a] for a in self.broadcast_axes)) if self.broadcast_axes else ()
        return tuple(np.ascontiguousarray(np.broadcast_to(arrays[a], self.broadcast)[rows])
                     for a in self.indexed)

    def view_indices(self, parts, owned):
        """Per view axis, the flattened (C order) view indices read by a block of cells.

        ``parts`` come from :meth:`index_parts` for the same ``owned`` block.
        """
        grids = np.meshgrid(*(np.arange(len(o)) for o in owned), indexing="ij")
        positions = [None] * len(self.shape)
        for axis, result_axis in zip(self.kept, self.kept_axes):
            positions[axis] = owned[result_axis][grids[result_axis]].reshape(-1) \
                if owned else np.zeros(1, np.int64)
        spots = tuple(grids[a] for a in self.broadcast_axes)
        for axis, part in zip(self.indexed, parts):
            positions[axis] = (part[spots] if spots else np.broadcast_to(
                part, grids[0].shape if grids else ())).reshape(-1)
        return tuple(positions)
