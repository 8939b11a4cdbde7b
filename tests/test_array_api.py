"""The array API namespace returned by ``DistArray.__array_namespace__``."""

import numpy as np
import pytest

import distarray
from distarray import array_api


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
