"""linalg.tensorsolve and linalg.tensorinv against NumPy, across layouts and 1-4 workers."""

import math

import numpy as np
import pytest

import distarray
from distarray import Distribution


#: Distributions of a 4-D tensor: block, cyclic, block-cyclic, undistributed, unstructured.
DISTS = {
    "bbnn": ("b", "b", "n", "n"),
    "cnbn": ("c", "n", "b", "n"),
    "blockcyclic": ({"dist_type": "c", "block_size": 2}, "n", "n", "c"),
    "unstructured": ("n", {"dist_type": "u"}, "n", "n"),
}


def tensor(ctx, shape, dist_name, dtype=np.float64, seed=0):
    """A tensor of ``shape`` (holding a square number of elements) whose square matrix
    is well conditioned."""
    rows = math.isqrt(math.prod(shape))
    rng = np.random.default_rng(seed)
    matrix = rng.integers(-4, 5, (rows, rows)) + 3 * rows * np.eye(rows)
    x = matrix.astype(dtype).reshape(shape)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * rng.normal(size=shape)
    dist = list(DISTS[dist_name][:len(shape)])
    for axis, entry in enumerate(dist):
        if isinstance(entry, dict) and entry["dist_type"] == "u":
            order = rng.permutation(shape[axis])
            dist[axis] = {"dist_type": "u",
                          "indices": [order[r::ctx.nworkers] for r in range(ctx.nworkers)]}
    return ctx.fromarray(x, Distribution(ctx, shape, dist=tuple(dist))), x


def close(got, want):
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape)
    tolerance = 1e-4 if got.dtype in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(got.toarray(), want, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("dist_name", list(DISTS))
def test_tensorsolve(ctx, dist_name):
    d, x = tensor(ctx, (2, 3, 3, 2), dist_name)
    rhs = np.arange(6.0).reshape(2, 3) - 2
    close(np.linalg.tensorsolve(d, rhs), np.linalg.tensorsolve(x, rhs))
    b = ctx.fromarray(rhs, dist=("c", "b"))
    close(np.linalg.tensorsolve(d, b), np.linalg.tensorsolve(x, rhs))
    moved = np.moveaxis(x, 0, 2)  # its axes (2, 1) go last: x's order (3, 2) back
    dm = ctx.fromarray(moved)
    close(np.linalg.tensorsolve(dm, b, axes=(2, 1)), np.linalg.tensorsolve(moved, rhs, (2, 1)))
    d3, x3 = tensor(ctx, (6, 3, 2), dist_name)
    flat = rhs.reshape(6)
    close(np.linalg.tensorsolve(d3, ctx.fromarray(flat)), np.linalg.tensorsolve(x3, flat))


@pytest.mark.parametrize("dist_name", list(DISTS))
def test_tensorinv(ctx, dist_name):
    d, x = tensor(ctx, (2, 3, 3, 2), dist_name)
    close(np.linalg.tensorinv(d), np.linalg.tensorinv(x))
    square, xs = tensor(ctx, (6, 3, 2), dist_name)
    close(np.linalg.tensorinv(square, ind=1), np.linalg.tensorinv(xs, ind=1))


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.complex128])
def test_dtypes(contexts, dtype):
    ctx = contexts[3]
    d, x = tensor(ctx, (2, 2, 4), "cnbn", dtype)
    rhs = np.ones((2, 2), dtype)
    close(np.linalg.tensorsolve(d, ctx.fromarray(rhs)), np.linalg.tensorsolve(x, rhs))
    close(np.linalg.tensorinv(d, ind=2), np.linalg.tensorinv(x, ind=2))


def test_empty(contexts):
    ctx = contexts[2]
    a, b = np.zeros((2, 0, 2, 0)), np.zeros((2, 0))
    close(np.linalg.tensorsolve(ctx.fromarray(a), ctx.fromarray(b)),
          np.linalg.tensorsolve(a, b))


def same_error(ctx, function, x, *args):
    """``function`` of ``x`` distributed raises NumPy's exception type, before sending."""
    with pytest.raises(Exception) as expected:
        function(x, *args)
    d = ctx.fromarray(x)
    posted = ctx.pool.channel.posted
    with pytest.raises(Exception) as got:
        function(d, *args)
    assert type(got.value) is type(expected.value), (got.value, expected.value)
    assert ctx.pool.channel.posted == posted


def test_errors_before_anything_is_sent(contexts):
    ctx = contexts[4]
    x = np.ones((2, 3, 3, 2))
    rhs = np.ones((2, 3))
    solve, inverse = np.linalg.tensorsolve, np.linalg.tensorinv
    same_error(ctx, solve, x, np.ones(4))  # LinAlgError: 36 != 18**2
    same_error(ctx, solve, np.ones((6, 3, 2)), np.ones(5))  # ValueError of solve
    same_error(ctx, solve, x, rhs, (-1,))  # NumPy takes no negative axes
    same_error(ctx, solve, x, rhs, (1, 1))
    same_error(ctx, solve, np.ones((2, 2), "m8[s]"), np.ones(2))
    same_error(ctx, inverse, x, 0)
    same_error(ctx, inverse, x, 1)  # 2 x 18: not square
    same_error(ctx, inverse, np.ones((0, 3)), 1)
    same_error(ctx, inverse, np.ones((2, 3, 4)), 5)
