"""NumPy ufuncs on DistArrays: validation and planning on the client, one command.

Result shapes, dtypes and every error NumPy would raise are found on the
client by broadcasting the shapes and running the ufunc on empty arrays of the
operands' dtypes (Python scalars stay Python scalars, so NEP 50 promotion is
exactly NumPy's).  The result takes the distribution of the first DistArray
``out`` or full-shape input (else the default one); operands laid out the same
way move no data, other DistArrays are brought over by the workers directly,
and NumPy operands are split on the client so that each worker receives only
its part.
"""

import math
import numbers

import numpy as np

from ..local.functions import ElementwiseFunction
from ..plan.exchange import needed_indices
from ..runtime.messages import DATA, WORLD, MaybeRef, Ref
from .darray import DistArray, shape_of


def is_scalar(x):
    return isinstance(x, (numbers.Number, np.generic, bool)) or (
        isinstance(x, np.ndarray) and x.ndim == 0)


def as_mask(where):
    """A ``where=`` operand as NumPy reads it: DistArrays, arrays and scalars stay, anything
    else is read as a boolean array (``[1, 0]``, ``None``: False)."""
    if isinstance(where, (DistArray, np.ndarray)) or is_scalar(where):
        return where
    return np.asarray(where, bool)


def _probe(x, size=0):
    """What stands for operand ``x`` in the dry run (``size`` elements of each array)."""
    if isinstance(x, DistArray):
        return np.zeros(size, x.dtype)
    if isinstance(x, (numbers.Number, np.generic)):
        return x
    x = np.asarray(x)
    return x.reshape(-1)[:size] if x.dtype.hasobject else np.zeros(size, x.dtype)


def context_of(arrays):
    contexts = {id(a.context): a.context for a in arrays}
    if len(contexts) > 1:
        raise ValueError("the DistArrays of one operation must belong to the same context")
    context = next(iter(contexts.values()))
    context.check_open()
    return context


def any_distributed(*values):
    """Whether any of ``values`` is a DistArray."""
    return any(isinstance(x, DistArray) for x in values)


def common_context(values):
    """The context of the DistArrays among ``values`` (ValueError if they have several)."""
    return context_of([x for x in values if isinstance(x, DistArray)])


def _alignment(shape, result_shape):
    """For each axis of ``shape``, the aligned result axis or None (broadcast)."""
    offset = len(result_shape) - len(shape)
    return tuple(None if n == 1 and result_shape[a + offset] != 1 else a + offset
                 for a, n in enumerate(shape))


def _normalize_out(out, nout):
    if out is None:
        return (None,) * nout
    out = out if isinstance(out, tuple) else (out,)
    if len(out) != nout:
        raise ValueError("The 'out' tuple must have exactly %d entries: one per ufunc output"
                         % nout)
    for o in out:
        if o is not None and not isinstance(o, DistArray):
            raise TypeError("out= must be a DistArray when the inputs are distributed "
                            "(got %s)" % type(o).__name__)
    return out


def call(ufunc, inputs, kwargs, temporaries=()):
    """``ufunc(*inputs, **kwargs)`` where at least one operand is a DistArray.

    ``temporaries`` are input DistArrays the caller knows nobody else holds:
    the result may take the buffer of one of them (see DistArray's operators).
    """
    kwargs = dict(kwargs)
    outs = _normalize_out(kwargs.pop("out", None), ufunc.nout)
    where = kwargs.pop("where", True)
    if len(inputs) != ufunc.nin:
        raise TypeError("%s() takes %d positional arguments but %d were given"
                        % (ufunc.__name__, ufunc.nin, len(inputs)))
    distributed = [x for x in (*inputs, *outs, where) if isinstance(x, DistArray)]
    context = context_of(distributed)
    inputs = tuple(x if isinstance(x, DistArray) or is_scalar(x) else np.asarray(x)
                   for x in inputs)
    where = as_mask(where)
    if any(isinstance(x, np.ndarray) and x.ndim and x.dtype.hasobject for x in inputs):
        raise TypeError("distarray cannot send arrays of Python objects to its workers "
                        "(an operand of %s has dtype object)" % ufunc.__name__)
    dtypes = _result_dtypes(ufunc, inputs, outs, where, kwargs)  # NumPy checks these first
    shapes = [x.shape for x in (*inputs, where) if not is_scalar(x)]
    shape = shapes[0] if shapes and all(s == shapes[0] for s in shapes) else \
        np.broadcast_shapes(*shapes)
    for o in outs:
        if o is not None and np.broadcast_shapes(o.shape, shape) != o.shape:
            raise ValueError("non-broadcastable output operand with shape %s doesn't match "
                             "the broadcast shape %s" % (o.shape, shape))
    if any(o is not None for o in outs):
        shape = next(o.shape for o in outs if o is not None)
    _check_integer_power(ufunc, inputs, where, dtypes[0], shape)
    base = _result_distribution(context, shape, inputs, outs)
    if any(o is not None and not o.distribution.is_compatible(base) for o in outs):
        raise NotImplementedError("out= arrays with different distributions in one call")
    reuse = next((x for x in temporaries if outs == (None,) and where is True
                  and x.shape == shape and x.dtype == dtypes[0]
                  and x.distribution.is_compatible(base)), None)
    return _run(ufunc, context, base, inputs, where, outs, dtypes, kwargs, reuse)


def _check_integer_power(ufunc, inputs, where, dtype, shape):
    """NumPy's ValueError for integers to a negative scalar power, raised before sending
    (an exponent array is checked by the workers, as its values are there)."""
    if ufunc is np.power and dtype.kind in "iu" and is_scalar(inputs[1]) and inputs[1] < 0 \
            and math.prod(shape) and is_scalar(where) and where:
        raise ValueError("Integers to negative integer powers are not allowed.")


def call_function(name, inputs, kwargs, nout=1):
    """The elementwise function ``name`` (see :mod:`distarray.local.functions`) of ``inputs``.

    Run as a ufunc is (:func:`call`): NumPy's errors and dtypes from a dry run,
    each worker computing its part of the result on its aligned operands.
    """
    return call(ElementwiseFunction(name, len(inputs), nout), tuple(inputs), kwargs)


class DryRuns:
    """Results of dry runs on stand-in arrays, remembered by key (a bounded table)."""

    def __init__(self, limit=4096):
        self.table = {}
        self.limit = limit

    def remembered(self, key, run):
        """``run()``, remembered under ``key`` (not remembered if ``key`` is unhashable).

        Exceptions are not remembered: a failing run raises again next time.
        """
        try:
            value = self.table.get(key)
        except TypeError:
            return run()
        if value is None:
            value = run()
            if len(self.table) >= self.limit:
                self.table.clear()
            self.table[key] = value
        return value


_DRY_RUNS = DryRuns()


def _kind(x):
    """What of operand ``x`` decides result dtypes and errors.

    Its dtype, or for a Python scalar its type; for a Python int also its sign
    and size, which decide whether it fits the other operands' dtypes (the
    size of ``~x`` for a negative ``x``: -128 fits int8, -129 does not).
    """
    if isinstance(x, (DistArray, np.ndarray, np.generic)):
        return x.dtype
    if type(x) is int:
        return int, x < 0, (~x if x < 0 else x).bit_length()
    return type(x)


def _result_dtypes(ufunc, inputs, outs, where, kwargs):
    """The output dtypes of ``ufunc`` on these operands; NumPy's error if it refuses them.

    Found by running the ufunc on empty stand-ins (Python scalars stay
    themselves, so NEP 50 applies exactly) and remembered for same-typed calls.
    Operands of Python objects (``None``) take a loop on objects, whose errors
    come from the values (``d < None``): the stand-ins then hold one element.
    """
    def run():
        size = int(any(isinstance(x, np.ndarray) and x.dtype.hasobject for x in inputs))
        with np.errstate(all="ignore"):
            probe = ufunc(*(_probe(x, size) for x in inputs),
                          out=tuple(None if o is None else np.zeros(size, o.dtype) for o in outs),
                          where=_probe(where, size), **kwargs)
        dtypes = [p.dtype for p in (probe if ufunc.nout > 1 else (probe,))]
        if any(dtype.hasobject for dtype in dtypes):
            raise TypeError("distarray does not support arrays of dtype object (%s of %s)"
                            % (ufunc.__name__, ", ".join(type(x).__name__ for x in inputs)))
        return dtypes

    key = (ufunc, tuple(map(_kind, inputs)), tuple(None if o is None else o.dtype for o in outs),
           _kind(where), tuple(kwargs.items()))
    return _DRY_RUNS.remembered(key, run)


def _result_distribution(context, shape, inputs, outs):
    for x in (*outs, *inputs):
        if isinstance(x, DistArray) and x.shape == shape:
            return x.distribution
    return context.default_distribution(shape)


#: Ufuncs that neither warn nor fail on the workers once the client's dry run has
#: accepted real operands (no floating-point errors): their commands are posted
#: without waiting, and the next command's round trip takes the replies.
#: (Ordering comparisons of complex numbers warn on NaN.)
QUIET = frozenset({
    np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
    np.logical_and, np.logical_or, np.logical_xor, np.logical_not, np.isnan, np.isinf,
    np.isfinite, np.signbit, np.isnat, np.bitwise_and, np.bitwise_or, np.bitwise_xor,
    np.invert, np.maximum, np.minimum, np.fmax, np.fmin, np.negative, np.positive})


def _run(ufunc, context, base, inputs, where, outs, dtypes, kwargs, reuse=None):
    pool = context.pool
    specs, send, targets = operand_specs((*inputs, where), base)
    keys = tuple(pool.new_key() for o in outs if o is None)
    out_specs = [("local", MaybeRef(o.key)) if o is not None else ("new", dt) if reuse is None
                 else ("reuse", MaybeRef(reuse.key), dt) for o, dt in zip(outs, dtypes)]
    command = ("ufunc_call", Ref(WORLD), Ref(DATA), MaybeRef(context.layout(base)), ufunc,
               *_destination(base, specs), specs[:-1], specs[-1], out_specs, kwargs,
               np.geterr())
    if not send and isinstance(ufunc, np.ufunc) and ufunc in QUIET and \
            not any(np.asarray(_probe(x)).dtype.kind == "c" for x in inputs):
        pool.send(*command, targets=targets, out=keys, tag=True)
    else:
        pool.run(*command, targets=targets, out=keys, send=send, tag=True)
    made = iter(keys)
    results = tuple(o if o is not None else DistArray._wrap(base, dt, next(made))
                    for o, dt in zip(outs, dtypes))
    return results if len(results) > 1 else results[0]


def _destination(base, specs):
    """The result's maps and targets, which workers need only to move operand data."""
    if all(spec[0] in ("local", "value") for spec in specs):
        return None, None
    return base.maps, base.targets


def operand_specs(operands, base):
    """``(specs, send, targets)`` of ``operands`` for a result distributed as ``base``.

    The worker-side spec of each operand, the parts of NumPy operands each
    worker receives (``send`` of :meth:`.Pool.run`) and every worker the
    command involves (the result's and those holding operand data), sorted.
    """
    pieces = {rank: [] for rank in base.targets}
    targets = set(base.targets)
    specs = []
    for x in operands:
        spec, sources = operand_spec(x, base, pieces)
        specs.append(spec)
        targets.update(sources)
    return specs, {r: p for r, p in pieces.items() if p}, tuple(sorted(targets))


def operand_spec(x, base, pieces):
    """The worker-side spec of operand ``x``; the extra workers it involves."""
    if isinstance(x, DistArray):
        if x.distribution.is_compatible(base):
            return ("local", MaybeRef(x.key)), ()
        axes = _alignment(x.shape, base.shape)
        return ("gather", MaybeRef(x.key), x.dtype, x.distribution.maps, x.targets, axes), \
            x.targets
    if is_scalar(x):
        return ("value", x), ()
    axes = _alignment(x.shape, base.shape)
    for i, rank in enumerate(base.targets):
        part = x[np.ix_(*needed_indices(base.maps, base.coords(i), axes))] if x.ndim else x
        if part.size:
            pieces[rank].append(np.ascontiguousarray(part))
    return ("client", x.dtype, axes), ()


def shape_text(shape):
    """``shape`` written as NumPy's messages write it: ``(2,4)``, ``(3,)``."""
    return "(%s%s)" % (",".join(map(str, shape)), "," if len(shape) == 1 else "")


def broadcasts_to(shape, target):
    """Whether an array of ``shape`` broadcasts to ``target`` (as NumPy assigns it)."""
    try:
        return np.broadcast_shapes(shape, target) == tuple(target)
    except ValueError:
        return False


def assigned(value, dtype):
    """Array-like ``value`` to be assigned into an array of ``dtype``, as NumPy reads it.

    A NumPy array keeps its dtype (it is cast where it is written); anything
    else is read as ``dtype``: ``[1, 300]`` into int8 overflows, a tuple into a
    structured array is one record.
    """
    return np.asarray(value, None if isinstance(value, np.ndarray) else dtype)


def fitted(value, shape):
    """``value`` (an array or DistArray) as NumPy assigns it into an array of ``shape``:
    leading axes of length 1 beyond it dropped; NumPy's ValueError if it does not fit."""
    given = shape_of(value)
    extra = len(given) - len(shape)
    if extra > 0 and all(n == 1 for n in given[:extra]):
        value = value.reshape(given[extra:])
    if not broadcasts_to(shape_of(value), shape):
        raise ValueError("could not broadcast input array from shape %s into shape %s"
                         % (shape_text(shape_of(value)), shape_text(shape)))
    return value


def assign(target, value, where=True):
    """Copy ``value`` (DistArray, array-like or scalar, broadcast) into DistArray ``target``.

    Values are converted as NumPy's item assignment converts them.
    """
    context = context_of([x for x in (target, value, where) if isinstance(x, DistArray)])
    base = target.distribution
    if not isinstance(value, DistArray):
        value = assigned(value, target.dtype)
        if value.ndim == 0:
            converted = np.empty((), target.dtype)
            converted[()] = value
            value = converted
    value = fitted(value, base.shape)
    specs, send, targets = operand_specs((value, where), base)
    context.pool.run("assign", Ref(WORLD), Ref(DATA), MaybeRef(context.layout(base)),
                     *_destination(base, specs), MaybeRef(target.key), specs[0], specs[1],
                     targets=targets, send=send, tag=True)
