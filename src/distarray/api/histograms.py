"""Bin edges and multidimensional histograms of DistArrays.

The bin edges depend on the data only through its extremes (or, for the
string estimators, through distributed reductions), so they are computed on
the client: one command returns every piece's minimum and maximum, and NumPy
computes the edges from a two-row stand-in holding the global extremes (its
own rules, dtypes and errors).  Every worker then counts its rows with
:func:`numpy.histogramdd` and those same edges; the client sums the partial
counts.  Results are NumPy arrays, as NumPy returns (they are O(bins)).

The bin estimators (``'auto'``, ``'fd'``, ``'doane'``, ``'scott'``,
``'rice'``, ``'sturges'``, ``'sqrt'``) are NumPy's own selectors, run on the
DistArray (they call ``std``, ``percentile``, ``mean``... which dispatch to
distarray); ``'stone'`` (a search over many histograms) is not supported.
"""

import builtins
import math

import numpy as np
from numpy.lib import _histograms_impl as _numpy_histograms  # NumPy's bin selectors

from ..runtime.messages import Ref
from .darray import DistArray, dtype_of, shape_of
from .dispatch import implements
from .indexing import extremes
from .sorting import (laid_out_like, with_plain_maps, quietly, tiny_standin, as_distarray,
                      as_input, histogram_input)

__all__ = ["histogram2d", "histogram_bin_edges", "histogramdd"]


def _weights_probe(weights, shape):
    """A stand-in for ``weights`` (which must have ``shape``), or None."""
    if weights is None:
        return None
    w_shape, w_dtype = shape_of(weights), dtype_of(weights)
    if w_shape != shape:
        raise ValueError("weights should have the same shape as a.")
    return tiny_standin(w_shape, w_dtype)


# -- histogram_bin_edges ----------------------------------------------------------------
def _estimated_bins(a, name, range):  # noqa: A002 - NumPy's name
    """The number of bins NumPy's estimator ``name`` gives for the DistArray ``a``."""
    if name == "stone":
        raise NotImplementedError("distarray.histogram_bin_edges does not support "
                                  "bins='stone'")
    a = as_distarray(a)
    first, last = _numpy_histograms._get_outer_edges(extremes([a], a.dtype)[:, 0],
                                                     range)
    if range is not None:
        inside = (a >= first) & (a <= last)
        if not inside.all():
            a = a[inside]
    if a.size == 0:
        return 1
    width = _numpy_histograms._hist_bin_selectors[name](a, (first, last))
    if not width:
        return 1
    if np.issubdtype(a.dtype, np.integer):
        width = builtins.max(width, 1)
    return int(np.ceil(_numpy_histograms._unsigned_subtract(last, first) / width))


@implements(np.histogram_bin_edges)
def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002
    """The bin edges :func:`numpy.histogram` uses, as :func:`numpy.histogram_bin_edges`.

    ``bins``: a number of bins, the edges, or an estimator's name (not
    ``'stone'``); a NumPy array is returned.
    """
    a = as_input(a)
    quietly(np.histogram_bin_edges, tiny_standin(a.shape, a.dtype), bins, range,
             _weights_probe(weights, a.shape))
    if not isinstance(a, DistArray):  # only the weights are distributed: they are not used
        return np.histogram_bin_edges(a, bins, range)
    a = histogram_input(a, 4)
    if isinstance(bins, str):
        bins = _estimated_bins(a, bins, range)
    if np.ndim(bins) or range is not None:
        return np.histogram_bin_edges(np.zeros(0, a.dtype), bins, range)
    a = as_distarray(a)
    return np.histogram_bin_edges(extremes([a], a.dtype)[:, 0], bins)


# -- histogramdd, histogram2d -----------------------------------------------------------
def _coordinates(sample):
    """The sample's coordinates (one 1-D array per dimension) and NumPy's stand-in for it."""
    if hasattr(sample, "shape"):
        sample = as_input(sample)
        probe = tiny_standin(sample.shape, sample.dtype)
        if sample.ndim == 2:
            probe = np.zeros((probe.shape[0], sample.shape[1]), sample.dtype)
            return [sample[:, i] for i in builtins.range(sample.shape[1])], probe
        return [sample], probe
    columns = [as_input(c) for c in sample]
    shapes = {c.shape for c in columns}
    if len(shapes) > 1:
        raise ValueError("the coordinates of the sample have different shapes: %s"
                         % sorted(shapes))
    return columns, [tiny_standin(c.shape, c.dtype) for c in columns]


def _aligned_coordinates(columns, weights):
    """The coordinates and weights as DistArrays laid out like the first distributed one."""
    context = next(c.context for c in (*columns, weights) if isinstance(c, DistArray))
    first = next((c for c in columns if isinstance(c, DistArray)), None)
    if first is None:
        first = context.fromarray(np.asarray(columns[0]))
    first = with_plain_maps(first)
    return [laid_out_like(c, first) for c in columns], laid_out_like(weights, first)


def _density(hist, edges):
    """``hist`` divided by the bin volumes and the total count, as NumPy normalizes it."""
    total = hist.sum()
    for axis, e in enumerate(edges):
        shape = [1] * hist.ndim
        shape[axis] = -1
        hist = hist / np.diff(e).reshape(shape)
    hist /= total
    return hist


@implements(np.histogramdd)
def histogramdd(sample, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """The multidimensional histogram of ``sample``, as :func:`numpy.histogramdd`.

    ``sample``: a ``(N, D)`` DistArray or a sequence of ``D`` 1-D arrays
    (DistArrays or array_like); ``weights`` an array_like or DistArray of
    length ``N``.  Returns NumPy arrays (the counts and the list of edges).
    """
    columns, probe = _coordinates(sample)
    n = math.prod(columns[0].shape[:1])
    if weights is not None and shape_of(weights) != (n,):
        raise ValueError("The weights and list don't have the same length.")
    probe_weights = None if weights is None else tiny_standin((n,), dtype_of(weights))
    quietly(np.histogramdd, probe, bins, range, density, probe_weights)
    dtype = np.result_type(*(c.dtype for c in columns))
    columns = [c.reshape(1) if c.ndim == 0 else c for c in columns]
    columns, weights = _aligned_coordinates(columns, weights)
    edges = np.histogramdd(extremes(columns, dtype), bins, range)[1]
    first = columns[0]
    counts = first.context.pool.run("histogramdd_piece", [Ref(c.key) for c in columns],
                                    None if weights is None else Ref(weights.key), edges,
                                    targets=first.targets)
    hist = np.sum([counts[t] for t in first.targets], axis=0)
    return (_density(hist, edges) if density else hist), edges


@implements(np.histogram2d)
def histogram2d(x, y, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """The 2-D histogram of points ``(x, y)``, as :func:`numpy.histogram2d`.

    Returns NumPy arrays: the counts and the edges along x and along y.
    """
    if len(x) != len(y):
        raise ValueError("x and y must have the same length.")
    try:
        count = len(bins)
    except TypeError:
        count = 1
    if count not in (1, 2):
        bins = [np.asarray(bins)] * 2
    hist, edges = histogramdd([x, y], bins, range, density, weights)
    return hist, edges[0], edges[1]
