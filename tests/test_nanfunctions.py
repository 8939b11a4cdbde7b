"""nanmedian, nanquantile, nanpercentile, nancumsum and nancumprod against NumPy."""

import warnings

import numpy as np
import pytest

from checks import make
from test_calculus import compare

from layouts import sample

LAYOUTS = ["0d", "1d-empty", "1d-unstructured", "2d-bc", "2d-empty-rows", "3d-cbc"]


def nan_make(ctx, name, every=3):
    """A layout's sample with every ``every``-th element NaN."""
    d, x = make(ctx, name)
    x.reshape(-1)[::every] = np.nan
    return ctx.fromarray(x, d.distribution), x


@pytest.mark.parametrize("name", LAYOUTS)
def test_nan_order_statistics(ctx, name):
    d, x = nan_make(ctx, name)
    compare(ctx, np.nanmedian, d)
    q = [0.1, 0.5, 1.0]
    with pytest.warns(RuntimeWarning) if not x.size else warnings.catch_warnings():
        several = np.nanquantile(d, q, keepdims=True)  # a NumPy array, as quantile gives
    assert type(several) is np.ndarray
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(several, np.nanquantile(x, q, keepdims=True))
    compare(ctx, np.nanpercentile, d, 37.5)
    if x.ndim > 1:  # along one of several axes: a DistArray
        compare(ctx, np.nanmedian, d, axis=-1, keepdims=True)
        compare(ctx, np.nanquantile, d, 0.3, axis=0, method="nearest")


@pytest.mark.parametrize("every", [1, 2])
def test_all_nan_and_even_counts(contexts, every):
    ctx = contexts[3]
    d, x = nan_make(ctx, "2d-cc", every)
    with pytest.warns(RuntimeWarning, match="All-NaN") if every == 1 else \
            warnings.catch_warnings():
        np.testing.assert_allclose(np.nanmedian(d), np.nanmedian(x))
        np.testing.assert_allclose(np.nanpercentile(d, [0, 50, 100]),
                                   np.nanpercentile(x, [0, 50, 100]))
    compare(ctx, np.nanmedian, d, axis=1)


@pytest.mark.parametrize("dtype", [np.int16, np.float32])
def test_nan_order_statistics_other_dtypes(contexts, dtype):
    ctx = contexts[2]
    x = sample((5, 4), dtype)
    d = ctx.fromarray(x, dist=("c", "b"))
    compare(ctx, np.nanmedian, d)
    compare(ctx, np.nanquantile, d, 0.25)
    compare(ctx, np.nanquantile, d, 1.5)  # error before anything is sent
    compare(ctx, np.nanmedian, d, axis=2)


@pytest.mark.parametrize("name", LAYOUTS)
def test_nan_scans(ctx, name):
    d, x = nan_make(ctx, name)
    compare(ctx, np.nancumsum, d)
    compare(ctx, np.nancumprod, d * 0.1, axis=-1)
    compare(ctx, np.nancumsum, d, axis=0, dtype=np.complex64)
    compare(ctx, np.nancumsum, d, axis=x.ndim)
    i = ctx.fromarray(sample(x.shape, np.int8), d.distribution)
    compare(ctx, np.nancumsum, i, axis=-1)
    compare(ctx, np.nancumprod, i > 0)
