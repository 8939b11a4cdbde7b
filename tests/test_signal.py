"""convolve and correlate of 1-D DistArrays against NumPy."""

import numpy as np
import pytest

import distarray

from checks import made, nothing_sent
from layouts import sample

#: ``(nworkers, layout)`` cases: every 1-D distribution type, 1-4 workers.
CASES = [(2, "1d-default-odd"), (4, "1d-single"), (3, "1d-cyclic"), (4, "1d-blockcyclic"),
         (1, "1d-undistributed"), (3, "1d-unstructured"), (1, "1d-unstructured"),
         (4, "1d-irregular")]
#: ``(kernel, mode)``: one tap, even and odd lengths, complex, longer than some signals.
KERNELS = [([2.0], "same"), ([1, -1], "full"), ([0.5, 1j, -2.0], "same"),
           (np.arange(1, 7, dtype=np.int32), "valid")]


def close(got, expected):
    assert isinstance(got, distarray.DistArray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got.toarray(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("nworkers,name", CASES)
@pytest.mark.parametrize("function", [np.convolve, np.correlate])
def test_numpy_kernels(contexts, nworkers, name, function):
    d, x = made(contexts, nworkers, name)
    for kernel, mode in KERNELS:
        close(function(d, kernel, mode), function(x, kernel, mode))
    kernel = KERNELS[-1][0]
    close(function(kernel, d, "same"), function(kernel, x, "same"))


@pytest.mark.parametrize("function", [np.convolve, np.correlate])
def test_distributed_kernels_and_dtypes(contexts, function):
    ctx = contexts[3]
    for (dtype, kernel_dtype), mode in zip(
            ((np.int16, np.int16), (np.float32, np.float32), (np.complex128, np.float64),
             (np.int64, np.complex64), (np.bool_, np.bool_)), ["valid", "same", "full"] * 2):
        x, k = sample((13,), dtype), sample((4,), kernel_dtype)
        d, dk = ctx.fromarray(x, dist="c"), ctx.fromarray(k, dist="b")
        expected = function(x, k, mode)
        close(function(d, dk, mode), expected)
        close(function(d, k, mode), expected)
        close(function(x, dk, mode), expected)
        close(function(dk, d, mode), function(k, x, mode))
    one = ctx.fromarray(np.array(2.5))
    if function is np.convolve:
        close(function(one, [1, 2]), function(np.array(2.5), [1, 2]))
    else:
        nothing_sent(ctx, ValueError, function, one, [1, 2])


def test_signal_errors(ctx):
    d, empty = ctx.fromarray(np.arange(5.0)), ctx.fromarray(np.zeros(0))
    for function in (np.convolve, np.correlate):
        nothing_sent(ctx, ValueError, function, d, [1, 2], "middle")
        nothing_sent(ctx, ValueError, function, empty, [1, 2])
        nothing_sent(ctx, ValueError, function, d, [])
        nothing_sent(ctx, ValueError, function, ctx.fromarray(np.ones((2, 3))), [1])
        nothing_sent(ctx, ValueError, function, d, ["a", "b"])


@pytest.mark.parametrize("taps", [1, 2, 3, 4, 5, 8])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128])
def test_same_mode_on_blocks_is_one_command(ctx, taps, dtype):
    """'same' on a block layout: each piece grown by its neighbours' cells, one command."""
    x = sample((1001,), dtype)
    kernel = (np.arange(taps) - 1.5).astype(dtype)
    d = ctx.fromarray(x)
    for function in (np.convolve, np.correlate):
        posted = ctx.pool.channel.posted
        got = function(d, kernel, "same")
        assert ctx.pool.channel.posted - posted == 1
        close(got, function(x, kernel, "same"))
    close(np.convolve(kernel, d, "same"), np.convolve(kernel, x, "same"))
