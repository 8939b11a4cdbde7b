"""append, column_stack, delete, insert, rot90, vsplit/hsplit/dsplit against NumPy."""

import numpy as np
import pytest


from checks import made, nothing_sent, same
from layouts import sample

#: ``(nworkers, layout)`` cases: every distribution type, odd and empty shapes, 1-4 workers.
CASES = [(1, "1d-default-odd"), (2, "1d-empty"), (3, "1d-blockcyclic"), (4, "1d-unstructured"),
         (4, "1d-irregular"), (2, "2d-bc"), (3, "2d-cc"), (4, "2d-nb"), (1, "2d-empty-cols"),
         (3, "2d-more-procs-than-rows"), (4, "3d-cbc"), (2, "4d-default")]


@pytest.mark.parametrize("nworkers,name", CASES)
def test_append_and_column_stack(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    same(np.append(d, [1, 2]), np.append(x, [1, 2]))
    same(np.append(np.arange(3, dtype=np.int8), d), np.append(np.arange(3, dtype=np.int8), x))
    same(np.append(d, d, axis=-1), np.append(x, x, axis=-1))
    same(np.append(d, np.ones((2,) + x.shape[1:], np.float32), axis=0),
         np.append(x, np.ones((2,) + x.shape[1:], np.float32), axis=0))
    if x.ndim <= 2:
        same(np.column_stack([d, x, d]), np.column_stack([x, x, x]))
    if x.ndim == 1:
        zero = contexts[nworkers].fromarray(np.array(4, np.int16))
        same(np.column_stack([zero]), np.column_stack([np.array(4, np.int16)]))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_delete(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    n = x.shape[-1]
    objects = [slice(None, None, 2), slice(-1, 0, -3), [], [0, -1, 0]] if n else [[], slice(1)]
    if n:
        objects += [n // 2, np.arange(n) % 3 == 1]
    for obj in objects:
        same(np.delete(d, obj, axis=-1), np.delete(x, obj, axis=-1))
    same(np.delete(d, slice(1, 4)), np.delete(x, slice(1, 4)))


@pytest.mark.parametrize("nworkers,name", CASES)
def test_insert(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    n = x.shape[0]
    same(np.insert(d, 0, 7.5, axis=0), np.insert(x, 0, 7.5, axis=0))
    same(np.insert(d, n, 2, axis=0), np.insert(x, n, 2, axis=0))
    m = x.size
    same(np.insert(d, [m, 0, m], [1, 2, 3]), np.insert(x, [m, 0, m], [1, 2, 3]))
    same(np.insert(d, slice(None), -1, axis=0), np.insert(x, slice(None), -1, axis=0))
    same(np.insert(d, [], 5, axis=0), np.insert(x, [], 5, axis=0))
    pair = contexts[nworkers].fromarray(np.array([1.5, -2.5]))
    same(np.insert(d, m // 2, pair), np.insert(x, m // 2, [1.5, -2.5]))
    same(np.insert(d, [m // 2], pair), np.insert(x, [m // 2], [1.5, -2.5]))
    if x.ndim == 2:
        row = x[:1] * 3
        same(np.insert(d, -1 % (n + 1), row, axis=0), np.insert(x, -1 % (n + 1), row, axis=0))
        block = np.arange(2 * x.shape[0]).reshape(x.shape[0], 2)
        at = [min(1, x.shape[1])]
        same(np.insert(d, at, block, axis=1), np.insert(x, at, block, axis=1))
        column = contexts[nworkers].fromarray(np.arange(x.shape[0], dtype=np.int64))
        same(np.insert(d, at[0], column, axis=1),
             np.insert(x, at[0], np.arange(x.shape[0]), axis=1))
        where = [0, -1] if x.shape[1] else [0, 0]
        same(np.insert(d, where, column[:, None], axis=1),
             np.insert(x, where, np.arange(x.shape[0])[:, None], axis=1))


@pytest.mark.parametrize("nworkers,name", [c for c in CASES if not c[1].startswith("1d")])
def test_rot90_and_splits(contexts, nworkers, name):
    d, x = made(contexts, nworkers, name)
    for k in range(-1, 5):
        same(np.rot90(d, k), np.rot90(x, k))
    same(np.rot90(d, 1, axes=(-1, 0)), np.rot90(x, 1, axes=(-1, 0)))
    rotated = np.rot90(d)
    if x.size:
        rotated[0, 0] = -99  # a view: writes reach d
        np.rot90(x)[0, 0] = -99
        same(d, x)
    same(np.vsplit(d, [1, 3]), np.vsplit(x, [1, 3]))
    same(np.hsplit(d, [2]), np.hsplit(x, [2]))
    if x.ndim >= 3:
        same(np.dsplit(d, x.shape[2]), np.dsplit(x, x.shape[2]))


#: Calls NumPy refuses, of a 1-D array of 6 elements.
BAD_CALLS = [lambda a: np.vsplit(a, 2), lambda a: np.dsplit(a, 2), lambda a: np.hsplit(a, 4),
             lambda a: np.rot90(a), lambda a: np.delete(a, 6), lambda a: np.delete(a, [1, 9]),
             lambda a: np.delete(a, [True, False]), lambda a: np.insert(a, 7, 1.0),
             lambda a: np.insert(a, [0, 8], 1.0), lambda a: np.insert(a, [0, 1], [1, 2, 3]),
             lambda a: np.delete(a, 0, axis=1), lambda a: np.append(a, np.ones((2, 2)), axis=0),
             lambda a: np.rot90(a, axes=(0, 0)), lambda a: np.insert(a, 2, [[1, 2], [3, 4]]),
             lambda a: np.insert(a, [1.5], 3), lambda a: np.insert(a, [1.5, 2], 3)]


def test_errors(contexts):
    ctx = contexts[2]
    x = np.arange(6.0)
    d, obj = ctx.fromarray(x), ctx.fromarray(np.arange(2))
    same(np.hsplit(d, 3), np.hsplit(x, 3))
    for call in BAD_CALLS:
        with pytest.raises(Exception) as numpy_error:
            call(x)
        nothing_sent(ctx, type(numpy_error.value), call, d)
    nothing_sent(ctx, TypeError, np.insert, d, obj, 1)
    same(np.delete(d, obj), np.delete(x, np.arange(2)))
    mask, floats = ctx.fromarray(np.ones(5, bool)), ctx.fromarray(np.ones(2))
    nothing_sent(ctx, ValueError, np.delete, d, mask)
    nothing_sent(ctx, IndexError, np.delete, d, floats)
    with pytest.raises(IndexError):
        np.delete(d, obj + 5)
    square, three = ctx.fromarray(np.ones((3, 3))), ctx.fromarray(np.arange(3.0))
    two = three[:2]
    for error, call in ((ValueError, lambda: np.insert(square, 1, two, axis=0)),
                        (ValueError, lambda: np.insert(square, [0, 1], three, axis=1)),
                        (ValueError, lambda: np.insert(square, [0, 2], three)),
                        (IndexError, lambda: np.insert(square, 10, 1)),
                        (IndexError, lambda: np.delete(square, 9))):
        nothing_sent(ctx, error, call)


@pytest.mark.parametrize("dtype", [np.int16, np.complex64, np.bool_])
def test_joining_dtypes(contexts, dtype):
    ctx = contexts[3]
    x = sample((4, 3), dtype)
    d = ctx.fromarray(x, dist=("c", "b"))
    same(np.insert(d, 1, 2.7, axis=1), np.insert(x, 1, 2.7, axis=1))
    same(np.insert(d, [0, 4], [[1.5], [0]], axis=0), np.insert(x, [0, 4], [[1.5], [0]], axis=0))
    same(np.delete(d, [0, 2], axis=1), np.delete(x, [0, 2], axis=1))
    same(np.append(d, np.ones((1, 3), np.float32), axis=0),
         np.append(x, np.ones((1, 3), np.float32), axis=0))
    same(np.column_stack([d, np.arange(4)]), np.column_stack([x, np.arange(4)]))
