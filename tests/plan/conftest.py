"""Shared fixtures of the planning-layer tests (no MPI anywhere)."""

from types import SimpleNamespace

import pytest


@pytest.fixture(scope='session')
def make_context():
    """Factory of dummy contexts: ``make_context(n)`` has ``targets == (0, ..., n-1)``."""
    return lambda n, first=0: SimpleNamespace(targets=tuple(range(first, first + n)))
