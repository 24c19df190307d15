"""Primitive shapes, centred on the origin.  Lengths in m; boundaries are inclusive."""
import numpy as np
import scipy.spatial

from ..errors import GeometryError
from .shape import RTOL, Shape, _format, _lengths


class Cuboid(Shape):
    """Box with edge lengths ``size = (sx, sy, sz)`` (m); inf leaves an axis unbounded."""

    def __init__(self, size):
        self._set(size=_lengths("Cuboid size", size, 3))

    def _inside(self, x, y, z):
        hx, hy, hz = (s / 2 * (1 + RTOL) for s in self.size)
        return (np.abs(x) <= hx) & (np.abs(y) <= hy) & (np.abs(z) <= hz)

    def _params(self):
        return self.size

    def __repr__(self):
        return f"Cuboid(size={_format(self.size)})"


class Ellipsoid(Shape):
    """Ellipsoid with full axis lengths ``size = (sx, sy, sz)`` (m) along x, y, z."""

    def __init__(self, size):
        self._set(size=_lengths("Ellipsoid size", size, 3))

    def _inside(self, x, y, z):
        sx, sy, sz = self.size
        return (2 * x / sx) ** 2 + (2 * y / sy) ** 2 + (2 * z / sz) ** 2 <= 1 + 2 * RTOL

    def _params(self):
        return self.size

    def __repr__(self):
        return f"Ellipsoid(size={_format(self.size)})"


class Sphere(Ellipsoid):
    """Ball of the given ``diameter`` (m)."""

    def __init__(self, diameter):
        d = _lengths("Sphere diameter", diameter, 1)[0]
        self._set(diameter=d, size=(d, d, d))

    def __repr__(self):
        return f"Sphere(diameter={self.diameter!r})"


class Ellipse(Shape):
    """Ellipse with full axis lengths ``size = (sx, sy)`` (m), extruded infinitely along z."""

    def __init__(self, size):
        self._set(size=_lengths("Ellipse size", size, 2))

    def _inside(self, x, y, z):
        sx, sy = self.size
        return (2 * x / sx) ** 2 + (2 * y / sy) ** 2 <= 1 + 2 * RTOL

    def _params(self):
        return self.size

    def __repr__(self):
        return f"Ellipse(size={_format(self.size)})"


class Cylinder(Shape):
    """Circular cylinder along z with the given ``diameter`` and ``height`` (m)."""

    def __init__(self, diameter, height):
        self._set(diameter=_lengths("Cylinder diameter", diameter, 1)[0],
                  height=_lengths("Cylinder height", height, 1)[0])

    def _inside(self, x, y, z):
        radial = (2 * x / self.diameter) ** 2 + (2 * y / self.diameter) ** 2 <= 1 + 2 * RTOL
        return radial & (np.abs(z) <= self.height / 2 * (1 + RTOL))

    def _params(self):
        return (self.diameter, self.height)

    def __repr__(self):
        return f"Cylinder(diameter={self.diameter!r}, height={self.height!r})"


def _points(name, points, dims, minimum):
    """``points`` as a read-only float array of shape (k, d), d in ``dims``, k >= minimum."""
    try:
        array = np.array(points, dtype=float)
    except (TypeError, ValueError):
        raise GeometryError(f"{name} must be an array of coordinates in m, got {points!r}") from None
    if array.ndim != 2 or array.shape[1] not in dims:
        raise GeometryError(f"{name} must have shape (k, {' or '.join(map(str, dims))}), "
                            f"got shape {array.shape}")
    if len(array) < minimum:
        raise GeometryError(f"{name} needs at least {minimum} points, got {len(array)}")
    if not np.isfinite(array).all():
        raise GeometryError(f"{name} must be finite, got {points!r}")
    array.flags.writeable = False
    return array


def _as_tuples(array):
    return tuple(tuple(float(v) for v in row) for row in array)


class Polygon(Shape):
    """Prism over the polygon ``vertices_xy`` ((k, 2) array, m), extruded along z over
    ``height`` (m) centred on z = 0, or infinitely when ``height`` is None.

    Inside is decided by the even-odd rule, so the polygon need not be convex; points on
    an edge are inside.
    """

    def __init__(self, vertices_xy, height=None):
        vertices = _points("Polygon vertices_xy", vertices_xy, (2,), 3)
        if np.linalg.matrix_rank(vertices - vertices.mean(axis=0)) < 2:
            raise GeometryError("Polygon vertices_xy lie on a line; they enclose no area")
        extent = np.ptp(vertices, axis=0)
        self._set(vertices=vertices,
                  height=None if height is None else _lengths("Polygon height", height, 1)[0],
                  _tolerance=RTOL * float(np.hypot(*extent)))

    def _inside(self, x, y, z):
        crossings = np.zeros(x.shape, dtype=bool)
        on_edge = np.zeros(x.shape, dtype=bool)
        for (x1, y1), (x2, y2) in zip(self.vertices, np.roll(self.vertices, -1, axis=0)):
            if y1 != y2:  # count crossings of the ray from the point towards +x
                x_cross = x1 + (y - y1) * ((x2 - x1) / (y2 - y1))
                crossings ^= ((y1 > y) != (y2 > y)) & (x < x_cross)
            ex, ey = x2 - x1, y2 - y1
            length2 = ex * ex + ey * ey
            t = np.clip(((x - x1) * ex + (y - y1) * ey) / length2, 0, 1) if length2 else 0.0
            on_edge |= np.hypot(x - x1 - t * ex, y - y1 - t * ey) <= self._tolerance
        inside = crossings | on_edge
        if self.height is not None:
            inside &= np.abs(z) <= self.height / 2 * (1 + RTOL)
        return inside

    def _params(self):
        return (_as_tuples(self.vertices), self.height)

    def __repr__(self):
        height = "" if self.height is None else f", height={self.height!r}"
        return f"Polygon({[list(v) for v in _as_tuples(self.vertices)]}{height})"


class ConvexHull(Shape):
    """Convex hull of ``points``: (k, 2) gives a polygon extruded infinitely along z,
    (k, 3) a polyhedron (m).  Inside means behind every facet plane."""

    def __init__(self, points):
        points = _points("ConvexHull points", points, (2, 3), 3)
        try:
            hull = scipy.spatial.ConvexHull(points)
        except scipy.spatial.QhullError:
            raise GeometryError("ConvexHull points are degenerate: they must span an area "
                                "(2-D) or a volume (3-D)") from None
        size = float(np.ptp(points, axis=0).max())
        self._set(points=points, _equations=hull.equations, _tolerance=RTOL * size)

    def _inside(self, x, y, z):
        inside = np.ones(x.shape, dtype=bool)
        for *normal, offset in self._equations:  # unit normal n: n.p + offset <= 0 inside
            distance = normal[0] * x + normal[1] * y + offset
            if len(normal) == 3:
                distance = distance + normal[2] * z
            inside &= distance <= self._tolerance
        return inside

    def _params(self):
        return _as_tuples(self.points)

    def __repr__(self):
        return f"ConvexHull({[list(p) for p in _as_tuples(self.points)]})"
