"""Random DistArrays: NumPy's ``Generator`` API, reproducible at any scale.

>>> rng = distarray.random.default_rng(42)
>>> x = rng.normal(0.0, 2.0, size=(1000, 1000))              # a DistArray
>>> y = rng.integers(0, 10, size=10**6, dist="c", dtype="u1")

For a given seed the values depend only on the seed, the sequence of calls,
the method and its arguments, the shape and the dtype: **not** on the number
of workers nor on the distribution.  Each call of a generator draws from its
own stream ``SeedSequence(entropy, spawn_key=(..., call))``, and an array is
made of fixed tiles of :data:`TILE` consecutive elements (C order), tile ``k``
being drawn by NumPy from ``SeedSequence(entropy, spawn_key=(..., call, k))``
(see :mod:`distarray.local.random_kernels` for the exact procedure, which
plain NumPy reproduces).  A worker draws every tile its elements touch, in
full: blocks on the leading axes cost about ``size / nworkers`` draws per
worker, cyclic layouts or layouts that distribute only trailing axes make
every worker draw (nearly) the whole array.

The values are not those NumPy's own ``default_rng(seed)`` gives, and the
module-level legacy functions (``seed``, ``rand``, ``randn``, ``randint``, ...)
do not reproduce ``numpy.random``'s legacy MT19937 stream: they use a global
:class:`Generator` that :func:`seed` re-creates.

Arguments are checked on the client by NumPy itself (the call is first tried
on a throwaway NumPy generator), so a bad argument raises what NumPy raises,
before anything is sent to the workers, and does not advance the generator.
Distribution parameters may be arrays (NumPy arrays or DistArrays) that
broadcast to the result, as in NumPy: the result is then drawn in whole tiles
on a flat layout, tile ``k`` with the parameters of its elements, and moved to
the requested distribution.  NumPy checks the parameters at the first element
on the client; a bad value elsewhere raises NumPy's error on the worker that
draws it (a :class:`~distarray.WorkerError` that is also that error's type).
Every method takes, besides NumPy's
arguments, the placement keywords of :func:`distarray.empty`:
``distribution``, ``context``, ``dist``, ``grid_shape`` and ``targets``.
``size=None`` without a distribution returns a NumPy scalar, as NumPy does.
"""

import inspect
import math
import operator

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .api import creation
from .api.darray import DistArray
from .api.indexing import redistribute
from .api.shape import broadcast_to, reshape, take
from .local.random_kernels import DISTRIBUTIONS, TILE, tile_generator, values_at
from .plan.distribution import Distribution, normalize_shape
from .plan.maps import BlockMap
from .runtime.messages import Ref

__all__ = ["Generator", "TILE", "bytes", "choice", "default_rng", "permutation", "rand",
           "randint", "randn", "random_sample", "seed", "shuffle", *DISTRIBUTIONS]

_PLACEMENT = frozenset({"distribution", "context", "dist", "grid_shape", "targets"})

#: Each call is first tried here (on at most one element) to raise NumPy's errors.
_TRIAL = np.random.default_rng(0)


def _seed_parts(seed):
    """``(entropy, spawn_key, pool_size)`` of whatever NumPy's ``default_rng`` accepts."""
    if isinstance(seed, np.random.Generator):
        seed = seed.bit_generator
    if isinstance(seed, np.random.BitGenerator):
        high, low = (int(word) for word in seed.random_raw(2))
        seed = (high << 64) | low
    if not isinstance(seed, np.random.SeedSequence):
        seed = np.random.SeedSequence(seed)
    return seed.entropy, tuple(int(k) for k in seed.spawn_key), seed.pool_size


def _parameter(value):
    """A distribution parameter: a scalar (0-d DistArrays fetched), a NumPy array or a
    DistArray."""
    if isinstance(value, DistArray):
        return value.toarray()[()] if value.ndim == 0 else value
    return value if np.ndim(value) == 0 else np.asarray(value)


def _first(value):
    """The parameter's first element, as a NumPy array of its dimensions (empty: itself)."""
    if np.ndim(value) == 0 or 0 in value.shape:
        return value if np.ndim(value) == 0 else np.empty(value.shape, value.dtype)
    corner = (slice(0, 1),) * value.ndim
    return value[corner].toarray() if isinstance(value, DistArray) else value[corner]


def _broadcast_shape(args, size):
    """The shape of a draw with array parameters ``args`` (and ``size``), NumPy's errors."""
    shape = np.broadcast_shapes(*map(np.shape, args))
    if size is None:
        return shape
    size = normalize_shape(size)
    if np.broadcast_shapes(size, shape) != size:
        raise ValueError("Output size %s is not compatible with broadcast dimensions of "
                         "inputs %s." % (size, shape))
    return size


def _flat_parameter(value, flat, shape):
    """Parameter ``value`` broadcast to ``shape`` and laid out as ``flat`` (1-D)."""
    if not isinstance(value, DistArray):
        if value.shape == shape:
            return creation.fromarray(value.reshape(-1), flat)
        value = creation.fromarray(value, context=flat.context, targets=flat.targets)
    if value.shape != shape:
        value = broadcast_to(value, shape, context=flat.context)
    return redistribute(reshape(value, flat.shape), flat)


def _tile_layout(distribution):
    """A 1-D block layout of ``distribution``'s elements, split between tiles."""
    total, n = math.prod(distribution.shape), len(distribution.targets)
    tiles = -(-total // TILE)
    bounds = [min(total, TILE * (tiles * r // n)) for r in range(n + 1)]
    return Distribution.from_maps(distribution.context, [BlockMap(total, n, bounds)],
                                  distribution.targets)


def _count(distribution):
    """Number of elements drawn: one for a scalar (no distribution)."""
    return 1 if distribution is None else math.prod(distribution.shape)


def _trial_size(size, placement):
    """Size of the NumPy trial of a call: 0 for an empty result, else 1.

    NumPy checks the parameters before the size, so an invalid size gives 1
    here (and is refused afterwards, when the result is planned).
    """
    shape = placement.get("distribution")
    shape = size if shape is None else shape
    if shape is None:
        return 1
    if isinstance(shape, Distribution):
        return min(math.prod(shape.shape), 1)
    try:
        return min(math.prod(normalize_shape(shape)), 1)
    except (TypeError, ValueError):
        return 1


def _no_out(out):
    if out is not None:
        raise NotImplementedError("distarray.random does not support out=")


def _gathered(a):
    """The population of ``choice``/``permutation`` on the client, at most 1-D."""
    if isinstance(a, DistArray):
        a = a.toarray()
    if np.ndim(a) > 1:
        raise NotImplementedError("distarray.random supports 1-D populations only, got an "
                                  "array of shape %s" % (np.shape(a),))
    return a


class Generator:
    """A reproducible source of random DistArrays (make one with :func:`default_rng`).

    Parameters
    ----------
    seed : None, int, sequence of int, numpy.random.SeedSequence, numpy.random.Generator or
           numpy.random.BitGenerator
        As for :func:`numpy.random.default_rng` (None: fresh entropy from the OS).  A NumPy
        generator or bit generator is used to draw 128 bits of entropy.
    context : Context, optional
        Workers of the arrays made (default: the default context at each call).

    Each call advances the generator: call ``i`` draws from the stream
    ``SeedSequence(entropy, spawn_key=spawn_key + (i,))``.  Not thread-safe.
    """

    def __init__(self, seed=None, context=None):
        self._seed = _seed_parts(seed)
        self._calls = 0
        self._children = 0
        self.context = context

    @property
    def seed_sequence(self):
        """The ``numpy.random.SeedSequence`` this generator's streams derive from."""
        entropy, spawn_key, pool_size = self._seed
        return np.random.SeedSequence(entropy, spawn_key=spawn_key, pool_size=pool_size)

    def spawn(self, n_children):
        """``n_children`` new independent generators (as ``numpy.random.Generator.spawn``)."""
        entropy, spawn_key, pool_size = self._seed
        first, self._children = self._children, self._children + n_children
        # The children's stream keys are one longer than this generator's: no overlap.
        return [Generator(np.random.SeedSequence(entropy, spawn_key=(*spawn_key, first + i),
                                                 pool_size=pool_size), self.context)
                for i in range(n_children)]

    def __repr__(self):
        return "<distarray.random.Generator entropy=%s spawn_key=%s calls=%d>" % (
            self._seed[0], self._seed[1], self._calls)

    # -- machinery ------------------------------------------------------------------
    def _seed_of(self, call):
        """The ``(entropy, spawn_key, pool_size)`` of the stream of call ``call``."""
        entropy, spawn_key, pool_size = self._seed
        return entropy, (*spawn_key, call), pool_size

    def _next_seed(self):
        self._calls += 1
        return self._seed_of(self._calls - 1)

    def _where(self, size, placement):
        """The Distribution of the result, or None for a scalar result."""
        unknown = set(placement) - _PLACEMENT
        if unknown:
            raise TypeError("unexpected keyword argument %r" % sorted(unknown)[0])
        distribution = placement.get("distribution")
        if size is None and distribution is None:
            return None
        target = creation.shape_or(distribution, size)
        context = placement.get("context")
        if context is None and not isinstance(target, Distribution):
            context = self.context
        return creation.plan(target, context, placement.get("dist"),
                             placement.get("grid_shape"), placement.get("targets"))

    def _fill(self, distribution, draw, dtype):
        """Draw ``draw = (method, args, kwargs)`` into a new DistArray (or a scalar)."""
        seed = self._next_seed()
        if distribution is None:
            return values_at(np.zeros((), np.int64), draw, seed, 1, dtype)[()]
        return creation.create_array(distribution, "random_fill", dtype, draw, seed)

    def _fill_varying(self, distribution, draw, dtype):
        """Draw ``draw``, whose arguments include arrays, into a new DistArray.

        The generator advances only if every worker drew its values.
        """
        method, args, options = draw
        flat = _tile_layout(distribution)
        shape = distribution.shape
        params = [_flat_parameter(a, flat, shape) if np.ndim(a) else a for a in args]
        sent = tuple(Ref(p.key) if isinstance(p, DistArray) else p for p in params)
        values = creation.create_array(flat, "random_fill_tiles", dtype, (method, sent, options),
                                       self._seed_of(self._calls))
        self._calls += 1
        return redistribute(reshape(values, shape), distribution)

    def _sample(self, method, params, options, size, placement):
        """Check a draw with NumPy, then make it with the tile scheme."""
        args = tuple(map(_parameter, params.values()))
        if not any(np.ndim(a) for a in args):
            trial = getattr(_TRIAL, method)(*args, size=_trial_size(size, placement), **options)
            return self._fill(self._where(size, placement), (method, args, options),
                              creation.check_dtype(trial.dtype))
        trial = getattr(_TRIAL, method)(*map(_first, args), **options)  # NumPy's checks
        distribution = placement.get("distribution")
        shape = _broadcast_shape(args, size if distribution is None else distribution.shape)
        return self._fill_varying(self._where(shape, placement), (method, args, options),
                                  creation.check_dtype(trial.dtype))

    def _order(self, size, count, p=None):
        """``count`` distinct positions of ``range(size)``, drawn with weights ``p``.

        Computed on the client: position ``i`` gets the key ``E_i / p_i`` with
        ``E_i`` standard exponential (tile scheme over the population), and the
        ``count`` smallest keys, in order, are the sample (successive sampling
        proportional to ``p``; uniform without ``p``).
        """
        size = max(int(size), 0)
        keys = values_at(np.arange(size), ("standard_exponential", (), {}), self._next_seed(),
                         size, np.float64)
        if p is not None:
            with np.errstate(divide="ignore"):
                keys = keys / np.asarray(p, dtype=np.float64)
        return np.argsort(keys, kind="stable")[:count]

    def _without_replacement(self, population, count, p, distribution):
        """``count`` distinct draws from ``population`` (an int n: ``arange(n)``), weights
        ``p``, scattered as ``distribution`` (None: one scalar)."""
        whole = isinstance(population, (int, np.integer))
        chosen = self._order(population if whole else len(population), count, p)
        values = chosen if whole else population[chosen]
        if distribution is None:
            return values[0]
        return creation.fromarray(values.reshape(distribution.shape), distribution)

    # -- NumPy's Generator methods (those drawing element by element: see below) ---
    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True, **placement):
        """Samples from a 1-D population ``a`` (an int n: ``arange(n)``), as NumPy's ``choice``.

        With replacement each element is drawn independently with the tile scheme
        (NumPy's ``choice`` on each tile: integers, or the inverse CDF of ``p``); the
        population and ``p`` are sent to every worker.  Without replacement the
        sample is computed on the client (keys for the whole population, then a
        sort: O(population) time and memory there) and scattered with
        :func:`distarray.fromarray`; it still depends only on the seed, not on the
        workers.  ``shuffle=False`` is accepted; the order stays random.
        """
        a = _gathered(a)
        if isinstance(p, DistArray):
            p = p.toarray()
        trial = _TRIAL.choice(a, size=_trial_size(size, placement), replace=replace, p=p,
                              axis=axis, shuffle=shuffle)
        dtype = creation.check_dtype(trial.dtype)
        a = operator.index(np.asarray(a).item()) if np.ndim(a) == 0 else np.asarray(a)
        distribution = self._where(size, placement)
        count = _count(distribution)
        if replace:
            return self._fill(distribution, ("choice", (a,), {"p": p, "axis": axis}), dtype)
        pop_size = a if isinstance(a, (int, np.integer)) else len(a)
        if count > pop_size:
            raise ValueError("Cannot take a larger sample than population when replace is False")
        if p is not None and np.count_nonzero(np.asarray(p) > 0) < count:
            raise ValueError("Fewer non-zero entries in p than size")
        return self._without_replacement(a, count, p, distribution)

    def permutation(self, x, axis=0, **placement):
        """A random permutation of ``arange(x)`` (int ``x``) or of a 1-D array ``x``.

        Computed on the client and scattered (see :meth:`choice` without
        replacement); independent of the workers.  A DistArray ``x`` is gathered,
        and the result takes its distribution unless placement keywords are given.
        """
        if isinstance(x, DistArray) and not placement:
            placement = {"distribution": x.distribution}
        x = _gathered(x)
        if not isinstance(x, (int, np.integer)):
            x = np.asarray(x)
            _TRIAL.permutation(x if x.ndim == 0 else x[:0], axis=axis)  # NumPy's errors
            creation.check_dtype(x.dtype)
        n = max(int(x), 0) if isinstance(x, (int, np.integer)) else len(x)
        return self._without_replacement(x, n, None, self._where((n,), placement))

    def shuffle(self, x, axis=0):
        """Shuffle DistArray ``x`` in place along ``axis``, as NumPy's ``shuffle``.

        The order is drawn as :meth:`permutation` draws it (on the client, one
        index per position along ``axis``); the elements move worker to worker.
        """
        if not isinstance(x, DistArray):
            raise TypeError("distarray.random shuffles DistArrays (got %s; use NumPy's "
                            "generators for other arrays)" % type(x).__name__)
        _TRIAL.shuffle(np.empty((0,) * x.ndim, x.dtype), axis=axis)  # NumPy's errors
        axis = normalize_axis_index(axis, x.ndim)
        x[...] = take(x, self._order(x.shape[axis], x.shape[axis]), axis=axis)

    def bytes(self, length):
        """``length`` random bytes (drawn on the client), as NumPy's ``bytes``."""
        return tile_generator(self._next_seed(), 0).bytes(length)


def _drawing(name):
    """The :class:`Generator` method ``name`` (see ``DISTRIBUTIONS``), with NumPy's signature."""
    params, options = DISTRIBUTIONS[name]
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature = inspect.Signature(
        [inspect.Parameter("self", kind)]
        + [inspect.Parameter(p, kind, default=inspect.Parameter.empty if d is ... else d)
           for p, d in params]
        + [inspect.Parameter(o, kind, default=d) for o, d in (("size", None), *options)]
        + [inspect.Parameter("placement", inspect.Parameter.VAR_KEYWORD)])

    def method(*args, **kwargs):
        values = signature.bind(*args, **kwargs)
        values.apply_defaults()
        values = dict(values.arguments)
        self, size, placement = values.pop("self"), values.pop("size"), values.pop("placement")
        _no_out(values.pop("out", None))
        chosen = {o: values.pop(o) for o, _ in options if o != "out"}
        return self._sample(name, values, chosen, size, placement)

    method.__name__ = method.__qualname__ = name
    method.__signature__ = signature
    method.__doc__ = ("Samples of NumPy's ``Generator.%s`` (parameters: scalars or arrays that "
                      "broadcast), drawn tile by tile; ``size=None`` with scalar parameters "
                      "gives one NumPy scalar." % name)
    return method


for _name in DISTRIBUTIONS:
    setattr(Generator, _name, _drawing(_name))


def default_rng(seed=None, context=None):
    """A new :class:`Generator` (a Generator ``seed`` is returned unaltered, as in NumPy).

    Parameters
    ----------
    seed : None, int, sequence of int, numpy.random.SeedSequence, numpy.random.Generator,
           numpy.random.BitGenerator or Generator
        The seed (None: fresh entropy from the operating system).
    context : Context, optional
        Workers of the arrays made (default: the default context at each call).
    """
    if isinstance(seed, Generator):
        return seed
    return Generator(seed, context)


# -- module-level functions on a global generator -------------------------------------
_GLOBAL = {"rng": Generator()}


def seed(seed=None):
    """Re-seed the global generator of the module-level functions (as ``numpy.random.seed``).

    The values are reproducible but are not those of NumPy's legacy generator.
    """
    _GLOBAL["rng"] = Generator(seed)


def _on_global(name):
    """The global generator's method ``name`` as a module function."""
    def function(*args, **kwargs):
        return getattr(_GLOBAL["rng"], name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = getattr(Generator, name).__doc__
    return function


# Every Generator method is also a module function (on the global generator).
globals().update((name, _on_global(name)) for name in DISTRIBUTIONS)
choice, permutation, shuffle, bytes = map(_on_global, ("choice", "permutation", "shuffle",
                                                       "bytes"))


def random_sample(size=None, **placement):
    """Floats uniform in [0, 1), from the global generator (legacy name)."""
    return _GLOBAL["rng"].random(size, **placement)


def rand(*dims, **placement):
    """Floats uniform in [0, 1) of shape ``dims`` (legacy; ``rand()`` gives a scalar)."""
    return _GLOBAL["rng"].random(dims or None, **placement)


def randn(*dims, **placement):
    """Standard normal samples of shape ``dims`` (legacy; ``randn()`` gives a scalar)."""
    return _GLOBAL["rng"].standard_normal(dims or None, **placement)


def randint(low, high=None, size=None, dtype=int, **placement):
    """Integers in [low, high), or [0, low) without ``high`` (legacy name of ``integers``)."""
    return _GLOBAL["rng"].integers(low, high, size, dtype=dtype, **placement)
