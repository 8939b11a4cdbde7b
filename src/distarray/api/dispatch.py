"""``__array_function__`` dispatch: NumPy functions that distarray implements.

Modules register implementations with :func:`implements`; a NumPy function
without one raises a ``TypeError`` naming it, so a distributed array is never
gathered silently.
"""

HANDLED = {}


def implements(*numpy_functions):
    """Register the decorated function as distarray's version of ``numpy_functions``."""
    def register(function):
        for numpy_function in numpy_functions:
            HANDLED[numpy_function] = function
        return function
    return register


def dispatch(func, args, kwargs):
    """Call distarray's implementation of NumPy function ``func``."""
    implementation = HANDLED.get(func)
    if implementation is None:
        name = getattr(func, "__module__", "numpy") + "." + func.__name__
        raise TypeError("distarray does not implement %s for DistArrays (gather explicitly "
                        "with d.toarray() if that is what you want)" % name)
    return implementation(*args, **kwargs)
