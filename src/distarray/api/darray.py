"""``DistArray``: the client's handle on a distributed array."""

import importlib
import math
import numbers
import operator
import sys

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from ..errors import ContextError
from ..runtime.messages import DATA, Ref

#: NumPy gufuncs implemented by functions of the same name in ``distarray.api.linalg``.
GUFUNCS = ("matmul", "vecdot", "matvec", "vecmat")

#: Arrays with at most this many elements show their values in ``repr``.
REPR_MAX_ELEMENTS = 1000


class DistArray(NDArrayOperatorsMixin):
    """A NumPy-like array whose pieces live on the workers of a context.

    The client holds only metadata (shape, dtype, :class:`Distribution`) and a
    key; each worker holds its :class:`~distarray.local.LocalArray` under that
    key.  Create arrays with the functions of :mod:`distarray` (``zeros``,
    ``fromarray``, ...) or the same methods of a :class:`Context`.

    Parameters
    ----------
    distribution : Distribution
        Where the elements live.
    dtype : data-type, optional
        Element type (default float64).  The new array is uninitialised.
    """

    __array_priority__ = 20.0
    __hash__ = None  # elementwise ==, like ndarray

    def __init__(self, distribution, dtype=float):
        from .creation import empty

        other = empty(distribution, dtype)
        self._adopt(other.distribution, other.dtype, other.key)
        other.key = None

    @classmethod
    def _wrap(cls, distribution, dtype, key):
        """A handle for an array that already exists on the workers under ``key``."""
        array = cls.__new__(cls)
        array._adopt(distribution, dtype, key)
        return array

    def _adopt(self, distribution, dtype, key):
        self.distribution = distribution
        self.dtype = np.dtype(dtype)
        self.key = key

    def __del__(self):
        key = getattr(self, "key", None)
        if key is not None:
            self.context.pool.free(key)

    # -- metadata -------------------------------------------------------------------
    @property
    def context(self):
        return self.distribution.context

    @property
    def shape(self):
        return self.distribution.shape

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self.itemsize

    @property
    def dist(self):
        return self.distribution.dist

    @property
    def grid_shape(self):
        return self.distribution.grid_shape

    @property
    def targets(self):
        return self.distribution.targets

    def localshapes(self):
        """Shapes of the local buffers, in process-grid order."""
        return self.distribution.localshapes()

    # -- NumPy protocols ------------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from . import ufuncs

        if any(getattr(type(x), "__distarray_deferred__", False) for x in inputs):
            return NotImplemented  # a traced value (see api.fusion) records the call
        if ufunc.signature is None:
            if method == "__call__":
                return ufuncs.call(ufunc, inputs, kwargs)
            if method in ("reduce", "accumulate"):
                from . import reductions

                return getattr(reductions, "ufunc_" + method)(ufunc, *inputs, **kwargs)
            if method in ("outer", "at", "reduceat"):
                from . import ufunc_methods

                return getattr(ufunc_methods, method)(ufunc, *inputs, **kwargs)
        elif method == "__call__" and ufunc.__name__ in GUFUNCS:
            return getattr(importlib.import_module("distarray.api.linalg"),
                           ufunc.__name__)(*inputs, **kwargs)
        raise TypeError("distarray does not implement %s.%s%s yet" % (
            ufunc.__name__, method, "" if ufunc.signature is None else " (a gufunc)"))

    def __array_function__(self, func, types, args, kwargs):
        from .dispatch import dispatch

        return dispatch(func, args, kwargs)

    def _scalar(self, convert):
        """``convert`` (float, int, ...) of this array's only element, or NumPy's error."""
        if self.size != 1:
            return convert(np.broadcast_to(np.zeros((), self.dtype), self.shape))
        return convert(self.toarray())

    def __float__(self):
        return self._scalar(float)

    def __int__(self):
        return self._scalar(int)

    def __complex__(self):
        return self._scalar(complex)

    def __index__(self):
        return self._scalar(operator.index)

    def __format__(self, spec):
        """As NumPy: a 0-d array formats its element; others take only an empty spec."""
        if self.ndim == 0:
            return format(self.toarray()[()], spec)
        if spec:
            raise TypeError("unsupported format string passed to DistArray.__format__")
        return str(self)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def __reduce__(self):
        raise TypeError("a DistArray cannot be pickled: its data lives on the workers of its "
                        "context (gather it with toarray(), or save it with distarray's "
                        "save functions)")

    def __getitem__(self, key):
        from .indexing import getitem

        return getitem(self, key)

    def __setitem__(self, key, value):
        from .indexing import setitem

        setitem(self, key, value)

    def redistribute(self, distribution=None, dist=None, grid_shape=None, targets=None):
        """A copy with another distribution (see :func:`distarray.api.indexing.redistribute`)."""
        from .indexing import redistribute

        return redistribute(self, distribution, dist, grid_shape, targets)

    def distribute_as(self, distribution):
        """A copy laid out as ``distribution`` (a Distribution, or a shape: its default)."""
        from .indexing import redistribute

        if not hasattr(distribution, "maps"):
            distribution = self.context.default_distribution(tuple(np.atleast_1d(distribution)))
        return redistribute(self, distribution)

    def __array_namespace__(self, api_version=None):
        if api_version not in (None, "2024.12", "2023.12", "2022.12", "2021.12"):  # NumPy's
            raise ValueError("unsupported array API version %r" % api_version)
        from .. import array_api

        return array_api

    def __bool__(self):
        if self.size != 1:
            raise ValueError("The truth value of an array with more than one element is "
                             "ambiguous. Use a.any() or a.all()")
        return bool(self.toarray().reshape(()))

    def __ipow__(self, other):
        function, operands = power_operation(self, other)
        return function(*operands, out=(self,))

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    def __contains__(self, value):
        return bool((self == value).any())

    # -- running commands on this array's workers -----------------------------------
    def _run(self, name, *args, **kwargs):
        """Run a command on this array's workers, with the array as first argument."""
        self.context.check_open()
        return self.context.pool.run(name, Ref(self.key), *args, targets=self.targets, **kwargs)

    def _derive(self, name, *args, dtype=None, **kwargs):
        """A new array with this distribution, made by a command on each piece."""
        key = self.context.pool.new_key()
        self._run(name, *args, out=key, **kwargs)
        return DistArray._wrap(self.distribution, self.dtype if dtype is None else dtype, key)

    # -- gathering ------------------------------------------------------------------
    def toarray(self):
        """Gather the whole array into one NumPy array on the client."""
        dist = self.distribution
        out = np.empty(self.shape, self.dtype)
        buffers, placements = {}, []
        for i, (rank, shape) in enumerate(zip(dist.targets, dist.owned_shapes())):
            if math.prod(shape) == 0:
                continue
            region = dist.global_slices(i)
            view = None if region is None else out[(*region, Ellipsis)]
            if view is not None and view.flags.c_contiguous:
                buffers[rank] = view
            else:
                buffers[rank] = np.empty(shape, self.dtype)
                if region is None:
                    region = np.ix_(*dist.global_index_arrays(i))
                placements.append((region, buffers[rank]))
        self._run("send", Ref(DATA), receive=buffers)
        for region, piece in placements:
            out[region] = piece
        return out

    def tolist(self):
        """The whole array as nested Python lists of Python scalars (gathers, as toarray)."""
        return self.toarray().tolist()

    def item(self, *args):
        """One element as a Python scalar, fetched from its owner, as ``ndarray.item``.

        No argument: the only element of a size-1 array.  One integer: a
        flat (C order) index.  One integer per axis (or a tuple of them): that
        element.
        """
        if len(args) == 1 and isinstance(args[0], tuple):
            args = args[0]
        if not args:
            if self.size != 1:
                raise ValueError("can only convert an array of size 1 to a Python scalar")
            index = (0,) * self.ndim
        elif len(args) == 1 and self.ndim != 1:
            flat = operator.index(args[0])
            if not -self.size <= flat < self.size:
                raise IndexError("index %d is out of bounds for size %d" % (flat, self.size))
            index = tuple(int(i) for i in np.unravel_index(flat % self.size, self.shape))
        elif len(args) == self.ndim:
            index = tuple(operator.index(i) for i in args)
        else:
            raise ValueError("incorrect number of indices for array")
        return self[index].item()

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError("a DistArray cannot be converted to a NumPy array without copying")
        out = self.toarray()
        return out if dtype is None else out.astype(dtype, copy=False)

    def get_ndarrays(self):
        """The local buffers (padding included), copied to the client, in grid order."""
        buffers = {rank: np.empty(shape, self.dtype)
                   for rank, shape in zip(self.targets, self.localshapes())}
        self._run("send", Ref(DATA), padded=True,
                  receive={r: b for r, b in buffers.items() if b.size})
        return [buffers[r] for r in self.targets]

    def get_localarrays(self):
        """Client-side copies of the workers' ``LocalArray`` objects, in grid order."""
        from ..local.localarray import Layout, LocalArray

        dist = self.distribution
        return [LocalArray(data, Layout(dist.maps, dist.coords(i)))
                for i, data in enumerate(self.get_ndarrays())]

    # -- whole-array operations -----------------------------------------------------
    def fill(self, value):
        """Set every element to the scalar ``value`` (cast as NumPy casts it)."""
        if np.ndim(value) != 0:
            raise ValueError("fill value must be a scalar")
        scalar = np.empty((), self.dtype)
        scalar.fill(value)  # NumPy's conversion and errors (-1 for uint8 overflows)
        self._run("fill", scalar[()])

    def copy(self):
        """An independent copy with the same distribution."""
        return self._derive("copy")

    @property
    def device(self):
        """The array API device of the array: ``"cpu"``, as NumPy's (the workers' memory)."""
        return "cpu"

    def to_device(self, device, /, *, stream=None):
        """The array on ``device``: itself, the only device being ``"cpu"``."""
        if not isinstance(device, str):
            raise TypeError("to_device() argument 1 must be str, not %s" % type(device).__name__)
        if stream is not None:
            raise ValueError("The stream argument in to_device() is not supported")
        if device != "cpu":
            raise ValueError("Unsupported device: %s. Only 'cpu' is accepted." % device)
        return self

    def sort(self, axis=-1, kind=None, order=None, *, stable=None):
        """Sort in place along ``axis``, as ``ndarray.sort`` (see :func:`distarray.sort`)."""
        from .sorting import sort

        self[...] = sort(self, axis, kind, order, stable=stable)

    def partition(self, kth, axis=-1, kind="introselect", order=None):
        """Partition in place around ``kth``, as ``ndarray.partition``."""
        from .partitioning import partition

        self[...] = partition(self, kth, axis, kind, order)

    def compress(self, condition, axis=None, out=None):
        """The elements where ``condition`` holds, as ``ndarray.compress``."""
        from .selection import compress

        return compress(condition, self, axis, out)

    @property
    def flat(self):
        """The elements as one C-ordered sequence, as ``ndarray.flat``."""
        from .flatiter import FlatIter

        return FlatIter(self)

    def conjugate(self):
        """The complex conjugate, elementwise."""
        return np.conjugate(self)

    conj = conjugate

    def tobytes(self, order="C"):
        """The gathered array's raw bytes, as ``ndarray.tobytes``."""
        return self.toarray().tobytes(order)

    @property
    def real(self):
        """The real part: a view for complex arrays, the array itself otherwise."""
        if self.dtype.kind != "c":
            return self
        return self._derive("part_view", "real", dtype=_part_dtype(self.dtype))

    @real.setter
    def real(self, value):
        self.real[...] = value

    @property
    def imag(self):
        """The imaginary part: a view for complex arrays, new zeros otherwise."""
        if self.dtype.kind != "c":
            from .creation import zeros_like
            return zeros_like(self)
        return self._derive("part_view", "imag", dtype=_part_dtype(self.dtype))

    @imag.setter
    def imag(self, value):
        if self.dtype.kind != "c":
            raise TypeError("array does not have imaginary part to set")
        self.imag[...] = value

    def astype(self, dtype, casting="unsafe", copy=True):
        """A copy cast to ``dtype`` (``copy=False`` returns self when nothing changes)."""
        from .creation import check_dtype
        from .sorting import quietly

        # NumPy resolves flexible and generic targets ('U', str, 'M8') from the source
        # dtype (int64 -> '<U21') and refuses casts against ``casting``: ask it on no data
        # (quietly: the workers' cast gives NumPy's warnings)
        dtype = check_dtype(quietly(np.empty(0, self.dtype).astype, dtype,
                                    casting=casting).dtype)
        if not copy and dtype == self.dtype:
            return self
        return self._derive("astype", dtype, casting, dtype=dtype)

    def view(self, dtype=None, type=None):  # noqa: A002 - NumPy's name
        """The same memory read as ``dtype``, as ``ndarray.view`` (same itemsize only)."""
        if type is not None and type is not DistArray:
            raise TypeError("distarray cannot view a DistArray as %r" % (type,))
        if dtype is None:
            dtype = self.dtype
        from .creation import check_dtype

        dtype = check_dtype(np.empty(1, self.dtype).view(dtype).dtype)  # NumPy's errors
        if dtype.itemsize != self.itemsize or dtype.shape:
            raise NotImplementedError("distarray views only dtypes of the same itemsize "
                                      "(%s cannot be viewed as %s)" % (self.dtype, dtype))
        return self._derive("dtype_view", dtype, dtype=dtype)

    # -- construction from pieces ---------------------------------------------------
    @classmethod
    def from_localarrays(cls, source, context=None, targets=None):
        """Import pieces that expose ``__distarray__`` as a DistArray (no copy on workers).

        Parameters
        ----------
        source : Proxy or sequence
            Either a proxy returned by ``Context.apply(..., return_proxy=True)``
            naming one object per worker, or a sequence of client-side objects
            exposing ``__distarray__()`` (one per worker, in MPI rank order),
            which are sent to the workers.
        context : Context, optional
        targets : sequence of int, optional
            Workers holding (or to receive) the pieces, in grid order.
        """
        from .creation import import_pieces

        return import_pieces(source, context, targets)

    def _repr_html_(self):
        from ..display import repr_html

        return repr_html(self)

    def __repr__(self):
        head = "shape=%s, dtype=%s, dist=%s, grid_shape=%s, targets=%s" % (
            self.shape, self.dtype, self.dist, self.grid_shape, list(self.targets))
        try:
            self.context.check_open()
        except ContextError:
            return "DistArray(<closed context>, %s)" % head
        if self.size <= REPR_MAX_ELEMENTS:
            values = np.array2string(self.toarray(), separator=", ", prefix="DistArray(")
            return "DistArray(%s, %s)" % (values, head)
        return "DistArray(<%d elements>, %s)" % (self.size, head)


def _delegate(module, name):
    """``DistArray.<name>``: the function ``<name>`` of ``module``, applied to self."""
    def method(self, *args, **kwargs):
        return getattr(importlib.import_module(module), name)(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = "Same as :func:`distarray.%s` applied to this array." % name
    return method


for _name in ("sum", "prod", "mean", "std", "var", "min", "max", "argmin", "argmax", "any",
              "all", "cumsum", "cumprod"):
    setattr(DistArray, _name, _delegate("distarray.api.reductions", _name))
for _name in ("argsort", "searchsorted"):
    setattr(DistArray, _name, _delegate("distarray.api.sorting", _name))
DistArray.argpartition = _delegate("distarray.api.partitioning", "argpartition")
for _name in ("round", "clip"):
    setattr(DistArray, _name, _delegate("distarray.api.functions", _name))
for _name in ("reshape", "ravel", "flatten", "transpose", "swapaxes", "squeeze", "repeat",
              "take", "put", "diagonal", "nonzero"):
    setattr(DistArray, _name, _delegate("distarray.api.shape", _name))
for _name in ("exchange_halos", "map_overlap", "with_halos"):
    setattr(DistArray, _name, _delegate("distarray.api.stencils", _name))
DistArray.choose = _delegate("distarray.api.selection", "choose")
for _name in ("dot", "trace"):
    setattr(DistArray, _name, _delegate("distarray.api.linalg", _name))
DistArray.T = property(_delegate("distarray.api.shape", "transpose"),
                       doc="The transposed array (a view).")
DistArray.mT = property(_delegate("distarray.api.linalg_composed", "matrix_transpose"),
                        doc="The (stack of) matrices transposed (a view).")


#: ``sys.getrefcount`` of an operand inside an operator method when nothing
#: but the expression being evaluated holds it (its own evaluation stack entry,
#: the method's parameter and getrefcount's argument): a temporary nobody can
#: see again, such as ``a * b`` in ``a * b + 1``.
TEMPORARY_REFS = 3


def _eliding(ufunc, name):
    """DistArray's ``__<name>__`` and ``__r<name>__``: NumPy's operators, except that
    the result may take the buffer of an operand that is a temporary (as NumPy's
    own temporary elision does), which saves a pass over memory.
    """
    forward = getattr(NDArrayOperatorsMixin, "__%s__" % name)
    reflected = getattr(NDArrayOperatorsMixin, "__r%s__" % name)

    def method(self, other):
        temporaries = []
        if sys.getrefcount(self) <= TEMPORARY_REFS:
            temporaries.append(self)
        if isinstance(other, DistArray) and sys.getrefcount(other) <= TEMPORARY_REFS:
            temporaries.append(other)
        function, operands = (ufunc, (self, other)) if ufunc is not np.power else \
            power_operation(self, other)
        if function is ufunc and (not temporaries or not _plain(other)):
            return forward(self, other)
        from . import ufuncs

        return ufuncs.call(function, operands, {}, temporaries)

    def reflected_method(self, other):
        if sys.getrefcount(self) > TEMPORARY_REFS or not _plain(other):
            return reflected(self, other)
        from . import ufuncs

        return ufuncs.call(ufunc, (other, self), {}, [self])

    for function, prefix in ((method, ""), (reflected_method, "r")):
        function.__name__ = function.__qualname__ = "__%s%s__" % (prefix, name)
        setattr(DistArray, function.__name__, function)


def power_operation(a, exponent):
    """The ufunc and operands of ``a ** exponent`` as ndarray's operator chooses them.

    The Python int 2 squares (``bool ** 2`` is int8) and -1 takes the reciprocal
    of an inexact array (complex results have NumPy's signed zeros).
    """
    if type(exponent) is int and (exponent == 2 or exponent == -1 and a.dtype.kind in "fc"):
        return (np.square if exponent == 2 else np.reciprocal), (a,)
    return np.power, (a, exponent)


def _comparing(name):
    """DistArray's ``__<name>__`` (eq or ne): NumPy's operator, which also compares
    structured arrays, field by field (``np.equal`` itself refuses them), and answers
    all False (ne: True) for dtypes it has no comparison for (strings with numbers)."""
    compare = getattr(NDArrayOperatorsMixin, "__%s__" % name)

    def method(self, other):
        if not self.dtype.names and _answers_ufuncs(other):
            return compare(self, other)  # e.g. a traced value of fusion
        mine = np.empty(0, self.dtype)
        theirs = other if np.ndim(other) == 0 and not isinstance(other, DistArray) \
            else np.empty(0, dtype_of(other))
        if self.dtype.names:
            getattr(mine, "__%s__" % name)(theirs)  # NumPy's TypeError for what it refuses
            return _compare_records(self, other, compare, name)
        try:
            compare(mine, theirs)  # a dry run: no loop (TypeError) -> NumPy's constant
        except TypeError:
            from .creation import full

            shape = np.broadcast_shapes(self.shape, shape_of(other))
            return full(self.distribution if shape == self.shape else shape, name == "ne",
                        bool, context=None if shape == self.shape else self.context)
        return compare(self, other)

    method.__name__ = method.__qualname__ = "__%s__" % name
    setattr(DistArray, method.__name__, method)


def _compare_records(a, other, compare, name):
    """``a == other`` (``!=``) of structured arrays: each field compared, and combined."""
    if not isinstance(other, DistArray):
        other = np.asarray(other)
    combine = np.logical_and if name == "eq" else np.logical_or
    result = None
    for field in a.dtype.names:
        part = compare(a[field], other[field])
        result = part if result is None else combine(result, part)
    return result


_comparing("eq")
_comparing("ne")


def _answers_ufuncs(x):
    """Whether ``x`` has its own ``__array_ufunc__`` (a traced value of fusion, ...)."""
    answer = getattr(type(x), "__array_ufunc__", np.ndarray.__array_ufunc__)
    return answer not in (np.ndarray.__array_ufunc__, DistArray.__array_ufunc__)


def _plain(x):
    """Whether NumPy's dispatch would hand ``x`` with a DistArray straight to distarray."""
    return isinstance(x, (DistArray, numbers.Number, np.generic)) or type(x) is np.ndarray


for _ufunc, _name in ((np.add, "add"), (np.subtract, "sub"), (np.multiply, "mul"),
                      (np.true_divide, "truediv"), (np.floor_divide, "floordiv"),
                      (np.power, "pow"), (np.remainder, "mod")):
    _eliding(_ufunc, _name)


def _part_dtype(dtype):
    """The dtype of the real and imaginary parts of a complex ``dtype``."""
    return np.empty(0, dtype).real.dtype


def shape_of(x):
    """The shape of a DistArray or of anything NumPy makes an array of."""
    return x.shape if isinstance(x, DistArray) else np.shape(x)


def dtype_of(x):
    """The dtype of a DistArray or of anything NumPy makes an array of."""
    return x.dtype if isinstance(x, DistArray) else np.asarray(x).dtype
