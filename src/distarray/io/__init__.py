"""Files: every worker reads and writes only its own part; nothing is gathered on the client.

* ``.npy`` (:func:`save_npy`, :func:`load_npy`): one ordinary NumPy file;
* ``.dnpy`` (:func:`save_dnpy`, :func:`load_dnpy`): one file per worker, with
  its piece's layout;
* HDF5 (:func:`save_hdf5`, :func:`load_hdf5`) and zarr v3 (:func:`save_zarr`,
  :func:`load_zarr`), with the optional packages h5py and zarr
  (``pip install 'distarray[io]'``).

Writes go to a temporary name, renamed once every worker succeeded: a failed
write leaves the old file intact.
"""

from .dnpy import load_dnpy, save_dnpy
from .hdf5 import load_hdf5, save_hdf5
from .npy import load_npy, save_npy
from .zarr_store import load_zarr, save_zarr

__all__ = ["load_dnpy", "load_hdf5", "load_npy", "load_zarr", "save_dnpy", "save_hdf5",
           "save_npy", "save_zarr"]
