"""Elementwise ufunc calls on the workers, with operands brought into place first."""

import itertools
import math

import numpy as np
from mpi4py import MPI

from ..plan.exchange import needed_indices
from ..plan.grid import coords_from_rank
from .buffers import TAG_SPAN, as_bytes
from .exchange import Blocks, gather_blocks
from . import memory
from .localarray import LocalArray
from .registry import command


def operand_value(spec, k, world, data, tag, dst_maps, dst_targets, as_blocks=False):
    """The value of one operand spec on this worker (None where it is not needed).

    With ``as_blocks``, an operand brought from other layouts may come as
    :class:`Blocks` (use :func:`cells` and :func:`cut` to compute on it).
    """
    kind = spec[0]
    if kind == "local":
        return None if spec[1] is None else spec[1].owned
    if kind == "value":
        return spec[1]
    if kind == "gather":
        _, source, dtype, src_maps, src_targets, axes = spec
        return gather_blocks(world, tag * TAG_SPAN + k, source, dtype, src_maps, src_targets,
                             dst_maps, dst_targets, axes, as_blocks)
    _, dtype, axes = spec  # "client": this worker's part of a NumPy operand
    if world.Get_rank() not in dst_targets:
        return None
    coords = coords_from_rank(dst_targets.index(world.Get_rank()),
                              tuple(m.grid_size for m in dst_maps))
    part = np.empty(tuple(map(len, needed_indices(dst_maps, coords, axes))), dtype)
    if part.size:
        data.Recv([as_bytes(part), MPI.BYTE], source=0, tag=tag)
    return part


def operand_values(specs, world, data, tag, dst_maps, dst_targets):
    """The values of operand ``specs`` on this worker, as :func:`operand_value` with
    ``as_blocks`` (use :func:`cells` and :func:`cut` to compute on them)."""
    return [operand_value(spec, k, world, data, tag, dst_maps, dst_targets, as_blocks=True)
            for k, spec in enumerate(specs)]


@command
def ufunc_call(world, data, layout, ufunc, dst_maps, dst_targets, operands, where, outputs,
               kwargs, errstate, tag):
    """``ufunc(*operands, out=..., where=..., **kwargs)`` on the owned cells.

    Parameters
    ----------
    layout : Layout or None
        The result's layout (None on workers that only send operand data).
    operands : list of tuple
        Operand specs: ``("local", LocalArray)`` (same layout as the result),
        ``("value", scalar)``, ``("gather", LocalArray or None, dtype,
        src_maps, src_targets, axes)`` (another layout, brought over, with
        broadcasting) or ``("client", dtype, axes)`` (sent by the client).
    where : tuple
        An operand spec for the ``where`` mask.
    outputs : list of tuple
        ``("new", dtype)`` for a new array, ``("local", LocalArray)`` for
        an existing one (``out=``), or ``("reuse", LocalArray, dtype)`` for a
        new array that may take the buffer of that operand, a temporary the
        client drops (when no view of it exists here).
    errstate : dict
        The client's ``np.geterr()``, in force during the call.

    Returns
    -------
    list of LocalArray or None
        The new output arrays, on the result's workers.
    """
    # New outputs come first: a reused buffer must have no view yet (operands make some).
    new = [] if layout is None else [_new_output(spec, layout) for spec in outputs
                                     if spec[0] != "local"]
    values = operand_values((*operands, where), world, data, tag, dst_maps, dst_targets)
    if layout is None:
        return None
    made = iter(new)
    out = tuple((spec[1] if spec[0] == "local" else next(made)).owned for spec in outputs)
    if out[0].size == 0:
        return new
    with np.errstate(**errstate):
        if not any(isinstance(v, Blocks) for v in values):
            ufunc(*values[:-1], out=out, where=values[-1], **kwargs)
            return new
        for cell in cells(out[0].shape, values):
            ufunc(*(cut(v, cell) for v in values[:-1]), out=tuple(cut(o, cell) for o in out),
                  where=cut(values[-1], cell), **kwargs)
    return new


#: Elements of one chunk of a fused evaluation: its temporaries stay in cache.
CHUNK_ELEMENTS = 1 << 15


@command
def fused_call(world, data, layout, dst_maps, dst_targets, operands, program, dtype, errstate,
               tag):
    """Evaluate an elementwise ``program`` on the owned cells, chunk by chunk.

    Parameters
    ----------
    layout : Layout or None
        The result's layout (None on workers that only send operand data).
    operands : list of tuple
        Operand specs, as for :func:`ufunc_call`.
    program : list of tuple
        Steps ``(function, args, dtype)``, the function a ufunc,
        :func:`cast_into` or :func:`where_into`; each arg is ``("operand", k)``,
        ``("step", j)`` (an earlier step's result) or ``("value", scalar)``.
        The last step's result is the result (of ``dtype``).
    errstate : dict
        The client's ``np.geterr()``, in force during the call.

    Returns
    -------
    LocalArray or None
        The result, on the result's workers.

    Notes
    -----
    Each chunk (rows of at most :data:`CHUNK_ELEMENTS` elements) runs all
    steps before the next begins, so intermediate results never leave the
    cache: one pass over memory instead of one per step.
    """
    new = None if layout is None else LocalArray.empty(layout, dtype)
    values = operand_values(operands, world, data, tag, dst_maps, dst_targets)
    if layout is None or new.owned.size == 0:
        return new
    with np.errstate(**errstate):
        for cell in cells(new.owned.shape, values):
            for _ in program_chunks(program, [cut(v, cell) for v in values], cut(new.owned, cell)):
                pass
    return new


def program_chunks(program, values, out):
    """Run ``program`` on ``values`` (broadcast against ``out``) by chunks of rows; yield each
    chunk's value.

    ``out`` is the array the values are written to, or only its shape (the
    values then live in a scratch buffer, each until the next chunk).
    """
    shape = out if isinstance(out, tuple) else out.shape
    row = math.prod(shape[1:])
    rows = max(1, CHUNK_ELEMENTS // row) if shape else 1
    slots, dtypes = _slots(program, into=not isinstance(out, tuple))
    scratch = [np.empty(min(rows, shape[0]) * row if shape else 1, dtype) for dtype in dtypes]
    for start in range(0, shape[0] if shape else 1, rows):
        size = min(rows, shape[0] - start) if shape else 1
        chunk = (size,) + shape[1:] if shape else ()
        results = []
        for (ufunc, args, _), slot in zip(program, slots):
            target = (out[start:start + rows] if shape else out) if slot is None else \
                scratch[slot][:math.prod(chunk)].reshape(chunk)
            ufunc(*(_rows(values[i], start, rows, len(shape)) if kind == "operand" else
                    results[i] if kind == "step" else i for kind, i in args), out=target)
            results.append(target)
        yield results[-1]


def cast_into(x, out):
    """``x.astype(out.dtype)`` written into ``out`` (a step of a fused program)."""
    np.copyto(out, x, casting="unsafe")


def where_into(condition, x, y, out):
    """``np.where(condition, x, y)`` written into ``out`` (a step of a fused program)."""
    np.copyto(out, y, casting="unsafe")
    np.copyto(out, x, casting="unsafe", where=np.asarray(condition).astype(bool, copy=False))


def _slots(program, into=True):
    """Which scratch buffer holds each step's result (None: the output), and their dtypes.

    ``into``: the last step writes to the output (else to a scratch buffer too).

    A buffer is reused once the result it holds is used for the last time,
    so that few buffers, all in cache, serve a long program.  A ufunc may
    write over its own input; other step functions (:func:`where_into`)
    write before they have read all inputs, so theirs are freed after them.
    """
    last_use = {}
    for j, (_, args, _) in enumerate(program):
        for kind, i in args:
            if kind == "step":
                last_use[i] = j
    slots, dtypes, free = [], [], []
    for j, (function, args, dtype) in enumerate(program):
        done = [slots[i] for i in {i for kind, i in args if kind == "step"}
                if last_use[i] == j and slots[i] is not None]
        in_place = isinstance(function, np.ufunc)
        if in_place:
            free += done
        if into and j == len(program) - 1:
            slots.append(None)
        else:
            slot = next((k for k in free if dtypes[k] == dtype), None)
            if slot is None:
                slot = len(dtypes)
                dtypes.append(dtype)
            else:
                free.remove(slot)
            slots.append(slot)
        if not in_place:
            free += done
    return slots, dtypes


def _rows(value, start, rows, ndim):
    """The rows ``start:start + rows`` of an operand broadcast against an ``ndim``-d result."""
    if np.ndim(value) < ndim or ndim == 0 or value.shape[0] == 1:
        return value
    return value[start:start + rows]


def _new_output(spec, layout):
    """The piece of a new output: the temporary operand's own if it may be reused."""
    if spec[0] == "reuse" and spec[1].ndarray.shape == layout.shape \
            and memory.private(spec[1].ndarray):
        return LocalArray(spec[1].ndarray, layout)
    return LocalArray.empty(layout, spec[-1])


def cells(shape, values):
    """The rectangles on which every operand is one array (one cell when none is blocked)."""
    cuts = []
    for axis, n in enumerate(shape):
        points = {0, n}
        for v in values:
            if isinstance(v, Blocks):
                points |= v.breakpoints(axis)
        points = sorted(points)
        cuts.append(list(zip(points[:-1], points[1:])) or [(0, 0)])
    return itertools.product(*cuts)


def cut(value, cell):
    """The part of an operand (broadcast against the piece) covering ``cell``."""
    if isinstance(value, Blocks):
        return value.cut(cell)
    if np.ndim(value) == 0 or len(cell) == 0:
        return value
    offset = len(cell) - value.ndim
    return value[tuple(slice(None) if n == 1 else slice(*cell[a + offset])
                       for a, n in enumerate(value.shape))]


@command
def assign(world, data, layout, dst_maps, dst_targets, target, value, where, tag):
    """Copy operand ``value`` into ``target``'s owned cells (NumPy's unsafe casting)."""
    values = operand_values((value, where), world, data, tag, dst_maps, dst_targets)
    if layout is not None and target.owned.size:
        for cell in cells(target.owned.shape, values):
            np.copyto(cut(target.owned, cell), cut(values[0], cell), casting="unsafe",
                      where=cut(values[1], cell))
