"""The worked examples of the protocol spec (§9) as fixtures."""

import math

import numpy as np
import pytest

from distarray.plan import Distribution, check_exports

from dap_examples import EXAMPLES, global_array, spec_indices


def comparable(dim_data):
    return [{k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in d.items()}
            for d in dim_data]


@pytest.fixture(params=sorted(EXAMPLES))
def example(request, make_context):
    shape, kwargs, axes, localshapes = EXAMPLES[request.param]
    grid = tuple(len(dicts) for dicts in axes)
    context = make_context(math.prod(grid))
    expected = [tuple(dicts[c] for dicts, c in zip(axes, coords)) for coords in np.ndindex(grid)]
    return Distribution(context, shape, **kwargs), grid, expected, localshapes


def test_layout(example):
    dist, grid, expected, localshapes = example
    assert dist.grid_shape == grid and dist.localshapes() == localshapes
    for i, dim_data in enumerate(expected):
        assert comparable(dist.local_dim_data(i)) == comparable(dim_data)


def test_buffers(example):
    dist, _, expected, _ = example
    a = global_array(dist.shape)
    exports = []
    for i, dim_data in enumerate(expected):
        buffer = a[np.ix_(*dist.global_index_arrays(i, padding=True))]
        assert np.array_equal(buffer, a[np.ix_(*map(spec_indices, dim_data))])
        exports.append({'__version__': '0.10.0', 'buffer': buffer, 'dim_data': dim_data})
    assert check_exports(exports)[0] == dist.grid_shape


def test_import(example):
    dist, _, expected, _ = example
    assert Distribution.from_dim_data_per_rank(dist.context, expected) == dist
    assert Distribution.from_global_dim_data(dist.context, dist.global_dim_data()) == dist


def buffer_of(dist, i):
    return global_array(dist.shape)[np.ix_(*dist.global_index_arrays(i, padding=True))]


def test_quoted_values(make_context):
    def build(name):
        shape, kwargs, axes, _ = EXAMPLES[name]
        return Distribution(make_context(math.prod(map(len, axes))), shape, **kwargs)

    g3, g8, g9, e2 = build('G3'), build('G8'), build('G9'), build('E2')
    assert buffer_of(g3, 3).tolist() == [[32, 33, 34, 35], [41, 42, 43, 44]]
    assert buffer_of(g8, 0).tolist() == [[29, 30, 34, 28], [2, 3, 7, 1]]
    assert buffer_of(g9, 0)[0, :2].tolist() == [[0, 2], [3, 5]]
    a = global_array((5, 9, 3))
    assert np.array_equal(buffer_of(g9, 7), a[[1, 3]][:, 5:9][:, :, [1]])
    assert buffer_of(e2, 0).tolist() == list(range(10))
    assert buffer_of(e2, 1).tolist() == list(range(8, 18))
    assert e2.owned_shapes() == [(9,), (9,)] and e2.owned_local_slices(1) == (slice(1, 10),)


def test_cyclic_listings(make_context):
    g7 = Distribution(make_context(4), (5, 9), **EXAMPLES['G7'][1])
    assert [g7.maps[0].global_indices(r).tolist() for r in range(2)] == [[0, 1, 4], [2, 3]]
    assert [g7.maps[1].global_indices(r).tolist() for r in range(2)] == \
        [[0, 1, 4, 5, 8], [2, 3, 6, 7]]
    assert all(g7.global_slices(i) is None for i in range(4))
    g4 = Distribution(make_context(4), (5, 9), **EXAMPLES['G4'][1])
    assert g4.global_slices(1) == (slice(0, 3, 1), slice(1, 8, 2))
    assert [g4.maps[1].global_indices(r).tolist() for r in range(2)] == \
        [[0, 2, 4, 6, 8], [1, 3, 5, 7]]


def test_e1_default_layout_is_the_same(make_context):
    context = make_context(2)
    default = Distribution(context, (2, 10))
    assert default.dist == ('b', 'n') and default.grid_shape == (2, 1)
    assert default == Distribution(context, (2, 10), **EXAMPLES['E1'][1])
    assert comparable(default.local_dim_data(1)) == comparable(
        (EXAMPLES['E1'][2][0][1], EXAMPLES['E1'][2][1][0]))
