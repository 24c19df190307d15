"""Random 2-D shapes for masks, as in NeuralMAG's training and test sets: irregular
polygons and convex hulls whose size and location are random.  Lengths in m.

Defaults suit NeuralMAG's 64 x 64 films of 3 nm cells (192 nm wide).
"""
import math
import numbers

import numpy as np

from ..errors import GeometryError
from .primitives import ConvexHull, Polygon
from .shape import _finite, _lengths

_FILM = (192e-9, 192e-9)
_SIZES = (48e-9, 128e-9)


def _draw_size(rng, size):
    """A diameter (m): ``size`` itself, or uniform in [low, high] when it is a pair."""
    if np.ndim(size) == 0:
        return _lengths("size", size, 1)[0]
    low, high = _lengths("size", size, 2)
    if low > high or math.isinf(high):
        raise GeometryError(f"size range must be finite with low <= high, got {size!r}")
    return rng.uniform(low, high)


def _draw_center(rng, center, domain, radius):
    """``center``, or a uniform random point of the rectangle ``domain = (Lx, Ly)``
    (centred on the origin) at which a disc of ``radius`` fits; axes too narrow for the
    disc put the centre on the middle line."""
    if center is not None:
        return np.array(_finite("center", center, 2))
    room = np.maximum(np.array(_lengths("domain", domain, 2)) / 2 - radius, 0.0)
    if not np.isfinite(room).all():
        raise GeometryError(f"domain must be finite, got {domain!r}")
    return rng.uniform(-room, room)


def _count(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 3:
        raise GeometryError(f"{name} must be an integer >= 3, got {value!r}")
    return int(value)


def _unit_interval(name, value):
    value = _finite(name, value, 1)[0]
    if not 0 <= value < 1:
        raise GeometryError(f"{name} must lie in [0, 1), got {value!r}")
    return value


def random_polygon(n_vertices=30, size=_SIZES, center=None, seed=None, irregularity=0.5,
                   spikiness=0.4, domain=_FILM):
    """A random simple polygon (extruded infinitely along z).

    The vertices sit at increasing angles around a centre, so the polygon is star-shaped
    about it and never self-intersects.

    n_vertices:   number of vertices (and edges), at least 3.
    size:         mean diameter (m) of the vertex ring, or a (low, high) range to draw it from.
    center:       (cx, cy) in m; None draws it uniformly so that the polygon lies inside
                  ``domain``.
    seed:         seed for numpy.random.default_rng; equal seeds give equal polygons.
    irregularity: in [0, 1); 0 spaces the vertices evenly in angle, larger values let each
                  angle wander by up to irregularity/2 of the even spacing.
    spikiness:    in [0, 1); each vertex radius is the mean radius times a factor drawn
                  uniformly from [1 - spikiness, 1 + spikiness].
    domain:       (Lx, Ly) in m, the rectangle centred on the origin that holds a random centre.
    """
    n = _count("n_vertices", n_vertices)
    irregularity = _unit_interval("irregularity", irregularity)
    spikiness = _unit_interval("spikiness", spikiness)
    rng = np.random.default_rng(seed)
    radius = _draw_size(rng, size) / 2
    # jittered angular slots: consecutive angles differ by (1 +- irregularity) * 2 pi / n > 0
    angles = (2 * np.pi / n) * (np.arange(n) + irregularity * rng.uniform(-0.5, 0.5, n))
    angles += rng.uniform(0, 2 * np.pi)
    radii = radius * rng.uniform(1 - spikiness, 1 + spikiness, n)
    centre = _draw_center(rng, center, domain, radius * (1 + spikiness))
    vertices = centre + radii[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    return Polygon(vertices)


def random_convex_hull(n_points=20, size=_SIZES, center=None, seed=None, domain=_FILM):
    """The convex hull of random points (extruded infinitely along z).

    n_points: number of points drawn uniformly in a disc, at least 3.
    size:     disc diameter (m), or a (low, high) range to draw it from.
    center:   (cx, cy) in m; None draws it uniformly so that the disc lies inside ``domain``.
    seed:     seed for numpy.random.default_rng; equal seeds give equal hulls.
    domain:   (Lx, Ly) in m, the rectangle centred on the origin that holds a random centre.
    """
    n = _count("n_points", n_points)
    rng = np.random.default_rng(seed)
    radius = _draw_size(rng, size) / 2
    centre = _draw_center(rng, center, domain, radius)
    r = radius * np.sqrt(rng.uniform(0, 1, n))  # sqrt: uniform density over the disc
    phi = rng.uniform(0, 2 * np.pi, n)
    return ConvexHull(centre + r[:, None] * np.column_stack([np.cos(phi), np.sin(phi)]))
