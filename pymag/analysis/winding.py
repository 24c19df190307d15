"""Winding density of in-plane textures and vortex counts (NeuralMAG, Cai et al., eq. 19-22).

The winding density of a cell is (1/2pi) (d_x m x d_y m)_z dx dy: the signed area that the
cell's in-plane magnetization (m_x, m_y) sweeps in the unit disk, over 2pi. It is
dimensionless; its sum over a film is the paper's WD_sum. A vortex maps its neighbourhood
once onto the unit disk with preserved orientation (+1/2), an antivortex with reversed
orientation (-1/2), whatever their circulation or polarity, so eq. 22 counts
N_vortex = WD_abs + WD_sum and N_antivortex = WD_abs - WD_sum. These counts are made for
in-plane films: a skyrmion's in-plane part covers the disk twice with opposite
orientations and reads as a vortex and an antivortex on one spot (use topological_charge).

Every function takes a pymag System or a raw magnetization (..., 3, nx, ny, nz) (numpy or
torch, leading batch dimensions allowed) with an optional ``magnet`` mask (default:
cells where m is non-zero) and ``periodic`` flags for x and y (a System uses its mesh's).
"""
from dataclasses import dataclass

import numpy as np

from ..errors import ShapeMismatchError, StateError
from ..io.files import as_numpy
from ..system import System


@dataclass(frozen=True)
class Layer:
    """An in-plane view of a magnetization: ``m`` (..., 3, nx, ny), ``magnet`` (..., nx, ny)
    bool, ``cell`` (dx, dy, dz) in m or None, ``periodic`` (x, y) bools."""

    m: np.ndarray
    magnet: np.ndarray
    cell: tuple
    periodic: tuple


def layer_view(system_or_m, layer=None, magnet=None, cell=None, periodic=None):
    """The 2-D field the analyzers work on: layer ``layer`` (an int) or, for None, the mean
    of m over the magnetic cells of each column (cells magnetic in any layer count)."""
    if isinstance(system_or_m, System):
        m = as_numpy(system_or_m.m).astype(float)
        magnet = as_numpy(system_or_m.magnet).astype(bool)
        cell = system_or_m.mesh.cell
        periodic = system_or_m.mesh.periodic[:2]
    else:
        m = as_numpy(system_or_m).astype(float)
        if m.ndim < 4 or m.shape[-4] != 3:
            raise ShapeMismatchError(f"magnetization must have shape (..., 3, nx, ny, nz), got {m.shape}")
        if not np.all(np.isfinite(m)):
            raise StateError("magnetization contains NaN or infinite values")
        if magnet is None:
            magnet = np.any(m != 0, axis=-4)
        magnet = as_numpy(magnet).astype(bool)
        try:
            magnet = np.broadcast_to(magnet, m.shape[:-4] + m.shape[-3:])
        except ValueError:
            raise ShapeMismatchError(f"magnet mask of shape {magnet.shape} does not match magnetization "
                                     f"of shape {m.shape}") from None
        if cell is not None:
            cell = tuple(float(c) for c in np.broadcast_to(np.asarray(cell, dtype=float), (3,)))
        periodic = (False, False) if periodic is None else tuple(bool(p) for p in periodic)
    nz = m.shape[-1]
    if layer is None:
        count = magnet.sum(axis=-1)
        m2 = (m * magnet[..., None, :, :, :]).sum(axis=-1) / np.maximum(count, 1)[..., None, :, :]
        return Layer(m2, count > 0, cell, periodic)
    if not -nz <= int(layer) < nz:
        raise ShapeMismatchError(f"layer {layer} does not exist: the magnetization has {nz} layer(s)")
    return Layer(m[..., int(layer)], magnet[..., int(layer)], cell, periodic)


def neighbour(a, step, axis, periodic):
    """``a`` at index i + step along ``axis``, wrapping when ``periodic``, else zero (False) past the end."""
    out = np.roll(a, -step, axis)
    if not periodic:
        edge = [slice(None)] * a.ndim
        edge[axis] = -1 if step > 0 else 0
        out[tuple(edge)] = 0
    return out


def cell_differences(view, axis):
    """Change of m across one cell along in-plane ``axis`` (0: x, 1: y), shape (..., 3, nx, ny):
    central differences between magnetic neighbours, one-sided where only one neighbour is
    magnetic (a non-magnetic neighbour is never read as m = 0), zero where there is none."""
    ax = axis - 2
    periodic = view.periodic[axis]
    ahead = (neighbour(view.magnet, 1, ax, periodic) & view.magnet)[..., None, :, :]
    behind = (neighbour(view.magnet, -1, ax, periodic) & view.magnet)[..., None, :, :]
    m_ahead, m_behind = neighbour(view.m, 1, ax, periodic), neighbour(view.m, -1, ax, periodic)
    one_sided = np.where(ahead, m_ahead - view.m, np.where(behind, view.m - m_behind, 0.0))
    return np.where(ahead & behind, 0.5 * (m_ahead - m_behind), one_sided)


def density(view):
    """Winding density per cell of a Layer, shape (..., nx, ny)."""
    dx, dy = cell_differences(view, 0), cell_differences(view, 1)
    wd = (dx[..., 0, :, :] * dy[..., 1, :, :] - dx[..., 1, :, :] * dy[..., 0, :, :]) / (2 * np.pi)
    return np.where(view.magnet, wd, 0.0)


def winding_density(system_or_m, layer=None, magnet=None, periodic=None):
    """Winding density per cell (dimensionless), numpy (..., nx, ny): eq. 20 of NeuralMAG
    multiplied by the cell area dx dy, so that its sum is WD_sum. A vortex sums to +1/2,
    an antivortex to -1/2. ``layer``: an int, or None for the layer-averaged m."""
    return density(layer_view(system_or_m, layer, magnet, periodic=periodic))


def vortex_count(system_or_m, layer=None, magnet=None, periodic=None):
    """(N_vortex, N_antivortex) from eq. 21-22: WD_abs +/- WD_sum, each rounded to the
    nearest integer (halves up) and at least 0. Ints, or int arrays for batched input."""
    wd = winding_density(system_or_m, layer, magnet, periodic)
    total, absolute = wd.sum(axis=(-2, -1)), np.abs(wd).sum(axis=(-2, -1))
    counts = [np.maximum(np.floor(absolute + sign * total + 0.5), 0).astype(int) for sign in (1, -1)]
    return tuple(int(c) if c.ndim == 0 else c for c in counts)
