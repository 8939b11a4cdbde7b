"""The protocol checker: local (§8 items 1–6) and cross-process (items 8–13) checks."""

import numpy as np
import pytest

from distarray.errors import ProtocolError
from distarray.plan import check_export, check_exports, normalize_dim_dict, owned_count


def block(size=4, nranks=1, rank=0, start=0, stop=4, **extra):
    return {'dist_type': 'b', 'size': size, 'proc_grid_size': nranks, 'proc_grid_rank': rank,
            'start': start, 'stop': stop, **extra}


def cyclic(size=5, nranks=2, rank=0, block_size=1, **extra):
    return {'dist_type': 'c', 'size': size, 'proc_grid_size': nranks, 'proc_grid_rank': rank,
            'start': rank * block_size, 'block_size': block_size, **extra}


def unstructured(indices, size=3, nranks=1, rank=0, **extra):
    return {'dist_type': 'u', 'size': size, 'proc_grid_size': nranks, 'proc_grid_rank': rank,
            'indices': np.asarray(indices, dtype=np.int64), **extra}


def extent(dim_dict):
    """Buffer extent a (possibly invalid) dim dict asks for."""
    kind = dim_dict['dist_type']
    if kind == 'b':
        return dim_dict['stop'] - dim_dict['start']
    return len(dim_dict['indices']) if kind == 'u' else owned_count(dim_dict)


def export(*dims, shape=None, **changes):
    shape = tuple(map(extent, dims)) if shape is None else shape
    return {'__version__': '0.10.0', 'buffer': np.zeros(shape), 'dim_data': dims, **changes}


def test_valid_export_is_normalized():
    dims = check_export(export(block(), cyclic(rank=1), unstructured([2, 0])))
    assert dims[0]['padding'] == (0, 0) and dims[0]['periodic'] is False
    assert dims[2]['one_to_one'] is False and dims[2]['indices'].dtype == np.int64
    assert check_export(export(shape=())) == ()
    assert check_export(export({}, shape=(3,)))[0] == block(3, stop=3, padding=(0, 0),
                                                            periodic=False)


def test_unknown_keys_are_ignored():
    assert 'extra' not in check_export(export(block(extra=1)))[0]


@pytest.mark.parametrize('bad, message', [
    (export(block(), version='x'), 'keys must be exactly'),
    ({'buffer': np.zeros(4), 'dim_data': (block(),)}, 'keys must be exactly'),
    (export(block(), __version__='0.9.0'), '__version__'),
    (export(block(), __version__='0.10'), '__version__'),
    (export(block(), buffer=[0, 0, 0, 0]), 'buffer protocol'),
    (export(block(), dim_data=[block()]), 'dim_data must be a tuple'),
    (export(block(), shape=(4, 1)), '1 dim dicts for a 2-D buffer'),
    (export(block(), shape=(5,)), 'buffer extent 5'),
    (export(['b'], shape=(4,)), 'must be a dict'),
    (export({'size': 4}, shape=(4,)), 'dist_type'),
    (export({'dist_type': 'n', 'size': 4}), 'dist_type'),
    (export({'dist_type': 'x'}, shape=(4,)), 'dist_type'),
    (export(block(size=np.int64(4))), 'size must be a Python int'),
    (export(block(start=np.int64(0))), 'start must be a Python int'),
    (export(block(size=True)), 'size must be a Python int'),
    (export(block(size=-1, stop=0)), 'size must be'),
    (export(block(nranks=0)), 'proc_grid_size'),
    (export(block(rank=-1)), 'proc_grid_rank'),
    (export(block(rank=1)), 'not below'),
    (export(block(stop=3), shape=(3,)), 'stop must be size'),
    (export(block(nranks=2, rank=1, start=3, stop=2), shape=(0,)), 'start <= stop'),
    (export(block(nranks=2, start=1, stop=3), shape=(2,)), 'start must be 0'),
    (export(block(padding=[0, 0])), 'padding must be a tuple'),
    (export(block(padding=(0, -1))), 'padding must be a tuple'),
    (export(block(padding=(3, 2))), 'wider than the buffer'),
    (export(block(periodic='yes')), 'periodic must be a bool'),
    (export(block(periodic=np.bool_(True))), 'periodic must be a bool'),
    (export({'dist_type': 'b', 'size': 4}, shape=(4,)), "missing key 'proc_grid_size'"),
    (export(cyclic(rank=1) | {'start': 0}, shape=(2,)), 'start must be proc_grid_rank'),
    (export(cyclic(block_size=0) | {'start': 0}, shape=(3,)), 'block_size must be'),
    (export(cyclic(), shape=(2,)), 'buffer extent 2'),
    (export(unstructured([0, 1]) | {'indices': [0, 1]}, shape=(2,)), 'expose a buffer'),
    (export(unstructured([0, 1]) | {'indices': np.array([0.0, 1.0])}, shape=(2,)), 'integer'),
    (export(unstructured([[0, 1]]), shape=(2,)), '1-D'),
    (export(unstructured([0, 0])), 'not unique'),
    (export(unstructured([0], one_to_one=1)), 'one_to_one must be a bool'),
])
def test_invalid_export(bad, message):
    with pytest.raises(ProtocolError, match=message):
        check_export(bad)


def test_all_problems_are_listed():
    bad = export(block(size=np.int64(4), padding=[0, 0]), cyclic(rank=1) | {'start': 0},
                 __version__='0.9.0', shape=(4, 2))
    with pytest.raises(ProtocolError) as info:
        check_export(bad)
    assert len(str(info.value).splitlines()) == 4


def test_check_export_rejects_non_dict():
    with pytest.raises(ProtocolError):
        check_export(None)


def test_normalize_dim_dict_aliases():
    assert normalize_dim_dict({}, 3) == normalize_dim_dict({'dist_type': 'n', 'size': 3})
    assert normalize_dim_dict({'dist_type': 'n', 'size': 3}) == block(3, stop=3, padding=(0, 0),
                                                                       periodic=False)
    assert owned_count({}, 5) == 5
    with pytest.raises(ProtocolError, match='extent'):
        owned_count({})
    with pytest.raises(ProtocolError):
        normalize_dim_dict({'dist_type': 'n', 'size': 3}, 4)
    with pytest.raises(ProtocolError):
        normalize_dim_dict({'dist_type': 'n'}, 4)


def test_owned_count_block_padding():
    dims = [block(18, 2, 0, 0, 10, padding=(1, 1)), block(18, 2, 1, 8, 18, padding=(1, 1))]
    assert [owned_count(d) for d in dims] == [9, 9]


def grid_exports(dims_per_rank):
    return [export(*dims) for dims in dims_per_rank]


TWO_BY_TWO = [(block(4, 2, 0, 0, 2), cyclic(5, 2, 0)), (block(4, 2, 0, 0, 2), cyclic(5, 2, 1)),
              (block(4, 2, 1, 2, 4), cyclic(5, 2, 0)), (block(4, 2, 1, 2, 4), cyclic(5, 2, 1))]


def test_check_exports_grid():
    grid, normalized = check_exports(grid_exports(TWO_BY_TWO))
    assert grid == (2, 2) and len(normalized) == 4
    assert check_exports([export(shape=())])[0] == ()


@pytest.mark.parametrize('dims_per_rank, message', [
    (TWO_BY_TWO[:3], 'has 4 positions for 3 processes'),
    ([TWO_BY_TWO[1], TWO_BY_TWO[0], *TWO_BY_TWO[2:]], 'row-major'),
    ([TWO_BY_TWO[0], (block(4, 2, 0, 0, 2), cyclic(5, 1, 0)), *TWO_BY_TWO[2:]],
     'disagree on the process grid'),
    ([(block(4, 2, 0, 0, 2), cyclic(5, 2, 0)), (block(4, 2, 0, 0, 2), cyclic(6, 2, 1)),
      (block(4, 2, 1, 2, 4), cyclic(5, 2, 0)), (block(4, 2, 1, 2, 4), cyclic(5, 2, 1))],
     'different dicts'),
    ([(block(4, 2, 0, 0, 2), cyclic(5, 2, 0)), (block(4, 2, 0, 0, 3), cyclic(5, 2, 1)),
      (block(4, 2, 1, 2, 4), cyclic(5, 2, 0)), (block(4, 2, 1, 2, 4), cyclic(5, 2, 1))],
     'different dicts'),
    ([(block(4, 2, 0, 0, 1),), (block(4, 2, 1, 2, 4),)], 'do not touch'),
    ([(block(4, 2, 0, 0, 3, padding=(0, 1)),), (block(4, 2, 1, 2, 4),)], 'halo widths'),
    ([(block(5, 3, 0, 0, 4, padding=(0, 2)),), (block(5, 3, 1, 0, 3, padding=(2, 0)),),
      (block(5, 3, 2, 3, 5),)], 'exceeds'),
    ([(unstructured([0, 1], 3, 2, 0, one_to_one=True),),
      (unstructured([1, 2], 3, 2, 1, one_to_one=True),)], 'partition'),
    ([(unstructured([0, 1], 3, 2, 0, one_to_one=True),), (unstructured([2], 3, 2, 1),)],
     'one_to_one differs'),
    ([(unstructured([0, 1], 3, 2, 0),), (unstructured([2], 4, 2, 1),)], 'size differs'),
    ([(cyclic(5, 2, 0),), (cyclic(5, 2, 1, 2),)], 'block_size differs'),
    ([(block(4),), (block(4),)], 'has 1 positions for 2'),
])
def test_inconsistent_exports(dims_per_rank, message):
    with pytest.raises(ProtocolError, match=message):
        check_exports(grid_exports(dims_per_rank))


def test_exports_report_the_bad_rank():
    exports = grid_exports(TWO_BY_TWO)
    exports[2]['__version__'] = '1.0.0'
    with pytest.raises(ProtocolError, match='rank 2'):
        check_exports(exports)


def test_padding_may_differ_between_lines():
    # Axis 0 has one grid rank; only the process in column 0 marks a boundary cell.
    dims = [(block(4, padding=(1, 0)), block(4, 2, 0, 0, 2)),
            (block(4), block(4, 2, 1, 2, 4))]
    assert check_exports(grid_exports(dims))[0] == (1, 2)


def test_non_one_to_one_unstructured_is_legal():
    dims = [(unstructured([0, 1], 3, 2, 0),), (unstructured([1, 2], 3, 2, 1),)]
    assert check_exports(grid_exports(dims))[0] == (2,)


def test_empty_sections_are_legal():
    dims = [(cyclic(3, 5, r),) for r in range(5)]
    assert check_exports(grid_exports(dims))[0] == (5,)
    dims = [(block(0, 3, r, 0, 0),) for r in range(3)]
    assert check_exports(grid_exports(dims))[0] == (3,)
    dims = [(unstructured([], 0, 2, r, one_to_one=True),) for r in range(2)]
    assert check_exports(grid_exports(dims))[0] == (2,)
