"""Elementwise ufunc calls on the workers, with operands brought into place first."""

import numpy as np
from mpi4py import MPI

from ..plan.exchange import needed_indices
from ..plan.grid import coords_from_rank
from .buffers import TAG_SPAN, as_bytes
from .exchange import gather_blocks
from .localarray import LocalArray
from .registry import command


def _operand(spec, k, world, data, tag, dst_maps, dst_targets):
    """The value of one operand spec on this worker (None where it is not needed)."""
    kind = spec[0]
    if kind == "local":
        return None if spec[1] is None else spec[1].owned
    if kind == "value":
        return spec[1]
    if kind == "gather":
        _, source, dtype, src_maps, src_targets, axes = spec
        return gather_blocks(world, tag * TAG_SPAN + k, source, dtype, src_maps, src_targets,
                             dst_maps, dst_targets, axes)
    _, dtype, axes = spec  # "client": this worker's part of a NumPy operand
    if world.Get_rank() not in dst_targets:
        return None
    coords = coords_from_rank(dst_targets.index(world.Get_rank()),
                              tuple(m.grid_size for m in dst_maps))
    part = np.empty(tuple(map(len, needed_indices(dst_maps, coords, axes))), dtype)
    if part.size:
        data.Recv([as_bytes(part), MPI.BYTE], source=0, tag=tag)
    return part


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
        ``("new", dtype)`` for a new array or ``("local", LocalArray)`` for
        an existing one (``out=``).
    errstate : dict
        The client's ``np.geterr()``, in force during the call.

    Returns
    -------
    list of LocalArray or None
        The new output arrays, on the result's workers.
    """
    values = [_operand(spec, k, world, data, tag, dst_maps, dst_targets)
              for k, spec in enumerate((*operands, where))]
    if layout is None:
        return None
    new = [LocalArray.empty(layout, spec[1]) for spec in outputs if spec[0] == "new"]
    made = iter(new)
    out = tuple((next(made) if spec[0] == "new" else spec[1]).owned for spec in outputs)
    with np.errstate(**errstate):
        ufunc(*values[:-1], out=out, where=values[-1], **kwargs)
    return new


@command
def assign(world, data, layout, dst_maps, dst_targets, target, value, where, tag):
    """Copy operand ``value`` into ``target``'s owned cells (NumPy's unsafe casting)."""
    values = [_operand(spec, k, world, data, tag, dst_maps, dst_targets)
              for k, spec in enumerate((value, where))]
    if layout is not None:
        np.copyto(target.owned, values[0], casting="unsafe", where=values[1])
