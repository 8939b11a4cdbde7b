"""Shared fixtures: one pool of 4 workers for the session, sub-contexts of 1-4 workers."""

import pytest

import distarray

MAX_WORKERS = 4


@pytest.fixture(scope="session")
def pool_context():
    """A context owning a pool of 4 workers (started once per test session)."""
    with distarray.Context(MAX_WORKERS) as context:
        distarray.set_default_context(context)
        yield context


@pytest.fixture(scope="session")
def contexts(pool_context):
    """Contexts on the first 1, 2, 3 and 4 workers of the session's pool."""
    made = {n: distarray.Context(targets=range(n)) for n in range(1, MAX_WORKERS)}
    made[MAX_WORKERS] = pool_context
    yield made
    for n in range(1, MAX_WORKERS):
        made[n].close()


@pytest.fixture(params=range(1, MAX_WORKERS + 1), ids=lambda n: "%dw" % n)
def ctx(request, contexts):
    """Each test using this runs with 1, 2, 3 and 4 workers."""
    return contexts[request.param]
