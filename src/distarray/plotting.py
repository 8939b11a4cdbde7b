"""Pictures of distributions (matplotlib, optional): which worker owns which element."""

import numpy as np

#: Largest array whose values ``plot_distribution`` writes into the cells.
MAX_ANNOTATED = 1024


def owner_map(distribution):
    """An int array of the distribution's shape: each element's owner (index into targets).

    Computed from the metadata alone.  An unstructured index held by several
    workers shows the last of them.
    """
    owners = np.empty(distribution.shape, dtype=np.intp)
    for i in range(distribution.nprocs):
        owners[np.ix_(*distribution.global_index_arrays(i))] = i
    return owners


def plot_distribution(d, values=False, ax=None, filename=None, cmap="tab10", title=None):
    """Draw a 1-D or 2-D DistArray (or Distribution), each element coloured by its worker.

    Parameters
    ----------
    d : DistArray or Distribution
    values : bool
        Write each element's value into its cell (DistArrays of at most
        :data:`MAX_ANNOTATED` elements; the values are gathered).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    filename : str or os.PathLike, optional
        Save the figure there (PNG, or the format the extension names); a
        figure made here is then closed.
    cmap : str or Colormap
        Colours of the workers.
    title : str, optional
        Default: shape, dist and grid.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib import colormaps, patches
    from matplotlib.colors import ListedColormap

    distribution = getattr(d, "distribution", d)
    if distribution.ndim not in (1, 2):
        raise ValueError("plot_distribution draws 1-D and 2-D arrays, not %d-D"
                         % distribution.ndim)
    data = None
    if values:
        if not hasattr(d, "toarray") or d.size > MAX_ANNOTATED:
            raise ValueError("values=True needs a DistArray of at most %d elements"
                             % MAX_ANNOTATED)
        data = np.atleast_2d(d.toarray())
    owners = np.atleast_2d(owner_map(distribution))
    nprocs = distribution.nprocs
    base = colormaps[cmap] if isinstance(cmap, str) else cmap
    colours = ListedColormap(base(np.arange(nprocs) % base.N))
    figure = None
    if ax is None:
        import matplotlib.pyplot as plt

        figure, ax = plt.subplots(figsize=(min(12, 2 + 0.4 * owners.shape[1]),
                                           min(9, 1.5 + 0.4 * owners.shape[0])))
    ax.imshow(owners, cmap=colours, vmin=-0.5, vmax=nprocs - 0.5, interpolation="nearest",
              aspect="auto" if distribution.ndim == 1 else "equal")
    if data is not None:
        short = "{:.3g}".format if data.dtype.kind in "fc" else str
        for (row, col), value in np.ndenumerate(data):
            ax.text(col, row, short(value), ha="center", va="center", fontsize=8)
    if distribution.ndim == 1:
        ax.set_yticks([])
    ax.legend(handles=[patches.Patch(color=colours(i), label="worker %d" % t)
                       for i, t in enumerate(distribution.targets)],
              loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0, fontsize=8)
    ax.set_title(title or "shape %s, dist %s, grid %s" % (
        distribution.shape, distribution.dist, distribution.grid_shape), fontsize=9)
    if filename is not None:
        ax.figure.savefig(filename, bbox_inches="tight")
        if figure is not None:
            import matplotlib.pyplot as plt

            plt.close(figure)
    return ax
