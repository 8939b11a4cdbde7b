"""Worker side of indexing: views, single elements, assignment."""

from .localarray import LocalArray
from .registry import command


@command
def view(local, world, layout, local_keys):
    """A view of ``local`` (sharing its memory) through this worker's local index."""
    if layout is None:
        return None
    return LocalArray(local.ndarray[local_keys[world.Get_rank()]], layout)


@command
def get_element(local, index):
    """The element at a local buffer index, as a NumPy scalar."""
    return local.ndarray[index]


@command
def set_element(local, index, value):
    """Set the element at a local buffer index (``value`` has the array's dtype)."""
    local.ndarray[index] = value
