"""``LocalArray``: one worker's piece of a distributed array."""

import numpy as np

from . import memory

#: Version of the Distributed Array Protocol implemented by ``__distarray__``.
DAP_VERSION = "0.10.0"


class Layout:
    """Where one process's piece of an array sits; shared by all arrays laid out alike.

    Parameters
    ----------
    maps : tuple of maps
        One global map per axis (see :mod:`distarray.plan.maps`).
    coords : tuple of int
        This piece's coordinates in the process grid.
    comm : mpi4py.MPI.Cartcomm or None
        Cartesian communicator of the array's workers (None off the workers).
    """

    __slots__ = ("maps", "coords", "comm", "shape", "owned_slices", "owned_shape")

    def __init__(self, maps, coords, comm=None):
        self.maps = tuple(maps)
        self.coords = tuple(coords)
        self.comm = comm
        self.shape = tuple(m.extent(c) for m, c in zip(self.maps, self.coords, strict=True))
        self.owned_slices = tuple(m.owned_local_slice(c) for m, c in zip(self.maps, self.coords))
        self.owned_shape = tuple(m.owned_count(c) for m, c in zip(self.maps, self.coords))

    @classmethod
    def on_worker(cls, comm, maps):
        """The layout of this worker's piece, its coordinates taken from ``comm``."""
        coords = tuple(comm.Get_coords(comm.Get_rank())) if maps else ()
        return cls(maps, coords, comm)

    def __reduce__(self):
        return (Layout, (self.maps, self.coords))


class LocalArray:
    """The local piece of a distributed array, as held by one worker.

    Parameters
    ----------
    ndarray : numpy.ndarray
        The local buffer, including any padding (halo) cells.
    layout : Layout
        Its maps, grid coordinates and communicator.
    """

    def __init__(self, ndarray, layout):
        if ndarray.shape != layout.shape:
            raise ValueError("local buffer has shape %s, its layout needs %s"
                             % (ndarray.shape, layout.shape))
        self.ndarray = ndarray
        self.layout = layout

    @classmethod
    def from_owned(cls, owned, layout):
        """A piece of ``layout`` whose owned cells hold ``owned`` (padding zeroed).

        ``owned`` is adopted without a copy when it is a fresh C-contiguous
        array of the whole buffer's shape (not a view of other data).
        """
        owned = np.asarray(owned)
        if owned.shape == layout.shape and owned.base is None and owned.flags.c_contiguous:
            return cls(owned, layout)
        local = cls.empty(layout, owned.dtype, fill=0)
        local.owned[...] = owned.reshape(layout.owned_shape)
        return local

    @classmethod
    def empty(cls, layout, dtype, fill=None):
        """A new piece with uninitialised (or ``fill``-ed) values."""
        data = memory.empty(layout.shape, dtype)
        if fill is not None:
            data[...] = fill
        return cls(data, layout)

    @property
    def maps(self):
        return self.layout.maps

    @property
    def coords(self):
        return self.layout.coords

    @property
    def comm(self):
        """Cartesian communicator of the array's workers."""
        return self.layout.comm

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
        return self.ndarray[(*self.layout.owned_slices, Ellipsis)]  # a view, 0-d included

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
        return (LocalArray, (self.ndarray, self.layout))

    def __repr__(self):
        return "<LocalArray coords=%s local_shape=%s global_shape=%s dtype=%s>" % (
            self.coords, self.local_shape, self.global_shape, self.dtype)
