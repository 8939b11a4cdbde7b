"""Fourier transforms on the workers.

* :func:`fft_along`: NumPy's FFTs along axes each piece holds whole;
* :func:`four_step_fft`: one FFT along a distributed axis, no process holding
  the whole axis (see :mod:`distarray.plan.fft` for the layouts).  With
  ``A[i, j] = x[i * n2 + j]`` (``n = n1 * n2``, ``w = exp(-2j pi / n)``)::

      X[k1 + n1 * k2] = sum_j w**(n1 * j * k2) * w**(j * k1) * sum_i w**(n2 * i * k1) A[i, j]

  that is: length-``n1`` FFTs of the columns, a twiddle factor ``w**(j * k1)``,
  length-``n2`` FFTs of the rows.  The matrix moves rows -> columns -> rows ->
  columns, one exchange each, the receivers writing the blocks transposed (so
  every FFT runs along contiguous memory); the last layout holds contiguous
  segments of ``X``, which a last (neighbour) exchange evens out when needed.
  The sub-transforms are unscaled; the result is multiplied by NumPy's
  normalization factor, computed on the client.
"""

import math

import numpy as np

from .buffers import TAG_SPAN
from .exchange import gather_blocks
from .localarray import Layout, LocalArray
from .progress import wait_all
from .registry import command


@command
def fft_along(local, layout, steps, norm):
    """Apply ``numpy.fft.<name>(x, n=n, axis=axis, norm=norm)`` for each ``(name, n, axis)``.

    Every transformed axis is undistributed in both the input and ``layout``.  An
    ``irfft`` of an empty axis transforms one zero instead (the same zero-padded input:
    NumPy's ``irfft`` leaves its result unset there).
    """
    x = local.owned
    for name, n, axis in steps:
        if name == "irfft" and not x.shape[axis]:
            x = np.zeros(x.shape[:axis] + (1,) + x.shape[axis + 1:], x.dtype)
        x = getattr(np.fft, name)(x, n=n, axis=axis, norm=norm)
    return LocalArray.from_owned(x, layout)


def _divisor_near_root(n):
    """The largest divisor of ``n`` not above ``sqrt(n)``."""
    return next(d for d in range(math.isqrt(n), 0, -1) if n % d == 0)


def _roots(exponents, n, sign, dtype):
    """``exp(sign * 2j * pi * exponents / n)``, the exponents reduced modulo ``n`` first."""
    return np.exp((sign * 2j * np.pi / n) * (exponents % n)).astype(dtype, copy=False)


def apply_twiddles(block, n, first_row, sign):
    """Multiply ``block[..., j, k]`` in place by ``exp(sign * 2j pi * (first_row + j) * k / n)``.

    ``block`` is C-contiguous.  With ``k = a * t + b`` the factor is the
    product of two small tables (``t`` near ``sqrt`` of the last axis length):
    few exponentials, two multiplications per element.
    """
    height, length = block.shape[-2:]
    t = _divisor_near_root(length)
    rows = np.arange(first_row, first_row + height)
    split = block.reshape(-1, height, length // t, t)
    split *= _roots(np.multiply.outer(rows, np.arange(0, length, t)), n, sign,
                    block.dtype)[:, :, np.newaxis]
    split *= _roots(np.multiply.outer(rows, np.arange(t)), n, sign, block.dtype)[:, np.newaxis]


class _Stages:
    """The exchanges of one :func:`four_step_fft` (all pieces on the same processes)."""

    def __init__(self, world, comm, targets, tag):
        self.world, self.comm, self.targets, self.tag = world, comm, targets, tag
        self.rank = targets.index(world.Get_rank())

    def _piece(self, maps):
        """The layout of this process's piece (its axis split by ``maps``, if any)."""
        return Layout(maps, tuple(self.rank if m.grid_size > 1 else 0 for m in maps))

    def _gather(self, x, src_maps, dst_maps, axes, out=None):
        """:func:`gather_blocks` from the pieces ``x`` of ``src_maps``, after a barrier."""
        wait_all([self.comm.Ibarrier()])  # every peer is ready: the transfer is not held up
        self.tag += 1
        return gather_blocks(self.world, self.tag, LocalArray(x, self._piece(src_maps)),
                             x.dtype, src_maps, self.targets, dst_maps, self.targets, axes,
                             out=out)

    def transpose(self, x, src_maps, dst_maps):
        """This process's piece of ``dst_maps`` from its piece ``x`` of ``src_maps``.

        The last two axes of the source are the destination's, swapped: the
        blocks are written transposed into a new C-contiguous piece.
        """
        piece = np.empty(self._piece(dst_maps).owned_shape, x.dtype)
        self._gather(x, src_maps, dst_maps, (0, 2, 1), out=piece.transpose(0, 2, 1))
        return piece

    def even_out(self, segment, src_maps, layout):
        """The result piece of ``layout`` from this process's ``segment`` of ``src_maps``."""
        if src_maps == layout.maps:  # the segments are the even blocks already
            return LocalArray(np.ascontiguousarray(segment), layout)
        owned = self._gather(segment, src_maps, layout.maps, tuple(range(len(src_maps))))
        return LocalArray.from_owned(owned, layout)


def _first(maps, axis, rank):
    """The first global index of ``rank``'s block along ``axis``."""
    return maps[axis].bounds[rank]


def _lines(x, axis, count):
    """An n-D piece as ``(count, length along axis)``: its ``count`` batch lines."""
    return np.moveaxis(x, axis, -1).reshape(count, x.shape[axis])


def _matrix_rows(raw, plan, rank, name, dtype):
    """The input piece as this process's rows of the ``n1 x n2`` matrices, zero-padded.

    A view of ``raw`` when it holds whole rows of ``dtype`` (read only, as
    ``raw`` may be the input's piece).  For ``irfft``, the Hermitian-symmetric
    spectrum is folded onto its first half (points ``1 <= k < n/2`` doubled):
    the real part of the inverse complex FFT of that is the ``irfft``.
    """
    rows = plan.row_maps()[1].owned_count(rank)
    start = _first(plan.input_maps(), plan.axis, rank)
    lines = _lines(raw, plan.axis, plan.lines)
    if lines.shape[1] == rows * plan.n2 and lines.dtype == dtype and name != "irfft":
        return lines.reshape(plan.lines, rows, plan.n2)
    matrix = np.zeros((plan.lines, rows * plan.n2), dtype)
    matrix[:, :lines.shape[1]] = lines
    if name == "irfft":
        low, high = max(start, 1), min(start + lines.shape[1], (plan.n + 1) // 2)
        matrix[:, max(low - start, 0):max(high - start, 0)] *= 2
    return matrix.reshape(plan.lines, rows, plan.n2)


def _segment(columns, plan, rank, name):
    """The result segment of this process (columns layout), back in the n-D shape."""
    length = plan.segment_maps()[plan.axis].owned_count(rank)
    lines = columns.reshape(plan.lines, -1)[:, :length]
    if name == "irfft":
        lines = lines.real
    return np.moveaxis(lines.reshape(*plan.batch, length), -1, plan.axis)


@command
def four_step_fft(world, source, dtype, src_maps, targets, layout, plan, name, scale,
                  complex_dtype, result_dtype, tag):
    """``numpy.fft.<name>`` (``n=plan.n``) along a distributed axis, as a distributed FFT.

    The work is done in ``complex_dtype``, the result multiplied by ``scale`` and
    cast to ``result_dtype``; the result piece has ``layout``: the other axes
    whole, the transformed axis split evenly.
    """
    stages = _Stages(world, layout.comm, targets, tag * TAG_SPAN)
    rank = stages.rank
    raw = source.owned if src_maps == plan.input_maps() else gather_blocks(
        world, stages.tag, source, dtype, src_maps, targets, plan.input_maps(), targets,
        tuple(range(len(src_maps))))
    rows = _matrix_rows(raw, plan, rank, name, complex_dtype)
    sign, transform, unscaled = ((1, np.fft.ifft, "forward") if name in ("ifft", "irfft")
                                 else (-1, np.fft.fft, "backward"))
    columns = transform(stages.transpose(rows, plan.row_maps(), plan.column_maps()),
                        norm=unscaled)
    apply_twiddles(columns, plan.n, _first(plan.column_maps(), 1, rank), sign)
    rows = transform(stages.transpose(columns, plan.column_maps(), plan.row_maps()),
                     norm=unscaled)
    if scale != 1:
        rows *= scale
    segment = _segment(stages.transpose(rows, plan.row_maps(), plan.column_maps()), plan, rank,
                       name)
    return stages.even_out(segment.astype(result_dtype, copy=False), plan.segment_maps(), layout)
