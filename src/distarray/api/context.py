"""``Context``: a set of workers that distributed arrays live on."""

import functools
import threading
import weakref

from ..errors import ContextError
from ..plan.distribution import Distribution
from ..runtime.launch import default_mode
from ..runtime.messages import WORLD, Ref
from ..runtime.pool import Pool

#: Default distributions cached per context (by shape).
PLAN_CACHE_SIZE = 1024

_default = {"context": None}
_lock = threading.Lock()


class Context:
    """A set of workers on which distributed arrays are created and computed.

    Parameters
    ----------
    nworkers : int, optional
        Number of workers.  In interactive mode a new pool of that many worker
        processes is started (default: the usable cores, at least 2, or the
        ``DISTARRAY_NWORKERS`` environment variable).  In batch mode
        (``mpiexec -n N+1 python script.py``) the first ``nworkers`` of the N
        worker ranks are used.
    targets : sequence of int, optional
        Use these workers (ranks) of the default context's pool instead of
        starting a new pool; several contexts may share a pool this way.
    launcher : {'interactive', 'batch', 'spawn'}, optional
        How to start workers (default: batch under an MPI launcher, else
        interactive; or the ``DISTARRAY_LAUNCHER`` environment variable).
    timeout : float
        Seconds allowed for the workers to start.

    Examples
    --------
    >>> with Context(2) as ctx:                           # doctest: +SKIP
    ...     a = ctx.zeros((4, 4))
    """

    def __init__(self, nworkers=None, targets=None, launcher=None, timeout=60.0):
        mode = launcher or default_mode()
        self._owns_pool = targets is None and mode != "batch"
        if self._owns_pool:
            self.pool = Pool(nworkers, mode, timeout)
        elif mode == "batch":
            self.pool = _batch_pool(timeout)
        else:
            self.pool = default_context(mode, timeout).pool
        if targets is None:
            targets = range(self.pool.nworkers if nworkers is None else nworkers)
        self.targets = _check_targets(targets, self.pool.nworkers)
        self._carts = {}
        self._layouts = {}
        self._plans = {}
        self._derived = {}
        self._functions = {}
        self.closed = False
        with _lock:
            if _default["context"] is None or _default["context"].closed:
                _default["context"] = self

    # -- plumbing used by arrays ----------------------------------------------------
    @property
    def nworkers(self):
        """Number of workers of this context."""
        return len(self.targets)

    def check_open(self):
        """Raise :class:`ContextError` if the context was closed."""
        if self.closed or self.pool.closed:
            raise ContextError("this Context has been closed")

    def cart(self, targets, grid_shape):
        """Registry key of the Cartesian communicator for a grid over ``targets``.

        Created on first use and cached: one communicator per distinct grid,
        never one per array.
        """
        key = (tuple(targets), tuple(grid_shape))
        if key not in self._carts:
            cart = self.pool.new_key()
            self.pool.send("make_cart", Ref(WORLD), key[0], key[1], targets=key[0], out=cart)
            self._carts[key] = cart
        return self._carts[key]

    def layout(self, distribution):
        """Registry key of the workers' layout for ``distribution`` (made once, cached).

        The layout (maps, grid coordinates, communicator) is sent to the workers
        the first time a distribution is used; later commands name it by key.
        It is released when the Distribution object is garbage collected.
        """
        key = self._layouts.get(id(distribution))
        if key is None:
            cart = self.cart(distribution.targets, distribution.grid_shape)
            key = self.pool.new_key()
            self.pool.send("make_layout", Ref(cart), distribution.maps,
                           targets=distribution.targets, out=key)
            self._layouts[id(distribution)] = key
            weakref.finalize(distribution, self._forget_layout, id(distribution), key)
        return key

    def _forget_layout(self, ident, key):
        self._layouts.pop(ident, None)
        self.pool.free(key)

    def derived(self, base, how, make):
        """``make()``: a plan derived from Distribution ``base`` as ``how`` (hashable) says.

        Remembered (a bounded table), so that the same view of the same
        distribution is one Distribution object, whose layout the workers
        already have: a stencil's shifted slices make no new layouts.  Not for
        unstructured maps, whose index arrays the table would keep alive.
        """
        if any(m.dist == "u" for m in base.maps):
            return make()
        key = (id(base), how)
        entry = self._derived.get(key)
        if entry is None or entry[0] is not base:
            if len(self._derived) >= PLAN_CACHE_SIZE:
                self._derived.clear()
            entry = self._derived[key] = (base, make())
        return entry[1]

    def default_distribution(self, shape):
        """The default :class:`Distribution` of ``shape`` here (planned once, then cached)."""
        key = shape if type(shape) is tuple else (shape,) if type(shape) is int else None
        plan = self._plans.get(key) if key is not None else None
        if plan is None:
            plan = Distribution(self, shape)
            if key is not None and len(self._plans) < PLAN_CACHE_SIZE:
                self._plans[key] = plan
        return plan

    # -- user functions -------------------------------------------------------------
    def apply(self, func, args=(), kwargs=None, targets=None, return_proxy=False):
        """Call ``func(*args, **kwargs)`` on each worker; return the list of results.

        DistArray arguments arrive on the workers as their ``LocalArray``.
        ``targets`` (default: all of this context's workers) are worker ranks.
        With ``return_proxy=True`` the results stay on the workers and a
        :class:`Proxy` naming them is returned (e.g. for
        :meth:`DistArray.from_localarrays`).
        """
        self.check_open()
        targets = self.targets if targets is None else _check_targets(targets, self.pool.nworkers)
        args, kwargs = _to_refs(tuple(args)), _to_refs(dict(kwargs or {}))
        key = self.pool.new_key() if return_proxy else None
        results = self.pool.run("apply", self.pool.ship(func), args, kwargs, targets=targets,
                                out=key)
        if return_proxy:
            return Proxy(self, key, targets)
        return [results[t] for t in targets]

    def register(self, func):
        """Make ``ctx.<func.__name__>(*args, **kwargs)`` apply ``func`` on the workers."""
        self._functions[func.__name__] = func
        return func

    def __getattr__(self, name):
        functions = self.__dict__.get("_functions", {})
        if name in functions:
            @functools.wraps(functions[name])
            def call(*args, **kwargs):
                return self.apply(functions[name], args, kwargs)
            return call
        raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))

    # -- lifetime -------------------------------------------------------------------
    def close(self):
        """Release this context's workers (shutting them down if it started them)."""
        if self.closed:
            return
        self.closed = True
        if self._owns_pool:
            self.pool.shutdown()
        else:
            for key in self._carts.values():
                self.pool.free(key)
        with _lock:
            if _default["context"] is self:
                _default["context"] = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __repr__(self):
        state = "closed" if self.closed else "%s mode" % self.pool.mode
        return "<Context targets=%s (%s)>" % (list(self.targets), state)


class Proxy:
    """Objects left on workers by :meth:`Context.apply`, one per target, under one key."""

    def __init__(self, context, key, targets):
        self.context, self.key, self.targets = context, key, tuple(targets)

    def __del__(self):
        self.context.pool.free(self.key)

    def __repr__(self):
        return "<Proxy key=%s targets=%s>" % (self.key, list(self.targets))


def _check_targets(targets, nworkers):
    targets = tuple(int(t) for t in targets)
    if not targets:
        raise ContextError("a context needs at least one worker")
    if len(set(targets)) != len(targets):
        raise ContextError("targets contain duplicates: %s" % (targets,))
    bad = [t for t in targets if not 0 <= t < nworkers]
    if bad:
        raise ContextError("targets %s are not workers of a pool of %d" % (bad, nworkers))
    return targets


_batch = {}


def _batch_pool(timeout):
    """The one pool of a batch job: all ranks but the client's."""
    if "pool" not in _batch or _batch["pool"].closed:
        _batch["pool"] = Pool(None, "batch", timeout)
    return _batch["pool"]


def default_context(launcher=None, timeout=60.0):
    """The context used when none is given: the first one opened, else a new one."""
    with _lock:
        context = _default["context"]
    if context is None or context.closed:
        context = Context(launcher=launcher, timeout=timeout)
    return context


def set_default_context(context):
    """Make ``context`` the one used when none is given."""
    context.check_open()
    with _lock:
        _default["context"] = context


def _to_refs(value):
    """Replace DistArrays (at any nesting of tuple/list/dict) by registry references."""
    from .darray import DistArray

    if isinstance(value, (DistArray, Proxy)):
        return Ref(value.key)
    if type(value) in (tuple, list):
        return type(value)(_to_refs(v) for v in value)
    if type(value) is dict:
        return {k: _to_refs(v) for k, v in value.items()}
    return value


def _seed_method(name):
    """``Context.<name>``: the module function ``distarray.<name>`` on this context."""
    def method(self, *args, **kwargs):
        from . import creation

        return getattr(creation, name)(*args, context=self, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = "Same as :func:`distarray.%s`, on this context's workers." % name
    return method


for _name in ("array", "asarray", "empty", "zeros", "ones", "full", "fromarray", "fromfunction",
              "arange", "linspace", "empty_like", "zeros_like", "ones_like", "full_like",
              "eye", "identity", "tri", "logspace", "geomspace"):
    setattr(Context, _name, _seed_method(_name))
