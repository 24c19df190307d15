"""Figures of magnetization states."""
from .plot2d import colorize, plot_m
from .view3d import show3d
from .winding import plot_winding

__all__ = ["colorize", "plot_m", "plot_winding", "show3d"]
