"""The Distributed Array Protocol 0.10.0 on real workers (spec §8 checklist)."""

import numpy as np
import pytest

import distarray
from distarray import Distribution, ProtocolError
from distarray.plan import check_export, check_exports

from dap_examples import EXAMPLES, global_array, spec_indices
from layouts import LAYOUT_IDS, layout, sample


def _local_checks(la):
    """Checklist items 1-7 on a worker; returns the metadata for the cross checks."""
    import numpy as np

    export = la.__distarray__()
    check_export(export)
    assert set(export) == {"__version__", "buffer", "dim_data"}
    assert export["__version__"] == "0.10.0"
    view = memoryview(export["buffer"])
    assert view.ndim == la.ndarray.ndim == len(export["dim_data"])
    assert type(export["dim_data"]) is tuple
    assert all(type(d) is dict for d in export["dim_data"])
    for d in export["dim_data"]:
        assert all(type(d[k]) is int for k in ("size", "proc_grid_size", "proc_grid_rank"))
        assert d["dist_type"] in ("b", "c", "u")
        if d["dist_type"] == "u":
            assert d["indices"].dtype == np.int64 and d["indices"].ndim == 1
    # zero-copy: a write through the exported buffer shows in the local array
    if la.ndarray.size:
        before = la.ndarray.flat[0]
        np.asarray(export["buffer"]).flat[0] = 42
        assert la.ndarray.flat[0] == 42
        la.ndarray.flat[0] = before
    coords = tuple(la.comm.Get_coords(la.comm.Get_rank())) if la.ndim else ()
    assert coords == tuple(d["proc_grid_rank"] for d in export["dim_data"])
    return export["dim_data"], la.ndarray.shape, la.comm.Get_size()


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_conformance_checklist(ctx, name):
    shape, dist, grid_shape = layout(ctx.nworkers, name)
    d = ctx.fromarray(sample(shape), Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))
    results = ctx.apply(_local_checks, (d,), targets=d.targets)
    assert all(size == len(d.targets) for _, _, size in results)
    exports = [{"__version__": "0.10.0", "buffer": np.empty(extent), "dim_data": dim_data}
               for dim_data, extent, _ in results]
    check_exports(exports)  # items 8-13 across the processes
    if not shape:
        assert results[0][0] == () and results[0][1] == ()


class Piece:
    """A foreign producer of the protocol (not a LocalArray), living on a worker."""

    def __init__(self, rank, nranks, rows, cols):
        import numpy as np
        per = -(-rows // nranks)
        start, stop = min(rank * per, rows), min((rank + 1) * per, rows)
        self.data = np.arange(start * cols, stop * cols, dtype=np.float64).reshape(-1, cols)
        self.dim_data = ({"dist_type": "b", "size": rows, "proc_grid_size": nranks,
                          "proc_grid_rank": rank, "start": start, "stop": stop},
                         {"dist_type": "b", "size": cols, "proc_grid_size": 1,
                          "proc_grid_rank": 0, "start": 0, "stop": cols})

    def __distarray__(self):
        return {"__version__": "0.10.0", "buffer": self.data, "dim_data": self.dim_data}


def _make_piece(nranks, rows, cols):
    from mpi4py import MPI
    return Piece(MPI.COMM_WORLD.Get_rank(), nranks, rows, cols)


def test_from_localarrays_imports_worker_objects_without_copy(ctx):
    rows, cols = 7, 3
    proxy = ctx.apply(_make_piece, (ctx.nworkers, rows, cols), return_proxy=True)
    d = distarray.DistArray.from_localarrays(proxy)
    expected = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols)
    np.testing.assert_array_equal(d.toarray(), expected)
    ctx.apply(lambda piece: piece.data.__imul__(-1), (proxy,))  # change the producer's data
    np.testing.assert_array_equal(d.toarray(), -expected)


def test_from_localarrays_of_client_pieces(ctx):
    data = sample((6, 5))
    d = ctx.fromarray(data, dist=("c", "b"))
    again = distarray.DistArray.from_localarrays(d.get_localarrays(), context=ctx,
                                                 targets=d.targets)
    assert again.distribution.is_compatible(d.distribution) or again.distribution == d.distribution
    np.testing.assert_array_equal(again.toarray(), data)


def test_padded_block_exports_and_gathers(contexts):
    ctx = contexts[2]
    dist = Distribution.from_global_dim_data(
        ctx, ({"dist_type": "b", "size": 18, "proc_grid_size": 2, "bounds": [0, 9, 18],
               "padding": [(1, 1), (1, 1)]},))
    data = np.arange(18.0)
    d = ctx.fromarray(data, dist)
    np.testing.assert_array_equal(d.toarray(), data)
    dims = ctx.apply(lambda la: la.dim_data[0], (d,), targets=d.targets)
    assert [(x["start"], x["stop"], x["padding"]) for x in dims] == [(0, 10, (1, 1)),
                                                                      (8, 18, (1, 1))]
    assert d.localshapes() == [(10,), (10,)]


def test_wrong_version_is_refused(ctx):
    class Old:
        def __distarray__(self):
            return {"__version__": "0.9.0", "buffer": np.zeros(3),
                    "dim_data": ({"dist_type": "b", "size": 3, "proc_grid_size": 1,
                                  "proc_grid_rank": 0, "start": 0, "stop": 3},)}

    with pytest.raises(ProtocolError):
        distarray.DistArray.from_localarrays([Old()], context=ctx)


def _piece_report(la):
    return la.dim_data, la.owned.copy(), la.layout.owned_slices


def _comparable(dim_data):
    return [{k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in d.items()}
            for d in dim_data]


@pytest.fixture(scope="module")
def eight_workers():
    with distarray.Context(8) as context:
        yield context


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_worked_examples_on_workers(contexts, eight_workers, name):
    shape, kwargs, axes, localshapes = EXAMPLES[name]
    grid = tuple(len(dicts) for dicts in axes)
    nprocs = int(np.prod(grid))
    ctx = contexts[nprocs] if nprocs in contexts else eight_workers
    a = global_array(shape)
    d = ctx.fromarray(a, Distribution(ctx, shape, **kwargs))
    assert d.grid_shape == grid and d.localshapes() == localshapes
    reports = ctx.apply(_piece_report, (d,), targets=d.targets)
    for coords, (dim_data, owned, slices) in zip(np.ndindex(grid), reports):
        expected = tuple(dicts[c] for dicts, c in zip(axes, coords))
        assert _comparable(dim_data) == _comparable(expected)
        held = a[np.ix_(*map(spec_indices, expected))]
        np.testing.assert_array_equal(owned, held[slices])
    np.testing.assert_array_equal(d.toarray(), a)
    if name == "G3":
        assert reports[3][1].tolist() == [[32, 33, 34, 35], [41, 42, 43, 44]]
    if name == "G8":
        assert reports[0][1].tolist() == [[29, 30, 34, 28], [2, 3, 7, 1]]
    if name == "G9":
        np.testing.assert_array_equal(reports[7][1], a[[1, 3]][:, 5:9][:, :, [1]])


def test_local_index_translation(contexts):
    ctx = contexts[4]
    d = ctx.fromarray(global_array((5, 9)), Distribution(ctx, (5, 9), dist=("c", "b"),
                                                         grid_shape=(2, 2)))

    def translate(la):
        out = []
        for local in np.ndindex(la.ndarray.shape):
            g = la.global_from_local(local)
            out.append((g, la.local_from_global(g) == local, int(la.ndarray[local])))
        return out, [la.global_limits(k) for k in range(la.ndim)]

    for translations, limits in ctx.apply(translate, (d,)):
        for g, back, value in translations:
            assert back and value == 9 * g[0] + g[1]
        rows = sorted({g[0] for g, _, _ in translations})
        cols = sorted({g[1] for g, _, _ in translations})
        assert limits == [(rows[0], rows[-1]), (cols[0], cols[-1])]

    def foreign(la):
        try:
            la.local_from_global((1 - la.cart_coords[0], la.global_limits(1)[0]))
        except IndexError:
            return True
        return False

    assert all(ctx.apply(foreign, (d,)))
