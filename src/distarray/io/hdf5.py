"""HDF5 datasets (h5py, optional), read and written by the workers in parallel.

Parallel HDF5 is not needed: ``save_hdf5`` has the client create a contiguous
dataset with its storage allocated, and every worker writes its cells at the
dataset's file offset, as for ``.npy`` files.  Contiguous numeric datasets are
loaded the same way; chunked or compressed ones are read through h5py, each
worker opening the file read-only and reading the hyperslab around its cells.
What cannot be written as raw bytes (0-d datasets, non-numeric dtypes) is
written through h5py by one worker after the other.
"""

import os
import shutil

from . import files

#: dtype kinds whose HDF5 storage is exactly NumPy's bytes.
RAW_KINDS = "biufc"


def _raw_offset(dataset, h5py):
    """File offset of a dataset stored as one contiguous run of raw values, else None."""
    plist = dataset.id.get_create_plist()
    if dataset.dtype.kind not in RAW_KINDS or plist.get_layout() != h5py.h5d.CONTIGUOUS \
            or plist.get_external_count():
        return None
    return dataset.id.get_offset()


def _allocated(h5py):
    """Dataset creation properties: storage allocated at once, never filled."""
    plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    plist.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    plist.set_fill_time(h5py.h5d.FILL_TIME_NEVER)
    return plist


def save_hdf5(path, d, key, mode="a"):
    """Save a DistArray as the dataset ``key`` of an HDF5 file; workers write in parallel.

    Parameters
    ----------
    path : str or os.PathLike
    d : DistArray
    key : str
        Dataset name (groups on the way are created); a dataset of that name is
        replaced.
    mode : {'a', 'w'}
        'a' keeps the file's other contents (the file is copied first, so that a
        failure leaves it intact); 'w' writes a new file.
    """
    h5py = files.optional("h5py")
    path = files.file_name(path)
    files.check_array(d)
    if mode not in ("a", "w"):
        raise ValueError("mode must be 'a' or 'w', got %r" % (mode,))
    with files.replacing(path) as (temp,):
        if mode == "a" and os.path.exists(path):
            shutil.copyfile(path, temp)
        with h5py.File(temp, "a") as file:
            if isinstance(file.get(key), h5py.Dataset):
                del file[key]
            dataset = file.create_dataset(key, shape=d.shape, dtype=d.dtype,
                                          dcpl=_allocated(h5py))
            offset = _raw_offset(dataset, h5py)
        label = files.describe(path, d.shape, d.dtype)
        if offset is None:
            files.save(d, "write_hdf5", temp, key, label=label)
        else:
            files.save(d, "write_raw", temp, offset, d.shape, label=label)


def load_hdf5(path, key, distribution=None, context=None, dist=None, grid_shape=None,
              targets=None):
    """Load the dataset ``key`` of an HDF5 file as a DistArray; each worker reads its part.

    Parameters
    ----------
    path : str or os.PathLike
    key : str
        Name of a dataset in the file.
    distribution, context, dist, grid_shape, targets
        As for :func:`distarray.io.load_npy`.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    KeyError
        If the file has no dataset ``key``.
    TypeError
        If the dataset holds Python objects (e.g. variable-length strings).
    """
    h5py = files.optional("h5py")
    path = files.file_name(path)
    with h5py.File(path, "r") as file:
        dataset = file[key]
        if not isinstance(dataset, h5py.Dataset):
            raise KeyError("%r in %s is a group, not a dataset" % (key, path))
        shape, dtype, offset = dataset.shape, dataset.dtype, _raw_offset(dataset, h5py)
    distribution = files.planned(shape, distribution, context, dist, grid_shape, targets)
    label = files.describe(path, shape, dtype)
    if offset is None:
        return files.load(distribution, dtype, "read_hdf5", path, key, label=label)
    return files.load(distribution, dtype, "read_raw", path, offset, shape, "C", label=label)
