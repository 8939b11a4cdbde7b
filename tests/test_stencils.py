"""Halo exchange, map_overlap and slicing stencils against NumPy."""

import numpy as np
import pytest

from distarray import Distribution

MODES = {"reflect": "symmetric", "nearest": "edge", "periodic": "wrap"}


def laplacian(u):
    out = np.zeros_like(u)
    out[1:-1, 1:-1] = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4 * u[1:-1, 1:-1]
    return out


def _reference(x, boundary, depth=1):
    padded = np.pad(x, depth, mode=MODES[boundary]) if boundary in MODES else \
        np.pad(x, depth, constant_values=boundary)
    return laplacian(padded)[depth:-depth, depth:-depth]


@pytest.mark.parametrize("dist, grid", [(("b", "n"), None), (("b", "b"), None),
                                        (("n", "b"), None), (("c", "b"), None)])
@pytest.mark.parametrize("boundary", ["reflect", "nearest", "periodic", 0.0, 2.5])
def test_map_overlap_matches_numpy(ctx, dist, grid, boundary):
    x = np.random.default_rng(1).random((13, 11))
    a = ctx.fromarray(x, dist=dist, grid_shape=grid)
    got = a.map_overlap(laplacian, 1, boundary=boundary)
    assert got.distribution is a.distribution
    np.testing.assert_allclose(got.toarray(), _reference(x, boundary), rtol=1e-13)


def box(u, depth=2):
    """The sum over each cell's (2 depth + 1)-cube (zeros at the edges): it reads corners."""
    out = np.zeros_like(u)
    inner = tuple(slice(depth, n - depth) for n in u.shape)
    for shift in np.ndindex(*(2 * depth + 1,) * u.ndim):
        out[inner] += u[tuple(slice(s, n - 2 * depth + s) for s, n in zip(shift, u.shape))]
    return out


@pytest.mark.parametrize("shape, dist", [((9, 10), ("b", "b")), ((6, 5, 8), ("b", "n", "b"))])
@pytest.mark.parametrize("boundary", ["reflect", "nearest", "periodic", -1.5])
def test_map_overlap_fills_corners(contexts, shape, dist, boundary):
    x = np.random.default_rng(2).random(shape)
    a = contexts[4].fromarray(x, dist=dist)
    padded = np.pad(x, 2, mode=MODES[boundary]) if boundary in MODES else \
        np.pad(x, 2, constant_values=boundary)
    expected = box(padded)[tuple(slice(2, -2) for _ in shape)]
    np.testing.assert_allclose(a.map_overlap(box, 2, boundary=boundary).toarray(), expected)


def test_map_overlap_depth_two_and_errors(contexts):
    ctx = contexts[4]
    x = np.arange(40.0).reshape(10, 4)

    def smooth(u):
        return np.pad((u[:-4] + u[1:-3] + u[2:-2] + u[3:-1] + u[4:]) / 5, ((2, 2), (0, 0)))

    a = ctx.fromarray(x, dist="b")
    expected = np.pad(x, ((2, 2), (2, 2)), mode="symmetric")
    expected = ((expected[:-4] + expected[1:-3] + expected[2:-2] + expected[3:-1]
                 + expected[4:]) / 5)[:, 2:-2]
    np.testing.assert_allclose(a.map_overlap(smooth, 2).toarray(), expected)
    with pytest.raises(ValueError):
        a.map_overlap(smooth, 3)  # a piece has 2 rows only: would need far neighbours
    with pytest.raises(ValueError):
        a.map_overlap(smooth, 1, boundary="mirror")
    with pytest.raises(ValueError):
        a.map_overlap(smooth, -1)


def test_unstructured_axes_on_one_process_are_put_in_order(contexts):
    """An unstructured axis holds its cells in its own order, even unsplit: grown in order."""
    x = np.random.default_rng(4).random((7, 5))
    rows = {"dist_type": "u", "indices": [np.array([3, 0, 6, 1, 5, 2, 4])]}
    columns = {"dist_type": "u", "indices": [np.array([4, 1, 3, 0, 2])]}
    for nworkers, dist in ((1, (rows, "n")), (1, ("n", columns)), (2, ("b", columns))):
        a = contexts[nworkers].fromarray(x, dist=dist)
        np.testing.assert_allclose(a.map_overlap(laplacian, 1).toarray(),
                                   _reference(x, "reflect"), rtol=1e-13)


def test_an_error_of_the_function_reaches_the_client(ctx):
    a = ctx.fromarray(np.arange(40.0).reshape(10, 4), dist=("b", "n"))

    def fails(piece):
        raise ZeroDivisionError("from the piece")

    with pytest.raises(ZeroDivisionError, match="from the piece"):
        a.map_overlap(fails, 1)
    np.testing.assert_array_equal(a.map_overlap(lambda p: p * 2, 1).toarray(), a.toarray() * 2)


def test_halos_hold_the_neighbours_cells(contexts):
    ctx = contexts[4]
    x = np.random.default_rng(2).random((9, 8))
    for dist, grid in [(("b", "n"), None), (("b", "b"), (2, 2))]:
        a = ctx.fromarray(x, Distribution(ctx, x.shape, dist=dist, grid_shape=grid))
        h = a.with_halos(1)
        np.testing.assert_array_equal(h.toarray(), x)
        for piece in h.get_localarrays():
            cells = [m.global_indices(c, padding=True) for m, c in zip(piece.maps, piece.coords)]
            np.testing.assert_array_equal(piece.ndarray, x[np.ix_(*cells)])
        h[...] = -x  # owned cells change; halos are stale until the next exchange
        h.exchange_halos()
        for piece in h.get_localarrays():
            cells = [m.global_indices(c, padding=True) for m, c in zip(piece.maps, piece.coords)]
            np.testing.assert_array_equal(piece.ndarray, -x[np.ix_(*cells)])


@pytest.mark.parametrize("dist", [("b", "n"), ("b", "b"), ("c", "n")])
def test_slicing_stencil(ctx, dist):
    x = np.random.default_rng(3).random((12, 9))
    u = ctx.fromarray(x, dist=dist)
    step = u[1:-1, 1:-1] + 0.1 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:]
                                 - 4 * u[1:-1, 1:-1])
    expected = x[1:-1, 1:-1] + 0.1 * (x[:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, :-2] + x[1:-1, 2:]
                                      - 4 * x[1:-1, 1:-1])
    np.testing.assert_allclose(step.toarray(), expected, rtol=1e-14)
    u[1:-1, 1:-1] = step
    x[1:-1, 1:-1] = expected
    np.testing.assert_allclose(u.toarray(), x, rtol=1e-14)
