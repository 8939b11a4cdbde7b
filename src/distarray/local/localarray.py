"""``LocalArray``: one worker's piece of a distributed array."""

import numpy as np

#: Version of the Distributed Array Protocol implemented by ``__distarray__``.
DAP_VERSION = "0.10.0"


class LocalArray:
    """The local piece of a distributed array, as held by one worker.

    Parameters
    ----------
    ndarray : numpy.ndarray
        The local buffer, including any padding (halo) cells.
    maps : tuple of maps
        One global map per axis (see :mod:`distarray.plan.maps`).
    coords : tuple of int
        This piece's coordinates in the process grid.
    comm : mpi4py.MPI.Cartcomm or None
        Cartesian communicator of the array's workers (None off the workers).
    """

    def __init__(self, ndarray, maps, coords, comm=None):
        expected = tuple(m.extent(c) for m, c in zip(maps, coords, strict=True))
        if ndarray.shape != expected:
            raise ValueError("local buffer has shape %s, its maps need %s" % (ndarray.shape, expected))
        self.ndarray = ndarray
        self.maps = tuple(maps)
        self.coords = tuple(coords)
        self.comm = comm

    @classmethod
    def empty(cls, maps, coords, dtype, comm=None, fill=None):
        """A new piece with uninitialised (or ``fill``-ed) values."""
        shape = tuple(m.extent(c) for m, c in zip(maps, coords))
        data = np.empty(shape, dtype) if fill is None else np.full(shape, fill, dtype)
        return cls(data, maps, coords, comm)

    # -- shape and layout -------------------------------------------------------
    @property
    def global_shape(self):
        return tuple(m.size for m in self.maps)

    @property
    def local_shape(self):
        return self.ndarray.shape

    @property
    def dtype(self):
        return self.ndarray.dtype

    @property
    def ndim(self):
        return self.ndarray.ndim

    @property
    def dist(self):
        return tuple(m.dist for m in self.maps)

    @property
    def grid_shape(self):
        return tuple(m.grid_size for m in self.maps)

    @property
    def cart_coords(self):
        return self.coords

    @property
    def dim_data(self):
        """The DAP dimension dictionaries of this piece."""
        return tuple(m.dim_dict(c) for m, c in zip(self.maps, self.coords))

    @property
    def owned(self):
        """View of the cells this piece owns (communication padding stripped)."""
        return self.ndarray[(*self.owned_slices(), Ellipsis)]  # a view, 0-d included

    def owned_slices(self):
        """Slices of the buffer holding the owned cells."""
        return tuple(m.owned_local_slice(c) for m, c in zip(self.maps, self.coords))

    # -- index translation ------------------------------------------------------
    def global_from_local(self, local_index):
        """Global index tuple of a local (buffer) index tuple."""
        return tuple(int(m.global_index(c, i))
                     for m, c, i in zip(self.maps, self.coords, local_index, strict=True))

    def local_from_global(self, global_index):
        """Local (buffer) index tuple of an owned global index tuple.

        Raises
        ------
        IndexError
            If this piece does not own the element.
        """
        return tuple(int(m.local_index(c, g))
                     for m, c, g in zip(self.maps, self.coords, global_index, strict=True))

    def global_limits(self, dim):
        """Smallest and largest global index owned along ``dim`` (inclusive).

        Raises
        ------
        IndexError
            If this piece owns nothing along ``dim``.
        """
        owned = self.maps[dim].global_indices(self.coords[dim])
        if owned.size == 0:
            raise IndexError("this piece owns no index along axis %d" % dim)
        return int(owned.min()), int(owned.max())

    def global_index_arrays(self):
        """Per axis, the global indices of the owned cells (for ``np.ix_``)."""
        return tuple(m.global_indices(c) for m, c in zip(self.maps, self.coords))

    # -- protocol ---------------------------------------------------------------
    def __distarray__(self):
        """Export per the Distributed Array Protocol 0.10.0 (zero-copy buffer)."""
        return {"__version__": DAP_VERSION, "buffer": self.ndarray, "dim_data": self.dim_data}

    def __reduce__(self):
        return (LocalArray, (self.ndarray, self.maps, self.coords))

    def __repr__(self):
        return "<LocalArray coords=%s local_shape=%s global_shape=%s dtype=%s>" % (
            self.coords, self.local_shape, self.global_shape, self.dtype)
