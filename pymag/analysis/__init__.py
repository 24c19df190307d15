"""Analyzers of magnetization states: winding density, vortex cores, topological charge,
hysteresis loops, ringdown spectra and mode maps."""
from .hysteresis import HysteresisResult
from .spectrum import ModeMaps, Spectrum, mode_maps, spectrum
from .topology import topological_charge
from .vortices import Vortex, find_vortices
from .winding import vortex_count, winding_density

__all__ = ["winding_density", "vortex_count", "find_vortices", "Vortex", "topological_charge", "HysteresisResult",
           "spectrum", "Spectrum", "mode_maps", "ModeMaps"]
