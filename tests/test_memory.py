"""The workers' cache of freed buffers (``distarray.local.memory``) and the client's doorbell."""

import threading
import time

import numpy as np
import pytest

from distarray.local import allocator, memory
from distarray.local.localarray import Layout, LocalArray
from distarray.local.registry import release
from distarray.plan.maps import UndistributedMap
from distarray.runtime import doorbell

LAYOUT = Layout((UndistributedMap(500), UndistributedMap(600)), (0, 0))  # 2.4 MB of float64


@pytest.fixture(autouse=True)
def empty_cache():
    memory.clear()
    yield
    memory.clear()


def _released(local):
    registry = {0: local}
    del local
    release(registry.pop(0))


def test_a_released_buffer_is_reused_for_any_dtype_of_the_same_size():
    first = LocalArray.empty(LAYOUT, np.float64)
    address = first.ndarray.ctypes.data
    _released(first)
    assert memory.held() == first.ndarray.nbytes
    del first
    again = LocalArray.empty(Layout((UndistributedMap(1000), UndistributedMap(600)), (0, 0)),
                             np.int32)
    assert again.ndarray.ctypes.data == address and memory.held() == 0
    again.ndarray[...] = 7
    assert (again.ndarray == 7).all()


def test_a_buffer_something_still_sees_is_not_reused():
    kept = LocalArray.empty(LAYOUT, np.float64)
    _released(kept)  # ``kept`` still refers to it
    view_owner = LocalArray.empty(LAYOUT, np.float64)
    view = view_owner.ndarray[10:20]
    _released(view_owner)
    assert memory.held() == 0
    assert view.base is not None and kept.ndarray.size


def test_small_and_object_arrays_bypass_the_cache():
    _released(LocalArray.empty(Layout((UndistributedMap(10),), (0,)), np.float64))
    objects = LocalArray.empty(LAYOUT, object)
    assert objects.ndarray[0, 0] is None
    _released(objects)
    assert memory.held() == 0


def test_the_cache_stays_under_its_limit(monkeypatch):
    monkeypatch.setattr(memory, "LIMIT", 5_000_000)
    for _ in range(3):
        _released(LocalArray.empty(LAYOUT, np.float64))  # each 2.4 MB
        assert memory.held() <= memory.LIMIT
    locals_ = [LocalArray.empty(LAYOUT, np.float64) for _ in range(3)]
    for local in locals_:
        local.ndarray[...] = 0
    del locals_
    assert memory.held() == 0


def test_elementwise_loops_reuse_buffers_and_stay_correct(ctx):
    x = np.arange(300_000, dtype=np.float64)
    a = ctx.fromarray(x)
    for step in range(4):
        c = a * 2 + step
        np.testing.assert_array_equal(c.toarray(), x * 2 + step)
        del c
    held = ctx.apply(memory.held)
    assert all(0 <= h <= memory.LIMIT for h in held)


@pytest.mark.skipif(not doorbell.AVAILABLE, reason="doorbells need Linux")
def test_doorbell_wakes_a_sleeper_and_forgets_rings():
    bell = doorbell.open_doorbell()
    ringer, other = doorbell.Ringer(bell.name, 3), doorbell.Ringer(bell.name, 70000)
    try:
        assert bell.sleep(0.001) == set()
        threading.Timer(0.05, ringer.ring).start()
        assert bell.sleep(30.0) == {3}
        ringer.ring()
        other.ring()
        ringer.ring()
        assert bell.sleep(0.0) == {3, 70000} and bell.sleep(0.0) == set()
    finally:
        ringer.close()
        other.close()
        bell.close()
    doorbell.Ringer("\0distarray-nobody", 0).ring()  # a gone bell is ignored


@pytest.mark.skipif(not doorbell.AVAILABLE, reason="doorbells need Linux")
def test_local_workers_ring_the_client(ctx):
    assert ctx.pool.channel.doorbell is not None

    def ringer():
        from distarray.runtime import wire
        from distarray.runtime.messages import DOORBELL
        return wire._registry[DOORBELL]

    assert ctx.apply(ringer) == [ctx.pool.channel.doorbell.name] * ctx.nworkers
    slow = ctx.apply(lambda: __import__("time").sleep(0.02) or 5)  # the client sleeps on its bell
    assert slow == [5] * ctx.nworkers


def _heap_state(nbytes):
    """On a worker: the bytes malloc holds in mmapped blocks while an array of ``nbytes``
    is alive, and the resident set size then and after the array is freed."""
    import ctypes
    import os

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    def resident():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Mallinfo2
    block = np.ones(nbytes // 8)  # touched: resident
    mapped, alive = libc.mallinfo2().hblkhd, resident()
    del block
    return mapped, alive, resident()


@pytest.mark.skipif(allocator._libc is None or not hasattr(allocator._libc, "mallinfo2"),
                    reason="the allocator is tuned with glibc only")
def test_workers_keep_freed_memory_while_busy_and_give_it_back_when_idle(contexts):
    ctx = contexts[1]
    mapped, _, _ = ctx.apply(_heap_state, (0,))[0]
    mapped_with_block, alive, freed = ctx.apply(_heap_state, (64 << 20,))[0]
    assert mapped_with_block == mapped  # 64 MB from the heap, not a fresh mapping
    assert alive - freed < 8 << 20  # kept for the next command
    time.sleep(allocator.IDLE_SECONDS + 0.5)
    _, _, idle = ctx.apply(_heap_state, (0,))[0]
    assert alive - idle > 32 << 20  # given back to the system once idle
