"""polyval, vander, polyfit, kron, sinc and i0 of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray

from checks import made, nothing_sent, same
from layouts import sample

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (2, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (1, "2d-bc"), (4, "2d-nb"), (2, "3d-cbc")]
VECTORS = [(2, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"), (3, "1d-blockcyclic"),
           (1, "1d-undistributed")]


def close(got, expected):
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got.toarray(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("nworkers,name", CASES)
def test_elementwise(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    close(np.polyval([2.0, -1, 0.5], d), np.polyval([2.0, -1, 0.5], x))
    same(np.polyval(np.array([3, 1], np.int16), d), np.polyval(np.array([3, 1], np.int16), x))
    close(np.sinc(d), np.sinc(x))
    close(distarray.i0(d), np.i0(x))


@pytest.mark.parametrize("dtype", [np.int8, np.float32, np.complex128, np.bool_])
def test_elementwise_dtypes(contexts, dtype):
    x = sample((3, 4), dtype)
    d = contexts[3].fromarray(x, dist=("c", "b"))
    same(np.polyval([1, 2, 3], d), np.polyval([1, 2, 3], x))
    close(distarray.polyval(np.array([0.5, 1j]), d), np.polyval(np.array([0.5, 1j]), x))
    if dtype != np.bool_:
        close(np.sinc(d), np.sinc(x))
    if dtype != np.complex128:
        close(np.i0(d), np.i0(x))


@pytest.mark.parametrize("nworkers,name", VECTORS)
def test_vander(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    for n, increasing in ((None, False), (0, True), (1, False), (4, True)):
        close(np.vander(d, n, increasing), np.vander(x, n, increasing))
    integers = (x * 2).astype(np.int32)
    same(np.vander(contexts[nworkers].fromarray(integers), 3), np.vander(integers, 3))


@pytest.mark.parametrize("nworkers,name", [(2, "1d-cyclic"), (4, "1d-unstructured")])
def test_polyfit(contexts, nworkers, name):
    ctx = contexts[nworkers]
    dx, x = made(contexts, nworkers, name)
    y = 0.5 * x ** 3 - x + np.cos(x)
    dy = ctx.fromarray(y, dist="c")
    close(np.polyfit(dx, dy, 3), np.polyfit(x, y, 3))
    close(np.polyfit(dx, y, 1), np.polyfit(x, y, 1))
    w = np.linspace(1, 2, len(x))
    close(np.polyfit(x, dy, 2, w=ctx.fromarray(w)), np.polyfit(x, y, 2, w=w))
    ys = np.stack([y, x - 1], axis=1)
    close(np.polyfit(dx, ctx.fromarray(ys), 2, w=w), np.polyfit(x, ys, 2, w=w))
    got, expected = np.polyfit(dx, dy, 2, full=True), np.polyfit(x, y, 2, full=True)
    close(got[0], expected[0])
    close(got[1], expected[1])
    assert got[2] == expected[2]
    close(got[3], expected[3])
    assert got[4] == expected[4]
    for cov, values, distributed in ((True, y, dy), ("unscaled", ys, ctx.fromarray(ys))):
        got, expected = np.polyfit(dx, distributed, 2, cov=cov), np.polyfit(x, values, 2, cov=cov)
        close(got[0], expected[0])
        close(got[1], expected[1])


def test_polyfit_rank_warning_and_errors(ctx):
    x = np.array([1.0, 1.0, 2.0, 2.0])
    d = ctx.fromarray(x)
    with pytest.warns(np.exceptions.RankWarning):
        np.polyfit(d, d, 2)
    empty = ctx.fromarray(np.zeros(0))
    nothing_sent(ctx, ValueError, np.polyfit, d, d, -1)
    nothing_sent(ctx, TypeError, np.polyfit, empty, empty, 1)
    nothing_sent(ctx, TypeError, np.polyfit, d, d[:3], 1)
    nothing_sent(ctx, TypeError, np.polyfit, ctx.fromarray(np.ones((2, 2))), d, 1)
    nothing_sent(ctx, TypeError, np.polyfit, d, d, 1, None, False, np.ones(3))
    nothing_sent(ctx, ValueError, np.polyfit, d, d, 3, None, False, None, True)
    nothing_sent(ctx, ValueError, np.vander, ctx.fromarray(np.ones((2, 2))))
    nothing_sent(ctx, ValueError, np.vander, d, -1)
    nothing_sent(ctx, TypeError, np.polyval, d, d)
    nothing_sent(ctx, TypeError, np.i0, ctx.fromarray(np.ones(3) * 1j))


@pytest.mark.parametrize("nworkers", [1, 4])
def test_kron(contexts, nworkers):
    ctx = contexts[nworkers]
    for a, b in ((sample((5,)), sample((3,), np.int32)), (sample((2, 3)), sample((3, 2))),
                 (sample((4,), np.complex64), sample((2, 3))), (sample((0, 2)), sample((2,))),
                 (sample((3, 1), np.int8), sample(())), (sample((2, 1, 3)), sample((2, 2)))):
        expected = np.kron(a, b)
        da, db = ctx.fromarray(a, dist=("c", "b", "c")[:a.ndim]), ctx.fromarray(b)
        close(np.kron(da, db), expected)
        close(np.kron(da, b), expected)
        close(np.kron(a, db), expected)
