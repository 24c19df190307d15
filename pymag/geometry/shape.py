"""Shapes as pure predicates on points, composed with CSG operators and transforms.

A shape answers one question: is the point (x, y, z) (m) inside?  Composites and
transforms are new shapes that wrap their operands; a transform maps the query point
back into the frame of the shape it wraps.  Shapes are immutable and compare equal
when their structure and parameters are equal.
"""
import math

import numpy as np

from ..errors import GeometryError

#: Relative tolerance that makes boundaries inclusive.  A point whose distance outside
#: a boundary is below RTOL times the shape's size counts as inside.  It is far above the
#: rounding of cell-centre coordinates and of transforms (even a translation by a thousand
#: shape sizes) and far below the gap between distinct cell centres.
RTOL = 1e-12

_AXES = {"x": (1, 2), "y": (2, 0), "z": (0, 1)}  # rotation plane (a, b), a -> b by +90 deg


def _floats(name, value, count):
    """``value`` as a tuple of ``count`` floats (a scalar is repeated); no NaN."""
    expected = "a number" if count == 1 else f"a number or {count} numbers"
    try:
        array = None if value is None else np.broadcast_to(np.asarray(value, dtype=float), (count,))
    except (TypeError, ValueError):
        array = None
    if array is None:
        raise GeometryError(f"{name} must be {expected}, got {value!r}")
    if np.isnan(array).any():
        raise GeometryError(f"{name} must not be NaN, got {value!r}")
    return tuple(float(v) for v in array)


def _lengths(name, value, count):
    """Positive lengths (m) as a tuple of ``count`` floats; infinity means unbounded."""
    lengths = _floats(name, value, count)
    if any(v <= 0 for v in lengths):
        raise GeometryError(f"{name} must be positive lengths in m, got {value!r}")
    return lengths


def _finite(name, value, count):
    """Finite numbers as a tuple of ``count`` floats."""
    numbers = _floats(name, value, count)
    if not all(math.isfinite(v) for v in numbers):
        raise GeometryError(f"{name} must be finite, got {value!r}")
    return numbers


def _format(value):
    """A tuple of floats (or None) as Python source."""
    return "(" + ", ".join(repr(v) for v in value) + ")"


class Shape:
    """Base class: a region of space, given by the predicate ``contains(x, y, z)``.

    Subclasses implement ``_inside(x, y, z)`` on float arrays of one common shape and
    ``_params()``, a hashable tuple that fixes the shape for ``==`` and ``hash``.
    """

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable; transforms return new shapes")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _set(self, **attributes):
        for name, value in attributes.items():
            object.__setattr__(self, name, value)

    def contains(self, x, y, z):
        """Boolean array: True where the point (x, y, z) (m, broadcastable arrays) is inside."""
        x, y, z = np.broadcast_arrays(*(np.asarray(c, dtype=float) for c in (x, y, z)))
        return np.asarray(self._inside(x, y, z), dtype=bool)

    def mask(self, mesh):
        """Boolean array of shape ``mesh.n``: True for cells whose centre is inside."""
        return self.contains(*mesh.coordinates())

    def _inside(self, x, y, z):
        raise NotImplementedError

    def _params(self):
        raise NotImplementedError

    def __eq__(self, other):
        if not isinstance(other, Shape):
            return NotImplemented
        return type(self) is type(other) and self._params() == other._params()

    def __hash__(self):
        return hash((type(self).__name__, self._params()))

    # CSG operators
    def __or__(self, other):
        return _Binary("|", self, other) if isinstance(other, Shape) else NotImplemented

    def __and__(self, other):
        return _Binary("&", self, other) if isinstance(other, Shape) else NotImplemented

    def __sub__(self, other):
        return _Binary("-", self, other) if isinstance(other, Shape) else NotImplemented

    def __xor__(self, other):
        return _Binary("^", self, other) if isinstance(other, Shape) else NotImplemented

    def __invert__(self):
        return _Inverse(self)

    # transforms
    def translate(self, dx, dy, dz):
        """This shape moved by (dx, dy, dz) (m)."""
        return _Translated(self, _finite("translate offset", (dx, dy, dz), 3))

    def rotate(self, angle, axis="z"):
        """This shape rotated counterclockwise by ``angle`` (rad) about ``axis`` ("x", "y"
        or "z") through the origin."""
        if axis not in _AXES:
            raise GeometryError(f"rotate axis must be 'x', 'y' or 'z', got {axis!r}")
        return _Rotated(self, _finite("rotate angle", angle, 1)[0], axis)

    def scale(self, s):
        """This shape stretched about the origin by ``s``: a factor or three factors
        (non-zero, finite; a negative factor mirrors)."""
        factors = _finite("scale factor", s, 3)
        if 0.0 in factors:
            raise GeometryError(f"scale factor must be non-zero, got {s!r}")
        return _Scaled(self, factors)

    def repeat(self, period):
        """This shape repeated with ``period = (px, py, pz)`` (m); None or 0 leaves an
        axis unrepeated.  The copy at the origin is the part of the shape inside
        [-p/2, p/2) along each repeated axis."""
        if np.ndim(period) != 1 or len(period) != 3:
            raise GeometryError(f"repeat period must be three entries (m or None), got {period!r}")
        periods = tuple(None if p is None or p == 0 else _lengths("repeat period", p, 1)[0]
                        for p in period)
        if any(p is not None and math.isinf(p) for p in periods):
            raise GeometryError(f"repeat period must be finite (or None for no repetition), got {period!r}")
        return _Repeated(self, periods)

    @staticmethod
    def from_function(f):
        """A shape from ``f(x, y, z) -> bool array`` (coordinates in m)."""
        if not callable(f):
            raise GeometryError(f"from_function needs a callable f(x, y, z), got {f!r}")
        return _Function(f)


class Universe(Shape):
    """All of space."""

    def _inside(self, x, y, z):
        return np.ones(x.shape, dtype=bool)

    def _params(self):
        return ()

    def __repr__(self):
        return "Universe()"


class _Function(Shape):
    def __init__(self, f):
        self._set(f=f)

    def _inside(self, x, y, z):
        result = np.asarray(self.f(x, y, z), dtype=bool)
        try:
            return np.broadcast_to(result, x.shape).copy() if result.shape != x.shape else result
        except ValueError:
            raise GeometryError(f"shape function {self.f!r} returned an array of shape "
                                f"{result.shape} for points of shape {x.shape}") from None

    def _params(self):
        return (self.f,)

    def __repr__(self):
        return f"Shape.from_function({getattr(self.f, '__qualname__', repr(self.f))})"


class _Binary(Shape):
    _OPS = {
        "|": np.logical_or,
        "&": np.logical_and,
        "-": lambda a, b: a & ~b,
        "^": np.logical_xor,
    }

    def __init__(self, op, a, b):
        self._set(op=op, a=a, b=b)

    def _inside(self, x, y, z):
        return self._OPS[self.op](self.a._inside(x, y, z), self.b._inside(x, y, z))

    def _params(self):
        return (self.op, self.a, self.b)

    def __repr__(self):
        return f"{_operand(self.a)} {self.op} {_operand(self.b)}"


class _Inverse(Shape):
    def __init__(self, shape):
        self._set(shape=shape)

    def _inside(self, x, y, z):
        return ~self.shape._inside(x, y, z)

    def _params(self):
        return (self.shape,)

    def __repr__(self):
        return f"~{_operand(self.shape)}"


def _operand(shape):
    """repr of ``shape`` in parentheses when it is a binary composite."""
    return f"({shape!r})" if isinstance(shape, _Binary) else repr(shape)


def _receiver(shape):
    """repr of ``shape`` ready for a method call: composites in parentheses."""
    return f"({shape!r})" if isinstance(shape, (_Binary, _Inverse)) else repr(shape)


class _Translated(Shape):
    def __init__(self, shape, offset):
        self._set(shape=shape, offset=offset)

    def _inside(self, x, y, z):
        dx, dy, dz = self.offset
        return self.shape._inside(x - dx, y - dy, z - dz)

    def _params(self):
        return (self.shape, self.offset)

    def __repr__(self):
        return f"{_receiver(self.shape)}.translate{_format(self.offset)}"


class _Rotated(Shape):
    def __init__(self, shape, angle, axis):
        self._set(shape=shape, angle=angle, axis=axis)

    def _inside(self, x, y, z):
        points = [x, y, z]
        a, b = _AXES[self.axis]
        c, s = math.cos(self.angle), math.sin(self.angle)
        # inverse rotation: turn the query point clockwise
        points[a], points[b] = c * points[a] + s * points[b], c * points[b] - s * points[a]
        return self.shape._inside(*points)

    def _params(self):
        return (self.shape, self.angle, self.axis)

    def __repr__(self):
        return f"{_receiver(self.shape)}.rotate({self.angle!r}, axis={self.axis!r})"


class _Scaled(Shape):
    def __init__(self, shape, factors):
        self._set(shape=shape, factors=factors)

    def _inside(self, x, y, z):
        sx, sy, sz = self.factors
        return self.shape._inside(x / sx, y / sy, z / sz)

    def _params(self):
        return (self.shape, self.factors)

    def __repr__(self):
        f = self.factors
        argument = repr(f[0]) if f[0] == f[1] == f[2] else _format(f)
        return f"{_receiver(self.shape)}.scale({argument})"


class _Repeated(Shape):
    def __init__(self, shape, period):
        self._set(shape=shape, period=period)

    def _inside(self, x, y, z):
        folded = [c if p is None else c - p * np.floor(c / p + 0.5)
                  for c, p in zip((x, y, z), self.period)]
        return self.shape._inside(*folded)

    def _params(self):
        return (self.shape, self.period)

    def __repr__(self):
        return f"{_receiver(self.shape)}.repeat({_format(self.period)})"
