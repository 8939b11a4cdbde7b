"""Convolution and correlation of 1-D DistArrays: ``convolve``, ``correlate``.

The longer input is the signal (as in NumPy) and the shorter one the kernel.
In ``'same'`` mode on a signal in one piece or in blocks of at least the
kernel's length, with a NumPy kernel, each worker grows its piece by its
neighbours' cells (zeros beyond the ends) and NumPy convolves it into the
result's piece: one command, the result laid out as the signal.  Otherwise
the signal is zero-padded with :func:`.shape.pad` for the ``'same'`` and
``'full'`` modes; then only the cells at piece boundaries move between
neighbouring workers.  With a NumPy kernel each block of the signal is grown
by ``len(kernel) - 1`` cells of its neighbours (:func:`.stencils.map_overlap`)
and NumPy convolves it.  A DistArray kernel (or a kernel longer than a
piece) gives a sum over the taps of shifted views of the signal times the
tap, a one-element view of the kernel broadcast to the signal's pieces.
Arguments are checked on the client by NumPy itself, on stand-ins of one
element.
"""

import numpy as np

from .calculus import _weighted_sum
from .creation import fromarray
from .darray import DistArray
from ..runtime.messages import Ref
from .dispatch import implements
from .indexing import redistribute
from .shape import pad
from .sorting import tiny_standin, as_input
from .stencils import halo_ready, map_overlap

__all__ = ["convolve", "correlate"]


def _checked(function, a, v, mode):
    """``((a, v), dtype)``: the inputs as 1-D arrays and NumPy's result dtype, after NumPy's
    checks (on one-element stand-ins)."""
    a, v = as_input(a), as_input(v)
    dtype = function(tiny_standin(a.shape, a.dtype), tiny_standin(v.shape, v.dtype), mode).dtype
    return (x.reshape(1) if x.ndim == 0 else x for x in (a, v)), dtype


def _taps(kernel):
    """The kernel's values one by one: scalars, or one-element views of a DistArray."""
    if isinstance(kernel, DistArray):
        return [kernel[i:i + 1] for i in range(len(kernel))]
    return list(kernel)


def _valid_products(grown, taps):
    """``sum_j grown[i + j] * taps[j]`` at each ``i`` (0 where the taps run past the end)."""
    out = np.zeros_like(grown)
    if len(grown) >= len(taps):
        out[:len(grown) - len(taps) + 1] = np.convolve(grown, taps[::-1], "valid")
    return out


def _grown_blocks(signal, depth):
    """``signal`` in the default (block) layout if its pieces can be grown by ``depth``
    cells of their neighbours, else None."""
    default = signal.context.default_distribution(signal.shape)
    if any(0 < n < depth for (n,) in default.owned_shapes()):
        return None
    return signal if signal.distribution == default else redistribute(signal, default)


def _blocks_of_at_least(signal, m):
    """Whether ``signal``'s pieces can be grown by their neighbours' cells and hold at least
    ``m`` cells each."""
    dist = signal.distribution
    return halo_ready(dist) and all(n >= m for (n,) in dist.owned_shapes())


def _slide(signal, kernel, mode, dtype, context):
    """``sum_j signal[k + j] * kernel[j]`` with NumPy's zero padding for ``mode``."""
    m = len(kernel)
    left, right = {"valid": (0, 0), "same": (m // 2, (m - 1) // 2), "full": (m - 1, m - 1)}[mode]
    if not isinstance(signal, DistArray):
        signal = fromarray(np.asarray(signal, dtype), context=context)
    signal = signal.astype(dtype, copy=False)
    kernel = kernel.astype(dtype, copy=False)
    if mode == "same" and not isinstance(kernel, DistArray) and _blocks_of_at_least(signal, m):
        key = context.pool.new_key()
        dist = signal.distribution
        context.pool.run("convolve_piece", Ref(signal.key), Ref(context.layout(dist)), kernel,
                         left, right, targets=dist.targets, out=key, tag=True)
        return DistArray._wrap(dist, dtype, key)
    if mode != "valid" and m > 1:
        signal = pad(signal, (left, right))
    n = len(signal) - m + 1
    blocks = None if isinstance(kernel, DistArray) else _grown_blocks(signal, m - 1)
    if blocks is not None:
        return map_overlap(blocks, _valid_products, m - 1, boundary=0, taps=kernel)[:n]
    return _weighted_sum((tap, signal[j:j + n]) for j, tap in enumerate(_taps(kernel)))


def _context(a, v):
    return (a if isinstance(a, DistArray) else v).context


@implements(np.convolve)
def convolve(a, v, mode="full"):
    """Discrete linear convolution of two 1-D sequences, as :func:`numpy.convolve`.

    One of them is a DistArray (the other may be a NumPy array or a list);
    the result is a 1-D DistArray.
    """
    if not isinstance(a, DistArray) and not isinstance(v, DistArray):
        return np.convolve(a, v, mode)
    context = _context(a, v)
    (a, v), dtype = _checked(np.convolve, a, v, mode)
    if len(v) > len(a):
        a, v = v, a
    return _slide(a, v[::-1], mode, dtype, context)


@implements(np.correlate)
def correlate(a, v, mode="valid"):
    """Cross-correlation ``c[k] = sum_n a[n + k] * conj(v[n])``, as :func:`numpy.correlate`.

    One of the 1-D sequences is a DistArray; when ``v`` is the longer one
    the roles swap and the result is reversed, as NumPy does.
    """
    if not isinstance(a, DistArray) and not isinstance(v, DistArray):
        return np.correlate(a, v, mode)
    context = _context(a, v)
    (a, v), dtype = _checked(np.correlate, a, v, mode)
    v = np.conjugate(v) if v.dtype.kind == "c" else v
    if len(v) > len(a):
        return _slide(v, a, mode, dtype, context)[::-1]
    return _slide(a, v, mode, dtype, context)
