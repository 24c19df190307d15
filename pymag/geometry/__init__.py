"""Geometry: shapes as predicates on cell-centre coordinates, CSG and transforms."""
from .image import ImageShape
from .primitives import ConvexHull, Cuboid, Cylinder, Ellipse, Ellipsoid, Polygon, Sphere
from .random_shapes import random_convex_hull, random_polygon
from .shape import Shape, Universe

__all__ = ["Shape", "Universe", "Cuboid", "Cylinder", "Sphere", "Ellipsoid", "Ellipse",
           "Polygon", "ConvexHull", "ImageShape", "random_polygon", "random_convex_hull"]
