"""unravel_index, ravel_multi_index, resize, block, *_indices_from of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray

from checks import make, nothing_sent, same

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (2, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (1, "2d-bc"), (4, "2d-nb"), (2, "3d-cbc"), (4, "2d-empty-cols")]


def indices(contexts, nworkers, name, size):
    """``(DistArray, NumPy array)`` of flat indices below ``size`` in the layout ``name``."""
    d, x = make(contexts[nworkers], name, np.int64)
    return d % size, x % size


@pytest.mark.parametrize("nworkers,name", CASES)
def test_unravel_and_ravel(contexts, nworkers, name):
    d, x = indices(contexts, nworkers, name, 60)
    for shape, order in (((3, 4, 5), "C"), ((6, 10), "F"), (60, "C")):
        got, expected = np.unravel_index(d, shape, order), np.unravel_index(x, shape, order)
        assert isinstance(got, tuple)
        same(list(got), list(expected))
        same(np.ravel_multi_index(got, shape, order=order), x)
    columns = np.unravel_index(x, (6, 10))
    shifted = (columns[0] + 2, distarray.unravel_index(d, (6, 10))[1] - 3)
    expected = np.ravel_multi_index((columns[0] + 2, columns[1] - 3), (7, 10), mode=("clip",
                                                                                   "wrap"))
    same(np.ravel_multi_index(shifted, (7, 10), mode=("clip", "wrap")), expected)
    same(np.ravel_multi_index((d, 4), (60, 9), order="F"), np.ravel_multi_index((x, 4), (60, 9),
                                                                                order="F"))


def test_index_errors(ctx):
    d = ctx.fromarray(np.array([5, 0, 7, 2]), dist="c")
    negative = ctx.fromarray(np.array([3, -1, 2]))
    floats = ctx.fromarray(np.array([1.0, 2.0]))
    nothing_sent(ctx, TypeError, lambda: np.unravel_index(floats, (3, 3)))
    nothing_sent(ctx, ValueError, lambda: np.unravel_index(d, (3, 3), order="X"))
    nothing_sent(ctx, ValueError, lambda: np.ravel_multi_index((d, d), (9,)))
    nothing_sent(ctx, ValueError, lambda: np.ravel_multi_index((d, d), (9, 9), mode="nope"))
    for indices, x, shape in ((d, [5, 0, 7, 2], (2, 2)), (negative, [3, -1, 2], (2, 3)),
                              (d.reshape(2, 2), [[5, 0], [7, 2]], (3,))):
        with pytest.raises(ValueError) as expected:
            np.unravel_index(x, shape)
        with pytest.raises(ValueError, match="^%s$" % expected.value):
            np.unravel_index(indices, shape)
    with pytest.raises(ValueError, match="invalid entry in coordinates array"):
        np.ravel_multi_index((d, d), (8, 7))
    with pytest.raises(ValueError, match="invalid entry in coordinates array"):
        np.ravel_multi_index((negative, negative), (8, 8), mode=("raise", "clip"))
    same(np.ravel_multi_index((negative, d[:3]), (8, 8), mode=("clip", "raise")),
         np.ravel_multi_index(([3, -1, 2], [5, 0, 7]), (8, 8), mode=("clip", "raise")))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_resize(contexts, nworkers, name):
    d, x = make(contexts[nworkers], name)
    for shape in ((4, 7), 5, (), (2, 0, 3), (3, 1, 2)):
        same(np.resize(d, shape), np.resize(x, shape))


def test_resize_errors(ctx):
    d = ctx.fromarray(np.arange(5))
    nothing_sent(ctx, ValueError, lambda: np.resize(d, (2, -1)), match="non-negative")
    nothing_sent(ctx, TypeError, lambda: np.resize(d, (2.0, 3)))


def test_block(contexts):
    ctx = contexts[3]
    a, x = make(ctx, "2d-bc")
    b = ctx.fromarray(np.arange(10.0).reshape(5, 2), dist="c")
    row = ctx.fromarray(np.arange(11, dtype=np.int32))
    one = np.ones((1, 11))
    same(np.block([[a, b], [row], [one]]), np.block([[x, b.toarray()], [row.toarray()], [one]]))
    same(np.block([a, b]), np.block([x, b.toarray()]))
    same(np.block([[[a]], [[a * 2]]]), np.block([[[x]], [[x * 2]]]))
    same(np.block([row, 7, np.array([1.5, 2])]), np.block([row.toarray(), 7, np.array([1.5, 2])]))
    same(np.block([[row], [np.arange(11)]]), np.block([[row.toarray()], [np.arange(11)]]))
    empty = ctx.fromarray(np.zeros((0, 3), np.int8))
    same(np.block([[empty, np.zeros((0, 2), np.int8)], [np.ones((2, 5), np.int8)]]),
         np.block([[np.zeros((0, 3), np.int8), np.zeros((0, 2), np.int8)],
                   [np.ones((2, 5), np.int8)]]))
    copied = distarray.block(a)
    same(copied, x)
    assert copied.key != a.key


@pytest.mark.parametrize("arrays,error,match", [
    (lambda a: [[a, a], a], ValueError, r"at depth 2, but there is an element at depth 1 \(ar"),
    (lambda a: [[[a]], [a]], ValueError, r"depth 3, .* depth 2 \(arrays\[1\]\[0\]\)"),
    (lambda a: [a, (a, a)], TypeError, r"arrays\[1\] is a tuple"),
    (lambda a: [[a], []], ValueError, r"List at arrays\[1\] cannot be empty"),
    (lambda a: [[a], [a, a]], ValueError, "dimensions except for the concatenation axis"),
    (lambda a: [a, np.ones((2, 4))], ValueError, "dimensions except for the concatenation axis"),
])
def test_block_errors(ctx, arrays, error, match):
    a = ctx.fromarray(np.ones((5, 9)))
    with pytest.raises(error, match=match):
        np.block(arrays(a.toarray()))
    nothing_sent(ctx, error, lambda: np.block(arrays(a)), match=match)


@pytest.mark.parametrize("nworkers,name", [(1, "2d-bc"), (4, "2d-nb"), (2, "2d-empty-rows"),
                                           (3, "3d-default"), (2, "1d-block")])
def test_indices_from(contexts, nworkers, name):
    d, x = make(contexts[nworkers], name)
    for function, args in ((np.triu_indices_from, ()), (np.tril_indices_from, (1,)),
                           (np.triu_indices_from, (-2,)), (np.diag_indices_from, ())):
        try:
            expected = function(x, *args)
        except ValueError as error:
            nothing_sent(contexts[nworkers], ValueError, function, d, *args, match=str(error))
            continue
        got = function(d, *args)
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert isinstance(g, np.ndarray) and g.dtype == e.dtype
            np.testing.assert_array_equal(g, e)
    square = contexts[nworkers].fromarray(np.ones((3, 3, 3)))
    for g, e in zip(np.diag_indices_from(square), np.diag_indices_from(np.ones((3, 3, 3)))):
        np.testing.assert_array_equal(g, e)
