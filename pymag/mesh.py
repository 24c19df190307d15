"""Regular cuboid mesh: cell counts, cell size, periodic images, cell-centre coordinates."""
import math
import os

import numpy as np

from .errors import MeshError, OutOfMemoryError


class Mesh:
    """A regular grid of ``n = (nx, ny, nz)`` cells of size ``cell = (dx, dy, dz)`` (m).

    The mesh is centred on the origin, as in mumax3. ``pbc = (px, py, pz)`` gives the
    number of periodic images on each side along each axis (0 = open boundary).
    """

    def __init__(self, n, cell, pbc=None):
        n = tuple(int(v) for v in np.broadcast_to(np.asarray(n), (3,)))
        cell = tuple(float(v) for v in np.broadcast_to(np.asarray(cell, dtype=float), (3,)))
        pbc = (0, 0, 0) if pbc is None else tuple(int(v) for v in np.broadcast_to(np.asarray(pbc), (3,)))
        if any(v < 1 for v in n):
            raise MeshError(f"cell counts must be positive integers, got n={n}")
        if any(not math.isfinite(c) or c <= 0 for c in cell):
            raise MeshError(f"cell sizes must be positive and finite (in m), got cell={cell}")
        if any(c > 1e-3 for c in cell):
            raise MeshError(f"cell size {cell} m is larger than a millimetre: did you forget the units (e.g. 2.5*nm)?")
        if any(p < 0 for p in pbc):
            raise MeshError(f"periodic image counts must be >= 0, got pbc={pbc}")
        self.n = n
        self.cell = cell
        self.pbc = pbc

    @property
    def ncells(self):
        """Total number of cells."""
        return self.n[0] * self.n[1] * self.n[2]

    @property
    def cell_volume(self):
        """Volume of one cell (m^3)."""
        return self.cell[0] * self.cell[1] * self.cell[2]

    @property
    def size(self):
        """Edge lengths of the whole mesh (m)."""
        return tuple(n * c for n, c in zip(self.n, self.cell))

    @property
    def periodic(self):
        """Per axis: True when the axis has periodic images."""
        return tuple(p > 0 for p in self.pbc)

    def axis_coordinates(self, axis):
        """Cell-centre coordinates along one axis (m), centred on the origin."""
        n, c = self.n[axis], self.cell[axis]
        return (np.arange(n) - (n - 1) / 2.0) * c

    def coordinates(self):
        """Cell-centre coordinates ``x, y, z`` (m), each a numpy array of shape ``n``."""
        return np.meshgrid(*(self.axis_coordinates(a) for a in range(3)), indexing="ij")

    def check_memory(self, dtype_bytes=8, device="cpu", arrays=40):
        """Raise OutOfMemoryError when ~``arrays`` vector fields plus a padded demag kernel
        would not fit in the memory of ``device``."""
        padded = 1
        for n, periodic in zip(self.n, self.periodic):
            padded *= n if (periodic or n == 1) else 2 * n
        need = dtype_bytes * (3 * self.ncells * arrays + 6 * padded * 2)
        have = _available_bytes(device)
        if have is not None and need > have:
            raise OutOfMemoryError(
                f"a mesh of {self.n} cells needs about {need / 2**30:.1f} GiB on {device}, "
                f"but only {have / 2**30:.1f} GiB is available; use fewer cells, float32, or another device")
        return need

    def __eq__(self, other):
        return isinstance(other, Mesh) and (self.n, self.cell, self.pbc) == (other.n, other.cell, other.pbc)

    def __hash__(self):
        return hash((self.n, self.cell, self.pbc))

    def __repr__(self):
        pbc = "" if not any(self.pbc) else f", pbc={self.pbc}"
        return f"Mesh(n={self.n}, cell={self.cell}{pbc})"


def _available_bytes(device):
    """Free memory on ``device`` in bytes, or None when it cannot be told."""
    device = str(device)
    if device.startswith("cuda"):
        import torch
        if not torch.cuda.is_available():
            return None
        free, _ = torch.cuda.mem_get_info(torch.device(device))
        return free
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (ValueError, OSError):
        return None
