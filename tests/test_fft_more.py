"""fftshift, ifftshift, hfft, ihfft, fftfreq and rfftfreq of distarray.fft against numpy.fft."""

import numpy as np
import pytest

import distarray
import distarray.fft as dfft
from distarray import Distribution

from checks import nothing_sent
from layouts import layout, sample


def made(ctx, name, complex_values=False):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = sample(shape, np.complex128 if complex_values else np.float64)
    return ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)), x


def close(got, want, exact=False):
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape)
    if exact:
        np.testing.assert_array_equal(got.toarray(), want)
    else:
        np.testing.assert_allclose(got.toarray(), want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", ["1d-default-odd", "1d-empty", "1d-unstructured",
                                  "1d-block", "2d-bc", "2d-empty-cols", "3d-cbc"])
def test_shifts(ctx, name):
    d, x = made(ctx, name)
    for axes in (None, -1, (0,), (x.ndim - 1, 0, x.ndim - 1)):
        close(np.fft.fftshift(d, axes), np.fft.fftshift(x, axes), exact=True)
        close(np.fft.ifftshift(d, axes=axes), np.fft.ifftshift(x, axes=axes), exact=True)
    close(np.fft.ifftshift(np.fft.fftshift(d)), x, exact=True)


@pytest.mark.parametrize("name", ["1d-default-odd", "1d-unstructured", "2d-bc", "3d-cbc"])
def test_hermitian_transforms(ctx, name):
    d, x = made(ctx, name, complex_values=True)
    real = ctx.fromarray(x.real.copy(), d.distribution)
    for axis, norm in zip(range(x.ndim), ["ortho", None, "forward"]):
        m = x.shape[axis]
        close(np.fft.hfft(d, axis=axis, norm=norm), np.fft.hfft(x, axis=axis, norm=norm))
        close(np.fft.hfft(d, n=m + 1, axis=axis), np.fft.hfft(x, n=m + 1, axis=axis))
        close(np.fft.hfft(real, axis=axis), np.fft.hfft(x.real, axis=axis))
        close(np.fft.ihfft(real, axis=axis, norm=norm), np.fft.ihfft(x.real, axis=axis, norm=norm))
        close(np.fft.ihfft(real, n=m + 2, axis=axis), np.fft.ihfft(x.real, n=m + 2, axis=axis))


def test_hermitian_dtypes_and_round_trip(contexts):
    ctx = contexts[2]
    x = np.random.default_rng(5).normal(size=9).astype(np.float32)
    d = ctx.fromarray(x, dist="c")
    spectrum = dfft.ihfft(d)
    assert spectrum.dtype == np.fft.ihfft(x).dtype == np.complex64
    back = dfft.hfft(spectrum, n=9)
    assert back.dtype == np.float32
    np.testing.assert_allclose(back.toarray(), x, rtol=1e-5, atol=1e-5)
    close(dfft.hfft(ctx.fromarray(np.arange(6))), np.fft.hfft(np.arange(6)))


def test_hermitian_four_step(contexts):
    ctx = contexts[4]
    x = np.random.default_rng(6).normal(size=64)
    d = ctx.fromarray(x)
    assert dfft._four_step_plan(d, [("rfft", 64, 0)]) is not None  # distributed 1-D FFT
    close(dfft.ihfft(d, norm="ortho"), np.fft.ihfft(x, norm="ortho"))
    spectrum = x + 1j * x[::-1]
    close(dfft.hfft(ctx.fromarray(spectrum), n=126), np.fft.hfft(spectrum, n=126))


def test_hermitian_errors_before_anything_is_sent(contexts):
    ctx = contexts[3]
    d = ctx.fromarray(np.ones(6, complex))
    nothing_sent(ctx, ValueError, dfft.hfft, d, None, -1, "sideways")
    nothing_sent(ctx, ValueError, dfft.ihfft, d.real, None, -1, "sideways")
    nothing_sent(ctx, ValueError, dfft.hfft, d, 0)
    nothing_sent(ctx, IndexError, dfft.ihfft, d.real, None, 1)
    nothing_sent(ctx, TypeError, dfft.ihfft, d, None)  # complex input to a real transform
    nothing_sent(ctx, IndexError, np.fft.fftshift, d, 1)
    with pytest.raises(ValueError):
        np.fft.fftshift(np.array(2.0))
    nothing_sent(ctx, ValueError, np.fft.fftshift, ctx.fromarray(np.array(2.0)))


@pytest.mark.parametrize("n", [1, 2, 7, 8])
def test_frequencies(ctx, n):
    for step in (1.0, 0.1, np.float32(0.5)):
        close(dfft.fftfreq(n, step, context=ctx), np.fft.fftfreq(n, step), exact=True)
        close(dfft.rfftfreq(n, d=step, context=ctx, dist="c"), np.fft.rfftfreq(n, d=step),
              exact=True)
    placed = dfft.fftfreq(n, context=ctx, dist="c")
    assert placed.distribution.maps == distarray.arange(n, context=ctx, dist="c").distribution.maps
    assert placed.distribution.maps[0].grid_size == ctx.nworkers


def test_frequency_errors(contexts):
    ctx = contexts[2]
    nothing_sent(ctx, ValueError, dfft.fftfreq, 4.0)
    nothing_sent(ctx, ValueError, dfft.rfftfreq, np.array([4]))
    nothing_sent(ctx, ValueError, dfft.fftfreq, -3)
    nothing_sent(ctx, ZeroDivisionError, dfft.fftfreq, 0)
    nothing_sent(ctx, ValueError, dfft.rfftfreq, 4, 1.0, "gpu")
