"""pymag: object-oriented micromagnetics on PyTorch.

    import pymag as pm
    mesh = pm.Mesh(n=(200, 50, 1), cell=(2.5e-9, 2.5e-9, 3e-9))
    system = pm.System(mesh, geometry=pm.Cuboid(size=(500e-9, 125e-9, 3e-9)),
                       material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                       terms=[pm.Exchange(), pm.Demag()], m=(1, 0.25, 0.1))
"""
from .allocator import keep_freed_memory

KEEPS_FREED_MEMORY = keep_freed_memory()

from . import analysis, geometry, init, io, symbolic, unet, units, viz
from .ensemble import Ensemble
from .errors import (ConvergenceError, FileFormatError, GeometryError, MaterialError, MeshError, MissingParameterError,
                     OutOfMemoryError, ProviderError, PymagError, ShapeMismatchError, StateError)
from .geometry import (ConvexHull, Cuboid, Cylinder, Ellipse, Ellipsoid, ImageShape, Polygon, Shape,
                       Sphere, Universe)
from .io import Table
from .mesh import Mesh
from .symbolic import EnergyTerm
from .optimize import OptimizeResult, optimize
from .region import Region
from .system import System
from .terms import *  # noqa: F401,F403  every registered energy term
from .terms import __all__ as _terms

__version__ = "0.1.0"

__all__ = ["Mesh", "System", "Region", "EnergyTerm", "optimize", "OptimizeResult", "symbolic", "Ensemble", "Table", "Shape", "Universe", "Cuboid", "Cylinder", "Sphere", "Ellipsoid",
           "Ellipse", "Polygon", "ConvexHull", "ImageShape", "analysis", "geometry", "init", "io", "unet", "units", "viz", "PymagError",
           "GeometryError", "MaterialError", "MeshError", "MissingParameterError", "OutOfMemoryError",
           "ProviderError", "ShapeMismatchError", "StateError", "FileFormatError", "ConvergenceError", *_terms]

