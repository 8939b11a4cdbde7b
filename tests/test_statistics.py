"""average, cov and corrcoef against NumPy, across layouts and 1-4 workers."""

import numpy as np
import pytest

from checks import make
from test_calculus import compare

WEIGHTED_LAYOUTS = ["0d", "1d-unstructured", "2d-empty-cols", "3d-cbc"]


@pytest.mark.parametrize("name", WEIGHTED_LAYOUTS)
def test_average(ctx, name):
    d, x = make(ctx, name)
    compare(ctx, np.average, d)
    compare(ctx, np.average, d, axis=-1, returned=True, keepdims=True)
    weights = np.arange(1.0, x.size + 1).reshape(x.shape)
    compare(ctx, np.average, d, weights=weights, returned=True)
    if x.ndim >= 2:
        pair = np.arange(1.0, x.shape[-1] * x.shape[0] + 1).reshape(x.shape[-1], x.shape[0])
        compare(ctx, np.average, d, axis=(-1, 0), weights=ctx.fromarray(pair), returned=True)
        compare(ctx, np.average, d, axis=1, weights=weights[0, :, ...], returned=True)


@pytest.mark.parametrize("dtype", [np.int16, np.bool_, np.float32, np.complex128])
def test_average_dtypes(contexts, dtype):
    ctx = contexts[3]
    d, x = make(ctx, "2d-cc", dtype)
    compare(ctx, np.average, d, axis=0, returned=True)
    compare(ctx, np.average, d, axis=1, weights=np.arange(x.shape[1], dtype=np.int8) + 1)
    compare(ctx, np.average, x, weights=ctx.fromarray(np.ones(x.shape, np.float32)))


def test_average_errors(contexts):
    ctx = contexts[2]
    d, x = make(ctx, "2d-bb")
    for kwargs in [{"weights": np.ones(9)}, {"axis": 1, "weights": np.ones(5)},
                   {"axis": 2}, {"axis": (0, 0)}, {"axis": 0, "weights": np.ones((5, 9, 1))}]:
        compare(ctx, np.average, d, **kwargs)
    zero_sum = np.array([1.0, -1.0, 0, 0, 0])
    with pytest.raises(ZeroDivisionError):
        np.average(d, axis=0, weights=zero_sum)  # found by the workers: data-dependent
    with pytest.raises(ZeroDivisionError):
        np.average(d, axis=0, weights=ctx.fromarray(zero_sum))


def _observations(shape, dtype=np.float64, seed=0):
    x = np.random.default_rng(seed).normal(size=shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * np.random.default_rng(seed + 1).normal(size=shape)
    return x.astype(dtype)


@pytest.mark.parametrize("dist", [("c", "b"), ("u", "n")])
def test_cov_and_corrcoef(ctx, dist):
    x = _observations((4, 11))
    if dist[0] == "u":
        dist = ({"dist_type": "u", "indices": [np.arange(r, 4, ctx.nworkers)
                                               for r in range(ctx.nworkers)]}, "b")
    d = ctx.fromarray(x, dist=dist)
    fw, aw = np.arange(11) % 3 + 1, np.linspace(0.5, 2, 11)
    compare(ctx, np.cov, d, rowvar=False, bias=True)
    compare(ctx, np.cov, d, ddof=3, fweights=fw, aweights=ctx.fromarray(aw))
    compare(ctx, np.cov, d, ctx.fromarray(x[:2] ** 2), aweights=aw)
    compare(ctx, np.cov, d[0], x[1], fweights=ctx.fromarray(fw), ddof=0)
    compare(ctx, np.cov, d[1])  # one variable: a 0-d result
    compare(ctx, np.corrcoef, d[:3], d[3], rowvar=False)
    compare(ctx, np.corrcoef, d[2], x[0] * 2)
    compare(ctx, np.corrcoef, d[2])


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.complex128])
def test_cov_dtypes(contexts, dtype):
    ctx = contexts[4]
    x = _observations((3, 7), dtype, 2)
    d = ctx.fromarray(x, dist=("b", "b"), grid_shape=(2, 2))
    compare(ctx, np.cov, d)
    compare(ctx, np.cov, d, dtype=np.complex64)
    compare(ctx, np.corrcoef, d, rowvar=False)


def test_cov_edge_cases_and_errors(contexts):
    ctx = contexts[3]
    x = _observations((4, 6))
    d = ctx.fromarray(x)
    for args, kwargs in [((), {"ddof": 1.5}), ((), {"fweights": np.full(6, 1.5)}),
                         ((), {"fweights": np.ones((2, 6))}), ((), {"aweights": np.ones(5)}),
                         ((), {"aweights": -np.ones(6)}), ((), {"fweights": -np.ones(6)}),
                         ((np.ones((2, 5)),), {}), ((np.ones((1, 2, 6)),), {})]:
        compare(ctx, np.cov, d, *args, **kwargs)
    compare(ctx, np.cov, ctx.fromarray(np.ones((2, 2, 2))))
    compare(ctx, np.cov, d[:0])  # no variables: a 0x0 result
    compare(ctx, np.cov, d[:, :1])  # one observation: degrees of freedom <= 0
    compare(ctx, np.cov, ctx.fromarray(x[0, 0]))  # 0-d
    compare(ctx, np.corrcoef, d[:, :0])
    compare(ctx, np.cov, x, fweights=ctx.fromarray(np.arange(6) % 2 + 1))  # only weights
    compare(ctx, np.average, x, axis=1, weights=ctx.fromarray(np.arange(6.0)), returned=True)
