"""distarray.fft against numpy.fft on gathered arrays."""

import numpy as np
import pytest

import distarray
import distarray.fft as dfft
from distarray.plan.fft import four_step_factors
from distarray.plan.maps import BlockMap

from layouts import layout


def make(ctx, data, dist=None, grid_shape=None):
    return distarray.fromarray(data, context=ctx, dist=dist, grid_shape=grid_shape)


def complex_sample(shape, seed=0, dtype=np.complex128):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(dtype)


def close(got, want):
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.toarray(), want, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("case", ["1d-default-odd", "1d-unstructured", "2d-bb", "2d-bc",
                                  "3d-cbc"])
def test_one_dimensional_transforms_every_axis(ctx, case):
    shape, dist, grid = layout(ctx.nworkers, case)
    data = complex_sample(shape)
    d = make(ctx, data, dist, grid)
    real = make(ctx, data.real.copy(), dist, grid)
    for axis in range(len(shape)):
        m = shape[axis]
        close(dfft.fft(d, axis=axis), np.fft.fft(data, axis=axis))
        close(dfft.ifft(d, n=m + 3, axis=axis, norm="ortho"),
              np.fft.ifft(data, n=m + 3, axis=axis, norm="ortho"))
        close(dfft.rfft(real, axis=axis, norm="forward"),
              np.fft.rfft(data.real, axis=axis, norm="forward"))
        if m > 1:
            close(dfft.irfft(d, axis=axis), np.fft.irfft(data, axis=axis))
            close(dfft.fft(d, n=m - 1, axis=axis), np.fft.fft(data, n=m - 1, axis=axis))


@pytest.mark.parametrize("dist,grid", [(("b", "n"), None), (("c", "b"), None)])
def test_two_dimensional(ctx, dist, grid):
    data = complex_sample((12, 10), seed=1)
    d = make(ctx, data, dist, grid)
    real = make(ctx, data.real.copy(), dist, grid)
    close(dfft.fftn(d), np.fft.fftn(data))
    close(dfft.ifftn(d, norm="ortho"), np.fft.ifftn(data, norm="ortho"))
    close(dfft.fft2(d, s=(5, 14)), np.fft.fft2(data, s=(5, 14)))
    close(dfft.rfftn(real), np.fft.rfftn(data.real))
    close(dfft.rfft2(real, axes=(1, 0)), np.fft.rfft2(data.real, axes=(1, 0)))
    close(dfft.irfftn(d), np.fft.irfftn(data))
    close(dfft.irfft2(d, s=(12, 9)), np.fft.irfft2(data, s=(12, 9)))
    close(dfft.ifft2(d), np.fft.ifft2(data))
    close(np.fft.fftn(d, axes=(0,)), np.fft.fftn(data, axes=(0,)))


def test_three_dimensional_pencils(contexts):
    ctx = contexts[4]
    data = complex_sample((6, 8, 5), seed=2)
    for dist, grid in [(("b", "b", "n"), (2, 2, 1)), (("b", "b", "b"), (1, 2, 2)),
                       (None, None)]:
        d = make(ctx, data, dist, grid)
        close(dfft.fftn(d), np.fft.fftn(data))
        close(dfft.ifftn(d, s=(3, 8, 7), axes=(2, 0, 1)),
              np.fft.ifftn(data, s=(3, 8, 7), axes=(2, 0, 1)))
        close(dfft.rfftn(make(ctx, data.real.copy(), dist, grid)), np.fft.rfftn(data.real))
        close(dfft.irfftn(d, axes=(0, 2)), np.fft.irfftn(data, axes=(0, 2)))


def test_round_trip_and_layout(contexts):
    ctx = contexts[4]
    data = complex_sample((16, 16), seed=3)
    d = make(ctx, data)
    forward = dfft.fftn(d)
    assert forward.distribution.maps[0].grid_size == 1  # left in the last transform's layout
    back = dfft.ifftn(forward).redistribute(d.distribution)
    np.testing.assert_allclose(back.toarray(), data, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.complex64, np.bool_])
def test_dtypes(contexts, dtype):
    ctx = contexts[3]
    data = (np.arange(30).reshape(5, 6) % 4).astype(dtype)
    d = make(ctx, data)
    close(dfft.fft(d, axis=0), np.fft.fft(data, axis=0))
    close(dfft.fftn(d), np.fft.fftn(data))
    if dtype != np.complex64:
        close(dfft.rfft(d, axis=0), np.fft.rfft(data, axis=0))


def test_errors(contexts):
    ctx = contexts[2]
    d = make(ctx, complex_sample((4, 6)))
    with pytest.raises(ValueError, match="Invalid number of FFT data points"):
        dfft.fft(d, n=0)
    with pytest.raises(ValueError, match="Invalid number of FFT data points"):
        dfft.irfft(make(ctx, np.ones((4, 1))))
    with pytest.raises(ValueError, match="Invalid norm"):
        dfft.fft(d, norm="sideways")
    with pytest.raises(IndexError):
        dfft.fft(d, axis=2)
    with pytest.raises(ValueError, match="different lengths"):
        dfft.fftn(d, s=(4,), axes=(0, 1))
    with pytest.raises(TypeError):
        dfft.rfft(d)
    with pytest.raises(ValueError, match="wrong shape"):
        dfft.fft(d, n=5, out=d)
    with pytest.raises(TypeError):
        dfft.fft(d, out=d.real)


@pytest.mark.parametrize("dist", [("b", "c"), ("n", "b")])
def test_out(contexts, dist):
    ctx = contexts[3]
    data = complex_sample((4, 6), seed=9)
    real = data.real.copy()
    out = make(ctx, np.zeros((4, 6), np.complex64), dist)
    layout = out.distribution
    for name, x, kwargs in [("fft", data, {"axis": 0}), ("ifftn", data, {"norm": "ortho"}),
                            ("rfft2", real, {"s": (4, 10)}), ("ihfft", real, {"n": 11}),
                            ("hfft", data, {"n": 6, "axis": 0})]:
        want_out = np.zeros(getattr(np.fft, name)(x, **kwargs).shape,
                            np.float32 if name == "hfft" else np.complex64)
        got_out = out if want_out.shape == out.shape else make(ctx, want_out, dist)
        got = getattr(dfft, name)(make(ctx, x), out=got_out, **kwargs)
        want = getattr(np.fft, name)(x, out=want_out, **kwargs)
        assert got is got_out and (want is want_out or name == "hfft")  # NumPy's drops it
        assert got.distribution == (layout if got_out is out else got.distribution)
        np.testing.assert_allclose(got.toarray(), want, rtol=1e-5, atol=1e-5)


def test_deprecated_shapes(contexts):
    """NumPy 2 deprecates (but still runs) ``s`` without ``axes`` and None in ``s`` (the
    1-D default on the axis as the earlier transforms leave it)."""
    ctx = contexts[3]
    data = complex_sample((4, 5, 6), seed=8)
    d = make(ctx, data)
    for name, kwargs in [("fftn", {"s": (3, 7)}), ("irfftn", {"s": (None, 6), "axes": (0, 2)}),
                         ("ifftn", {"s": (4, None), "axes": (2, 2)}),
                         ("irfft2", {"s": (5, None), "axes": (1, 1)})]:
        with pytest.warns(DeprecationWarning):
            want = getattr(np.fft, name)(data, **kwargs)
        with pytest.warns(DeprecationWarning) as caught:
            close(getattr(np.fft, name)(d, **kwargs), want)
        assert {w.filename for w in caught} == {__file__}  # the user's line


# -- the distributed (four-step) 1-D FFT ---------------------------------------------------
def one_dimensional_dists(size, nworkers, seed=0):
    """Every distribution type of a 1-D axis of ``size`` on ``nworkers`` workers."""
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(size)
    cuts = [0, *sorted(rng.integers(0, size + 1, nworkers - 1).tolist()), size]
    return [("b",), ("c",), ({"dist_type": "c", "block_size": 4},),
            ({"dist_type": "u", "indices": [shuffled[r::nworkers] for r in range(nworkers)]},),
            ({"dist_type": "b", "bounds": cuts},)]


def accurate(got, want, tol=1e-12):
    """``got`` (a DistArray) equals ``want`` to ``tol`` relative to its largest value."""
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    error = np.abs(got.toarray() - want).max(initial=0)
    assert error <= tol * max(np.abs(want).max(initial=0), 1), error


def assert_even_block(result, axis, nworkers):
    """The four-step layout: ``axis`` split evenly over all workers, the others whole."""
    for ax, m in enumerate(result.distribution.maps):
        assert m == (BlockMap(m.size, nworkers) if ax == axis else BlockMap(m.size, 1))


def test_four_step_factors():
    assert four_step_factors(2 ** 24, 2) == (4096, 4096)
    assert four_step_factors(2 ** 24, 4) == (4096, 4096)
    assert four_step_factors(36, 3) == (6, 6)
    for n, nprocs in [(105, 2), (105, 3), (2 ** 10, 3), (12, 2), (9, 3), (1000, 4)]:
        n1, n2 = four_step_factors(n, nprocs)
        assert n1 * n2 == n and min(n1, n2) >= nprocs
    for n, nprocs in [(97, 2), (1, 2), (8, 3), (15, 4), (2 * 101, 3)]:
        assert four_step_factors(n, nprocs) is None


@pytest.mark.parametrize("size", [105, 64, 97])
def test_distributed_one_dimensional(ctx, size):
    data = complex_sample(size, seed=size)
    p = ctx.nworkers
    distributed = p > 1 and four_step_factors(size, p) is not None
    others = [lambda d, x: (dfft.ifft(d, norm="ortho"), np.fft.ifft(x, norm="ortho")),
              lambda d, x: (dfft.irfft(d, n=size), np.fft.irfft(x, n=size)),
              lambda d, x: (dfft.rfft(make(ctx, x.real.copy(), d.dist), norm="forward"),
                            np.fft.rfft(x.real, norm="forward"))]
    for k, dist in enumerate(one_dimensional_dists(size, p)):
        d = make(ctx, data, dist)
        result = dfft.fft(d)
        accurate(result, np.fft.fft(data))
        if distributed:
            assert_even_block(result, 0, p)
        accurate(*others[k % len(others)](d, data))


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft"])
def test_distributed_padding_truncation_norms(contexts, name):
    ctx = contexts[3]
    data = complex_sample(60, seed=4)
    data = data.real.copy() if name == "rfft" else data
    d = make(ctx, data, ("c",))
    for n, norm in [(None, None), (63, "ortho"), (45, "forward"), (128, "backward"),
                    (9, None)]:
        result = getattr(dfft, name)(d, n=n, norm=norm)
        want = getattr(np.fft, name)(data, n=n, norm=norm)
        accurate(result, want)
        points = n or (2 * (len(data) - 1) if name == "irfft" else len(data))
        if four_step_factors(points, 3) is not None:
            assert_even_block(result, 0, 3)


def test_distributed_empty_and_single(contexts):
    ctx = contexts[3]
    empty, single = make(ctx, np.zeros(0, complex)), make(ctx, np.array([2 - 1j]))
    accurate(dfft.fft(empty, n=12), np.fft.fft(np.zeros(0, complex), n=12))
    accurate(dfft.fft(single), np.fft.fft([2 - 1j]))
    accurate(dfft.ifft(single, n=9), np.fft.ifft([2 - 1j], n=9))
    accurate(dfft.irfft(single, n=16), np.fft.irfft([2 - 1j], n=16))
    assert_even_block(dfft.ifft(single, n=9), 0, 3)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64, np.int16, np.bool_, np.longdouble])
def test_distributed_dtypes(contexts, dtype):
    ctx = contexts[2]
    data = complex_sample(48, seed=5) * 3
    data = (data if np.dtype(dtype).kind == "c" else data.real).astype(dtype)
    d = make(ctx, data, ("c",))
    tol = 1e-6 if dtype in (np.float32, np.complex64) else 1e-12
    accurate(dfft.fft(d), np.fft.fft(data), tol)
    if dtype != np.complex64:
        accurate(dfft.rfft(d), np.fft.rfft(data), tol)
    accurate(dfft.irfft(d), np.fft.irfft(data), tol)


def test_distributed_half_precision(contexts):
    """float16 input: NumPy's float16 results (irfft, hfft) and its float16 normalization
    factors (``1 / n`` rounded to float16), as the one-worker path gives them."""
    ctx = contexts[2]
    data = (np.arange(48) * 0.7).astype(np.float16)
    d = make(ctx, data, ("c",))
    assert dfft._four_step_plan(d, [("ifft", 48, 0)]) is not None
    for name in ("ifft", "irfft", "hfft", "ihfft"):
        accurate(getattr(dfft, name)(d, norm="ortho"), getattr(np.fft, name)(data, norm="ortho"),
                 1e-6)
        accurate(getattr(dfft, name)(d), getattr(np.fft, name)(data), 1e-6)


def test_distributed_axis_of_narrow_array(contexts):
    ctx = contexts[4]
    data = complex_sample((3, 40), seed=6)
    for dist, grid in [(("b", "b"), (1, 4)), (("n", "c"), None), (("b", "b"), (2, 2))]:
        d = make(ctx, data, dist, grid)
        result = dfft.fft(d, norm="ortho")
        accurate(result, np.fft.fft(data, norm="ortho"))
        assert_even_block(result, 1, 4)
        accurate(dfft.irfft(d), np.fft.irfft(data))
    columns = data.T.real.copy()
    accurate(dfft.rfft(make(ctx, columns, ("c", "n")), n=36, axis=0),
             np.fft.rfft(columns, n=36, axis=0))
    accurate(dfft.fftn(make(ctx, data[0])), np.fft.fftn(data[0]))


def test_distributed_large_enough_for_tiled_transposes(contexts):
    data = complex_sample(300 * 290, seed=7)
    for nworkers in (2, 3):
        d = make(contexts[nworkers], data)
        accurate(dfft.fft(d), np.fft.fft(data))
        accurate(dfft.ifft(d, n=2 ** 16), np.fft.ifft(data, n=2 ** 16))


def test_transforms_of_one_axis_and_error_order(contexts):
    """``rfftn`` of one axis (a single real step), and NumPy's error when several arguments
    are wrong: the axis is checked first, then ``n``, then the dtype."""
    ctx = contexts[2]
    x = np.arange(7.0) ** 2
    d = make(ctx, x, ("c",))
    close(dfft.rfftn(d), np.fft.rfftn(x))
    close(dfft.rfft2(make(ctx, x.reshape(1, 7)), axes=(1,)), np.fft.rfft2(x.reshape(1, 7),
                                                                           axes=(1,)))
    complex_values = make(ctx, x + 1j)
    with pytest.raises(ValueError, match="Invalid number of FFT data points"):
        dfft.rfft(complex_values, n=0)
    with pytest.raises(IndexError):
        dfft.rfft(make(ctx, np.array(1 + 2j)))


def test_inverse_real_transform_of_empty_axis(contexts):
    """Zero-padding an empty spectrum gives zeros (NumPy's ``irfft`` leaves them unset)."""
    ctx = contexts[2]
    empty = make(ctx, np.zeros((0, 3), np.complex64), ("b", "n"))
    zeros = np.zeros((1, 3), np.complex64)
    close(dfft.irfft(empty, n=5, axis=0), np.fft.irfft(zeros, n=5, axis=0))
    close(dfft.irfft2(empty, s=(4, 2), axes=(1, 0)), np.fft.irfft2(zeros, s=(4, 2), axes=(1, 0)))
