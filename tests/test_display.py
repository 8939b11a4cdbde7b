"""Notebook display and pictures of distributions: metadata only, nothing gathered."""

from types import SimpleNamespace

import numpy as np
import pytest

import distarray
from distarray import Distribution
from distarray.display import MAX_ROWS, repr_html
from distarray.plotting import owner_map, plot_distribution

from layouts import LAYOUT_IDS, layout


@pytest.fixture
def no_gathering(monkeypatch):
    """Fail any test that gathers array values."""
    def refuse(*args, **kwargs):
        raise AssertionError("the display gathered data")

    monkeypatch.setattr(distarray.DistArray, "toarray", refuse)
    monkeypatch.setattr(distarray.DistArray, "get_ndarrays", refuse)


@pytest.mark.parametrize("name", LAYOUT_IDS)
def test_repr_html_shows_the_layout(contexts, name, no_gathering):
    ctx = contexts[4]
    shape, dist, grid_shape = layout(4, name)
    d = distarray.zeros(Distribution(ctx, shape, dist=dist, grid_shape=grid_shape), dtype="i2")
    text = repr_html(d)
    assert text.count("<tr>") == 7 + d.distribution.nprocs
    for expected in (str(d.shape), "int16", str(d.grid_shape), str(list(d.targets))):
        assert expected in text
    for shape in d.localshapes():
        assert "<td>%s</td>" % (shape,) in text


def test_repr_html_of_block_cyclic_on_a_closed_context(contexts):
    ctx = distarray.Context(targets=[2, 0])
    d = ctx.zeros((10, 4), dist=({"dist_type": "c", "block_size": 3}, "n"))
    ctx.close()
    text = repr_html(d)
    assert "(c(3), n)" in text and "[2, 0]" in text and "40 elements, 320 B" in text


def test_repr_html_of_many_workers_is_short():
    context = SimpleNamespace(targets=tuple(range(40)))
    d = SimpleNamespace(distribution=Distribution(context, (1000, 7)), dtype=np.dtype("<f8"))
    text = repr_html(d)
    assert text.count("<tr>") == 7 + MAX_ROWS + 1
    assert "%d more workers" % (40 - MAX_ROWS) in text and "56 kB" in text


def test_owner_map_matches_the_distribution(contexts):
    ctx = contexts[4]
    distribution = Distribution(ctx, (5, 9), dist=("c", "b"), grid_shape=(2, 2))
    owners = owner_map(distribution)
    for i in range(distribution.nprocs):
        assert np.all(owners[np.ix_(*distribution.global_index_arrays(i))] == i)


def test_plot_distribution(contexts, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ctx = contexts[3]
    d = ctx.fromarray(np.arange(20.0).reshape(4, 5), dist=("b", "c"), grid_shape=(1, 3))
    plot_distribution(d, values=True, filename=tmp_path / "two.png")
    plot_distribution(ctx.arange(10, dist="c"), filename=tmp_path / "one.png")
    for name in ("one.png", "two.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    figure, ax = plt.subplots()
    assert plot_distribution(d.distribution, ax=ax, title="layout") is ax
    assert ax.get_title() == "layout" and len(ax.get_legend().get_texts()) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["worker 0", "worker 1",
                                                                   "worker 2"]
    plt.close(figure)
    with pytest.raises(ValueError, match="1-D and 2-D"):
        plot_distribution(ctx.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="values"):
        plot_distribution(ctx.zeros(2000), values=True)
