"""Creation and gathering, against NumPy, over every layout and 1-4 workers."""

import re

import numpy as np
import pytest

import distarray
from distarray import Distribution, DistributionError

from layouts import GRIDS_ON_4, LAYOUT_IDS, layout, sample


@pytest.fixture(params=LAYOUT_IDS)
def case(request, ctx):
    shape, dist, grid_shape = layout(ctx.nworkers, request.param)
    return ctx, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)


@pytest.mark.parametrize("shape, dist, grid_shape", GRIDS_ON_4)
def test_explicit_grids(contexts, shape, dist, grid_shape):
    ctx = contexts[4]
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    assert distribution.grid_shape == grid_shape
    data = sample(shape)
    d = ctx.fromarray(data, distribution)
    np.testing.assert_array_equal(d.toarray(), data)
    coords = ctx.apply(lambda la: (la.cart_coords, tuple(la.comm.Get_coords(la.comm.Get_rank()))),
                       (d,), targets=d.targets)
    for i, (mine, cart) in enumerate(coords):
        assert mine == cart == distribution.coords(i)


@pytest.mark.parametrize("dtype", ["f8", "i4", "c16", "?", "f2", "u1"])
def test_fromarray_toarray_round_trip(case, dtype):
    ctx, distribution = case
    data = sample(distribution.shape, dtype)
    d = distarray.fromarray(data, distribution)
    assert d.shape == data.shape and d.dtype == data.dtype
    out = d.toarray()
    assert out.dtype == data.dtype
    np.testing.assert_array_equal(out, data)
    np.testing.assert_array_equal(np.asarray(d), data)


def test_pieces_hold_their_global_elements(case):
    ctx, distribution = case
    data = sample(distribution.shape)
    d = ctx.fromarray(data, distribution)
    pieces = d.get_localarrays()
    assert [p.local_shape for p in pieces] == d.localshapes()
    assert sum(p.owned.size for p in pieces) == data.size
    for piece in pieces:
        np.testing.assert_array_equal(piece.owned, data[np.ix_(*piece.global_index_arrays())]
                                      if data.ndim else data)
    on_workers = ctx.apply(lambda la: la.ndarray.copy(), (d,), targets=d.targets)
    for mine, theirs in zip(d.get_ndarrays(), on_workers):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("make, expected", [
    (lambda s, d: distarray.zeros(s, distribution=d), lambda s: np.zeros(s)),
    (lambda s, d: distarray.ones(s, dtype="i8", distribution=d), lambda s: np.ones(s, "i8")),
    (lambda s, d: distarray.full(d, 2.5), lambda s: np.full(s, 2.5)),
    (lambda s, d: distarray.full(d, 7, dtype="u2"), lambda s: np.full(s, 7, "u2")),
    (lambda s, d: distarray.full(d, True), lambda s: np.full(s, True)),
], ids=["zeros", "ones-i8", "full-float", "full-u2", "full-bool"])
def test_filled_creation(case, make, expected):
    ctx, distribution = case
    d = make(distribution.shape, distribution)
    want = expected(distribution.shape)
    assert d.dtype == want.dtype
    np.testing.assert_array_equal(d.toarray(), want)


def test_empty_has_shape_and_dtype(case):
    ctx, distribution = case
    d = distarray.empty(distribution, dtype=np.int16)
    assert d.shape == distribution.shape and d.dtype == np.int16
    assert d.toarray().shape == distribution.shape


def test_fromfunction_uses_global_indices(case):
    ctx, distribution = case

    def f(*index):
        return sum((k + 1) * 10 ** k * i for k, i in enumerate(index)) + 0.5

    d = ctx.fromfunction(f, distribution.shape, distribution=distribution)
    np.testing.assert_array_equal(d.toarray(), np.fromfunction(f, distribution.shape))


def test_fromfunction_result_dtype_and_kwargs(ctx):
    d = distarray.fromfunction(lambda i, j, k=0: (i + j + k).astype(np.int32), (6, 5),
                               dtype=int, context=ctx, k=3)
    assert d.dtype == np.int32
    np.testing.assert_array_equal(d.toarray(), np.fromfunction(lambda i, j: i + j + 3, (6, 5),
                                                                dtype=int))


def test_fromfunction_of_a_non_callable_is_refused_on_the_client(ctx):
    with pytest.raises(TypeError, match="^'int' object is not callable"):
        distarray.fromfunction(3, (2,), context=ctx)


def test_copy_fill_astype(case):
    ctx, distribution = case
    data = sample(distribution.shape)
    d = distarray.fromarray(data, distribution)
    c = d.copy()
    d.fill(3)
    np.testing.assert_array_equal(c.toarray(), data)
    np.testing.assert_array_equal(d.toarray(), np.full(data.shape, 3.0))
    i = c.astype(np.int64)
    assert i.dtype == np.int64 and i.distribution is c.distribution
    np.testing.assert_array_equal(i.toarray(), data.astype(np.int64))
    assert c.astype(c.dtype, copy=False) is c
    with pytest.raises(TypeError):
        c.astype(np.int64, casting="safe")


def test_properties(case):
    ctx, distribution = case
    d = distarray.zeros(distribution, dtype=np.float32)
    reference = np.zeros(distribution.shape, np.float32)
    for name in ("shape", "ndim", "size", "nbytes", "itemsize", "dtype"):
        assert getattr(d, name) == getattr(reference, name), name
    assert d.distribution is distribution and d.context is ctx
    assert d.dist == distribution.dist and d.grid_shape == distribution.grid_shape
    assert d.targets == distribution.targets
    assert d.localshapes() == distribution.localshapes()
    assert "DistArray(" in repr(d) and str(d.shape) in repr(d)
    if d.ndim:
        assert len(d) == distribution.shape[0]
    else:
        with pytest.raises(TypeError):
            len(d)


@pytest.mark.parametrize("args", [(10,), (2, 11), (0, 1, 0.1), (3.5, -2, -0.7), (5, 1),
                                  (1, 7, 2), (0.5, 9.9, 0.3), (-3, 4, 1)])
@pytest.mark.parametrize("dtype", [None, "f4", "i8", "f2"])
def test_arange_matches_numpy(ctx, args, dtype):
    expected = np.arange(*args, dtype=dtype)
    d = distarray.arange(*args, dtype=dtype, context=ctx, dist="c")
    assert d.dtype == expected.dtype
    np.testing.assert_array_equal(d.toarray(), expected)


@pytest.mark.parametrize("start, stop, num, endpoint, dtype", [
    (0, 1, 50, True, None), (2.5, -7, 13, False, None), (0, 10, 1, True, None),
    (0, 10, 0, True, None), (1, 1, 5, True, None), (0, 100, 17, True, int),
    (-1, 1, 9, False, "f4"), (1e-310, 2e-310, 5, True, None)])
def test_linspace_matches_numpy(ctx, start, stop, num, endpoint, dtype):
    expected, step = np.linspace(start, stop, num, endpoint, retstep=True, dtype=dtype)
    d, dstep = distarray.linspace(start, stop, num, endpoint, retstep=True, dtype=dtype,
                                  context=ctx)
    assert d.dtype == expected.dtype
    np.testing.assert_array_equal(d.toarray(), expected)
    np.testing.assert_equal(dstep, step)


def test_like_functions(ctx):
    base = ctx.fromarray(sample((5, 4)), dist=("c", "n"))
    for made, want in [(distarray.zeros_like(base), np.zeros((5, 4))),
                       (distarray.ones_like(base, dtype="i2"), np.ones((5, 4), "i2")),
                       (distarray.full_like(base, 9), np.full((5, 4), 9.0)),
                       (distarray.empty_like(base), None)]:
        assert made.distribution is base.distribution
        if want is not None:
            assert made.dtype == want.dtype
            np.testing.assert_array_equal(made.toarray(), want)
    from_numpy = ctx.zeros_like(np.ones((2, 3), "u1"))
    assert from_numpy.shape == (2, 3) and from_numpy.dtype == np.uint8


def test_context_methods_and_module_functions_agree(ctx):
    data = sample((6, 3))
    a = ctx.fromarray(data, dist=("c", "n"))
    b = distarray.fromarray(data, context=ctx, dist=("c", "n"))
    assert a.distribution == b.distribution
    np.testing.assert_array_equal(a.toarray(), b.toarray())
    z = ctx.zeros(a.distribution)
    assert z.distribution is a.distribution


def test_bad_input_is_refused_before_sending(ctx):
    with pytest.raises(TypeError):
        distarray.zeros((2, 2), dtype=object, context=ctx)
    with pytest.raises(ValueError):
        distarray.zeros((-1, 2), context=ctx)
    with pytest.raises(TypeError):
        distarray.zeros((2.5,), context=ctx)
    with pytest.raises(ValueError):
        distarray.fromarray(np.zeros((3, 4)), Distribution(ctx, (4, 3)))
    with pytest.raises(DistributionError):
        distarray.zeros((4, 4), dist=("x", "b"), context=ctx)
    with pytest.raises(DistributionError):
        distarray.zeros((4, 4), dist=("b", "b"), grid_shape=(ctx.nworkers + 1, 1), context=ctx)
    with pytest.raises(ValueError, match=r"from shape \(3,\) into shape \(2,\)"):
        distarray.full((2,), [1, 2, 3], context=ctx)
    with pytest.raises(ValueError, match="too big"):
        distarray.zeros((2**40, 2**40), context=ctx)
    with pytest.raises(ZeroDivisionError):
        distarray.arange(0, 5, 0, context=ctx)
    with pytest.raises(ValueError):
        distarray.linspace(0, 1, -1, context=ctx)
    assert distarray.zeros(3, context=ctx).toarray().tolist() == [0, 0, 0]


def test_datetime_and_structured_dtypes_round_trip(ctx):
    times = np.arange("2026-01-01", "2026-01-20", dtype="datetime64[D]")
    np.testing.assert_array_equal(distarray.fromarray(times, context=ctx).toarray(), times)
    records = np.zeros(9, dtype=[("x", "f8"), ("n", "i2")])
    records["x"] = np.arange(9) / 2
    records["n"] = -np.arange(9)
    out = distarray.fromarray(records, context=ctx, dist="c").toarray()
    assert out.dtype == records.dtype and out.tolist() == records.tolist()


def test_non_contiguous_input(ctx):
    data = np.asfortranarray(sample((6, 7)))[::2, ::-1]
    np.testing.assert_array_equal(ctx.fromarray(data, dist=("b", "b")).toarray(), data)


def test_asarray_and_array_follow_numpy(case):
    ctx, distribution = case
    data = sample(distribution.shape)
    d = distarray.asarray(data, distribution=distribution)
    assert d.distribution.is_compatible(distribution)
    np.testing.assert_array_equal(d.toarray(), data)
    assert distarray.asarray(d) is d and distarray.asarray(d, d.dtype, copy=False) is d
    listed = data.tolist()
    for made, expected in [(distarray.array(d), data), (distarray.asarray(d, copy=True), data),
                           (distarray.asarray(d, np.float32), data.astype(np.float32)),
                           (ctx.array(listed, dtype=np.int16), np.array(listed, np.int16))]:
        assert made is not d and made.dtype == expected.dtype
        np.testing.assert_array_equal(made.toarray(), expected, strict=True)
    copied = distarray.array(d)
    copied[...] = -1
    np.testing.assert_array_equal(d.toarray(), data)  # a copy, not a view
    with pytest.raises(ValueError, match="avoid copy"):
        distarray.asarray(d, np.float32, copy=False)
    with pytest.raises(ValueError, match="avoid copy"):
        distarray.asarray(data, copy=False, context=ctx)


def test_fromarray_of_a_distarray_redistributes_on_the_workers(case):
    ctx, distribution = case
    data = sample(distribution.shape)
    d = ctx.fromarray(data, distribution)
    gathered = []
    toarray = type(d).toarray
    type(d).toarray = lambda self: gathered.append(self) or toarray(self)
    try:
        moved = distarray.fromarray(d, dist=("c",) * d.ndim, context=ctx)
        default = distarray.asarray(d, context=ctx, targets=ctx.targets[:1])
    finally:
        type(d).toarray = toarray
    assert gathered == []
    assert moved.dist == (("c",) * d.ndim) and default.targets == ctx.targets[:1]
    np.testing.assert_array_equal(moved.toarray(), data)
    np.testing.assert_array_equal(default.toarray(), data)


def test_format_copy_and_pickle(ctx):
    import copy
    import pickle

    scalar = ctx.fromarray(np.array(2.5))
    assert format(scalar, ".2f") == "2.50" and f"{scalar:>6.1f}" == "   2.5"
    d = ctx.fromarray(np.arange(5.0))
    assert format(d) == str(d)
    with pytest.raises(TypeError, match="unsupported format string"):
        format(d, ".2f")
    for copied in (copy.copy(d), copy.deepcopy(d)):
        copied[0] = 9
        np.testing.assert_array_equal(d.toarray(), np.arange(5.0))
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(d)


@pytest.mark.parametrize("shape, fill, dtype", [
    ((3, 4), [1, 2, 3, 4], None), ((3, 4), [[1.5], [2], [3]], "i2"), ((), [[7]], None),
    ((2, 0), [5], "f4"), ((4, 2, 3), np.arange(6).reshape(2, 3) > 2, None)])
def test_full_broadcasts_an_array_fill_value(ctx, shape, fill, dtype):
    for made, expected in [
            (distarray.full(shape, fill, dtype, context=ctx, dist="c" * len(shape)),
             np.full(shape, fill, dtype)),
            (np.full_like(ctx.zeros(shape, "u1"), fill, dtype),
             np.full_like(np.zeros(shape, "u1"), fill, dtype))]:
        assert made.dtype == expected.dtype
        np.testing.assert_array_equal(made.toarray(), expected, strict=True)


def test_full_of_a_distarray_fill_value(contexts):
    values = np.arange(-3, 3.5, 0.5)
    fill = distarray.fromarray(values, context=contexts[2], dist="c")
    for made, expected in [(distarray.full((2, 13), fill), np.full((2, 13), values)),
                           (distarray.full((1, 13), fill, np.uint8, context=contexts[2]),
                            np.full((1, 13), values, np.uint8)),
                           (distarray.full((13,), fill[None]), np.full((13,), values[None]))]:
        assert made.context is contexts[2]
        np.testing.assert_array_equal(made.toarray(), expected, strict=True)
    with pytest.raises(ValueError, match="broadcast"):
        distarray.full((3,), fill)


def test_array_ndmin_and_order(ctx):
    data = sample((3, 2))
    for a in (data, ctx.fromarray(data, dist=("c", "b")), data.tolist()):
        for ndmin, dtype in [(0, None), (1, "f4"), (4, None), (3, "i8")]:
            made = distarray.array(a, dtype, ndmin=ndmin, order="F", context=ctx)
            np.testing.assert_array_equal(made.toarray(), np.array(data, dtype, ndmin=ndmin),
                                          strict=True)
    np.testing.assert_array_equal(distarray.array(2.5, ndmin=2, context=ctx).toarray(),
                                  np.array(2.5, ndmin=2), strict=True)
    np.testing.assert_array_equal(distarray.asarray(data, order="C", context=ctx).toarray(),
                                  data, strict=True)
    with pytest.raises(ValueError, match="order"):
        distarray.asarray(data, order="X", context=ctx)


@pytest.mark.parametrize("args", [(0, 2), (1, -1, -1), (0, 1), (5, 5)])
def test_arange_of_booleans(ctx, args):
    expected = np.arange(*args, dtype=bool)
    np.testing.assert_array_equal(distarray.arange(*args, dtype=bool, context=ctx).toarray(),
                                  expected, strict=True)


@pytest.mark.parametrize("args, dtype, error", [
    ((0, 3), bool, TypeError), ((0, np.inf), None, ValueError), ((0, np.nan), None, ValueError),
    ((np.inf, 0, -1.0), None, ValueError), ((0, 2**62), None, ValueError),
    ((0, 5, 0.0), None, ZeroDivisionError), ((0, 5, 0), None, ZeroDivisionError),
    ((0, 5, np.int64(0)), None, ValueError)])
def test_arange_errors_as_numpy(ctx, args, dtype, error):
    with pytest.raises(error) as expected, np.errstate(divide="ignore"):
        np.arange(*args, dtype=dtype)
    with pytest.raises(error, match=re.escape(expected.value.args[0].split(";")[0])):
        distarray.arange(*args, dtype=dtype, context=ctx)


@pytest.mark.parametrize("args, dtype", [
    ((250, 260, 10), np.uint8), ((-1, 2.5), np.uint8), ((5, 1), np.uint8), ((-7.25, 3), "i2"),
    ((300, 290, -4), np.uint8)])
def test_arange_converts_its_first_elements_as_numpy(ctx, args, dtype):
    try:
        expected = np.arange(*args, dtype=dtype)
    except OverflowError:
        with pytest.raises(OverflowError, match="^Python integer"):
            distarray.arange(*args, dtype=dtype, context=ctx)  # on the client, not the workers
    else:
        np.testing.assert_array_equal(
            distarray.arange(*args, dtype=dtype, context=ctx, dist="c").toarray(), expected,
            strict=True)


def test_linspace_of_complex_values_to_integers_is_refused_on_the_client(ctx):
    with pytest.raises(TypeError, match="floor") as expected:
        np.linspace(0, 1j, 3, dtype=int)
    with pytest.raises(TypeError, match=re.escape(str(expected.value))):
        distarray.linspace(0, 1j, 3, dtype=int, context=ctx)


@pytest.mark.parametrize("args, dtype", [((3,), "U1"), ((0, 2), "S2"), ((2,), "V8"),
                                         ((3,), "M8[D]"), ((np.datetime64("2020-01-03"),), None)])
def test_arange_of_types_numpy_refuses(ctx, args, dtype):
    with pytest.raises((TypeError, ValueError)) as expected:
        np.arange(*args, dtype=dtype)
    with pytest.raises(type(expected.value), match=re.escape(str(expected.value))):
        distarray.arange(*args, dtype=dtype, context=ctx)


@pytest.mark.parametrize("dtype", ["U1", "S2", "M8[D]", "?", "c8"])
def test_eye_and_tri_of_other_dtypes(ctx, dtype):
    for made, expected in [(distarray.eye(3, 4, 1, dtype, context=ctx, dist="cb"),
                            np.eye(3, 4, 1, dtype)),
                           (distarray.identity(3, dtype, context=ctx), np.identity(3, dtype)),
                           (distarray.tri(3, 4, -1, dtype, context=ctx, dist="bc"),
                            np.tri(3, 4, -1, dtype))]:
        np.testing.assert_array_equal(made.toarray(), expected, strict=True)


@pytest.mark.parametrize("args", [(0, 5 + 10j, 1 + 1j), (0, 5 + 0j), (0, 5 + 1j, 1),
                                  (np.complex64(1 + 1j), 9 + 9j, 1 + 1j)])
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")  # NumPy's, for complex64
def test_arange_of_complex_values(ctx, args):
    np.testing.assert_array_equal(distarray.arange(*args, context=ctx, dist="c").toarray(),
                                  np.arange(*args), strict=True)


def test_linspace_axis(ctx):
    np.testing.assert_array_equal(distarray.linspace(1, 2, 5, axis=-1, context=ctx).toarray(),
                                  np.linspace(1, 2, 5, axis=-1), strict=True)
    with pytest.raises(np.exceptions.AxisError):
        distarray.linspace(1, 2, 5, axis=1, context=ctx)
