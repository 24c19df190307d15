"""Analyzers of magnetization states: winding density, vortex cores, topological charge, hysteresis loops."""
from .hysteresis import HysteresisResult
from .topology import topological_charge
from .vortices import Vortex, find_vortices
from .winding import vortex_count, winding_density

__all__ = ["winding_density", "vortex_count", "find_vortices", "Vortex", "topological_charge", "HysteresisResult"]
