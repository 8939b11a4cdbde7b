"""The array API namespace returned by ``DistArray.__array_namespace__``."""

import inspect

import numpy as np
import pytest

import distarray
from distarray import array_api
from layouts import layout, sample


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # arccosh, log... below 1
def test_namespace_and_elementwise_functions(ctx):
    x = ctx.fromarray(np.linspace(0.1, 0.9, 7), dist="c")
    xp = x.__array_namespace__()
    assert xp is array_api and xp.__array_api_version__ == "2024.12"
    for name in array_api.ELEMENTWISE:
        function = getattr(xp, name)
        args = (x,) * function.nin
        if name.startswith(("bitwise", "logical")):
            continue
        np.testing.assert_array_equal(function(*args).toarray(),
                                      function(*(a.toarray() for a in args)))
    for version in ("2021.12", "2022.12", "2023.12", "2024.12"):  # those NumPy's arrays take
        np.arange(1).__array_namespace__(api_version=version)
        assert x.__array_namespace__(api_version=version) is xp
    with pytest.raises(ValueError):
        x.__array_namespace__(api_version="1999.01")


def test_asarray_dtypes_and_creation(ctx):
    xp = array_api
    a = xp.asarray([1, 2, 3], context=ctx)
    assert isinstance(a, distarray.DistArray) and a.dtype == xp.int64
    assert xp.asarray(a) is a
    assert xp.asarray(a, dtype=xp.float32).dtype == np.float32
    assert xp.asarray(a, copy=True) is not a
    with pytest.raises(ValueError):
        xp.asarray([1.0], copy=False)
    assert xp.result_type(a, xp.float32) == np.float64
    assert xp.isdtype(xp.uint8, "unsigned integer")
    np.testing.assert_array_equal(xp.zeros((2, 3), context=ctx).toarray(), np.zeros((2, 3)))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["2d-bc", "1d-blockcyclic", "2d-empty-rows", "0d"])
def test_statistical_and_utility_functions(ctx, name):
    shape, dist, grid = layout(ctx.nworkers, name)
    x = sample(shape, np.float32)
    d = ctx.fromarray(x, dist=dist, grid_shape=grid)
    xp = d.__array_namespace__()
    axes = [None] + list(range(x.ndim))
    for axis in axes:
        kw = {"axis": axis}
        for fname in ("sum", "prod", "mean", "max", "min", "all", "any"):
            if fname in ("max", "min") and x.size == 0:
                continue
            expected = getattr(np, fname)(x, **kw)
            got = getattr(xp, fname)(d, **kw)
            got = got.toarray() if isinstance(got, distarray.DistArray) else got
            np.testing.assert_allclose(got, expected, rtol=1e-5)
            assert np.asarray(got).dtype == np.asarray(expected).dtype
        for fname in ("std", "var"):
            got = getattr(xp, fname)(d, correction=1, keepdims=True, **kw)
            expected = getattr(np, fname)(x, correction=1, keepdims=True, **kw)
            np.testing.assert_allclose(got.toarray() if isinstance(got, distarray.DistArray)
                                       else got, expected, rtol=1e-5)
    for fname in ("cumulative_sum", "cumulative_prod"):  # a 0-d x scans as a 1-d one
        for initial in (False, True):
            got = getattr(xp, fname)(d, axis=-1, include_initial=initial)
            expected = getattr(np, fname)(x, axis=-1, include_initial=initial)
            np.testing.assert_allclose(got.toarray(), expected, rtol=1e-5)
            assert got.dtype == expected.dtype


def test_complex_parts_clip_and_round(ctx):
    x = np.array([[1.5 + 2j, -3.25 - 1j, 0.5j], [2.5, -0.5 + 7.75j, 4 - 4j]])
    d = ctx.fromarray(x, dist=("c", "b"))
    xp = array_api
    np.testing.assert_array_equal(xp.real(d).toarray(), x.real)
    np.testing.assert_array_equal(np.imag(d).toarray(), x.imag)
    assert d.real.dtype == np.float64
    r = np.round(d.real)
    np.testing.assert_array_equal(r.toarray(), np.round(x.real))
    np.testing.assert_array_equal(xp.clip(d.imag, min=-1, max=2).toarray(),
                                  np.clip(x.imag, -1, 2))
    d.real[0, :] = 10        # a view: writes reach the complex array
    d.imag = -d.imag         # setter
    expected = x.copy()
    expected.real[0, :] = 10
    expected.imag = -expected.imag
    np.testing.assert_array_equal(d.toarray(), expected)
    f = ctx.fromarray(x.real.copy())
    assert f.real is f
    np.testing.assert_array_equal(f.imag.toarray(), np.zeros_like(x.real))
    with pytest.raises(TypeError):
        f.imag = 1.0


def _gathered(value):
    if isinstance(value, distarray.DistArray):
        return value.toarray()
    if isinstance(value, (tuple, list)):
        return type(value)(_gathered(v) for v in value)
    return value


def _same(got, expected):
    got = _gathered(got)
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            _same(g, e)
        return
    np.testing.assert_array_equal(got, expected)
    assert np.asarray(got).dtype == np.asarray(expected).dtype


@pytest.mark.parametrize("name", ["2d-bc", "2d-default", "3d-cbc"])
def test_manipulation_searching_sorting_and_linalg(ctx, name):
    shape, dist, grid = layout(ctx.nworkers, name)
    x = (sample(shape) % 5).astype(np.int64)  # repeated values: ties for sort and unique
    d = ctx.fromarray(x, dist=dist, grid_shape=grid)
    xp = d.__array_namespace__()
    cases = [
        ("astype", lambda m, a: m.astype(a, m.float32)),
        ("concat", lambda m, a: m.concat([a, a], axis=1)),
        ("concat None", lambda m, a: m.concat([a, a], axis=None)),
        ("expand_dims", lambda m, a: m.expand_dims(a, axis=1)),
        ("flip", lambda m, a: m.flip(a, axis=0)),
        ("moveaxis", lambda m, a: m.moveaxis(a, 0, -1)),
        ("permute_dims", lambda m, a: m.permute_dims(a, tuple(range(a.ndim))[::-1])),
        ("repeat", lambda m, a: m.repeat(a, 2, axis=0)),
        ("reshape", lambda m, a: m.reshape(a, (-1,))),
        ("roll", lambda m, a: m.roll(a, 2, axis=1)),
        ("squeeze", lambda m, a: m.squeeze(m.expand_dims(a, axis=0), axis=0)),
        ("stack", lambda m, a: m.stack([a, a], axis=-1)),
        ("tile", lambda m, a: m.tile(a, (2, 1))),
        ("unstack", lambda m, a: m.unstack(a, axis=1)),
        ("broadcast_arrays", lambda m, a: m.broadcast_arrays(a, a[0:1])),
        ("argmax", lambda m, a: m.argmax(a, axis=1, keepdims=True)),
        ("argmin", lambda m, a: m.argmin(a)),
        ("count_nonzero", lambda m, a: m.count_nonzero(a, axis=0)),
        ("nonzero", lambda m, a: m.nonzero(a)),
        ("where", lambda m, a: m.where(a > 2, a, -a)),
        ("sort", lambda m, a: m.sort(a, axis=0)),
        ("sort descending", lambda m, a: m.flip(m.sort(a, axis=1), axis=1) if m is np else
         m.sort(a, axis=1, descending=True)),
        ("argsort", lambda m, a: m.argsort(a, axis=1, stable=True) if m is np else
         m.argsort(a, axis=1)),
        ("unique_values", lambda m, a: m.sort(m.unique_values(a))),  # order unspecified
        ("unique_counts", lambda m, a: tuple(m.unique_counts(a))),
        ("unique_inverse", lambda m, a: tuple(m.unique_inverse(a))),
        ("unique_all", lambda m, a: tuple(m.unique_all(a))),
        ("take", lambda m, a: m.take(a, m.asarray([0, 2, 0]) if m is np else [0, 2, 0],
                                      axis=1)),
        ("take_along_axis", lambda m, a: m.take_along_axis(a, m.argsort(a, axis=-1), axis=-1)),
        ("tril", lambda m, a: m.tril(a, k=1) if a.ndim == 2 else m.tril(a[0])),
        ("matrix_transpose", lambda m, a: m.matrix_transpose(a)),
        ("matmul", lambda m, a: m.matmul(a, m.matrix_transpose(a))),
        ("tensordot", lambda m, a: m.tensordot(a, a, axes=a.ndim)),
        ("vecdot", lambda m, a: m.vecdot(a, a, axis=0)),
        ("diff", lambda m, a: m.diff(a, axis=0, prepend=a[0:1])),
    ]
    for label, case in cases:
        try:
            expected = case(np, x)
        except Exception as error:  # noqa: BLE001 - the same error is expected
            with pytest.raises(type(error)):
                case(xp, d)
            continue
        _same(case(xp, d), expected if label != "unique_all" else tuple(expected))


def test_descending_stable_argsort_keeps_ties_in_order(ctx):
    x = np.array([3, 1, 3, 2, 1, 3, 0, 2], np.int8)
    d = ctx.fromarray(x, dist="c")
    expected = np.argsort(-x.astype(np.int64), stable=True)  # ties by increasing index
    np.testing.assert_array_equal(array_api.argsort(d, descending=True).toarray(), expected)
    np.testing.assert_array_equal(array_api.sort(d, descending=True).toarray(),
                                  np.sort(x)[::-1])


def test_data_type_functions_creation_and_inspection(ctx):
    xp = array_api
    d = ctx.fromarray(np.arange(4, dtype=np.int16))
    assert xp.can_cast(d, xp.int64) and not xp.can_cast(xp.float64, xp.int32)
    assert xp.iinfo(d).max == np.iinfo(np.int16).max and xp.finfo(xp.float32).bits == 32
    assert xp.isdtype(d.dtype, "integral")
    with pytest.raises(TypeError):  # a dtype, not an array (ValueError: compared elementwise)
        xp.isdtype(d, "integral")
    np.testing.assert_array_equal(xp.eye(3, 4, k=1, context=ctx).toarray(), np.eye(3, 4, k=1))
    assert xp.eye(2, dtype=xp.int32, context=ctx).dtype == np.int32
    np.testing.assert_array_equal(xp.triu(ctx.fromarray(np.ones((3, 3))), k=1).toarray(),
                                  np.triu(np.ones((3, 3)), k=1))
    pair = xp.broadcast_arrays(d, d[:1])
    assert isinstance(pair, list) and pair[0] is d  # no copy of an array of the common shape
    _same(pair, np.broadcast_arrays(np.arange(4, dtype=np.int16), np.zeros(1, np.int16)))
    assert xp.broadcast_arrays() == []
    grid = xp.meshgrid(d, d[:2], indexing="ij")
    _same(grid, np.meshgrid(np.arange(4, dtype=np.int16), np.arange(2, dtype=np.int16),
                            indexing="ij"))
    info = xp.__array_namespace_info__()
    assert info.default_dtypes()["indexing"] == np.int64 and info.devices() == ["cpu"]
    assert set(info.dtypes(kind="real floating")) == {"float32", "float64"}
    assert (xp.e, xp.pi, xp.newaxis) == (np.e, np.pi, None) and np.isnan(xp.nan)


def test_device_keywords_and_attributes(ctx):
    xp = array_api
    d = ctx.fromarray(np.arange(5.0), dist="c")
    assert d.device == np.arange(1).device and d.to_device(d.device) is d
    for error, call in [(ValueError, lambda: d.to_device("gpu")),
                        (ValueError, lambda: d.to_device("cpu", stream=1)),
                        (TypeError, lambda: d.to_device(None))]:
        with pytest.raises(error):
            call()
    creations = [(xp.zeros, ((2, 3),)), (xp.ones, (3,)), (xp.empty, ((0,),)),
                 (xp.full, ((2,), 1.5)), (xp.arange, (1, 5)), (xp.linspace, (0, 1, 5)),
                 (xp.asarray, ([1, 2],)), (xp.eye, (2,))]
    for create, args in creations:
        expected = getattr(np, create.__name__)(*args, device="cpu")
        assert "device" in inspect.signature(create).parameters
        got = create(*args, device=d.device, context=ctx)
        if create is not xp.empty:
            _same(got, expected)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        with pytest.raises(ValueError):
            create(*args, device="gpu", context=ctx)
    _same(xp.astype(d, xp.int8, device="cpu"), np.arange(5, dtype=np.int8))
    info, numpy_info = xp.__array_namespace_info__(), np.__array_namespace_info__()
    assert info.capabilities() == numpy_info.capabilities()
    assert info.default_dtypes(device="cpu") == numpy_info.default_dtypes(device="cpu")
    for call in (info.default_dtypes, info.dtypes):
        with pytest.raises(ValueError):
            call(device="gpu")
