"""lexsort and sort_complex of DistArrays against NumPy."""

import numpy as np
import pytest

import distarray

from checks import made, nothing_sent, same

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "0d"), (4, "1d-default-odd"), (3, "1d-empty"), (4, "1d-unstructured"),
         (3, "1d-blockcyclic"), (2, "1d-irregular"), (2, "2d-bc"), (4, "2d-nb"), (3, "3d-cbc")]


@pytest.mark.parametrize("nworkers,name", CASES)
def test_lexsort(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    primary, secondary = d % 3, (d * 7) % 2  # ties in both keys
    p, s = x % 3, (x * 7) % 2
    if x.ndim == 0:  # a NumPy scalar, as NumPy gives
        got, expected = np.lexsort((d, secondary, primary)), np.lexsort((x, s, p))
        assert got == expected and type(got) is type(expected)
        return
    for axis in range(-x.ndim, x.ndim):
        same(np.lexsort((d, secondary, primary), axis), np.lexsort((x, s, p), axis))
    same(np.lexsort((s, primary)), np.lexsort((s, p)))  # a NumPy key
    same(distarray.lexsort([primary, s]), np.lexsort([p, s]))  # a list (NumPy dispatches tuples)


def test_lexsort_2d_keys_and_dtypes(ctx):
    keys = np.array([[3, 1, 3, 1, 2, 2, 3], [1, 1, 0, 0, 1, 0, 1], [0, 0, 0, 1, 1, 1, 1]])
    same(np.lexsort(ctx.fromarray(keys, dist=("n", "b"))), np.lexsort(keys))
    same(np.lexsort(ctx.fromarray(keys, dist=("b", "c"))), np.lexsort(keys))
    floats = np.array([np.nan, 2.0, -1.0, np.nan, 2.0, 0.5, -1.0])
    mixed = [keys[0] == 3, floats, keys[1].astype(np.int8) * 1j]
    same(np.lexsort(tuple(ctx.fromarray(k, dist="c") for k in mixed)), np.lexsort(mixed))
    assert np.lexsort(ctx.fromarray(keys[0])) == np.lexsort(keys[0])  # scalar keys


def test_lexsort_errors(contexts):
    ctx = contexts[2]
    d = ctx.fromarray(np.arange(5))
    nothing_sent(ctx, ValueError, np.lexsort, (d, ctx.fromarray(np.arange(4))))
    nothing_sent(ctx, ValueError, np.lexsort, (d, np.arange(4)))
    nothing_sent(ctx, np.exceptions.AxisError, np.lexsort, (d, d), 1)
    nothing_sent(ctx, TypeError, distarray.lexsort, ())
    nothing_sent(ctx, TypeError, np.lexsort, ctx.fromarray(np.zeros((0, 3))))
    with pytest.raises(ValueError, match="same context"):
        np.lexsort((d, contexts[3].fromarray(np.arange(5))))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_sort_complex(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name, np.complex128)
    if x.ndim == 0:
        nothing_sent(contexts[nworkers], np.exceptions.AxisError, np.sort_complex, d)
        return
    same(np.sort_complex(d), np.sort_complex(x))
    for dtype in (np.int8, np.float32, np.bool_):
        same(np.sort_complex(d.real.astype(dtype)), np.sort_complex(x.real.astype(dtype)))
