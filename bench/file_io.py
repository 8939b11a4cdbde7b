"""Benchmark of parallel file IO against NumPy (and h5py, zarr when installed).

Run: ``python bench/file_io.py [--nworkers 2] [--size 4000]``.  Prints one table of
bandwidths (array bytes / wall time, median of a few runs) for a square
float64 array, saved and loaded by the workers, next to one process doing the
same with NumPy / h5py / zarr.  Files go to a temporary directory (on the same
disk, so the page cache is usually warm: this measures the IO path, not the disk).
"""

import argparse
import importlib.util
import os
import tempfile

import numpy as np
from foundation import median_time  # this directory is on sys.path

import distarray
from distarray import io

#: Runs of each measurement (the median is shown).
REPEAT = 3


def serial_hdf5(path, data):
    """Save and load functions of h5py in this process."""
    import h5py

    def save():
        with h5py.File(path, "w") as file:
            file["x"] = data

    def load():
        with h5py.File(path, "r") as file:
            return file["x"][()]

    return save, load


def serial_zarr(path, data, chunks):
    """Save and load functions of zarr in this process."""
    import zarr

    def save():
        zarr.create_array(path, shape=data.shape, dtype=data.dtype, chunks=chunks,
                          overwrite=True)[...] = data

    return save, lambda: zarr.open_array(path, mode="r")[...]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nworkers", type=int, default=2)
    parser.add_argument("--size", type=int, default=4000)
    args = parser.parse_args()
    data = np.random.default_rng(0).random((args.size, args.size))
    gb = data.nbytes / 1e9
    rows = []
    with distarray.Context(args.nworkers) as ctx, tempfile.TemporaryDirectory() as directory:
        d = ctx.fromarray(data)
        path = lambda name: os.path.join(directory, name)  # noqa: E731
        chunks = io.zarr_store.default_chunks(d.distribution, d.itemsize)
        formats = [("npy", lambda: io.save_npy(path("d.npy"), d),
                    lambda: io.load_npy(path("d.npy"), d.distribution),
                    lambda: np.save(path("n.npy"), data), lambda: np.load(path("n.npy"))),
                   ("dnpy", lambda: io.save_dnpy(path("d"), d),
                    lambda: io.load_dnpy(path("d"), context=ctx), None, None)]
        if importlib.util.find_spec("h5py"):
            formats.append(("hdf5", lambda: io.save_hdf5(path("d.h5"), d, "x", mode="w"),
                            lambda: io.load_hdf5(path("d.h5"), "x", d.distribution),
                            *serial_hdf5(path("n.h5"), data)))
        if importlib.util.find_spec("zarr"):
            formats.append(("zarr", lambda: io.save_zarr(path("d.zarr"), d),
                            lambda: io.load_zarr(path("d.zarr"), d.distribution),
                            *serial_zarr(path("n.zarr"), data, chunks)))
        for name, save, load, serial_save, serial_load in formats:
            for action, parallel, serial in (("save", save, serial_save),
                                             ("load", load, serial_load)):
                mine = gb / median_time(parallel, REPEAT)
                theirs = "%.2f GB/s" % (gb / median_time(serial, REPEAT)) if serial else "-"
                rows.append(("%s %s" % (action, name), "%.2f GB/s" % mine, theirs))
        assert np.array_equal(io.load_npy(path("d.npy"), context=ctx).toarray(), data)
    print("distarray IO benchmark, %dx%d float64 (%.0f MB), %d workers, %d cores"
          % (args.size, args.size, gb * 1e3, args.nworkers, os.cpu_count()))
    print("  %-10s %14s %16s" % ("", "distarray", "one process"))
    for name, mine, theirs in rows:
        print("  %-10s %14s %16s" % (name, mine, theirs))


if __name__ == "__main__":
    main()
