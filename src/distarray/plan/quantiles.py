"""Which order statistics a sample quantile needs, and their weights (pure NumPy, no MPI).

NumPy's ``quantile`` methods (Hyndman and Fan's nine sample quantiles and
``'lower'``, ``'higher'``, ``'nearest'``, ``'midpoint'``) each read at most
two order statistics of the ``n`` sorted elements per fraction ``q``:

* the *discrete* methods name one index (``'inverted_cdf'``,
  ``'closest_observation'``, ``'lower'``, ``'higher'``, ``'nearest'``; also
  ``'linear'`` when ``(n - 1) * q`` is an integer array);
* the others give a fractional *virtual index* ``v``; the result interpolates
  between the elements at ``floor(v)`` and ``floor(v) + 1`` with weight
  ``gamma`` (clamped to the first or last element outside ``[0, n - 1)``).

The positions and weights are computed with NumPy's formulas and dtypes, so
that interpolating the fetched values gives NumPy's results bit for bit.
"""

from dataclasses import dataclass

import numpy as np

#: ``(alpha, beta)`` of the continuous methods ``v = n q + alpha + q (1 - alpha - beta) - 1``.
_PLOTTING_POSITIONS = {"interpolated_inverted_cdf": (0.0, 1.0), "hazen": (0.5, 0.5),
                       "weibull": (0.0, 0.0), "median_unbiased": (1 / 3.0, 1 / 3.0),
                       "normal_unbiased": (3 / 8.0, 3 / 8.0)}

_ROUNDINGS = {"lower": np.floor, "higher": np.ceil, "nearest": np.around}

METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation", "linear",
           "midpoint", *_PLOTTING_POSITIONS, *_ROUNDINGS)


@dataclass(frozen=True)
class QuantilePlan:
    """Order statistics to fetch for the fractions ``q`` (flattened).

    ``gamma`` None: the result is the elements at ``previous``; else it
    interpolates from ``previous`` to ``following`` with weights ``gamma``.
    Indices are in ``[-n, n)`` (negative ones count from the end).
    """

    previous: np.ndarray
    following: np.ndarray
    gamma: np.ndarray | None

    def positions(self, n):
        """The sorted distinct non-negative positions used, and ``n - 1`` (NaNs sort last)."""
        return np.unique(np.concatenate([self.previous % n, self.following % n, [n - 1]]))


def _stepped(virtual, stay):
    """``floor(virtual)`` where ``stay(fraction, virtual)``, else the next index, at least 0."""
    below = np.floor(virtual)
    index = np.where(stay(virtual - below, virtual), below, below + 1).astype(np.intp)
    return np.maximum(index, 0)


def _discrete_index(method, n, q):
    """The one index per fraction of a discrete method, or None for the others."""
    if method == "inverted_cdf":
        return _stepped(n * q - 1, lambda fraction, _: fraction == 0)
    if method == "closest_observation":  # ties go to the even (1-based) order statistic
        return _stepped(n * q - 1.5,
                        lambda fraction, v: (fraction == 0) & (np.floor(v) % 2 == 1))
    if method in _ROUNDINGS:
        return _ROUNDINGS[method]((n - 1) * q).astype(np.intp)
    return None


def _virtual_index(method, n, q):
    if method == "linear":
        return (n - 1) * q
    if method == "averaged_inverted_cdf":
        return n * q - 1
    if method == "midpoint":
        return 0.5 * (np.floor((n - 1) * q) + np.ceil((n - 1) * q))
    alpha, beta = _PLOTTING_POSITIONS[method]
    return n * q + (alpha + q * (1 - alpha - beta)) - 1


def _weights(method, gamma, virtual):
    """``gamma`` as ``method`` corrects it (a half-step or a whole one for two methods)."""
    if method == "averaged_inverted_cdf":
        return np.where(gamma == 0, 0.5, 1.0)
    if method == "midpoint":
        return np.where(virtual % 1 == 0, 0.0, 0.5)
    return gamma


def quantile_plan(method, n, q):
    """The :class:`QuantilePlan` of fractions ``q`` (array) of ``n > 0`` sorted elements."""
    q = np.asanyarray(q)
    index = _discrete_index(method, n, q)
    if index is None:
        virtual = np.asanyarray(_virtual_index(method, n, q))
        if method == "linear" and np.issubdtype(virtual.dtype, np.integer):
            index = virtual
    if index is not None:
        index = np.asarray(index, np.intp).reshape(-1)
        return QuantilePlan(index, index, None)
    virtual = virtual.reshape(-1)
    previous = np.floor(virtual)
    following = previous + 1
    above, below = virtual >= n - 1, virtual < 0
    previous[above] = following[above] = -1
    previous[below] = following[below] = 0
    previous, following = previous.astype(np.intp), following.astype(np.intp)
    gamma = _weights(method, np.asanyarray(virtual - previous), virtual)
    return QuantilePlan(previous, following, np.asanyarray(gamma, dtype=virtual.dtype))
