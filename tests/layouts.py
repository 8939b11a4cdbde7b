"""Array layouts the tests run over: every distribution type, odd and empty shapes."""

import numpy as np


def _split(values, parts):
    return [np.asarray(values[r::parts], dtype=np.int64) for r in range(parts)]


def layouts(nworkers):
    """``(id, shape, dist, grid_shape)`` cases for a context of ``nworkers`` workers."""
    p = nworkers
    perm7 = np.random.default_rng(7).permutation(7)
    bounds10 = [0] + sorted(np.random.default_rng(p).choice(np.arange(11), p - 1).tolist()) + [10]
    cases = [
        ("0d", (), None, None),
        ("1d-default-odd", (23,), None, None),
        ("1d-empty", (0,), "b", None),
        ("1d-single", (1,), "b", None),
        ("1d-block", (10,), "b", None),
        ("1d-cyclic", (10,), "c", None),
        ("1d-blockcyclic", (11,), ({"dist_type": "c", "block_size": 3},), None),
        ("1d-undistributed", (5,), "n", None),
        ("1d-unstructured", (7,), ({"dist_type": "u", "indices": _split(perm7, p)},), None),
        ("1d-irregular", (10,), ({"dist_type": "b", "bounds": bounds10},), None),
        ("2d-default", (5, 9), None, None),
        ("2d-bb", (5, 9), ("b", "b"), None),
        ("2d-bn", (7, 4), ("b", "n"), None),
        ("2d-nb", (7, 4), ("n", "b"), None),
        ("2d-bc", (5, 9), ("b", "c"), None),
        ("2d-cc", (5, 9), ("c", "c"), None),
        ("2d-empty-rows", (0, 3), ("b", "n"), None),
        ("2d-empty-cols", (3, 0), ("b", "b"), None),
        ("2d-more-procs-than-rows", (1, 1), ("b", "b"), None),
        ("3d-cbc", (5, 9, 3), ("c", "b", "c"), None),
        ("3d-default", (2, 3, 4), None, None),
        ("4d-default", (2, 3, 1, 4), None, None),
    ]
    return cases


#: Explicit grids on 4 workers: ``(shape, dist, grid_shape)``.
GRIDS_ON_4 = [((5, 9), ("b", "b"), (2, 2)), ((5, 9), ("b", "c"), (1, 4)),
              ((5, 9), ("c", "b"), (2, 1)), ((4, 6, 5), ("b", "c", "b"), (2, 1, 2))]

LAYOUT_IDS = [case[0] for case in layouts(4)]


def layout(nworkers, name):
    """The case called ``name`` for ``nworkers`` workers."""
    return next(case[1:] for case in layouts(nworkers) if case[0] == name)


def sample(shape, dtype=np.float64, seed=0):
    """Distinct values of ``dtype`` (so misplaced elements are detected)."""
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) * 1.5 - 7
    if np.dtype(dtype) == np.bool_:
        return (np.arange(values.size).reshape(shape) % 3) == 1
    if np.issubdtype(dtype, np.complexfloating):
        return (values + 1j * values[::-1] if values.ndim else values + 2j).astype(dtype)
    return values.astype(dtype)
