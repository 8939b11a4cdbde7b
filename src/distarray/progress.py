"""Progress display for long-running work: shown on a terminal only, with tqdm if installed.

Nothing is shown for work that ends within :data:`DELAY` seconds, when standard
error is not a terminal (pipes, logs, CI), or when tqdm is not installed.
"""

import contextlib

from .errors import CommandTimeout

#: Seconds of work after which a progress display appears.
DELAY = 1.0
#: Seconds between two updates of the display.
TICK = 0.2


def _tqdm():
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


@contextlib.contextmanager
def _elapsed(label):
    """A display of ``label`` and the elapsed time; yields its refresh function."""
    tqdm = _tqdm()
    if tqdm is None:
        yield lambda: None
        return
    with tqdm(desc=label, bar_format="{desc}: {elapsed}", disable=None, leave=False) as bar:
        yield bar.refresh


def finish(pool, pending, label):
    """Wait for a command posted with ``pool.start``; return ``{rank: result}``.

    After :data:`DELAY` seconds ``label`` and the elapsed time are shown.
    """
    try:
        return pool.finish(pending, DELAY)
    except CommandTimeout:
        pass
    with _elapsed(label) as refresh:
        while True:
            try:
                return pool.finish(pending, TICK)
            except CommandTimeout:
                refresh()


def iterate(items, label):
    """Iterate over ``items`` with a progress bar on a terminal."""
    tqdm = _tqdm()
    return iter(items) if tqdm is None else tqdm(items, desc=label, disable=None, leave=False)
