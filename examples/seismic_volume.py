"""Seismic volume: a 3-D array (inline, crossline, depth) split over inlines and crosslines.

Every trace (all depths at one inline and crossline) lies on one worker, so
filtering along depth is local.  A depth slice and the means along each axis
are put together on the client from small per-worker results; a mean over a
distributed axis is summed by MPI over the workers of one grid line
(``la.comm.Sub``), never by gathering the volume.

Run:  python examples/seismic_volume.py [--shape 128 128 500] [--nworkers 4]
or:   distarray run -n 4 examples/seismic_volume.py
"""

import argparse
import contextlib

import numpy as np
from mpi4py import MPI

import distarray


def model(x, y, z):
    """Dipping layers fading with depth, plus deterministic noise."""
    layers = np.sin(2 * np.pi * (z - 0.3 * x - 0.2 * y) / 25.0) * np.exp(-z / 200.0)
    noise = (np.sin(12.9898 * x + 78.233 * y + 37.719 * z) * 43758.5453) % 1.0 - 0.5
    return layers + 0.2 * noise


def smooth(volume, width):
    """Moving average of ``width`` samples along the last axis (depth), edges repeated."""
    half = width // 2
    padded = np.pad(volume, [(0, 0)] * (volume.ndim - 1) + [(half, width - 1 - half)],
                    mode="edge")
    return sum(padded[..., i:i + volume.shape[-1]] for i in range(width)) / width


def smooth_traces(la, width):
    """Filter every trace of this worker's piece, in place."""
    la.ndarray[...] = smooth(la.ndarray, width)


def depth_slice(la, depth):
    """This piece's part of the horizontal slice at ``depth``, with its global indices."""
    rows, cols, _ = la.global_index_arrays()
    return (rows, cols), la.ndarray[:, :, depth].copy()


def axis_mean(la, axis):
    """Mean over the global ``axis``: the workers along the axis add their partial sums.

    Returned (with the global indices of the other axes) by the workers at
    grid coordinate 0 on ``axis``; the others return None.
    """
    line = la.comm.Sub([d == axis for d in range(la.ndim)])
    total = la.ndarray.sum(axis=axis)
    line.Allreduce(MPI.IN_PLACE, total)
    line.Free()
    if la.coords[axis]:
        return None
    indices = [g for d, g in enumerate(la.global_index_arrays()) if d != axis]
    return indices, total / la.global_shape[axis]


def assemble(parts, shape):
    """A NumPy array of ``shape`` from ``(global index arrays, values)`` parts."""
    out = np.empty(shape)
    for part in filter(None, parts):
        indices, values = part
        out[np.ix_(*indices)] = values
    return out


def reference(shape, width=9):
    """What :func:`main` returns, computed by NumPy in this process."""
    volume = np.fromfunction(model, shape)
    return {"slice": volume[:, :, shape[2] // 2], "means": [volume.mean(axis=a) for a in range(3)],
            "filtered slice": smooth(volume, width)[:, :, shape[2] // 2]}


def main(shape=(128, 128, 500), width=9, nworkers=None, context=None):
    """Slice, per-axis statistics and trace filtering of a distributed volume."""
    with contextlib.nullcontext(context) if context else distarray.Context(nworkers) as ctx:
        volume = ctx.fromfunction(model, shape, dist=("b", "b", "n"))
        run = lambda f, *args: ctx.apply(f, (volume, *args), targets=volume.targets)
        depth = shape[2] // 2
        result = {"slice": assemble(run(depth_slice, depth), shape[:2]),
                  "means": [assemble(run(axis_mean, axis), shape[:axis] + shape[axis + 1:])
                            for axis in range(3)]}
        run(smooth_traces, width)
        result["filtered slice"] = assemble(run(depth_slice, depth), shape[:2])
        print("volume %s on grid %s; slice at depth %d: std %.4f, after filtering %.4f"
              % (shape, volume.grid_shape, depth, result["slice"].std(),
                 result["filtered slice"].std()))
        print("mean amplitude per depth (first 5):", np.round(result["means"][0].mean(0)[:5], 4))
        return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shape", type=int, nargs=3, default=(128, 128, 500))
    parser.add_argument("--nworkers", type=int, default=None)
    options = parser.parse_args()
    main(tuple(options.shape), nworkers=options.nworkers)
