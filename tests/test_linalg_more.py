"""numpy.linalg functions composed of distributed operations, against NumPy, on 1-4 workers."""

import numpy as np
import pytest

import distarray

from test_linalg import rand

BLOCK_CYCLIC = {"dist_type": "c", "block_size": 2}
#: ``(workers, 2-D layout)``: block rows, a 2-D grid, cyclic, block-cyclic, undistributed.
CASES = [(2, ("b", "n")), (4, ("b", "b")), (3, ("c", "c")), (4, (BLOCK_CYCLIC, "n")),
         (1, ("n", "n"))]


def check(got, expected):
    values = got.toarray() if isinstance(got, distarray.DistArray) else got
    assert np.shape(values) == np.shape(expected)
    assert np.asarray(values).dtype == np.asarray(expected).dtype
    single = np.asarray(expected).dtype in (np.float32, np.complex64)
    np.testing.assert_allclose(values, expected, rtol=1e-4 if single else 1e-7,
                               atol=1e-5 if single else 1e-9)


@pytest.mark.parametrize("nworkers, dist", CASES[:4], ids=str)
def test_matrix_power(contexts, nworkers, dist):
    ctx = contexts[nworkers]
    for dtype, powers in ((np.float64, (0, 1, 3, -2)), (np.int64, (0, 5)), (np.complex128, (2,))):
        x = rand((5, 5), dtype) + 4 * np.eye(5, dtype=dtype)
        d = ctx.fromarray(x, dist=dist)
        for n in powers:
            check(np.linalg.matrix_power(d, n), np.linalg.matrix_power(x, n))
    stack = rand((3, 4, 4)) + 4 * np.eye(4)
    s = ctx.fromarray(stack)
    for n in (0, 3, -1):
        check(np.linalg.matrix_power(s, n), np.linalg.matrix_power(stack, n))
    check(np.linalg.matrix_power(ctx.zeros((0, 0)), 2), np.zeros((0, 0)))
    with pytest.raises(TypeError, match="exponent must be an integer"):
        np.linalg.matrix_power(d, 1.5)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.matrix_power(ctx.zeros((3, 4)), 2)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.matrix_power(ctx.zeros(3), 2)


@pytest.mark.parametrize("nworkers", (2, 3))
def test_multi_dot(contexts, nworkers):
    ctx = contexts[nworkers]
    a, b, c, v = rand((4, 9), seed=1), rand((9, 2), seed=2), rand((2, 7), seed=3), rand(7)
    da, dc = ctx.fromarray(a, dist=("c", "b")), ctx.fromarray(c)
    dv = ctx.fromarray(v)
    check(np.linalg.multi_dot([da, b, dc]), np.linalg.multi_dot([a, b, c]))
    check(np.linalg.multi_dot([da, b, dc, dv]), np.linalg.multi_dot([a, b, c, v]))
    check(np.linalg.multi_dot([v, dc.T, b.T, da.T, a[:, 0]]), np.linalg.multi_dot(
        [v, c.T, b.T, a.T, a[:, 0]]))
    check(np.linalg.multi_dot([dc.T, b.T, da.T, a]), np.linalg.multi_dot([c.T, b.T, a.T, a]))
    check(np.linalg.multi_dot([da, b]), np.linalg.multi_dot([a, b]))
    out = ctx.zeros((4, 7))
    assert np.linalg.multi_dot([da, b, dc], out=out) is out
    check(out, a @ b @ c)
    with pytest.raises(ValueError, match="at least two"):
        np.linalg.multi_dot([da])
    with pytest.raises(ValueError):
        np.linalg.multi_dot([da, b, da])
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.multi_dot([da, ctx.zeros((9, 2, 2)), dc])


@pytest.mark.parametrize("nworkers, dist", CASES, ids=str)
def test_pinv_rank_cond(contexts, nworkers, dist):
    ctx = contexts[nworkers]
    for shape, dtype, p in (((9, 4), np.float64, None), ((3, 6), np.complex128, -2),
                            ((5, 5), np.float32, 2)):
        x = rand(shape, dtype)
        d = ctx.fromarray(x, dist=dist)
        check(np.linalg.pinv(d), np.linalg.pinv(x))
        assert np.linalg.matrix_rank(d) == np.linalg.matrix_rank(x)
        check(np.linalg.cond(d, p), np.linalg.cond(x, p))
    low_rank = np.outer(rand(6), rand(5, seed=1)) + np.outer(rand(6, seed=2), rand(5, seed=3))
    d = ctx.fromarray(low_rank, dist=dist)
    check(np.linalg.pinv(d, rtol=None), np.linalg.pinv(low_rank, rtol=None))
    for tol in ({}, {"tol": 1e-3}, {"rtol": 0.5}):
        assert np.linalg.matrix_rank(d, **tol) == np.linalg.matrix_rank(low_rank, **tol)
    square = rand((5, 5), seed=4)
    d = ctx.fromarray(square, dist=dist)
    for p in ("fro", "nuc", -1, np.inf):
        check(np.linalg.cond(d, p), np.linalg.cond(square, p))


@pytest.mark.parametrize("nworkers", (3, 4))
def test_pinv_rank_cond_special(contexts, nworkers):
    ctx = contexts[nworkers]
    zero = ctx.zeros((4, 4))
    check(np.linalg.pinv(zero), np.zeros((4, 4)))
    assert np.linalg.matrix_rank(zero) == 0
    for p in (None, 1):
        assert np.linalg.cond(zero, p) == np.linalg.cond(np.zeros((4, 4)), p) == np.inf
    check(np.linalg.pinv(ctx.zeros((0, 3))), np.zeros((3, 0)))
    for empty in (np.zeros((0, 3), np.int64), np.zeros((0, 2, 2), np.int64)):
        check(np.linalg.pinv(ctx.fromarray(empty)), np.linalg.pinv(empty))  # int; float64
    assert np.linalg.matrix_rank(ctx.zeros(5)) == 0
    assert np.linalg.matrix_rank(ctx.fromarray(np.arange(5.0))) == 1
    stack = rand((3, 6, 4))
    s = ctx.fromarray(stack)
    check(np.linalg.pinv(s), np.linalg.pinv(stack))
    check(np.linalg.matrix_rank(s), np.linalg.matrix_rank(stack))
    check(np.linalg.cond(s), np.linalg.cond(stack))
    square = rand((2, 4, 4))
    check(np.linalg.cond(ctx.fromarray(square), 1), np.linalg.cond(square, 1))
    singular = np.stack([square[0], np.zeros((4, 4)), square[1]])  # NumPy: inf for it
    for p in (None, 1, -np.inf, "fro", -2):
        check(np.linalg.cond(ctx.fromarray(singular), p), np.linalg.cond(singular, p))
    check(np.linalg.cond(ctx.zeros((0, 3, 3)), 1), np.linalg.cond(np.zeros((0, 3, 3)), 1))
    with pytest.raises(np.linalg.LinAlgError, match="empty"):
        np.linalg.cond(ctx.zeros((0, 3)))
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cond(ctx.zeros((3, 4)), 1)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.pinv(ctx.zeros(3))
    with pytest.raises(ValueError):
        np.linalg.pinv(zero, rcond=0.1, rtol=0.1)
    with pytest.raises(ValueError):
        np.linalg.matrix_rank(zero, tol=0.1, rtol=0.1)


@pytest.mark.parametrize("nworkers", (1, 4))
def test_array_api_names(contexts, nworkers):
    ctx = contexts[nworkers]
    x = rand((2, 5, 3))
    d = ctx.fromarray(x, dist=("n", "c", "b"))
    for transpose in (np.matrix_transpose, np.linalg.matrix_transpose):
        check(transpose(d), np.matrix_transpose(x))
        with pytest.raises(ValueError, match="at least 2-dimensional"):
            transpose(ctx.zeros(3))
    for offset in (0, 1, -2):
        check(np.linalg.diagonal(d, offset=offset), np.linalg.diagonal(x, offset=offset))
    check(np.linalg.trace(d, offset=1), np.linalg.trace(x, offset=1))
    u, v = rand(5), rand(3, np.int64)
    check(np.linalg.outer(ctx.fromarray(u), v), np.linalg.outer(u, v))
    with pytest.raises(ValueError, match="one-dimensional"):
        np.linalg.outer(d, v)
    y = rand((4, 1, 3), seed=1)
    dy = ctx.fromarray(y, dist=("c", "n", "n"))
    check(np.linalg.cross(d[0], dy), np.linalg.cross(x[0], y))
    check(np.linalg.cross(v, dy), np.linalg.cross(v, y))
    z = np.moveaxis(y, -1, 0)
    check(np.linalg.cross(ctx.fromarray(z), z[:, ::-1], axis=0), np.linalg.cross(z, z[:, ::-1],
                                                                                  axis=0))
    with pytest.raises(ValueError, match="3-dimensional vectors"):
        np.linalg.cross(d, dy[..., :2])
