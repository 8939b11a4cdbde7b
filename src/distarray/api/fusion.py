"""``fuse``: a function's elementwise arithmetic evaluated in one pass over memory.

NumPy evaluates ``u[1:-1] + 0.2 * (u[:-2] + u[2:])`` one operation at a
time, each a full pass over memory; on large arrays that is all the time it
takes.  Under :func:`fuse`, the DistArrays a function receives are *traced*:
ufunc calls and operators on them only record what to compute (validating it
as NumPy would, at once); slicing an argument makes the view as usual, and
slicing a recorded value records the same steps on sliced inputs.
When the function returns, each result is computed by one command in which
every worker runs all recorded steps on a cache-sized chunk of its piece
before it moves to the next, with operands on other workers brought over
once (for shifted slices: only the rows that cross a piece's edge).  That
command is not waited for: whatever comes next follows it in the same round
trip, and the call ends once every command it posted has completed.  A full
reduction of a traced value (``((a - b) ** 2).sum()``) is one command too,
which reduces each chunk as soon as it is computed (``reductions._reduce``).

Anything else done with a traced value (a reduction along axes, a method,
indexing a computed value, printing it) first computes it, so any function gives
NumPy's results; before any other command reaches the workers (one that
might modify an array, say), every value recorded so far is computed, so
nothing reads data changed after it was recorded.
"""

import contextlib
import functools
import numbers
import operator
import weakref

import numpy as np

from ..local.elementwise import cast_into, where_into
from ..runtime.messages import DATA, WORLD, MaybeRef, Ref
from .darray import DistArray, power_operation
from .dispatch import HANDLED
from .ufuncs import (_DRY_RUNS, _check_integer_power, _destination, _kind, _probe,
                     _result_distribution, context_of, is_scalar, operand_specs)

#: NumPy reductions whose full reduction of a traced value is fused with its
#: computation: each chunk is reduced while in cache, never stored (see
#: ``reductions._reduce``).
REDUCTIONS = frozenset((np.sum, np.prod, np.max, np.min, np.amax, np.amin, np.any, np.all,
                        np.mean, np.std, np.var, np.ptp, np.count_nonzero, np.nansum,
                        np.nanprod, np.nanmax, np.nanmin, np.nanmean, np.nanstd, np.nanvar))
#: Kinds of the dtypes between which ``astype`` is recorded.
_NUMERIC = "biufc"
#: A traced value with more recorded steps than this is computed at once (the
#: program a worker runs stays short, and so do the client's recursions).
MAX_STEPS = 64


def fuse(function):
    """Wrap ``function`` so that its elementwise arithmetic on DistArrays is fused.

    The wrapped function takes the same arguments. DistArray arguments
    (positional or keyword) reach ``function`` as traced values: ufuncs and
    arithmetic, comparison and bitwise operators on them, and basic slicing of
    the arguments, are recorded and computed together when ``function``
    returns. Every other use of a traced value computes it first. DistArrays
    in the returned value (also inside a tuple, list or dict) are computed
    values.

    Parameters
    ----------
    function : callable
        Written as for NumPy arrays.

    Returns
    -------
    callable

    Notes
    -----
    NumPy's errors (shapes that do not broadcast, dtypes a ufunc refuses) are
    raised where the operation is written. Floating-point warnings are
    issued when the values are computed (at the end of the call), once per
    kind. Recorded values the function neither returns nor uses are not
    computed.

    Examples
    --------
    >>> @distarray.fuse
    ... def step(u):
    ...     return u[1:-1] + 0.2 * (u[:-2] + u[2:] - 2 * u[1:-1])
    """
    @functools.wraps(function)
    def fused(*args, **kwargs):
        arrays = [x for x in (*args, *kwargs.values()) if isinstance(x, DistArray)]
        if not arrays:
            return function(*args, **kwargs)
        context = context_of(arrays)
        with Tracing(context.pool) as tracing:
            args = [tracing.leaf(x) if isinstance(x, DistArray) else x for x in args]
            kwargs = {k: tracing.leaf(x) if isinstance(x, DistArray) else x
                      for k, x in kwargs.items()}
            result = _computed(function(*args, **kwargs))
        context.pool.settle()
        return result

    return fused


def _computed(value):
    """``value`` with every traced value in it (also in a tuple, list or dict) computed."""
    if isinstance(value, Traced):
        return value.compute()
    if isinstance(value, (tuple, list)):
        return type(value)(map(_computed, value))
    if isinstance(value, dict):
        return {k: _computed(v) for k, v in value.items()}
    return value


class Tracing:
    """The values recorded during one call of a fused function, on one pool.

    While it lasts, any command the pool posts (other than one computing a
    traced value) first computes all recorded values.
    """

    def __init__(self, pool):
        self.pool = pool
        self.recorded = []  # weak references, in the order of recording
        self.computing = False
        self.outer = None
        self.over = False  # the fused call has returned

    def __enter__(self):
        self.outer = self.pool.before_post
        self.pool.before_post = self.before_post
        return self

    def __exit__(self, *exc):
        self.pool.before_post = self.outer
        self.over = True

    def before_post(self, name):
        if self.outer is not None:
            self.outer(name)
        if not self.computing and name not in _METADATA_COMMANDS:
            self.compute_all()

    @contextlib.contextmanager
    def computing_one(self):
        """While it lasts, commands (those computing one traced value) compute no other."""
        outer, self.computing = self.computing, True
        try:
            yield
        finally:
            self.computing = outer

    def compute_all(self):
        """Compute every recorded value still alive, oldest first."""
        recorded, self.recorded = self.recorded, []
        for ref in recorded:
            value = ref()
            if value is not None:
                value.compute()

    def leaf(self, array):
        return Traced(self, array.shape, array.dtype, array=array)

    def record(self, function, inputs, numpy_function=None, dtype=None):
        """The traced value of ``function(*inputs)`` (NumPy's errors raised at once).

        ``function`` is a ufunc, or a step function of the workers (see
        :mod:`distarray.local.elementwise`) that does what ``numpy_function``
        does.  The result's dtype is NumPy's, found on stand-ins, unless given.
        """
        inputs = tuple(self.leaf(x) if isinstance(x, DistArray) else x for x in inputs)
        shapes = [x.shape for x in inputs if not is_scalar(x)]
        shape = np.broadcast_shapes(*shapes)
        probes = [np.empty(0, x.dtype) if isinstance(x, Traced) else x for x in inputs]

        def run():
            with np.errstate(all="ignore"):
                return (numpy_function or function)(*map(_probe, probes)).dtype

        if dtype is None:
            dtype = _DRY_RUNS.remembered(("fuse", function, tuple(map(_kind, probes))), run)
            _check_integer_power(function, inputs, True, np.dtype(dtype), shape)
        steps = 1 + sum(x.steps for x in inputs if isinstance(x, Traced))
        value = Traced(self, shape, dtype, ufunc=function, inputs=inputs, steps=steps)
        if steps > MAX_STEPS:
            value.compute()
        else:
            self.recorded.append(weakref.ref(value))
        return value


#: Commands that change no array (they make layouts and views): they do not make
#: recorded values be computed.
_METADATA_COMMANDS = frozenset({"make_layout", "make_cart", "view"})


def _traceable(x):
    return isinstance(x, (Traced, DistArray, numbers.Number, np.generic)) or (
        isinstance(x, np.ndarray) and x.ndim == 0)


class Traced(np.lib.mixins.NDArrayOperatorsMixin):
    """A DistArray argument of a fused function, or a value computed from them.

    Either ``array`` (a DistArray: an argument, a view of one, or a computed
    value) or the recorded ``ufunc`` and its ``inputs``.
    """

    __distarray_deferred__ = True

    def __init__(self, tracing, shape, dtype, array=None, ufunc=None, inputs=(), steps=0):
        self.tracing = tracing
        self.shape = shape
        self.dtype = dtype
        self.array = array
        self.ufunc = ufunc
        self.inputs = inputs
        self.steps = steps

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(np.prod(self.shape)))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and ufunc.nout == 1 and ufunc.signature is None \
                and not kwargs and all(map(_traceable, inputs)):
            return self.tracing.record(ufunc, inputs)
        result = getattr(ufunc, method)(*_computed(inputs), **{k: _computed(v)
                                                               for k, v in kwargs.items()})
        if isinstance(result, DistArray) and "out" not in kwargs:
            return self.tracing.leaf(result)  # what follows is traced again
        return result

    def __array_function__(self, func, types, args, kwargs):
        if func in REDUCTIONS and args and args[0] is self:
            return HANDLED[func].__wrapped__(*args, **kwargs)  # see reductions._reduce
        recorded = _RECORDED.get(func)
        if recorded is not None:
            value = recorded(self.tracing, *args, **kwargs)
            if value is not NotImplemented:
                return value
        return func(*_computed(args), **{k: _computed(v) for k, v in kwargs.items()})

    def __getitem__(self, key):
        if self.array is not None:
            view = self.array[_computed(key)]
            if isinstance(view, DistArray):
                return self.tracing.leaf(view)
            return view
        index = _basic_index(key, self.shape)
        if index is None:
            return self.compute()[_computed(key)]
        return self._sliced(index)

    def _sliced(self, index):
        """This value at ``index`` (ints and slices, one per axis): the inputs sliced alike."""
        if self.array is not None:
            return self[index]
        inputs = []
        for x in self.inputs:
            if isinstance(x, Traced):
                lead = self.ndim - x.ndim  # x's axes align with the last ones
                x = x._sliced(tuple(k if n != 1 else 0 if isinstance(k, int) else slice(None)
                                    for k, n in zip(index[lead:], x.shape)))
            inputs.append(x)
        if self.array is not None:  # reading an element computed the recorded values
            return self[index]
        if not any(isinstance(x, Traced) for x in inputs):  # one element of each input
            element = np.empty((), self.dtype)
            self.ufunc(*inputs, out=element)
            return element[()]
        return self.tracing.record(self.ufunc, tuple(inputs), dtype=self.dtype)

    def __setitem__(self, key, value):
        self.compute()[_computed(key)] = _computed(value)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        function = getattr(np, name, None)
        if function in REDUCTIONS:
            return functools.partial(function, self)
        return getattr(self.compute(), name)

    def astype(self, dtype, casting="unsafe", copy=True):
        """DistArray's ``astype``; a cast between numeric dtypes is a step of the program."""
        dtype = np.dtype(dtype)
        if not copy and dtype == self.dtype:
            return self
        if casting == "unsafe" and dtype.kind in _NUMERIC and self.dtype.kind in _NUMERIC:
            return self.tracing.record(cast_into, (self,), dtype=dtype)
        return self.compute().astype(dtype, casting=casting, copy=copy)

    def __array__(self, dtype=None, copy=None):
        return self.compute().__array__(dtype, copy=copy)

    def compute(self):
        """The DistArray of this value (computed by one command the first time)."""
        if self.array is None:
            with self.tracing.computing_one():
                self.array = _evaluate(self)
            self.ufunc, self.inputs = None, ()
            if self.tracing.over:  # a value that outlived its call: nothing else settles it
                self.tracing.pool.settle()
        return self.array


def _where(tracing, condition, x=None, y=None):
    """``np.where(condition, x, y)`` as one step of a fused program."""
    if x is None or y is None or not all(map(_traceable, (condition, x, y))):
        return NotImplemented
    return tracing.record(where_into, (condition, x, y), np.where)


def _clip(tracing, a, a_min=None, a_max=None, out=None, **kwargs):
    """``np.clip(a, a_min, a_max)`` as one step of a fused program (NumPy's rules)."""
    if out is not None or kwargs or not isinstance(a, Traced) or not all(
            x is None or _traceable(x) for x in (a_min, a_max)):
        return NotImplemented
    if a.dtype.kind in "iu":  # Python int bounds beyond the dtype's range bound nothing
        limits = np.iinfo(a.dtype)
        a_min = None if type(a_min) is int and a_min <= limits.min else a_min
        a_max = None if type(a_max) is int and a_max >= limits.max else a_max
    if a_min is None and a_max is None:
        return tracing.record(np.positive, (a,))
    if a_min is None:
        return tracing.record(np.minimum, (a, a_max))
    if a_max is None:
        return tracing.record(np.maximum, (a, a_min))
    return tracing.record(np._core.umath.clip, (a, a_min, a_max))


#: NumPy functions recorded in a fused program (others compute their arguments first).
_RECORDED = {np.where: _where, np.clip: _clip}


def _basic_index(key, shape):
    """``key`` as one int or slice per axis of ``shape`` (NumPy's errors), or None if it
    holds anything else (arrays, None, booleans)."""
    key = key if isinstance(key, tuple) else (key,)
    if any(k is None or isinstance(k, (bool, np.bool_)) or not (
            k is Ellipsis or isinstance(k, (slice, numbers.Integral))) for k in key):
        return None
    np.broadcast_to(np.False_, shape)[key]  # NumPy's IndexError for a bad key
    if Ellipsis in key:
        if len(key) > len(shape):  # every axis an int: NumPy gives a 0-d array, not a scalar
            return None
        at = key.index(Ellipsis)
        key = key[:at] + (slice(None),) * (len(shape) - len(key) + 1) + key[at + 1:]
    key = key + (slice(None),) * (len(shape) - len(key))
    return tuple(operator.index(k) % n if isinstance(k, numbers.Integral) else k
                 for k, n in zip(key, shape))


def _computing(convert):
    """A Traced special method: ``convert`` of the computed DistArray."""
    def method(self):
        return convert(self.compute())

    return method


for _convert in (len, iter, bool, float, int, complex, operator.index, repr):
    setattr(Traced, "__%s__" % _convert.__name__, _computing(_convert))


def _in_place(name):
    """Traced's ``__i<name>__``: the DistArray's own, which modifies it."""
    apply = getattr(operator, "__i%s__" % name)

    def method(self, other):
        apply(self.compute(), _computed(other))
        return self

    return method


for _name in ("add", "sub", "mul", "truediv", "floordiv", "pow", "mod", "and", "or", "xor",
              "lshift", "rshift"):
    setattr(Traced, "__i%s__" % _name, _in_place(_name))


def _traced_power(self, exponent):
    """Traced's ``__pow__``: the ufunc ndarray's operator chooses (a ** 2 squares)."""
    function, operands = power_operation(self, exponent)
    return function(*operands)


Traced.__pow__ = _traced_power


def _program(root):
    """The operands (DistArrays) and steps that compute traced value ``root``."""
    operands, steps, refs = [], [], {}

    def visit(value):
        if not isinstance(value, Traced):
            return "value", value
        ref = refs.get(id(value))
        if ref is None:
            if value.array is not None:
                ref = "operand", len(operands)
                operands.append(value.array)
            else:
                args = [visit(x) for x in value.inputs]
                ref = "step", len(steps)
                steps.append((value.ufunc, args, value.dtype))
            refs[id(value)] = ref
        return ref

    visit(root)
    return operands, steps


def plan(root):
    """How to compute traced value ``root``: ``(context, distribution, destination, operand
    specs, steps, workers)``, the distribution being the result's (``destination``: its maps
    and workers, for workers that bring operands over, see ``ufuncs._destination``)."""
    operands, steps = _program(root)
    context = context_of(operands)
    base = _result_distribution(context, root.shape, operands, ())
    specs, _, targets = operand_specs(operands, base)  # DistArrays only: nothing to send
    return context, base, _destination(base, specs), specs, steps, targets


def _evaluate(root):
    """A new DistArray holding the value ``root`` records (one command, not waited for)."""
    context, base, destination, specs, steps, targets = plan(root)
    key = context.pool.new_key()
    context.pool.send("fused_call", Ref(WORLD), Ref(DATA), MaybeRef(context.layout(base)),
                      *destination, specs, steps, root.dtype, np.geterr(),
                      targets=targets, out=key, tag=True)
    return DistArray._wrap(base, root.dtype, key)
