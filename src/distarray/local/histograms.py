"""Worker side of the multidimensional histograms: counts of the owned rows.

The coordinates of a sample are 1-D arrays laid out alike (one per dimension),
so the owned elements of each, raveled in the same order, are the rows a
process holds.
"""

import numpy as np

from .registry import command


@command
def histogramdd_piece(columns, weights, edges):
    """``numpy.histogramdd`` counts of the owned rows, with the final bin ``edges``."""
    sample = np.stack([np.ravel(c.owned) for c in columns], axis=-1)
    w = None if weights is None else np.ravel(weights.owned)
    return np.histogramdd(sample, bins=edges, weights=w)[0]
