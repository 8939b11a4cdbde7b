"""Files: round trips against np.save/np.load, h5py and zarr, over every layout and 1-4 workers."""

import os

import numpy as np
import pytest

import distarray
from distarray import Distribution, ProtocolError
from distarray.io import files, load_dnpy, load_npy, save_dnpy, save_npy
from distarray.local import dnpy

from layouts import LAYOUT_IDS, layout, sample


@pytest.fixture(params=LAYOUT_IDS)
def case(request, ctx):
    shape, dist, grid_shape = layout(ctx.nworkers, request.param)
    distribution = Distribution(ctx, shape, dist=dist, grid_shape=grid_shape)
    data = sample(shape)
    return ctx.fromarray(data, distribution), data


def _padded(ctx, columns=3):
    """A block distribution with halos (whose cells mirror the neighbours')."""
    p = ctx.nworkers
    padding = [(0 if r == 0 else 1, 0 if r == p - 1 else 1) for r in range(p)]
    return Distribution(ctx, (13, columns), dist=({"dist_type": "b", "padding": padding}, "n"))


def _check_buffers(d, data):
    """Every local buffer, halo cells included, holds the elements it mirrors."""
    dist = d.distribution
    for i, buffer in enumerate(d.get_ndarrays()):
        np.testing.assert_array_equal(buffer, data[np.ix_(*dist.global_index_arrays(i, True))])


def _listing(directory):
    return sorted(os.listdir(directory))


# -- .npy ------------------------------------------------------------------------------
def test_npy_round_trip_against_numpy(case, tmp_path):
    d, data = case
    save_npy(tmp_path / "a.npy", d)
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), data)
    np.save(tmp_path / "b.npy", data * 2)
    loaded = load_npy(tmp_path / "b.npy", d.distribution)
    assert loaded.distribution is d.distribution and loaded.dtype == data.dtype
    np.testing.assert_array_equal(loaded.toarray(), data * 2)
    assert _listing(tmp_path) == ["a.npy", "b.npy"]


@pytest.mark.parametrize("dtype", ["i4", "c16", "?", "f2", "u1", ">f8", "<i2", "S3",
                                   [("x", "<i4"), ("y", ">f8")]])
@pytest.mark.parametrize("fortran", [False, True], ids=["C", "F"])
def test_npy_dtypes_and_orders(contexts, tmp_path, dtype, fortran):
    ctx = contexts[3]
    data = np.arange(35).reshape(5, 7).astype(dtype)
    np.save(tmp_path / "a.npy", np.asfortranarray(data) if fortran else data)
    d = load_npy(tmp_path / "a.npy", context=ctx, dist=("c", "b"), grid_shape=(3, 1))
    assert d.dtype == np.load(tmp_path / "a.npy").dtype
    np.testing.assert_array_equal(d.toarray(), data)
    save_npy(tmp_path / "b", d)  # .npy is appended, as np.save does
    np.testing.assert_array_equal(np.load(tmp_path / "b.npy"), data)


@pytest.mark.parametrize("shape, dist", [
    ((40, 1200), ("b", "n")), ((40, 1200), ("c", "n")), ((40, 1200), ("n", "b")),
    ((40, 1200), ("b", "b")), ((4, 5, 600), ("b", "c", "n")), ((3, 700), "n"),
], ids=["rows", "cyclic-rows", "columns", "blocks", "3d", "undistributed"])
def test_npy_long_runs_use_offset_io(ctx, tmp_path, shape, dist):
    data = sample(shape)
    d = ctx.fromarray(data, dist=dist)
    save_npy(tmp_path / "a.npy", d)
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), data)
    np.save(tmp_path / "b.npy", -data)
    np.testing.assert_array_equal(load_npy(tmp_path / "b.npy", d.distribution).toarray(), -data)


@pytest.mark.parametrize("columns", [3, 600])
def test_npy_halo_cells_are_read(ctx, tmp_path, columns):
    data = sample((13, columns))
    np.save(tmp_path / "a.npy", data)
    d = load_npy(tmp_path / "a.npy", _padded(ctx, columns))
    _check_buffers(d, data)
    np.testing.assert_array_equal(d.toarray(), data)
    save_npy(tmp_path / "b.npy", d)
    np.testing.assert_array_equal(np.load(tmp_path / "b.npy"), data)


def test_npy_default_distribution_and_context(contexts, tmp_path):
    np.save(tmp_path / "a.npy", np.arange(10.0))
    d = load_npy(str(tmp_path / "a.npy"))
    assert d.context is distarray.default_context()
    np.testing.assert_array_equal(d.toarray(), np.arange(10.0))


def test_npy_errors_raised_on_the_client(contexts, tmp_path):
    ctx = contexts[2]
    with pytest.raises(FileNotFoundError):
        load_npy(tmp_path / "missing.npy", context=ctx)
    (tmp_path / "junk.npy").write_bytes(b"not a numpy file at all, just text")
    with pytest.raises(ValueError, match="magic"):
        load_npy(tmp_path / "junk.npy", context=ctx)
    np.save(tmp_path / "objects.npy", np.array([{}, None], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="allow_pickle"):
        load_npy(tmp_path / "objects.npy", context=ctx)
    np.save(tmp_path / "short.npy", np.arange(100.0))
    with open(tmp_path / "short.npy", "r+b") as fp:
        fp.truncate(300)
    with pytest.raises(ValueError, match="truncated"):
        load_npy(tmp_path / "short.npy", context=ctx)
    np.save(tmp_path / "four.npy", np.zeros(4))
    with pytest.raises(ValueError, match="shape"):
        load_npy(tmp_path / "four.npy", Distribution(ctx, (5,)))
    with open(tmp_path / "short.npy", "rb") as fp, pytest.raises(TypeError, match="file name"):
        load_npy(fp, context=ctx)
    d = ctx.zeros(3)
    with pytest.raises(FileNotFoundError):
        save_npy(tmp_path / "no" / "such" / "dir.npy", d)
    with pytest.raises(TypeError, match="DistArray"):
        save_npy(tmp_path / "x.npy", np.zeros(3))


# -- .dnpy -----------------------------------------------------------------------------
def test_dnpy_round_trip(case, tmp_path):
    d, data = case
    save_dnpy(tmp_path / "a", d)
    assert _listing(tmp_path) == ["a_%d.dnpy" % i for i in range(d.distribution.nprocs)]
    loaded = load_dnpy(tmp_path / "a", context=d.context)
    assert loaded.distribution.is_compatible(d.distribution) and loaded.dtype == d.dtype
    np.testing.assert_array_equal(loaded.toarray(), data)
    for mine, theirs in zip(loaded.get_ndarrays(), d.get_ndarrays()):
        np.testing.assert_array_equal(mine, theirs)


def test_dnpy_keeps_halos_and_writes_its_format(ctx, tmp_path):
    data = sample((13, 3))
    d = ctx.fromarray(data, _padded(ctx))
    save_dnpy(tmp_path / "h", d)
    raw = (tmp_path / "h_0.dnpy").read_bytes()
    assert raw.startswith(b"\x93DARRAY\x01\x00")
    length = int.from_bytes(raw[9:11], "little")
    assert (11 + length) % 16 == 0 and raw[10 + length:11 + length] == b"\n"
    assert raw[11 + length:].startswith(b"\x93NUMPY")
    loaded = load_dnpy(tmp_path / "h", context=ctx)
    assert loaded.distribution.is_compatible(d.distribution)
    for mine, theirs in zip(loaded.get_ndarrays(), d.get_ndarrays()):
        np.testing.assert_array_equal(mine, theirs)


def test_dnpy_long_headers_use_version_2(contexts, tmp_path):
    ctx = contexts[2]
    indices = np.random.default_rng(1).permutation(30000)
    dist = ({"dist_type": "u", "indices": [indices[::2], indices[1::2]]},)
    data = np.arange(30000.0)
    d = ctx.fromarray(data, Distribution(ctx, data.shape, dist=dist))
    save_dnpy(tmp_path / "u", d)
    assert (tmp_path / "u_0.dnpy").read_bytes()[7:9] == b"\x02\x00"
    np.testing.assert_array_equal(load_dnpy(tmp_path / "u", context=ctx).toarray(), data)


def _write_dnpy(path, header_text, payload=None):
    text = header_text.encode("latin-1")
    with open(path, "wb") as fp:
        fp.write(dnpy.MAGIC + b"\x01\x00" + len(text).to_bytes(2, "little") + text)
        np.lib.format.write_array(fp, np.arange(3.0) if payload is None else payload,
                                  allow_pickle=True)


def _good_header(**changes):
    dim = {"dist_type": "b", "size": 3, "proc_grid_size": 1, "proc_grid_rank": 0, "start": 0,
           "stop": 3, **changes}
    return repr({"__version__": "0.10.0", "dim_data": (dim,)}) + "\n"


@pytest.mark.parametrize("header, error, match", [
    ("{'__version__': __import__('os').system('touch PWNED'), 'dim_data': ()}\n", ValueError,
     "corrupt"),
    ("(lambda: 1)()\n", ValueError, "corrupt"),
    ("[1, 2, 3]\n", ValueError, "dict"),
    ("{'__version__': '0.10.0', 'dim_data': (), 'extra': 1}\n", ValueError, "keys"),
    ("{'__version__': '9.9', 'dim_data': ()}\n", ValueError, "version"),
    ("{'__version__': '0.10.0', 'dim_data': [1]}\n", ValueError, "tuple of dicts"),
    ("{'__version__': '0.10.0', 'dim_data': (" + "(" * 300 + ")" * 300 + ",)}\n", ValueError,
     "corrupt"),
    (_good_header(size=4, stop=4), ProtocolError, "extent"),
    (_good_header(dist_type="q"), ProtocolError, "dist_type"),
    (_good_header(proc_grid_size="1"), ValueError, "proc_grid_size"),
], ids=["code", "lambda", "list", "extra-key", "version", "dim-data-list", "nesting",
        "wrong-extent", "bad-type", "bad-grid"])
def test_corrupt_dnpy_headers_are_rejected(contexts, tmp_path, monkeypatch, header, error,
                                           match):
    monkeypatch.chdir(tmp_path)
    _write_dnpy(tmp_path / "bad_0.dnpy", header)
    with pytest.raises(error, match=match):
        load_dnpy(tmp_path / "bad", context=contexts[1])
    assert not (tmp_path / "PWNED").exists()


def test_corrupt_dnpy_files_are_rejected(contexts, tmp_path):
    ctx = contexts[2]
    with pytest.raises(FileNotFoundError):
        load_dnpy(tmp_path / "missing", context=ctx)
    save_dnpy(tmp_path / "a", ctx.fromarray(np.arange(10.0)))
    good = (tmp_path / "a_1.dnpy").read_bytes()
    for content, match in [(b"\x93NUMPY" + good[7:], "magic"),
                           (good[:7] + b"\x07\x00" + good[9:], "version"),
                           (good[:20], "truncated"),
                           (good[:-8], "truncated"),
                           (good[:12] + b"\xff" + good[13:], "corrupt")]:
        (tmp_path / "a_1.dnpy").write_bytes(content)
        with pytest.raises(ValueError, match=match):
            load_dnpy(tmp_path / "a", context=ctx)
    (tmp_path / "a_1.dnpy").unlink()
    with pytest.raises(FileNotFoundError):
        load_dnpy(tmp_path / "a", context=ctx)
    _write_dnpy(tmp_path / "p_0.dnpy", _good_header(),
                payload=np.array([None, 1, 2], dtype=object))
    with pytest.raises(ValueError, match="allow_pickle"):
        load_dnpy(tmp_path / "p", context=contexts[1])


def test_dnpy_needs_enough_workers(contexts, tmp_path):
    save_dnpy(tmp_path / "a", contexts[3].fromarray(np.arange(10.0)))
    with pytest.raises(distarray.DistributionError):
        load_dnpy(tmp_path / "a", context=contexts[2])
    loaded = load_dnpy(tmp_path / "a", context=contexts[4], targets=(3, 1, 0))
    assert loaded.targets == (3, 1, 0)
    np.testing.assert_array_equal(loaded.toarray(), np.arange(10.0))


def test_failed_write_leaves_old_files_intact(contexts, tmp_path, monkeypatch):
    ctx = contexts[3]
    save_dnpy(tmp_path / "a", ctx.fromarray(np.arange(10.0)))
    before = {name: (tmp_path / name).read_bytes() for name in _listing(tmp_path)}
    monkeypatch.setattr(files.uuid, "uuid4", lambda: type("U", (), {"hex": "f" * 32})())
    (tmp_path / (".a_1.dnpy.%s.part" % ("f" * 12))).mkdir()  # worker 1 cannot write there
    with pytest.raises(IsADirectoryError):
        save_dnpy(tmp_path / "a", ctx.fromarray(np.ones(10)))
    assert {name: (tmp_path / name).read_bytes() for name in _listing(tmp_path)} == before
    np.testing.assert_array_equal(load_dnpy(tmp_path / "a", context=ctx).toarray(),
                                  np.arange(10.0))


def test_client_failure_after_workers_wrote_leaves_old_file(contexts, tmp_path, monkeypatch):
    np.save(tmp_path / "a.npy", np.arange(4))
    real_save = files.save

    def save_then_fail(*args, **kwargs):
        real_save(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "save", save_then_fail)
    with pytest.raises(KeyboardInterrupt):
        save_npy(tmp_path / "a.npy", contexts[2].zeros(7))
    assert _listing(tmp_path) == ["a.npy"]
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.arange(4))


# -- HDF5 ------------------------------------------------------------------------------
def test_hdf5_round_trip(case, tmp_path):
    h5py = pytest.importorskip("h5py")
    from distarray.io import load_hdf5, save_hdf5

    d, data = case
    save_hdf5(tmp_path / "a.h5", d, "group/x")
    chunked = {"compression": "gzip", "chunks": tuple(max(1, n // 2) for n in data.shape),
               "maxshape": (None,) * data.ndim} if data.ndim else {}  # scalars: contiguous
    with h5py.File(tmp_path / "a.h5", "a") as file:
        np.testing.assert_array_equal(file["group/x"][()], data)
        file.create_dataset("chunked", data=data * 3, **chunked)
    assert _listing(tmp_path) == ["a.h5"]
    loaded = load_hdf5(tmp_path / "a.h5", "group/x", d.distribution)  # raw offsets
    np.testing.assert_array_equal(loaded.toarray(), data)
    loaded = load_hdf5(tmp_path / "a.h5", "chunked", d.distribution)  # hyperslabs
    np.testing.assert_array_equal(loaded.toarray(), data * 3)


def test_hdf5_layouts_dtypes_and_modes(contexts, tmp_path):
    h5py = pytest.importorskip("h5py")
    from distarray.io import load_hdf5, save_hdf5

    ctx = contexts[3]
    data = sample((13, 3))
    with h5py.File(tmp_path / "a.h5", "w") as file:
        file.create_dataset("big", data=data.astype(">f4"))
        file.create_dataset("other", data=np.arange(3))
        file.create_dataset("words", data=np.array([b"abc", b"de"] * 5, dtype="S3"))
        file.create_dataset("text", data=["a", "bc"], dtype=h5py.string_dtype())
    big = load_hdf5(tmp_path / "a.h5", "big", context=ctx, dist="c")
    assert big.dtype == np.dtype(">f4")
    np.testing.assert_array_equal(big.toarray(), data.astype(">f4"))
    _check_buffers(load_hdf5(tmp_path / "a.h5", "big", _padded(ctx)), data.astype(">f4"))
    words = load_hdf5(tmp_path / "a.h5", "words", context=ctx, dist="c")
    save_hdf5(tmp_path / "a.h5", words, "other")  # replaced; written worker after worker
    with h5py.File(tmp_path / "a.h5", "r") as file:
        assert sorted(file) == ["big", "other", "text", "words"]
        np.testing.assert_array_equal(file["other"][()], np.array([b"abc", b"de"] * 5))
    with pytest.raises(TypeError):
        load_hdf5(tmp_path / "a.h5", "text", context=ctx)
    with pytest.raises(KeyError):
        load_hdf5(tmp_path / "a.h5", "missing", context=ctx)
    with pytest.raises(FileNotFoundError):
        load_hdf5(tmp_path / "missing.h5", "x", context=ctx)
    with pytest.raises(ValueError, match="mode"):
        save_hdf5(tmp_path / "a.h5", big, "x", mode="r")
    save_hdf5(tmp_path / "a.h5", big, "only", mode="w")
    with h5py.File(tmp_path / "a.h5", "r") as file:
        assert list(file) == ["only"]
    (tmp_path / "junk.h5").write_bytes(b"not HDF5")
    with pytest.raises(OSError):
        save_hdf5(tmp_path / "junk.h5", big, "x")  # mode 'a' needs an HDF5 file
    assert (tmp_path / "junk.h5").read_bytes() == b"not HDF5"
    assert _listing(tmp_path) == ["a.h5", "junk.h5"]


# -- zarr ------------------------------------------------------------------------------
def _zarr_round_trip(d, data, directory, chunks=None):
    zarr = pytest.importorskip("zarr")
    from distarray.io import load_zarr, save_zarr

    save_zarr(directory / "a.zarr", d, chunks=chunks)
    np.testing.assert_array_equal(zarr.open_array(directory / "a.zarr", mode="r")[...], data)
    np.testing.assert_array_equal(load_zarr(directory / "a.zarr", d.distribution).toarray(), data)
    assert _listing(directory) == ["a.zarr"]


def test_zarr_round_trip(case, tmp_path):
    _zarr_round_trip(*case, tmp_path)


@pytest.mark.parametrize("name", ["1d-irregular", "1d-blockcyclic", "1d-unstructured", "2d-bc",
                                  "2d-cc", "3d-cbc"])
@pytest.mark.parametrize("nworkers", [3, 4])
def test_zarr_chunks_shared_by_workers(contexts, tmp_path, name, nworkers):
    ctx = contexts[nworkers]
    shape, dist, grid_shape = layout(nworkers, name)
    data = sample(shape)
    d = ctx.fromarray(data, Distribution(ctx, shape, dist=dist, grid_shape=grid_shape))
    _zarr_round_trip(d, data, tmp_path, chunks=(2,) * len(shape))


def test_zarr_halos_replacement_and_errors(contexts, tmp_path):
    zarr = pytest.importorskip("zarr")
    from distarray.io import load_zarr, save_zarr

    ctx = contexts[3]
    data = sample((13, 3))
    source = zarr.create_array(tmp_path / "z", shape=data.shape, chunks=(4, 2), dtype="f8")
    source[...] = data
    _check_buffers(load_zarr(tmp_path / "z", _padded(ctx)), data)
    save_zarr(tmp_path / "z", ctx.fromarray(data[::-1], dist=("c", "n")))
    np.testing.assert_array_equal(zarr.open_array(tmp_path / "z", mode="r")[...], data[::-1])
    assert _listing(tmp_path) == ["z"]
    with pytest.raises(FileNotFoundError):
        load_zarr(tmp_path / "missing", context=ctx)


def test_zarr_default_chunks_follow_the_distribution(contexts):
    from distarray.io.zarr_store import CHUNK_BYTES, default_chunks

    ctx = contexts[4]
    block_cyclic = {"dist_type": "c", "block_size": 3}
    assert default_chunks(Distribution(ctx, (10, 7), dist=("b", "n"), grid_shape=(4, 1)), 8) \
        == (3, 7)
    assert default_chunks(Distribution(ctx, (40, 7), dist=(block_cyclic, "c"),
                                       grid_shape=(2, 2)), 8) == (3, 1)
    assert default_chunks(Distribution(ctx, (0,), dist="b"), 8) == (1,)
    assert default_chunks(Distribution(ctx, ()), 8) == ()
    big = default_chunks(Distribution(ctx, (10**5, 10**4), dist=("b", "n")), 8)
    assert np.prod(big) * 8 <= CHUNK_BYTES


# -- progress --------------------------------------------------------------------------
class _SlowPool:
    """Stands in for a Pool whose command takes a few polls."""

    def __init__(self, polls):
        self.polls = polls

    def finish(self, pending, timeout):
        from distarray.errors import CommandTimeout

        self.polls -= 1
        if self.polls:
            raise CommandTimeout("not yet")
        return {0: pending}


def test_progress_waits_quietly_off_a_terminal(monkeypatch, capsys):
    from distarray import progress

    assert progress.finish(_SlowPool(5), "done", "saving x") == {0: "done"}
    monkeypatch.setattr(progress, "_tqdm", lambda: None)
    assert progress.finish(_SlowPool(3), "again", "saving x") == {0: "again"}
    assert list(progress.iterate([1, 2], "items")) == [1, 2]
    assert capsys.readouterr().err == ""


def test_progress_shows_the_elapsed_time_on_a_terminal(monkeypatch):
    pytest.importorskip("tqdm")
    import io

    from distarray import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    assert progress.finish(_SlowPool(4), "done", "loading big.npy (1.0 MB)") == {0: "done"}
    assert "loading big.npy (1.0 MB): 00:00" in terminal.getvalue()
