"""unique_* functions and 1-D set operations of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray
from distarray import array_api

from checks import made, nothing_sent, same

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (4, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (2, "1d-irregular"), (2, "2d-bc"), (4, "2d-nb"), (3, "3d-cbc")]


def repeating(contexts, nworkers, name):
    """``(DistArray, NumPy array)`` of layout ``name`` with repeated values and NaNs."""
    d, x = made(contexts, nworkers, name)
    d, x = d % 4, x % 4
    if x.size > 3:
        d[(0,) * x.ndim] = x[(0,) * x.ndim] = np.nan
        d[(-1,) * x.ndim] = x[(-1,) * x.ndim] = np.nan
    return d, x


def same_tuple(got, expected):
    """A NumPy result namedtuple: its type's field names and each field."""
    assert type(got)._fields == type(expected)._fields
    same(list(got), list(expected))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_unique_family(contexts, nworkers, name):
    d, x = repeating(contexts, nworkers, name)
    same(np.sort(np.unique_values(d)), np.sort(np.unique_values(x)))  # order unspecified
    same_tuple(np.unique_counts(d), np.unique_counts(x))
    same_tuple(np.unique_inverse(d), np.unique_inverse(x))
    same_tuple(np.unique_all(d), np.unique_all(x))
    same_tuple(array_api.unique_all(d), np.unique_all(x))
    assert np.unique_inverse(d).inverse_indices.distribution.is_compatible(d.distribution)


@pytest.mark.parametrize("dtype", [np.int16, np.bool_, np.complex128, np.float32])
def test_unique_family_dtypes(contexts, dtype):
    x = (np.arange(-5, 12) % 3).astype(dtype)[::-1]
    d = contexts[3].fromarray(x, dist="c")
    same(np.unique_values(d), np.sort(np.unique_values(x)))
    same_tuple(np.unique_all(d), np.unique_all(x))


def test_unique_family_numpy_input():
    x = np.array([2, 1, 2])
    assert isinstance(distarray.unique_values(x), np.ndarray)
    assert type(distarray.unique_all(x)) is type(np.unique_all(x))


def _operands(contexts, nworkers, name):
    """A repeating DistArray, its NumPy array, and a second operand as NumPy and DistArray."""
    d, x = repeating(contexts, nworkers, name)
    y = np.array([3.0, -1.0, 2.5, 0.5, 2.5, np.nan, 0.0, 7.0])
    return d, x, y, contexts[nworkers].fromarray(y, dist="c")


@pytest.mark.parametrize("nworkers,name", CASES)
def test_set_operations(contexts, nworkers, name):
    d, x, y, e = _operands(contexts, nworkers, name)
    pairs = ((d, y, x, y), (d, e, x, y), (y, d, y, x), (e, d, y, x))
    first, second, a, b = pairs[CASES.index((nworkers, name)) % 4]  # each pair in some cases
    for function in (np.intersect1d, np.union1d, np.setdiff1d, np.setxor1d):
        same(function(first, second), function(a, b))
    same(list(np.intersect1d(first, second, return_indices=True)),
         list(np.intersect1d(a, b, return_indices=True)))


@pytest.mark.parametrize("nworkers,name", [(2, "1d-default-odd"), (4, "1d-unstructured"),
                                           (3, "2d-cc"), (1, "1d-empty")])
def test_set_operations_assuming_unique(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    y = np.array([-5.5, 8.0, 100.0, -7.0, 4.0])
    e = contexts[nworkers].fromarray(y)
    for function in (np.intersect1d, np.setdiff1d, np.setxor1d):
        same(function(d, e, assume_unique=True), function(x, y, assume_unique=True))
        same(function(e, d, assume_unique=True), function(y, x, assume_unique=True))
    same(list(np.intersect1d(d, e, assume_unique=True, return_indices=True)),
         list(np.intersect1d(x, y, assume_unique=True, return_indices=True)))


@pytest.mark.parametrize("dtype1,dtype2", [(np.int64, np.int8), (np.bool_, np.bool_),
                                           (np.complex64, np.float64), (np.int32, np.float32)])
def test_set_operations_dtypes(contexts, dtype1, dtype2):
    x = (np.arange(13) % 5 * 3 - 4).astype(dtype1)
    y = (np.arange(7) * 2 - 3).astype(dtype2)
    d, e = contexts[4].fromarray(x, dist="c"), contexts[4].fromarray(y)
    for function in (np.intersect1d, np.union1d, np.setdiff1d, np.setxor1d):
        same(function(d, e), function(x, y))
    same(list(np.intersect1d(d, e, return_indices=True)),
         list(np.intersect1d(x, y, return_indices=True)))


def test_set_operations_errors_and_numpy(contexts):
    ctx = contexts[2]
    d = ctx.fromarray(np.arange(5))
    nothing_sent(ctx, TypeError, np.union1d, d, ctx.fromarray(np.arange(3)).astype("M8[s]"))
    with pytest.raises(ValueError, match="same context"):
        np.union1d(d, contexts[3].fromarray(np.arange(3)))
    assert isinstance(distarray.setxor1d([1, 2], [2, 3]), np.ndarray)


def test_nothing_gathered(contexts, monkeypatch):
    """The set, ordering and view functions never gather a DistArray on the client."""
    ctx = contexts[3]
    x, y = np.array([5, 0, 2, 5, 9, 0, 1]), np.array([2, 7, 5, 5])
    d, e = ctx.fromarray(x, dist="c"), ctx.fromarray(y)

    def refuse(self, *args, **kwargs):
        raise AssertionError("a DistArray was gathered")

    with monkeypatch.context() as patch:
        patch.setattr(distarray.DistArray, "toarray", refuse)
        patch.setattr(distarray.DistArray, "__array__", refuse)
        results = [np.unique_all(d), np.intersect1d(d, e, return_indices=True),
                   np.union1d(d, e), np.setdiff1d(d, e), np.setxor1d(d, e),
                   np.lexsort((d, d % 2)), np.sort_complex(d), np.trim_zeros(d)]
        assert np.array_equiv(d, d)
    expected = [np.unique_all(x), np.intersect1d(x, y, return_indices=True), np.union1d(x, y),
                np.setdiff1d(x, y), np.setxor1d(x, y), np.lexsort((x, x % 2)),
                np.sort_complex(x), np.trim_zeros(x)]
    for got, want in zip(results, expected):
        same(list(got) if isinstance(got, tuple) else got,
             list(want) if isinstance(want, tuple) else want)
