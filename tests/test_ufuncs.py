"""Elementwise ufuncs and operators against NumPy, across layouts and 1-4 workers."""

import operator
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import distarray
from distarray import Distribution

from layouts import LAYOUT_IDS, layout, sample

ALL_UFUNCS = sorted((u for u in vars(np).values()
                     if isinstance(u, np.ufunc) and u.signature is None),
                    key=lambda u: u.__name__)
GUFUNCS = sorted((u for u in vars(np).values() if isinstance(u, np.ufunc) and u.signature),
                 key=lambda u: u.__name__)


def _inputs_for(ufunc, shape):
    """Inputs NumPy accepts for ``ufunc``: the first loop of a common numeric type."""
    for code in ("d", "l", "?", "D", "M", "m", "O"):
        loops = [t for t in ufunc.types if t.split("->")[0] == code * ufunc.nin]
        if loops and code != "O":
            break
    else:
        return None
    rng = np.random.default_rng(abs(hash(ufunc.__name__)) % 2**32)
    values = []
    for _ in range(ufunc.nin):
        if code == "d":
            v = rng.uniform(0.1, 0.9, shape)
        elif code == "D":
            v = rng.uniform(0.1, 0.9, shape) + 1j * rng.uniform(-1, 1, shape)
        elif code == "?":
            v = rng.integers(0, 2, shape).astype(bool)
        elif code in "Mm":
            return None
        else:
            v = rng.integers(1, 7, shape)
        values.append(v)
    return values


@pytest.mark.parametrize("ufunc", ALL_UFUNCS, ids=lambda u: u.__name__)
def test_every_ufunc(contexts, ufunc):
    ctx = contexts[3]
    inputs = _inputs_for(ufunc, (7, 5))
    if inputs is None:
        pytest.skip("no numeric loop")
    dists = [("b", "n"), ("c", "b"), ("n", "b")]
    d_inputs = [ctx.fromarray(v, dist=dists[k % 3]) for k, v in enumerate(inputs)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ufunc(*inputs)
        got = ufunc(*d_inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert isinstance(g, distarray.DistArray) and g.dtype == e.dtype
        np.testing.assert_array_equal(g.toarray(), e)


def test_gufuncs_are_routed_to_linalg_and_other_methods_are_refused_clearly(ctx):
    x = np.arange(9.0).reshape(3, 3) - 4
    a = ctx.fromarray(x)
    for gufunc in GUFUNCS:  # matmul, matvec, vecdot, vecmat: distarray.linalg
        operands = (x, x[0]) if gufunc is np.matvec else (x[0], x) if gufunc is np.vecmat \
            else (x, x)
        got = gufunc(*(ctx.fromarray(v) for v in operands))
        np.testing.assert_allclose(got.toarray(), gufunc(*operands))
    with pytest.raises(TypeError, match="does not implement"):  # every method is implemented
        a.__array_ufunc__(np.add, "unknown", a, a)  # now: the refusal of any other one


def test_datetime_ufuncs(ctx):
    t = np.array(["2026-01-01", "NaT", "2026-03-05", "2025-12-31"], dtype="datetime64[D]")
    d = ctx.fromarray(t, dist="c")
    np.testing.assert_array_equal(np.isnat(d).toarray(), np.isnat(t))
    np.testing.assert_array_equal((d - t[0]).toarray(), t - t[0])


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_binary_same_layout_moves_nothing_and_matches(ctx, name):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    x, y = sample(shape), sample(shape, seed=1) * 0.5 + 3
    a, b = ctx.fromarray(x, distribution), ctx.fromarray(y, distribution)
    c = a * b + 1
    assert c.distribution is distribution
    np.testing.assert_array_equal(c.toarray(), x * y + 1)


BROADCASTS = [((5, 4), (4,)), ((5, 4), (5, 1)), ((5, 1), (4,)), ((), (5, 4)), ((5, 4), ()),
              ((3, 1, 4), (2, 4)), ((1,), (6,)), ((0, 3), (3,)), ((4, 0), (4, 1)),
              ((2, 3, 4), (1, 3, 1))]
DISTS = [None, "c", ("n", "b"), ({"dist_type": "c", "block_size": 2},)]


@pytest.mark.parametrize("left, right", BROADCASTS)
@pytest.mark.parametrize("kind", ["dist-dist", "dist-numpy", "numpy-dist"])
def test_broadcasting(ctx, left, right, kind):
    x, y = sample(left), sample(right, seed=3) + 2
    for k, dist in enumerate(DISTS):
        dl = dist if dist is None or len(left) >= len(dist if isinstance(dist, tuple) else "b") \
            and left else None
        dr = DISTS[(k + 1) % len(DISTS)]
        dr = dr if dr is None or len(right) >= len(dr if isinstance(dr, tuple) else "b") \
            and right else None
        a = ctx.fromarray(x, dist=dl) if kind != "numpy-dist" else x
        b = ctx.fromarray(y, dist=dr) if kind != "dist-numpy" else y
        np.testing.assert_array_equal((a - b).toarray(), x - y)
        np.testing.assert_array_equal(np.arctan2(b, a).toarray(), np.arctan2(y, x))


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.floordiv, operator.mod, operator.pow, operator.lt,
                                operator.le, operator.eq, operator.ne, operator.gt,
                                operator.ge, operator.and_, operator.or_, operator.xor,
                                operator.lshift, operator.rshift])
def test_operators_and_reflected(ctx, op):
    x = np.arange(1, 13).reshape(3, 4)
    a = ctx.fromarray(x, dist="c")
    for other in (3, np.int64(2), np.arange(1, 5)):
        np.testing.assert_array_equal(op(a, other).toarray(), op(x, other))
        np.testing.assert_array_equal(op(other, a).toarray(), op(other, x))


def test_power_operator_squares_and_takes_reciprocals_as_ndarrays(ctx):
    flags = np.array([True, False, True])
    squared = ctx.fromarray(flags, dist="c") ** 2
    assert squared.dtype == np.int8  # np.square's loop, as ndarray's operator
    np.testing.assert_array_equal(squared.toarray(), flags ** 2)
    z = np.array([1 + 0j, 2, 0.5, -4], np.complex64)
    inverse = ctx.fromarray(z, dist="c") ** -1
    assert repr(inverse.toarray().tolist()) == repr((z ** -1).tolist())  # signed zeros
    a = ctx.fromarray(z, dist="c")
    a **= -1
    assert repr(a.toarray().tolist()) == repr((z ** -1).tolist())
    with pytest.raises(TypeError, match="square"):
        b = ctx.fromarray(flags)
        b **= 2
    ints = ctx.fromarray(np.arange(3), dist="c")
    posted = ctx.pool.channel.posted
    for exponent in (-1, np.int64(-2)):  # refused before sending
        with pytest.raises(ValueError, match="negative integer powers"):
            ints ** exponent  # noqa: B018
        with pytest.raises(ValueError, match="negative integer powers"):
            ints **= exponent
    assert ctx.pool.channel.posted == posted
    np.testing.assert_array_equal(np.power(ints[:0], -1).toarray(), np.power(np.arange(0), -1))


def test_unary_operators(ctx):
    x = np.arange(-6, 6).reshape(4, 3)
    a = ctx.fromarray(x)
    for op in (operator.neg, operator.pos, operator.abs, operator.invert):
        np.testing.assert_array_equal(op(a).toarray(), op(x))
    b = ctx.fromarray(x > 0)
    np.testing.assert_array_equal((~b).toarray(), ~(x > 0))


@pytest.mark.parametrize("op", ["__iadd__", "__isub__", "__imul__", "__itruediv__",
                                "__ifloordiv__", "__ipow__", "__imod__"])
def test_in_place_operators_keep_identity_and_distribution(ctx, op):
    x = np.arange(1.0, 13.0).reshape(3, 4)
    a = ctx.fromarray(x, dist=("c", "n"))
    dist = a.distribution
    other = ctx.fromarray(np.full((3, 4), 2.0))  # another layout: brought over
    result = getattr(a, op)(other)
    assert result is a and a.distribution is dist
    expected = x.copy()
    getattr(expected, op)(2.0)
    np.testing.assert_array_equal(a.toarray(), expected)


def _count_new_pieces():
    """On a worker: count the output pieces ``ufunc_call`` allocates from now on."""
    from distarray.local import elementwise

    original = getattr(elementwise, "_counted", elementwise.LocalArray.empty)

    class Counting(elementwise.LocalArray):
        count = 0

        @classmethod
        def empty(cls, layout, dtype, fill=None):
            Counting.count += 1
            return original(layout, dtype, fill)

    elementwise._counted = original
    elementwise.LocalArray = Counting


def _new_pieces():
    from distarray.local import elementwise

    return elementwise.LocalArray.count


def _stop_counting():
    from distarray.local import elementwise

    elementwise.LocalArray = elementwise.LocalArray.__mro__[1]


def test_temporaries_lend_their_buffers_and_nothing_else_does(contexts):
    ctx = contexts[2]
    x, y = sample((40, 30)), sample((40, 30)) + 1.5
    a, b = ctx.fromarray(x), ctx.fromarray(y, dist=("c", "b"))
    ints = ctx.fromarray(np.arange(6))
    ctx.apply(_count_new_pieces)
    try:
        results = [  # (name, computation, NumPy's result, new pieces per worker)
                   ("a*b + 1", lambda: a * b + 1, x * y + 1, 1),
                   ("1 - a*a", lambda: 1 - (a * a) * 2, 1 - (x * x) * 2, 1),
                   ("(a+1) / (a+2)", lambda: (a + 1) / (a + 2), (x + 1) / (x + 2), 2),
                   ("a.T + 1 (a view)", lambda: (a.T + 1) ** 2, (x.T + 1) ** 2, 1),
                   ("a[1:] * 2 (a view)", lambda: a[1:] * 2 - 1, x[1:] * 2 - 1, 1),
                   ("sum", lambda: sum([a * 2, a, a]), x * 2 + x + x, 2),  # 0 + listed: new
                   ("int to float", lambda: ints * 2 / 4, np.arange(6) * 2 / 4, 2)]
        for name, compute, expected, allocations in results:
            before = ctx.apply(_new_pieces)
            got = compute()
            np.testing.assert_allclose(got.toarray(), expected, err_msg=name)
            assert got.dtype == expected.dtype
            made = [n - m for n, m in zip(ctx.apply(_new_pieces), before)]
            assert made == [allocations] * ctx.nworkers, name
            np.testing.assert_array_equal(a.toarray(), x)
        named = a * b
        before = ctx.apply(_new_pieces)
        plus = named + 1  # a named operand is never overwritten
        assert [n - m for n, m in zip(ctx.apply(_new_pieces), before)] == [1] * ctx.nworkers
        np.testing.assert_array_equal(named.toarray(), x * y)
        np.testing.assert_array_equal(plus.toarray(), x * y + 1)
    finally:
        ctx.apply(_stop_counting)


def test_nep50_promotion(ctx):
    i8 = ctx.fromarray(np.arange(5, dtype=np.int8))
    assert (i8 + 1).dtype == np.int8
    assert (i8 + 1.5).dtype == np.float64
    assert (ctx.fromarray(np.ones(3, np.float32)) * 2.0).dtype == np.float32
    assert (ctx.fromarray(np.ones(3, np.float32)) * np.float64(2)).dtype == np.float64
    assert (ctx.fromarray(np.ones(3, np.uint8)) + np.int16(3)).dtype == np.int16
    with pytest.raises(OverflowError):
        i8 + 300
    with pytest.raises(TypeError):
        ctx.fromarray(np.ones(3)) & 1
    u8 = ctx.fromarray(np.arange(5, dtype=np.uint8))
    for value in (3, 255, 256, -1, 3, -1, 2**64, 200):  # remembered dry runs keep value checks
        try:
            expected = np.add(np.arange(5, dtype=np.uint8), value)
        except OverflowError:
            with pytest.raises(OverflowError):
                u8 + value
            continue
        np.testing.assert_array_equal((u8 + value).toarray(), expected)
    i8 + -128  # remembered: -129 has the same bit length but does not fit int8
    posted = ctx.pool.channel.posted
    with pytest.raises(OverflowError) as raised:
        i8 + -129
    assert not isinstance(raised.value, distarray.errors.WorkerError)
    assert ctx.pool.channel.posted == posted


def test_out_where_dtype_casting(ctx):
    x = np.arange(12.0).reshape(3, 4)
    a = ctx.fromarray(x)
    out = ctx.zeros((3, 4))
    r = np.add(a, 1, out=out)
    assert r is out
    np.testing.assert_array_equal(out.toarray(), x + 1)
    mask = x % 2 == 0
    target = ctx.fromarray(np.full((3, 4), -1.0))
    np.multiply(a, 10, out=target, where=ctx.fromarray(mask, dist="c"))
    np.testing.assert_array_equal(target.toarray(), np.where(mask, x * 10, -1.0))
    np.multiply(a, 10, out=target, where=mask)
    np.testing.assert_array_equal(target.toarray(), np.where(mask, x * 10, -1.0))
    assert np.add(a, 1, dtype=np.float32).dtype == np.float32
    ints = ctx.zeros((3, 4), dtype=np.int64)
    with pytest.raises(TypeError, match="Cannot cast"):
        np.add(a, 1, out=ints)
    np.add(a, 1, out=ints, casting="unsafe")
    np.testing.assert_array_equal(ints.toarray(), (x + 1).astype(np.int64))
    mantissa, exponent = np.frexp(a)
    np.testing.assert_array_equal(mantissa.toarray(), np.frexp(x)[0])
    np.testing.assert_array_equal(exponent.toarray(), np.frexp(x)[1])


def test_order_is_checked_as_numpy(ctx):
    x = np.arange(12.0).reshape(3, 4)
    a = ctx.fromarray(x, dist=("c", "b"))
    posted = ctx.pool.channel.posted
    with pytest.raises(ValueError, match="order must be one of"):
        np.add(a, 1, order="Z")
    assert ctx.pool.channel.posted == posted
    np.testing.assert_array_equal(np.add(a, 1, order="F", subok=False).toarray(), x + 1)


def test_where_that_is_no_array_is_read_as_booleans(ctx):
    x = np.arange(6.0).reshape(2, 3)
    a = ctx.fromarray(x, dist=("c", "b"))
    for where in ([1, 0, 1], [[0.5], [0]], None, "a"):
        out = ctx.fromarray(np.full((2, 3), -1.0))
        np.add(a, 1, out=out, where=where)
        np.testing.assert_array_equal(out.toarray(), np.add(x, 1, out=np.full((2, 3), -1.0),
                                                            where=where))
    np.testing.assert_array_equal(np.add.reduce(a, axis=0, where=[1, 0, 1]).toarray(),
                                  np.add.reduce(x, axis=0, where=[1, 0, 1]))
    with pytest.raises(TypeError, match="Cannot cast"):  # an array is cast safely
        np.add(a, 1, out=out, where=np.array([1, 0, 1]))


def test_errors_are_numpys_and_raised_before_sending(ctx):
    a = ctx.fromarray(np.ones((3, 4)))
    wrong_out = ctx.zeros((4,))
    ints = ctx.zeros((4,), dtype=np.int64)
    posted = ctx.pool.channel.posted
    with pytest.raises(ValueError, match="broadcast"):
        a + np.ones((2, 4))
    with pytest.raises(ValueError):
        np.add(a, 1, out=wrong_out)
    with pytest.raises(TypeError):
        np.add(a, "text")
    with pytest.raises(TypeError):
        np.add(a, 1, out=np.zeros((3, 4)))
    with pytest.raises(np._core._exceptions._UFuncOutputCastingError):  # before the shapes
        ints += a
    with pytest.raises(np._core._exceptions._UFuncNoLoopError):
        a + np.zeros(5, "M8[s]")
    assert ctx.pool.channel.posted == posted  # nothing was sent
    other = distarray.Context(targets=[0])
    try:
        with pytest.raises(ValueError, match="same context"):
            a + other.zeros((3, 4))
    finally:
        other.close()


@pytest.mark.parametrize("dist", ["c", ({"dist_type": "c", "block_size": 2},)])
def test_none_and_strings_as_numpy(ctx, dist):
    x = np.arange(7, dtype=np.uint8)
    a = ctx.fromarray(x, dist=dist)
    posted = ctx.pool.channel.posted
    for compare in (operator.lt, operator.ge, operator.add):
        with pytest.raises(TypeError, match="not supported|unsupported"):
            compare(a, None)  # an object loop fails on the values: checked on the client
    with pytest.raises(TypeError, match="Python objects"):
        a == [None] * 7  # noqa: B015 - an object array cannot be sent
    assert ctx.pool.channel.posted == posted
    for other in (None, "a", ["a"] * 7):
        np.testing.assert_array_equal((a == other).toarray(), x == other)
        np.testing.assert_array_equal((a != other).toarray(), x != other)


def test_ordering_complex_numbers_warns_and_raises_at_the_call(ctx):
    z = np.array([1 + 1j, complex(np.nan, 0), 2, 3j])
    a = ctx.fromarray(z, dist="c")
    with pytest.warns(RuntimeWarning, match="invalid value encountered in less"):
        got = a < 1
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(got.toarray(), z < 1)
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        a >= a[::-1]  # noqa: B015


def test_a_floating_point_error_warns_once_per_call_across_layouts(ctx):
    x = np.array([0, 1, -1, 3.5, -7, 6.5, np.nan, np.inf, 0.25])
    y = np.arange(9.0)[::-1]
    a = ctx.fromarray(x, dist="c")
    b = ctx.fromarray(y, dist=({"dist_type": "c", "block_size": 2},))  # brought over in blocks
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = np.fmod(a, b)
    assert [str(w.message) for w in caught] == ["invalid value encountered in fmod"]
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(got.toarray(), np.fmod(x, y))


def test_zero_d_and_empty(ctx):
    z = ctx.fromarray(np.array(2.5))
    m = ctx.fromarray(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal((z * m).toarray(), 2.5 * np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal((z + z).toarray(), np.array(5.0))
    e = ctx.fromarray(np.zeros((0, 3)))
    assert (e + 1).shape == (0, 3)
    assert bool(ctx.fromarray(np.array([True])))
    with pytest.raises(ValueError):
        bool(m)


layouts_2d = st.sampled_from([None, ("b", "b"), ("c", "b"), ("n", "c"), ("b", "n"),
                              ({"dist_type": "c", "block_size": 2}, "b")])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(0, 7), cols=st.integers(1, 6), dl=layouts_2d, dr=layouts_2d,
       row_vector=st.booleans(), nworkers=st.integers(1, 4))
def test_property_broadcast_mixed_layouts(contexts, rows, cols, dl, dr, row_vector, nworkers):
    ctx = contexts[nworkers]
    x = sample((rows, cols))
    y = sample((cols,) if row_vector else (rows, 1), seed=5)
    a = ctx.fromarray(x, dist=dl)
    b = ctx.fromarray(y, dist=dr[:1] if row_vector and dr else (dr if not row_vector else None))
    np.testing.assert_array_equal((a * b - a).toarray(), x * y - x)
    np.testing.assert_array_equal(np.maximum(b, a).toarray(), np.maximum(y, x))


@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (3,), (0,)])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128])
def test_scalar_conversions_as_numpy(ctx, shape, dtype):
    """float(), int(), complex() and operator.index() of a DistArray: NumPy's value or error."""
    x = (np.arange(int(np.prod(shape))) + 2).astype(dtype).reshape(shape)
    d = ctx.fromarray(x)
    for convert in (float, int, complex, operator.index):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # NumPy's deprecation of ndim > 0
                expected = convert(x)
        except TypeError as exc:
            with pytest.raises(TypeError, match=re.escape(str(exc))):
                convert(d)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = convert(d)
        assert got == expected and type(got) is type(expected)
