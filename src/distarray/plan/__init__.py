"""Global planning layer: distributions, maps and process grids (pure Python/NumPy).

Nothing here imports MPI; every decision that depends only on shapes and
distributions is made here, on the client, and is testable without workers.
"""

from .dap import check_export, check_exports, normalize_dim_dict, owned_count
from .distribution import Distribution
from .grid import (choose_grid, coords_from_rank, normalize_dist, rank_from_coords,
                   validate_grid)
from .maps import (BlockMap, CyclicMap, Map, UndistributedMap, UnstructuredMap,
                   map_from_dim_dicts, map_from_global_dim_dict)

__all__ = [
    'BlockMap', 'CyclicMap', 'Distribution', 'Map', 'UndistributedMap', 'UnstructuredMap',
    'check_export', 'check_exports', 'choose_grid', 'coords_from_rank', 'map_from_dim_dicts',
    'map_from_global_dim_dict', 'normalize_dim_dict', 'normalize_dist', 'owned_count',
    'rank_from_coords', 'validate_grid',
]
