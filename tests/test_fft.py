"""distarray.fft against numpy.fft on gathered arrays."""

import numpy as np
import pytest

import distarray
import distarray.fft as dfft

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
    with pytest.raises(NotImplementedError):
        dfft.fft(d, out=d)
