"""distarray.linalg and ``@`` against NumPy, across layouts, dtypes and 1-4 workers."""

import re
import warnings

import numpy as np
import pytest

import distarray
from distarray import Distribution
from distarray.api import linalg as api_linalg

BLOCK_CYCLIC = {"dist_type": "c", "block_size": 3}

#: ``(id, dist, grid_shape)`` of 2-D layouts; grid None: chosen for the worker count.
MATRIX_LAYOUTS = [
    ("default", None, None),
    ("rows", ("b", "n"), None),
    ("cols", ("n", "b"), None),
    ("grid", ("b", "b"), None),
    ("cyclic", ("c", "c"), None),
    ("blockcyclic", (BLOCK_CYCLIC, BLOCK_CYCLIC), None),
]


def rand(shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-5, 6, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def dist(ctx, x, layout):
    _, d, grid = layout
    return ctx.fromarray(x, dist=d, grid_shape=grid)


def check(got, expected, exact=False):
    got = got.toarray() if isinstance(got, distarray.DistArray) else got
    assert np.shape(got) == np.shape(expected)
    assert np.asarray(got).dtype == np.asarray(expected).dtype
    if exact:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


@pytest.fixture(params=[1, 3], ids=lambda n: "%dw" % n)
def few(request, contexts):
    """Contexts of 1 and 3 workers (a batch of 3 split or not)."""
    return contexts[request.param]


def _raises_like_numpy(function, *args, **kwargs):
    """``function`` on DistArrays raises NumPy's exception (type and message) on ``args``."""
    with pytest.raises(Exception) as expected:
        function(*(a.toarray() if isinstance(a, distarray.DistArray) else a for a in args),
                 **kwargs)
    with pytest.raises(expected.type, match="^%s$" % re.escape(str(expected.value))):
        function(*args, **kwargs)


# -- matrix products ----------------------------------------------------------------------
@pytest.mark.parametrize("left", MATRIX_LAYOUTS, ids=lambda c: c[0])
@pytest.mark.parametrize("right", MATRIX_LAYOUTS[2:4], ids=lambda c: c[0])
def test_matmul_across_layouts(ctx, left, right):
    x, y = rand((13, 10)), rand((10, 7), seed=1)
    check(dist(ctx, x, left) @ dist(ctx, y, right), x @ y)


@pytest.mark.parametrize("dtypes", [(np.complex128, np.complex128), (np.int64, np.float64),
                                    (np.int64, np.int64), (np.float64, np.complex128),
                                    (np.int32, np.bool_)], ids=str)
def test_matmul_dtypes_promote_like_numpy(ctx, dtypes):
    x, y = rand((9, 11), dtypes[0]), rand((11, 5), dtypes[1], seed=1)
    check(ctx.fromarray(x) @ ctx.fromarray(y, dist=("n", "b")), x @ y,
          exact=np.dtype(dtypes[1]).kind in "iub")


def test_matmul_on_one_grid_keeps_the_operands_layout(contexts):
    ctx = contexts[4]
    x, y = rand((11, 9)), rand((9, 6), seed=1)
    a = ctx.fromarray(x, dist=("b", "b"), grid_shape=(2, 2))
    b = ctx.fromarray(y, dist=("b", "c"), grid_shape=(2, 2))
    c = a @ b
    assert c.distribution.maps == (a.distribution.maps[0], b.distribution.maps[1])
    assert c.targets == a.targets
    check(c, x @ y)
    tall = ctx.fromarray(x, dist=("b", "n"), grid_shape=(4, 1))  # other grid: b moves
    check(tall @ b, x @ y)


def test_block_cyclic_panels(contexts, monkeypatch):
    monkeypatch.setattr(api_linalg, "MIN_PANEL", 2)
    ctx = contexts[4]
    x, y = rand((10, 23)), rand((23, 9), seed=1)
    a = ctx.fromarray(x, dist=("c", BLOCK_CYCLIC), grid_shape=(2, 2))
    b = ctx.fromarray(y, dist=({"dist_type": "c", "block_size": 2}, "b"), grid_shape=(2, 2))
    assert api_linalg._summa_operands(a, b) == (a, b)  # multiplied in place
    check(a @ b, x @ y)
    monkeypatch.setattr(api_linalg, "MAX_PANEL", 2)
    monkeypatch.setattr(api_linalg, "MIN_PANEL", 1)
    check(a @ b, x @ y)


def _set_poll_flops(value):
    from distarray.local import linalg
    old, linalg.POLL_FLOPS = linalg.POLL_FLOPS, value
    return old


def test_panels_multiplied_in_chunks_while_transfers_run(contexts):
    """Tiny poll chunks: rows go one by one until the panels arrive, then all at once."""
    ctx = contexts[4]
    x, y = rand((40, 64)), rand((64, 30), seed=1)
    a = ctx.fromarray(x, dist=("b", "b"), grid_shape=(2, 2))
    b = ctx.fromarray(y, dist=("b", "b"), grid_shape=(2, 2))
    old = ctx.apply(_set_poll_flops, (1,))[0]
    try:
        check(a @ b, x @ y)
    finally:
        ctx.apply(_set_poll_flops, (old,))


def test_matmul_empty_and_degenerate(ctx):
    for sa, sb in [((0, 3), (3, 4)), ((3, 0), (0, 4)), ((3, 4), (4, 0)), ((1, 1), (1, 1))]:
        x, y = rand(sa), rand(sb, seed=1)
        check(ctx.fromarray(x) @ ctx.fromarray(y), x @ y)


def test_matmul_with_numpy_operands_and_out(ctx):
    x, y = rand((8, 6)), rand((6, 5), seed=1)
    a = ctx.fromarray(x)
    check(a @ y, x @ y)
    check(rand((3, 8), seed=2) @ a, rand((3, 8), seed=2) @ x)
    out = ctx.zeros((8, 5))
    assert np.matmul(a, y, out=out) is out
    check(out, x @ y)
    check(np.linalg.matmul(a, y), x @ y)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64], ids=str)
def test_matrix_vector_and_vector_vector(ctx, dtype):
    x, v, w = rand((13, 7), dtype), rand(7, dtype, seed=1), rand(13, dtype, seed=2)
    for layout in MATRIX_LAYOUTS if dtype == np.float64 else MATRIX_LAYOUTS[2:4]:
        a = dist(ctx, x, layout)
        check(a @ ctx.fromarray(v, dist="c"), x @ v, exact=dtype == np.int64)
        check(ctx.fromarray(w) @ a, w @ x, exact=dtype == np.int64)
        check(a @ v, x @ v, exact=dtype == np.int64)
    s = ctx.fromarray(v) @ ctx.fromarray(v, dist="c")
    assert isinstance(s, np.generic) and s.dtype == (v @ v).dtype
    np.testing.assert_allclose(s, v @ v)
    np.testing.assert_allclose(np.dot(ctx.fromarray(v), v), np.dot(v, v))


def test_gufuncs(ctx):
    x, v = rand((6, 5), np.complex128), rand(5, np.complex128, seed=1)
    w = rand(6, np.complex128, seed=2)
    a = ctx.fromarray(x)
    check(np.matvec(a, v), np.matvec(x, v))
    check(np.vecmat(ctx.fromarray(w), a), np.vecmat(w, x))
    np.testing.assert_allclose(np.vecdot(ctx.fromarray(v), v), np.vecdot(v, v))
    check(np.vecdot(a, x), np.vecdot(x, x))
    check(np.vecdot(a, v), np.vecdot(x, v))


def test_nd_with_vector(ctx):
    x = rand((3, 4, 5))
    a = ctx.fromarray(x)
    check(a @ rand(5), x @ rand(5))
    check(rand(4) @ a, rand(4) @ x)


#: ``(shape_a, shape_b)`` of stacked products: broadcast, missing and empty batch axes.
STACKS = [((4, 3, 5), (4, 5, 2)), ((2, 1, 3, 5), (3, 5, 4)), ((3, 5), (5, 4, 5, 2)),
          ((5, 3, 5), (5, 2)), ((1, 3, 5), (5, 5, 2)), ((0, 3, 5), (5, 2)), ((2, 3, 0), (0, 2))]
#: Layouts of 3-D operands: default, whole matrices, split matrices, block-cyclic, unstructured.
STACK_LAYOUTS = [None, ("b", "n", "n"), ("n", "b", "c"), (BLOCK_CYCLIC, "n", "b"), ("u", "n", "n")]


def stack(ctx, x, layout):
    """``x`` distributed as ``layout`` if it is 3-D (``'u'``: a permutation dealt round-robin)."""
    if x.ndim != 3 or layout is None:
        return ctx.fromarray(x)
    p = len(ctx.targets)
    order = np.random.default_rng(p).permutation(x.shape[0])
    unstructured = {"dist_type": "u", "indices": [order[r::p] for r in range(p)]}
    return ctx.fromarray(x, dist=tuple(unstructured if e == "u" else e for e in layout))


def _stacks(ctx, x):
    """``x`` (3-D) in each of :data:`STACK_LAYOUTS` (whole and split matrices, unstructured)."""
    return [stack(ctx, x, layout) for layout in STACK_LAYOUTS]


@pytest.mark.parametrize("shapes", STACKS, ids=str)
def test_stacked_matmul(ctx, shapes):
    x, y = rand(shapes[0]), rand(shapes[1], seed=1)
    for n, layout in enumerate(STACK_LAYOUTS):
        check(stack(ctx, x, layout) @ stack(ctx, y, STACK_LAYOUTS[-1 - n]), x @ y)
    check(ctx.fromarray(x) @ y, x @ y)
    check(x @ ctx.fromarray(y), x @ y)


def test_stacked_matmul_dtypes_out_and_layout(contexts):
    ctx = contexts[3]
    x, y = rand((6, 4, 3), np.int64), rand((6, 3, 2), np.complex128, seed=1)
    a = ctx.fromarray(x, dist=("c", "n", "n"))
    c = a @ ctx.fromarray(y)
    check(c, x @ y)
    assert c.distribution.maps[0] == a.distribution.maps[0]  # a moves no data
    check(np.matmul(a, ctx.fromarray(x.transpose(0, 2, 1))), x @ x.transpose(0, 2, 1), exact=True)
    out = ctx.zeros((6, 4, 2), np.complex128)
    assert np.matmul(a, y, out=out) is out
    check(out, x @ y)
    check(distarray.linalg.matmul(ctx.fromarray(y), y.transpose(0, 2, 1)),
          y @ y.transpose(0, 2, 1))


def test_short_stacks_of_large_matrices_use_summa(contexts, monkeypatch):
    monkeypatch.setattr(api_linalg, "MIN_SUMMA_WORK", 50)
    calls = []
    summa = api_linalg._summa
    monkeypatch.setattr(api_linalg, "_summa", lambda *args: calls.append(1) or summa(*args))
    ctx = contexts[4]
    x, y = rand((3, 1, 7, 5)), rand((2, 5, 6), seed=1)
    check(ctx.fromarray(x) @ ctx.fromarray(y), x @ y)  # 6 pairs: batched
    assert not calls
    check(ctx.fromarray(x[:1]) @ y, x[:1] @ y)  # 2 pairs < 4 workers: SUMMA each
    assert len(calls) == 2


def test_stacked_gufuncs_and_einsum(ctx):
    x, v = rand((3, 6, 5), np.complex128), rand((2, 1, 5), np.complex128, seed=1)
    w = rand((3, 6), np.complex128, seed=2)
    a = ctx.fromarray(x, dist=("b", "n", "b"))
    check(np.matvec(a, ctx.fromarray(v)), np.matvec(x, v))
    check(np.matvec(a, v), np.matvec(x, v))
    check(np.vecmat(ctx.fromarray(w), a), np.vecmat(w, x))
    y = rand((3, 5, 2, 4), seed=3)
    for subscripts, operands in [("bij,bjk->bik", (x, x.transpose(0, 2, 1))),
                                 ("bij,bjkl->bilk", (x.real, y)), ("bij,bjk->ik", (x, x[:, :5]))]:
        got = np.einsum(subscripts, *(ctx.fromarray(o) for o in operands))
        check(got, np.einsum(subscripts, *operands))

# -- other products -----------------------------------------------------------------------
def test_dot_vdot_inner_outer(ctx):
    x, y = rand((7, 4), np.complex128), rand((4, 3), np.complex128, seed=1)
    v, w = rand(7, np.complex128, seed=2), rand(7, np.complex128, seed=3)
    a, b = ctx.fromarray(x), ctx.fromarray(y, dist="c")
    check(np.dot(a, b), np.dot(x, y))
    check(np.dot(a, y[:, 0]), np.dot(x, y[:, 0]))
    check(np.dot(2.0, a), np.dot(2.0, x))
    t = rand((2, 3, 4))
    check(np.dot(ctx.fromarray(t), y.real), np.dot(t, y.real))
    np.testing.assert_allclose(np.vdot(ctx.fromarray(v), w), np.vdot(v, w))
    np.testing.assert_allclose(np.vdot(a, ctx.fromarray(x, dist="c")), np.vdot(x, x))
    np.testing.assert_allclose(np.vdot(a, np.ravel(x)), np.vdot(x, x))
    np.testing.assert_allclose(np.inner(ctx.fromarray(v), w), np.inner(v, w))
    check(np.inner(a, x), np.inner(x, x))
    check(np.outer(ctx.fromarray(v), w), np.outer(v, w))
    check(np.outer(a, v), np.outer(x, v))


@pytest.mark.parametrize("shapes, axes", [
    (((3, 4, 5), (4, 5, 2)), 2), (((3, 4, 5), (5, 4)), ([1, 2], [1, 0])),
    (((6, 5), (6, 7)), ([0], [0])), (((3, 4), (2,)), 0), (((3, 4, 5), (4,)), ([1], [0])),
    (((4, 3), (3, 4)), ([0, 1], [1, 0])), (((2, 3, 4), (3, 2, 5)), ([0, 1], [1, 0])),
], ids=str)
def test_tensordot(ctx, shapes, axes):
    x, y = rand(shapes[0]), rand(shapes[1], seed=1)
    got = np.tensordot(ctx.fromarray(x), ctx.fromarray(y), axes=axes)
    check(got, np.tensordot(x, y, axes=axes))


@pytest.mark.parametrize("subscripts, shapes", [
    ("ij,jk->ik", [(5, 4), (4, 3)]), ("ij,jk", [(5, 4), (4, 3)]), ("ji,jk->ki", [(4, 5), (4, 3)]),
    ("ii", [(5, 5)]), ("ii->i", [(5, 5)]), ("ij->ji", [(3, 4)]), ("ij->j", [(3, 4)]),
    ("ij->", [(3, 4)]), ("i,i", [(6,), (6,)]), ("i,j->ij", [(3,), (4,)]),
    ("ij,j->i", [(5, 4), (4,)]), ("ij,ij->ij", [(3, 4), (3, 4)]), ("ij,ij->i", [(3, 4), (3, 4)]),
    ("ij,ij", [(3, 4), (3, 4)]), ("ij,jk,kl->il", [(3, 4), (4, 5), (5, 2)]),
    ("ijk,jk->i", [(2, 3, 4), (3, 4)]), ("i,ij->j", [(4,), (4, 3)]),
    ("...ij,jk->...ik", [(2, 3, 4), (4, 5)]), ("i...->...", [(2, 3, 4)]), ("...", [(2, 3)]),
    ("ij...,j...->i...", [(2, 3, 4), (3, 4)]), ("...ij,...jk", [(2, 1, 3, 4), (5, 4, 2)]),
    ("i...,i...", [(3, 2), (3, 1)]), ("ij,ij", [(3, 1), (3, 2)]),
    ("bi...,bj...->bij...", [(2, 3, 4), (2, 5, 4)]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_einsum(ctx, subscripts, shapes):
    values = [rand(s, seed=k) for k, s in enumerate(shapes)]
    got = np.einsum(subscripts, *(ctx.fromarray(v) for v in values))
    expected = np.einsum(subscripts, *values)
    if np.ndim(expected) == 0:
        assert np.ndim(got) == 0
        np.testing.assert_allclose(got, expected)
    else:
        check(got, expected)


def test_einsum_ints_dtypes_and_errors(contexts):
    ctx = contexts[2]
    x = rand((4, 4), np.int32)
    check(np.einsum("ij,jk->ik", ctx.fromarray(x), ctx.fromarray(x)),
          np.einsum("ij,jk->ik", x, x), exact=True)
    check(np.einsum("ij->i", ctx.fromarray(x)), np.einsum("ij->i", x), exact=True)
    y = rand((4, 3), np.float32)
    for kwargs in [{"dtype": np.float64}, {"dtype": np.int16, "casting": "unsafe"}]:
        check(np.einsum("ij,jk", ctx.fromarray(x), ctx.fromarray(y), **kwargs),
              np.einsum("ij,jk", x, y, **kwargs))
    out = ctx.zeros((4, 3), np.float32)
    assert np.einsum("ij,jk", ctx.fromarray(x), ctx.fromarray(y), out=out,
                     casting="same_kind") is out
    expected = np.einsum("ij,jk", x, y, out=np.zeros((4, 3), np.float32), casting="same_kind")
    np.testing.assert_allclose(out.toarray(), expected, rtol=1e-6)
    for args, kwargs in [(("ij,jk->ik", (2, 3), (4, 3)), {}),
                         (("ij,jk", (2, 3), (3, 4)), {"dtype": np.float32}),
                         (("ij,jk", (2, 3), (3, 4)), {"out": np.empty((2, 4), np.float32)})]:
        subscripts, shapes = args[0], args[1:]
        with pytest.raises(Exception) as expected:
            np.einsum(subscripts, *(np.ones(s) for s in shapes), **kwargs)
        message = str(expected.value) if expected.type is TypeError else None  # (casting)
        with pytest.raises(expected.type, match=message and re.escape(message)):
            np.einsum(subscripts, *(ctx.ones(s) for s in shapes), **{
                k: ctx.fromarray(v) if k == "out" else v for k, v in kwargs.items()})


def test_errors_match_numpy_before_anything_is_sent(contexts):
    ctx = contexts[2]
    a, b = ctx.ones((3, 4)), ctx.ones((5, 2))
    cases = [(np.matmul, (a, b)), (np.dot, (a, b)), (np.tensordot, (a, b)),
             (np.matmul, (a, ctx.ones(3))), (np.inner, (a, b)), (np.vdot, (a, b)),
             (np.matmul, (ctx.ones(()), a)),
             (np.matmul, (ctx.ones((2, 3, 4)), ctx.ones((3, 4, 2)))),
             (np.matmul, (ctx.ones((2, 3, 4)), ctx.ones((2, 5, 2)))),
             (np.matvec, (ctx.ones((2, 3, 4)), ctx.ones((2, 3))))]
    for function, args in cases:
        standins = [np.ones(x.shape) for x in args]
        with pytest.raises(Exception) as expected:
            function(*standins)
        with pytest.raises(type(expected.value)) as got:
            function(*args)
        assert str(got.value) == str(expected.value), function


@pytest.mark.parametrize("sa, sb, so, out_dtype", [
    ((3, 2), (2, 4), (3, 2), np.float64), ((2, 3), (3, 4), (2, 5), np.float64),
    ((2, 3), (3,), (3,), np.float64), ((3, 3), (3, 3), (3, 3), np.int64),  # refused
    ((4,), (4,), (3,), np.float64), ((2, 3), (3, 4), (5, 2, 4), np.float32),
    ((2, 3), (3,), (4, 2), np.float64)])  # broadcast into out, as NumPy does
def test_matmul_out_checked_before_anything_is_sent(contexts, monkeypatch, sa, sb, so,
                                                    out_dtype):
    ctx = contexts[2]
    x, y = rand(sa), rand(sb, seed=1)
    a, b, out = ctx.fromarray(x), ctx.fromarray(y), ctx.zeros(so, out_dtype)
    try:
        expected = np.matmul(x, y, out=np.zeros(so, out_dtype))
    except Exception as error:  # whatever NumPy raises
        monkeypatch.setattr(ctx.pool, "start", lambda *args, **kwargs: pytest.fail("sent"))
        with pytest.raises(type(error), match=re.escape(str(error))):
            np.matmul(a, b, out=out)
        if sa == so and out_dtype == x.dtype:
            with pytest.raises(type(error)):
                a @= b
        return
    assert np.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out.toarray(), expected, rtol=1e-6)


# -- trace and norms ----------------------------------------------------------------------
@pytest.mark.parametrize("offset", [0, 2, -3])
def test_trace(ctx, offset):
    x = rand((7, 9), np.int32)
    for layout in MATRIX_LAYOUTS[::2]:
        got = np.trace(dist(ctx, x, layout), offset)
        assert isinstance(got, np.generic) and got == np.trace(x, offset)
        assert got.dtype == np.trace(x, offset).dtype
    check(np.trace(ctx.fromarray(x), axis1=1, axis2=0), np.trace(x, axis1=1, axis2=0))
    t = rand((3, 4, 5))
    check(np.trace(ctx.fromarray(t), 1, 1, 2), np.trace(t, 1, 1, 2))


NORMS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64], ids=str)
def test_matrix_norms(ctx, dtype):
    x = rand((9, 5), dtype)
    a = ctx.fromarray(x, dist=("c", "b"))
    for order in NORMS:
        np.testing.assert_allclose(np.linalg.norm(a, order), np.linalg.norm(x, order),
                                   rtol=1e-10, err_msg=str(order))
    at = ctx.fromarray(x.T)  # a wide matrix
    for order in (2, -2, "nuc"):
        np.testing.assert_allclose(np.linalg.norm(at, order), np.linalg.norm(x.T, order))
    check(np.linalg.norm(a, 1, axis=(1, 0), keepdims=True),
          np.linalg.norm(x, 1, axis=(1, 0), keepdims=True))


def test_norms_of_stacks(few):
    x = rand((3, 5, 4), np.complex128)
    a = few.fromarray(x, dist=("b", "n", "c"))
    for order in (2, -2, "nuc", "fro", 1, np.inf):
        for axis in ((1, 2), (2, 0)):
            for keepdims in (False, True):
                check(np.linalg.norm(a, order, axis=axis, keepdims=keepdims),
                      np.linalg.norm(x, order, axis=axis, keepdims=keepdims))
    check(np.linalg.matrix_norm(a, ord="nuc"), np.linalg.matrix_norm(x, ord="nuc"))


def test_vector_norms(ctx):
    x = rand((6, 7), np.complex128)
    a = ctx.fromarray(x)
    v = ctx.fromarray(x[0])
    for order in [None, 1, 2, 3, 0.5, 0, np.inf, -np.inf]:
        np.testing.assert_allclose(np.linalg.norm(v, order), np.linalg.norm(x[0], order))
        check(np.linalg.norm(a, order, axis=1), np.linalg.norm(x, order, axis=1))
    check(np.linalg.norm(a, axis=0, keepdims=True), np.linalg.norm(x, axis=0, keepdims=True))
    np.testing.assert_allclose(np.linalg.norm(ctx.fromarray(rand((2, 3, 4)))),
                               np.linalg.norm(rand((2, 3, 4))))
    np.testing.assert_allclose(np.linalg.vector_norm(a), np.linalg.vector_norm(x))
    np.testing.assert_allclose(np.linalg.matrix_norm(a), np.linalg.matrix_norm(x))
    with pytest.raises(ValueError, match="Invalid norm order 'fro' for vectors"):
        np.linalg.norm(v, "fro")
    with pytest.raises(ValueError, match="Improper number of dimensions"):
        np.linalg.norm(ctx.ones((2, 2, 2)), 1)
    check(np.linalg.norm(a, axis=1.0), np.linalg.norm(x, axis=1.0))  # NumPy takes int(axis)
    for axis in ((1, 1), (0, 1, 0), "x"):
        _raises_like_numpy(np.linalg.norm, a, axis=axis)



@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 3)], ids=str)
def test_max_norms_of_empty_arrays_are_zero(few, shape):
    x = np.zeros(shape)
    a = few.fromarray(x)
    for order in (1, 2, np.inf, "nuc", -1, -np.inf):
        try:
            expected = np.linalg.norm(x, order, axis=(-2, -1))
        except ValueError:  # the minimum of no values
            _raises_like_numpy(np.linalg.norm, a, order, axis=(-2, -1))
        else:
            check(np.linalg.norm(a, order, axis=(-2, -1)), expected)
    check(np.linalg.norm(a, np.inf, axis=-1), np.linalg.norm(x, np.inf, axis=-1))
    check(np.linalg.vector_norm(a, ord=np.inf), np.linalg.vector_norm(x, ord=np.inf))


@pytest.mark.parametrize("order", [2, 1, np.inf, -np.inf, 0, 3])
def test_vector_norm_over_several_axes(few, order):
    x = rand((2, 3, 4), np.complex128)
    a = few.fromarray(x, dist=("c", "b", "n"))
    for axis in (None, (0, 2), (2, 1), (0, 1, 2), -1):
        for keepdims in (False, True):
            check(np.linalg.vector_norm(a, axis=axis, keepdims=keepdims, ord=order),
                  np.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=order))
    with pytest.raises(ValueError, match="Invalid norm order 'fro' for vectors"):
        np.linalg.vector_norm(a, axis=(0, 1), ord="fro")

# -- factorizations -------------------------------------------------------------------------
def _orthonormal_columns(q):
    np.testing.assert_allclose(q.conj().T @ q, np.eye(q.shape[1]), atol=1e-10)


@pytest.mark.parametrize("shape", [(23, 4), (9, 9), (3, 7), (30, 1)], ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64], ids=str)
def test_qr(ctx, shape, dtype):
    x = rand(shape, dtype)
    q, r = np.linalg.qr(ctx.fromarray(x, dist=("c", "n")))
    q, r = q.toarray(), r.toarray()
    expected = np.linalg.qr(x)
    assert q.shape == expected.Q.shape and r.shape == expected.R.shape
    assert q.dtype == expected.Q.dtype and r.dtype == expected.R.dtype
    _orthonormal_columns(q)
    np.testing.assert_allclose(q @ r, x, atol=1e-10)
    np.testing.assert_allclose(np.tril(r, -1), 0)
    np.testing.assert_allclose(np.abs(np.linalg.qr(ctx.fromarray(x), mode="r").toarray()),
                               np.abs(expected.R), atol=1e-10)


def test_qr_complete_gathers_with_a_warning(ctx):
    x = rand((7, 3))
    with pytest.warns(UserWarning, match="gathered") as caught:
        q, r = np.linalg.qr(ctx.fromarray(x), mode="complete")
    assert caught[0].filename == __file__  # the warning points at the user's line
    check(q, np.linalg.qr(x, mode="complete").Q)
    with pytest.raises(ValueError, match="Unrecognized mode"):
        np.linalg.qr(ctx.fromarray(x), mode="bad")
    with pytest.raises(np.linalg.LinAlgError, match="1-dimensional array given"):
        np.linalg.qr(ctx.ones(3))
    _raises_like_numpy(np.linalg.lstsq, ctx.ones((2, 3, 3)), np.ones((2, 3)))


@pytest.mark.parametrize("shape", [(25, 4), (6, 6), (4, 13)], ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_svd(ctx, shape, dtype):
    x = rand(shape, dtype)
    a = ctx.fromarray(x, dist=("b", "b"))
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    u, s, vh = u.toarray(), s.toarray(), vh.toarray()
    expected = np.linalg.svd(x, compute_uv=False)
    np.testing.assert_allclose(s, expected)
    assert s.dtype == expected.dtype and u.dtype == np.linalg.svd(x).U.dtype
    np.testing.assert_allclose((u * s) @ vh, x, atol=1e-10)
    _orthonormal_columns(u)
    _orthonormal_columns(vh.conj().T)
    check(np.linalg.svd(a, compute_uv=False), expected)
    check(np.linalg.svdvals(a), expected)


def test_svd_full_matrices(ctx):
    x = rand((8, 3))
    with pytest.warns(UserWarning, match="gathered"):
        u, s, vh = np.linalg.svd(ctx.fromarray(x))
    assert u.shape == (8, 8)
    np.testing.assert_allclose(s.toarray(), np.linalg.svd(x, compute_uv=False))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64], ids=str)
def test_solve_and_inv(ctx, dtype):
    n = 23
    x = rand((n, n), dtype) + 3 * np.eye(n, dtype=dtype)
    b, bb = rand(n, dtype, seed=1), rand((n, 3), dtype, seed=2)
    for layout in MATRIX_LAYOUTS[1:3] if dtype == np.float64 else MATRIX_LAYOUTS[4:5]:
        a = dist(ctx, x, layout)
        check(np.linalg.solve(a, b), np.linalg.solve(x, b))
        check(np.linalg.solve(a, ctx.fromarray(bb, dist=("n", "b"))), np.linalg.solve(x, bb))
    check(np.linalg.inv(ctx.fromarray(x)), np.linalg.inv(x))
    one = rand((1, 1), dtype) + 1
    check(np.linalg.inv(ctx.fromarray(one)), np.linalg.inv(one))


def test_solve_pivots_and_many_panels(contexts):
    ctx = contexts[3]
    n = 61  # blocks of 10 on 3 workers: 7 panels, dealt cyclically
    x = rand((n, n))
    x[np.arange(n), np.arange(n)] = 0  # forces row interchanges
    b = rand((n, 5), seed=1)
    check(np.linalg.solve(ctx.fromarray(x), b), np.linalg.solve(x, b))
    check(np.linalg.inv(ctx.fromarray(x, dist=("b", "b"))), np.linalg.inv(x))


def test_singular_and_bad_shapes_raise_linalgerror(ctx):
    singular = np.ones((6, 6))
    with pytest.raises(np.linalg.LinAlgError, match="^Singular matrix$"):
        np.linalg.solve(ctx.fromarray(singular), np.ones(6))
    with pytest.raises(np.linalg.LinAlgError, match="^Singular matrix$"):
        np.linalg.inv(ctx.fromarray(np.zeros((3, 3))))
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        np.linalg.solve(ctx.ones((3, 4)), np.ones(3))
    with pytest.raises(ValueError, match="mismatch in its core dimension"):
        np.linalg.solve(ctx.ones((3, 3)), ctx.ones(4))
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        np.linalg.inv(ctx.ones((3, 4)))
    check(np.linalg.solve(ctx.fromarray(np.eye(3)), np.arange(3.0)), np.arange(3.0))  # goes on


@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_cholesky(ctx, dtype):
    for n in (1, 5, 33):
        x = rand((n, n), dtype)
        spd = x @ x.conj().T + n * np.eye(n)
        noise = rand((n, n), dtype, 5)
        lower, upper = np.tril(spd) + np.triu(noise, 1), np.triu(spd) + np.tril(noise, -1)
        check(np.linalg.cholesky(ctx.fromarray(lower)), np.linalg.cholesky(lower))
        check(np.linalg.cholesky(ctx.fromarray(upper), upper=True),
              np.linalg.cholesky(upper, upper=True))
    with pytest.raises(np.linalg.LinAlgError, match="^Matrix is not positive definite$"):
        np.linalg.cholesky(ctx.fromarray(-np.eye(4)))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_lstsq(ctx, dtype):
    x = rand((31, 4), dtype)
    for b in (rand(31, dtype, seed=1), rand((31, 2), dtype, seed=2)):
        got = np.linalg.lstsq(ctx.fromarray(x, dist="c"), ctx.fromarray(b), rcond=None)
        expected = np.linalg.lstsq(x, b, rcond=None)
        check(got[0], expected[0])
        check(got[1], expected[1])
        assert got[2] == expected[2]
        check(got[3], expected[3])
    deficient = np.column_stack([x[:, 0], x[:, 0], x[:, 1]])
    got = np.linalg.lstsq(ctx.fromarray(deficient), rand(31, dtype, seed=1))
    expected = np.linalg.lstsq(deficient, rand(31, dtype, seed=1))
    assert got[2] == expected[2] == 2 and got[1].shape == (0,)
    assert type(got[2]) is type(expected[2])
    check(got[0], expected[0])
    zero_column = np.column_stack([x[:, :2], np.zeros(31)]).astype(dtype)
    for rcond in (-1, 0.5):  # negative: the machine precision, as LAPACK
        got = np.linalg.lstsq(ctx.fromarray(zero_column), rand(31, dtype, seed=1), rcond=rcond)
        expected = np.linalg.lstsq(zero_column, rand(31, dtype, seed=1), rcond=rcond)
        assert got[2] == expected[2]
        check(got[0], expected[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(np.linalg.lstsq(ctx.fromarray(x.T), rand(4, dtype))[0],
              np.linalg.lstsq(x.T, rand(4, dtype))[0])


def test_public_module(contexts):
    ctx = contexts[2]
    x = rand((5, 5)) + 5 * np.eye(5)
    a = ctx.fromarray(x)
    assert distarray.linalg.LinAlgError is np.linalg.LinAlgError
    check(distarray.linalg.inv(a), np.linalg.inv(x))
    check(distarray.matmul(a, a), x @ x)
    np.testing.assert_allclose(distarray.linalg.norm(a), np.linalg.norm(x))
    check(distarray.einsum("ij->ji", a), x.T)
    assert isinstance(Distribution(ctx, (4, 4)), Distribution)


@pytest.mark.parametrize("shape", [(9, 9), (40, 37), (5, 1)], ids=str)
def test_panel_lu(shape):
    """The workers' panel LU (run here) on rows ``k0:`` and some local columns of a matrix."""
    from distarray.local import linalg as kernels

    k0, first, w = 2, 1, shape[1]
    x = rand((shape[0] + k0, w + 3))
    x[k0] *= 1e-3  # small leading entries: pivoting must pick other rows
    a = x.copy()
    header = kernels._lu_factor(a, k0, w, first)
    panel = a[k0:, first:first + w]
    lower, upper = np.tril(panel, -1) + np.eye(*shape), np.triu(panel[:w])
    permuted = x[k0:, first:first + w].copy()
    kernels._swap_rows(permuted, header[1:])
    assert header[0] == -1 and len(header) == w + 1
    np.testing.assert_allclose(lower @ upper, permuted, atol=1e-12)
    assert np.all(np.abs(np.tril(panel, -1)) <= 1 + 1e-12)
    np.testing.assert_array_equal(np.delete(a, np.s_[first:first + w], 1),
                                  np.delete(x, np.s_[first:first + w], 1))
    singular = np.ones((4, 3))
    assert kernels._lu_factor(singular, 0, 3, 0)[0] == 1  # column 1 has no nonzero pivot


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.float32, np.int64], ids=str)
def test_det_and_slogdet(ctx, dtype):
    n = 23
    x = rand((n, n), dtype) + 2 * np.eye(n, dtype=dtype)
    x[np.arange(n), np.arange(n)] = 0  # forces row interchanges
    big = 1e30 * x if dtype != np.int64 else x  # det overflows, slogdet does not
    cases = [(x, MATRIX_LAYOUTS[2]), (big, MATRIX_LAYOUTS[4]),
             (np.ones((5, 5), dtype), MATRIX_LAYOUTS[0]), (rand((1, 1), dtype), MATRIX_LAYOUTS[1])]
    for value, layout in cases:
        a = dist(ctx, value, layout)
        sign, logabsdet = np.linalg.slogdet(a)
        expected = np.linalg.slogdet(value)
        rtol = 1e-4 if dtype == np.float32 else 1e-10
        for got, want in zip((sign, logabsdet), expected):
            assert isinstance(got, np.generic) and got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
        with np.errstate(over="ignore"):
            got, want = np.linalg.det(a), np.linalg.det(value)
        assert isinstance(got, np.generic) and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=100 * rtol)


def test_det_edge_cases_and_errors(contexts):
    ctx = contexts[3]
    empty = ctx.zeros((0, 0))
    assert np.linalg.det(empty) == np.linalg.det(np.zeros((0, 0)))
    assert tuple(np.linalg.slogdet(empty)) == tuple(np.linalg.slogdet(np.zeros((0, 0))))
    assert np.linalg.slogdet(ctx.zeros((4, 4), np.int32))[1] == -np.inf
    assert distarray.linalg.det(ctx.fromarray(np.eye(3) * 2)) == np.linalg.det(np.eye(3) * 2)
    for shape in [(3,), (2, 3)]:
        for function in (np.linalg.det, np.linalg.slogdet):
            with pytest.raises(np.linalg.LinAlgError) as expected:
                function(np.ones(shape))
            with pytest.raises(np.linalg.LinAlgError, match=str(expected.value)):
                function(ctx.ones(shape))


def test_stacked_det_and_slogdet(ctx):
    x = rand((4, 2, 6, 6), np.complex128)
    x[1, 0] = 1  # singular
    for layout in [None, ("b", "c", "n", "n"), ("n", "n", "b", "b")]:
        a = ctx.fromarray(x, dist=layout)
        sign, logabsdet = np.linalg.slogdet(a)
        expected = np.linalg.slogdet(x)
        check(sign, expected.sign)
        check(logabsdet, expected.logabsdet)
        check(np.linalg.det(a), np.linalg.det(x))
    for empty in (np.ones((3, 0, 0)), np.ones((0, 2, 2))):
        check(np.linalg.det(ctx.fromarray(empty)), np.linalg.det(empty))


# -- stacks of matrices: solve, inv, factorizations, eigenvalues ------------------------------
def test_stacked_solve_and_inv(few):
    ctx = few
    x = rand((3, 4, 4)) + 4 * np.eye(4)
    for a in _stacks(ctx, x):
        check(np.linalg.inv(a), np.linalg.inv(x))
        for b in (rand(4, seed=1), rand((4, 2), seed=2), rand((3, 4, 2), seed=3)):
            check(np.linalg.solve(a, ctx.fromarray(b)), np.linalg.solve(x, b))
    pairs = [(rand((2, 1, 4, 4)) + 4 * np.eye(4), rand((3, 4, 2), np.int64, seed=1)),
             (rand((4, 4), np.complex128) + 4 * np.eye(4), rand((3, 4, 2), seed=1)),
             (rand((3, 4, 4), np.int64) + 9 * np.eye(4, dtype=np.int64), rand(4, seed=1)),
             (rand((0, 4, 4)), rand(4, seed=1)), (rand((0, 4, 4)), rand((2, 1, 4, 3)))]
    for x, b in pairs:
        check(np.linalg.solve(ctx.fromarray(x), b), np.linalg.solve(x, b))
        check(np.linalg.solve(x, ctx.fromarray(b)), np.linalg.solve(x, b))
    empty = np.zeros((0, 2, 2), np.int32)
    check(np.linalg.inv(ctx.fromarray(empty)), np.linalg.inv(empty))
    check(np.linalg.inv(ctx.zeros((2, 0, 0))), np.linalg.inv(np.zeros((2, 0, 0))))


def test_stacked_solve_errors(contexts):
    ctx = contexts[2]
    a = ctx.fromarray(rand((3, 4, 4)))
    for b in (rand(5), rand((3, 5, 2)), rand((2, 4, 2)), rand(())):
        _raises_like_numpy(np.linalg.solve, a, ctx.fromarray(b))
    _raises_like_numpy(np.linalg.solve, ctx.ones((3, 4, 5)), rand(4))
    _raises_like_numpy(np.linalg.inv, ctx.ones((3, 4, 5)))
    singular = rand((3, 4, 4))
    singular[1] = 1
    for function, args in [(np.linalg.solve, (singular, rand(4))), (np.linalg.inv, (singular,))]:
        _raises_like_numpy(function, ctx.fromarray(singular), *args[1:])
    check(np.linalg.inv(a), np.linalg.inv(a.toarray()))  # the pool goes on


@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_stacked_cholesky(few, dtype):
    x = rand((3, 4, 4), dtype)
    spd = x @ np.conj(np.swapaxes(x, -1, -2)) + 4 * np.eye(4)
    noise = rand((3, 4, 4), dtype, seed=5)
    for upper, stored in ((False, np.tril(spd) + np.triu(noise, 1)),
                          (True, np.triu(spd) + np.tril(noise, -1))):  # the other triangle unread
        for a in _stacks(few, stored):
            check(np.linalg.cholesky(a, upper=upper), np.linalg.cholesky(stored, upper=upper))
    check(np.linalg.cholesky(few.zeros((0, 3, 3), dtype)), np.zeros((0, 3, 3), dtype))
    spd[2] = -np.eye(4)
    _raises_like_numpy(np.linalg.cholesky, few.fromarray(spd))


def _matching_shapes_and_dtypes(got, expected):
    got = got if isinstance(got, tuple) else (got,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    assert [(g.shape, g.dtype) for g in got] == [(e.shape, e.dtype) for e in expected]


@pytest.mark.parametrize("shape", [(3, 5, 3), (2, 1, 3, 4)], ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_stacked_qr_and_svd(few, shape, dtype):
    x = rand(shape, dtype)
    a = few.fromarray(x, dist=("n",) * (len(shape) - 2) + ("b", "c"))
    k = min(shape[-2:])
    for mode in ("reduced", "complete"):
        q, r = got = np.linalg.qr(a, mode=mode)
        assert type(got) is type(np.linalg.qr(x))
        _matching_shapes_and_dtypes(got, np.linalg.qr(x, mode=mode))
        q, r = q.toarray(), r.toarray()
        np.testing.assert_allclose(q @ r, x, atol=1e-10)
        np.testing.assert_allclose(np.swapaxes(q, -1, -2).conj() @ q, np.eye(q.shape[-1]) +
                                   np.zeros(q.shape[:-2] + (1, 1)), atol=1e-10)
        np.testing.assert_allclose(np.tril(r, -1), 0, atol=1e-12)
    check(np.abs(np.linalg.qr(a, mode="r").toarray()), np.abs(np.linalg.qr(x, mode="r")))
    raw = np.linalg.qr(a, mode="raw")
    for got, expected in zip(raw, np.linalg.qr(x, mode="raw")):
        check(got, expected)
    for full in (False, True):
        got = np.linalg.svd(a, full_matrices=full)
        assert type(got) is type(np.linalg.svd(x))
        _matching_shapes_and_dtypes(got, np.linalg.svd(x, full_matrices=full))
        u, s, vh = (v.toarray() for v in got)
        np.testing.assert_allclose((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], x, atol=1e-10)
    check(np.linalg.svd(a, compute_uv=False), np.linalg.svd(x, compute_uv=False))
    check(np.linalg.svdvals(a), np.linalg.svdvals(x))
    check(distarray.linalg.svdvals(few.fromarray(x[:0])), np.linalg.svdvals(x[:0]))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_stacked_eigh_and_eigvalsh(few, dtype):
    x = rand((3, 4, 4), dtype)
    hermitian = x + np.conj(np.swapaxes(x, -1, -2))
    for uplo, stored in (("L", np.tril(hermitian)), ("U", np.triu(hermitian))):
        for a in _stacks(few, stored):
            w, v = got = np.linalg.eigh(a, UPLO=uplo)
            assert type(got) is type(np.linalg.eigh(x))
            check(w, np.linalg.eigvalsh(hermitian))
            v = v.toarray()
            assert v.dtype == np.linalg.eigh(hermitian).eigenvectors.dtype
            np.testing.assert_allclose(hermitian @ v, v * w.toarray()[..., None, :], atol=1e-10)
            check(np.linalg.eigvalsh(a, UPLO=uplo), np.linalg.eigvalsh(hermitian))
    check(distarray.linalg.eigvalsh(few.zeros((0, 3, 3), dtype)), np.zeros((0, 3), dtype).real)
    _raises_like_numpy(np.linalg.eigh, few.fromarray(x), UPLO="X")
    _raises_like_numpy(np.linalg.eigvalsh, few.ones((3, 2, 4)))


@pytest.mark.parametrize("dtype", [np.float64, np.complex128], ids=str)
def test_stacked_eig_and_eigvals(few, dtype):
    x = rand((3, 4, 4), dtype)
    symmetric = x + np.swapaxes(x, -1, -2)  # real eigenvalues when real
    for value in (x, symmetric):
        expected = np.linalg.eig(value)
        for a in _stacks(few, value):
            w, v = got = np.linalg.eig(a)
            assert type(got) is type(expected)
            _matching_shapes_and_dtypes(got, expected)
            w, v = w.toarray(), v.toarray()
            np.testing.assert_allclose(value @ v, v * w[..., None, :], atol=1e-10)
            check(np.sort_complex(w), np.sort_complex(expected.eigenvalues))
            values = np.linalg.eigvals(a)
            assert values.dtype == np.linalg.eigvals(value).dtype
            check(np.sort_complex(values.toarray()), np.sort_complex(w))
    assert np.linalg.eig(few.fromarray(symmetric)).eigenvalues.dtype == \
        np.linalg.eigvals(symmetric).dtype == dtype
    if dtype == np.float64:
        assert np.linalg.eigvals(x).dtype == np.complex128  # the test covers both cases
    empty = np.zeros((0, 2, 2), dtype)
    check(np.linalg.eigvals(few.fromarray(empty)), np.linalg.eigvals(empty))
    bad = x.copy()
    bad[1, 0, 0] = np.nan
    _raises_like_numpy(np.linalg.eig, few.fromarray(bad))


def test_eigenvalues_of_one_matrix_gather(contexts):
    ctx = contexts[2]
    x = rand((5, 5))
    hermitian = x + x.T
    a, h = ctx.fromarray(x, dist=("b", "c")), ctx.fromarray(hermitian)
    with pytest.warns(UserWarning, match="gathered") as caught:
        values = np.linalg.eigvalsh(h)
    assert caught[0].filename == __file__
    check(values, np.linalg.eigvalsh(hermitian))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        w, v = np.linalg.eigh(h, UPLO="U")
        expected = np.linalg.eigh(hermitian, UPLO="U")
        check(w, expected.eigenvalues)
        check(np.abs(v), np.abs(expected.eigenvectors))
        for got, want in zip(np.linalg.eig(a), np.linalg.eig(x)):
            check(got, want)
        check(np.linalg.eigvals(a), np.linalg.eigvals(x))
        check(distarray.linalg.eigvals(h), np.linalg.eigvals(hermitian))
    _raises_like_numpy(np.linalg.eig, ctx.ones(3))
    _raises_like_numpy(np.linalg.eigh, h, UPLO="X")
