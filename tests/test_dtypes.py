"""Non-float dtypes end to end (strings, bytes, datetimes, structured), against NumPy."""

import numpy as np
import pytest

import distarray
from distarray import Distribution

from checks import nothing_sent, same
from layouts import layout

#: Layouts the dtype tests run over (one of each kind, plus 0-d and empty).
LAYOUTS = ["0d", "1d-empty", "1d-unstructured", "2d-bc"]


def values(shape, dtype):
    """Repeating values of ``dtype`` (strings, bytes, datetimes, a structured record)."""
    n = int(np.prod(shape))
    i = np.arange(n) * 7 % 5
    dtype = np.dtype(dtype)
    if dtype.kind in "US":
        return np.array(["a%d" % k for k in i], dtype).reshape(shape)
    if dtype.kind == "M":
        return (np.datetime64("2020-01-01", "D") + i).astype(dtype).reshape(shape)
    if dtype.names:
        out = np.zeros(n, dtype)
        out["x"], out["y"] = i, np.arange(n)[::-1] * 0.5
        return out.reshape(shape)
    return (i - 2).astype(dtype).reshape(shape)


def made(ctx, name, dtype):
    """``(DistArray, NumPy array)`` of ``dtype`` values on layout ``name``."""
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    x = values(shape, dtype)
    return ctx.fromarray(x, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)), x


@pytest.mark.parametrize("name", ["0d", "1d-unstructured", "2d-bc"])
def test_astype_resolves_flexible_dtypes(ctx, name):
    for source, target in [("i8", str), ("i1", "U"), ("f8", bytes), ("?", "S"), ("M8[s]", "U"),
                           ("U3", "S"), ("S3", "U"), ("i4", "U2"), ("M8[D]", "M8"),
                           ("M8[D]", "M8[s]")]:
        d, x = made(ctx, name, source)
        same(d.astype(target), x.astype(target))


def test_astype_refused_on_the_client(ctx):
    d, x = made(ctx, "1d-cyclic", "f8")
    nothing_sent(ctx, TypeError, d.astype, "i1", "safe")
    nothing_sent(ctx, TypeError, d.astype, "M8[D]", "same_kind")
    nothing_sent(ctx, TypeError, d.astype, object)


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("dtype", ["i8", "U3", "M8[D]"])
def test_contains_and_iter(ctx, name, dtype):
    d, x = made(ctx, name, dtype)
    for value in list(x.ravel()[:2]) + [values((1,), dtype)[0], x.dtype.type(0) if
                                        x.dtype.kind == "i" else values((9,), dtype)[-1]]:
        assert (value in d) == (value in x)
    if x.ndim == 0:
        with pytest.raises(TypeError):
            iter(d)
        return
    rows = list(d)
    assert len(rows) == len(x)
    for row, expected in zip(rows, x):
        np.testing.assert_array_equal(np.asarray(row), expected)


@pytest.mark.parametrize("dtype", ["U3", "S2", "U", "M8[D]", "m8[s]", "u1",
                                   [("x", "i4"), ("y", "f8")]])
def test_zeros_ones_full(ctx, dtype):
    shape, dist, grid_shape = layout(ctx.nworkers, "2d-bc")
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    same(distarray.zeros(distribution, dtype), np.zeros(shape, dtype))
    same(distarray.ones(distribution, dtype), np.ones(shape, dtype))
    assert distarray.empty(distribution, dtype).dtype == np.empty(shape, dtype).dtype
    d, x = made(ctx, "2d-bc", dtype)
    same(distarray.zeros_like(d), np.zeros_like(x))
    for value in (7, "abc", np.int64(300)):
        try:
            expected = np.full(shape, value, dtype)
        except (ValueError, TypeError) as error:
            nothing_sent(ctx, type(error), distarray.full, distribution, value, dtype)
        else:
            same(distarray.full(distribution, value, dtype), expected)
            x.fill(value)
            d.fill(value)
            same(d, x)


@pytest.mark.parametrize("dtype", ["u1", "i1", "u8"])
def test_full_and_fill_overflow_as_numpy(ctx, dtype):
    d, x = made(ctx, "1d-cyclic", dtype)
    nothing_sent(ctx, OverflowError, distarray.full, d.distribution, -1 - 2**8, dtype)
    nothing_sent(ctx, OverflowError, d.fill, 2**64)
    same(distarray.full(d.distribution, np.int64(300), dtype), np.full(x.shape, np.int64(300),
                                                                       dtype))


RECORD = [("x", "i4"), ("y", "f8")]


@pytest.mark.parametrize("name", LAYOUTS)
def test_structured_fields(ctx, name):
    d, x = made(ctx, name, RECORD)
    same(d["x"], x["x"])
    same(d[["y", "x"]], x[["y", "x"]])
    d["x"] = 9
    x["x"] = 9
    same(d, x)
    d[["y", "x"]] = (0.5, 3)
    x[["y", "x"]] = (0.5, 3)
    same(d, x)
    if x.ndim:
        d["y"][::2] = -1  # the field is a view: writes go through
        x["y"][::2] = -1
        same(d, x)
    for key in ("q", ["x", "x"]):
        with pytest.raises(ValueError):
            x[key]
        nothing_sent(ctx, ValueError, d.__getitem__, key)
    subarray = ctx.fromarray(np.zeros(3, [("a", "f8", (2,)), ("b", "i2")]))
    same(subarray["b"], np.zeros(3, "i2"))
    nothing_sent(ctx, NotImplementedError, subarray.__getitem__, "a")


def test_assigned_lists_read_as_the_target_dtype(ctx):
    d, x = made(ctx, "1d-cyclic", "i1")
    nothing_sent(ctx, OverflowError, d.__setitem__, slice(0, 2), [1, 300])
    d[:2] = [1.7, "2"]
    x[:2] = [1.7, "2"]
    same(d, x)


@pytest.mark.parametrize("name", ["1d-empty", "1d-cyclic", "1d-unstructured", "2d-bc"])
@pytest.mark.parametrize("order", ["y", ["y", "x"], ["x"]])
def test_sort_with_order(ctx, name, order):
    d, x = made(ctx, name, RECORD)
    same(np.sort(d, order=order), np.sort(x, order=order))
    same(np.sort(d, axis=None, order=order), np.sort(x, axis=None, order=order))
    same(np.argsort(d, order=order), np.argsort(x, order=order, stable=True))


def test_view_as_dtype(ctx):
    d, x = made(ctx, "2d-bc", "i8")
    same(d.view("f8"), x.view("f8"))
    same(d.view(np.uint64)[1:, ::2], x.view(np.uint64)[1:, ::2])
    nothing_sent(ctx, NotImplementedError, d.view, "i4")
    nothing_sent(ctx, TypeError, d.view, object)


@pytest.mark.parametrize("name", LAYOUTS)
def test_compare_records(ctx, name):
    d, x = made(ctx, name, RECORD)
    other = values((), RECORD)
    for value in (d, x, other, x[::-1] if x.ndim else x):
        given = value.toarray() if isinstance(value, distarray.DistArray) else value
        same(d == value, x == given)
        same(d != value, x != given)
    assert (other in d) == (other in x)
    for bad in (0, np.zeros(1, [("a", "i4"), ("b", "f8")])):
        nothing_sent(ctx, TypeError, d.__eq__, bad)


@pytest.mark.parametrize("name", ["1d-cyclic", "2d-bc"])
def test_structured_unique(ctx, name):
    d, x = made(ctx, name, RECORD)
    x["y"] = 0
    d["y"] = 0
    same(list(np.unique(d, return_counts=True)), list(np.unique(x, return_counts=True)))


@pytest.mark.parametrize("name", ["1d-cyclic", "2d-bc"])
def test_quantiles_of_timedeltas_propagate_nat(ctx, name):
    d, x = made(ctx, name, "m8[h]")
    for data, values in ((d, x), (d.astype("f4"), x.astype("f4"))):
        data[1] = values[1] = values.dtype.type("NaT" if values.dtype.kind == "m" else "nan")
        for compute in (np.median, lambda v: np.quantile(v, [0.5, 0.2]),
                        lambda v: np.percentile(v, [10], method="lower")):
            got, expected = compute(data), compute(values)
            np.testing.assert_array_equal(np.asarray(got), expected)
            assert np.asarray(got).dtype == expected.dtype


@pytest.mark.parametrize("args, dtype", [
    (("2020-01-01", "2020-01-09"), "M8[D]"),
    ((np.datetime64("2020-01-01"), np.datetime64("2020-01-02T00"), 5), None),
    ((np.datetime64("2020-01-03"), np.datetime64("2020-02-01"), np.timedelta64(7, "D")), None),
    ((np.datetime64("2020-01-03"), "2019-12-01", -3), None),
    ((np.timedelta64(1, "D"), np.timedelta64(3, "D"), np.timedelta64(5, "h")), None),
    ((3, 10, 2), "m8[s]")])
def test_arange_of_times(ctx, args, dtype):
    same(distarray.arange(*args, dtype=dtype, context=ctx), np.arange(*args, dtype=dtype))


def test_arange_of_times_refused(ctx):
    nat = np.datetime64("NaT", "D")
    nothing_sent(ctx, ValueError, distarray.arange, nat, np.datetime64("2020-01-05"))
    nothing_sent(ctx, ValueError, distarray.arange, np.datetime64("2020-01-01"),
                 np.datetime64("2020-01-05"), 0.5)


@pytest.mark.parametrize("dtype", ["i8", "U3", "M8[D]"])
def test_argsort_of_0d(ctx, dtype):
    d, x = made(ctx, "0d", dtype)
    for axis in (-1, 0, None):
        same(np.argsort(d, axis=axis), np.argsort(x, axis=axis))
    nothing_sent(ctx, np.exceptions.AxisError, np.argsort, d, 1)


def test_astype_warns_once(ctx):
    d, x = made(ctx, "1d-cyclic", "c16")
    with pytest.warns(np.exceptions.ComplexWarning) as record:
        same(d.astype("f8"), x.real)
    assert len(record) == 1


@pytest.mark.parametrize("name", ["0d", "2d-bc"])
@pytest.mark.parametrize("dtype", ["U3", "M8[D]"])
def test_equality_without_a_loop_is_constant(ctx, name, dtype):
    d, x = made(ctx, name, dtype)
    for other in (1, np.float32(2), np.arange(x.shape[-1]) if x.ndim else 3.5):
        same(d == other, x == other)
        same(d != other, x != other)
    if x.ndim:
        with pytest.raises(ValueError):
            d.__eq__(np.arange(7))


@pytest.mark.parametrize("dtype", ["U", "M8[D]", "?", "m8[s]", "i1"])
def test_fromfunction_index_dtypes(ctx, dtype):
    shape, dist, grid_shape = layout(ctx.nworkers, "2d-bc")
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    try:
        expected = np.fromfunction(lambda i, j: i + j, shape, dtype=dtype)
    except (TypeError, ValueError) as error:
        nothing_sent(ctx, type(error), distarray.fromfunction, lambda i, j: i + j,
                     distribution, dtype)
    else:
        same(distarray.fromfunction(lambda i, j: i + j, distribution, dtype), expected)


@pytest.mark.parametrize("name", ["0d", "1d-unstructured", "2d-bc"])
def test_count_nonzero_of_records(ctx, name):
    d, x = made(ctx, name, RECORD)
    assert np.count_nonzero(d) == np.count_nonzero(x)
    if x.ndim:
        with pytest.raises(TypeError):
            np.count_nonzero(x, axis=0)
        nothing_sent(ctx, TypeError, np.count_nonzero, d, 0)
