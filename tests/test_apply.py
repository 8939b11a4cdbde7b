"""apply_along_axis, apply_over_axes and piecewise of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray
from distarray.api import ufunc_methods
from distarray.api.indexing import redistribute

from checks import made, nothing_sent, same
from layouts import sample

#: ``(nworkers, layout)`` cases: every distribution type, odd shapes, 1-4 workers.
CASES = [(2, "1d-default-odd"), (4, "1d-unstructured"), (3, "2d-bb"), (4, "2d-cc"),
         (1, "2d-bn"), (4, "2d-nb"), (3, "3d-cbc"), (4, "3d-default")]
#: Functions of 1-D slices giving a scalar, a vector, a matrix and a reordered slice.
FUNCTIONS = [np.sum, lambda v: v.argmax(), lambda v, k=2: np.outer(v, v[:k]) * k,
             lambda v: v[::-1] - v[0]]


@pytest.mark.parametrize("nworkers,name", CASES)
def test_apply_along_axis(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    for i, axis in enumerate(range(-1, x.ndim)):
        function = FUNCTIONS[i % len(FUNCTIONS)]
        same(np.apply_along_axis(function, axis, d), np.apply_along_axis(function, axis, x))
    same(distarray.apply_along_axis(FUNCTIONS[2], 0, d, k=1),
         np.apply_along_axis(FUNCTIONS[2], 0, x, k=1))


def test_apply_along_axis_special_cases(contexts, monkeypatch):
    ctx = contexts[3]
    x = sample((4, 5), np.int16)
    d = ctx.fromarray(x, dist=("c", "b"))
    same(np.apply_along_axis(np.mean, 1, d), np.apply_along_axis(np.mean, 1, x))
    same(np.apply_along_axis(np.add, 0, d, 1j), np.apply_along_axis(np.add, 0, x, 1j))
    same(np.apply_along_axis(lambda v: v.size, 0, ctx.fromarray(np.zeros((0, 3)))),
         np.apply_along_axis(lambda v: v.size, 0, np.zeros((0, 3))))
    dtypes = lambda v: 1 if v[0] < 0 else 2.5  # noqa: E731  (the first slice sets the dtype)
    same(np.apply_along_axis(dtypes, 1, d), np.apply_along_axis(dtypes, 1, x))
    rows = sample((6, 4), np.int16)  # first elements -7, -1, 5, 11, 17, 23
    dtypes = lambda v: v[0] * 0.5 if v[0] < -5 or v[0] > 20 else 1  # noqa: E731
    same(np.apply_along_axis(dtypes, 1, contexts[2].fromarray(rows, dist=("c", "n"))),
         np.apply_along_axis(dtypes, 1, rows))  # the second worker's first row gives an int
    redistributed = []
    monkeypatch.setattr(ufunc_methods, "redistribute",
                        lambda *args: redistributed.append(args) or redistribute(*args))
    for dist, moves in ((("b", "n"), 0), (("n", "b"), 1)):
        whole = ctx.fromarray(x, dist=dist)
        same(np.apply_along_axis(np.cumsum, 1, whole), np.apply_along_axis(np.cumsum, 1, x))
        assert len(redistributed) == moves
    nothing_sent(ctx, ValueError, np.apply_along_axis, np.sum, 1, ctx.fromarray(np.zeros((0, 3))))
    nothing_sent(ctx, np.exceptions.AxisError, np.apply_along_axis, np.sum, 2, d)
    nothing_sent(ctx, np.exceptions.AxisError, np.apply_along_axis, np.sum, 0,
                 ctx.fromarray(np.array(1.0)))


@pytest.mark.parametrize("nworkers,name", [(3, "2d-bc"), (4, "3d-cbc"), (2, "1d-blockcyclic")])
def test_apply_over_axes(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    for axes in (0, [-1], list(range(x.ndim))):
        got, expected = np.apply_over_axes(np.sum, d, axes), np.apply_over_axes(np.sum, x, axes)
        if x.ndim == 1:  # the sum of a vector is a NumPy scalar, expanded on the client
            got = distarray.fromarray(got, context=contexts[nworkers])
        same(got, expected)
    same(np.apply_over_axes(np.cumsum, d, [0]), np.apply_over_axes(np.cumsum, x, [0]))
    with pytest.raises(ValueError, match="correct shape"):  # after the user's function ran
        np.apply_over_axes(lambda a, axis: a[None, None], d, [0])


@pytest.mark.parametrize("nworkers,name", [(1, "0d"), (2, "1d-default-odd"), (3, "1d-empty"),
                                           (4, "1d-unstructured"), (3, "2d-cc"), (4, "3d-cbc")])
def test_piecewise(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    functions = [lambda v, s=1: v * 2 * s, -1.5, lambda v, s=1: v + 0.5 * s]
    conditions = [d < 0, x > 10]
    expected = np.piecewise(x, [x < 0, x > 10], functions, s=3)
    same(np.piecewise(d, conditions, functions, s=3), expected)
    same(np.piecewise(d, conditions, functions[:2]), np.piecewise(x, [x < 0, x > 10],
                                                                  functions[:2]))
    if x.ndim == 1 and x.size:  # one condition alone (NumPy looks at its first element)
        same(np.piecewise(d, d > 1, [np.sin]), np.piecewise(x, x > 1, [np.sin]))
    if x.ndim == 2:  # a condition distributed otherwise is brought to ``x``'s layout
        other = contexts[nworkers].fromarray(x > 0, dist=("b", "n"))
        same(np.piecewise(d, [other], [7, lambda v: -v]),
             np.piecewise(x, [x > 0], [7, lambda v: -v]))


def test_piecewise_dtypes_and_errors(ctx):
    x = sample((7,), np.int32)
    d = ctx.fromarray(x, dist="c")
    same(np.piecewise(d, [d > 0], [lambda v: v * 1.7, 2.9]),
         np.piecewise(x, [x > 0], [lambda v: v * 1.7, 2.9]))
    same(np.piecewise(d, [x % 2], [5]), np.piecewise(x, [x % 2], [5]))
    nothing_sent(ctx, ValueError, np.piecewise, d, [d > 0], [1, 2, 3])
    nothing_sent(ctx, IndexError, np.piecewise, d, [np.ones(3, bool)], [1])
    matrix = ctx.fromarray(np.ones((2, 3)))
    nothing_sent(ctx, ValueError, np.piecewise, matrix, np.ones((2, 3), bool), [1])  # 2 rows
    with pytest.raises(ValueError):  # NumPy's dispatcher has made views of the rows
        np.piecewise(matrix, matrix > 0, [1])
