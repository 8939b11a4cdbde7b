"""Discrete Fourier transforms of DistArrays: ``distarray.fft`` mirrors ``numpy.fft``.

Every transform runs NumPy's FFT on the workers along axes that each piece
holds whole.  A transform along an undistributed axis needs no communication;
for a distributed axis the array is first redistributed (one all-to-all, each
element moving once) so that the axis is undistributed, the process grid
moving to the other axes: slabs for 2-D arrays, pencils for 3-D ones.
``fftn``/``ifftn``/``rfftn``/``irfftn`` go through successive such layouts,
transforming in each every pending axis it holds whole.

**The result is left in the layout of the last transform** (its transformed
axes undistributed); call :meth:`DistArray.redistribute` to bring it back.

A 1-D array has no other axis to move the grid to (nor has an n-D array
whose other axes hold fewer elements than there are processes).  Such a
transform of ``n = n1 * n2`` points runs as a distributed *four-step* FFT
(see :mod:`distarray.local.fft_kernels`): length-``n1`` FFTs, twiddle
factors, length-``n2`` FFTs, with three transposes of the ``n1 x n2`` matrix
(each one exchange) so that no process ever holds the whole axis; one more
exchange, between neighbours, evens out the result, which comes back **split
in even blocks along the transformed axis** over the input's processes (the
other axes whole).  ``n1`` and ``n2`` are chosen near ``sqrt(n)``, both at
least the number of processes and if possible multiples of it.  ``rfft``
transforms the real input as complex data and keeps the first half;
``irfft`` folds the Hermitian spectrum onto its first half and keeps the real
part of the inverse transform.  When ``n`` has no such factors (``n`` prime,
``n < processes**2``) or the data are ``longdouble``, the transform runs on
one worker (the array is gathered there, then stays there).

``hfft``/``ihfft`` are ``irfft`` of the conjugate and the conjugate of
``rfft``, with the opposite normalization (as NumPy defines them).
``fftshift``/``ifftshift`` are :func:`distarray.roll` by half of each axis;
``fftfreq``/``rfftfreq`` make DistArrays placed as :func:`distarray.arange`
places its result.

Arguments (``n``, ``s``, ``axes``, ``norm``, dtypes, ``out``) are checked on
the client as NumPy checks them, before anything is sent; result dtypes are
NumPy's (``float32`` input gives ``complex64``).  ``out=`` (a DistArray) gets
the result cast as NumPy's ``same_kind`` rule allows (the n-D transforms round
to its dtype once, at the end, not after each axis as NumPy does) and keeps
its layout.
"""

import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .api.creation import arange
from .api.darray import DistArray
from .api.dispatch import implements
from .api.indexing import redistribute
from .api.shape import roll
from .api.sorting import as_distarray, as_input, local_axes_distribution
from .api.ufuncs import assign
from .errors import warn
from .plan.distribution import Distribution
from .plan.fft import FourStep, four_step_factors
from .plan.maps import UndistributedMap
from .runtime.messages import WORLD, Ref

__all__ = ["fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn",
           "ifftn", "rfftn", "irfftn", "hfft", "ihfft", "fftshift", "ifftshift", "fftfreq",
           "rfftfreq"]


def _is_local(m):
    return m.grid_size == 1 and m == UndistributedMap(m.size)


def _points(n):
    """``n`` as an int, raising NumPy's error when it is below 1."""
    n = operator.index(n)
    if n < 1:
        raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
    return n


def _length(name, n, m):
    """The points of transform ``name`` given ``n`` (None: its default) on an axis of ``m``."""
    return _points((m - 1) * 2 if name == "irfft" and n is None else m if n is None else n)


def _out_length(name, n):
    return n // 2 + 1 if name == "rfft" else n


def _check(name, dtype, norm):
    """NumPy's errors for the dtype and ``norm``; the result dtype."""
    return getattr(np.fft, name)(np.zeros(2, dtype), norm=norm).dtype


def _check_out(out, shape, dtype):
    """NumPy's errors for an ``out`` that cannot take a result of ``shape`` and ``dtype``."""
    if out is None:
        return
    if not isinstance(out, DistArray):
        raise TypeError("distarray.fft functions take out= as a DistArray")
    if out.shape != tuple(shape):
        raise ValueError("output array has wrong shape.")
    if not np.can_cast(dtype, out.dtype, "same_kind"):
        raise TypeError("Cannot cast FFT output from %r to %r with casting rule 'same_kind'"
                        % (np.dtype(dtype), out.dtype))


def _written(result, out):
    """``result``, or ``out`` holding it."""
    if out is None:
        return result
    assign(out, result)
    return out


def _check_result(a, steps, norm, out):
    """The shape and dtype after ``steps``, checked against ``out`` (NumPy's errors)."""
    shape, dtype = list(a.shape), a.dtype
    for name, n, axis in steps:
        shape[axis] = _out_length(name, n)
        dtype = _check(name, dtype, norm)
    _check_out(out, shape, dtype)


def _plan(a, steps):
    """Group ``steps`` ``(name, n, axis)`` into runs on layouts holding their axes whole.

    The order of the real transforms is kept (``rfft`` first, ``irfft`` last);
    the complex ones commute.  Yields ``(axes held whole, steps to run)``.
    """
    ndim = a.ndim
    pending = list(steps)
    local = {ax for ax, m in enumerate(a.distribution.maps) if _is_local(m)}
    while pending:
        if pending[0][0] == "rfft" or len(pending) == 1:
            allowed = pending[:1]
        else:
            allowed = [s for s in pending if s[0] in ("fft", "ifft")]
        runnable = [s for s in allowed if s[2] in local]
        if not runnable:
            local = {s[2] for s in allowed}
            if len(local) == ndim > 1:
                local.discard(allowed[-1][2])
            runnable = [s for s in allowed if s[2] in local]
        yield tuple(sorted(local)), runnable
        for s in runnable:
            pending.remove(s)


def _four_step_plan(a, run):
    """The :class:`FourStep` plan of the one transform in ``run``, or None.

    None unless the transformed axis is distributed and the other axes are too
    small to take the grid (fewer elements than processes), the length splits
    into two factors of at least the number of processes and the work is in
    ``complex64`` or ``complex128`` (the twiddle factors are double precision).
    """
    if len(run) != 1:
        return None
    (name, n, axis), = run
    dist = a.distribution
    nprocs = len(dist.targets)
    batch = a.shape[:axis] + a.shape[axis + 1:]
    if _is_local(dist.maps[axis]) or not 0 < math.prod(batch) < nprocs or _check(
            "fft", a.dtype, None) not in (np.complex64, np.complex128):
        return None
    factors = four_step_factors(n, nprocs)
    if factors is None:
        return None
    used = min(a.shape[axis], n // 2 + 1 if name == "irfft" else n)
    return FourStep(batch, axis, used, *factors, nprocs, _out_length(name, n))


def _four_step(a, plan, name, norm):
    """``name`` along ``plan.axis`` by the distributed four-step FFT (one command)."""
    dtype = _check(name, a.dtype, norm)
    shape = list(a.shape)
    shape[plan.axis] = plan.out_length
    others = tuple(ax for ax in range(a.ndim) if ax != plan.axis)
    result = local_axes_distribution(a.distribution, others, shape)
    context = a.context
    key = context.pool.new_key()
    src = a.distribution
    context.pool.run("four_step_fft", Ref(WORLD), Ref(a.key), a.dtype, src.maps, src.targets,
                     Ref(context.layout(result)), plan, name, _scale(name, plan.n, norm, a.dtype),
                     _check("fft", a.dtype, norm), dtype, targets=src.targets, out=key, tag=True)
    return DistArray._wrap(result, dtype, key)


def _scale(name, n, norm, dtype):
    """NumPy's normalization factor of ``name`` on ``n`` points of ``dtype``: computed in the
    input's real precision (a ``float16`` factor for ``float16`` input), as NumPy does."""
    norm = _opposite(norm) if name in ("ifft", "irfft") else norm
    real = np.result_type(np.empty(0, dtype).real.dtype, 1.0)
    if norm == "ortho":
        return float(np.reciprocal(np.sqrt(n, dtype=real)))
    return float(np.reciprocal(n, dtype=real)) if norm == "forward" else 1.0


def _run(a, steps, norm):
    """Apply the 1-D transforms ``steps`` in a planned sequence of layouts."""
    for axes, run in _plan(a, steps):
        plan = _four_step_plan(a, run)
        if plan is not None:
            a = _four_step(a, plan, run[0][0], norm)
            continue
        if not all(_is_local(a.distribution.maps[ax]) for ax in axes):
            a = redistribute(a, local_axes_distribution(a.distribution, axes))
        maps = list(a.distribution.maps)
        dtype = a.dtype
        for name, n, axis in run:
            maps[axis] = UndistributedMap(_out_length(name, n))
            dtype = _check(name, dtype, norm)
        result = Distribution.from_maps(a.context, maps, a.distribution.targets)
        key = a.context.pool.new_key()
        a._run("fft_along", Ref(a.context.layout(result)), tuple(run), norm, out=key)
        a = DistArray._wrap(result, dtype, key)
    return a


def _one_args(name, a, n, axis, norm, out):
    """``(a as a DistArray, n, axis)`` of the 1-D transform ``name``, checked as NumPy does."""
    a = as_input(a)
    m = a.shape[axis]  # NumPy's IndexError for a bad axis
    axis = normalize_axis_index(operator.index(axis), a.ndim)
    n = _length(name, n, m)
    _check_result(a, [(name, n, axis)], norm, out)
    return as_distarray(a), n, axis


def _one(name, a, n, axis, norm, out):
    a, n, axis = _one_args(name, a, n, axis, norm, out)
    return _written(_run(a, [(name, n, axis)], norm), out)


def _one_dimensional(name, summary):
    """``distarray.fft.<name>``: NumPy's 1-D transform ``name`` on DistArrays."""
    def transform(a, n=None, axis=-1, norm=None, out=None):
        return _one(name, a, n, axis, norm, out)

    transform.__name__ = transform.__qualname__ = name
    transform.__doc__ = "%s, as :func:`numpy.fft.%s` (see the module docstring)." % (
        summary, name)
    return implements(getattr(np.fft, name))(transform)


fft = _one_dimensional("fft", "1-D discrete Fourier transform")
ifft = _one_dimensional("ifft", "1-D inverse discrete Fourier transform")
rfft = _one_dimensional("rfft", "1-D discrete Fourier transform of real input")
irfft = _one_dimensional("irfft", "Inverse of :func:`rfft`")


def _nd_args(a, s, axes, invreal):
    """NumPy's ``s`` and ``axes`` of an n-D transform (as ``numpy.fft`` cooks them)."""
    shapeless = s is None
    if s is None:
        s = list(a.shape) if axes is None else [a.shape[ax] for ax in
                                                 [normalize_axis_index(x, a.ndim)
                                                  for x in axes]]
    s = list(s)
    if axes is None:
        if not shapeless:
            warn("`axes` should not be `None` if `s` is not `None` (deprecated in NumPy 2.0)",
                 DeprecationWarning)
        axes = list(range(-len(s), 0))
    axes = [normalize_axis_index(operator.index(ax), a.ndim) for ax in axes]
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if invreal and shapeless:
        s[-1] = (a.shape[axes[-1]] - 1) * 2
    if None in s:
        warn("Passing an array containing `None` values to `s` is deprecated in NumPy 2.0",
             DeprecationWarning)
    s = [a.shape[ax] if n == -1 else n for n, ax in zip(s, axes)]
    return s, axes


def _many(kind, a, s, axes, norm, out):
    a = as_input(a)
    invreal = kind == "irfftn"
    s, axes = _nd_args(a, s, axes, invreal)
    names = {"fftn": "fft", "ifftn": "ifft", "rfftn": "fft", "irfftn": "ifft"}
    if kind in ("fftn", "ifftn"):
        steps = [(names[kind], n, ax) for n, ax in zip(s, axes)][::-1]
    elif kind == "rfftn":
        steps = [("rfft", s[-1], axes[-1])] + [
            ("fft", n, ax) for n, ax in zip(s[:-1], axes[:-1])][::-1]
    else:
        steps = [("ifft", n, ax) for n, ax in zip(s[:-1], axes[:-1])] + [
            ("irfft", s[-1], axes[-1])]
    steps = _lengths(a.shape, steps)
    _check_result(a, steps, norm, out)
    if not steps:
        return _written(as_distarray(a).copy(), out)
    return _written(_run(as_distarray(a), steps, norm), out)


def _lengths(shape, steps):
    """``steps`` with their points checked, None (the 1-D transform's default) replaced
    by the default on the axis as the earlier steps leave it."""
    shape, resolved = list(shape), []
    for name, n, axis in steps:
        n = _length(name, n, shape[axis])
        shape[axis] = _out_length(name, n)
        resolved.append((name, n, axis))
    return resolved


def _many_dimensional(name, kind, default_axes, summary):
    """``distarray.fft.<name>``: NumPy's n-D transform ``name`` on DistArrays."""
    def transform(a, s=None, axes=default_axes, norm=None, out=None):
        return _many(kind, a, s, axes, norm, out)

    transform.__name__ = transform.__qualname__ = name
    transform.__doc__ = "%s, as :func:`numpy.fft.%s` (see the module docstring)." % (
        summary, name)
    return implements(getattr(np.fft, name))(transform)


fftn = _many_dimensional("fftn", "fftn", None, "N-D discrete Fourier transform")
ifftn = _many_dimensional("ifftn", "ifftn", None, "N-D inverse discrete Fourier transform")
rfftn = _many_dimensional("rfftn", "rfftn", None, "N-D discrete Fourier transform of real input")
irfftn = _many_dimensional("irfftn", "irfftn", None, "Inverse of :func:`rfftn`")
fft2 = _many_dimensional("fft2", "fftn", (-2, -1), "2-D discrete Fourier transform")
ifft2 = _many_dimensional("ifft2", "ifftn", (-2, -1), "2-D inverse discrete Fourier transform")
rfft2 = _many_dimensional("rfft2", "rfftn", (-2, -1), "2-D discrete Fourier transform of "
                          "real input")
irfft2 = _many_dimensional("irfft2", "irfftn", (-2, -1), "Inverse of :func:`rfft2`")


# -- Hermitian transforms ---------------------------------------------------------------
_OPPOSITE_NORMS = {None: "forward", "backward": "forward", "ortho": "ortho",
                   "forward": "backward"}


def _opposite(norm):
    """The normalization of the opposite direction (NumPy's error for an unknown one)."""
    try:
        return _OPPOSITE_NORMS[norm]
    except (KeyError, TypeError):
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or '
                         f'"forward".') from None


@implements(np.fft.hfft)
def hfft(a, n=None, axis=-1, norm=None, out=None):
    """FFT of a Hermitian-symmetric signal (a real spectrum), as :func:`numpy.fft.hfft`.

    :func:`irfft` of the conjugate, with the opposite normalization.  ``out`` gets the
    result as documented (NumPy 2.4's ``hfft`` ignores it).
    """
    norm = _opposite(norm)
    a, n, axis = _one_args("irfft", a, n, axis, norm, out)
    if a.dtype.kind == "c":
        a = np.conjugate(a)
    return _written(_run(a, [("irfft", n, axis)], norm), out)


@implements(np.fft.ihfft)
def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """Inverse of :func:`hfft`, as :func:`numpy.fft.ihfft`: the conjugate of :func:`rfft`
    with the opposite normalization."""
    norm = _opposite(norm)
    a, n, axis = _one_args("rfft", a, n, axis, norm, out)
    return np.conjugate(_run(a, [("rfft", n, axis)], norm), out=out)


# -- shifts and frequencies ------------------------------------------------------------
def _half_roll(x, axes, sign):
    """``x`` rolled by ``sign`` times half its length along ``axes`` (all for None)."""
    x = as_input(x)
    if not x.ndim:  # numpy.roll fails there too
        raise ValueError("a 0-d array has no axes to shift")
    if axes is None:
        axes = tuple(range(x.ndim))
    if isinstance(axes, (int, np.integer)):
        shift = sign * (x.shape[axes] // 2)
    else:
        shift = [sign * (x.shape[ax] // 2) for ax in axes]
    return roll(as_distarray(x), shift, axes)


@implements(np.fft.fftshift)
def fftshift(x, axes=None):
    """The zero frequency moved to the centre, as :func:`numpy.fft.fftshift`.

    A :func:`distarray.roll` (one worker-to-worker exchange; the result is in
    the default layout).
    """
    return _half_roll(x, axes, 1)


@implements(np.fft.ifftshift)
def ifftshift(x, axes=None):
    """Inverse of :func:`fftshift`, as :func:`numpy.fft.ifftshift`."""
    return _half_roll(x, axes, -1)


def _spacing(n, d, device):
    """``1 / (n d)``, the frequency step, after NumPy's checks of ``n`` and ``device``."""
    if not isinstance(n, (int, np.integer)):
        raise ValueError("n should be an integer")
    step = 1.0 / (n * d)
    np.empty(0, device=device)  # NumPy's error for a device other than "cpu"
    return step


def fftfreq(n, d=1.0, device=None, *, distribution=None, context=None, dist=None,
            grid_shape=None, targets=None):
    """The sample frequencies of :func:`fft`, as :func:`numpy.fft.fftfreq`, a DistArray.

    Placed as :func:`distarray.arange` places its result; each worker computes
    its part.
    """
    step = _spacing(n, d, device)
    if n < 0:
        raise ValueError("negative dimensions are not allowed")
    half = n // 2
    k = arange(half, half + n, distribution=distribution, context=context, dist=dist,
               grid_shape=grid_shape, targets=targets)
    return (k % n - half) * step


def rfftfreq(n, d=1.0, device=None, *, distribution=None, context=None, dist=None,
             grid_shape=None, targets=None):
    """The sample frequencies of :func:`rfft`, as :func:`numpy.fft.rfftfreq`, a DistArray.

    Placed as :func:`distarray.arange` places its result.
    """
    step = _spacing(n, d, device)
    return arange(n // 2 + 1, distribution=distribution, context=context, dist=dist,
                  grid_shape=grid_shape, targets=targets) * step
