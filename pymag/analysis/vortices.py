"""Vortex and antivortex cores: where, which kind, circulation and polarity (NeuralMAG, Cai et al., sec. 4.5)."""
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..errors import PymagError
from .winding import cell_differences, density, layer_view

ROTATION = {1: "ccw", -1: "cw", 0: "radial"}


@dataclass(frozen=True)
class Vortex:
    """One core: ``kind`` "vortex" or "antivortex"; ``x``, ``y`` (m) its centre in the
    mesh's cell-centre coordinates; ``circulation`` +1 counterclockwise seen from +z, -1
    clockwise, 0 for an antivortex and for a curl-free (radial) vortex; ``polarity`` the
    sign of m_z at the core;
    ``winding`` the summed winding density of its cluster (about +1/2 or -1/2)."""

    kind: str
    x: float
    y: float
    circulation: int
    polarity: int
    winding: float

    @property
    def label(self):
        """Short name such as "V+ ccw" (vortex, core up, counterclockwise) or "AV-"."""
        sign = {1: "+", -1: "-", 0: "0"}[self.polarity]
        if self.kind == "antivortex":
            return f"AV{sign}"
        return f"V{sign} {ROTATION[self.circulation]}"


def _curl_z(view):
    """(curl m)_z = d_x m_y - d_y m_x (1/m) per cell."""
    dx, dy = cell_differences(view, 0), cell_differences(view, 1)
    return dx[1] / view.cell[0] - dy[0] / view.cell[1]


def _quiet_shift(wd, axis, periodic):
    """Roll that puts the row of least |WD| at the start of a periodic axis, so no core is cut in two."""
    if not periodic:
        return 0
    return -int(np.argmin(np.abs(wd).sum(axis=1 - axis)))


def find_vortices(system_or_m, layer=None, threshold=0.05, magnet=None, cell=None, periodic=None):
    """Vortex and antivortex cores of a film, a list of Vortex sorted by x then y.

    Cores are connected clusters (8-neighbour) of cells whose winding density exceeds
    ``threshold`` times the largest |WD| of the layer, positive and negative clusters
    apart. A cluster summing to at least +1/4 is a vortex, to at most -1/4 an antivortex;
    weaker clusters (noise, textures that are no core) are dropped. Its position and
    polarity are the |WD|-weighted mean of the cell centres and of m_z over the cluster;
    its circulation is the sign of (curl m)_z summed over it (0 when that cancels to
    round-off). Two cores closer than their core size merge into one cluster. ``layer``:
    an int, or None for the layer-averaged m. A raw magnetization needs ``cell`` =
    (dx, dy, dz) (m).
    """
    view = layer_view(system_or_m, layer, magnet, cell, periodic)
    if view.m.ndim != 3:
        raise PymagError(f"find_vortices takes one state, got a batch of shape {view.m.shape[:-3]}")
    if view.cell is None:
        raise PymagError("find_vortices needs the cell size of a raw magnetization: pass cell=(dx, dy, dz) in m")
    if not 0 < threshold < 1:
        raise PymagError(f"threshold is a fraction of the largest |winding density|, in (0, 1); got {threshold}")
    wd = density(view)
    shifts = tuple(_quiet_shift(wd, a, view.periodic[a]) for a in (0, 1))
    wd = np.roll(wd, shifts, (0, 1))
    mz = np.roll(view.m[2], shifts, (0, 1))
    curl = np.roll(_curl_z(view), shifts, (0, 1))
    nx, ny = wd.shape
    x = (np.arange(nx) - (nx - 1) / 2 - shifts[0]) * view.cell[0]
    y = (np.arange(ny) - (ny - 1) / 2 - shifts[1]) * view.cell[1]
    size = (nx * view.cell[0], ny * view.cell[1])
    xx, yy = np.meshgrid(x, y, indexing="ij")
    level = threshold * np.abs(wd).max()
    weight = np.abs(wd)
    cores = []
    for sign, kind in ((1, "vortex"), (-1, "antivortex")):
        labels, count = ndimage.label(sign * wd > level, structure=np.ones((3, 3)))
        index = np.arange(1, count + 1)
        winding = ndimage.sum_labels(wd, labels, index)
        index, winding = index[sign * winding >= 0.25], winding[sign * winding >= 0.25]
        total = ndimage.sum_labels(weight, labels, index)
        cx, cy, core_mz = (ndimage.sum_labels(weight * f, labels, index) / total for f in (xx, yy, mz))
        if view.periodic[0]:
            cx = (cx + size[0] / 2) % size[0] - size[0] / 2
        if view.periodic[1]:
            cy = (cy + size[1] / 2) % size[1] - size[1] / 2
        # a curl that cancels to round-off (a radial vortex) has no sense of rotation
        net = ndimage.sum_labels(curl, labels, index)
        net[np.abs(net) <= 1e-9 * ndimage.sum_labels(np.abs(curl), labels, index)] = 0
        circulation = np.sign(net) if sign > 0 else np.zeros_like(net)
        cores += [Vortex(kind, float(a), float(b), int(c), int(p), float(w))
                  for a, b, c, p, w in zip(cx, cy, circulation, np.sign(core_mz), winding)]
    return sorted(cores, key=lambda v: (v.x, v.y))
