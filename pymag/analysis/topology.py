"""Topological charge (skyrmion number) on the lattice (Berg & Luescher, Nucl. Phys. B 190, 412 (1981))."""
import numpy as np

from .winding import layer_view, neighbour


def _solid_angle(a, b, c):
    """Signed solid angle (sr) of the spherical triangle of unit vectors a, b, c (3, ...),
    positive when a, b, c turn counterclockwise seen from outside the sphere."""
    triple = np.einsum("...ixy,...ixy->...xy", a, np.cross(b, c, axis=-3))
    dots = 1 + (a * b).sum(-3) + (b * c).sum(-3) + (c * a).sum(-3)
    return 2 * np.arctan2(triple, dots)


def topological_charge(system_or_m, layer=None, magnet=None, periodic=None):
    """Skyrmion number Q = (1/4pi) int m . (d_x m x d_y m) dx dy (dimensionless).

    Each plaquette of four magnetic cells is split into two triangles and contributes
    their signed solid angles over 4pi, so Q is the exact degree of the lattice map onto
    the sphere: an integer for any texture whose boundary is uniform (or on a periodic
    mesh), up to the rounding of floats, and not an approximation of the continuum integral.
    Sign convention as mumax3's ext_topologicalcharge: a skyrmion with core m_z = -1 in a
    m_z = +1 background has Q = -1 (core up in a down background: Q = +1), whatever its
    helicity. ``layer``: an int, or None for the layer-averaged m, renormalized.
    Returns a float, or a numpy array for batched input.
    """
    view = layer_view(system_or_m, layer, magnet, periodic=periodic)
    norm = np.linalg.norm(view.m, axis=-3, keepdims=True)
    m = np.divide(view.m, norm, out=np.zeros_like(view.m), where=norm > 0)
    px, py = view.periodic
    m10, m01 = neighbour(m, 1, -2, px), neighbour(m, 1, -1, py)
    m11 = neighbour(m10, 1, -1, py)
    k10, k01 = neighbour(view.magnet, 1, -2, px), neighbour(view.magnet, 1, -1, py)
    full = view.magnet & k10 & k01 & neighbour(k10, 1, -1, py)
    omega = _solid_angle(m, m10, m11) + _solid_angle(m, m11, m01)
    q = np.where(full, omega, 0.0).sum(axis=(-2, -1)) / (4 * np.pi)
    return float(q) if q.ndim == 0 else q
