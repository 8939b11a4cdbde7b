"""isin, digitize, interp of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray

from checks import made, nothing_sent, same
from layouts import sample

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (4, "0d"), (2, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (1, "2d-bc"), (4, "2d-nb"), (2, "3d-cbc")]


@pytest.mark.parametrize("nworkers,name", CASES)
def test_isin(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    tests = [-7.0, 0.5, 2.0, 8, 8, 1e9]
    same(np.isin(d, tests), np.isin(x, tests))
    same(distarray.isin(d, np.array(tests), invert=True), np.isin(x, tests, invert=True))
    same(np.isin(d, 2), np.isin(x, 2))
    distributed = contexts[nworkers].fromarray(np.array(tests), dist="c")
    same(np.isin(d, distributed), np.isin(x, tests))
    same(np.isin(d, distributed, invert=True), np.isin(x, tests, invert=True))
    assert np.isin(d, tests).distribution is d.distribution


def test_isin_special_cases(ctx):
    x = np.array([3, np.nan, 1, 7, 3, -1])
    d = ctx.fromarray(x, dist="c")
    table = np.array([np.nan, 3, 3, 7.0])
    same(np.isin(d, table), np.isin(x, table))
    same(np.isin(d, ctx.fromarray(table)), np.isin(x, table))
    same(np.isin(d, ctx.fromarray(np.zeros(0))), np.isin(x, []))
    same(np.isin(d, ctx.fromarray(np.zeros(0)), invert=True), np.isin(x, [], invert=True))
    integers = ctx.fromarray(np.arange(-3, 9))
    same(np.isin(integers, [1, 5, 20], kind="table"), np.isin(np.arange(-3, 9), [1, 5, 20]))
    same(np.isin(np.array([1, 4, 99]), integers), np.isin([1, 4, 99], np.arange(-3, 9)))
    nothing_sent(ctx, ValueError, lambda: np.isin(d, table, kind="table"))
    distributed = ctx.fromarray(table)
    nothing_sent(ctx, ValueError, lambda: np.isin(d, distributed, kind="nope"))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_digitize(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    for bins, right in (([-3, 0, 2.5, 10], False), ([10, 2.5, 0, -3], True), ([0.5], False),
                        (np.array([-1, 4], np.int8), True)):
        same(np.digitize(d, bins, right), np.digitize(x, bins, right))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_interp(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    xp, fp = [-4, 0, 3.5, 9], [1.0, -2.0, 0.5, 4.0]
    same(np.interp(d, xp, fp), np.interp(x, xp, fp))
    same(np.interp(d, xp, fp, left=-9, right=9), np.interp(x, xp, fp, left=-9, right=9))
    same(np.interp(d, xp, np.array(fp) * 1j), np.interp(x, xp, np.array(fp) * 1j))
    same(np.interp(d, [0, 2, 5], [1, 0, 3], period=6), np.interp(x, [0, 2, 5], [1, 0, 3],
                                                                 period=6))


def test_lookup_errors(ctx):
    d, table, complex_ = (ctx.fromarray(x) for x in (np.arange(5.0), np.arange(3.0),
                                                     np.arange(5.0) * 1j))
    nothing_sent(ctx, ValueError, lambda: np.digitize(d, [3, 1, 2]), match="monotonically")
    nothing_sent(ctx, TypeError, lambda: np.digitize(d, table))
    nothing_sent(ctx, ValueError, lambda: np.interp(d, [0, 1], [0, 1, 2]))
    nothing_sent(ctx, ValueError, lambda: np.interp(d, [], []))
    nothing_sent(ctx, TypeError, lambda: np.interp(d, table, [0, 1, 2]))
    nothing_sent(ctx, TypeError, lambda: np.digitize(complex_, [0, 1]))


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.float32, np.complex64, np.bool_])
def test_lookup_dtypes(contexts, dtype):
    ctx = contexts[3]
    x = sample((4, 5), dtype)
    d = ctx.fromarray(x, dist=("c", "b"))
    for table in ([0, 3, 4.5], np.array([2, 0, 100], np.int64), np.array([1], np.float32)):
        same(np.isin(d, table), np.isin(x, table))
        same(np.isin(d, ctx.fromarray(np.asarray(table))), np.isin(x, table))
        if x.dtype.kind != "c":
            same(np.digitize(d, table[:1]), np.digitize(x, table[:1]))
            same(np.interp(d, [0, 3, 10], [1, -1, 4]), np.interp(x, [0, 3, 10], [1, -1, 4]))
